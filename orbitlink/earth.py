"""Earth orientation on a time grid: rotation matrices between GCRS, ITRS and TEME.

Computed once per time step through skyfield (IAU 2000A nutation, IERS UT1 and
polar motion from skyfield-data) and returned as plain ``(3, 3, T)`` arrays, so
the core can rotate a whole constellation with a handful of array products.
"""

from __future__ import annotations

import numpy as np

from .times import TimeGrid


def gcrs_to_itrs(grid: TimeGrid) -> tuple[np.ndarray, np.ndarray]:
    """``(R, W)`` with ``r_itrs = R r_gcrs`` and ``v_itrs = R v_gcrs + W r_itrs``.

    ``W = dR/dt R^T`` (1/s) carries Earth's rotation into velocities.  Both
    are ``(3, 3, T)``; identical to skyfield's ``frame_xyz_and_velocity(itrs)``.
    """
    from skyfield.framelib import itrs

    t = grid.sf
    R = _as_3x3T(itrs.rotation_at(t), grid.size)
    W = _as_3x3T(itrs._dRdt_times_RT_at(t), grid.size) / 86_400.0  # per day -> per second
    return R, W


def teme_to_gcrs(grid: TimeGrid) -> np.ndarray:
    """``(3, 3, T)`` rotation from SGP4's TEME frame to GCRS (skyfield's TEME frame)."""
    from skyfield.sgp4lib import TEME

    R_gcrs_to_teme = _as_3x3T(TEME.rotation_at(grid.sf), grid.size)
    return np.ascontiguousarray(R_gcrs_to_teme.transpose(1, 0, 2))


def _as_3x3T(M, n):
    M = np.asarray(M, dtype=np.float64)
    if M.ndim == 2:  # skyfield returns one matrix for a scalar time
        M = M[:, :, None]
    return np.broadcast_to(M, (3, 3, n)).copy() if M.shape[2] != n else M
