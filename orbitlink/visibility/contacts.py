"""Contact statistics of a set of passes: contact time, busy time and revisit gaps.

Pure interval arithmetic on the :class:`~orbitlink.visibility.results.Passes`
arrays (no propagation, no geometry), vectorized over stations and satellites.
"""

from __future__ import annotations

import numpy as np

from .results import ContactStatistics, Passes

__all__ = ["contact_statistics", "merge_intervals", "search_passes"]


def search_passes(passes, stations, search: dict, caller: str) -> Passes:
    """``passes`` if it is a :class:`Passes` (then no ``stations`` or search keywords), else the
    passes of that source over ``stations`` (:func:`~orbitlink.visibility.find_passes`)."""
    from ..errors import StationError

    if isinstance(passes, Passes):
        extra = (["stations"] if stations is not None else []) + sorted(search)
        if extra:
            raise StationError(f"{extra[0]}: {caller} of a Passes takes its stations and grid from it "
                               "(give a source instead to search passes)")
        return passes
    if stations is None:
        raise StationError(f"stations: {caller} of a source needs the stations to search passes over "
                           "(e.g. stations='ksat' or a GroundStations)")
    from .passes import find_passes

    return find_passes(passes, stations, **search)


def merge_intervals(group, start, end, n_groups: int, window_s: float):
    """Union of intervals per group: (covered_s, gap_count, gap_mean_s, gap_max_s), each (n_groups,).

    Gaps include the stretch before the first and after the last contact of
    the window (for a satellite never in contact: one gap, the whole window);
    zero-length gaps (touching intervals, passes cut by the window) are not
    counted.
    """
    covered = np.zeros(n_groups)
    gap_n = np.zeros(n_groups, np.int64)
    gap_sum = np.zeros(n_groups)
    gap_max = np.zeros(n_groups)
    if group.size:
        order = np.lexsort((start, group))
        g, a, b = group[order], start[order], end[order]
        # Offsetting each group by more than the window lets one running maximum
        # serve every group at once.
        off = g * (2.0 * window_s + 10.0)
        run = np.maximum.accumulate(b + off)
        prev = np.r_[-np.inf, run[:-1]]
        new = (a + off > prev) | np.r_[True, g[1:] != g[:-1]]
        first = np.flatnonzero(new)
        last = np.r_[first[1:] - 1, g.size - 1]
        mg = g[first]
        ma = a[first]
        mb = run[last] - off[last]
        np.add.at(covered, mg, mb - ma)
        # Gaps: before each merged interval (from the previous one or the window start), and the tail.
        prev_end = np.r_[0.0, mb[:-1]]
        same = np.r_[False, mg[1:] == mg[:-1]]
        prev_end = np.where(same, prev_end, 0.0)
        gaps = np.concatenate([ma - prev_end, window_s - mb[np.r_[mg[1:] != mg[:-1], True]]])
        gg = np.concatenate([mg, mg[np.r_[mg[1:] != mg[:-1], True]]])
        pos = gaps > 1e-9
        np.add.at(gap_n, gg[pos], 1)
        np.add.at(gap_sum, gg[pos], gaps[pos])
        np.maximum.at(gap_max, gg[pos], gaps[pos])
    none = np.ones(n_groups, bool)
    if group.size:
        none[np.unique(group)] = False
    gap_n[none] = 1
    gap_sum[none] = window_s
    gap_max[none] = window_s
    with np.errstate(invalid="ignore"):
        gap_mean = np.where(gap_n > 0, gap_sum / np.maximum(gap_n, 1), 0.0)
    return covered, gap_n, gap_mean, gap_max


def contact_statistics(passes, stations=None, **search) -> ContactStatistics:
    """Contact time per day per station and per satellite, revisit gaps and network coverage.

    ``passes`` is a :class:`~orbitlink.visibility.results.Passes`, or a source
    (a Track, an orbit spec such as ``"550km"``, an OrbitSet or ElementSet) whose
    passes over ``stations`` (any form :func:`orbitlink.places.stations` reads:
    ``"ksat"``, ``"SvalSat"``, ``(78.23, 15.39)``, a list ...) are found first by
    :func:`~orbitlink.visibility.find_passes` with the keywords ``search``
    (``min_elevation``, ``start``, ``duration``, ``step`` ...), as
    ``orbitlink coverage --station`` does.
    """
    passes = search_passes(passes, stations, search, "contact_statistics")
    S, G, W = len(passes.satellites), len(passes.stations), passes.window_s
    dur = passes.duration_s
    st_pass = np.bincount(passes.station_index, minlength=G)
    st_contact = np.bincount(passes.station_index, weights=dur, minlength=G)
    st_busy, *_ = merge_intervals(passes.station_index, passes.aos_s, passes.los_s, G, W)
    sat_pass = np.bincount(passes.sat_index, minlength=S)
    sat_cov, gap_n, gap_mean, gap_max = merge_intervals(passes.sat_index, passes.aos_s, passes.los_s, S, W)
    return ContactStatistics(passes.satellites, passes.stations.names, W, st_pass, st_contact,
                             st_busy, sat_pass, sat_cov, gap_n, gap_mean, gap_max)
