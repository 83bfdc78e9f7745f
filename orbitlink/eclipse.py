"""Eclipses, beta angle, sunlight and the power they allow, for one satellite or a constellation.

What is computed
----------------
:func:`eclipses` runs over a time span in chunks and returns an
:class:`EclipseReport`: for every satellite the sunlit fraction (penumbra
counted by the visible fraction of the solar disk), the fractions of time in
umbra and penumbra, every eclipse's entry and exit (refined to a millisecond
between the grid samples, umbra and penumbra separately, intervals cut by the
window or by invalid samples flagged), the mean and longest eclipse, the
eclipse fraction per orbit, the beta-angle range, and the eclipse seasons
(date ranges with any eclipse, split where a satellite goes more than a day --
or 1.5 orbital periods -- without one).  :meth:`EclipseReport.power` turns a
report into the orbit-average power of a sun-tracking array and the battery
energy needed to ride the longest eclipse.

Smaller helpers work on a :class:`~orbitlink.track.Track` sample by sample:
:func:`beta_angle`, :func:`illuminated_fraction`, :func:`shadow_state`; and
:func:`analytic_eclipse_fraction` is the closed form for a circular orbit.

How
---
Shadow geometry is in :mod:`orbitlink.core.shadow` (cylindrical, and conical
after Montenbruck & Gill sec. 3.4.2, the default); the Sun is DE421's apparent
position (:mod:`orbitlink.sun`), interpolated once per time step and shared by
all satellites.  Each chunk of time steps is classified sample by sample, sign
changes of the shadow functions bracket the crossings, a vectorized Illinois
root finder refines them (to 1 ms) on the exact geometry between samples, and
grazing eclipses shorter than a step are caught at local minima of the shadow
function.  Interval bookkeeping is carried from chunk to chunk per satellite,
so memory is bounded by the chunk, not the span.

Positions come from one of three sources:

- a :class:`Track` you already have (positions interpolated between samples
  with cubic Hermite polynomials from positions and velocities);
- designed *circular* orbits (analytic J2-secular or two-body): a closed form
  evaluated straight into ``r_hat . s_hat`` plane by plane, never forming the
  (3, S, T) positions.  :func:`orbitlink.api.propagate` would also rotate every
  state to ITRS, one nutation/precession evaluation per time step (about 4.7 s
  per satellite-month at 60 s), which an eclipse does not need;
- anything else (TLE/OMM element sets, eccentric orbits, hapsira Cowell):
  propagated chunk by chunk through :func:`orbitlink.api.propagate` on
  sub-grids (eccentric analytic orbits straight through
  :func:`orbitlink.core.kepler.propagate`, GCRS only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import astropy.units as u
import numpy as np
from astropy.time import Time

from .constants import AU_M, DAY_S, MU_EARTH_M3_S2, R_EARTH_M
from .core import kepler
from .core import shadow as core
from .errors import OrbitlinkError, OrbitSpecError, QuantityError, TimeGridError
from .orbits import OrbitSet
from .quantities import to_si
from .sun import SunTable, sun_table
from .times import TimeGrid, iso_utc, parse_time, time_grid, utc_times
from .track import Track

__all__ = [
    "MODELS", "SOLAR_CONSTANT", "EclipseError", "EclipseReport", "EclipseIntervals", "OrbitTable",
    "PowerBudget", "Season", "analytic_eclipse_fraction", "analytic_eclipse_duration", "beta_angle",
    "critical_beta", "eclipses", "illuminated_fraction", "shadow_state",
]

MODELS = core.MODELS

#: Total solar irradiance at 1 AU: 1360.8 +/- 0.5 W/m^2 (Kopp & Lean 2011,
#: "A new, lower value of total solar irradiance", GRL 38, L01706), rounded.
SOLAR_CONSTANT = 1361.0 * u.W / u.m**2

# Elements (satellite-steps) per chunk: about 8 MB per float64 temporary.
CHUNK_ELEMENTS = 1_000_000
# Gauss-Legendre 8-point rule on [-1, 1] for the dark time of penumbra passages
# (0.01 s on a 6-minute grazing passage, where 3 points are off by 8 s).
_GL_X, _GL_W = np.polynomial.legendre.leggauss(8)
# A penumbra piece next to the umbra counts as half dark when it is shorter than
# this fraction of the umbra's half-width (the Earth's limb crosses the Sun at a
# steady rate: error < 0.01 s in LEO); otherwise it is integrated.
_HALF_RULE = 0.02
_KINDS = ("eclipse", "umbra", "penumbra")


class EclipseError(OrbitlinkError):
    """Bad options for an eclipse or power analysis."""


# =============================================================================
# Sample-wise helpers on a Track
# =============================================================================

def _check_model(model: str) -> str:
    if model not in MODELS:
        raise EclipseError(f"shadow: {model!r} is not a shadow model (one of {', '.join(MODELS)})")
    return model


def _track_sun(track: Track, apparent: bool = True) -> np.ndarray:
    grid = track.grid
    return sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]),
                     apparent=apparent).gcrs_m(grid.t_s)


def beta_angle(track: Track, *, apparent_sun: bool = True) -> u.Quantity:
    """Beta angle (S, T) in degrees: the Sun's elevation above each orbit plane.

    The plane is that of the osculating orbit (``r x v``); NaN where the track is invalid.
    """
    s = _track_sun(track, apparent_sun)
    beta = core.beta_angle_rad(core.orbit_normal(track.r_gcrs_m, track.v_gcrs_m_s), s[:, None, :])
    return np.degrees(beta) * u.deg


def illuminated_fraction(track: Track, model: str = "conical", *, apparent_sun: bool = True) -> np.ndarray:
    """Visible fraction of the solar disk (S, T), 0..1 (NaN where the track is invalid)."""
    _check_model(model)
    s = _track_sun(track, apparent_sun)
    nu = core.illuminated_fraction(track.r_gcrs_m, s[:, None, :], model)
    return np.where(track.valid, nu, np.nan)


def shadow_state(track: Track, model: str = "conical", *, apparent_sun: bool = True) -> np.ndarray:
    """Per sample (S, T) int8: 0 sunlit, 1 penumbra, 2 umbra (-1 where invalid)."""
    _check_model(model)
    s = _track_sun(track, apparent_sun)
    state = core.shadow_state(track.r_gcrs_m, s[:, None, :], model)
    return np.where(track.valid, state, np.int8(-1)).astype(np.int8)


def _altitude_beta(altitude, beta):
    alt_m = to_si(altitude, "length", "altitude", lo=0 * u.km, lo_inclusive=False)
    beta_rad = to_si(beta, "angle", "beta", lo=-90 * u.deg, hi=90 * u.deg)
    return alt_m, beta_rad


def analytic_eclipse_fraction(altitude, beta) -> float:
    """Fraction of a circular orbit in the Earth's (cylindrical) shadow.

    ``f = acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi``, zero above the
    critical beta ``asin(R / (R + h))``; R = 6378.137 km.  ``altitude`` and
    ``beta`` are Quantities or strings ("550km", "60deg").
    """
    alt_m, beta_rad = _altitude_beta(altitude, beta)
    return float(core.eclipse_fraction_circular(alt_m, beta_rad))


def analytic_eclipse_duration(altitude, beta) -> u.Quantity:
    """Eclipse duration per orbit (min) of the closed form: fraction x two-body period."""
    alt_m, beta_rad = _altitude_beta(altitude, beta)
    period_s = 2.0 * math.pi * math.sqrt((R_EARTH_M + alt_m) ** 3 / MU_EARTH_M3_S2)
    return (float(core.eclipse_fraction_circular(alt_m, beta_rad)) * period_s * u.s).to(u.min)


def critical_beta(altitude) -> u.Quantity:
    """Beta above which a circular orbit at ``altitude`` never enters the (cylindrical) shadow."""
    alt_m = to_si(altitude, "length", "altitude", lo=0 * u.km, lo_inclusive=False)
    return np.degrees(float(core.critical_beta_rad(alt_m))) * u.deg


# =============================================================================
# Position sources, chunk by chunk
# =============================================================================

@dataclass
class _Chunk:
    """One chunk of samples ``v0..v1`` (global indices) and its shadow geometry."""

    t: np.ndarray                 # (Tc,) seconds from the grid start
    g: list                       # per boundary, (S, Tc) shadow function (negative inside)
    valid: np.ndarray | None      # (S, Tc) or None when every sample is valid
    margin: np.ndarray            # (S,) how far below the samples a minimum can dip
    beta: np.ndarray              # (B, Tc) rad; rows are satellites or planes
    flux: np.ndarray              # (Tc,) (1 AU / sun distance)^2
    node_sat: np.ndarray          # ascending node crossings in the owned range
    node_t: np.ndarray
    g_at: object                  # g_at(j, sat, t) -> (N,)
    nu_at: object                 # nu_at(sat, t) -> (N,) illuminated fraction
    beta_at: object               # beta_at(sat, t) -> (N,) rad
    intervals: tuple | None = None  # orbit-wise sources: (eclipse, umbra, penumbra) tuples
    daily_t: np.ndarray | None = None  # times of the owned beta/flux columns (default: owned samples)


class _CircularSource:
    """Designed circular orbits, solved orbit by orbit in closed form.

    A circular orbit is ``r = a (cos u P + sin u Q)`` with the node vector P and
    the in-plane normal Q, so ``x = r_hat . s_hat = rho cos(u - phi)`` where
    ``rho = |(P.s_hat, Q.s_hat)| = cos(beta)`` and ``phi`` is the in-plane angle of
    the Sun.  On a circular orbit the shadow boundaries are fixed values of x
    (:func:`orbitlink.core.shadow.circular_thresholds`), so the satellite is in a
    shadow while ``rho cos(u - phi) < x_boundary``: it enters at
    ``u - phi = acos(x_boundary / rho)`` and leaves at ``2 pi - acos(...)`` (mod
    2 pi), around the anti-Sun point ``u - phi = pi``.  ``rho``, ``phi`` and the
    thresholds change slowly (the node drifts and the Sun moves ~1 deg/day);
    they are tabulated per plane on the grid and interpolated, and each
    crossing is found by fixed-point iteration on ``u(t) - phi(t) = target``
    (contraction factor ~ 1e-3), or by bisection on the exact function for
    grazing passages whose half-width is under 0.05 rad.  The work is per
    orbit, not per sample: about 16 crossings a day per satellite.

    The dark time of a penumbra crossed steadily from edge to edge (into or
    out of a deep umbra) is half its duration (the occulted area of a disk
    behind a straight limb is antisymmetric about half); other penumbra
    passages (grazing ones) are integrated with 8-point Gauss-Legendre.  Identical orbit model to
    :func:`orbitlink.core.kepler.propagate` with e = 0 (node drift, and u
    advancing at dargp/dt + dM/dt).
    """

    _GRAZE_RAD = 0.05

    def __init__(self, orbits: OrbitSet, grid: TimeGrid, sun: SunTable, model: str, j2: bool):
        orbits = orbits.at_epoch(grid.start)
        t_off = float((grid.start - orbits.epoch).sec)
        a, inc = orbits.a_m.astype(float), orbits.i_rad.astype(float)
        n = a.size
        if j2:
            raan_dot, argp_dot, m_dot = kepler.j2_secular_rates(a, np.zeros(n), inc)
        else:
            raan_dot, argp_dot, m_dot = np.zeros(n), np.zeros(n), np.sqrt(MU_EARTH_M3_S2 / a**3)
        self.u_dot = argp_dot + m_dot
        self.raan_dot = raan_dot
        self.u0 = np.remainder(orbits.argp_rad + orbits.m_rad + self.u_dot * t_off, 2 * np.pi)
        self.raan0 = np.remainder(orbits.raan_rad + raan_dot * t_off, 2 * np.pi)
        self.a, self.inc = a, inc
        keys = np.stack([a, inc, self.raan0])
        _, first, plane = np.unique(keys, axis=1, return_index=True, return_inverse=True)
        self.plane = plane.ravel()
        self.first = first  # one member satellite per plane
        self.n_planes = first.size
        self.grid, self.sun, self.model = grid, sun, model
        self.names = tuple(orbits.names)
        self.period_s = 2.0 * np.pi / self.u_dot
        self.beta_rows = self.plane
        self.radii, self.radius_of = np.unique(a, return_inverse=True)
        self.radius_of = self.radius_of.ravel()
        self.phi_carry = None
        self.next_n = None
        self.pad = _CircularSource.pad_s(orbits)
        # Plane tables every ~10 min (phi, rho: linear interpolation error < 1e-8 rad).
        self.table_every = max(1, int(600.0 // grid.step_s))
        self.messages: list[str] = []

    @staticmethod
    def pad_s(orbits: OrbitSet) -> float:
        """How far beyond a chunk the tables must reach (s): an orbit and a bit."""
        period = 2.0 * np.pi * np.sqrt(np.max(orbits.a_m) ** 3 / MU_EARTH_M3_S2)
        return float(min(1.1 * period, 5.0 * DAY_S) + 7200.0)

    @property
    def n_sat(self) -> int:
        return self.a.size

    def _nodes(self, t0, t1):
        """Ascending nodes (u = 0 mod 2 pi) with t0 <= t < t1."""
        two_pi = 2.0 * np.pi
        n0 = np.ceil((self.u0 + self.u_dot * t0) / two_pi)
        n1 = np.ceil((self.u0 + self.u_dot * t1) / two_pi)
        count = (n1 - n0).astype(np.int64)
        sat = np.repeat(np.arange(self.n_sat), count)
        k = np.arange(sat.size) - np.repeat(np.cumsum(count) - count, count)
        t = ((n0[sat] + k) * two_pi - self.u0[sat]) / self.u_dot[sat]
        return sat, t

    def chunk(self, v0: int, v1: int, k0: int) -> _Chunk:
        grid, h, T = self.grid, self.grid.step_s, self.grid.size
        first, last = k0 == 0, v1 == T - 1
        t_lo, t_hi = float(grid.t_s[k0]), float(grid.t_s[v1])
        # Plane tables every h_tab (a multiple of the step dividing the chunk),
        # with t_lo and t_hi on nodes, padded by an orbit on both sides.
        m = self.table_every
        n_in = (v1 - k0) // m if (v1 - k0) % m == 0 else None
        if n_in is None:  # the last, shorter chunk: fall back to the step itself
            m, n_in = 1, v1 - k0
        h_tab = m * h
        pad = int(math.ceil(self.pad / h_tab)) + 2
        ts = t_lo + h_tab * np.arange(-pad, n_in + pad + 1, dtype=np.float64)
        i_lo, i_hi = pad, pad + n_in
        tab = self.sun.node_s
        s = self.sun.gcrs_m(np.clip(ts, tab[0], tab[-1]))
        dist = np.sqrt(np.sum(s * s, axis=0))
        sh = s / dist
        f = self.first
        om = self.raan0[f, None] + self.raan_dot[f, None] * ts
        cO, sO = np.cos(om), np.sin(om)
        ci, si = np.cos(self.inc[f])[:, None], np.sin(self.inc[f])[:, None]
        A = cO * sh[0] + sO * sh[1]                       # P . s_hat
        B = ci * (cO * sh[1] - sO * sh[0]) + si * sh[2]   # Q . s_hat
        rho = np.hypot(A, B)                              # cos(beta)
        phi = np.unwrap(np.arctan2(B, A), axis=1)
        if self.phi_carry is not None:  # keep phi continuous from chunk to chunk
            phi += np.round((self.phi_carry - phi[:, i_lo]) / (2 * np.pi))[:, None] * (2 * np.pi)
        self.phi_carry = phi[:, i_hi].copy()
        own = slice(i_lo, i_hi + 1 if last else i_hi)
        beta = np.arcsin(np.clip(si * (sO[:, own] * sh[0, own] - cO[:, own] * sh[1, own])
                                 + ci * sh[2, own], -1.0, 1.0))
        flux = (AU_M / dist[own]) ** 2
        node_sat, node_t = self._nodes(t_lo, t_hi + (1e-6 if last else 0.0))
        # Thresholds per distinct radius at daily nodes (they follow the Sun's
        # distance, which changes by < 3e-4 a day).
        n_nodes = int(math.ceil((ts[-1] - ts[0]) / DAY_S)) + 1
        t_nodes = np.linspace(ts[0], ts[-1], n_nodes + 1)
        d_nodes = np.sqrt(np.sum(self.sun.gcrs_m(np.clip(t_nodes, tab[0], tab[-1])) ** 2, axis=0))
        thr_nodes = np.stack(core.circular_thresholds(self.radii[:, None], d_nodes[None, :], self.model))
        intervals = self._orbits(ts, rho, phi, t_nodes, thr_nodes, d_nodes, i_lo, i_hi, first, last)
        sh_own = sh[:, own]

        def beta_at(sat, tt):
            q = np.clip(np.round((tt - ts[i_lo]) / h_tab).astype(np.int64), 0, sh_own.shape[1] - 1)
            om_ = self.raan0[sat] + self.raan_dot[sat] * tt
            si_, ci_ = np.sin(self.inc[sat]), np.cos(self.inc[sat])
            return np.arcsin(np.clip(si_ * (np.sin(om_) * sh_own[0, q] - np.cos(om_) * sh_own[1, q])
                                     + ci_ * sh_own[2, q], -1.0, 1.0))

        return _Chunk(grid.t_s[v0:v1 + 1], None, None, None, beta, flux, node_sat, node_t,
                      None, None, beta_at, intervals, daily_t=ts[own])

    def _orbits(self, ts, rho, phi, t_nodes, thr_nodes, d_nodes, i_lo, i_hi, first, last):
        """Every eclipse whose anti-Sun point falls in this chunk, in closed form."""
        two_pi, pi = 2.0 * np.pi, np.pi
        h, t_first = ts[1] - ts[0], ts[0]
        p, u0, ud = self.plane, self.u0, self.u_dot
        hn = t_nodes[1] - t_nodes[0]

        def at(arr, rows, t):
            """Value and slope of a table at t (linear between nodes)."""
            x = (t - t_first) / h
            q = np.minimum(np.maximum(x.astype(np.int64), 0), ts.size - 2)
            lo, hi = arr[rows, q], arr[rows, q + 1]
            return lo + (hi - lo) * (x - q), (hi - lo) / h

        psi_lo = u0 + ud * ts[i_lo] - phi[p, i_lo]
        psi_hi = u0 + ud * ts[i_hi] - phi[p, i_hi]
        if self.next_n is None:
            n_lo = np.ceil((psi_lo - pi) / two_pi) - (1 if first else 0)
        else:
            n_lo = self.next_n
        n_hi = np.floor((psi_hi - pi) / two_pi) + 1 if last else np.ceil((psi_hi - pi) / two_pi) - 1
        self.next_n = n_hi + 1
        count = np.maximum(n_hi - n_lo + 1, 0).astype(np.int64)
        sat = np.repeat(np.arange(self.n_sat), count)
        n = n_lo[sat] + (np.arange(sat.size) - np.repeat(np.cumsum(count) - count, count))
        # Anti-Sun point of each orbit: u - phi = pi + 2 pi n.
        target = pi + two_pi * n
        rows = p[sat]
        us, uds = u0[sat], ud[sat]
        tm = ts[i_lo] + (target - psi_lo[sat]) / uds
        for _ in range(2):
            tm += (target - (us + uds * tm - at(phi, rows, tm)[0])) / uds
        # Local linear model around tm: phi, rho and thresholds vary slowly.
        phi_m, phi_dot = at(phi, rows, tm)
        tm += (target - (us + uds * tm - phi_m)) / uds
        rho_m, rho_dot = at(rho, rows, tm)
        xq = (tm - t_nodes[0]) / hn
        qn = np.minimum(np.maximum(xq.astype(np.int64), 0), t_nodes.size - 2)
        r_idx = self.radius_of[sat]
        th_lo, th_hi = thr_nodes[:, r_idx, qn], thr_nodes[:, r_idx, qn + 1]
        x_m = th_lo + (th_hi - th_lo) * (xq - qn)
        x_dot = (th_hi - th_lo) / hn
        w = uds - phi_dot  # d(u - phi)/dt
        d_m = d_nodes[qn]
        cross = []
        for j in range(thr_nodes.shape[0]):
            sel = np.flatnonzero(rho_m > -x_m[j])
            r0, r1, x0, x1, ww = rho_m[sel], rho_dot[sel], x_m[j][sel], x_dot[j][sel], w[sel]
            alpha_m = np.arccos(np.clip(x0 / r0, -1.0, 1.0))
            # Entry at psi = pi - (pi - alpha) relative to tm, exit at pi + (pi - alpha).
            tau_in, tau_out = (alpha_m - pi) / ww, (pi - alpha_m) / ww
            for _ in range(2):
                tau_in = (np.arccos(np.clip((x0 + x1 * tau_in) / (r0 + r1 * tau_in), -1, 1)) - pi) / ww
                tau_out = (pi - np.arccos(np.clip((x0 + x1 * tau_out) / (r0 + r1 * tau_out), -1, 1))) / ww
            graze = np.flatnonzero(pi - alpha_m < self._GRAZE_RAD)
            if graze.size:
                gr0, gr1, gx0, gx1, gw = r0[graze], r1[graze], x0[graze], x1[graze], ww[graze]

                def F(idx, tau, gr0=gr0, gr1=gr1, gx0=gx0, gx1=gx1, gw=gw):
                    return -(gr0[idx] + gr1[idx] * tau) * np.cos(gw[idx] * tau) - (gx0[idx] + gx1[idx] * tau)

                reach = (pi - alpha_m[graze] + 2.0 * self._GRAZE_RAD) / gw
                tau_in[graze] = _bisect(F, -reach, np.zeros(graze.size))
                tau_out[graze] = _bisect(F, reach, np.zeros(graze.size))
            tmj = tm[sel]
            cross.append((sat[sel], tmj + np.minimum(tau_in, 0.0), tmj + np.maximum(tau_out, 0.0), sel))
        model = (tm, rho_m, rho_dot, w, d_m)
        return self._intervals_from_crossings(cross, sat, model, edge=first or last)

    def _intervals_from_crossings(self, cross, sat, model, edge=True):
        """Clip to the window and build (eclipse, umbra, penumbra) interval tuples."""
        t_end = float(self.grid.t_s[-1])
        es, e0, e1, e_sel = cross[0]

        def clip(s_, a, b):
            if not edge:
                return slice(None), s_, a, b, np.zeros(s_.size, bool), np.zeros(s_.size, bool)
            keep = (b > 0.0) & (a < t_end)
            s_, a, b = s_[keep], a[keep], b[keep]
            c0, c1 = a < 0.0, b > t_end
            return keep, s_, np.maximum(a, 0.0), np.minimum(b, t_end), c0, c1

        if len(cross) == 1:  # cylindrical: every eclipse is umbra
            keep, es, e0, e1, ec0, ec1 = clip(es, e0, e1)
            dur = e1 - e0
            empty = (np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, bool), np.zeros(0, bool),
                     np.zeros(0))
            return ((es, e0, e1, ec0, ec1, dur, dur), (es, e0, e1, ec0, ec1), empty)
        us_, u0_, u1_, u_sel = cross[1]
        # Umbra entry/exit per eclipse (NaN when the passage misses the umbra).
        ui0 = np.full(sat.size, np.nan)
        ui1 = np.full(sat.size, np.nan)
        ui0[u_sel], ui1[u_sel] = u0_, u1_
        um0, um1 = ui0[e_sel], ui1[e_sel]
        has_u = ~np.isnan(um0)
        i_u, i_n = np.flatnonzero(has_u), np.flatnonzero(~has_u)
        # Penumbra pieces: entry -> umbra entry, umbra exit -> exit; or entry -> exit.
        p_ecl = np.concatenate([i_u, i_u, i_n])
        p_s = es[p_ecl]
        p_a = np.concatenate([e0[i_u], um1[i_u], e0[i_n]])
        p_b = np.concatenate([um0[i_u], e1[i_u], e1[i_n]])
        u_half = 0.5 * (um1[i_u] - um0[i_u])
        steady = np.concatenate([um0[i_u] - e0[i_u] < _HALF_RULE * u_half,
                                 e1[i_u] - um1[i_u] < _HALF_RULE * u_half])
        p_edge = np.concatenate([steady, np.zeros(i_n.size, bool)])
        keep_p, p_s, pa, pb, pc0, pc1 = clip(p_s, p_a, p_b)
        p_edge, p_ecl = p_edge[keep_p], p_ecl[keep_p]
        p_dark = 0.5 * (pb - pa)
        quad = np.flatnonzero(~p_edge | pc0 | pc1)
        if quad.size:
            orbit = e_sel[p_ecl[quad]]  # index into the chunk's orbit list
            p_dark[quad] = self._dark_gl(p_s[quad], pa[quad], pb[quad], orbit, model)
        keep_u, us_c, ua, ub, uc0, uc1 = clip(es[i_u], um0[i_u], um1[i_u])
        u_ecl = i_u[keep_u]
        keep_e, es_c, ea, eb, ec0, ec1 = clip(es, e0, e1)
        # Per-eclipse totals (indices into the unclipped eclipse list).
        e_dark = np.bincount(p_ecl, p_dark, es.size) + np.bincount(u_ecl, ub - ua, es.size)
        e_umb = np.bincount(u_ecl, ub - ua, es.size)
        return ((es_c, ea, eb, ec0, ec1, e_dark[keep_e], e_umb[keep_e]),
                (us_c, ua, ub, uc0, uc1),
                (p_s, pa, pb, pc0, pc1, p_dark))

    def _dark_gl(self, sat, a, b, orbit, model):
        """Integral of (1 - nu) over [a, b] (8-point Gauss-Legendre) from the local model."""
        tm, rho_m, rho_dot, w, d_m = (x[orbit] for x in model)
        half, mid = 0.5 * (b - a), 0.5 * (b + a)
        tau = (mid[None, :] + half[None, :] * _GL_X[:, None]) - tm[None, :]
        x = -(rho_m + rho_dot * tau) * np.cos(w * tau)
        c, a_sun, b_earth = core.circular_angles(x, self.a[sat][None, :], d_m[None, :])
        nu = core.illuminated_fraction_from_angles(c, a_sun, b_earth)
        return half * np.sum(_GL_W[:, None] * (1.0 - nu), axis=0)


def _bisect(func, t_out, t_in, iterations: int = 40):
    """Vectorized bisection between an outside (func > 0) and an inside (func < 0) time."""
    a, b = np.array(t_out, dtype=np.float64), np.array(t_in, dtype=np.float64)
    idx = np.arange(a.size)
    for _ in range(iterations):
        m = 0.5 * (a + b)
        inside = func(idx, m) < 0.0
        b = np.where(inside, m, b)
        a = np.where(inside, a, m)
    return 0.5 * (a + b)


class _SampledSource:
    """Positions and velocities on the grid: a Track, or propagation chunk by chunk.

    Between samples the position is a cubic Hermite polynomial of the two
    neighbouring positions and velocities (0.3 m error at 60 s in LEO, see
    docs/design performance notes), from which the exact shadow functions are
    evaluated during root finding.
    """

    def __init__(self, grid: TimeGrid, sun: SunTable, model: str, names, *, track: Track | None = None,
                 source=None, propagator: str = "auto"):
        self.grid, self.sun, self.model = grid, sun, model
        self.track, self.source, self.propagator = track, source, propagator
        self.names = tuple(names)
        self.period_s = None
        self.beta_rows = None
        self._notes: list[str] = []          # propagator messages, once each
        self._first_error: dict[int, str] = {}  # satellite -> its first SGP4 error ("...from T")
        self._masked = np.zeros(len(self.names), np.int64)   # invalid samples, each counted once
        self._index = {n: k for k, n in enumerate(self.names)}

    @property
    def n_sat(self) -> int:
        return len(self.names)

    def _states(self, v0, v1):
        if self.track is not None:
            tr = self.track
            sl = slice(v0, v1 + 1)
            return tr.r_gcrs_m[:, :, sl], tr.v_gcrs_m_s[:, :, sl], tr.valid[:, sl]
        sub = TimeGrid(self.grid.start, self.grid.t_s[v0:v1 + 1])
        src = self.source
        if isinstance(src, OrbitSet) and self.propagator in ("auto", "analytic", "two-body"):
            # GCRS only: the ITRS rotation of api.propagate is not needed here.
            orbits = src.at_epoch(self.grid.start)
            t_s = (self.grid.start - orbits.epoch).sec + sub.t_s
            r, v = kepler.propagate(orbits.a_m, orbits.e, orbits.i_rad, orbits.raan_rad,
                                    orbits.argp_rad, orbits.m_rad, t_s, j2=(self.propagator != "two-body"))
            return r, v, np.ones(r.shape[1:], dtype=bool)
        from .api import propagate

        tr = propagate(src, sub, propagator=self.propagator)
        for m in tr.messages:
            # SGP4's "NAME: SGP4 error ... from T; n of N samples masked" is per chunk: keep
            # each satellite's first one and count its masked samples over the whole run.
            head, _, tail = m.rpartition("; ")
            sat = self._index.get(head.split(": SGP4 error")[0]) if tail.endswith("samples masked") else None
            if sat is not None:
                self._first_error.setdefault(sat, head)
            elif m not in self._notes:
                self._notes.append(m)
        return tr.r_gcrs_m, tr.v_gcrs_m_s, tr.valid

    @property
    def messages(self) -> list[str]:
        """The propagator's messages for the whole run, one per failing satellite."""
        errors = [f"{self._first_error[k]}; {int(self._masked[k])} of {self.grid.size} samples masked"
                  for k in sorted(self._first_error)]
        return errors + self._notes

    def chunk(self, v0: int, v1: int, k0: int) -> _Chunk:
        t = self.grid.t_s[v0:v1 + 1]
        r, v, valid = self._states(v0, v1)
        # Samples k0+1 .. v1 are this chunk's own (k0 ended the chunk before; the first owns 0).
        self._masked += (~valid[:, (k0 - v0 + (k0 > 0)):]).sum(axis=1)
        s = self.sun.gcrs_m(t)
        s3 = s[:, None, :]
        g = list(core.shadow_functions(r, s3, self.model))
        normal = core.orbit_normal(r, v)
        beta = core.beta_angle_rad(normal, s3)
        del normal
        r2 = np.sum(r * r, axis=0)
        omega = np.sqrt(np.sum(v * v, axis=0) / r2)  # >= the angular rate
        h = self.grid.step_s
        with np.errstate(invalid="ignore"):
            # How far below its samples a shadow function can dip between them: the
            # curvature near a minimum is at most ~omega^2 (rad) -- times the radius
            # for the cylindrical function, which is in metres -- with a 4x margin.
            margin = 0.5 * (np.nanmax(np.where(valid, omega, np.nan), axis=1, initial=0.0) * h) ** 2
            if self.model == "cylindrical":
                margin *= np.nanmax(np.where(valid, np.sqrt(r2), np.nan), axis=1, initial=0.0)
        all_valid = bool(valid.all())
        # Ascending nodes: z goes from < 0 to >= 0 between two valid samples.
        off = k0 - v0
        z = r[2]
        up = (z[:, off:-1] < 0.0) & (z[:, off + 1:] >= 0.0)
        if not all_valid:
            up &= valid[:, off:-1] & valid[:, off + 1:]
        node_sat, q = np.nonzero(up)
        q = q + off
        z0, z1 = z[node_sat, q], z[node_sat, q + 1]
        node_t = t[q] + h * (-z0) / (z1 - z0)
        dist = np.sqrt(np.sum(s * s, axis=0))
        flux = (AU_M / dist) ** 2
        r_arr, v_arr, t0 = r, v, t[0]

        def positions_at(sat, tt):
            qq = np.clip(np.floor((tt - t0) / h).astype(np.int64), 0, t.size - 2)
            tau = (tt - t[qq]) / h
            tau2, tau3 = tau * tau, tau * tau * tau
            h00, h10 = 2 * tau3 - 3 * tau2 + 1, (tau3 - 2 * tau2 + tau) * h
            h01, h11 = -2 * tau3 + 3 * tau2, (tau3 - tau2) * h
            return (r_arr[:, sat, qq] * h00 + v_arr[:, sat, qq] * h10
                    + r_arr[:, sat, qq + 1] * h01 + v_arr[:, sat, qq + 1] * h11)

        def sun_at(tt):  # linear between the chunk's samples: < 3 m at a 60 s step
            x = (tt - t0) / h
            qq = np.minimum(np.maximum(x.astype(np.int64), 0), t.size - 2)
            w = x - qq
            return s[:, qq] * (1.0 - w) + s[:, qq + 1] * w

        def g_at(j, sat, tt):
            return core.shadow_functions(positions_at(sat, tt), sun_at(tt), self.model)[j]

        def nu_at(sat, tt):
            return core.illuminated_fraction(positions_at(sat, tt), sun_at(tt), self.model)

        def beta_at(sat, tt):
            qq = np.clip(np.round((tt - t0) / h).astype(np.int64), 0, t.size - 1)
            return beta[sat, qq]

        return _Chunk(t, g, None if all_valid else valid, margin, beta, flux, node_sat, node_t,
                      g_at, nu_at, beta_at)


# =============================================================================
# Events and intervals
# =============================================================================

def _crossings(ch: _Chunk, j: int, off: int):
    """Refined crossings of boundary ``j`` in a chunk: (sat, t, dir, cut) arrays.

    ``off`` is the view index of the first owned sample; owned sample pairs are
    ``(q, q + 1)`` for ``q >= off``.  ``dir`` is +1 entering, -1 leaving.
    """
    G = ch.g[j]
    t = ch.t
    inside = G < 0.0
    if ch.valid is not None:
        inside &= ch.valid
    a, b = inside[:, off:-1], inside[:, off + 1:]
    change = a != b
    sats, ts, dirs, cuts = [], [], [], []
    if ch.valid is not None:
        both = ch.valid[:, off:-1] & ch.valid[:, off + 1:]
        cut = change & ~both
        change &= both
        s_c, p_c = np.nonzero(cut)
        q_c = p_c + off
        leaving = a[s_c, p_c]  # inside at the valid sample before an invalid one
        sats.append(s_c)
        ts.append(np.where(leaving, t[q_c], t[q_c + 1]))
        dirs.append(np.where(leaving, -1, 1).astype(np.int8))
        cuts.append(np.ones(s_c.size, dtype=bool))
    s_n, p_n = np.nonzero(change)
    q_n = p_n + off
    if s_n.size:
        root = core.bracketed_roots(lambda idx, tt: ch.g_at(j, s_n[idx], tt),
                                    t[q_n], t[q_n + 1], G[s_n, q_n], G[s_n, q_n + 1])
        sats.append(s_n)
        ts.append(root)
        dirs.append(np.where(b[s_n, p_n], 1, -1).astype(np.int8))
        cuts.append(np.zeros(s_n.size, dtype=bool))
    # Grazing passages shorter than a step: a local minimum of G between
    # positive samples that dips below zero.
    lo = max(off, 1)
    if G.shape[1] - 1 > lo:
        mid = G[:, lo:-1]
        with np.errstate(invalid="ignore"):
            cand = (mid > 0.0) & (mid < ch.margin[:, None])
        s_m, q_m = np.nonzero(cand)
        if s_m.size:
            q_m = q_m + lo
            gm = G[s_m, q_m]
            keep = (gm < G[s_m, q_m - 1]) & (gm <= G[s_m, q_m + 1])
            s_m, q_m = s_m[keep], q_m[keep]
        if s_m.size:
            f = lambda idx, tt: ch.g_at(j, s_m[idx], tt)  # noqa: E731
            t_min, g_min = core.minimize_bracketed(f, t[q_m - 1], t[q_m + 1])
            dip = g_min < 0.0
            s_d, q_d, t_d, g_d = s_m[dip], q_m[dip], t_min[dip], g_min[dip]
            if s_d.size:
                f = lambda idx, tt: ch.g_at(j, s_d[idx], tt)  # noqa: E731
                t_in = core.bracketed_roots(f, t[q_d - 1], t_d, G[s_d, q_d - 1], g_d)
                t_out = core.bracketed_roots(f, t_d, t[q_d + 1], g_d, G[s_d, q_d + 1])
                sats += [s_d, s_d]
                ts += [t_in, t_out]
                dirs += [np.ones(s_d.size, np.int8), -np.ones(s_d.size, np.int8)]
                cuts += [np.zeros(s_d.size, bool), np.zeros(s_d.size, bool)]
    if not sats:
        return (np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int8), np.zeros(0, bool))
    return (np.concatenate(sats), np.concatenate(ts), np.concatenate(dirs), np.concatenate(cuts))


@dataclass
class _Carry:
    """Open intervals of one kind at the end of the last chunk, per satellite."""

    t: np.ndarray      # entry time, NaN when closed
    cut: np.ndarray    # entry was a cut (window start or invalid sample)
    extra: np.ndarray  # a value stored with the entry (cumulative dark/umbra at entry), (k, S)

    @classmethod
    def empty(cls, n, k=0):
        return cls(np.full(n, np.nan), np.zeros(n, bool), np.zeros((k, n)))


def _pair(n_sat, sat, t, direction, cut, carry: _Carry):
    """Pair entries with exits per satellite, continuing ``carry``.

    Entries and exits alternate per satellite (they come from sign changes of
    one shadow function), so after sorting each satellite's k-th entry closes
    with its k-th exit and a last unmatched entry stays open.  Returns

    - closed intervals ``(sat, t0, t1, cut0, cut1, old, extra)``, sorted by
      satellite and time; ``old`` marks intervals opened in an earlier chunk,
      whose ``extra`` values (k, N) come from the carry;
    - the new carry's ``(t, cut)`` arrays (S,), NaN where nothing is open;
    - the still-open entries ``(sat, t, old, extra)``.
    """
    open_s = np.flatnonzero(~np.isnan(carry.t))
    is_in = direction > 0
    en_sat = np.concatenate([open_s, sat[is_in]])
    en_t = np.concatenate([carry.t[open_s], t[is_in]])
    en_cut = np.concatenate([carry.cut[open_s], cut[is_in]])
    en_old = np.concatenate([np.ones(open_s.size, bool), np.zeros(int(is_in.sum()), bool)])
    ex_sat, ex_t, ex_cut = sat[~is_in], t[~is_in], cut[~is_in]
    o_en = np.lexsort((~en_old, en_t, en_sat))
    o_ex = np.lexsort((ex_t, ex_sat))
    en_sat, en_t, en_cut, en_old = en_sat[o_en], en_t[o_en], en_cut[o_en], en_old[o_en]
    ex_sat, ex_t, ex_cut = ex_sat[o_ex], ex_t[o_ex], ex_cut[o_ex]
    n_en = np.bincount(en_sat, minlength=n_sat)
    n_ex = np.bincount(ex_sat, minlength=n_sat)
    extra = n_en - n_ex
    if np.any((extra < 0) | (extra > 1)):  # pragma: no cover - a bookkeeping bug, not bad input
        bad = int(np.flatnonzero((extra < 0) | (extra > 1))[0])
        raise RuntimeError(f"eclipse bookkeeping: satellite {bad} has {n_en[bad]} entries and "
                           f"{n_ex[bad]} exits in one chunk")
    last = np.cumsum(n_en) - 1
    is_open = np.zeros(en_sat.size, bool)
    is_open[last[extra == 1]] = True
    new_t = np.full(n_sat, np.nan)
    new_cut = np.zeros(n_sat, bool)
    new_t[en_sat[is_open]] = en_t[is_open]
    new_cut[en_sat[is_open]] = en_cut[is_open]
    # Values carried with old entries, to be looked up by the caller.
    old_extra = carry.extra[:, en_sat] if carry.extra.size else carry.extra
    closed = ~is_open
    result = (en_sat[closed], en_t[closed], ex_t, en_cut[closed], ex_cut, en_old[closed],
              old_extra[:, closed] if old_extra.size else old_extra)
    opened = (en_sat[is_open], en_t[is_open], en_old[is_open],
              old_extra[:, is_open] if old_extra.size else old_extra)
    return result, (new_t, new_cut), opened


# =============================================================================
# Results
# =============================================================================

# Labels and times of "seconds from a start": one implementation, in orbitlink.times.
_iso = iso_utc
_times = utc_times


def _r(x, nd=6):
    x = float(x)
    return None if not math.isfinite(x) else round(x, nd)


@dataclass(frozen=True, eq=False)
class Season:
    """A date range in which a satellite sees at least one eclipse: from the start
    of its first eclipse to the end of its last one."""

    start_time: Time         # reference of t0_s/t1_s
    t0_s: float
    t1_s: float
    cut_start: bool = False  # the window began inside the season (an eclipse within one gap of it)
    cut_end: bool = False    # the window ended inside the season

    @property
    def start(self) -> Time:
        return _times(self.start_time, self.t0_s)

    @property
    def end(self) -> Time:
        return _times(self.start_time, self.t1_s)

    @property
    def days(self) -> float:
        return (self.t1_s - self.t0_s) / DAY_S

    def to_dict(self, iso=None) -> dict:
        a, b = iso if iso is not None else _iso(self.start_time, [self.t0_s, self.t1_s])
        return {"start": a, "end": b, "days": round(self.days, 3), "cut_start": bool(self.cut_start),
                "cut_end": bool(self.cut_end)}


def _seasons_dicts(seasons) -> list[dict]:
    """``to_dict`` of many seasons with one time conversion."""
    if not seasons:
        return []
    iso = _iso(seasons[0].start_time, [x for s in seasons for x in (s.t0_s, s.t1_s)])
    return [s.to_dict((iso[2 * k], iso[2 * k + 1])) for k, s in enumerate(seasons)]


@dataclass(frozen=True, eq=False)
class EclipseIntervals:
    """Eclipse intervals of every satellite: kind ``eclipse`` (the whole passage
    through the shadow, penumbra entry to exit), ``umbra``, and ``penumbra``
    (the partial pieces).  The cylindrical model has no penumbra; its eclipses
    are all umbra.  ``cut_start``/``cut_end`` flag intervals cut by the window
    or by invalid samples (their true length is unknown)."""

    names: tuple[str, ...]
    start_time: Time            # the reference time of t0_s/t1_s
    satellite: np.ndarray       # (N,) index into names
    kind: np.ndarray            # (N,) str
    t0_s: np.ndarray            # (N,) seconds from start_time
    t1_s: np.ndarray
    cut_start: np.ndarray
    cut_end: np.ndarray

    def __len__(self) -> int:
        return int(self.satellite.size)

    @property
    def start(self) -> Time:
        return _times(self.start_time, self.t0_s)

    @property
    def end(self) -> Time:
        return _times(self.start_time, self.t1_s)

    @property
    def duration(self) -> u.Quantity:
        return (self.t1_s - self.t0_s) * u.s

    def select(self, *, kind: str | None = None, satellite: int | None = None) -> "EclipseIntervals":
        m = np.ones(len(self), bool)
        if kind is not None:
            m &= self.kind == kind
        if satellite is not None:
            m &= self.satellite == satellite
        return EclipseIntervals(self.names, self.start_time, self.satellite[m], self.kind[m],
                                self.t0_s[m], self.t1_s[m], self.cut_start[m], self.cut_end[m])

    def to_dict(self) -> list[dict]:
        s0, s1 = _iso(self.start_time, self.t0_s), _iso(self.start_time, self.t1_s)
        return [{"satellite": self.names[int(k)], "kind": str(kd), "start": a, "end": b,
                 "duration_s": round(float(e - s), 3), "cut_start": bool(c0), "cut_end": bool(c1)}
                for k, kd, a, b, s, e, c0, c1 in zip(self.satellite, self.kind, s0, s1, self.t0_s,
                                                     self.t1_s, self.cut_start, self.cut_end)]


@dataclass(frozen=True, eq=False)
class OrbitTable:
    """One row per complete revolution (ascending node to ascending node).

    Eclipses belong to the revolution in which they begin.  ``dark_s`` is the
    time-integral of the hidden solar fraction (umbra plus penumbra weighted by
    the hidden fraction); ``sunlit_fraction = 1 - dark_s / period_s``.
    """

    names: tuple[str, ...]
    start_time: Time
    satellite: np.ndarray
    orbit: np.ndarray           # 1-based revolution number within the window
    t0_s: np.ndarray            # ascending node
    period_s: np.ndarray
    eclipse_s: np.ndarray
    umbra_s: np.ndarray
    dark_s: np.ndarray
    beta_rad: np.ndarray        # at the ascending node

    def __len__(self) -> int:
        return int(self.satellite.size)

    @property
    def start(self) -> Time:
        return _times(self.start_time, self.t0_s)

    @property
    def eclipse_fraction(self) -> np.ndarray:
        return self.eclipse_s / self.period_s

    @property
    def sunlit_fraction(self) -> np.ndarray:
        return 1.0 - self.dark_s / self.period_s

    def rows(self):
        """Dicts with unit-suffixed keys (used by ``to_dict`` and the CSV writer)."""
        starts = _iso(self.start_time, self.t0_s)
        ends = _iso(self.start_time, self.t0_s + self.period_s)
        for k in range(len(self)):
            yield {
                "satellite": self.names[int(self.satellite[k])], "orbit": int(self.orbit[k]),
                "start": starts[k], "end": ends[k], "period_s": round(float(self.period_s[k]), 3),
                "eclipse_s": round(float(self.eclipse_s[k]), 3),
                "umbra_s": round(float(self.umbra_s[k]), 3),
                "penumbra_s": round(float(self.eclipse_s[k] - self.umbra_s[k]), 3),
                "eclipse_fraction": round(float(self.eclipse_s[k] / self.period_s[k]), 6),
                "sunlit_fraction": round(float(1.0 - self.dark_s[k] / self.period_s[k]), 6),
                "beta_deg": round(float(np.degrees(self.beta_rad[k])), 4),
            }

    def to_dict(self) -> list[dict]:
        return list(self.rows())


@dataclass(frozen=True, eq=False)
class PowerBudget:
    """Orbit-average power of a sun-tracking array and the battery for the longest eclipse.

    The array always faces the Sun; its output is ``solar constant x (1 AU / d)^2
    x area x efficiency x visible solar fraction`` (penumbra by the visible
    fraction).  ``mean_power`` averages that over the span, ``worst_orbit_power``
    over the darkest revolution.  ``battery_energy`` is ``load x`` the longest
    eclipse (penumbra counted as dark: conservative by about half the penumbra,
    ~4 s in LEO); divide by the allowed depth of discharge for a capacity.
    """

    names: tuple[str, ...]
    array_area: u.Quantity
    efficiency: float
    solar_constant: u.Quantity
    load: u.Quantity | None
    peak_power: u.Quantity           # full Sun at 1 AU
    mean_power: u.Quantity           # (S,)
    worst_orbit_power: u.Quantity    # (S,)
    battery_energy: u.Quantity | None  # (S,) Wh

    @property
    def margin(self) -> u.Quantity | None:
        """Mean power minus load (W): negative means the array cannot sustain the load."""
        return None if self.load is None else (self.mean_power - self.load).to(u.W)

    def to_dict(self, index: int | None = None) -> dict:
        pick = (lambda q: q) if index is None else (lambda q: q[index])  # noqa: E731
        agg = (lambda x, f: f(x)) if index is None else (lambda x, f: x)  # noqa: E731
        d = {
            "array_area_m2": _r(self.array_area.to_value(u.m**2)),
            "efficiency": _r(self.efficiency),
            "solar_constant_w_m2": _r(self.solar_constant.to_value(u.W / u.m**2)),
            "peak_power_w": _r(self.peak_power.to_value(u.W), 3),
            "mean_power_w": _r(agg(pick(self.mean_power.to_value(u.W)), np.min), 3),
            "worst_orbit_power_w": _r(agg(pick(self.worst_orbit_power.to_value(u.W)), np.min), 3),
        }
        if self.load is not None:
            d["load_w"] = _r(self.load.to_value(u.W), 3)
            d["battery_energy_wh"] = _r(agg(pick(self.battery_energy.to_value(u.W * u.h)), np.max), 3)
            d["margin_w"] = _r(agg(pick(self.margin.to_value(u.W)), np.min), 3)
        return d


@dataclass(frozen=True, eq=False)
class EclipseReport:
    """Eclipse statistics of S satellites over a span (arrays of shape (S,)).

    Fractions are of the valid time (all of it unless SGP4 failed):
    ``sunlit_fraction`` is the time-average of the visible solar fraction;
    ``eclipse_fraction`` the time in any shadow (umbra + penumbra), split into
    ``umbra_fraction`` and ``penumbra_fraction``.  Eclipse durations are those of
    complete passages through the shadow (penumbra entry to exit); passages cut
    by the window are left out of the mean and maximum but counted in the
    fractions.  ``orbits`` counts complete revolutions (node to node).
    """

    names: tuple[str, ...]
    model: str
    propagator: str
    start: Time
    end: Time
    step: u.Quantity
    sunlit_fraction: np.ndarray
    eclipse_fraction: np.ndarray
    umbra_fraction: np.ndarray
    penumbra_fraction: np.ndarray
    eclipses: np.ndarray                 # complete eclipses (int)
    mean_eclipse: u.Quantity
    max_eclipse: u.Quantity
    max_umbra: u.Quantity
    period: u.Quantity
    orbits: np.ndarray
    beta_min: u.Quantity
    beta_max: u.Quantity
    seasons: tuple[tuple[Season, ...], ...]
    worst_orbit_sunlit_fraction: np.ndarray
    flux_weighted_sunlit: np.ndarray     # time-average of nu (1 AU/d)^2
    worst_orbit_flux: np.ndarray         # (1 AU/d)^2 when the darkest orbit happened
    day_start: Time                      # (D,) start of each day bin
    daily_beta_min: u.Quantity           # (S, D)
    daily_beta_max: u.Quantity
    daily_eclipse: u.Quantity            # (S, D) total eclipse time beginning that day
    daily_max_eclipse: u.Quantity        # (S, D)
    intervals: EclipseIntervals | None = None
    orbit_table: OrbitTable | None = None
    messages: tuple[str, ...] = field(default=())

    @property
    def n_satellites(self) -> int:
        return len(self.names)

    @property
    def max_eclipse_fraction(self) -> np.ndarray:
        """Longest eclipse over the orbital period (per satellite)."""
        return (self.max_eclipse / self.period).to_value(u.one)

    def power(self, array_area, efficiency, load=None, *, solar_constant=SOLAR_CONSTANT) -> PowerBudget:
        """The :class:`PowerBudget` of a sun-tracking array of ``array_area`` ("10 m2")
        and end-to-end ``efficiency`` (0..1, or "30%"), with an optional ``load`` ("2kW")."""
        area_m2 = _si(array_area, u.m**2, "array area", "an area such as 10 m2", positive=True)
        eff = parse_efficiency(efficiency)
        s0 = _si(solar_constant, u.W / u.m**2, "solar constant", "an irradiance such as 1361 W/m2",
                 positive=True)
        full_w = s0 * area_m2 * eff
        mean_w = full_w * self.flux_weighted_sunlit
        worst_w = full_w * self.worst_orbit_flux * self.worst_orbit_sunlit_fraction
        load_q = battery = None
        if load is not None:
            load_w = _si(load, u.W, "load", "a power such as 2kW or 500 W", positive=True)
            load_q = load_w * u.W
            battery = (load_w * self.max_eclipse.to_value(u.s) / 3600.0) * (u.W * u.h)
        return PowerBudget(self.names, area_m2 * u.m**2, eff, s0 * u.W / u.m**2, load_q,
                           full_w * u.W, mean_w * u.W, worst_w * u.W, battery)

    def battery_energy(self, load) -> u.Quantity:
        """Energy (Wh, per satellite) to carry ``load`` ("2kW") through the longest eclipse
        (penumbra counted as dark)."""
        load_w = _si(load, u.W, "load", "a power such as 2kW or 500 W", positive=True)
        return (load_w * self.max_eclipse.to_value(u.s) / 3600.0) * (u.W * u.h)

    def satellite_dict(self, k: int) -> dict:
        """The summary of satellite ``k`` with unit-suffixed keys."""
        return {
            "satellite": self.names[k],
            "sunlit_fraction": _r(self.sunlit_fraction[k]),
            "eclipse_fraction": _r(self.eclipse_fraction[k]),
            "umbra_fraction": _r(self.umbra_fraction[k]),
            "penumbra_fraction": _r(self.penumbra_fraction[k]),
            "eclipses": int(self.eclipses[k]),
            "orbits": int(self.orbits[k]),
            "period_s": _r(self.period.to_value(u.s)[k], 3),
            "mean_eclipse_s": _r(self.mean_eclipse.to_value(u.s)[k], 3),
            "max_eclipse_s": _r(self.max_eclipse.to_value(u.s)[k], 3),
            "max_umbra_s": _r(self.max_umbra.to_value(u.s)[k], 3),
            "max_eclipse_fraction": _r(self.max_eclipse_fraction[k]),
            "worst_orbit_sunlit_fraction": _r(self.worst_orbit_sunlit_fraction[k]),
            "beta_deg": {"min": _r(self.beta_min.to_value(u.deg)[k], 4),
                         "max": _r(self.beta_max.to_value(u.deg)[k], 4)},
            "seasons": _seasons_dicts(self.seasons[k]),
        }

    def constellation_seasons(self) -> tuple[Season, ...]:
        """Date ranges in which at least one satellite sees an eclipse (union of seasons)."""
        spans = sorted(((s.t0_s, s.t1_s, s) for sats in self.seasons for s in sats), key=lambda x: x[0])
        merged: list[list] = []
        for a, b, s in spans:
            if merged and a <= merged[-1][1]:
                if b > merged[-1][1]:
                    merged[-1][1], merged[-1][3] = b, s
                continue
            merged.append([a, b, s, s])
        return tuple(Season(m[2].start_time, m[0], m[1], m[2].cut_start, m[3].cut_end) for m in merged)

    def to_dict(self, *, per_satellite: bool | None = None) -> dict:
        """Summary with unit-suffixed keys; a constellation adds ``per_satellite`` rows.

        For one satellite the top-level values are its own.  For several, the
        fractions are means over the satellites, durations and beta are
        extremes (``mean_eclipse_s`` the mean over all eclipses), ``eclipses``
        and ``orbits`` are totals, and ``seasons`` the union of their seasons.
        """
        n = self.n_satellites
        span_s = float((self.end - self.start).to_value(u.s))
        base = {
            "satellites": n, "shadow_model": self.model, "propagator": self.propagator,
            "start": self.start.utc.isot + "Z", "end": self.end.utc.isot + "Z",
            "duration_s": round(span_s, 3), "step_s": _r(self.step.to_value(u.s), 3),
        }
        if n == 1:
            one = self.satellite_dict(0)
            one.pop("satellite")
            base.update(one)
            base["satellite"] = self.names[0]
        else:
            ecl = self.eclipses.sum()
            mean_s = self.mean_eclipse.to_value(u.s)
            total_s = np.nansum(mean_s * self.eclipses)
            base.update({
                "sunlit_fraction": _r(np.mean(self.sunlit_fraction)),
                "eclipse_fraction": _r(np.mean(self.eclipse_fraction)),
                "umbra_fraction": _r(np.mean(self.umbra_fraction)),
                "penumbra_fraction": _r(np.mean(self.penumbra_fraction)),
                "eclipses": int(ecl), "orbits": int(self.orbits.sum()),
                "mean_eclipse_s": _r(total_s / ecl, 3) if ecl else None,
                "max_eclipse_s": _r(np.max(self.max_eclipse.to_value(u.s)), 3),
                "max_umbra_s": _r(np.max(self.max_umbra.to_value(u.s)), 3),
                "max_eclipse_fraction": _r(np.max(self.max_eclipse_fraction)),
                "worst_orbit_sunlit_fraction": _r(np.min(self.worst_orbit_sunlit_fraction)),
                "beta_deg": {"min": _r(np.nanmin(self.beta_min.to_value(u.deg)), 4),
                             "max": _r(np.nanmax(self.beta_max.to_value(u.deg)), 4)},
                "seasons": _seasons_dicts(self.constellation_seasons()),
            })
            if per_satellite is None or per_satellite:
                base["per_satellite"] = [self.satellite_dict(k) for k in range(n)]
        if self.messages:
            base["messages"] = list(self.messages)
        return base


# =============================================================================
# Input parsing for the power model
# =============================================================================

def _si(value, unit, name: str, form: str, *, positive: bool = False) -> float:
    try:
        q = value if isinstance(value, u.Quantity) else u.Quantity(str(value).strip())
    except (TypeError, ValueError):
        raise QuantityError(f"{name}: cannot read {value!r} ({form})") from None
    try:
        x = float(q.to_value(unit))
    except u.UnitConversionError:
        got = "no unit" if q.unit == u.dimensionless_unscaled else f"unit {q.unit}"
        raise QuantityError(f"{name}: {value!r} has {got} ({form})") from None
    if not q.isscalar or not math.isfinite(x) or (positive and x <= 0.0):
        raise QuantityError(f"{name}: {value!r} is out of range ({form}, more than zero)")
    return x


def parse_efficiency(value) -> float:
    """An efficiency 0 < eta <= 1 from ``0.3``, ``"0.3"`` or ``"30%"``."""
    form = "a fraction 0-1 such as 0.3, or a percentage such as 30%"
    text = str(value.to_value(u.one) if isinstance(value, u.Quantity) else value).strip()
    try:
        x = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
    except ValueError:
        raise QuantityError(f"efficiency: cannot read {value!r} ({form})") from None
    if not (0.0 < x <= 1.0):
        raise QuantityError(f"efficiency: {value!r} is out of range ({form})")
    return x


# =============================================================================
# The analysis
# =============================================================================

def _make_source(source, grid, sun, model, propagator):
    from .api import PROPAGATORS

    if propagator not in PROPAGATORS:
        raise OrbitSpecError(f"propagator: {propagator!r} is not one of {', '.join(PROPAGATORS)}")
    designed = isinstance(source, OrbitSet)
    if designed and propagator == "sgp4":
        raise OrbitSpecError("propagator: sgp4 needs TLE/OMM element sets; designed orbits use "
                             "analytic, two-body or poliastro")
    if not designed and propagator not in ("auto", "sgp4"):
        raise OrbitSpecError(f"propagator: element sets (TLE/OMM) are mean elements for SGP4 only, "
                             f"not {propagator}")
    if designed and propagator in ("auto", "analytic", "two-body") and np.all(source.e == 0.0):
        name = "two-body" if propagator == "two-body" else "analytic-j2"
        return _CircularSource(source, grid, sun, model, j2=(propagator != "two-body")), name
    name = {"auto": "analytic-j2" if designed else "sgp4", "analytic": "analytic-j2"}.get(propagator,
                                                                                        propagator)
    return _SampledSource(grid, sun, model, source.names, source=source, propagator=propagator), name


def eclipses(source, *, start=None, duration="365d", step="60s", model: str = "conical",
             propagator: str = "auto", detail: bool | None = None, apparent_sun: bool = True,
             chunk_elements: int = CHUNK_ELEMENTS, progress=None) -> EclipseReport:
    """Eclipse report for ``source`` over ``start + duration`` sampled every ``step``.

    ``source`` is a :class:`~orbitlink.track.Track` (its grid is used; ``start``,
    ``duration``, ``step`` and ``propagator`` are ignored), an
    :class:`~orbitlink.orbits.OrbitSet` or an
    :class:`~orbitlink.elements.ElementSet`.  ``start`` defaults as in
    :func:`orbitlink.api.default_start`.  ``model`` is ``"conical"`` (umbra and
    penumbra) or ``"cylindrical"``.  ``detail`` keeps every interval and a
    per-orbit table (default: for up to 100 satellites); without it only the
    per-satellite statistics are kept, whatever the span.  ``progress``, if
    given, is called with the fraction done (0..1) after every chunk.
    """
    _check_model(model)
    if isinstance(source, Track):
        grid = source.grid
        if grid.size < 2:
            raise TimeGridError("duration: an eclipse analysis needs at least two time steps")
        sun = sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]), apparent=apparent_sun)
        src = _SampledSource(grid, sun, model, source.names, track=source)
        prop_name = source.propagator
        messages = list(source.messages)
    else:
        if not isinstance(source, OrbitSet) and not hasattr(source, "satrecs"):
            raise OrbitSpecError(f"source: expected a Track, OrbitSet or ElementSet, not {type(source).__name__}")
        from .api import default_start

        start_t = default_start(source) if start is None else parse_time(start)
        grid = time_grid(start_t, duration, step, satellites=1)
        if grid.size < 2:
            raise TimeGridError(f"duration: {duration!r} is shorter than one step {step!r} "
                                "(an eclipse analysis needs at least two time steps)")
        circular = (isinstance(source, OrbitSet) and propagator in ("auto", "analytic", "two-body")
                    and np.all(source.e == 0.0))
        sun = sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]), apparent=apparent_sun,
                        pad_s=_CircularSource.pad_s(source) if circular else 0.0)
        src, prop_name = _make_source(source, grid, sun, model, propagator)
        messages = []
    if detail is None:
        detail = src.n_sat <= 100
    run = _Run(src, grid, model, detail, chunk_elements)
    run.execute(progress)
    messages += list(getattr(src, "messages", []))
    return run.report(prop_name, tuple(messages))


class _Run:
    """Chunk loop and per-satellite accumulators."""

    def __init__(self, src, grid: TimeGrid, model: str, detail: bool, chunk_elements: int):
        self.src, self.grid, self.model, self.detail = src, grid, model, detail
        S = self.S = src.n_sat
        T = grid.size
        self.h = grid.step_s
        self.t_end = float(grid.t_s[-1])
        if isinstance(src, _CircularSource):  # work per orbit: chunks of up to 30 days
            m = src.table_every
            # Bound the orbits handled at once (~40 floats each) as well as the tables.
            per_orbit = float(np.min(src.period_s)) / (max(S, 1) * self.h)
            L = min(int(30 * DAY_S / self.h), m * chunk_elements // max(src.n_planes, 1),
                    int(chunk_elements // 5 * per_orbit))
            self.L = int(max(m, L // m * m))
        else:
            self.L = int(max(8, min(T, chunk_elements // max(S, 1), int(DAY_S / self.h) + 1)))
        self.D = max(1, int(math.ceil(self.t_end / DAY_S - 1e-9)))
        self.nb = 2 if model == "conical" else 1
        z = lambda: np.zeros(S)  # noqa: E731
        self.valid_s, self.shadow_s, self.umbra_s, self.pen_s, self.dark_s = z(), z(), z(), z(), z()
        self.n_ecl = np.zeros(S, np.int64)
        self.sum_ecl, self.max_ecl, self.max_umb, self.max_dark = z(), z(), z(), z()
        self.max_dark_t = np.full(S, np.nan)
        self.n_nodes = np.zeros(S, np.int64)
        self.first_node, self.last_node = np.full(S, np.nan), np.full(S, np.nan)
        self.cum_dark, self.cum_umb = z(), z()   # cumulative contributions so far
        # Carries: eclipse (with cumulative dark/umbra at entry), umbra, penumbra.
        self.c_ecl = _Carry.empty(S, 2)
        self.c_umb = _Carry.empty(S)
        self.c_pen = _Carry.empty(S, 1)   # with the dark time integrated so far
        # Seasons.
        self.last_end = np.full(S, np.nan)
        self.season_open = np.full(S, np.nan)
        self.season_rows: list[tuple] = []
        # Daily bins.
        B = src.n_planes if isinstance(src, _CircularSource) else S
        self.B = B
        self.d_beta_min = np.full((B, self.D), np.inf)
        self.d_beta_max = np.full((B, self.D), -np.inf)
        self.d_ecl = np.zeros((S, self.D))
        self.d_max = np.zeros((S, self.D))
        self.d_dark = np.zeros((S, self.D))
        self.d_len = np.zeros(self.D)
        self.d_flux = np.zeros(self.D)
        self.d_flux_n = np.zeros(self.D)
        self.valid_pairs = np.zeros(S)
        # Detail.
        self.iv: dict[str, list] = {k: [] for k in _KINDS}
        self.ecl_detail: list = []
        self.node_detail: list = []

    # --- chunk loop ----------------------------------------------------------
    def execute(self, progress=None):
        T = self.grid.size
        k0 = 0
        first = True
        while k0 < T - 1:
            k1 = min(k0 + self.L, T - 1)
            v0 = max(k0 - 1, 0)
            ch = self.src.chunk(v0, k1, k0)
            off = k0 - v0
            if first and ch.intervals is None:
                self._initial_carry(ch)
            first = False
            self._chunk(ch, off, k0, k1)
            k0 = k1
            if progress is not None:
                progress(k1 / (T - 1))
        self._finish()

    def _inside(self, ch, j, q):
        ins = ch.g[j][:, q] < 0.0
        if ch.valid is not None:
            ins &= ch.valid[:, q]
        return ins

    def _initial_carry(self, ch):
        t0 = float(ch.t[0])
        sh = self._inside(ch, 0, 0)
        self.c_ecl.t[sh], self.c_ecl.cut[sh] = t0, True
        um = self._inside(ch, 1, 0) if self.nb == 2 else sh
        self.c_umb.t[um], self.c_umb.cut[um] = t0, True
        pen = sh & ~um if self.nb == 2 else np.zeros(self.S, bool)
        self.c_pen.t[pen], self.c_pen.cut[pen] = t0, True

    def _chunk(self, ch, off, k0, k1):
        S = self.S
        t = ch.t
        t_lo, t_hi = float(t[off]), float(t[-1])
        # Valid time and daily bins (owned pairs).
        if ch.valid is None:
            pairs = np.full(S, t.size - 1 - off, dtype=float)
        else:
            pairs = (ch.valid[:, off:-1] & ch.valid[:, off + 1:]).sum(axis=1).astype(float)
        self.valid_pairs += pairs
        self._day_lengths(t_lo, t_hi)
        if ch.daily_t is None:
            own = slice(off, None) if k1 == self.grid.size - 1 else slice(off, -1)
            days = np.minimum((t[own] // DAY_S).astype(np.int64), self.D - 1)
            beta, flux = ch.beta[:, own], ch.flux[own]
        else:
            days = np.minimum((ch.daily_t // DAY_S).astype(np.int64), self.D - 1)
            beta, flux = ch.beta, ch.flux
        cuts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
        dsel = days[cuts]
        if ch.valid is not None:
            bmin = np.where(ch.valid[:, own], beta, np.inf)
            bmax = np.where(ch.valid[:, own], beta, -np.inf)
        else:
            bmin = bmax = beta
        self.d_beta_min[:, dsel] = np.minimum(self.d_beta_min[:, dsel], np.minimum.reduceat(bmin, cuts, axis=1))
        self.d_beta_max[:, dsel] = np.maximum(self.d_beta_max[:, dsel], np.maximum.reduceat(bmax, cuts, axis=1))
        self.d_flux += np.bincount(days, flux, self.D)
        self.d_flux_n += np.bincount(days, minlength=self.D)
        # Nodes.
        if ch.node_sat.size:
            self.n_nodes += np.bincount(ch.node_sat, minlength=S)
            ns, nt = ch.node_sat, ch.node_t  # sorted by (satellite, time) by both sources
            firsts = np.r_[True, ns[1:] != ns[:-1]]
            lasts = np.r_[ns[1:] != ns[:-1], True]
            fresh = np.isnan(self.first_node[ns[firsts]])
            self.first_node[ns[firsts][fresh]] = nt[firsts][fresh]
            self.last_node[ns[lasts]] = nt[lasts]
            if self.detail:
                self.node_detail.append((ns, nt, ch.beta_at(ns, nt)))
        if ch.intervals is not None:
            self._accumulate(*ch.intervals)
        else:
            # Crossings of each boundary, paired into intervals.
            ev = [_crossings(ch, j, off) for j in range(self.nb)]
            self._accumulate(*self._intervals(ch, ev, off))

    def _day_lengths(self, t_lo, t_hi):
        d0, d1 = int(t_lo // DAY_S), int(t_hi // DAY_S)
        for d in range(d0, min(d1, self.D - 1) + 1):
            a, b = max(t_lo, d * DAY_S), min(t_hi, (d + 1) * DAY_S) if d < self.D - 1 else t_hi
            if b > a:
                self.d_len[d] += b - a

    def _day(self, t):
        d = (np.asarray(t) * (1.0 / DAY_S)).astype(np.int64)
        return np.minimum(d, self.D - 1, out=d)

    def _intervals(self, ch, ev, off):
        S = self.S
        sh_sat, sh_t, sh_dir, sh_cut = ev[0]
        if self.nb == 2:
            um_sat, um_t, um_dir, um_cut = ev[1]
        else:
            um_sat, um_t, um_dir, um_cut = ev[0]
        # Umbra intervals (dark contributions).
        (us, u0, u1, uc0, uc1, _, _), (nt, nc), _ = _pair(S, um_sat, um_t, um_dir, um_cut, self.c_umb)
        self.c_umb = _Carry(nt, nc, self.c_umb.extra)
        # Penumbra-state intervals: enter at eclipse entry or umbra exit.
        if self.nb == 2:
            p_sat = np.concatenate([sh_sat, um_sat])
            p_t = np.concatenate([sh_t, um_t])
            p_dir = np.concatenate([sh_dir, -um_dir]).astype(np.int8)
            p_cut = np.concatenate([sh_cut, um_cut])
            (ps, p0, p1, pc0, pc1, p_old, p_extra), (nt, nc), opened = _pair(S, p_sat, p_t, p_dir, p_cut,
                                                                             self.c_pen)
            # Dark time is integrated over the part of each penumbra passage inside this
            # chunk's owned span; a passage that began earlier brings the integral of its
            # earlier part with it, and one still open takes its part so far to the next chunk.
            t_lo, t_hi = float(ch.t[off]), float(ch.t[-1])
            p_dark = self._penumbra_dark(ch, ps, np.maximum(p0, t_lo), p1)
            if p_old.any():
                p_dark[p_old] += p_extra[0, p_old]
            o_sat, o_t, o_old, o_extra = opened
            so_far = np.zeros((1, S))
            if o_sat.size:
                part = self._penumbra_dark(ch, o_sat, np.maximum(o_t, t_lo), np.full(o_sat.size, t_hi))
                if o_old.any():
                    part[o_old] += o_extra[0, o_old]
                so_far[0, o_sat] = part
            self.c_pen = _Carry(nt, nc, so_far)
        else:
            ps = np.zeros(0, np.int64)
            p0 = p1 = p_dark = np.zeros(0)
            pc0 = pc1 = np.zeros(0, bool)
        u_dur = u1 - u0
        # Cumulative dark/umbra contributions, for each eclipse's totals.
        c_sat = np.concatenate([us, ps])
        c_end = np.concatenate([u1, p1])
        c_dark = np.concatenate([u_dur, p_dark])
        c_umb = np.concatenate([u_dur, np.zeros(ps.size)])
        order = np.lexsort((c_end, c_sat))
        c_sat, c_end, c_dark, c_umb = c_sat[order], c_end[order], c_dark[order], c_umb[order]
        cd, cu = np.cumsum(c_dark), np.cumsum(c_umb)
        n_c = np.bincount(c_sat, minlength=S)
        first_c = np.cumsum(n_c) - n_c
        span = float(ch.t[-1] - ch.t[0]) + 4.0 * self.h + 1.0
        t_ref = float(ch.t[0]) - 2.0 * self.h
        keys = c_sat * span + (c_end - t_ref)

        def cumulative(sat, x):
            """Cumulative (dark, umbra) of satellite ``sat`` from contributions ending at or before x."""
            pos = np.searchsorted(keys, sat * span + (x - t_ref), side="right")
            cnt = pos - first_c[sat]
            idx = np.maximum(pos - 1, 0)
            have = cnt > 0
            prev = np.maximum(first_c[sat] - 1, 0)
            base_d = np.where(first_c[sat] > 0, cd[prev], 0.0) if cd.size else np.zeros(sat.size)
            base_u = np.where(first_c[sat] > 0, cu[prev], 0.0) if cu.size else np.zeros(sat.size)
            d = np.where(have, (cd[idx] if cd.size else 0.0) - base_d, 0.0)
            uu = np.where(have, (cu[idx] if cu.size else 0.0) - base_u, 0.0)
            return self.cum_dark[sat] + d, self.cum_umb[sat] + uu

        # Eclipse intervals.
        (es, e0, e1, ec0, ec1, e_old, e_extra), (nt, nc), opened = _pair(
            S, sh_sat, sh_t, sh_dir, sh_cut, self.c_ecl)
        dark_at_0, umb_at_0 = cumulative(es, e0)
        if e_old.any():
            dark_at_0[e_old] = e_extra[0, e_old]
            umb_at_0[e_old] = e_extra[1, e_old]
        dark_at_1, umb_at_1 = cumulative(es, e1)
        e_dark = dark_at_1 - dark_at_0
        e_umb = umb_at_1 - umb_at_0
        # Carry the open eclipses with their cumulative values at entry.
        o_sat, o_t, o_old, o_extra = opened
        extra = np.zeros((2, S))
        if o_sat.size:
            od, ou = cumulative(o_sat, o_t)
            if o_old.any():
                od[o_old], ou[o_old] = o_extra[0, o_old], o_extra[1, o_old]
            extra[0, o_sat], extra[1, o_sat] = od, ou
        self.c_ecl = _Carry(nt, nc, extra)
        self.cum_dark += np.bincount(c_sat, c_dark, S)
        self.cum_umb += np.bincount(c_sat, c_umb, S)
        return ((es, e0, e1, ec0, ec1, e_dark, e_umb), (us, u0, u1, uc0, uc1),
                (ps, p0, p1, pc0, pc1, p_dark))

    def _accumulate(self, ecl, umb, pen):
        """Statistics of the intervals completed in a chunk."""
        S = self.S
        us, u0, u1, uc0, uc1 = umb
        ps, p0, p1, pc0, pc1, p_dark = pen
        u_dur = u1 - u0
        p_dur = p1 - p0
        self.umbra_s += np.bincount(us, u_dur, S)
        self.pen_s += np.bincount(ps, p_dur, S)
        self.dark_s += np.bincount(us, u_dur, S) + np.bincount(ps, p_dark, S)
        full_u = ~(uc0 | uc1)
        fu, fud = us[full_u], u_dur[full_u]
        if fu.size:  # grouped by satellite
            starts = np.flatnonzero(np.r_[True, fu[1:] != fu[:-1]])
            self.max_umb[fu[starts]] = np.maximum(self.max_umb[fu[starts]], np.maximum.reduceat(fud, starts))
        SD = S * self.D
        self.d_dark += (np.bincount(us * self.D + self._day(u0), u_dur, SD)
                        + np.bincount(ps * self.D + self._day(p0), p_dark, SD)).reshape(S, self.D)
        self._eclipse_stats(*ecl)
        if self.detail:
            self.iv["umbra"].append((us, u0, u1, uc0, uc1))
            self.iv["penumbra"].append((ps, p0, p1, pc0, pc1))
            self.iv["eclipse"].append(ecl[:5])
            self.ecl_detail.append((ecl[0], ecl[1], ecl[2], ecl[5], ecl[6]))

    def _penumbra_dark(self, ch, sat, t0, t1):
        """Integral of (1 - nu) over [t0, t1] (inside the chunk): 8-point Gauss-Legendre on
        each time step the interval covers.  Splitting at the grid samples keeps every node
        on one Hermite segment of the states, and makes the result independent of where the
        chunks end (a chunk boundary is always a grid sample)."""
        if sat.size == 0:
            return np.zeros(0)
        t = ch.t
        first = np.searchsorted(t, t0, side="right")          # samples strictly inside (t0, t1)
        inner = np.maximum(np.searchsorted(t, t1, side="left") - first, 0)
        n_piece = inner + 1
        item = np.repeat(np.arange(sat.size), n_piece)
        k = np.arange(item.size) - np.repeat(np.cumsum(n_piece) - n_piece, n_piece)
        at = first[item] + k
        start = np.where(k == 0, t0[item], t[np.clip(at - 1, 0, t.size - 1)])
        end = np.where(k == inner[item], t1[item], t[np.clip(at, 0, t.size - 1)])
        half, mid = 0.5 * (end - start), 0.5 * (end + start)
        tt = (mid[None, :] + half[None, :] * _GL_X[:, None]).ravel()
        ss = np.tile(sat[item], _GL_X.size)
        nu = ch.nu_at(ss, tt).reshape(_GL_X.size, -1)
        return np.bincount(item, half * np.sum(_GL_W[:, None] * (1.0 - nu), axis=0), sat.size)

    def _eclipse_stats(self, es, e0, e1, ec0, ec1, e_dark, e_umb):
        """Per-satellite statistics of completed eclipses, sorted by (satellite, entry)."""
        S, D = self.S, self.D
        if es.size == 0:
            return
        dur = e1 - e0
        self.shadow_s += np.bincount(es, dur, S)
        full = ~(ec0 | ec1)
        fs, fdur, fd, ft = es[full], dur[full], e_dark[full], e0[full]
        self.n_ecl += np.bincount(fs, minlength=S)
        self.sum_ecl += np.bincount(fs, fdur, S)
        if fs.size:
            # Segment maxima per satellite (the input is grouped by satellite).
            starts = np.flatnonzero(np.r_[True, fs[1:] != fs[:-1]])
            seg_s = fs[starts]
            self.max_ecl[seg_s] = np.maximum(self.max_ecl[seg_s], np.maximum.reduceat(fdur, starts))
            seg_dark = np.maximum.reduceat(fd, starts)
            better = seg_dark > self.max_dark[seg_s]
            if better.any():
                # When the darkest one happened: the first maximum of each segment.
                ends = np.r_[starts[1:], fs.size]
                at_max = np.flatnonzero(fd == np.repeat(seg_dark, ends - starts))
                where = at_max[np.searchsorted(at_max, starts)]
                self.max_dark[seg_s[better]] = seg_dark[better]
                self.max_dark_t[seg_s[better]] = ft[where[better]]
        day = self._day(e0)
        flat = es * D + day
        self.d_ecl += np.bincount(flat, dur, S * D).reshape(S, D)
        # Maxima per (satellite, day): the input is sorted by (satellite, time).
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
        cells = flat[starts]
        self.d_max.flat[cells] = np.maximum(self.d_max.flat[cells], np.maximum.reduceat(dur, starts))
        # Seasons: a new one after a gap longer than max(1 day, 1.5 periods).
        s_, a_, b_ = es, e0, e1
        first = np.r_[True, s_[1:] != s_[:-1]]
        prev_end = np.empty_like(a_)
        prev_end[1:] = b_[:-1]
        prev_end[first] = self.last_end[s_[first]]
        gap = self._season_gap()[s_]
        new = np.flatnonzero(np.isnan(prev_end) | (a_ - prev_end > gap))
        if new.size:
            ns = s_[new]
            first_new = np.r_[True, ns[1:] != ns[:-1]]
            # The season each new one closes: the carried one, or the previous new one.
            prev_start = np.empty(new.size)
            prev_start[1:] = a_[new[:-1]]
            prev_start[first_new] = self.season_open[ns[first_new]]
            closing = ~np.isnan(prev_start)
            self.season_rows.append((ns[closing], prev_start[closing], prev_end[new][closing]))
            last_new = np.r_[ns[1:] != ns[:-1], True]
            self.season_open[ns[last_new]] = a_[new][last_new]
        last = np.r_[s_[1:] != s_[:-1], True]
        self.last_end[s_[last]] = b_[last]

    def _season_gap(self):
        period = self._period()
        return np.maximum(DAY_S, 1.5 * np.nan_to_num(period, nan=0.0))

    def _period(self):
        if getattr(self.src, "period_s", None) is not None:
            return self.src.period_s
        with np.errstate(invalid="ignore", divide="ignore"):
            p = (self.last_node - self.first_node) / (self.n_nodes - 1)
        return np.where(self.n_nodes >= 2, p, np.nan)

    def _finish(self):
        """Close what is open at the window's end."""
        S, t_end = self.S, self.t_end
        ends = lambda c: np.flatnonzero(~np.isnan(c.t))  # noqa: E731
        # Umbra and penumbra still open: contributions up to the end.
        for carry, kind in ((self.c_umb, "umbra"), (self.c_pen, "penumbra")):
            s = ends(carry)
            if s.size == 0:
                continue
            t0 = carry.t[s]
            dur = t_end - t0
            if kind == "umbra":
                self.umbra_s += np.bincount(s, dur, S)
                self.dark_s += np.bincount(s, dur, S)
                np.add.at(self.d_dark, (s, self._day(t0)), dur)
                self.cum_dark[s] += dur
                self.cum_umb[s] += dur
            else:
                # Its dark time up to the end was integrated chunk by chunk (carry.extra).
                dark = carry.extra[0, s]
                self.pen_s += np.bincount(s, dur, S)
                self.dark_s += np.bincount(s, dark, S)
                np.add.at(self.d_dark, (s, self._day(t0)), dark)
                self.cum_dark[s] += dark
            if self.detail:
                self.iv[kind].append((s, t0, np.full(s.size, t_end), carry.cut[s], np.ones(s.size, bool)))
        s = ends(self.c_ecl)
        if s.size:
            t0 = self.c_ecl.t[s]
            e1 = np.full(s.size, t_end)
            e_dark = self.cum_dark[s] - self.c_ecl.extra[0, s]
            e_umb = self.cum_umb[s] - self.c_ecl.extra[1, s]
            self._eclipse_stats(s, t0, e1, self.c_ecl.cut[s], np.ones(s.size, bool), e_dark, e_umb)
            if self.detail:
                self.iv["eclipse"].append((s, t0, e1, self.c_ecl.cut[s], np.ones(s.size, bool)))
                self.ecl_detail.append((s, t0, e1, e_dark, e_umb))
        still = np.flatnonzero(~np.isnan(self.season_open))
        self.season_rows.append((still, self.season_open[still], self.last_end[still]))

    def _flux_day(self):
        with np.errstate(invalid="ignore", divide="ignore"):
            f = self.d_flux / self.d_flux_n
        return np.where(self.d_flux_n > 0, f, 1.0)

    # --- the report ------------------------------------------------------------
    def report(self, propagator: str, messages) -> EclipseReport:
        grid = self.grid
        valid = self.valid_pairs * self.h
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = lambda x: np.where(valid > 0, x / valid, np.nan)  # noqa: E731
            sunlit = frac(valid - self.dark_s)
            mean_ecl = np.where(self.n_ecl > 0, self.sum_ecl / self.n_ecl, np.nan)
        period = self._period()
        if np.any(np.isnan(period)):
            period = np.where(np.isnan(period), self._osculating_period(), period)
        with np.errstate(invalid="ignore", divide="ignore"):
            worst = np.clip(1.0 - self.max_dark / period, 0.0, 1.0)
        fday = self._flux_day()
        light = self.d_len[None, :] * (valid / max(self.t_end, 1e-9))[:, None] - self.d_dark
        with np.errstate(invalid="ignore", divide="ignore"):
            fws = np.where(valid > 0, np.sum(light * fday[None, :], axis=1) / valid, np.nan)
        wday = np.where(np.isnan(self.max_dark_t), 0, self._day(np.nan_to_num(self.max_dark_t)))
        worst_flux = np.where(np.isnan(self.max_dark_t), float(np.mean(fday)), fday[wday])
        rows = self.src.beta_rows
        bmin, bmax = self.d_beta_min, self.d_beta_max
        if rows is not None:
            bmin, bmax = bmin[rows], bmax[rows]
        bmin = np.where(np.isfinite(bmin), bmin, np.nan)
        bmax = np.where(np.isfinite(bmax), bmax, np.nan)
        with np.errstate(invalid="ignore"):
            beta_min = np.nanmin(np.where(np.isnan(bmin), np.inf, bmin), axis=1)
            beta_max = np.nanmax(np.where(np.isnan(bmax), -np.inf, bmax), axis=1)
        beta_min = np.where(np.isfinite(beta_min), beta_min, np.nan)
        beta_max = np.where(np.isfinite(beta_max), beta_max, np.nan)
        seasons = self._seasons(period)
        intervals = orbit_table = None
        if self.detail:
            intervals = self._interval_table()
            orbit_table = self._orbit_table(period)
        start = grid.start
        return EclipseReport(
            names=self.src.names, model=self.model, propagator=propagator, start=start.utc,
            end=_times(start, self.t_end), step=self.h * u.s,
            sunlit_fraction=sunlit, eclipse_fraction=frac(self.shadow_s),
            umbra_fraction=frac(self.umbra_s), penumbra_fraction=frac(self.pen_s),
            eclipses=self.n_ecl, mean_eclipse=mean_ecl * u.s, max_eclipse=self.max_ecl * u.s,
            max_umbra=self.max_umb * u.s, period=period * u.s,
            orbits=np.maximum(self.n_nodes - 1, 0), beta_min=np.degrees(beta_min) * u.deg,
            beta_max=np.degrees(beta_max) * u.deg, seasons=seasons,
            worst_orbit_sunlit_fraction=worst, flux_weighted_sunlit=fws, worst_orbit_flux=worst_flux,
            day_start=_times(start, np.arange(self.D) * DAY_S),
            daily_beta_min=np.degrees(bmin) * u.deg, daily_beta_max=np.degrees(bmax) * u.deg,
            daily_eclipse=self.d_ecl * u.s, daily_max_eclipse=self.d_max * u.s,
            intervals=intervals, orbit_table=orbit_table, messages=tuple(messages))

    def _osculating_period(self):
        """Two-body period from the first valid sample (when fewer than two nodes were seen)."""
        ch_src = self.src
        if isinstance(ch_src, _CircularSource):
            return ch_src.period_s
        r, v, valid = ch_src._states(0, 1)
        r0, v0 = r[:, :, 0], v[:, :, 0]
        rn = np.sqrt(np.sum(r0 * r0, axis=0))
        v2 = np.sum(v0 * v0, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            a = 1.0 / (2.0 / rn - v2 / MU_EARTH_M3_S2)
            return 2.0 * np.pi * np.sqrt(np.abs(a) ** 3 / MU_EARTH_M3_S2)

    def _seasons(self, period):
        start = self.grid.start
        gap = self._season_gap()
        per_sat: list[list[Season]] = [[] for _ in range(self.S)]
        sats = np.concatenate([r[0] for r in self.season_rows]).astype(np.int64)
        a = np.concatenate([r[1] for r in self.season_rows])
        b = np.concatenate([r[2] for r in self.season_rows])
        order = np.lexsort((a, sats))
        sats, a, b = sats[order], a[order], b[order]
        for k, sat in enumerate(sats.tolist()):
            per_sat[sat].append(Season(start, float(a[k]), float(b[k]), bool(a[k] < gap[sat]),
                                       bool(self.t_end - b[k] < gap[sat])))
        return tuple(tuple(x) for x in per_sat)

    def _gather(self, kind):
        parts = self.iv[kind]
        if not parts:
            return (np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, bool), np.zeros(0, bool))
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(5))

    def _interval_table(self) -> EclipseIntervals:
        cols = [[] for _ in range(6)]
        for kind in _KINDS:
            if kind == "penumbra" and self.nb == 1:
                continue
            s, t0, t1, c0, c1 = self._gather(kind)
            for lst, arr in zip(cols, (s, np.full(s.size, kind), t0, t1, c0, c1)):
                lst.append(arr)
        s, kind, t0, t1, c0, c1 = (np.concatenate(c) for c in cols)
        order = np.lexsort((t1, t0, s))
        return EclipseIntervals(self.src.names, self.grid.start, s[order], kind[order].astype(str),
                                t0[order], t1[order], c0[order].astype(bool), c1[order].astype(bool))

    def _orbit_table(self, period) -> OrbitTable:
        names, start = self.src.names, self.grid.start
        if self.node_detail:
            ns = np.concatenate([n[0] for n in self.node_detail])
            nt = np.concatenate([n[1] for n in self.node_detail])
            nb = np.concatenate([n[2] for n in self.node_detail])
        else:
            ns, nt, nb = np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        order = np.lexsort((nt, ns))
        ns, nt, nb = ns[order], nt[order], nb[order]
        # Revolutions: consecutive nodes of the same satellite.
        same = ns[1:] == ns[:-1]
        rs, r0, r1, rb = ns[:-1][same], nt[:-1][same], nt[1:][same], nb[:-1][same]
        if self.ecl_detail:
            es = np.concatenate([e[0] for e in self.ecl_detail])
            e0 = np.concatenate([e[1] for e in self.ecl_detail])
            e1 = np.concatenate([e[2] for e in self.ecl_detail])
            ed = np.concatenate([e[3] for e in self.ecl_detail])
            eu = np.concatenate([e[4] for e in self.ecl_detail])
        else:
            es, e0, e1, ed, eu = (np.zeros(0, np.int64),) + (np.zeros(0),) * 4
        n = rs.size
        ecl, umb, dark = np.zeros(n), np.zeros(n), np.zeros(n)
        if n and es.size:
            span = self.t_end + 10.0 * DAY_S
            rkeys = rs * span + r0
            k = np.searchsorted(rkeys, es * span + e0, side="right") - 1
            ok = (k >= 0) & (rs[np.maximum(k, 0)] == es) & (e0 < r1[np.maximum(k, 0)])
            np.add.at(ecl, k[ok], (e1 - e0)[ok])
            np.add.at(umb, k[ok], eu[ok])
            np.add.at(dark, k[ok], ed[ok])
        orbit_no = np.zeros(n, np.int64)
        if n:
            first = np.r_[True, rs[1:] != rs[:-1]]
            idx = np.arange(n)
            orbit_no = idx - np.maximum.accumulate(np.where(first, idx, 0)) + 1
        return OrbitTable(names, start, rs, orbit_no, r0, r1 - r0, ecl, umb, dark, rb)
