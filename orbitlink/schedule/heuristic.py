"""The fast contact planner: antenna layers (:func:`orbitlink.core.contact_plan.layered_plan`).

Antenna 0 of every station is planned first, for all stations at once, then
antenna 1 with the passes left, and so on.  On each layer every station takes
its heaviest feasible set of passes (by
:func:`~orbitlink.schedule.problem.greedy_weights`) with the weighted
interval scheduling dynamic program, exact for one antenna; a satellite
booked at two stations at once keeps its heavier contact, the stations are
re-planned and the free time filled greedily.  The plan for ``n`` antennas is
the plan for ``n - 1`` plus one more layer, so more antennas never schedule
less (tested).
"""

from __future__ import annotations

import numpy as np

from ..core.contact_plan import layered_plan
from .problem import candidates, greedy_weights, priority_array

__all__ = ["plan_heuristic"]


def plan_heuristic(plan_like, objective: str) -> np.ndarray:
    """The antenna of each pass (-1: not scheduled) for ``plan_like`` (a ContactPlan's inputs)."""
    prio = priority_array(plan_like.priorities, plan_like.satellites)
    cand = candidates(plan_like, objective)
    weight = greedy_weights(plan_like, objective, prio)
    idx = np.flatnonzero(cand)
    out = np.full(cand.size, -1, np.int64)
    out[idx] = layered_plan(plan_like.station_index[idx], plan_like.sat_index[idx], plan_like.aos_s[idx],
                            plan_like.los_s[idx], weight[idx], plan_like.stations.antennas,
                            plan_like.setup_s)
    return out
