"""CCSDS Orbit Ephemeris Message (OEM), KVN text, from a Track.

Written to CCSDS 502.0-B-3 (Orbit Data Messages, 2023), OEM version 3.0:

- header ``CCSDS_OEM_VERS``, ``CREATION_DATE``, ``ORIGINATOR``;
- one segment per satellite (per unbroken run of valid samples), metadata
  ``OBJECT_NAME``/``OBJECT_ID`` (the satellite's name), ``CENTER_NAME = EARTH``,
  ``REF_FRAME = GCRF``, ``TIME_SYSTEM = UTC``, ``START_TIME``/``STOP_TIME``,
  ``INTERPOLATION = HERMITE``, ``INTERPOLATION_DEGREE = 3``;
- data lines ``EPOCH X Y Z X_DOT Y_DOT Z_DOT`` in km and km/s.

The frame: a Track's ``r_gcrs_m``/``v_gcrs_m_s`` are geocentric with the ICRS
axes (skyfield's GCRS), which is what CCSDS calls GCRF.  EME2000 differs from
it by the frame bias (about 23 mas: 0.8 m at 7,000 km), so GCRF is the frame
written, and stated in the file.  Positions are written to 1 mm (6 decimals of
km), velocities to 1 um/s; epochs to the microsecond.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from .runs import iso_epochs, track_of, valid_runs

__all__ = ["OEM_REF_FRAME", "to_oem", "write_oem"]

OEM_VERSION = "3.0"
OEM_REF_FRAME = "GCRF"
ORIGINATOR = "ORBITLINK"


def _value(text: str) -> str:
    """A KVN value on one line: control characters (a newline would end the line) become spaces."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(text)).strip() or "UNKNOWN"


def _epoch(label: str) -> str:
    # CCSDS ASCII time code A without the optional trailing Z: what every reader accepts.
    return label.rstrip("Z")


def to_oem(source, *, originator: str = ORIGINATOR, creation_date: datetime | None = None,
           **track_kwargs) -> str:
    """The OEM (KVN text) of ``source``: a Track, or anything
    :func:`orbitlink.propagators.as_track` propagates with ``track_kwargs``
    (``start``, ``duration``, ``step``, ``propagator``).

    ``creation_date`` (default now, UTC) fills ``CREATION_DATE``; give one for a
    byte-stable file.
    """
    tr = track_of(source, **track_kwargs)
    return "".join(_lines(tr, originator, creation_date))


def write_oem(source, file, **kwargs) -> None:
    """Write :func:`to_oem` of ``source`` to ``file``: a path or an open text file."""
    text = to_oem(source, **kwargs)
    if hasattr(file, "write"):
        file.write(text)
        return
    with open(file, "w", encoding="ascii", errors="replace", newline="\n") as f:
        f.write(text)


def _lines(tr, originator, creation_date):
    created = (creation_date or datetime.now(timezone.utc)).astimezone(timezone.utc)
    yield f"CCSDS_OEM_VERS = {OEM_VERSION}\n"
    yield (f"COMMENT orbitlink {tr.propagator} ephemeris of {tr.n_satellites} satellite(s), "
           f"step {tr.grid.step_s:g} s; positions km, velocities km/s, frame {OEM_REF_FRAME}\n")
    yield f"CREATION_DATE = {created.strftime('%Y-%m-%dT%H:%M:%S.%f')}\n"
    yield f"ORIGINATOR = {_value(originator)}\n"
    epochs = [_epoch(e) for e in iso_epochs(tr)]
    r_km = tr.r_gcrs_m * 1e-3
    v_km_s = tr.v_gcrs_m_s * 1e-3
    for s, name in enumerate(tr.names):
        label = _value(name)
        for lo, hi in valid_runs(tr.valid[s]):
            yield "\nMETA_START\n"
            yield f"OBJECT_NAME = {label}\n"
            yield f"OBJECT_ID = {label}\n"
            yield "CENTER_NAME = EARTH\n"
            yield f"REF_FRAME = {OEM_REF_FRAME}\n"
            yield "TIME_SYSTEM = UTC\n"
            yield f"START_TIME = {epochs[lo]}\n"
            yield f"STOP_TIME = {epochs[hi - 1]}\n"
            yield "INTERPOLATION = HERMITE\n"
            yield "INTERPOLATION_DEGREE = 3\n"
            yield "META_STOP\n\n"
            x, y, z = r_km[:, s, lo:hi].tolist()
            vx, vy, vz = v_km_s[:, s, lo:hi].tolist()
            yield "".join(f"{e} {a:.6f} {b:.6f} {c:.6f} {d:.9f} {f:.9f} {g:.9f}\n"
                          for e, a, b, c, d, f, g in zip(epochs[lo:hi], x, y, z, vx, vy, vz))
