"""Eclipses of circular orbits in closed form, orbit by orbit (pure numpy).

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

:class:`CircularOrbits` is the position source of the eclipse engine for such
orbits (:mod:`orbitlink.eclipse.sources` builds it from an OrbitSet): it hands
out each chunk's intervals already solved, as a :class:`~.eclipse_kernels.Chunk`.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ..constants import AU_M, DAY_S, MU_EARTH_M3_S2
from . import shadow
from .eclipse_kernels import GL_NODES, GL_WEIGHTS, HALF_RULE, Chunk, ChunkIntervals, Intervals
from .roots import bisect

# Passages whose half-width (in u - phi) is below this are solved by bisection on the exact function.
GRAZE_RAD = 0.05
# Plane tables every ~10 min (phi, rho: linear interpolation error < 1e-8 rad).
TABLE_STEP_S = 600.0


def table_pad_s(a_max_m) -> float:
    """How far beyond a chunk the plane tables must reach (s): an orbit and a bit."""
    period = 2.0 * np.pi * np.sqrt(a_max_m ** 3 / MU_EARTH_M3_S2)
    return float(min(1.1 * period, 5.0 * DAY_S) + 7200.0)


class PlaneTables(NamedTuple):
    """Per-plane Sun geometry on the table times of one chunk (padded by an orbit)."""

    t_s: np.ndarray              # (N,) table times
    rho: np.ndarray              # (P, N) cos(beta)
    phi: np.ndarray              # (P, N) in-plane angle of the Sun, unwrapped
    day_t_s: np.ndarray          # (D,) coarse (about daily) nodes for the thresholds
    thresholds: np.ndarray       # (K, R, D) shadow boundaries as x = r_hat . s_hat, per radius
    sun_distance_m: np.ndarray   # (D,)
    own_lo: int                  # table indices of the chunk's first and last sample
    own_hi: int


class OrbitCrossings(NamedTuple):
    """Entry and exit of one boundary for the orbits whose passage reaches it."""

    sat: np.ndarray
    entry_s: np.ndarray
    exit_s: np.ndarray
    orbit: np.ndarray    # index into the chunk's list of orbits


class LocalModel(NamedTuple):
    """Linear model of each orbit's geometry around its anti-Sun time ``t_mid_s``."""

    t_mid_s: np.ndarray
    rho: np.ndarray
    rho_rate: np.ndarray
    angular_rate: np.ndarray      # d(u - phi)/dt
    sun_distance_m: np.ndarray

    def take(self, orbit: np.ndarray) -> "LocalModel":
        return LocalModel(*(x[orbit] for x in self))


class CircularOrbits:
    """Designed circular orbits as an eclipse position source, solved orbit by orbit.

    Elements are referred to the grid start (t = 0): ``u0_rad`` the argument of
    latitude, ``raan0_rad`` the node, both advancing linearly at ``u_rate`` and
    ``raan_rate`` (rad/s).  ``sun_gcrs_m(t_s)`` gives the Sun (3, N) at seconds
    from the grid start, within ``sun_span_s``.
    """

    def __init__(self, names, a_m, inc_rad, u0_rad, u_rate, raan0_rad, raan_rate, *, t_s: np.ndarray,
                 step_s: float, sun_gcrs_m: Callable, sun_span_s: tuple[float, float], model: str):
        self.names = tuple(names)
        self.a_m, self.inc_rad = a_m, inc_rad
        self.u0_rad, self.u_rate = u0_rad, u_rate
        self.raan0_rad, self.raan_rate = raan0_rad, raan_rate
        keys = np.stack([a_m, inc_rad, raan0_rad])
        _, member, plane = np.unique(keys, axis=1, return_index=True, return_inverse=True)
        self.plane_of = plane.ravel()          # (S,) plane of each satellite
        self.plane_member = member             # one member satellite per plane
        self.n_planes = member.size
        self.t_s, self.step_s = t_s, step_s
        self.sun_gcrs_m, self.sun_span_s, self.model = sun_gcrs_m, sun_span_s, model
        self.period_s = 2.0 * np.pi / u_rate
        self.radii_m, radius_of = np.unique(a_m, return_inverse=True)
        self.radius_of = radius_of.ravel()
        self.phi_end = None       # phi at the end of the last chunk, to keep it continuous
        self.next_orbit = None    # the first orbit number of the next chunk, per satellite
        self.pad_s = table_pad_s(np.max(a_m))
        self.table_every = max(1, int(TABLE_STEP_S // step_s))
        self.messages: list[str] = []

    # --- what the engine asks of a source ---------------------------------------------
    @property
    def n_sat(self) -> int:
        return self.a_m.size

    @property
    def n_beta_rows(self) -> int:
        return self.n_planes

    @property
    def beta_rows(self) -> np.ndarray:
        """The row of each satellite in the chunks' beta tables (its plane)."""
        return self.plane_of

    def chunk_steps(self, chunk_elements: int) -> int:
        """Grid steps per chunk: work is per orbit, so chunks of up to 30 days, bounding the
        orbits handled at once (~40 floats each) as well as the tables."""
        every, step = self.table_every, self.step_s
        per_orbit = float(np.min(self.period_s)) / (max(self.n_sat, 1) * step)
        steps = min(int(30 * DAY_S / step), every * chunk_elements // max(self.n_planes, 1),
                    int(chunk_elements // 5 * per_orbit))
        return int(max(every, steps // every * every))

    def osculating_period_s(self) -> np.ndarray:
        return self.period_s

    def _nodes(self, t0, t1):
        """Ascending nodes (u = 0 mod 2 pi) with t0 <= t < t1."""
        two_pi = 2.0 * np.pi
        n0 = np.ceil((self.u0_rad + self.u_rate * t0) / two_pi)
        n1 = np.ceil((self.u0_rad + self.u_rate * t1) / two_pi)
        count = (n1 - n0).astype(np.int64)
        sat = np.repeat(np.arange(self.n_sat), count)
        k = np.arange(sat.size) - np.repeat(np.cumsum(count) - count, count)
        t = ((n0[sat] + k) * two_pi - self.u0_rad[sat]) / self.u_rate[sat]
        return sat, t

    def _sun(self, t_s):
        return self.sun_gcrs_m(np.clip(t_s, self.sun_span_s[0], self.sun_span_s[1]))

    def chunk(self, v0: int, v1: int, k0: int) -> Chunk:
        step, n_samples = self.step_s, self.t_s.size
        first, last = k0 == 0, v1 == n_samples - 1
        t_lo, t_hi = float(self.t_s[k0]), float(self.t_s[v1])
        # Plane tables every tab_step (a multiple of the step dividing the chunk),
        # with t_lo and t_hi on nodes, padded by an orbit on both sides.
        every = self.table_every
        n_own = (v1 - k0) // every if (v1 - k0) % every == 0 else None
        if n_own is None:  # the last, shorter chunk: fall back to the step itself
            every, n_own = 1, v1 - k0
        tab_step = every * step
        pad = int(math.ceil(self.pad_s / tab_step)) + 2
        tab_t = t_lo + tab_step * np.arange(-pad, n_own + pad + 1, dtype=np.float64)
        own_lo, own_hi = pad, pad + n_own
        sun = self._sun(tab_t)
        dist = np.sqrt(np.sum(sun * sun, axis=0))
        sun_hat = sun / dist
        members = self.plane_member
        raan = self.raan0_rad[members, None] + self.raan_rate[members, None] * tab_t
        cos_raan, sin_raan = np.cos(raan), np.sin(raan)
        cos_i, sin_i = np.cos(self.inc_rad[members])[:, None], np.sin(self.inc_rad[members])[:, None]
        p_dot_s = cos_raan * sun_hat[0] + sin_raan * sun_hat[1]                             # P . s_hat
        q_dot_s = cos_i * (cos_raan * sun_hat[1] - sin_raan * sun_hat[0]) + sin_i * sun_hat[2]  # Q . s_hat
        rho = np.hypot(p_dot_s, q_dot_s)                                                     # cos(beta)
        phi = np.unwrap(np.arctan2(q_dot_s, p_dot_s), axis=1)
        if self.phi_end is not None:  # keep phi continuous from chunk to chunk
            phi += np.round((self.phi_end - phi[:, own_lo]) / (2 * np.pi))[:, None] * (2 * np.pi)
        self.phi_end = phi[:, own_hi].copy()
        own = slice(own_lo, own_hi + 1 if last else own_hi)
        beta = np.arcsin(np.clip(sin_i * (sin_raan[:, own] * sun_hat[0, own] - cos_raan[:, own] * sun_hat[1, own])
                                 + cos_i * sun_hat[2, own], -1.0, 1.0))
        flux = (AU_M / dist[own]) ** 2
        node_sat, node_t = self._nodes(t_lo, t_hi + (1e-6 if last else 0.0))
        # Thresholds per distinct radius at daily nodes (they follow the Sun's
        # distance, which changes by < 3e-4 a day).
        n_days = int(math.ceil((tab_t[-1] - tab_t[0]) / DAY_S)) + 1
        day_t = np.linspace(tab_t[0], tab_t[-1], n_days + 1)
        day_dist = np.sqrt(np.sum(self._sun(day_t) ** 2, axis=0))
        thresholds = np.stack(shadow.circular_thresholds(self.radii_m[:, None], day_dist[None, :], self.model))
        tables = PlaneTables(tab_t, rho, phi, day_t, thresholds, day_dist, own_lo, own_hi)
        intervals = self._eclipses(tables, first, last)
        sun_hat_own = sun_hat[:, own]

        def beta_at(sat, tt):
            q = np.clip(np.round((tt - tab_t[own_lo]) / tab_step).astype(np.int64), 0, sun_hat_own.shape[1] - 1)
            raan_ = self.raan0_rad[sat] + self.raan_rate[sat] * tt
            sin_i_, cos_i_ = np.sin(self.inc_rad[sat]), np.cos(self.inc_rad[sat])
            return np.arcsin(np.clip(sin_i_ * (np.sin(raan_) * sun_hat_own[0, q] - np.cos(raan_) * sun_hat_own[1, q])
                                     + cos_i_ * sun_hat_own[2, q], -1.0, 1.0))

        return Chunk(self.t_s[v0:v1 + 1], None, None, None, beta, flux, node_sat, node_t,
                     None, None, beta_at, intervals, daily_t_s=tab_t[own])

    # --- the closed form ------------------------------------------------------------------
    def _eclipses(self, tab: PlaneTables, first: bool, last: bool) -> ChunkIntervals:
        """Every eclipse whose anti-Sun point falls in this chunk, in closed form."""
        two_pi, pi = 2.0 * np.pi, np.pi
        ts, phi, rho = tab.t_s, tab.phi, tab.rho
        h, t_first = ts[1] - ts[0], ts[0]
        plane, u0, u_rate = self.plane_of, self.u0_rad, self.u_rate
        day_step = tab.day_t_s[1] - tab.day_t_s[0]
        i_lo, i_hi = tab.own_lo, tab.own_hi

        def at(arr, rows, t):
            """Value and slope of a table at t (linear between nodes)."""
            x = (t - t_first) / h
            q = np.minimum(np.maximum(x.astype(np.int64), 0), ts.size - 2)
            lo, hi = arr[rows, q], arr[rows, q + 1]
            return lo + (hi - lo) * (x - q), (hi - lo) / h

        psi_lo = u0 + u_rate * ts[i_lo] - phi[plane, i_lo]
        psi_hi = u0 + u_rate * ts[i_hi] - phi[plane, i_hi]
        if self.next_orbit is None:
            n_lo = np.ceil((psi_lo - pi) / two_pi) - (1 if first else 0)
        else:
            n_lo = self.next_orbit
        n_hi = np.floor((psi_hi - pi) / two_pi) + 1 if last else np.ceil((psi_hi - pi) / two_pi) - 1
        self.next_orbit = n_hi + 1
        count = np.maximum(n_hi - n_lo + 1, 0).astype(np.int64)
        sat = np.repeat(np.arange(self.n_sat), count)
        n = n_lo[sat] + (np.arange(sat.size) - np.repeat(np.cumsum(count) - count, count))
        # Anti-Sun point of each orbit: u - phi = pi + 2 pi n.
        target = pi + two_pi * n
        rows = plane[sat]
        us, uds = u0[sat], u_rate[sat]
        tm = ts[i_lo] + (target - psi_lo[sat]) / uds
        for _ in range(2):
            tm += (target - (us + uds * tm - at(phi, rows, tm)[0])) / uds
        # Local linear model around tm: phi, rho and thresholds vary slowly.
        phi_m, phi_dot = at(phi, rows, tm)
        tm += (target - (us + uds * tm - phi_m)) / uds
        rho_m, rho_dot = at(rho, rows, tm)
        xq = (tm - tab.day_t_s[0]) / day_step
        qn = np.minimum(np.maximum(xq.astype(np.int64), 0), tab.day_t_s.size - 2)
        r_idx = self.radius_of[sat]
        th_lo, th_hi = tab.thresholds[:, r_idx, qn], tab.thresholds[:, r_idx, qn + 1]
        x_m = th_lo + (th_hi - th_lo) * (xq - qn)
        x_dot = (th_hi - th_lo) / day_step
        w = uds - phi_dot  # d(u - phi)/dt
        cross = [self._boundary(sat, tm, rho_m, rho_dot, x_m[j], x_dot[j], w)
                 for j in range(tab.thresholds.shape[0])]
        model = LocalModel(tm, rho_m, rho_dot, w, tab.sun_distance_m[qn])
        return self._intervals(cross, sat, model, edge=first or last)

    def _boundary(self, sat, tm, rho_m, rho_dot, x_m, x_dot, w) -> OrbitCrossings:
        """Entry and exit of one boundary (threshold ``x_m`` changing at ``x_dot``) around ``tm``."""
        pi = np.pi
        sel = np.flatnonzero(rho_m > -x_m)
        r0, r1, x0, x1, ww = rho_m[sel], rho_dot[sel], x_m[sel], x_dot[sel], w[sel]
        alpha_m = np.arccos(np.clip(x0 / r0, -1.0, 1.0))
        # Entry at psi = pi - (pi - alpha) relative to tm, exit at pi + (pi - alpha).
        tau_in, tau_out = (alpha_m - pi) / ww, (pi - alpha_m) / ww
        for _ in range(2):
            tau_in = (np.arccos(np.clip((x0 + x1 * tau_in) / (r0 + r1 * tau_in), -1, 1)) - pi) / ww
            tau_out = (pi - np.arccos(np.clip((x0 + x1 * tau_out) / (r0 + r1 * tau_out), -1, 1))) / ww
        graze = np.flatnonzero(pi - alpha_m < GRAZE_RAD)
        if graze.size:
            gr0, gr1, gx0, gx1, gw = r0[graze], r1[graze], x0[graze], x1[graze], ww[graze]

            def x_minus_threshold(idx, tau):
                return -(gr0[idx] + gr1[idx] * tau) * np.cos(gw[idx] * tau) - (gx0[idx] + gx1[idx] * tau)

            reach = (pi - alpha_m[graze] + 2.0 * GRAZE_RAD) / gw
            tau_in[graze] = bisect(x_minus_threshold, -reach, np.zeros(graze.size))
            tau_out[graze] = bisect(x_minus_threshold, reach, np.zeros(graze.size))
        tmj = tm[sel]
        return OrbitCrossings(sat[sel], tmj + np.minimum(tau_in, 0.0), tmj + np.maximum(tau_out, 0.0), sel)

    def _intervals(self, cross: list[OrbitCrossings], sat, model: LocalModel, edge=True) -> ChunkIntervals:
        """Clip to the window and build the eclipse, umbra and penumbra intervals."""
        t_end = float(self.t_s[-1])
        ecl = cross[0]

        def clip(sat_, a, b):
            """(kept, sat, t0, t1, cut_start, cut_end) of intervals clipped to the window."""
            if not edge:
                return slice(None), sat_, a, b, np.zeros(sat_.size, bool), np.zeros(sat_.size, bool)
            keep = (b > 0.0) & (a < t_end)
            sat_, a, b = sat_[keep], a[keep], b[keep]
            return keep, sat_, np.maximum(a, 0.0), np.minimum(b, t_end), a < 0.0, b > t_end

        if len(cross) == 1:  # cylindrical: every eclipse is umbra
            _, es, e0, e1, ec0, ec1 = clip(ecl.sat, ecl.entry_s, ecl.exit_s)
            dur = e1 - e0
            return ChunkIntervals(Intervals(es, e0, e1, ec0, ec1, dur, dur), Intervals(es, e0, e1, ec0, ec1),
                                  Intervals.empty(dark=True))
        es, e0, e1, e_sel = ecl.sat, ecl.entry_s, ecl.exit_s, ecl.orbit
        umb = cross[1]
        # Umbra entry/exit per eclipse (NaN when the passage misses the umbra).
        ui0 = np.full(sat.size, np.nan)
        ui1 = np.full(sat.size, np.nan)
        ui0[umb.orbit], ui1[umb.orbit] = umb.entry_s, umb.exit_s
        um0, um1 = ui0[e_sel], ui1[e_sel]
        has_u = ~np.isnan(um0)
        i_u, i_n = np.flatnonzero(has_u), np.flatnonzero(~has_u)
        # Penumbra pieces: entry -> umbra entry, umbra exit -> exit; or entry -> exit.
        p_ecl = np.concatenate([i_u, i_u, i_n])
        p_s = es[p_ecl]
        p_a = np.concatenate([e0[i_u], um1[i_u], e0[i_n]])
        p_b = np.concatenate([um0[i_u], e1[i_u], e1[i_n]])
        u_half = 0.5 * (um1[i_u] - um0[i_u])
        steady = np.concatenate([um0[i_u] - e0[i_u] < HALF_RULE * u_half,
                                 e1[i_u] - um1[i_u] < HALF_RULE * u_half])
        p_edge = np.concatenate([steady, np.zeros(i_n.size, bool)])
        keep_p, p_s, pa, pb, pc0, pc1 = clip(p_s, p_a, p_b)
        p_edge, p_ecl = p_edge[keep_p], p_ecl[keep_p]
        p_dark = 0.5 * (pb - pa)
        quad = np.flatnonzero(~p_edge | pc0 | pc1)
        if quad.size:
            orbit = e_sel[p_ecl[quad]]  # index into the chunk's orbit list
            p_dark[quad] = self._dark_time(p_s[quad], pa[quad], pb[quad], model.take(orbit))
        keep_u, us_c, ua, ub, uc0, uc1 = clip(es[i_u], um0[i_u], um1[i_u])
        u_ecl = i_u[keep_u]
        keep_e, es_c, ea, eb, ec0, ec1 = clip(es, e0, e1)
        # Per-eclipse totals (indices into the unclipped eclipse list).
        e_dark = np.bincount(p_ecl, p_dark, es.size) + np.bincount(u_ecl, ub - ua, es.size)
        e_umb = np.bincount(u_ecl, ub - ua, es.size)
        return ChunkIntervals(Intervals(es_c, ea, eb, ec0, ec1, e_dark[keep_e], e_umb[keep_e]),
                              Intervals(us_c, ua, ub, uc0, uc1),
                              Intervals(p_s, pa, pb, pc0, pc1, p_dark))

    def _dark_time(self, sat, a, b, model: LocalModel):
        """Integral of (1 - nu) over [a, b] (8-point Gauss-Legendre) from the local model."""
        half, mid = 0.5 * (b - a), 0.5 * (b + a)
        tau = (mid[None, :] + half[None, :] * GL_NODES[:, None]) - model.t_mid_s[None, :]
        x = -(model.rho + model.rho_rate * tau) * np.cos(model.angular_rate * tau)
        c, a_sun, b_earth = shadow.circular_angles(x, self.a_m[sat][None, :], model.sun_distance_m[None, :])
        nu = shadow.illuminated_fraction_from_angles(c, a_sun, b_earth)
        return half * np.sum(GL_WEIGHTS[:, None] * (1.0 - nu), axis=0)
