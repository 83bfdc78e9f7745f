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

import numpy as np

from ..constants import J2, MU_EARTH_M3_S2, R_EARTH_M


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
