"""The Sun's geocentric position (GCRS, metres) from the bundled DE421 ephemeris.

Which position
--------------
The *apparent* direction: skyfield's ``earth.at(t).observe(sun).apparent()``,
i.e. light time plus the aberration due to the Earth's velocity.  That is the
direction the sunlight travels in the Earth-centred frame, so it is the axis of
the Earth's shadow in GCRS.  The geometric vector ``(sun - earth).at(t)``,
which skyfield's ``is_sunlit`` uses (skyfield/positionlib.py, with
skyfield/geometry.py ``intersect_line_and_sphere``), differs from it by the
annual aberration, 20.1-20.8 arcsec (measured here over 2026): a 0.7 km shift
of the shadow at 7,000 km from the Earth's centre, 0.1 s in eclipse entry/exit
times in LEO and about 1.4 s at GEO.  ``apparent=False`` gives the geometric
vector.

Cost
----
skyfield evaluates DE421 at about 5 us per time (2.9 s for a year at 60 s),
so the Sun is computed at the nodes of an hourly table and interpolated
(cubic Lagrange on four nodes) to every time step, once per step for all
satellites.  The interpolation error is a few millimetres (the Earth's monthly
wobble around the Earth-Moon barycentre, 4,700 km at 27.3 days, and the annual
orbit dominate the fourth derivative); ``tests/test_eclipse.py`` checks it
against direct evaluation.

Span
----
DE421 covers 1899-07-29 to 2053-10-09 (TDB); a grid outside it raises
:class:`EphemerisSpanError` naming the span.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import astropy.units as u
import numpy as np
from astropy.time import Time

from .constants import DAY_S
from .errors import EphemerisSpanError  # noqa: F401  (re-exported: its old home)
from .times import TimeGrid, planets, timescale

#: DE421's span (TDB Julian dates of its segments) and its calendar dates.
DE421_FIRST_JD = 2414864.5
DE421_LAST_JD = 2471184.5
DE421_SPAN = "1899-07-29 to 2053-10-09"

#: Spacing of the table the Sun is interpolated from (s).
NODE_S = 3600.0
# Keep the table a little inside the ephemeris (light time reaches ~500 s back).
_MARGIN_DAYS = 0.02



@dataclass(frozen=True, eq=False)
class SunTable:
    """The Sun's GCRS position tabulated every :data:`NODE_S` seconds.

    ``start`` is the reference time (TT) that ``t_s`` arguments count from,
    as in :class:`~orbitlink.times.TimeGrid`.
    """

    start: Time
    node_s: np.ndarray
    node_gcrs_m: np.ndarray  # (3, N)
    apparent: bool

    def gcrs_m(self, t_s) -> np.ndarray:
        """Position (3, N) in metres at ``t_s`` seconds from ``start`` (within the table).

        Four-point (cubic) Lagrange interpolation on the uniform nodes: the
        error is at most (9/16)/24 h^4 times the largest fourth derivative,
        about 2 mm for h = 1 h.
        """
        t = np.asarray(t_s, dtype=np.float64)
        nodes = self.node_s
        if t.size and (t.min() < nodes[0] - 1e-6 or t.max() > nodes[-1] + 1e-6):
            raise EphemerisSpanError(f"time: {t.min():g}..{t.max():g} s is outside the Sun table "
                                     f"({nodes[0]:g}..{nodes[-1]:g} s)")
        h = nodes[1] - nodes[0]
        k = np.clip(np.floor((t - nodes[0]) / h).astype(np.int64), 1, nodes.size - 3)
        x = (t - nodes[k]) / h
        xm1, xm2, xp1 = x - 1.0, x - 2.0, x + 1.0
        p = self.node_gcrs_m
        return (p[:, k - 1] * (-x * xm1 * xm2 / 6.0) + p[:, k] * (xp1 * xm1 * xm2 / 2.0)
                + p[:, k + 1] * (-xp1 * x * xm2 / 2.0) + p[:, k + 2] * (xp1 * x * xm1 / 6.0))


def check_span(start: Time, t_first_s: float, t_last_s: float, field: str = "start/duration") -> None:
    """Raise :class:`EphemerisSpanError` unless ``start + [t_first_s, t_last_s]`` is inside DE421."""
    tt = start.tt
    jd0 = tt.jd1 + (tt.jd2 + t_first_s / DAY_S)
    jd1 = tt.jd1 + (tt.jd2 + t_last_s / DAY_S)
    if jd0 < DE421_FIRST_JD + _MARGIN_DAYS or jd1 > DE421_LAST_JD - _MARGIN_DAYS:
        with warnings.catch_warnings():  # erfa's "dubious year" far from the leap-second table
            warnings.simplefilter("ignore")
            first = (start + t_first_s * u.s).utc.isot[:19]
            last = (start + t_last_s * u.s).utc.isot[:19]
        raise EphemerisSpanError(
            f"{field}: {first}Z to {last}Z is outside the Sun ephemeris DE421, which covers "
            f"{DE421_SPAN} (give a start and duration within {DE421_SPAN})")


def _skyfield_times(start: Time, t_s: np.ndarray):
    tt = start.tt
    return timescale().tt_jd(np.full(t_s.shape, tt.jd1), tt.jd2 + t_s / DAY_S)


def sun_gcrs_m_at(start: Time, t_s, *, apparent: bool = True) -> np.ndarray:
    """The Sun (3, N) in metres, evaluated by skyfield at every ``start + t_s`` (no table)."""
    t_s = np.atleast_1d(np.asarray(t_s, dtype=np.float64))
    check_span(start, float(t_s.min()), float(t_s.max()))
    eph = planets()
    t = _skyfield_times(start, t_s)
    if apparent:
        pos = eph["earth"].at(t).observe(eph["sun"]).apparent()
    else:
        pos = (eph["sun"] - eph["earth"]).at(t)
    return np.asarray(pos.xyz.m, dtype=np.float64).reshape(3, -1)


def sun_table(start: Time, t_first_s: float, t_last_s: float, *, apparent: bool = True,
              pad_s: float = 0.0) -> SunTable:
    """A :class:`SunTable` covering ``start + [t_first_s, t_last_s]`` (nodes every hour).

    ``pad_s`` extends the table on both sides as far as the ephemeris allows
    (the span itself must lie inside it).
    """
    check_span(start, t_first_s, t_last_s)
    # Nodes every hour from the first time, two beyond each end (four-point
    # stencils), kept inside the ephemeris.
    jd_start = start.tt.jd1 + start.tt.jd2
    lo_s = (DE421_FIRST_JD + _MARGIN_DAYS - jd_start) * DAY_S
    hi_s = (DE421_LAST_JD - _MARGIN_DAYS - jd_start) * DAY_S
    extra = int(np.ceil(max(pad_s, 0.0) / NODE_S))
    n_lo = max(-2 - extra, int(np.ceil((lo_s - t_first_s) / NODE_S)))
    n_hi = min(int(np.ceil((t_last_s - t_first_s) / NODE_S)) + 2 + extra,
               int(np.floor((hi_s - t_first_s) / NODE_S)))
    if n_hi - n_lo < 3 or t_first_s + n_hi * NODE_S < t_last_s:
        # A span squeezed against an end of the ephemeris: four nodes across it.
        nodes = np.linspace(t_first_s, max(t_last_s, t_first_s + 1.0), 4)
    else:
        nodes = t_first_s + NODE_S * np.arange(n_lo, n_hi + 1)
    return SunTable(start, nodes, sun_gcrs_m_at(start, nodes, apparent=apparent), apparent)


def sun_gcrs_m(grid: TimeGrid, *, apparent: bool = True, exact: bool = False) -> np.ndarray:
    """The Sun (3, T) in metres at every time of ``grid``.

    Interpolated from an hourly table (error of millimetres) unless ``exact``,
    which evaluates DE421 through skyfield at every grid time (about 5 us each).
    """
    if exact:
        return sun_gcrs_m_at(grid.start, grid.t_s, apparent=apparent)
    table = sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]), apparent=apparent)
    return table.gcrs_m(grid.t_s)
