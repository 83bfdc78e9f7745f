"""CZML (Cesium's JSON scene format) from a Track: a document packet and one packet per satellite.

Positions are ``cartesian`` samples in metres in CZML's ``FIXED`` frame, which
Cesium defines as the Earth-fixed ITRF/WGS-84 frame: the Track's ``r_itrs_m``.
``FIXED`` is chosen over ``INERTIAL`` because Cesium shows inertial positions
only after converting them with Earth-orientation data it must first download
(``Transforms.preloadIcrfFixed``); fixed positions need nothing, so the
document is usable as is.  Sample times are seconds from the packet's
``epoch`` (UTC ISO 8601); CZML counts them in TAI seconds, which equal the
Track's TT seconds, so a leap second in the span moves nothing.

Each satellite packet carries ``availability`` (its unbroken runs of valid
samples), a ``point``, a ``label`` with its name and a ``path`` (one orbital
period of trail at most); the document packet sets the clock to the span.
"""

from __future__ import annotations

import json

import numpy as np

from ..constants import MU_EARTH_M3_S2
from .runs import iso_epochs, track_of, valid_runs

__all__ = ["CZML_REFERENCE_FRAME", "to_czml", "write_czml"]

CZML_REFERENCE_FRAME = "FIXED"
CZML_VERSION = "1.0"
# Lagrange degree 5 on the samples: Cesium's usual choice for orbits; sub-metre between
# 60 s LEO samples.  Shown points are interpolated by Cesium, never by this module.
INTERPOLATION_DEGREE = 5


def to_czml(source, *, name: str = "orbitlink", multiplier: float = 60.0, **track_kwargs) -> list[dict]:
    """The CZML document of ``source`` as a list of packets (``json.dump`` it, or use
    :func:`write_czml`).  ``source``: a Track or anything
    :func:`orbitlink.propagators.as_track` propagates with ``track_kwargs``.
    ``multiplier``: the clock's seconds per real second when Cesium plays it."""
    tr = track_of(source, **track_kwargs)
    # Microsecond labels: the epoch anchors every sample (a rounded millisecond would be metres).
    epochs = iso_epochs(tr)
    t_s = np.asarray(tr.t_s, dtype=np.float64) - float(tr.t_s[0])
    span = f"{epochs[0]}/{epochs[-1]}"
    doc = {"id": "document", "name": name, "version": CZML_VERSION,
           "clock": {"interval": span, "currentTime": epochs[0], "multiplier": multiplier,
                     "range": "LOOP_STOP", "step": "SYSTEM_CLOCK_MULTIPLIER"}}
    packets = [doc]
    colours = _colours(tr.n_satellites)
    r = tr.r_itrs_m
    for s, sat in enumerate(tr.names):
        runs = valid_runs(tr.valid[s])
        if not runs:
            continue
        ok = tr.valid[s]
        # Interleave [t, x, y, z] in one (N, 4) array, then flatten: no per-sample Python work.
        samples = np.column_stack([t_s[ok], r[0, s, ok], r[1, s, ok], r[2, s, ok]])
        samples = np.round(samples, 3)
        # One orbital period of trail, from the mean radius (Kepler's third law); capped at the span.
        radius = float(np.mean(np.linalg.norm(r[:, s, ok], axis=0)))
        period_s = 2 * np.pi * np.sqrt(radius**3 / MU_EARTH_M3_S2)
        packets.append({
            "id": f"satellite/{sat}",
            "name": sat,
            "availability": [f"{epochs[lo]}/{epochs[hi - 1]}" for lo, hi in runs],
            "position": {"epoch": epochs[0], "referenceFrame": CZML_REFERENCE_FRAME,
                         "interpolationAlgorithm": "LAGRANGE", "interpolationDegree": INTERPOLATION_DEGREE,
                         "cartesian": samples.ravel().tolist()},
            "point": {"pixelSize": 6, "color": {"rgba": colours[s]}},
            "label": {"text": sat, "font": "11pt sans-serif", "pixelOffset": {"cartesian2": [10, 0]},
                      "horizontalOrigin": "LEFT", "show": tr.n_satellites <= 50},
            "path": {"show": tr.n_satellites <= 50, "width": 1, "resolution": float(tr.grid.step_s),
                     "leadTime": 0, "trailTime": round(min(period_s, float(t_s[-1])), 3),
                     "material": {"solidColor": {"color": {"rgba": colours[s]}}}},
        })
    return packets


def write_czml(source, file, **kwargs) -> None:
    """Write :func:`to_czml` of ``source`` as JSON to ``file``: a path or an open text file."""
    packets = to_czml(source, **kwargs)
    if hasattr(file, "write"):
        json.dump(packets, file, allow_nan=False, separators=(",", ":"))
        file.write("\n")
        return
    with open(file, "w", encoding="utf-8") as f:
        json.dump(packets, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")


def _colours(n: int) -> list[list[int]]:
    """``n`` distinct RGBA colours (hues spread evenly), as CZML ``rgba`` lists."""
    h = np.arange(n) / max(n, 1)
    rgb = 0.5 + 0.5 * np.cos(2 * np.pi * (h[:, None] - np.array([0.0, 1 / 3, 2 / 3])))
    rgb = (55 + 200 * rgb).astype(int)
    return [[int(a), int(b), int(c), 255] for a, b, c in rgb]
