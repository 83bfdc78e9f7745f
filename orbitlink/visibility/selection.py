"""Choose k ground stations from candidates for a constellation.

Input: the passes of the constellation over every candidate station
(:func:`orbitlink.visibility.find_passes`).  They are sampled every ``step``
(default 60 s) into one set per station: the (satellite, time sample) pairs it
sees.  Objectives:

``coverage``
    maximise the mean over satellites of the fraction of time at least one
    chosen station sees the satellite (the network coverage).  A maximum
    coverage problem: monotone submodular, so greedy is within a factor
    1 - 1/e of the optimum (Nemhauser, Wolsey & Fisher 1978); lazy ("CELF",
    Leskovec et al. 2007) evaluation re-scores only the candidate on top of a
    heap of stale upper bounds.
``contact``
    maximise the total contact time: satellite-station link time summed over
    the chosen stations (two satellites in view of one station count twice, as
    they can for multi-antenna gateways).  This is additive over stations, so
    greedy (the k largest) is exactly optimal.
``capacity``
    maximise the scheduled contact time: each station's contact plan on its
    own antennas (``antennas`` column, default 1) with the default setup time
    between contacts (:mod:`orbitlink.schedule`), so two satellites over a
    one-antenna station count once.  Additive over stations (each planned
    alone), so greedy (the k largest) is exactly optimal.
``gap``
    minimise the longest revisit gap of any satellite (edge gaps included).
    Not submodular: greedy adds the station that lowers the worst gap most
    (ties broken by coverage), and carries no guarantee.

:func:`exact_selection` solves the same problems exactly with
``scipy.optimize.milp`` (HiGHS) for small cases, so the greedy result can be
compared with the optimum (:attr:`Selection.optimality_gap`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import astropy.units as u
import numpy as np

from ..errors import QuantityError, SelectionError
from ..report import rounded
from ..stations import GroundStations
from ..units import QuantityLike, to_si
from .results import Passes

__all__ = ["OBJECTIVES", "SampledSets", "Selection", "evaluate", "exact_selection", "sampled_sets", "select_stations",
           "station_capacity_s"]

OBJECTIVES = ("coverage", "contact", "capacity", "gap")


@dataclass(frozen=True)
class Selection:
    """Chosen stations (in the order greedy picked them) and the objective's value.

    ``value`` is the coverage fraction (0..1), the link time in seconds per day
    (contact) or the longest gap in seconds (gap), all evaluated on the
    ``step_s`` sampling; ``history`` is the value after each pick.
    ``optimum`` is filled by :func:`exact_selection` or ``compare_exact=True``.
    """

    objective: str
    k: int
    method: str
    indices: tuple[int, ...]
    stations: GroundStations
    value: float
    history: tuple[float, ...]
    step_s: float
    optimum: float | None = None
    optimum_indices: tuple[int, ...] | None = None
    solve_s: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def unit(self) -> str:
        return {"coverage": "fraction", "contact": "s/day", "capacity": "s/day", "gap": "s"}[self.objective]

    @property
    def optimality_gap(self) -> float | None:
        """Relative shortfall of this selection against the optimum (0 = optimal)."""
        if self.optimum is None:
            return None
        if self.objective == "gap":
            return (self.value - self.optimum) / self.optimum if self.optimum > 0 else 0.0
        return (self.optimum - self.value) / self.optimum if self.optimum > 0 else 0.0

    def to_dict(self) -> dict:
        key = {"coverage": "coverage_fraction", "contact": "contact_s_per_day",
               "capacity": "scheduled_s_per_day", "gap": "max_gap_s"}[self.objective]
        out = {
            "objective": self.objective,
            "k": self.k,
            "method": self.method,
            "stations": list(self.stations.names),
            key: rounded(self.value, 6),
            "history": [rounded(h, 6) for h in self.history],
            "step_s": self.step_s,
        }
        if self.optimum is not None:
            out["optimum"] = {key: rounded(self.optimum, 6),
                              "stations": None if self.optimum_indices is None else
                              [self.extra["candidates"][i] for i in self.optimum_indices],
                              "optimality_gap": rounded(self.optimality_gap, 6),
                              "solve_s": rounded(self.solve_s, 3)}
        return out


# --- sampled visibility sets ---------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SampledSets:
    """Per-station sets of (satellite, sample) element ids ``satellite * n_samples + sample``."""

    n_stations: int
    n_satellites: int
    n_samples: int
    step_s: float
    indptr: np.ndarray     # (G+1,) CSR offsets into elems
    elems: np.ndarray      # element ids s*NT + t, sorted within each station
    capacity_s: np.ndarray | None = None   # (G,) scheduled contact seconds, each station planned alone

    def of(self, g: int) -> np.ndarray:
        return self.elems[self.indptr[g]:self.indptr[g + 1]]

    def links(self) -> np.ndarray:
        """(satellite, sample) pairs each station sees (for ``contact``)."""
        return np.diff(self.indptr)

    @property
    def days(self) -> float:
        return self.n_samples * self.step_s / 86_400.0


def sampled_sets(passes: Passes, step_s: float) -> SampledSets:
    """The passes sampled every ``step_s`` into one set per station."""
    G, S = len(passes.stations), len(passes.satellites)
    NT = int(np.floor(passes.window_s / step_s + 1e-9)) + 1
    first = np.ceil(passes.aos_s / step_s - 1e-9).astype(np.int64)
    last = np.minimum(np.floor(passes.los_s / step_s + 1e-9).astype(np.int64), NT - 1)
    n = np.maximum(last - first + 1, 0)
    rep = np.repeat(np.arange(len(passes)), n)
    off = np.arange(rep.size) - np.repeat(np.cumsum(n) - n, n)
    t = first[rep] + off
    e = passes.sat_index[rep].astype(np.int64) * NT + t
    g = passes.station_index[rep].astype(np.int64)
    code = np.unique(g * (S * NT) + e)
    g, e = code // (S * NT), code % (S * NT)
    indptr = np.r_[0, np.cumsum(np.bincount(g, minlength=G))]
    return SampledSets(G, S, NT, step_s, indptr, e)


def station_capacity_s(passes: Passes, setup=None) -> np.ndarray:
    """Scheduled contact seconds of each station planned alone (G,): its own antennas, ``setup``
    (default :data:`orbitlink.stations.DEFAULT_SETUP`) between contacts on one antenna."""
    from ..core.contact_plan import layered_plan
    from ..stations import DEFAULT_SETUP

    G = len(passes.stations)
    setup_s = to_si(DEFAULT_SETUP if setup is None else setup, "time", "setup", lo=0 * u.s)
    sta = passes.station_index.astype(np.int64)
    # Satellites made distinct per station: stations planned alone do not share terminals.
    sat = passes.sat_index.astype(np.int64) * G + sta
    ant = layered_plan(sta, sat, passes.aos_s, passes.los_s, passes.duration_s, passes.stations.antennas, setup_s)
    on = ant >= 0
    return np.bincount(sta[on], weights=passes.duration_s[on], minlength=G)


def _with_capacity(sets: SampledSets, passes: Passes, objective: str) -> SampledSets:
    if objective != "capacity":
        return sets
    import dataclasses

    return dataclasses.replace(sets, capacity_s=station_capacity_s(passes))


def _max_gap_samples(cov: np.ndarray) -> np.ndarray:
    """Longest run of False per row of (S, NT) bool (edges included): (S,) ints."""
    S, NT = cov.shape
    padded = np.ones((S, NT + 2), bool)
    padded[:, 1:-1] = cov
    rows, cols = np.nonzero(padded)
    gaps = np.diff(cols) - 1
    same = rows[1:] == rows[:-1]
    gaps = np.where(same, gaps, 0)
    out = np.zeros(S, np.int64)
    np.maximum.at(out, rows[1:][same], gaps[same])
    return out


def _value(sets: SampledSets, chosen, objective: str) -> float:
    chosen = list(chosen)
    if objective == "coverage":
        if not chosen:
            return 0.0
        u_ = np.unique(np.concatenate([sets.of(g) for g in chosen]))
        return u_.size / (sets.n_satellites * sets.n_samples)
    if objective == "contact":
        return float(np.sum(sets.links()[chosen])) * sets.step_s / sets.days
    if objective == "capacity":
        return float(np.sum(sets.capacity_s[chosen])) / sets.days
    cov = np.zeros(sets.n_satellites * sets.n_samples, bool)
    for g in chosen:
        cov[sets.of(g)] = True
    return float(_max_gap_samples(cov.reshape(sets.n_satellites, sets.n_samples)).max(initial=0)) * sets.step_s


def evaluate(passes: Passes, indices, objective: str = "coverage", *, step: QuantityLike = 60 * u.s) -> float:
    """The objective's value for the stations at ``indices`` (same units as :class:`Selection`)."""
    _check_objective(objective)
    step_s = to_si(step, "time", "step", lo=0.001 * u.s)
    return _value(_with_capacity(sampled_sets(passes, step_s), passes, objective), indices, objective)


def _check_objective(objective: str) -> None:
    if objective not in OBJECTIVES:
        raise SelectionError(f"objective: {objective!r} is not one of {', '.join(OBJECTIVES)}")


def _check_k(k, G: int) -> int:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 1 <= k <= G:
        raise QuantityError(f"k: {k!r} is out of range (a whole number from 1 to the {G} candidates)")
    return int(k)


# --- greedy --------------------------------------------------------------------------------

def select_stations(passes, k: int, objective: str = "coverage", *, stations=None,
                    step: QuantityLike | None = None, sample_step: QuantityLike | None = None,
                    compare_exact: bool = False, time_limit: QuantityLike = 60 * u.s,
                    **search) -> Selection:
    """Greedy choice of ``k`` of the stations in ``passes`` for ``objective``.

    ``passes`` is a :class:`~orbitlink.visibility.results.Passes` (its stations
    are the candidates), or a source (a Track, ``"550km"``, an OrbitSet or
    ElementSet) searched over the candidate ``stations`` (any form
    :func:`orbitlink.places.stations` reads: ``["ksat", "aws-ground-station"]``,
    ``"SvalSat"``, ...) by :func:`~orbitlink.visibility.find_passes` with the
    keywords ``search`` (``min_elevation``, ``start``, ``duration``,
    ``propagator``), as ``orbitlink stations select`` does.
    ``sample_step`` (the CLI's ``--sample-step``, default 60 s) samples the
    visibility sets; with a Passes, ``step`` is its older name, with a source
    ``step`` is the propagation step (``--step``).
    ``compare_exact`` also solves the problem exactly with
    :func:`exact_selection` and stores the optimum in the result.
    """
    if isinstance(passes, Passes):
        if step is not None and sample_step is not None:
            raise QuantityError("sample_step: give sample_step or step (its older name), not both")
        step = sample_step if sample_step is not None else 60 * u.s if step is None else step
    else:
        if step is not None:
            search["step"] = step
        step = 60 * u.s if sample_step is None else sample_step
    from .contacts import search_passes

    passes = search_passes(passes, stations, search, "select_stations")
    _check_objective(objective)
    G = len(passes.stations)
    k = _check_k(k, G)
    step_s = to_si(step, "time", "step", lo=0.001 * u.s)
    sets = _with_capacity(sampled_sets(passes, step_s), passes, objective)
    if objective == "coverage":
        chosen, hist = _greedy_coverage(sets, k)
    elif objective in ("contact", "capacity"):
        score = sets.links() if objective == "contact" else sets.capacity_s
        chosen = list(np.argsort(-score, kind="stable")[:k])
        hist = [_value(sets, chosen[:i + 1], objective) for i in range(k)]
    else:
        chosen, hist = _greedy_gap(sets, k)
    chosen = [int(c) for c in chosen]
    sel = Selection(objective, k, "greedy-lazy" if objective == "coverage" else "greedy", tuple(chosen),
                    passes.stations.select(chosen), hist[-1], tuple(hist), step_s,
                    extra={"candidates": list(passes.stations.names)})
    if compare_exact:
        ex = exact_selection(passes, k, objective, step=step, time_limit=time_limit)
        sel = Selection(sel.objective, k, sel.method, sel.indices, sel.stations, sel.value, sel.history,
                        step_s, ex.value, ex.indices, ex.solve_s, sel.extra)
    return sel


def _greedy_coverage(sets: SampledSets, k: int):
    """Lazy greedy (CELF): gains only shrink as the covered set grows (submodularity),
    so a stale gain is an upper bound and only the heap's top needs re-scoring."""
    covered = np.zeros(sets.n_satellites * sets.n_samples, bool)
    heap = [(-sets.of(g).size, g, -1) for g in range(sets.n_stations)]
    heapq.heapify(heap)
    chosen, hist, total = [], [], 0
    while len(chosen) < k and heap:
        neg, g, stamp = heapq.heappop(heap)
        if stamp == len(chosen):             # gain is fresh for this round: take it
            chosen.append(g)
            covered[sets.of(g)] = True
            total += -neg
            hist.append(total / covered.size)
            continue
        gain = int(np.count_nonzero(~covered[sets.of(g)]))
        heapq.heappush(heap, (-gain, g, len(chosen)))
    return chosen, hist


def _greedy_gap(sets: SampledSets, k: int):
    cov = np.zeros((sets.n_satellites, sets.n_samples), bool)
    chosen, hist = [], []
    for _ in range(k):
        best = None
        for g in range(sets.n_stations):
            if g in chosen:
                continue
            trial = cov.copy().reshape(-1)
            trial[sets.of(g)] = True
            trial = trial.reshape(sets.n_satellites, sets.n_samples)
            gap = int(_max_gap_samples(trial).max(initial=0))
            score = (gap, -int(np.count_nonzero(trial)), g)
            if best is None or score < best[0]:
                best = (score, trial)
        chosen.append(best[0][2])
        cov = best[1]
        hist.append(best[0][0] * sets.step_s)
    return chosen, hist


# --- exact (MILP) ----------------------------------------------------------------------------

def exact_selection(passes: Passes, k: int, objective: str = "coverage", *,
                    step: QuantityLike = 60 * u.s, time_limit: QuantityLike = 60 * u.s) -> Selection:
    """The optimal ``k`` stations by mixed-integer programming (``scipy.optimize.milp``).

    coverage: binary x_g (station chosen), continuous y_e in [0, 1] per group of
    elements seen by the same set of stations (grouping keeps the model
    small), maximise sum w_e y_e subject to y_e <= sum of x_g over the group's
    stations and sum x_g = k.  contact: maximise sum links_g x_g.  gap: the
    smallest L such that every run of L+1 samples of every satellite contains a
    sample some chosen station sees (a set-cover feasibility MILP per L,
    bisection over L).
    """
    import time

    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    _check_objective(objective)
    G = len(passes.stations)
    k = _check_k(k, G)
    step_s = to_si(step, "time", "step", lo=0.001 * u.s)
    limit = to_si(time_limit, "time", "time_limit", lo=0.1 * u.s)
    sets = _with_capacity(sampled_sets(passes, step_s), passes, objective)
    t0 = time.perf_counter()
    card = LinearConstraint(np.ones((1, G)), k, k)

    if objective in ("contact", "capacity"):
        score = sets.links() if objective == "contact" else sets.capacity_s
        res = milp(-score.astype(float), constraints=[card], integrality=np.ones(G), bounds=Bounds(0, 1),
                   options={"time_limit": limit})
        chosen = _picked(res, G)
    elif objective == "coverage":
        sig, weight = _signatures(sets)            # (E', G) bool, (E',)
        E = sig.shape[0]
        # Variables: x (G) then y (E).  y_e - sum_{g in sig_e} x_g <= 0.
        rows = np.repeat(np.arange(E), sig.sum(axis=1))
        cols = np.nonzero(sig)[1]
        A = csr_matrix((np.r_[np.ones(E), -np.ones(rows.size)],
                        (np.r_[np.arange(E), rows], np.r_[G + np.arange(E), cols])), shape=(E, G + E))
        cons = [LinearConstraint(A, -np.inf, 0.0),
                LinearConstraint(csr_matrix((np.ones(G), (np.zeros(G, int), np.arange(G))), shape=(1, G + E)), k, k)]
        c = np.r_[np.zeros(G), -weight]
        res = milp(c, constraints=cons, integrality=np.r_[np.ones(G), np.zeros(E)],
                   bounds=Bounds(0, 1), options={"time_limit": limit})
        chosen = _picked(res, G)
    else:
        chosen = _exact_gap(sets, k, limit, milp, LinearConstraint, Bounds, csr_matrix)
    solve_s = time.perf_counter() - t0
    value = _value(sets, chosen, objective)
    return Selection(objective, k, "milp", tuple(chosen), passes.stations.select(chosen), value, (value,),
                     step_s, value, tuple(chosen), solve_s, {"candidates": list(passes.stations.names)})


def _picked(res, G: int) -> list[int]:
    if res.x is None:
        raise SelectionError(f"exact selection: the MILP solver stopped without a solution ({res.message})")
    return [int(g) for g in np.flatnonzero(np.round(res.x[:G]) > 0.5)]


def _signatures(sets: SampledSets):
    """Distinct station sets ("signatures") covering elements, with their element counts."""
    g = np.repeat(np.arange(sets.n_stations), np.diff(sets.indptr))
    e = sets.elems
    order = np.argsort(e, kind="stable")
    e, g = e[order], g[order]
    uniq, start = np.unique(e, return_index=True)
    n_words = (sets.n_stations + 63) // 64
    bits = np.zeros((uniq.size, n_words), np.uint64)
    elem_row = np.searchsorted(uniq, e)
    np.bitwise_or.at(bits, (elem_row, g // 64), np.left_shift(np.uint64(1), (g % 64).astype(np.uint64)))
    sig_bits, weight = np.unique(bits, axis=0, return_counts=True)
    sig = np.zeros((sig_bits.shape[0], sets.n_stations), bool)
    for gg in range(sets.n_stations):
        sig[:, gg] = (sig_bits[:, gg // 64] >> np.uint64(gg % 64)) & np.uint64(1) > 0
    return sig, weight.astype(float)


def _exact_gap(sets: SampledSets, k: int, limit, milp, LinearConstraint, Bounds, csr_matrix):
    """Bisection on L (samples): feasible iff every run of L+1 samples of every satellite
    contains a sample covered by a chosen station (edges count as gaps)."""
    G, S, NT = sets.n_stations, sets.n_satellites, sets.n_samples
    # cover[g, s, t]: station g sees satellite s at sample t, as bit rows per (s, t).
    sig = np.zeros((S * NT, G), bool)
    for g in range(G):
        sig[sets.of(g), g] = True
    sig = sig.reshape(S, NT, G)

    def feasible(L):
        if L >= NT:
            return []
        # OR over windows of L+1 samples: cumulative counts per station.
        c = np.concatenate([np.zeros((S, 1, G), np.int32), np.cumsum(sig, axis=1, dtype=np.int32)], axis=1)
        win = (c[:, L + 1:, :] - c[:, :-(L + 1), :]) > 0           # (S, NT-L, G)
        rows = np.unique(win.reshape(-1, G), axis=0)
        if (~rows.any(axis=1)).any():
            return None
        A = csr_matrix(rows.astype(float))
        res = milp(np.zeros(G), constraints=[LinearConstraint(A, 1, np.inf),
                                             LinearConstraint(np.ones((1, G)), k, k)],
                   integrality=np.ones(G), bounds=Bounds(0, 1), options={"time_limit": limit})
        return _picked(res, G) if res.status == 0 else None

    lo, hi = 0, NT           # feasible(NT) is always true
    best = list(range(k))
    while lo < hi:
        mid = (lo + hi) // 2
        got = feasible(mid)
        if got is None:
            lo = mid + 1
        else:
            hi, best = mid, got
    got = feasible(lo)
    return got if got is not None else best
