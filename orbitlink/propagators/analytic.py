"""Analytic propagation of designed orbits: two-body or J2-secular (the default)."""

from __future__ import annotations

import numpy as np

from ..core import kepler
from ..orbits import OrbitSet
from ..times import TimeGrid, check_size
from ..track import Track
from ._frames import track_from_gcrs


def _seconds_from_epoch(orbits: OrbitSet, grid: TimeGrid) -> tuple[OrbitSet, np.ndarray]:
    """``orbits`` referred to the grid start, and the grid's times in seconds from their epoch."""
    orbits = orbits.at_epoch(grid.start)
    return orbits, (grid.start - orbits.epoch).sec + grid.t_s


def propagate(orbits: OrbitSet, grid: TimeGrid, *, j2: bool = True) -> Track:
    """Track of ``orbits`` on ``grid`` (J2-secular; ``j2=False`` for two-body).

    Elements without an epoch are taken to hold at the grid start.  The
    Track's ``propagator`` is ``"analytic"`` (J2-secular) or ``"two-body"``,
    the names :func:`orbitlink.propagators.propagate` accepts.
    """
    check_size(len(orbits), grid.size)
    orbits, t_s = _seconds_from_epoch(orbits, grid)
    valid = np.ones((len(orbits), grid.size), dtype=bool)
    name = "analytic" if j2 else "two-body"
    if np.all(orbits.e == 0.0):
        # Circular orbits (every designed constellation): plane-wise fast path.
        R, W = grid.gcrs_to_itrs
        r, v, r_itrs, v_itrs = kepler.propagate_circular(
            orbits.a_m, orbits.i_rad, orbits.raan_rad, orbits.argp_rad + orbits.m_rad, t_s, R, W, j2=j2)
        return Track(grid, tuple(orbits.names), r, v, r_itrs, v_itrs, valid, name)
    r, v = kepler.propagate(orbits.a_m, orbits.e, orbits.i_rad, orbits.raan_rad,
                            orbits.argp_rad, orbits.m_rad, t_s, j2=j2)
    return track_from_gcrs(grid, orbits.names, r, v, valid, name)


def propagate_gcrs(orbits: OrbitSet, grid_or_t_s, *, j2: bool = True,
                   start=None) -> tuple[np.ndarray, np.ndarray]:
    """GCRS ``(r_m, v_m_s)``, each (3, S, T), of ``orbits``: no ITRS rotation.

    ``grid_or_t_s`` is a :class:`~orbitlink.times.TimeGrid`, or seconds from
    ``start`` (an astropy Time, then required).  For analyses that need
    inertial states only (the eclipse engine's sampled source): the same
    states as :func:`propagate`'s ``r_gcrs_m`` / ``v_gcrs_m_s`` without the
    cost of the rotation to ITRS.
    """
    if isinstance(grid_or_t_s, TimeGrid):
        start, t_s = grid_or_t_s.start, grid_or_t_s.t_s
    elif start is None:
        raise TypeError("propagate_gcrs: seconds need a start time (start=)")
    else:
        t_s = np.asarray(grid_or_t_s, dtype=float)
    orbits = orbits.at_epoch(start)
    t_s = (start - orbits.epoch).sec + t_s
    return kepler.propagate(orbits.a_m, orbits.e, orbits.i_rad, orbits.raan_rad,
                            orbits.argp_rad, orbits.m_rad, t_s, j2=j2)
