"""The pass search over groups of satellites in threads, and the merge of group results.

Satellites are searched independently (every bound and screen of
:func:`orbitlink.core.passes.find_passes` is per satellite), so contiguous
satellite groups can be searched in threads (numpy releases the GIL in the
array work, which is most of the search) or in other processes
(:mod:`orbitlink.scale`), and :func:`concat_pass_arrays` merges the parts into
exactly the one-search result.
"""

from __future__ import annotations

import os

import numpy as np

from .passes import PassArrays, find_passes
from .topocentric import Sites

# Threads pay off above roughly this much work (satellite-station-track steps):
# numpy releases the GIL in the array work, which is most of the search; below
# it, thread start-up and the merge cost more than they save.
PARALLEL_MIN_PAIR_STEPS = 20_000_000

__all__ = ["PARALLEL_MIN_PAIR_STEPS", "concat_pass_arrays", "find_passes_parallel"]


def find_passes_parallel(r_itrs_m, v_itrs_m_s, t_s, sites: Sites, *, workers: int | None = None,
                         timings: dict | None = None, **options) -> PassArrays:
    """:func:`~orbitlink.core.passes.find_passes` over contiguous groups of satellites in
    ``workers`` threads.

    The merged result equals the one-thread search exactly.  ``workers=None``
    uses every core for searches above ``PARALLEL_MIN_PAIR_STEPS``, else one thread.
    """
    from concurrent.futures import ThreadPoolExecutor

    _, S, T = np.shape(r_itrs_m)
    if workers is None:
        workers = (os.cpu_count() or 1) if S * sites.pos.shape[1] * T >= PARALLEL_MIN_PAIR_STEPS else 1
    workers = max(1, min(int(workers), S))
    if workers == 1:
        return find_passes(r_itrs_m, v_itrs_m_s, t_s, sites, timings=timings, **options)
    edges = [S * k // workers for k in range(workers + 1)]
    stage_times = [None if timings is None else {} for _ in range(workers)]

    def part(k):
        lo, hi = edges[k], edges[k + 1]
        return find_passes(r_itrs_m[:, lo:hi], v_itrs_m_s[:, lo:hi], t_s, sites,
                           timings=stage_times[k], **options)

    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(part, range(workers)))
    if timings is not None:
        for st in stage_times:
            for stage, sec in st.items():
                timings[stage] = timings.get(stage, 0.0) + sec
    return concat_pass_arrays(parts, edges[:-1])


def concat_pass_arrays(parts, sat_offsets) -> PassArrays:
    """One :class:`PassArrays` from searches of consecutive satellite groups, in the
    single search's order (AOS, then satellite, then station); counters summed."""
    sat = np.concatenate([p.sat + off for p, off in zip(parts, sat_offsets)])

    def cat(name):
        return np.concatenate([getattr(p, name) for p in parts])

    station, aos = cat("station"), cat("aos_s")
    order = np.lexsort((station, sat, aos))
    stats = dict(parts[0].stats)
    for key in ("pair_intervals", "scanned_intervals", "scan_samples", "grazing_passes"):
        stats[key] = sum(p.stats[key] for p in parts)
    return PassArrays(sat[order], station[order], aos[order], cat("tca_s")[order], cat("los_s")[order],
                      cat("max_elevation_rad")[order], cat("aos_cut")[order], cat("los_cut")[order], stats)
