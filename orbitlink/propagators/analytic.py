"""Analytic propagation of designed orbits: two-body or J2-secular (the default)."""

from __future__ import annotations

import numpy as np

from ..core import kepler
from ..orbits import OrbitSet
from ..times import TimeGrid, check_size
from ..track import Track
from ._frames import track_from_gcrs


def propagate(orbits: OrbitSet, grid: TimeGrid, *, j2: bool = True) -> Track:
    """Track of ``orbits`` on ``grid`` (J2-secular; ``j2=False`` for two-body).

    Elements without an epoch are taken to hold at the grid start.
    """
    check_size(len(orbits), grid.size)
    orbits = orbits.at_epoch(grid.start)
    t_s = (grid.start - orbits.epoch).sec + grid.t_s
    valid = np.ones((len(orbits), grid.size), dtype=bool)
    name = "analytic-j2" if j2 else "two-body"
    if np.all(orbits.e == 0.0):
        # Circular orbits (every designed constellation): plane-wise fast path.
        R, W = grid.gcrs_to_itrs
        r, v, r_itrs, v_itrs = kepler.propagate_circular(
            orbits.a_m, orbits.i_rad, orbits.raan_rad, orbits.argp_rad + orbits.m_rad, t_s, R, W, j2=j2)
        return Track(grid, tuple(orbits.names), r, v, r_itrs, v_itrs, valid, name)
    r, v = kepler.propagate(orbits.a_m, orbits.e, orbits.i_rad, orbits.raan_rad,
                            orbits.argp_rad, orbits.m_rad, t_s, j2=j2)
    return track_from_gcrs(grid, orbits.names, r, v, valid, name)
