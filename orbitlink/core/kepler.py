"""Two-body and J2-secular propagation, vectorized over satellites x times.

Elements are arrays of shape (S,); times ``t_s`` (T,) are seconds from the
element epoch.  Results are ``(3, S, T)`` positions (m) and velocities (m/s)
in the inertial frame the elements are referred to.

J2-secular model (Vallado, *Fundamentals of Astrodynamics*, 4th ed., eqs.
9-41): with n = sqrt(mu/a^3), p = a(1-e^2), k = J2 (R/p)^2,
    dRAAN/dt = -3/2 n k cos i
    dargp/dt =  3/4 n k (5 cos^2 i - 1)
    dM/dt    =  n (1 + 3/4 k sqrt(1-e^2) (3 cos^2 i - 1))
The short-period J2 terms are not modelled (a few km along-track in LEO; see
docs/design/propagators.md for the difference measured against Cowell).
"""

from __future__ import annotations

import os

import numpy as np

from ..constants import J2, MU_EARTH_M3_S2, R_EARTH_M
from . import memory


def j2_secular_rates(a_m, e, i_rad, *, j2=J2, mu=MU_EARTH_M3_S2, r_m=R_EARTH_M):
    """Secular rates (rad/s) of RAAN, argument of perigee and mean anomaly."""
    a_m, e, i_rad = np.asarray(a_m, float), np.asarray(e, float), np.asarray(i_rad, float)
    n = np.sqrt(mu / a_m**3)
    p = a_m * (1.0 - e**2)
    k = j2 * (r_m / p) ** 2
    c = np.cos(i_rad)
    raan_dot = -1.5 * n * k * c
    argp_dot = 0.75 * n * k * (5.0 * c**2 - 1.0)
    m_dot = n * (1.0 + 0.75 * k * np.sqrt(1.0 - e**2) * (3.0 * c**2 - 1.0))
    return raan_dot, argp_dot, m_dot


def solve_kepler(M, e, tol=1e-14, max_iter=30):
    """Eccentric anomaly E from mean anomaly M (rad) for 0 <= e < 1 (Newton).

    Starts from E = M + e sin M (or pi for e > 0.8) and converges
    quadratically; all elements iterate together until the largest
    correction is below ``tol``.
    """
    M = np.asarray(M, float)
    e = np.broadcast_to(np.asarray(e, float), M.shape)
    M = np.remainder(M, 2.0 * np.pi)
    E = np.where(e > 0.8, np.pi, M + e * np.sin(M))
    for _ in range(max_iter):
        dE = (E - e * np.sin(E) - M) / (1.0 - e * np.cos(E))
        E -= dE
        if np.max(np.abs(dE), initial=0.0) < tol:
            break
    return E


def propagate(a_m, e, i_rad, raan_rad, argp_rad, m_rad, t_s, *, j2=True,
              mu=MU_EARTH_M3_S2):
    """Positions and velocities (3, S, T) from mean elements at t_s = 0.

    ``j2=False`` gives the pure two-body (Keplerian) solution.  The velocity is
    the exact time derivative of the modelled position, including the drift of
    the node and perigee, so r and v are consistent for interpolation.
    """
    a, e, i, raan0, argp0, m0 = (np.atleast_1d(np.asarray(x, float))[:, None]
                                 for x in (a_m, e, i_rad, raan_rad, argp_rad, m_rad))
    t = np.asarray(t_s, float)[None, :]
    n = np.sqrt(mu / a**3)
    if j2:
        raan_dot, argp_dot, m_dot = j2_secular_rates(a, e, i, mu=mu)
    else:
        raan_dot, argp_dot, m_dot = np.zeros_like(a), np.zeros_like(a), n
    raan = raan0 + raan_dot * t
    argp = argp0 + argp_dot * t
    M = m0 + m_dot * t

    if np.all(e == 0.0):
        # Circular: true anomaly = mean anomaly, no Kepler solve needed.
        u = argp + M
        r_pf = a * np.ones_like(u)
        cu, su = np.cos(u), np.sin(u)
        # In-plane position and d/dM of it (the orbit frame rotated by u).
        x_orb, y_orb = r_pf * cu, r_pf * su
        dx_dM, dy_dM = -r_pf * su, r_pf * cu
    else:
        E = solve_kepler(M, np.broadcast_to(e, M.shape))
        cE, sE = np.cos(E), np.sin(E)
        b = a * np.sqrt(1.0 - e**2)
        xp, yp = a * (cE - e), b * sE
        dE_dM = 1.0 / (1.0 - e * cE)
        dxp, dyp = -a * sE * dE_dM, b * cE * dE_dM
        co, so = np.cos(argp), np.sin(argp)
        x_orb, y_orb = co * xp - so * yp, so * xp + co * yp
        dx_dM, dy_dM = co * dxp - so * dyp, so * dxp + co * dyp

    cO, sO = np.cos(raan), np.sin(raan)
    ci, si = np.cos(i), np.sin(i)
    # r = R3(-raan) R1(-i) [x_orb, y_orb, 0]
    r = np.stack([
        cO * x_orb - sO * ci * y_orb,
        sO * x_orb + cO * ci * y_orb,
        si * y_orb * np.ones_like(cO),
    ])
    dr_dM = np.stack([
        cO * dx_dM - sO * ci * dy_dM,
        sO * dx_dM + cO * ci * dy_dM,
        si * dy_dM * np.ones_like(cO),
    ])
    v = dr_dM * m_dot
    if j2:
        # Node drift: d/dt of R3(-raan) is raan_dot * (z x r).
        v[0] -= raan_dot * r[1]
        v[1] += raan_dot * r[0]
        # Perigee drift: rotation about the orbit normal h = (sO si, -cO si, ci).
        hx, hy, hz = sO * si, -cO * si, ci * np.ones_like(cO)
        v[0] += argp_dot * (hy * r[2] - hz * r[1])
        v[1] += argp_dot * (hz * r[0] - hx * r[2])
        v[2] += argp_dot * (hx * r[1] - hy * r[0])
    return r, v


# Threads pay off above this many satellite-steps (about 50 ms of work).
PARALLEL_MIN_SAT_STEPS = 1_000_000


def propagate_circular(a_m, i_rad, raan_rad, u_rad, t_s, R, W, *, j2=True,
                       mu=MU_EARTH_M3_S2, workers: int | None = None):
    """Circular orbits straight to GCRS and ITRS states, plane by plane.

    The fast path for designed constellations.  A circular orbit is
    ``r = a (cos u P + sin u Q)`` with the node vector P and the in-plane
    normal Q of its plane, so every output component is ``cos u * X + sin u * Y``
    where X, Y depend only on the plane and the time.  Satellites sharing a
    plane (same a, i, RAAN: a Walker plane) also share the rate of u, so
    ``u = u_s + w(t)`` and, by the angle-addition formulas,

        cos u X + sin u Y = cos u_s (cos w X + sin w Y) + sin u_s (cos w Y - sin w X)
                          = cos u_s A(t) + sin u_s B(t).

    Each output block of a plane is therefore the product of an (n, 2) matrix
    of the satellites' ``(cos u_s, sin u_s)`` with the plane's (2, T) rows
    ``A, B``: every sine and cosine, and the rotation to ITRS (``R``, ``W`` as
    from :func:`orbitlink.earth.gcrs_to_itrs`), is computed per plane and
    time, never per satellite, and the outputs are written in one pass.
    Exactly the same model as :func:`propagate` with e = 0 (node drift, and
    u advancing at dargp/dt + dM/dt); the two agree to float rounding.

    ``workers``: threads filling planes (default: every core above a million
    satellite-steps); the result does not depend on it.

    Returns ``(r_gcrs, v_gcrs, r_itrs, v_itrs)``, each (3, S, T).
    """
    a_m, i_rad, raan_rad, u_rad = (np.atleast_1d(np.asarray(x, float)) for x in (a_m, i_rad, raan_rad, u_rad))
    t = np.asarray(t_s, float)
    n_sat, n_t = a_m.size, t.size
    if j2:
        raan_dot, argp_dot, m_dot = j2_secular_rates(a_m, np.zeros(n_sat), i_rad, mu=mu)
    else:
        raan_dot, argp_dot, m_dot = np.zeros(n_sat), np.zeros(n_sat), np.sqrt(mu / a_m**3)
    u_dot = argp_dot + m_dot

    outs = tuple(memory.empty((3, n_sat, n_t)) for _ in range(4))   # written once: see core.memory
    keys = np.stack([a_m, i_rad, raan_rad])
    _, plane_of = np.unique(keys, axis=1, return_inverse=True)
    plane_of = plane_of.ravel()
    order = np.argsort(plane_of, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(plane_of[order]) != 0])
    zeros = np.zeros(n_t)

    def fill_plane(first, last):
        sats = order[first:last]
        s0 = sats[0]
        a, inc, od, ud = a_m[s0], i_rad[s0], raan_dot[s0], u_dot[s0]
        raan = raan_rad[s0] + od * t
        cO, sO, ci, si = np.cos(raan), np.sin(raan), np.cos(inc), np.sin(inc)
        P = np.stack([cO, sO, zeros])                   # node direction
        Q = np.stack([-sO * ci, cO * ci, np.full(n_t, si)])  # 90 deg ahead in the plane
        zxP = np.stack([-sO, cO, zeros])                # z x P and z x Q: node drift
        zxQ = np.stack([-cO * ci, -sO * ci, zeros])
        # r = cos u (aP) + sin u (aQ);  v = cos u (a ud Q + a od zxP) + sin u (-a ud P + a od zxQ)
        Xr, Yr = a * P, a * Q
        Xv, Yv = a * (ud * Q + od * zxP), a * (-ud * P + od * zxQ)
        Xri, Yri = _mxv(R, Xr), _mxv(R, Yr)
        Xvi = _mxv(R, Xv) + _mxv(W, Xri)
        Yvi = _mxv(R, Yv) + _mxv(W, Yri)

        w = ud * t                                       # u - u_s, shared by the plane
        cw, sw = np.cos(w), np.sin(w)
        K = np.stack([np.cos(u_rad[sats]), np.sin(u_rad[sats])], axis=1)   # (n, 2)
        contiguous = sats[-1] - sats[0] == sats.size - 1 and np.all(np.diff(sats) == 1)
        for out, X, Y in zip(outs, (Xr, Xv, Xri, Xvi), (Yr, Yv, Yri, Yvi)):
            AB = np.stack([cw * X + sw * Y, cw * Y - sw * X])     # (2, 3, T)
            for c in range(3):
                if contiguous:
                    np.matmul(K, AB[:, c], out=out[c, sats[0]:sats[-1] + 1])
                else:
                    out[c, sats] = K @ AB[:, c]

    planes = list(zip(starts, np.r_[starts[1:], n_sat]))
    if workers is None:
        workers = (os.cpu_count() or 1) if n_sat * n_t >= PARALLEL_MIN_SAT_STEPS else 1
    workers = max(1, min(int(workers), len(planes)))
    if workers == 1:
        for first, last in planes:
            fill_plane(first, last)
    else:
        # numpy releases the GIL in the array work: planes fill in parallel, each
        # thread writing its own satellites' rows (and faulting in its own pages).
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda fl: fill_plane(*fl), planes))
    return outs


def _mxv(M, v):
    """(3, 3, T) x (3, T) -> (3, T)."""
    return np.einsum("ijt,jt->it", M, v)
