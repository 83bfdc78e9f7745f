"""Cubic Hermite interpolation of positions from positions and velocities on a uniform grid.

Between two samples ``(r0, v0)`` and ``(r1, v1)`` a step ``dt`` apart, the
position is the cubic that matches both positions and both velocities.  In
``tau = (t - t0) / dt`` in [0, 1], written in powers of tau::

    r(tau) = c0 + c1 tau + c2 tau^2 + c3 tau^3
    c0 = r0,  c1 = v0 dt,  c2 = 3 (r1 - r0) - (2 v0 + v1) dt,  c3 = 2 (r0 - r1) + (v0 + v1) dt

Its error is a fourth-order term (dt^4 / 384 times the fourth derivative):
measured against direct SGP4 for Starlink TLEs, at most 1.3 mm with 10 s
states and 0.69 m with 60 s states.

Two ways in: :func:`interpolate` for one-off positions of given satellites at
given times (reads the track each call), and :func:`power_coefficients` +
:func:`evaluate` / :func:`derivative` when the same segments are evaluated
many times (root finding): gather the coefficients once, then Horner.

Pure numpy; positions may be any (3, ...) arrays, velocities in the same unit
per second.
"""

from __future__ import annotations

import numpy as np

__all__ = ["basis", "derivative", "evaluate", "hermite_positions", "interpolate", "power_coefficients",
           "second_derivative"]


def power_coefficients(r0, v0, r1, v1, dt, out=None):
    """Coefficients ``(c0, c1, c2, c3)`` stacked on a new first axis, shape ``(4,) + r0.shape``:
    the Hermite cubic of the segment in powers of ``tau`` in [0, 1].  ``out``: an array
    of that shape to fill instead of a new one."""
    r0 = np.asarray(r0, dtype=np.float64)
    r1 = np.asarray(r1, dtype=np.float64)
    v0 = np.asarray(v0, dtype=np.float64) * dt
    v1 = np.asarray(v1, dtype=np.float64) * dt
    if out is None:
        return np.stack([r0, v0, 3 * (r1 - r0) - 2 * v0 - v1, 2 * (r0 - r1) + v0 + v1])
    out[0] = r0
    out[1] = v0
    out[2] = 3 * (r1 - r0) - 2 * v0 - v1
    out[3] = 2 * (r0 - r1) + v0 + v1
    return out


def evaluate(C, tau):
    """``c0 + c1 tau + c2 tau^2 + c3 tau^3`` (Horner); ``tau`` broadcasts against ``C[0]``."""
    return ((C[3] * tau + C[2]) * tau + C[1]) * tau + C[0]


def derivative(C, tau):
    """d/dtau of :func:`evaluate` (divide by ``dt`` for a rate per second)."""
    return (3 * C[3] * tau + 2 * C[2]) * tau + C[1]


def second_derivative(C, tau):
    """d^2/dtau^2 of :func:`evaluate`."""
    return 6 * C[3] * tau + 2 * C[2]


def basis(tau, dt):
    """The Hermite basis at ``tau``, shape ``(4,) + tau.shape``: the weights of
    ``r0, v0, r1, v1`` (velocity weights include ``dt``)."""
    tau = np.asarray(tau, dtype=np.float64)
    tau2 = tau * tau
    tau3 = tau2 * tau
    return np.stack([2 * tau3 - 3 * tau2 + 1, (tau3 - 2 * tau2 + tau) * dt,
                     -2 * tau3 + 3 * tau2, (tau3 - tau2) * dt])


def interpolate(r, v, t0_s, dt_s, sat, x_s):
    """Positions (3, N) of satellites ``sat`` (N,) at seconds ``x_s`` (N,).

    ``r`` and ``v`` are (3, S, T) samples at ``t0_s + k dt_s``; ``x_s`` is on
    the same time axis as ``t0_s``.  Times outside the grid extrapolate the
    first or last segment's cubic.
    """
    r = np.asarray(r)
    v = np.asarray(v)
    sat = np.asarray(sat)
    x = np.asarray(x_s, dtype=np.float64)
    dt = float(dt_s)
    u = (x - float(t0_s)) / dt
    i = np.clip(np.floor(u).astype(np.int64), 0, r.shape[2] - 2)
    h00, h10, h01, h11 = basis(u - i, dt)
    out = np.empty((3,) + x.shape)
    for c in range(3):          # one component at a time: (N,) temporaries only
        rc, vc = r[c], v[c]
        out[c] = h00 * rc[sat, i] + h10 * vc[sat, i] + h01 * rc[sat, i + 1] + h11 * vc[sat, i + 1]
    return out


def hermite_positions(r_itrs_m, v_itrs_m_s, t_s, sat, x_s):
    """Positions (3, N) of satellites ``sat`` at ``x_s`` seconds from ``t_s[0]`` (uniform ``t_s``)."""
    t = np.asarray(t_s, dtype=np.float64)
    return interpolate(r_itrs_m, v_itrs_m_s, 0.0, t[1] - t[0], sat, x_s)
