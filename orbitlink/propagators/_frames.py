"""Shared step of every propagator: inertial states -> a Track with ITRS states."""

from __future__ import annotations

import numpy as np

from ..core.frames import rotate
from ..times import TimeGrid
from ..track import Track


def track_from_gcrs(grid: TimeGrid, names, r_gcrs_m, v_gcrs_m_s, valid, propagator,
                    messages=()) -> Track:
    """Rotate GCRS states to ITRS once per time step and wrap them in a Track."""
    R, W = grid.gcrs_to_itrs
    r_itrs = rotate(R, r_gcrs_m)
    v_itrs = rotate(R, v_gcrs_m_s)
    v_itrs += rotate(W, r_itrs)
    return Track(grid, tuple(names), r_gcrs_m, v_gcrs_m_s, r_itrs, v_itrs,
                 np.asarray(valid, bool), propagator, tuple(messages))
