"""Visibility kernels: look angles, pass search and coverage counts (numpy, SI float64).

Inputs are satellite states in the ITRS, ``r_itrs_m``/``v_itrs_m_s`` of shape
(3, S, T) on a uniform time grid ``t_s`` (T,), and G stations given by their
ITRS positions (3, G), local east/north/up unit vectors (3, 3, G) and an
elevation threshold: a floor (G,) in radians and, optionally, an
azimuth-dependent table (G, 1441) on a 0.25 deg azimuth grid.

The pass search (:func:`find_passes`) never forms the S x G x T cube:

1. **Cone screen, two levels (the skip-ahead).**  A satellite at radius r can
   be above a station's lowest threshold only while the angle at the Earth's
   centre between them is below ``acos(rho cos(e') / r) - e'`` (rho: the
   station's geocentric radius; e': its threshold less the tilt between its
   geodetic and geocentric verticals).  Every ``screen_step_s`` (300 s) one
   thin float32 matrix product tests all pairs against that cone widened by
   how far the satellite's direction can turn in half the interval; inside the
   kept intervals, every ``coarse_step_s`` (60 s), the angles a, b at the two
   ends must satisfy ``a + b <= 2 lam + w dt`` (triangle inequality: the
   satellite is never closer than ``(a + b - w dt) / 2``).  Both bounds are
   rigorous, so nothing visible is pruned; ~1 % of the satellite-station
   minutes survive for a 550 km shell at 25 deg.
2. **Exact scan.**  Only the kept intervals are evaluated on the scan grid
   (the track step, or a finer ``scan_step_s`` filled in by cubic Hermite
   interpolation of the ITRS positions and velocities), in cache-sized row
   batches.  The test is ``sin(el) - sin(threshold(az)) >= 0`` with
   ``sin(el) = up . d / |d|``: the sign of ``el - threshold`` without an
   arctangent per sample.
3. **Crossings** are sign changes between scan samples.  Each lies inside one
   Hermite segment, whose coefficients the scan gathers while that memory is
   hot; safeguarded Newton iteration (bisection when a step leaves the
   bracket; Illinois regula falsi for azimuth masks, which have no useful
   derivative) puts AOS/LOS on the mask to microseconds.  Passes visible at the
   first or last sample are cut by the window and flagged.
4. **Peaks.**  Each pass's highest scan sample and its neighbours give a
   parabolic first guess; Newton iteration on the slope of sin(el) on the
   trajectory refines TCA (time of maximum elevation) and the maximum
   elevation.  Grazing passes that rise and set between two scan samples are
   found from local maxima of the test function just below zero.

Cubic Hermite interpolation of positions with velocities errs by a
fourth-order term (dt^4 / 384 times the fourth derivative): measured against
direct SGP4 for Starlink TLEs, at most 1.3 mm with 10 s states and 0.69 m with
60 s states.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

MASK_TABLE_STEP_RAD = math.radians(0.25)
# A local maximum this close below the threshold (in sin(el) units, ~0.57 deg at
# the horizon) is refined in case the true peak pokes above it between samples.
GRAZE_SIN = 0.01
ILLINOIS_ITERATIONS = 8
GOLDEN_ITERATIONS = 24  # 20 s bracket -> 20 * 0.618**24 = 2 ms (grazing passes only)
PEAK_NEWTON_ITERATIONS = 3
CROSSING_TOL_S = 1e-4
# Items refined together: (3, n) float64 temporaries of ~100 KiB stay in the CPU cache.
REFINE_BLOCK = 16384
# Passes longer than this may have several elevation maxima (high orbits): their peak is
# searched over every scan sample of the pass.
LONG_PASS_S = 1800.0
ROOT_NEWTON_ITERATIONS = 8
_GOLD = (math.sqrt(5.0) - 1.0) / 2.0


# --- station geometry ------------------------------------------------------------------

def enu_basis(lat_rad, lon_rad) -> np.ndarray:
    """East, north and up unit vectors of the geodetic horizon, shape (3 axes, 3 xyz, G)."""
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    z = np.zeros_like(lat)
    east = np.stack([-so, co, z])
    north = np.stack([-sl * co, -sl * so, cl])
    up = np.stack([cl * co, cl * so, sl])
    return np.stack([east, north, up])


def look_angles(r_itrs_m, site_itrs_m, enu):
    """Azimuth (rad, 0..2pi from north through east), elevation (rad) and range (m).

    ``r_itrs_m`` (3, ...) and ``site_itrs_m`` (3, ...) broadcast against each
    other; ``enu`` is (3, 3, ...) broadcasting with the site.  For whole
    constellations use :func:`look_angles_grid`, which chunks.
    """
    d = np.asarray(r_itrs_m, float) - np.asarray(site_itrs_m, float)
    e = _dot(enu[0], d)
    n = _dot(enu[1], d)
    up = _dot(enu[2], d)
    horiz = np.hypot(e, n)
    return np.arctan2(e, n) % (2 * np.pi), np.arctan2(up, horiz), np.sqrt(horiz**2 + up**2)


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def look_angles_grid(r_itrs_m, site_itrs_m, enu, *, chunk_bytes: int = 256 * 2**20):
    """Look angles of S satellites x G stations x T times: three (S, G, T) arrays.

    The outputs themselves are S*G*T*24 bytes; temporaries are bounded by
    ``chunk_bytes`` by working through the time axis in slices.
    """
    r = np.asarray(r_itrs_m, float)
    _, S, T = r.shape
    G = site_itrs_m.shape[1]
    az, el, rng = (np.empty((S, G, T)) for _ in range(3))
    step = max(1, int(chunk_bytes // max(1, S * G * 8 * 8)))
    site = site_itrs_m[:, None, :, None]
    basis = enu[:, :, None, :, None]
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        a, e, d = look_angles(r[:, :, None, lo:hi], site, basis)
        az[:, :, lo:hi], el[:, :, lo:hi], rng[:, :, lo:hi] = a, e, d
    return az, el, rng


# --- thresholds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sites:
    """Station geometry and thresholds, prepared once per search."""

    pos: np.ndarray          # (3, G) ITRS m
    enu: np.ndarray          # (3, 3, G)
    floor_rad: np.ndarray    # (G,)
    table: np.ndarray | None  # (G, 1441) rad, max(floor, mask), or None
    sin_floor: np.ndarray    # (G,)
    has_mask: np.ndarray     # (G,) bool

    @classmethod
    def make(cls, site_itrs_m, enu, floor_rad, table=None) -> "Sites":
        site = np.ascontiguousarray(site_itrs_m, dtype=float)
        floor = np.asarray(floor_rad, float).reshape(-1)
        G = site.shape[1]
        if floor.shape != (G,):
            floor = np.broadcast_to(floor, (G,)).copy()
        has = np.zeros(G, bool)
        if table is not None:
            table = np.asarray(table, float)
            has = np.any(table > floor[:, None] + 1e-15, axis=1)
            if not has.any():
                table = None
        return cls(site, np.ascontiguousarray(enu, dtype=float), floor, table, np.sin(floor), has)

    @property
    def min_threshold_rad(self) -> np.ndarray:
        """Lowest threshold of each station over azimuth (for the cone screen)."""
        if self.table is None:
            return self.floor_rad
        return np.min(self.table, axis=1)

    def sin_threshold(self, g, d):
        """sin(threshold) for station indices ``g`` and relative vectors ``d`` (3, *g.shape[:k], ...)."""
        base = self.sin_floor[g]
        if self.table is None:
            return base
        masked = self.has_mask[g]
        if not np.any(masked):
            return base
        extra = d.ndim - 1 - g.ndim
        gi = g.reshape(g.shape + (1,) * extra)
        e = _dot(self.enu[0][:, gi], d)
        n = _dot(self.enu[1][:, gi], d)
        az = np.arctan2(e, n) % (2 * np.pi)
        x = az / MASK_TABLE_STEP_RAD
        i0 = np.minimum(x.astype(np.int64), self.table.shape[1] - 2)
        f = x - i0
        gb = np.broadcast_to(gi, x.shape)
        thr = self.table[gb, i0] * (1.0 - f) + self.table[gb, i0 + 1] * f
        out = np.sin(thr)
        return np.where(np.broadcast_to(masked.reshape(gi.shape), out.shape), out,
                        np.broadcast_to(base.reshape(gi.shape), out.shape))


# --- interpolation ---------------------------------------------------------------------------

class _Trajectory:
    """Positions of a track at arbitrary times by cubic Hermite interpolation."""

    def __init__(self, r, v, t_s):
        self.r, self.v = r, v
        self.T = r.shape[2]
        self.t0 = float(t_s[0])
        self.dt = float(t_s[1] - t_s[0])

    def at(self, s, x):
        """Positions (3, N) of satellites ``s`` (N,) at seconds ``x`` (N,) from the grid start."""
        dt = self.dt
        i = np.clip(np.floor(x / dt).astype(np.int64), 0, self.T - 2)
        tau = (x - i * dt) / dt
        tau2 = tau * tau
        tau3 = tau2 * tau
        h00 = 2 * tau3 - 3 * tau2 + 1
        h10 = (tau3 - 2 * tau2 + tau) * dt
        h01 = -2 * tau3 + 3 * tau2
        h11 = (tau3 - tau2) * dt
        out = np.empty((3,) + np.shape(x))
        for c in range(3):
            rc, vc = self.r[c], self.v[c]
            out[c] = (h00 * rc[s, i] + h10 * vc[s, i] + h01 * rc[s, i + 1] + h11 * vc[s, i + 1])
        return out


def hermite_positions(r_itrs_m, v_itrs_m_s, t_s, sat, x_s):
    """Cubic Hermite positions (3, N) of satellites ``sat`` at times ``x_s`` (s from ``t_s[0]``)."""
    tr = _Trajectory(r_itrs_m, v_itrs_m_s, np.asarray(t_s, float))
    return tr.at(np.asarray(sat), np.asarray(x_s, float))


# --- the pass search ----------------------------------------------------------------------

@dataclass(frozen=True)
class PassArrays:
    """Passes as parallel arrays (P,): seconds from the grid start, radians."""

    sat: np.ndarray
    station: np.ndarray
    aos_s: np.ndarray
    tca_s: np.ndarray
    los_s: np.ndarray
    max_elevation_rad: np.ndarray
    aos_cut: np.ndarray
    los_cut: np.ndarray
    stats: dict


def _cone_angles(sites: Sites, r_max_m, omega_rad_s, half_interval_s):
    """Half-angle (rad, (S, G)) of the cone around each station a satellite must be in to be visible,
    widened by how far it moves in half an interval; and the stations' geocentric unit vectors.

    A satellite at radius r sees a station (geocentric radius rho) at geocentric
    elevation >= eps iff the central angle lam <= acos(rho cos(eps) / r) - eps.
    The geodetic elevation exceeds the geocentric one by at most the tilt
    between the two verticals, so eps = min threshold - tilt.  In half an
    interval the satellite's direction turns by at most omega * half_interval.
    """
    rho = np.linalg.norm(sites.pos, axis=0)
    ghat = sites.pos / rho
    tilt = np.arccos(np.clip(_dot(sites.enu[2], ghat), -1.0, 1.0))
    eps = sites.min_threshold_rad - tilt - 1e-9
    ratio = np.clip(rho[None, :] * np.cos(eps)[None, :] / r_max_m[:, None], -1.0, 1.0)
    lam = np.arccos(ratio) - eps[None, :]
    # 1e-5 rad covers the float32 rounding of the screen's cosines and angles.
    return lam + omega_rad_s[:, None] * half_interval_s + 1e-5, ghat


class _Local:
    """Hermite segments of N (satellite, station) items, gathered once and evaluated many times.

    The refinements evaluate each item at 10-20 trial times; gathering the
    bracketing states once keeps the random reads from the (3, S, T) track out
    of the loop (on a large track they cost far more than the arithmetic).
    Each segment is stored in power form ``c0 + c1 tau + c2 tau^2 + c3 tau^3``
    (tau in [0, 1], station already subtracted) for a Horner evaluation.
    """

    def __init__(self, r, v, dt, sites: Sites, s, g, i0, n):
        T = r.shape[2]
        self.N = s.size
        self.n = n
        self.dt = dt
        self.x0 = i0 * dt
        base = s * T + i0
        # Read the big track in address order (2-3x faster than in pass order:
        # fewer cache and TLB misses), then put the rows back in item order.
        order = np.argsort(base, kind="stable")
        idx = base[order][:, None] + np.arange(n + 1)
        R = np.empty((3, self.N, n + 1))
        V = np.empty((3, self.N, n + 1))
        for c in range(3):
            R[c, order] = r[c].reshape(-1)[idx]
            V[c, order] = v[c].reshape(-1)[idx]
        V *= dt
        r0, r1, v0, v1 = R[:, :, :-1], R[:, :, 1:], V[:, :, :-1], V[:, :, 1:]
        site = sites.pos[:, g][:, :, None]
        # (4, 3, N, n): Hermite basis rewritten in powers of tau.
        self.C = np.stack([r0 - site, v0, 3 * (r1 - r0) - 2 * v0 - v1, 2 * (r0 - r1) + v0 + v1])
        if n == 1:
            self.C = self.C[..., 0]
        self.up = sites.enu[2][:, g]
        self.gi = g
        self.sites = sites
        self.rows = np.arange(self.N)

    @classmethod
    def from_coeffs(cls, C, x0, dt, sites: Sites, g):
        """A one-segment local from power-form coefficients (4, 3, N) already gathered."""
        out = object.__new__(cls)
        out.N, out.n, out.dt, out.x0, out.C = C.shape[-1], 1, dt, np.asarray(x0, float), C
        out.up, out.gi, out.sites, out.rows = sites.enu[2][:, g], g, sites, np.arange(C.shape[-1])
        return out

    def _rel(self, x):
        u = (np.asarray(x, float) - self.x0) / self.dt
        if self.n == 1:
            C, tau = self.C, u
        else:
            seg = np.clip(np.floor(u).astype(np.int64), 0, self.n - 1)
            tau = u - seg
            C = self.C[:, :, self.rows, seg]
        return ((C[3] * tau + C[2]) * tau + C[1]) * tau + C[0]

    def sin_el(self, x):
        d = self._rel(x)
        return _dot(self.up, d) / np.sqrt(_dot(d, d))

    def g(self, x):
        """sin(el) - sin(threshold(az)): >= 0 where the satellite is visible."""
        d = self._rel(x)
        sin_el = _dot(self.up, d) / np.sqrt(_dot(d, d))
        if self.sites.table is None:
            return sin_el - self.sites.sin_floor[self.gi]
        return sin_el - self.sites.sin_threshold(self.gi, d)

    def _coeffs(self, x):
        u = (np.asarray(x, float) - self.x0) / self.dt
        if self.n == 1:
            return self.C, u
        seg = np.clip(np.floor(u).astype(np.int64), 0, self.n - 1)
        return self.C[:, :, self.rows, seg], u - seg

    def g_and_rate(self, x):
        """g and dg/dx (per second) for constant thresholds: one Newton step's worth."""
        C, tau = self._coeffs(x)
        d = ((C[3] * tau + C[2]) * tau + C[1]) * tau + C[0]
        d1 = (3 * C[3] * tau + 2 * C[2]) * tau + C[1]
        rho2 = _dot(d, d)
        rho = np.sqrt(rho2)
        ud = _dot(self.up, d)
        rate = (_dot(self.up, d1) * rho2 - ud * _dot(d, d1)) / (rho2 * rho) / self.dt
        return ud / rho - self.sites.sin_floor[self.gi], rate

    def slope_and_curvature(self, x):
        """H = (up.d')|d|^2 - (up.d)(d.d'), which has the sign of d sin(el)/dt, and dH/dtau."""
        C, tau = self._coeffs(x)
        d = ((C[3] * tau + C[2]) * tau + C[1]) * tau + C[0]
        d1 = (3 * C[3] * tau + 2 * C[2]) * tau + C[1]
        d2 = 6 * C[3] * tau + 2 * C[2]
        rho2 = _dot(d, d)
        ud, ud1, ud2 = _dot(self.up, d), _dot(self.up, d1), _dot(self.up, d2)
        dd1 = _dot(d, d1)
        H = ud1 * rho2 - ud * dd1
        dH = ud2 * rho2 + ud1 * dd1 - ud * (_dot(d1, d1) + _dot(d, d2))
        return H, dH

    def block(self, lo: int, hi: int) -> "_Local":
        """Items lo..hi-1 as views (no copy)."""
        out = object.__new__(_Local)
        out.__dict__.update(self.__dict__)
        out.C = self.C[..., lo:hi] if self.n == 1 else self.C[:, :, lo:hi]
        out.x0 = self.x0[lo:hi]
        out.up = self.up[:, lo:hi]
        out.gi = self.gi[lo:hi]
        out.N = hi - lo
        out.rows = np.arange(out.N)
        return out

    def subset(self, idx):
        """The local of items ``idx`` only."""
        out = object.__new__(_Local)
        out.__dict__.update(self.__dict__)
        out.C = self.C[..., idx] if self.n == 1 else self.C[:, :, idx]
        out.x0 = self.x0[idx]
        out.up = self.up[:, idx]
        out.gi = self.gi[idx]
        out.N = np.size(idx) if np.asarray(idx).dtype != bool else int(np.count_nonzero(idx))
        out.rows = np.arange(out.N)
        return out


def _local(r, v, dt, sites, keys, G, x_lo, n):
    """A :class:`_Local` whose n segments start at the node at or before ``x_lo``."""
    T = r.shape[2]
    n = min(n, T - 1)
    i0 = np.clip(np.floor(x_lo / dt + 1e-9).astype(np.int64), 0, T - 1 - n)
    return _Local(r, v, dt, sites, keys // G, keys % G, i0, n)


def find_passes(r_itrs_m, v_itrs_m_s, t_s, sites: Sites, *, scan_step_s: float | None = None,
                coarse_step_s: float = 60.0, screen_step_s: float = 300.0,
                chunk_bytes: int = 32 * 2**20, timings: dict | None = None) -> PassArrays:
    """All passes of S satellites over G stations, AOS/LOS refined on the mask.

    ``scan_step_s`` (default: the track step, which it must divide) is the
    sampling of the sign-change scan.  The cone screen runs in two levels:
    every ``screen_step_s`` over all satellite-station pairs, then every
    ``coarse_step_s`` inside the intervals the first level kept (both rounded
    to whole track steps).  ``chunk_bytes`` bounds the working set of each
    stage; ``timings``, if a dict, receives seconds per stage.
    """
    clock = _Clock(timings)
    r = np.asarray(r_itrs_m)
    v = np.asarray(v_itrs_m_s)
    t = np.asarray(t_s, float)
    _, S, T = r.shape
    G = sites.pos.shape[1]
    if T < 2:
        raise ValueError("find_passes needs at least two time samples")
    dt = float(t[1] - t[0])
    if dt <= 0 or not np.allclose(np.diff(t), dt, rtol=1e-9, atol=1e-9):
        raise ValueError("find_passes needs a uniform, increasing time grid")
    m = 1 if scan_step_s is None else max(1, int(round(dt / scan_step_s)))
    if scan_step_s is not None and abs(m * scan_step_s - dt) > 1e-6 * dt:
        raise ValueError(f"scan step {scan_step_s:g} s must divide the track step {dt:g} s")
    ds = dt / m
    k = max(1, int(round(coarse_step_s / dt)))     # track steps per coarse interval
    J = -(-(T - 1) // k)                             # coarse intervals
    f = max(1, int(round(screen_step_s / (k * dt))))  # coarse intervals per screen interval
    J1 = -(-J // f)                                  # screen intervals
    Q = (T - 1) * m                                  # last scan index
    L = k * m + 1                                    # scan samples per coarse interval

    # Per-satellite bounds from the coarse nodes (positions only: the strided
    # read of the track is the cost here, so velocities are not read).  One
    # contiguous copy of the nodes; arithmetic on the strided view would
    # stream the whole track again.
    rn = np.empty((3, S, J + 1))
    n_sl = -(-T // k)
    rn[:, :, :n_sl] = r[:, :, ::k]
    if n_sl < J + 1:                  # the last node is the grid's end
        rn[:, :, -1] = r[:, :, -1]
    t_nodes = np.minimum(np.arange(J + 1) * k, T - 1) * dt
    rad = np.sqrt(_dot(rn, rn))
    invalid = ~np.isfinite(rad)                      # (S, J+1): unknown, never pruned
    any_invalid = bool(invalid.any())
    rad_ok = np.where(invalid, 1.0, rad)
    rn /= rad_ok                                      # unit vectors, in place
    if any_invalid:
        rn[:, invalid] = 0.0
    # Largest radius: the nodes' maximum plus the overshoot a parabola through
    # three nodes allows between them (second difference x h^2 / 8, doubled).
    rad_f = np.where(invalid, 0.0, rad)
    second = np.abs(np.diff(rad_f, 2, axis=1)).max(axis=1, initial=0.0) if J >= 2 else np.zeros(S)
    r_max = rad_f.max(axis=1) + second / 4 + 1.0
    r_max = np.where(r_max > 1.0, r_max, np.inf)
    del rad, rad_ok, rad_f
    # Angular rate of the direction to the satellite seen from the Earth's
    # centre: the chord angle between consecutive nodes over their spacing,
    # taken at its largest and raised 5 % for the variation inside an interval.
    chord2 = np.zeros((S, J))
    for c in range(3):
        dc = np.diff(rn[c], axis=1)
        chord2 += dc * dc
    if any_invalid:                 # no rate across an unknown node
        chord2[invalid[:, 1:] | invalid[:, :-1]] = 0.0
    ang = 2.0 * np.arcsin(np.clip(np.sqrt(chord2) / 2.0, 0.0, 1.0))
    om_max = (ang / np.diff(t_nodes)).max(axis=1, initial=0.0) * 1.05
    del chord2, ang
    lam1, ghat = _cone_angles(sites, r_max, om_max, f * k * dt / 2)
    lam2, _ = _cone_angles(sites, r_max, om_max, 0.0)
    cos1 = np.where(lam1 >= np.pi, -2.0, np.cos(np.minimum(lam1, np.pi))).astype(np.float32)
    # Level 2 tests the sum of the two end angles (see the loop); its budget per pair:
    budget2 = 2.0 * lam2 + om_max[:, None] * k * dt
    # High orbits (cones wider than 45 deg): fall back to "either end within lam + w*dt/2",
    # written as a budget the ellipse test below always passes.
    wide = budget2 >= np.pi / 2
    cos_budget2 = np.where(wide, -1.0, np.cos(np.minimum(budget2, np.pi / 2))).astype(np.float32)
    cos_circle2 = np.where(wide, np.cos(np.minimum(lam2 + om_max[:, None] * k * dt / 2, np.pi)),
                           -2.0).astype(np.float32)
    any_wide = bool(wide.any())
    ghat32 = np.ascontiguousarray(ghat.T.astype(np.float32))        # (G, 3)
    if S * (J + 1) >= 2**31:
        raise ValueError("find_passes: more than 2**31 satellite-nodes; split the satellites")
    # Unit vectors at the coarse nodes, float32: the screen needs ~1e-5 rad, not 1e-16.
    unit_c = [rn[c].astype(np.float32).reshape(-1) for c in range(3)]   # (S*(J+1),) each
    nodes1 = np.minimum(np.arange(J1 + 1) * f, J)                       # screen nodes, coarse index
    unit1 = np.ascontiguousarray(rn[:, :, nodes1].transpose(1, 2, 0), dtype=np.float32)
    del rn
    inval1 = invalid[:, nodes1]
    clock("bounds")

    scan = _Scanner(r, v, sites, T, dt, m, k, Q, L, G)
    per_node = S * G * 6          # float32 cosine + two flags per satellite-station-node
    n1 = int(max(2, min(J1 + 1, chunk_bytes // max(1, per_node))))
    # Rows per scan batch: ~12 (N, L) float64 temporaries that stay in a 1-2 MiB cache.
    row_batch = max(1024, 2**18 // (L * 8))
    screened = 0
    a1 = 0
    while a1 < J1:
        b1 = min(J1, a1 + n1 - 1)
        # Level 1: (S, n, 3) @ (3, G), one thin matrix product for all pairs and nodes.
        near = np.matmul(unit1[:, a1:b1 + 1], ghat32.T) >= cos1[:, None, :]
        near |= inval1[:, a1:b1 + 1, None]
        flag = near[:, :-1]
        flag |= near[:, 1:]
        s1, jj1, g1 = np.nonzero(flag)
        del near, flag
        j1 = jj1 + a1
        a1 = b1
        clock("screen")
        # Level 2: the coarse nodes inside each kept screen interval, by gathered
        # dot products.  A satellite at angles a, b from the station at the ends
        # of an interval in which it moves at most w*dt is never closer than
        # (a + b - w*dt) / 2 (triangle inequality), so the interval is kept only
        # if a + b <= 2 lam + w*dt: an ellipse, ~20 % tighter than two circles.
        # int32 indices (S*(J+1) < 2**31 is checked below): half the memory traffic.
        first_node = (s1 * (J + 1) + j1 * f).astype(np.int32)
        flat = first_node[:, None] + np.arange(f + 1, dtype=np.int32)    # (M, f+1) coarse nodes
        partial = j1 == J1 - 1                                           # the last screen interval
        if partial.any():                # may run past the last coarse node
            lim = (s1 * (J + 1) + J).astype(np.int32)
            np.minimum(flat, lim[:, None], out=flat)
        gh = ghat32[g1]
        cosv = unit_c[0].take(flat) * gh[:, 0:1]
        cosv += unit_c[1].take(flat) * gh[:, 1:2]
        cosv += unit_c[2].take(flat) * gh[:, 2:3]
        if any_invalid:
            cosv[invalid.reshape(-1).take(flat)] = 1.0
        del flat
        # a + b <= B without arccos: first both ends within B (cheap), then, for those,
        # cos(a + b) >= cos(B) (valid as B < 90 deg keeps a + b in [0, 180 deg]).
        cb = cos_budget2[s1, g1][:, None]
        within = cosv >= cb
        flag2 = within[:, :-1] & within[:, 1:]
        hit = np.flatnonzero(flag2)                 # flat (M, f) indices, via 1-D takes
        rr, oo = np.divmod(hit, f)
        ca = cosv.reshape(-1).take(rr * (f + 1) + oo)
        cb_ = cosv.reshape(-1).take(rr * (f + 1) + oo + 1)
        sa_ = np.sqrt(np.maximum(1.0 - ca * ca, 0.0))
        sb_ = np.sqrt(np.maximum(1.0 - cb_ * cb_, 0.0))
        keep = ca * cb_ - sa_ * sb_ >= cb.reshape(-1).take(rr)
        rr, oo = rr[keep], oo[keep]
        if any_wide:
            cc = cos_circle2[s1, g1][:, None]
            wide_hit = (cosv[:, :-1] >= cc) | (cosv[:, 1:] >= cc)
            wide_hit[rr, oo] = False
            r2, o2 = np.nonzero(wide_hit)
            rr, oo = np.r_[rr, r2], np.r_[oo, o2]
        j_i = j1[rr] * f + oo
        ok = j_i < J
        rr, j_i = rr[ok], j_i[ok]
        s_i, g_i = s1[rr], g1[rr]
        screened += s_i.size
        del cosv, within, flag2, rr, oo, s1, g1, j1
        clock("screen2")
        for lo in range(0, s_i.size, row_batch):
            hi = min(s_i.size, lo + row_batch)
            scan(s_i[lo:hi], j_i[lo:hi], g_i[lo:hi])
            clock("scan")

    xk, xq, xa, xb, xr, xC, xx, st, en, pk, pq, pv, pm, pp, pC, pX, gk, gq = scan.results()
    del scan
    clock("collect")

    # Crossings: each scan interval lies inside one track segment (gathered by the scan);
    # rising and setting ones are refined together (the bracket's visible end is per item).
    t_x = _crossing(_Local.from_coeffs(xC, xx, dt, sites, xk % G), xq * ds, (xq + 1) * ds, xa, xb)
    del xC
    up_ = xr.astype(bool)
    dn = ~up_
    rk, rq, t_rise = xk[up_], xq[up_], t_x[up_]
    sk, sq, t_set = xk[dn], xq[dn], t_x[dn]
    t_rise = np.where(np.isfinite(t_rise), t_rise, (rq + 1) * ds)
    t_set = np.where(np.isfinite(t_set), t_set, sq * ds)
    clock("crossings")

    # Pair risings with settings: both sorted by (pair, scan index) alternate R, S, R, S.
    i64 = np.int64
    R_key = np.concatenate([rk, st])
    R_q = np.concatenate([rq + 1, np.zeros(st.size, i64)])
    R_t = np.concatenate([t_rise, np.zeros(st.size)])
    R_cut = np.concatenate([np.zeros(rk.size, bool), np.ones(st.size, bool)])
    S_key = np.concatenate([sk, en])
    S_q = np.concatenate([sq, np.full(en.size, Q, i64)])
    S_t = np.concatenate([t_set, np.full(en.size, Q * ds)])
    S_cut = np.concatenate([np.zeros(sk.size, bool), np.ones(en.size, bool)])
    ro = np.argsort(R_key * (Q + 1) + R_q, kind="stable")
    so = np.argsort(S_key * (Q + 1) + S_q, kind="stable")
    R_key, R_q, R_t, R_cut = R_key[ro], R_q[ro], R_t[ro], R_cut[ro]
    S_key, S_q, S_t, S_cut = S_key[so], S_q[so], S_t[so], S_cut[so]
    if R_key.size != S_key.size or np.any(R_key != S_key) or np.any(R_q > S_q):
        raise RuntimeError("internal error: rising and setting events do not alternate")

    # Peaks.  Each pass's row-interior maximum (if any) with the segment the scan gathered:
    P = R_key.size
    tca, smax = np.full(P, np.nan), np.full(P, np.nan)
    if P and pk.size:
        # Sorted queries make the binary searches cache-friendly; the entries arrive in
        # runs already sorted, which the stable sort exploits.
        pcode = pk * (Q + 1) + pq
        srt = np.argsort(pcode, kind="stable")
        pidx = np.empty(pcode.size, i64)
        pidx[srt] = np.searchsorted(R_key * (Q + 1) + R_q, pcode[srt], side="right") - 1
        best = np.full(P, -np.inf)
        np.maximum.at(best, pidx, pv)
        win = np.flatnonzero(pv == best[pidx])
        entry = np.full(P, -1, i64)
        entry[pidx[win]] = win
        have = np.flatnonzero(entry >= 0)
        e = entry[have]
        loc = _Local.from_coeffs(pC[..., e], pX[e], dt, sites, R_key[have] % G)
        ym_, y0_, yp_ = pm[e], pv[e], pp[e]
        rising = ym_ < yp_
        xh = pq[e] * ds
        a = np.where(rising, xh, np.maximum(xh - ds, R_t[have]))
        b = np.where(rising, np.minimum(xh + ds, S_t[have]), xh)
        delta = np.clip(0.5 * (ym_ - yp_) / (ym_ - 2.0 * y0_ + yp_), -1.0, 1.0)
        # A strict in-row maximum has lower samples on both sides: the peak is inside, no end
        # check; the parabola's guess is close, so two Newton steps converge.
        tca[have], smax[have] = _newton_peak(loc, a, b, np.clip(xh + delta * ds, a, b), rising,
                                             check_end=False, iterations=2)
        del loc
    # ... the others (peak sample on a coarse node, or at the pass's end) from AOS/LOS ...
    rest = np.flatnonzero(np.isnan(tca))
    clock("peaks")
    if rest.size:
        tca[rest], smax[rest] = _peak_between(r, v, dt, sites, G, R_key[rest], R_t[rest], S_t[rest])
    # ... and passes long enough to hold several maxima (high orbits) by a full scan of the pass.
    long_ = np.flatnonzero(S_t - R_t > LONG_PASS_S)
    if long_.size:
        lt, lv = _peak_long(r, v, dt, sites, G, R_key[long_], R_t[long_], S_t[long_], ds)
        better = lv > smax[long_]
        tca[long_[better]], smax[long_[better]] = lt[better], lv[better]
    clock("peaks_other")

    # Grazing passes: a local maximum just below the threshold whose interpolated peak is above it.
    # Candidates next to a crossing are the approach to (or departure from) a regular
    # pass, not a separate grazing one: drop them before gathering anything.
    if gk.size:
        gcode = gk * (Q + 1) + gq
        xc = np.sort(np.concatenate([rk * (Q + 1) + rq, sk * (Q + 1) + sq + 1]))
        near_x = xc.take(np.minimum(np.searchsorted(xc, gcode), max(xc.size - 1, 0)), mode="clip") == gcode \
            if xc.size else np.zeros(gcode.size, bool)
        gk, gq = gk[~near_x], gq[~near_x]
    gz = _grazing(r, v, dt, sites, G, gk, gq, Q, ds)
    clock("grazing")

    sat = np.concatenate([R_key // G, gz[0] // G])
    sta = np.concatenate([R_key % G, gz[0] % G])
    aos = np.concatenate([R_t, gz[1]])
    tca_all = np.concatenate([tca, gz[2]])
    los = np.concatenate([S_t, gz[3]])
    smax_all = np.concatenate([smax, gz[4]])
    order = np.lexsort((sta, sat, aos))
    stats = {"pair_intervals": int(S * G * J), "scanned_intervals": int(screened),
             "scan_samples": int(screened * L), "coarse_step_s": k * dt,
             "screen_step_s": f * k * dt, "scan_step_s": ds, "grazing_passes": int(gz[0].size)}
    return PassArrays(sat[order], sta[order], aos[order], tca_all[order], los[order],
                      np.arcsin(np.clip(smax_all[order], -1.0, 1.0)),
                      np.concatenate([R_cut, np.zeros(gz[0].size, bool)])[order],
                      np.concatenate([S_cut, np.zeros(gz[0].size, bool)])[order], stats)


# Threads pay off above roughly this much work (satellite-station-track steps):
# numpy releases the GIL in the array work, which is most of the search; below
# it, thread start-up and the merge cost more than they save.
PARALLEL_MIN_PAIR_STEPS = 20_000_000


def find_passes_parallel(r_itrs_m, v_itrs_m_s, t_s, sites: Sites, *, workers: int | None = None,
                         timings: dict | None = None, **options) -> PassArrays:
    """:func:`find_passes` over contiguous groups of satellites in ``workers`` threads.

    Satellites are searched independently (every bound and screen is per
    satellite), so the merged result equals the one-thread search exactly.
    ``workers=None`` uses every core for searches above
    ``PARALLEL_MIN_PAIR_STEPS``, else one thread.
    """
    from concurrent.futures import ThreadPoolExecutor

    _, S, T = np.shape(r_itrs_m)
    if workers is None:
        workers = (os.cpu_count() or 1) if S * sites.pos.shape[1] * T >= PARALLEL_MIN_PAIR_STEPS else 1
    workers = max(1, min(int(workers), S))
    if workers == 1:
        return find_passes(r_itrs_m, v_itrs_m_s, t_s, sites, timings=timings, **options)
    edges = [S * k // workers for k in range(workers + 1)]
    stage_times = [None if timings is None else {} for _ in range(workers)]

    def part(k):
        lo, hi = edges[k], edges[k + 1]
        return find_passes(r_itrs_m[:, lo:hi], v_itrs_m_s[:, lo:hi], t_s, sites,
                           timings=stage_times[k], **options)

    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(part, range(workers)))
    if timings is not None:
        for st in stage_times:
            for stage, sec in st.items():
                timings[stage] = timings.get(stage, 0.0) + sec
    return concat_pass_arrays(parts, edges[:-1])


def concat_pass_arrays(parts, sat_offsets) -> PassArrays:
    """One :class:`PassArrays` from searches of consecutive satellite groups, in the
    single search's order (AOS, then satellite, then station); counters summed."""
    sat = np.concatenate([p.sat + off for p, off in zip(parts, sat_offsets)])
    cat = lambda name: np.concatenate([getattr(p, name) for p in parts])  # noqa: E731
    station, aos = cat("station"), cat("aos_s")
    order = np.lexsort((station, sat, aos))
    stats = dict(parts[0].stats)
    for key in ("pair_intervals", "scanned_intervals", "scan_samples", "grazing_passes"):
        stats[key] = sum(p.stats[key] for p in parts)
    return PassArrays(sat[order], station[order], aos[order], cat("tca_s")[order], cat("los_s")[order],
                      cat("max_elevation_rad")[order], cat("aos_cut")[order], cat("los_cut")[order], stats)


class _Clock:
    """Optional per-stage timing (CPU seconds of the calling thread, accumulated into a dict)."""

    def __init__(self, out):
        import time

        self.out = out
        self.now = time.thread_time
        self.last = self.now()

    def __call__(self, stage):
        if self.out is None:
            return
        now = self.now()
        self.out[stage] = self.out.get(stage, 0.0) + now - self.last
        self.last = now


class _Scanner:
    """Evaluates kept (satellite, coarse interval, station) rows on the scan grid and keeps
    only what the refinement needs: sign changes (with the values on both sides),
    first/last-sample visibility, each row's highest visible sample (with its
    neighbours' values, for a parabolic first guess of the peak) and
    near-threshold local maxima."""

    NAMES = ("xk", "xq", "xa", "xb", "xr", "xC", "xx", "st", "en", "pk", "pq", "pv", "pm", "pp",
             "pc", "px", "gk", "gq")
    FLOATS = ("xa", "xb", "xx", "pv", "pm", "pp", "px")
    COEFFS = ("xC", "pc")

    def _coeffs(self, flat0, g, d=None, at=None):
        """Power-form Hermite coefficients (4, 3, n) of the segments starting at ``flat0``.

        With ``d`` (the scan's station-relative positions) and ``at`` (flat sample
        indices of the segment's start; scan step = track step), the positions come
        from ``d`` instead of a second read of the track.
        """
        dt = self.dt
        C = np.empty((4, 3, flat0.size))
        site = self.sites.pos[:, g]
        for c in range(3):
            if d is None:
                r0, r1 = self.r_flat[c][flat0], self.r_flat[c][flat0 + 1]
            else:
                dc = d[c].reshape(-1)
                r0, r1 = dc.take(at) + site[c], dc.take(at + 1) + site[c]
            v0, v1 = self.v_flat[c][flat0] * dt, self.v_flat[c][flat0 + 1] * dt
            C[0, c] = r0 - site[c]
            C[1, c] = v0
            C[2, c] = 3 * (r1 - r0) - 2 * v0 - v1
            C[3, c] = 2 * (r0 - r1) + v0 + v1
        return C

    def __init__(self, r, v, sites, T, dt, m, k, Q, L, G):
        self.r_flat = [r[c].reshape(-1) for c in range(3)]
        self.v_flat = [v[c].reshape(-1) for c in range(3)]
        self.sites, self.T, self.dt, self.m, self.k, self.Q, self.L, self.G = sites, T, dt, m, k, Q, L, G
        self.p_off = np.arange(L)
        if m > 1:
            self.node_of = self.p_off // m
            tau = (self.p_off % m) / m
            tau2, tau3 = tau * tau, tau * tau * tau
            self.H = np.stack([2 * tau3 - 3 * tau2 + 1, (tau3 - 2 * tau2 + tau) * dt,
                               -2 * tau3 + 3 * tau2, (tau3 - tau2) * dt])
        self.parts = {name: [] for name in self.NAMES}

    def __call__(self, s_i, j, g_i):
        T, m, k, Q, L, G = self.T, self.m, self.k, self.Q, self.L, self.G
        sites = self.sites
        pos, up = sites.pos, sites.enu[2]
        base_q = j * (k * m)
        qs = base_q[:, None] + self.p_off            # (N, L) scan indices
        # Only the last coarse interval can run past the grid's end.
        all_in = int(base_q.max()) + L - 1 <= Q
        in_range = True if all_in else qs <= Q
        d = []
        if m == 1:
            flat = s_i[:, None] * T + (qs if all_in else np.minimum(qs, T - 1))
            for c in range(3):
                dc = self.r_flat[c].take(flat)
                dc -= pos[c, g_i][:, None]
                d.append(dc)
        else:
            # Gather each row's k+1 track nodes once, then evaluate the Hermite
            # cubic of every scan sample from those (small, cached) arrays.
            nodes = np.minimum(j[:, None] * k + np.arange(k + 1), T - 1)
            flat = s_i[:, None] * T + nodes
            n0 = np.minimum(self.node_of, k - 1)       # segment of each sample
            tau_last = self.node_of > n0               # the row's end node: tau = 1
            H = np.where(tau_last, np.array([[0.0], [0.0], [1.0], [0.0]]), self.H)
            for c in range(3):
                rn_, vn_ = self.r_flat[c][flat], self.v_flat[c][flat]
                val = H[0] * rn_[:, n0] + H[1] * vn_[:, n0] + H[2] * rn_[:, n0 + 1] + H[3] * vn_[:, n0 + 1]
                val -= pos[c, g_i][:, None]
                d.append(val)
        u_ = up[0, g_i][:, None] * d[0]
        u_ += up[1, g_i][:, None] * d[1]
        u_ += up[2, g_i][:, None] * d[2]
        rho2 = d[0] * d[0]
        rho2 += d[1] * d[1]
        rho2 += d[2] * d[2]
        np.sqrt(rho2, out=rho2)
        sin_el = np.divide(u_, rho2, out=u_)
        del rho2
        if sites.table is None:
            gval = sin_el - sites.sin_floor[g_i][:, None]
        else:
            gval = sin_el - sites.sin_threshold(g_i, np.stack(d))
        d_nodes = d if m == 1 else None        # scan samples are track nodes: reuse them
        del d
        if not all_in:
            gval[~in_range] = np.nan
            sin_el[~in_range] = np.nan
        vis = gval >= 0.0
        key = s_i.astype(np.int64) * G + g_i
        P = self.parts
        # Bookkeeping by flat indices and 1-D takes (2-D fancy indexing is several times slower).
        gflat, sflat, vflat = gval.reshape(-1), sin_el.reshape(-1), vis.reshape(-1)

        change = vis[:, :-1] != vis[:, 1:]
        if not all_in:
            change &= in_range[:, 1:]
        hit = np.flatnonzero(change)
        rw, pp = np.divmod(hit, L - 1)
        at = rw * L + pp                          # flat index of the earlier sample
        # The Hermite segment of each crossing, gathered here: the rows of a batch are in
        # satellite order, so these reads hit memory the scan has just touched.
        q = base_q.take(rw) + pp
        seg = q // m
        P["xk"].append(key.take(rw))
        P["xq"].append(q)
        P["xa"].append(gflat.take(at))
        P["xb"].append(gflat.take(at + 1))
        P["xr"].append(vflat.take(at + 1).astype(np.int64))     # rising: the later sample is visible
        P["xC"].append(self._coeffs(s_i.take(rw) * T + seg, g_i.take(rw), d_nodes, at))
        P["xx"].append(seg * self.dt)
        if j.min() == 0:
            P["st"].append(key[(j == 0) & vis[:, 0]])
        lr = np.flatnonzero((base_q <= Q) & (base_q + L - 1 >= Q))
        if lr.size:
            P["en"].append(key[lr[vflat.take(lr * L + Q - base_q[lr])]])
        # Rows whose highest visible sample is a strict local maximum inside the row: that
        # is the pass's peak sample (elevation has one maximum per LEO pass).  Its Hermite
        # segment, on the side the parabola through the three samples points to, is
        # gathered now while this memory is hot.  Passes whose peak sample is a row's end
        # (a coarse node) or the pass's end are refined from AOS/LOS instead.
        score = np.where(vis, sin_el, -np.inf)
        pa = np.argmax(score, axis=1)
        rows = np.arange(pa.size)
        best = score.reshape(-1).take(rows * L + pa)
        anyv = best > -np.inf
        inner = np.flatnonzero(anyv & (pa > 0) & (pa < L - 1))
        if inner.size:
            fa_ = inner * L + pa.take(inner)
            y_0 = best.take(inner)
            y_m, y_p = sflat.take(fa_ - 1), sflat.take(fa_ + 1)
            ok = (y_m <= y_0) & (y_p <= y_0) & (y_m - 2.0 * y_0 + y_p < 0)
            inner, fa_, y_0, y_m, y_p = inner[ok], fa_[ok], y_0[ok], y_m[ok], y_p[ok]
            q = base_q.take(inner) + pa.take(inner)
            q0 = q - (y_p <= y_m)                       # start of the scan interval with the peak
            P["pk"].append(key.take(inner))
            P["pq"].append(q)
            P["pv"].append(y_0)
            P["pm"].append(y_m)
            P["pp"].append(y_p)
            P["pc"].append(self._coeffs(s_i.take(inner) * T + q0 // m, g_i.take(inner), d_nodes,
                                        inner * L + (q0 - base_q.take(inner))))
            P["px"].append((q0 // m) * self.dt)
        nov = np.flatnonzero(~anyv)
        if nov.size:
            gv = gval[nov]
            if not all_in:
                gv[~np.isfinite(gv)] = -np.inf
            pa = np.argmax(gv, axis=1)
            close = gv.reshape(-1).take(np.arange(pa.size) * L + pa) > -GRAZE_SIN
            if close.any():
                P["gk"].append(key[nov[close]])
                P["gq"].append(base_q[nov[close]] + pa[close])

    def results(self):
        out = []
        for name in self.NAMES:
            parts = self.parts.pop(name)
            if name in self.COEFFS:
                out.append(np.concatenate(parts, axis=-1) if parts else np.empty((4, 3, 0)))
                continue
            dtype = np.float64 if name in self.FLOATS else np.int64
            out.append(np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype))
        return out


def _peak_between(r, v, dt, sites, G, keys, lo, hi, rounds: int = 8):
    """Maximum of sin(el) between ``lo`` and ``hi`` (a pass's AOS and LOS), for passes whose
    peak sample lies on a coarse node or at the pass's end.

    Starts in the track segment at the middle of the pass and walks one segment
    towards the peak while the slope at the segment's end says it lies beyond
    (LEO passes are nearly symmetric: one or two steps); then Newton in that segment.
    """
    n = keys.size
    x_out, v_out = np.empty(n), np.empty(n)
    x = 0.5 * (lo + hi)
    todo = np.arange(n)
    for it in range(rounds):
        loc = _local(r, v, dt, sites, keys[todo], G, x[todo], 1)
        lo_t, hi_t = lo[todo], hi[todo]
        a = np.maximum(loc.x0, lo_t)
        b = np.minimum(loc.x0 + dt, hi_t)
        Ha, _ = loc.slope_and_curvature(a)
        Hb, _ = loc.slope_and_curvature(b)
        left = (Ha <= 0) & (a > lo_t)
        right = (Hb >= 0) & (b < hi_t) & ~left
        here = ~(left | right) if it < rounds - 1 else np.ones(todo.size, bool)
        if here.any():
            h = np.flatnonzero(here)
            sub = loc.subset(h)
            # Inside [a, b]: rising at a unless the pass starts falling (peak at a).
            xs, vs = _newton_peak(sub, a[h], b[h], 0.5 * (a[h] + b[h]), Ha[h] > 0)
            xs = np.where(Ha[h] <= 0, a[h], xs)
            x_out[todo[h]] = xs
            v_out[todo[h]] = sub.sin_el(xs)
        x[todo[left]] = a[left] - 1e-6 * dt
        x[todo[right]] = b[right] + 1e-6 * dt
        todo = todo[left | right]
        if todo.size == 0:
            break
    return x_out, v_out


def _peak_long(r, v, dt, sites, G, keys, lo, hi, ds):
    """Highest scan sample of each (long) pass, then refined next to it."""
    n_s = np.floor((hi - lo) / ds).astype(np.int64) + 1
    rep = np.repeat(np.arange(keys.size), n_s)
    off = np.arange(rep.size) - np.repeat(np.cumsum(n_s) - n_s, n_s)
    x = np.minimum(lo[rep] + off * ds, hi[rep])
    traj = _Trajectory(r, v, np.arange(2) * dt)
    traj.T = r.shape[2]
    pos = traj.at(keys[rep] // G, x)
    d = pos - sites.pos[:, keys[rep] % G]
    val = _dot(sites.enu[2][:, keys[rep] % G], d) / np.sqrt(_dot(d, d))
    best = np.full(keys.size, -np.inf)
    np.maximum.at(best, rep, val)
    win = np.flatnonzero(val == best[rep])
    xq = np.empty(keys.size)
    xq[rep[win]] = x[win]
    return _refine_peak(r, v, dt, sites, G, keys, xq, ds, lo, hi)


def _refine_peak(r, v, dt, sites, G, keys, xq, ds, lo_lim, hi_lim, y_m=None, y_0=None, y_p=None):
    """Time and sin(elevation) of the maximum near scan sample ``xq`` within [lo_lim, hi_lim].

    A parabola through the sample and its two neighbours (``y_m``, ``y_0``,
    ``y_p``, sin(el) values; NaN where unknown) gives the side of the peak and
    a first guess; without them, the slope at ``xq`` gives the side.  That scan
    interval lies inside one track segment, where a safeguarded Newton
    iteration on the slope converges quadratically from the guess.
    """
    n = keys.size
    side = np.zeros(n, np.int8)
    guess = np.full(n, np.nan)
    if y_m is not None:
        denom = y_m - 2.0 * y_0 + y_p
        ok = np.isfinite(denom) & (denom < 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.clip(0.5 * (y_m - y_p) / denom, -1.0, 1.0)
        side = np.where(ok, np.where(delta > 0, 1, -1), 0).astype(np.int8)
        guess = np.where(ok, xq + delta * ds, np.nan)
    unknown = np.flatnonzero(side == 0)
    if unknown.size:
        right = _local(r, v, dt, sites, keys[unknown], G, xq[unknown], 1)
        H0, _ = right.slope_and_curvature(xq[unknown])
        side[unknown] = np.where(H0 > 0, 1, -1)
    rising = side > 0
    a = np.where(rising, xq, np.maximum(xq - ds, lo_lim))
    b = np.where(rising, np.minimum(xq + ds, hi_lim), xq)
    loc = _local(r, v, dt, sites, keys, G, np.minimum(a, b), 1)
    x0 = np.where(np.isfinite(guess), np.clip(guess, a, b), 0.5 * (a + b))
    return _newton_peak(loc, a, b, x0, rising)


def _newton_peak(loc, a, b, x, rising, check_end: bool = True, iterations: int | None = None):
    """:func:`_newton_peak_block` over blocks of items small enough for the CPU cache."""
    n = np.size(a)
    if n <= REFINE_BLOCK:
        return _newton_peak_block(loc, a, b, x, rising, check_end, iterations)
    tx, val = np.empty(n), np.empty(n)
    for lo in range(0, n, REFINE_BLOCK):
        hi = min(n, lo + REFINE_BLOCK)
        tx[lo:hi], val[lo:hi] = _newton_peak_block(loc.block(lo, hi), a[lo:hi], b[lo:hi], x[lo:hi],
                                                   rising[lo:hi], check_end, iterations)
    return tx, val


def _newton_peak_block(loc, a, b, x, rising, check_end=True, iterations=None):
    """Maximum of sin(el) on [a, b] (one segment) where it rises at ``a`` (``rising``) or
    falls at ``b`` (otherwise).  ``check_end``: also test the other end, in case the
    function is monotonic there and the peak is that end."""
    if check_end:
        other = np.where(rising, b, a)
        H_end, _ = loc.slope_and_curvature(other)
        at_end = np.where(rising, H_end >= 0, H_end <= 0)
    lo, hi = a.copy(), b.copy()
    for _ in range(PEAK_NEWTON_ITERATIONS if iterations is None else iterations):
        H, dH = loc.slope_and_curvature(x)
        up_ = H > 0
        lo = np.where(up_, x, lo)
        hi = np.where(up_, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - H / dH * loc.dt
        ok = (dH < 0) & (step >= lo) & (step <= hi)
        x = np.where(ok, step, 0.5 * (lo + hi))
    if check_end:
        x = np.where(at_end, other, x)
    return x, loc.sin_el(x)


def _grazing(r, v, dt, sites, G, gk, gq, Q, ds):
    empty = (np.empty(0, np.int64),) + tuple(np.empty(0) for _ in range(4))
    if gk.size == 0:
        return empty
    code = np.unique(gk * (Q + 1) + gq)
    gk, gq = code // (Q + 1), code % (Q + 1)
    inner = (gq > 0) & (gq < Q)
    gk, gq = gk[inner], gq[inner]
    if gk.size == 0:
        return empty
    lo, hi = (gq - 1) * ds, (gq + 1) * ds
    loc = _local(r, v, dt, sites, gk, G, lo, 2)
    g0, gm, gp = loc.g(gq * ds), loc.g(lo), loc.g(hi)
    keep = (g0 >= gm) & (g0 >= gp) & (g0 < 0)
    if not keep.any():
        return empty
    gk, gq, lo, hi, gm, gp = gk[keep], gq[keep], lo[keep], hi[keep], gm[keep], gp[keep]
    loc = _local(r, v, dt, sites, gk, G, lo, 2)
    tpk, gpk = _golden_max(loc.g, lo, hi)
    above = gpk > 0
    if not above.any():
        return empty
    gk, lo, hi, gm, gp, tpk, gpk = (a[above] for a in (gk, lo, hi, gm, gp, tpk, gpk))
    loc = _local(r, v, dt, sites, gk, G, lo, 2)
    aos = _illinois(loc.g, lo, tpk)
    los = _illinois(loc.g, tpk, hi)
    return gk, aos, tpk, los, loc.sin_el(tpk)


def _crossing(loc: "_Local", a, b, fa=None, fb=None):
    """:func:`_crossing_block` over blocks of items small enough for the CPU cache."""
    n = np.size(a)
    if n <= REFINE_BLOCK:
        return _crossing_block(loc, a, b, fa, fb)
    out = np.empty(n)
    for lo in range(0, n, REFINE_BLOCK):
        hi = min(n, lo + REFINE_BLOCK)
        out[lo:hi] = _crossing_block(loc.block(lo, hi), a[lo:hi], b[lo:hi],
                                     None if fa is None else fa[lo:hi], None if fb is None else fb[lo:hi])
    return out


def _crossing_block(loc: "_Local", a, b, fa=None, fb=None):
    """Time in [a, b] where ``loc.g`` changes sign (``fa``, ``fb``: g at the ends, if known).

    Constant thresholds: safeguarded Newton from the secant point (bisection
    when a step leaves the bracket), quadratic convergence; items that have
    converged (step below a microsecond) drop out, so the few near-grazing
    crossings that need more steps do not cost a full pass each.  Azimuth
    masks (piecewise linear in azimuth, no useful derivative): Illinois.
    """
    if loc.sites.table is not None or np.size(a) == 0:
        return _illinois(loc.g, a, b)
    a = np.array(a, float)
    b = np.array(b, float)
    if fa is None or fb is None:
        fa, _ = loc.g_and_rate(a)
        fb, _ = loc.g_and_rate(b)
    fa, fb = np.asarray(fa, float), np.asarray(fb, float)
    rising = fb >= 0            # the visible end is b
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.where(fb != fa, (a * fb - b * fa) / (fb - fa), 0.5 * (a + b))
    x = np.clip(x, a, b)
    out = x.copy()
    idx = np.arange(a.size)
    lo, hi = a.copy(), b.copy()
    for it in range(ROOT_NEWTON_ITERATIONS):
        f, df = loc.g_and_rate(x)
        to_hi = (f >= 0) == rising           # x replaces the end in the same state
        hi = np.where(to_hi, x, hi)
        lo = np.where(to_hi, lo, x)
        with np.errstate(invalid="ignore", divide="ignore"):
            step = x - f / df
        ok = np.isfinite(step) & (step >= lo) & (step <= hi)
        new = np.where(ok, step, 0.5 * (lo + hi))
        out[idx] = new
        # Quadratic convergence: after a step under CROSSING_TOL_S the error is ~its square.
        moving = ~(np.abs(new - x) < CROSSING_TOL_S)
        x = new
        if it + 1 < ROOT_NEWTON_ITERATIONS and not moving.all():
            keep = np.flatnonzero(moving)
            if keep.size == 0:
                break
            idx, x, lo, hi, rising = idx[keep], x[keep], lo[keep], hi[keep], rising[keep]
            loc = loc.subset(keep)
    bad = ~np.isfinite(fa) | ~np.isfinite(fb)
    return np.where(bad, np.nan, out)


def _illinois(fun, a, b, iterations: int = ILLINOIS_ITERATIONS):
    """Root of ``fun`` in [a, b] where ``fun(a)`` and ``fun(b)`` straddle 0 (Illinois method, vectorized).

    The sign convention is the visibility test's (>= 0 is 'visible'), so the
    root is the boundary between the two states.  Converges superlinearly
    (order ~1.44); 10 iterations from a 10 s bracket reach microseconds.
    """
    a = np.array(a, float)
    b = np.array(b, float)
    if a.size == 0:
        return a
    fa, fb = fun(a), fun(b)
    side = np.zeros(a.shape, np.int8)
    c = 0.5 * (a + b)
    for _ in range(iterations):
        denom = fb - fa
        with np.errstate(invalid="ignore", divide="ignore"):
            c = np.where(denom != 0, (a * fb - b * fa) / denom, 0.5 * (a + b))
        c = np.clip(c, np.minimum(a, b), np.maximum(a, b))
        fc = fun(c)
        same_b = (fc >= 0) == (fb >= 0)
        # Replace the end with the same state; halve the other end's value if
        # the same end was replaced twice in a row (the Illinois modification).
        fa = np.where(same_b & (side == 1), fa * 0.5, fa)
        fb = np.where(~same_b & (side == -1), fb * 0.5, fb)
        b = np.where(same_b, c, b)
        fb = np.where(same_b, fc, fb)
        a = np.where(same_b, a, c)
        fa = np.where(same_b, fa, fc)
        side = np.where(same_b, 1, -1).astype(np.int8)
    bad = ~np.isfinite(fa) | ~np.isfinite(fb)
    return np.where(bad, np.nan, c)


def _golden_max(fun, lo, hi, iterations: int = GOLDEN_ITERATIONS):
    """Maximum of ``fun`` on [lo, hi] by golden-section search (vectorized): (x, f(x))."""
    a = np.array(lo, float)
    b = np.array(hi, float)
    if a.size == 0:
        return a, a.copy()
    c = b - _GOLD * (b - a)
    d = a + _GOLD * (b - a)
    fc, fd = fun(c), fun(d)
    for _ in range(iterations):
        left = fc >= fd          # the maximum is in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        # The surviving interior point is reused; one new evaluation per step.
        new_x = np.where(left, b - _GOLD * (b - a), a + _GOLD * (b - a))
        f_new = fun(new_x)
        c_old, fc_old = c, fc
        c = np.where(left, new_x, d)
        fc = np.where(left, f_new, fd)
        d = np.where(left, c_old, new_x)
        fd = np.where(left, fc_old, f_new)
    x = np.where(fc >= fd, c, d)
    fx = np.maximum(fc, fd)
    # The ends can win when the maximum is at the bracket edge (passes cut by the window).
    fa_, fb_ = fun(np.array(lo, float)), fun(np.array(hi, float))
    x = np.where(fa_ > fx, lo, x)
    fx = np.maximum(fx, fa_)
    x = np.where(fb_ > fx, hi, x)
    fx = np.maximum(fx, fb_)
    return x, fx


# --- coverage ---------------------------------------------------------------------------------

def _directions_by_time_block(r, rad, step: int):
    """Blocks of ``step`` time samples of a (3, S, T) track with radii ``rad`` (S, T):
    ``(lo, hi, positions (3, S*(hi-lo)), flat indices of the valid samples, their unit
    vectors (3, n))``, skipping blocks with no valid sample."""
    T = r.shape[2]
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        rc = r[:, :, lo:hi].reshape(3, -1)
        nr = rad[:, lo:hi].reshape(-1)
        idx = np.flatnonzero(np.isfinite(nr))
        if idx.size:
            yield lo, hi, rc, idx, rc[:, idx] / nr[idx]


def coverage_counts(r_itrs_m, valid, sites: Sites, *, chunk_bytes: int = 64 * 2**20):
    """For each site, the number of time samples at which at least one satellite is above its threshold.

    Pruning: a k-d tree over the sites' geocentric unit vectors returns, for
    each satellite-time, the sites inside the largest cone any satellite could
    be visible in (same bound as the pass search, no time margin); only those
    pairs get an exact elevation test.  Returns ``(counts (P,), samples)``
    where ``samples`` is the number of time steps with at least one valid
    satellite.
    """
    from scipy.spatial import cKDTree

    r = np.asarray(r_itrs_m, float)
    _, S, T = r.shape
    P = sites.pos.shape[1]
    rad = np.sqrt(_dot(r, r))
    ok = np.isfinite(rad)
    r_hi = float(np.max(rad[ok])) if ok.any() else np.inf
    r_lo = float(np.min(rad[ok])) if ok.any() else np.inf
    lam, ghat = _cone_angles(sites, np.array([r_hi]), np.zeros(1), 0.0)
    lam_out = min(math.pi, float(np.max(lam)))
    chord = 2.0 * math.sin(lam_out / 2.0) + 1e-9
    # Inner cone: a satellite closer than this to every site's vertical is above
    # every threshold (lowest radius, highest threshold plus tilt, largest site
    # radius); only the annulus between the cones needs the exact test.
    rho = np.linalg.norm(sites.pos, axis=0)
    tilt = np.arccos(np.clip(_dot(sites.enu[2], ghat), -1.0, 1.0))
    top = np.max(sites.table, axis=1) if sites.table is not None else sites.floor_rad
    eps_in = float(np.max(top + tilt)) + 1e-9
    lam_in = math.acos(min(1.0, float(np.max(rho)) * math.cos(eps_in) / r_lo)) - eps_in - 1e-6
    chord_in = 2.0 * math.sin(max(lam_in, 0.0) / 2.0) if lam_in > 0 else -1.0
    tree = cKDTree(ghat.T)
    counts = np.zeros(P, np.int64)
    step = max(1, int(chunk_bytes // max(1, S * 3 * 8 * 8)))
    ok_t = np.asarray(valid).any(axis=0)
    up = sites.enu[2]
    for lo, hi, rc, idx, unit in _directions_by_time_block(r, rad, step):
        pairs = cKDTree(unit.T).sparse_distance_matrix(tree, chord, output_type="ndarray")
        if pairs.size == 0:
            continue
        a = idx[pairs["i"]]
        p = pairs["j"].astype(np.int64)
        sure = pairs["v"] <= chord_in
        check = np.flatnonzero(~sure)
        ac, pc = a[check], p[check]
        d = rc[:, ac] - sites.pos[:, pc]
        hit = _dot(up[:, pc], d) / np.sqrt(_dot(d, d)) >= sites.sin_threshold(pc, d)
        covered = np.zeros((P, hi - lo), bool)
        covered[p[sure], a[sure] % (hi - lo)] = True
        covered[pc[hit], ac[hit] % (hi - lo)] = True
        counts += covered.sum(axis=1)
    return counts, int(ok_t.sum())


def grid_coverage_counts(r_itrs_m, valid, lat_rad, lon_rad, min_elevation_rad: float, *,
                         chunk_bytes: int = 64 * 2**20):
    """:func:`coverage_counts` for a regular latitude/longitude grid of cell centres (faster).

    ``lat_rad`` (n_lat,) and ``lon_rad`` (n_lon,) are evenly spaced geodetic
    cell centres; returns ``(counts (n_lat, n_lon), samples)``.  For each
    satellite-time the candidate cells are a latitude/longitude box around the
    sub-satellite point that contains the widest visibility cone (plus the
    geodetic/geocentric tilt); each candidate gets the exact elevation test.
    """
    from . import frames

    r = np.asarray(r_itrs_m, float)
    _, S, T = r.shape
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    n_lat, n_lon = lat.size, lon.size
    dlat = float(lat[1] - lat[0]) if n_lat > 1 else math.pi
    dlon = float(lon[1] - lon[0]) if n_lon > 1 else 2 * math.pi
    LA, LO = np.meshgrid(lat, lon, indexing="ij")
    pos = frames.geodetic_to_itrs(LA.ravel(), LO.ravel(), np.zeros(LA.size))
    enu = enu_basis(LA.ravel(), LO.ravel())
    up = enu[2]
    sites = Sites.make(pos, enu, np.full(LA.size, float(min_elevation_rad)))
    rad = np.sqrt(_dot(r, r))
    ok = np.isfinite(rad)
    r_hi = float(np.max(rad[ok])) if ok.any() else np.inf
    lam_all, _ = _cone_angles(sites, np.array([r_hi]), np.zeros(1), 0.0)
    lam = min(math.pi, float(np.max(lam_all))) + math.radians(0.2)   # + geodetic/geocentric latitude
    sin_thr = math.sin(float(min_elevation_rad))
    # Cell tables over three turns of longitude (see the loop), flat (n_lat * 3 * n_lon,).
    pos_x, pos_y, pos_z, up_x, up_y, up_z = (np.tile(c.reshape(n_lat, n_lon), (1, 3)).reshape(-1)
                                             for c in (*pos, *up))
    counts = np.zeros(n_lat * n_lon, np.int64)
    step = max(1, int(chunk_bytes // max(1, S * 8 * 200)))
    for lo, hi, rc, idx, (x, y, z) in _directions_by_time_block(r, rad, step):
        phi = np.arcsin(np.clip(z, -1.0, 1.0))
        lmb = np.arctan2(y, x)
        i_lo = np.clip(np.ceil((phi - lam - lat[0]) / dlat - 1e-9), 0, n_lat - 1).astype(np.int64)
        i_hi = np.clip(np.floor((phi + lam - lat[0]) / dlat + 1e-9), 0, n_lat - 1).astype(np.int64)
        # Widest longitude half-width over the box's latitudes (at its most poleward edge).
        edge = np.minimum(np.abs(phi) + lam, math.pi / 2)
        with np.errstate(invalid="ignore", divide="ignore"):
            half = np.arcsin(np.clip(math.sin(lam) / np.cos(edge), -1.0, 1.0))
        half = np.where((np.cos(edge) <= math.sin(lam)) | (edge >= math.pi / 2 - 1e-12), math.pi, half)
        j_lo = np.ceil((lmb - half - lon[0]) / dlon - 1e-9).astype(np.int64)
        j_hi = np.floor((lmb + half - lon[0]) / dlon + 1e-9).astype(np.int64)
        nc = np.minimum(j_hi - j_lo + 1, n_lon)
        nr_ = np.maximum(i_hi - i_lo + 1, 0)
        # Candidates one box row at a time: a satellite-time's candidates are consecutive,
        # so its position is repeated (a sequential copy) rather than gathered, and the
        # column offsets need no integer division.  Longitudes index cell tables repeated
        # three times around the globe (columns -n_lon .. 2 n_lon - 1), so a box that
        # crosses the antimeridian needs no modulo either; the copies are OR-ed at the
        # end.  The test is the same expression (up . d >= sin(threshold) |d|, d = r -
        # site) in the same order as a direct evaluation.
        W = hi - lo
        rx, ry, rz = rc[0, idx], rc[1, idx], rc[2, idx]
        t_of = idx % W
        covered = np.zeros(n_lat * 3 * n_lon * W, bool)
        for q in range(int(nr_.max(initial=0))):
            sel = np.flatnonzero(nr_ > q)
            ncs = nc[sel]
            col = np.arange(int(ncs.sum())) - np.repeat(np.cumsum(ncs) - ncs, ncs)
            cell = np.repeat((i_lo[sel] + q) * (3 * n_lon) + j_lo[sel] + n_lon, ncs) + col
            dx = np.repeat(rx[sel], ncs) - pos_x.take(cell)
            dy = np.repeat(ry[sel], ncs) - pos_y.take(cell)
            dz = np.repeat(rz[sel], ncs) - pos_z.take(cell)
            up_d = up_x.take(cell) * dx + up_y.take(cell) * dy + up_z.take(cell) * dz
            hit = up_d >= sin_thr * np.sqrt(dx * dx + dy * dy + dz * dz)
            covered[(cell * W + np.repeat(t_of[sel], ncs))[hit]] = True
        wrapped = covered.reshape(n_lat, 3, n_lon, W)
        counts += (wrapped[:, 0] | wrapped[:, 1] | wrapped[:, 2]).sum(axis=2).reshape(-1)
    return counts.reshape(n_lat, n_lon), int(np.asarray(valid).any(axis=0).sum())
