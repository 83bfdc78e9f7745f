"""Hermite segments of (satellite, station) items: the elevation test between track samples.

The pass search's refinements (:mod:`orbitlink.core.pass_refine`) evaluate
each item at 10-20 trial times.  :class:`StationSegments` gathers the
bracketing track states once, as power-form cubic Hermite coefficients
(:mod:`orbitlink.core.hermite`) of the satellite's position relative to the
station, and evaluates from those: the random reads from the (3, S, T) track
stay out of the iteration loops (on a large track they cost far more than the
arithmetic).

Items are keyed ``satellite * G + station`` as in the pass search; times ``x``
are seconds from the grid start.  Pure numpy, SI float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import hermite
from .topocentric import Sites, dot3

__all__ = ["SearchTrack", "StationSegments", "by_index"]


class StationSegments:
    """``n_segments`` consecutive Hermite segments of N (satellite, station) items.

    Each segment is stored in power form ``c0 + c1 tau + c2 tau^2 + c3 tau^3``
    (tau in [0, 1], the station already subtracted): ``coeffs`` is (4, 3, N)
    for one segment per item, (4, 3, N, n) for n; ``x0_s`` (N,) is the start of
    each item's first segment.
    """

    def __init__(self, r, v, dt, sites: Sites, sat, station, i0, n_segments):
        T = r.shape[2]
        n = n_segments
        size = sat.size
        base = sat * T + i0
        # Read the big track in address order (2-3x faster than in pass order:
        # fewer cache and TLB misses), then put the rows back in item order.
        order = np.argsort(base, kind="stable")
        idx = base[order][:, None] + np.arange(n + 1)
        R = np.empty((3, size, n + 1))
        V = np.empty((3, size, n + 1))
        for c in range(3):
            R[c, order] = r[c].reshape(-1)[idx]
            V[c, order] = v[c].reshape(-1)[idx]
        # (4, 3, N, n): the Hermite cubic of each segment in powers of tau.
        coeffs = hermite.power_coefficients(R[:, :, :-1], V[:, :, :-1], R[:, :, 1:], V[:, :, 1:], dt)
        coeffs[0] -= sites.pos[:, station][:, :, None]
        if n == 1:
            coeffs = coeffs[..., 0]
        self._set(coeffs, i0 * dt, dt, sites, station, n)

    def _set(self, coeffs, x0_s, dt, sites, station, n_segments):
        self.coeffs = coeffs
        self.x0_s = x0_s
        self.dt = dt
        self.sites = sites
        self.station = station
        self.n_segments = n_segments
        self.up = sites.enu[2][:, station]
        self.size = coeffs.shape[2]
        self.rows = np.arange(self.size)

    @classmethod
    def from_coefficients(cls, coeffs, x0_s, dt, sites: Sites, station) -> "StationSegments":
        """One segment per item from power-form coefficients (4, 3, N) already gathered
        (station subtracted) starting at ``x0_s`` (N,)."""
        out = object.__new__(cls)
        out._set(coeffs, np.asarray(x0_s, float), dt, sites, station, 1)
        return out

    # --- evaluation ---------------------------------------------------------------------

    def _segment(self, x):
        """Coefficients of the segment holding ``x`` and tau there."""
        u = (np.asarray(x, float) - self.x0_s) / self.dt
        if self.n_segments == 1:
            return self.coeffs, u
        seg = np.clip(np.floor(u).astype(np.int64), 0, self.n_segments - 1)
        return self.coeffs[:, :, self.rows, seg], u - seg

    def relative_position(self, x):
        """Satellite minus station (3, N) at ``x``."""
        C, tau = self._segment(x)
        return hermite.evaluate(C, tau)

    def sin_el(self, x):
        """sin(elevation) at ``x``."""
        d = self.relative_position(x)
        return dot3(self.up, d) / np.sqrt(dot3(d, d))

    def g(self, x):
        """sin(el) - sin(threshold(az)): >= 0 where the satellite is visible."""
        d = self.relative_position(x)
        sin_el = dot3(self.up, d) / np.sqrt(dot3(d, d))
        if self.sites.table is None:
            return sin_el - self.sites.sin_floor[self.station]
        return sin_el - self.sites.sin_threshold(self.station, d)

    def g_and_rate(self, x):
        """g and dg/dx (per second) for constant thresholds: one Newton step's worth."""
        C, tau = self._segment(x)
        d = hermite.evaluate(C, tau)
        d1 = hermite.derivative(C, tau)
        rho2 = dot3(d, d)
        rho = np.sqrt(rho2)
        ud = dot3(self.up, d)
        rate = (dot3(self.up, d1) * rho2 - ud * dot3(d, d1)) / (rho2 * rho) / self.dt
        return ud / rho - self.sites.sin_floor[self.station], rate

    def slope_and_curvature(self, x):
        """H = (up.d')|d|^2 - (up.d)(d.d'), which has the sign of d sin(el)/dt, and dH/dtau."""
        C, tau = self._segment(x)
        d = hermite.evaluate(C, tau)
        d1 = hermite.derivative(C, tau)
        d2 = hermite.second_derivative(C, tau)
        rho2 = dot3(d, d)
        ud, ud1, ud2 = dot3(self.up, d), dot3(self.up, d1), dot3(self.up, d2)
        dd1 = dot3(d, d1)
        H = ud1 * rho2 - ud * dd1
        dH = ud2 * rho2 + ud1 * dd1 - ud * (dot3(d1, d1) + dot3(d, d2))
        return H, dH

    # --- selections ---------------------------------------------------------------------

    def _take(self, sel) -> "StationSegments":
        out = object.__new__(StationSegments)
        coeffs = self.coeffs[..., sel] if self.n_segments == 1 else self.coeffs[:, :, sel]
        out._set(coeffs, self.x0_s[sel], self.dt, self.sites, self.station[sel], self.n_segments)
        return out

    def block(self, lo: int, hi: int) -> "StationSegments":
        """Items lo..hi-1 as views (no copy)."""
        return self._take(slice(lo, hi))

    def subset(self, idx) -> "StationSegments":
        """The items ``idx`` only (an index array or a boolean mask)."""
        return self._take(idx)


@dataclass(frozen=True)
class SearchTrack:
    """What every refinement reads: the (3, S, T) ITRS track, its step and the stations."""

    r_itrs_m: np.ndarray
    v_itrs_m_s: np.ndarray
    dt_s: float
    sites: Sites

    @property
    def n_stations(self) -> int:
        return self.sites.pos.shape[1]

    def segments(self, keys, x_lo, n_segments: int) -> StationSegments:
        """:class:`StationSegments` of items ``keys`` (satellite * G + station) whose
        ``n_segments`` segments start at the track node at or before ``x_lo``."""
        r, dt, G = self.r_itrs_m, self.dt_s, self.n_stations
        T = r.shape[2]
        n = min(n_segments, T - 1)
        i0 = np.clip(np.floor(x_lo / dt + 1e-9).astype(np.int64), 0, T - 1 - n)
        return StationSegments(r, self.v_itrs_m_s, dt, self.sites, keys // G, keys % G, i0, n)


def by_index(segments: StationSegments, method: str):
    """``func(index, x)`` for :mod:`orbitlink.core.roots` from a method of ``segments``:
    the whole set while every item is still active, a subset once some have converged."""
    def func(index, x):
        part = segments if np.size(index) == segments.size else segments.subset(index)
        return getattr(part, method)(x)
    return func
