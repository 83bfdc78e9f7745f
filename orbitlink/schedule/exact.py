"""The optimal contact plan by mixed-integer programming (``scipy.optimize.milp``, HiGHS).

One binary per candidate pass.  Constraints, on the interval conflict graphs
(:func:`orbitlink.core.contact_plan.antenna_cliques`):

- per station, at every pass start, the passes in progress (each extended by
  the setup time) number at most the station's antennas.  Interval graphs are
  perfect, so such a set can be split over the antennas (done afterwards by
  first-fit in start order, which is optimal for intervals);
- per satellite, at every pass start, at most one pass in progress (one
  terminal).

Objectives as in :mod:`orbitlink.schedule.problem`; ``fairness`` adds a
continuous ``z <= volume_s / priority_s`` for every satellite with a
candidate pass and maximises ``z`` (plus a tie-breaking 1e-6 of the total).
For small instances: the model has one row per pass and station or satellite.
"""

from __future__ import annotations

import time

import numpy as np

from ..core.contact_plan import antenna_cliques
from ..errors import ScheduleError
from .problem import candidates, pass_values, priority_array

__all__ = ["plan_exact"]

FAIRNESS_TIE_BREAK = 1e-6


def plan_exact(plan_like, objective: str, time_limit_s: float = 60.0):
    """``(antenna per pass, optimum objective value, solve seconds)``."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    prio = priority_array(plan_like.priorities, plan_like.satellites)
    cand = candidates(plan_like, objective)
    idx = np.flatnonzero(cand)
    n = idx.size
    out = np.full(cand.size, -1, np.int64)
    if n == 0:
        return out, 0.0, 0.0
    sta, sat = plan_like.station_index[idx], plan_like.sat_index[idx]
    a, b = plan_like.aos_s[idx], plan_like.los_s[idx]
    val = pass_values(plan_like)[idx]
    if objective == "contact":
        val = b - a
    fair = objective == "fairness"
    nv = n + 1 if fair else n
    blocks, lo, hi = [], [], []
    for group, gap, cap in ((sta, plan_like.setup_s, plan_like.stations.antennas[sta]), (sat, 0.0, np.ones(n))):
        rows, members = antenna_cliques(group, a, b, gap)
        size = np.bincount(rows, minlength=n)
        keep = size > cap                      # a row no larger than its capacity binds nothing
        sel = keep[rows]
        r = np.cumsum(keep) - 1
        if keep.any():
            blocks.append(coo_matrix((np.ones(int(sel.sum())), (r[rows[sel]], members[sel])),
                                     shape=(int(keep.sum()), nv)))
            hi.append(cap[keep].astype(float))
    scale = float(np.max(val)) if np.max(val) > 0 else 1.0
    if fair:
        sats = np.unique(sat)
        row = np.searchsorted(sats, sat)
        m = coo_matrix((np.r_[-val / scale / prio[sat], np.ones(sats.size)],
                        (np.r_[row, np.arange(sats.size)], np.r_[np.arange(n), np.full(sats.size, n)])),
                       shape=(sats.size, nv))
        blocks.append(m)
        hi.append(np.zeros(sats.size))
        c = np.r_[-FAIRNESS_TIE_BREAK * val / scale, -1.0]
    else:
        c = -val * prio[sat] / scale
    from scipy.sparse import vstack

    cons = [LinearConstraint(vstack(blocks).tocsr(), -np.inf, np.concatenate(hi))] if blocks else []
    integrality = np.r_[np.ones(n), np.zeros(nv - n)]
    upper = np.r_[np.ones(n), np.full(nv - n, np.inf)]
    t0 = time.perf_counter()
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(np.zeros(nv), upper),
               options={"time_limit": float(time_limit_s)})
    solve_s = time.perf_counter() - t0
    if res.x is None:
        raise ScheduleError(f"exact: the MILP solver stopped without a plan ({res.message}); "
                            "use the heuristic for large instances")
    chosen = np.round(res.x[:n]) > 0.5
    out[idx[chosen]] = _first_fit(sta[chosen], a[chosen], b[chosen], plan_like.setup_s)
    if fair:
        value = float(res.x[n]) * scale
    else:
        value = float(np.sum(val[chosen] * prio[sat[chosen]]))
    return out, value, solve_s


def _first_fit(station, start_s, end_s, setup_s) -> np.ndarray:
    """Antennas for passes that never exceed a station's antennas at once (optimal interval
    colouring: in start order, each pass takes the lowest-numbered free antenna)."""
    ant = np.zeros(station.size, np.int64)
    free: dict[int, list[float]] = {}
    for p in np.lexsort((start_s, station)).tolist():   # small instances only (exact solver)
        ends = free.setdefault(int(station[p]), [])
        k = next((i for i, e in enumerate(ends) if e + setup_s <= start_s[p]), len(ends))
        if k == len(ends):
            ends.append(0.0)
        ends[k] = end_s[p]
        ant[p] = k
    return ant
