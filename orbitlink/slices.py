"""Consecutive time slices of a grid that reproduce the whole run's states.

Long spans are analysed slice by slice so that memory does not grow with the span:
the in-process latency run (:func:`orbitlink.link.latency.round_trip` on a source)
and the Dask tasks of :mod:`orbitlink.scale` both cut the grid here, so both see
exactly the states one run over the whole grid would.
"""

from __future__ import annotations

from .times import TimeGrid
from .units import count

__all__ = ["sub_grid", "time_chunks"]


def time_chunks(grid: TimeGrid, steps_per_task: int) -> list[tuple[int, int]]:
    """``(first, last)`` sample indices (inclusive) of consecutive time slices of ``grid``.

    Slices share their boundary sample (each task counts ``first .. last - 1``,
    the final one up to ``last``).  Boundaries fall on the grid's Earth-rotation
    nodes (:data:`orbitlink.earth.NODE_STEP_S`) and no slice is shorter than
    four node intervals, so every slice interpolates nutation between the same
    nodes as the whole grid: the states are the single run's.
    """
    from .earth import NODE_STEP_S

    steps_per_task = count(steps_per_task, "steps_per_task")
    n = grid.size
    every = int(round(NODE_STEP_S / grid.step_s)) if grid.step_s > 0 else 1
    every = max(every, 1)
    size = max(steps_per_task, 4 * every)
    size = -(-size // every) * every                     # a whole number of node intervals
    edges = list(range(0, n - 1, size)) + [n - 1]
    if len(edges) > 2 and edges[-1] - edges[-2] < 4 * every:
        del edges[-2]                                    # a short tail joins the slice before it
    return list(zip(edges[:-1], edges[1:]))


def sub_grid(grid: TimeGrid, first: int, last: int) -> TimeGrid:
    """Samples ``first .. last`` (inclusive) of ``grid`` as a grid of their own."""
    return TimeGrid(grid.start, grid.t_s[first:last + 1])
