"""Earth orientation on a time grid: rotation matrices between GCRS, ITRS and TEME.

Computed through skyfield (IAU 2000A nutation, IERS UT1 and polar motion from
skyfield-data) and returned as plain ``(3, 3, T)`` arrays, so the core can
rotate a whole constellation with a handful of array products.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # times.py imports this module lazily for TimeGrid.gcrs_to_itrs
    from .times import TimeGrid

# Nutation-precession is evaluated exactly every NODE_STEP_S and interpolated
# between (see gcrs_to_itrs and teme_to_gcrs); shorter or uneven grids are
# computed exactly.
NODE_STEP_S = 600.0


def _node_index(grid: TimeGrid) -> np.ndarray | None:
    """Sample indices where slowly varying rotations are evaluated exactly (every
    NODE_STEP_S and the last sample), or None where the grid is computed exactly:
    uneven, or too short for interpolation to save anything."""
    every = int(round(NODE_STEP_S / grid.step_s)) if grid.step_s > 0 else 0
    even = grid.size > 2 and np.ptp(np.diff(grid.t_s)) < 1e-6 * max(grid.step_s, 1e-9)
    if not even or every < 2 or grid.size < 4 * every:
        return None
    idx = np.arange(0, grid.size, every)
    if idx[-1] != grid.size - 1:
        idx = np.append(idx, grid.size - 1)
    return idx


def _interpolate(grid: TimeGrid, idx: np.ndarray, M_nodes: np.ndarray) -> np.ndarray:
    """(3, 3, T) matrices linearly interpolated in time from their values at ``idx``."""
    out = np.empty((3, 3, grid.size))
    for i in range(3):
        for j in range(3):
            out[i, j] = np.interp(grid.t_s, grid.t_s[idx], M_nodes[i, j])
    return out


def gcrs_to_itrs(grid: TimeGrid, *, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(R, W)`` with ``r_itrs = R r_gcrs`` and ``v_itrs = R v_gcrs + W r_itrs``.

    ``W = dR/dt R^T`` (1/s) carries Earth's rotation into velocities.  Both
    are ``(3, 3, T)`` and equal skyfield's ``frame_xyz_and_velocity(itrs)``.

    ``R(t) = E(theta(t)) B(t)``: ``E`` rotates by the Earth rotation angle
    theta (IERS Conventions 2010 eq. 5.15, exact at every step from the grid's
    UT1) and ``B`` (precession-nutation, and polar motion seen from the
    rotating frame) changes by ~3e-6 rad a day.  On long even grids ``B`` and
    ``W`` are evaluated exactly every ``NODE_STEP_S`` seconds and interpolated
    linearly: error below 1e-9 rad (7 mm at LEO radius, tested), and a day at
    10 s costs 0.02 s instead of ~1 s of IAU 2000A nutation at all 8,641 steps.
    ``exact=True`` evaluates every step.
    """
    idx = None if exact else _node_index(grid)
    if idx is None:
        return _exact(grid)
    R_nodes, W_nodes = _exact(replace(grid, t_s=grid.t_s[idx]))
    E = _rot_z(_earth_rotation_angle(grid.sf))
    B_nodes = np.einsum("jit,jkt->ikt", E[:, :, idx], R_nodes)  # E^T R at the nodes
    B = _interpolate(grid, idx, B_nodes)
    return np.einsum("ijt,jkt->ikt", E, B), _interpolate(grid, idx, W_nodes)


def _exact(grid: TimeGrid) -> tuple[np.ndarray, np.ndarray]:
    from skyfield.framelib import itrs

    t = grid.sf
    R = _as_3x3T(itrs.rotation_at(t), grid.size)
    W = _as_3x3T(itrs._dRdt_times_RT_at(t), grid.size) / 86_400.0  # per day -> per second
    return R, W


def _earth_rotation_angle(t) -> np.ndarray:
    """ERA (rad) from a skyfield Time's two-part UT1 Julian date (IERS Conventions 2010, eq. 5.15)."""
    whole = np.asarray(t.whole, float)
    frac = np.asarray(t.ut1_fraction, float)
    turns = frac + whole % 1.0 + 0.7790572732640 + 0.00273781191135448 * ((whole - 2451545.0) + frac)
    return 2.0 * math.pi * (turns % 1.0)


def _rot_z(theta) -> np.ndarray:
    """(3, 3, T) rotations of the coordinate frame by ``theta`` about z."""
    c, s = np.cos(theta), np.sin(theta)
    z, o = np.zeros_like(c), np.ones_like(c)
    return np.array([[c, s, z], [-s, c, z], [z, z, o]])


def teme_to_gcrs(grid: TimeGrid, *, exact: bool = False) -> np.ndarray:
    """``(3, 3, T)`` rotation from SGP4's TEME frame to GCRS (skyfield's TEME frame).

    TEME differs from GCRS by precession-nutation and the equation of the
    equinoxes, all slow (the fastest nutation term has a 5.6-day period), so on
    long even grids the matrix is evaluated exactly every ``NODE_STEP_S`` and
    interpolated linearly: about 1e-12 rad from the exact matrix (7 um at LEO
    radius; tested below 1e-11 rad), and a day at 10 s costs milliseconds instead of ~0.3-0.7 s of
    IAU 2000A nutation at 8,641 times.  ``exact=True`` evaluates every step.
    """
    from skyfield.sgp4lib import TEME

    idx = None if exact else _node_index(grid)
    at = grid if idx is None else replace(grid, t_s=grid.t_s[idx])
    M = np.ascontiguousarray(_as_3x3T(TEME.rotation_at(at.sf), at.size).transpose(1, 0, 2))
    return M if idx is None else _interpolate(grid, idx, M)


def _as_3x3T(M, n):
    M = np.asarray(M, dtype=np.float64)
    if M.ndim == 2:  # skyfield returns one matrix for a scalar time
        M = M[:, :, None]
    return np.broadcast_to(M, (3, 3, n)).copy() if M.shape[2] != n else M
