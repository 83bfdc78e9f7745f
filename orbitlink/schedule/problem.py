"""The scheduling problem: checked inputs, the candidate passes and the objective's value.

Objectives (:data:`OBJECTIVES`):

``contact``
    total contact time, each satellite's seconds weighted by its priority;
``volume``
    total data volume from the link budget (a pass's volume integrates the
    elevation-dependent rate, so a high pass is worth more), weighted by
    priority;
``fairness``
    the worst satellite's volume (contact time without link parameters),
    divided by its priority, over the satellites with at least one candidate
    pass: a max-min objective.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np

from ..errors import QuantityError, ScheduleError
from ..stations import DEFAULT_SETUP
from ..units import to_si

__all__ = ["OBJECTIVES", "DEFAULT_SETUP", "check_objective", "check_setup", "check_min_contact",
           "priority_array", "pass_values", "candidates", "greedy_weights", "plan_value"]

OBJECTIVES = ("contact", "volume", "fairness")


def check_objective(objective) -> str:
    if objective not in OBJECTIVES:
        raise ScheduleError(f"objective: {objective!r} is not one of {', '.join(OBJECTIVES)}")
    return objective


def check_setup(setup) -> float:
    return to_si(DEFAULT_SETUP if setup is None else setup, "time", "setup", lo=0 * u.s)


def check_min_contact(min_contact) -> float:
    return to_si(0 * u.s if min_contact is None else min_contact, "time", "min_contact", lo=0 * u.s)


def priority_array(priorities, satellites) -> np.ndarray:
    """Per-satellite weights (S,) from ``{name: factor}`` (factor > 0; default 1)."""
    out = np.ones(len(satellites))
    if not priorities:
        return out
    if not isinstance(priorities, dict):
        raise ScheduleError("priorities: expected {satellite name: factor > 0}")
    index = {n: i for i, n in enumerate(satellites)}
    for name, factor in priorities.items():
        if name not in index:
            shown = ", ".join(list(satellites)[:3]) + (" ..." if len(satellites) > 3 else "")
            raise ScheduleError(f"priorities: unknown satellite {name!r} (satellites: {shown})")
        try:
            value = float(factor)
        except (TypeError, ValueError):
            value = float("nan")
        if not np.isfinite(value) or value <= 0:
            raise QuantityError(f"priorities: {name} factor {factor!r} is not a number > 0 (e.g. 2)")
        out[index[name]] = value
    return out


def pass_values(plan_like) -> np.ndarray:
    """What one pass is worth before priorities: its volume in bits, else its duration in seconds."""
    vb = plan_like.volume_bits
    return (plan_like.los_s - plan_like.aos_s) if vb is None else vb


def candidates(plan_like, objective: str) -> np.ndarray:
    """Passes that may become contacts: at least ``min_contact`` long, and carrying data
    when the objective counts data."""
    dur = plan_like.los_s - plan_like.aos_s
    ok = dur >= plan_like.min_contact_s
    if objective != "contact" and plan_like.volume_bits is not None:
        ok &= plan_like.volume_bits > 0
    return ok


def greedy_weights(plan_like, objective: str, prio: np.ndarray) -> np.ndarray:
    """The heuristic's ranking value of each pass."""
    sat = plan_like.sat_index
    if objective == "contact":
        return (plan_like.los_s - plan_like.aos_s) * prio[sat]
    val = pass_values(plan_like)
    if objective == "volume":
        return val * prio[sat]
    # fairness: a pass's share of what its satellite could get at most, so satellites with
    # little on offer come first.
    cand = candidates(plan_like, objective)
    total = np.bincount(sat[cand], weights=val[cand], minlength=prio.size)
    return val / np.maximum(total[sat], 1e-300) * prio[sat]


def plan_value(plan, objective: str) -> float:
    prio = priority_array(plan.priorities, plan.satellites)
    m = plan.scheduled
    sat = plan.sat_index
    if objective == "contact":
        return float(np.sum(plan.duration_s[m] * prio[sat[m]]))
    val = pass_values(plan)
    if objective == "volume":
        return float(np.sum(val[m] * prio[sat[m]]))
    got = np.bincount(sat[m], weights=val[m], minlength=prio.size) / prio
    has = np.zeros(prio.size, bool)
    has[sat[candidates(plan, objective)]] = True
    return float(got[has].min()) if has.any() else 0.0
