"""Contact-plan kernels: conflicts between passes and the greedy antenna assignment, pure numpy.

A *contact* is a whole pass (AOS to LOS over the station's threshold) given to
one antenna of its station.  Two rules bind a plan:

- **antenna**: on one antenna, a contact starts at least ``setup_s`` after the
  previous one ends (slew and re-acquisition);
- **terminal**: a satellite has one downlink terminal, so its contacts (at any
  stations) do not overlap in time.

Every function works on parallel arrays of P passes (``group``/``start_s``/
``end_s``/``weight``) and loops only over antenna layers and greedy rounds,
never over satellites, stations or passes.
"""

from __future__ import annotations

import numpy as np

# Re-plans of a layer after moving double-booked satellites out (then the rest is filled greedily).
REPLANS = 2

__all__ = ["conflict_pairs", "greedy_independent_set", "one_antenna_optimum", "layered_plan", "antenna_cliques"]


def conflict_pairs(group: np.ndarray, start_s: np.ndarray, end_s: np.ndarray, gap_s: float,
                   subset: np.ndarray | None = None):
    """Pairs ``(i, j)`` of intervals of one group that are closer than ``gap_s``.

    Intervals ``[start, end]`` of the same group conflict when
    ``start_j < end_i + gap_s`` and ``start_i < end_j + gap_s`` (touching
    intervals with ``gap_s = 0`` do not).  ``i`` starts no later than ``j``
    (ties by index).  ``subset`` restricts the search to those indices.
    Returns two int64 arrays of original indices.
    """
    idx = np.arange(group.size) if subset is None else np.asarray(subset, np.int64)
    if idx.size < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    g, a, b = group[idx].astype(np.int64), start_s[idx], end_s[idx]
    order = np.lexsort((a, g))
    g, a, b, idx = g[order], a[order], b[order], idx[order]
    # One sorted key for all groups: each group offset beyond any interval end of the previous.
    span = float(np.max(b) - np.min(a)) + abs(gap_s) + 1.0
    base = float(np.min(a))
    key = (g - g[0]) * span + (a - base)
    limit = (g - g[0]) * span + (b - base) + gap_s
    hi = np.searchsorted(key, limit, side="left")
    n = np.maximum(hi - np.arange(idx.size) - 1, 0)
    first = np.repeat(np.arange(idx.size), n)
    offs = np.arange(first.size) - np.repeat(np.cumsum(n) - n, n)
    second = first + 1 + offs
    return idx[first], idx[second]


def greedy_independent_set(rank: np.ndarray, ei: np.ndarray, ej: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The greedy independent set by ``rank`` (higher first) among ``active`` nodes.

    Equals the sequential greedy (take the best remaining node, drop its
    neighbours, repeat) but runs in rounds: a node whose rank beats every
    undecided neighbour's is taken, and its neighbours dropped, all at once.
    ``rank`` must be distinct.  Returns a bool mask of the chosen nodes.
    """
    n = rank.size
    state = np.where(active, 0, -1).astype(np.int8)       # 0 undecided, 1 in, -1 out
    keep = active[ei] & active[ej]
    ei, ej = ei[keep], ej[keep]
    while ei.size:
        best = np.full(n, -1, np.int64)
        np.maximum.at(best, ei, rank[ej])
        np.maximum.at(best, ej, rank[ei])
        win = (state == 0) & (rank > best)
        state[win] = 1
        lose = np.concatenate([ej[win[ei]], ei[win[ej]]])
        state[lose] = -1
        keep = (state[ei] == 0) & (state[ej] == 0)
        ei, ej = ei[keep], ej[keep]
    state[state == 0] = 1                                   # no undecided neighbour left
    return state == 1


def one_antenna_optimum(station: np.ndarray, start_s: np.ndarray, end_s: np.ndarray, weight: np.ndarray,
                        setup_s: float, active: np.ndarray) -> np.ndarray:
    """Per station, the heaviest set of ``active`` passes one antenna can take (bool mask).

    Weighted interval scheduling (Kleinberg & Tardos, *Algorithm Design*,
    section 6.1) with each interval extended by ``setup_s``: passes sorted by
    end, ``best[k] = max(best[k-1], w_k + best[pred(k)])``.  The recurrence is
    sequential in ``k``, so it runs for every station at once on a
    (stations, passes) matrix, one column per step.
    """
    out = np.zeros(station.size, bool)
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return out
    order = np.lexsort((end_s[idx], station[idx]))
    idx = idx[order]
    gs, row = np.unique(station[idx], return_inverse=True)
    a, b, w = start_s[idx], end_s[idx], weight[idx]
    counts = np.bincount(row)
    first = np.cumsum(counts) - counts
    pos = np.arange(idx.size) - first[row]
    span = float(np.max(b) - np.min(a)) + abs(setup_s) + 1.0
    base = float(np.min(a))
    ends = row * span + (b - base) + setup_s          # sorted: by station, then end
    pred = np.searchsorted(ends, row * span + (a - base), side="right") - 1
    pred = np.where(pred >= first[row], pred - first[row], -1)
    G, N = gs.size, int(counts.max())
    # Time-major layout (N, G): the step k reads row k of W and earlier rows of best, contiguous.
    W = np.zeros((N, G))
    W[pos, row] = w
    PR = np.full((N, G), -1, np.int64)
    PR[pos, row] = pred
    flat_pred = (PR + 1) * G + np.arange(G)             # best[pred + 1, g] as a flat index
    best = np.zeros((N + 1, G))
    flat = best.reshape(-1)
    for k in range(N):                                 # the DP: one step per pass rank, all stations at once
        np.maximum(best[k], W[k] + flat[flat_pred[k]], out=best[k + 1])
    chosen = np.zeros((N, G), bool)
    i = counts - 1
    cols = np.arange(G)
    live = i >= 0
    while live.any():                                  # backtrack, all stations at once
        g, k = cols[live], i[live]
        wk = W[k, g]
        take = (wk > 0) & (wk + flat[flat_pred[k, g]] >= best[k, g])
        chosen[k[take], g[take]] = True
        i[live] = np.where(take, PR[k, g], k - 1)
        live = i >= 0
    out[idx] = chosen[pos, row]
    return out


def layered_plan(station: np.ndarray, satellite: np.ndarray, start_s: np.ndarray, end_s: np.ndarray,
                 weight: np.ndarray, antennas: np.ndarray, setup_s: float) -> np.ndarray:
    """Greedy plan: the antenna (0, 1, ...) of each pass, or -1 where it is not scheduled.

    Antenna layer ``a`` is filled for every station with more than ``a``
    antennas at once, from the passes not yet scheduled whose satellite is
    free: each station's antenna takes its heaviest feasible set
    (:func:`one_antenna_optimum`); where a satellite would then be in two
    contacts at once (at two stations), the lighter contact leaves the layer
    (:func:`greedy_independent_set`) and the stations are re-planned, until no
    satellite is double-booked.  Layers below ``a`` do not depend on how many
    antennas there are above, so adding antennas only adds contacts.
    """
    P = station.size
    out = np.full(P, -1, np.int64)
    if P == 0:
        return out
    rank = np.empty(P, np.int64)
    rank[np.lexsort((-np.arange(P), weight))] = np.arange(P)   # ties: earlier index first
    si, sj = conflict_pairs(satellite, start_s, end_s, 0.0)
    free = np.ones(P, bool)                                     # satellite not blocked by a contact
    for a in range(int(antennas.max(initial=0))):
        cand = free & (out < 0) & (antennas[station] > a)
        if not cand.any():
            break
        for _ in range(REPLANS + 1):
            chosen = one_antenna_optimum(station, start_s, end_s, weight, setup_s, cand)
            both = chosen[si] & chosen[sj]
            if not both.any():
                break
            keep = greedy_independent_set(rank, si[both], sj[both], chosen)
            cand &= ~(chosen & ~keep)
            chosen = keep
        chosen |= _fill(station, start_s, end_s, setup_s, rank, si, sj, cand & ~chosen, chosen)
        out[chosen] = a
        free[sj[chosen[si]]] = False
        free[si[chosen[sj]]] = False
    return out


def _fill(station, start_s, end_s, setup_s, rank, si, sj, rest, chosen) -> np.ndarray:
    """Passes of ``rest`` that still fit beside ``chosen`` on this antenna layer, taken greedily by rank."""
    both = rest | chosen
    ai, aj = conflict_pairs(station, start_s, end_s, setup_s, subset=np.flatnonzero(both))
    ei, ej = np.concatenate([ai, si]), np.concatenate([aj, sj])
    blocked = np.zeros(rest.size, bool)
    blocked[ej[chosen[ei]]] = True
    blocked[ei[chosen[ej]]] = True
    ok = rest & ~blocked
    if not ok.any():
        return ok
    return greedy_independent_set(rank, ei, ej, ok)


def antenna_cliques(group: np.ndarray, start_s: np.ndarray, end_s: np.ndarray, gap_s: float):
    """Maximal cliques of the interval conflict graph, as (row, member) index pairs.

    Row ``j`` holds pass ``j`` and every pass of its group whose interval,
    extended by ``gap_s``, contains ``start_j``: limiting each row to a
    capacity bounds every point in time (an interval family's densest points
    are its start points), so ``sum over row <= capacity`` for all rows is
    exactly "at most capacity at once".
    """
    i, j = conflict_pairs(group, start_s, end_s, gap_s)
    rows = np.concatenate([np.arange(group.size), j])
    members = np.concatenate([np.arange(group.size), i])
    return rows, members
