"""The search's answer: candidates, the Pareto frontier, the best candidate and what the verify run said.

* Frontier: the candidates no other candidate dominates on (launch cost lower, availability
  higher, p99 RTT lower); a candidate without any path has p99 = infinity.  A dominates B when
  it is at least as good on all three and strictly better on one.
* Best: the cheapest workable candidate (ties: higher availability, then lower p99, then the
  table order); None when no candidate is workable.
* Closest (when none is workable): the smallest shortfall, the sum of the relative misses
  ``(target - availability) / target`` and ``(p99 - slo) / slo`` over the missed targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..report import percent


def _p99(row: dict) -> float:
    p = row["rtt_ms"]["p99"]
    return math.inf if p is None else float(p)


def dominates(a: dict, b: dict) -> bool:
    """True when ``a`` is no worse than ``b`` on cost, availability and p99, and better on one."""
    ca, cb = a["launch_cost_usd"], b["launch_cost_usd"]
    aa, ab = a["availability"], b["availability"]
    pa, pb = _p99(a), _p99(b)
    return ca <= cb and aa >= ab and pa <= pb and (ca < cb or aa > ab or pa < pb)


def pareto_frontier(rows: list[dict]) -> list[int]:
    """Indices of the non-dominated rows, in table order."""
    return [i for i, r in enumerate(rows) if not any(dominates(o, r) for j, o in enumerate(rows) if j != i)]


def cheapest_workable(rows: list[dict]) -> int | None:
    ok = [i for i, r in enumerate(rows) if r["workable"]]
    if not ok:
        return None
    return min(ok, key=lambda i: (rows[i]["launch_cost_usd"], -rows[i]["availability"], _p99(rows[i]), i))


def shortfall(row: dict, slo_ms: float, target: float) -> tuple[float, list[str]]:
    """(relative shortfall, phrases naming each miss) of a row against the targets."""
    misses, total = [], 0.0
    if row["availability"] < target:
        total += (target - row["availability"]) / target
        misses.append(f"availability {percent(row['availability'])} % < {percent(target, trim=True)} % "
                      f"(short by {(target - row['availability']) * 100:.3f} points)")
    p99 = _p99(row)
    if p99 > slo_ms:
        total += math.inf if math.isinf(p99) else (p99 - slo_ms) / slo_ms
        misses.append("no path at any step" if math.isinf(p99) else
                      f"p99 RTT {p99:.1f} ms > {slo_ms:g} ms (over by {p99 - slo_ms:.1f} ms)")
    return total, misses


@dataclass(frozen=True)
class DesignResult:
    """``candidates``: one dict per candidate (the JSON rows, plus ``label``); ``frontier``,
    ``best`` and ``closest`` index into them; ``flips``: frontier candidates whose verdict
    and their figures over the verify span (``flipped``: the verdict changed); ``scenario``: what was searched and over which span."""

    candidates: tuple
    frontier: tuple
    best: int | None
    scenario: dict
    closest: int | None = None
    closest_misses: tuple = ()
    flips: tuple = ()
    notes: tuple = field(default_factory=tuple)

    def __repr__(self) -> str:
        # A few lines for notebooks, not every candidate's row.
        n, sc = len(self.candidates), self.scenario
        if self.best is not None:
            b = self.candidates[self.best]
            head = (f"best #{self.best} {b['label']}: launch ${b['launch_cost_usd'] / 1e6:,.1f} M, "
                    f"availability {percent(b['availability'])} %")
        else:
            head = "none workable" + ("" if self.closest is None else
                                      f"; closest #{self.closest} {self.candidates[self.closest]['label']}")
        span = f", screened over {sc['duration']} at {sc['step_s']:g} s" if "duration" in sc and "step_s" in sc else ""
        return (f"DesignResult({n} candidate{'s' if n != 1 else ''}{span}, {len(self.frontier)} on the "
                f"Pareto frontier; {head})")

    @property
    def closest_line(self) -> str | None:
        """``no workable candidate; closest: ... misses ...`` (None when one is workable)."""
        if self.best is not None or self.closest is None:
            return None
        c = self.candidates[self.closest]
        return f"no workable candidate; closest: #{self.closest} {c['label']} misses " + \
            " and ".join(self.closest_misses)

    def to_dict(self) -> dict:
        keys = ("orbit", "inclination_deg", "satellites", "planes", "phasing", "isl", "relay", "availability", "rtt_ms",
                "total_mass_kg", "launch_cost_usd", "workable", "binding")
        fam_id: dict = {}
        for c in self.candidates:
            fam_id.setdefault(tuple(c["family"]), len(fam_id))
        return {
            "candidates": [{k: c[k] for k in keys} | {"family": fam_id[tuple(c["family"])], "round": c["round"]}
                           for c in self.candidates],
            "frontier": list(self.frontier),
            "best": self.best,
            "closest": (None if self.best is not None or self.closest is None else
                        {"index": self.closest, "misses": list(self.closest_misses)}),
            "verify": (None if not self.scenario.get("verify") else
                       {"span": self.scenario["verify"], "frontier": [dict(f) for f in self.flips],
                        "flips": [f["index"] for f in self.flips if f["flipped"]]}),
            "notes": list(self.notes),
            "scenario": self.scenario,
        }


def make_result(cands, rows: dict, rounds_of: dict, scenario: dict, flips=(), notes=()) -> DesignResult:
    """Assemble the result from the evaluated candidates (table order = ``cands``)."""
    table = []
    for c in cands:
        r = rows[c]
        table.append({"orbit": c.orbit, "inclination_deg": c.inclination_deg, "satellites": c.satellites,
                      "planes": c.planes, "isl": c.isl, "relay": c.relay, "availability": r["availability"],
                      "rtt_ms": dict(r["rtt_ms"]), "total_mass_kg": r["total_mass_kg"],
                      "launch_cost_usd": r["launch_cost_usd"], "workable": r["workable"],
                      "binding": r["binding"], "round": rounds_of.get(c, 0), "label": c.label,
                      "phasing": c.phasing, "family": list(c.family)})
    best = cheapest_workable(table)
    closest, misses = None, ()
    if best is None and table:
        scored = [(shortfall(r, scenario["slo_ms"], scenario["availability_target"]), i)
                  for i, r in enumerate(table)]
        (_, m), closest = min(scored, key=lambda s: (s[0][0], table[s[1]]["launch_cost_usd"], s[1]))
        misses = tuple(m)
    return DesignResult(tuple(table), tuple(pareto_frontier(table)), best, scenario, closest, misses,
                        tuple(flips), tuple(notes))


def monotonicity_notes(table: list[dict]) -> list[str]:
    """A note for every family (:attr:`orbitlink.design.space.Candidate.family`, nested shells) in
    which more satellites gave lower availability: none, unless the routing breaks nesting."""
    fams: dict = {}
    for i, r in enumerate(table):
        fams.setdefault(tuple(r["family"]), []).append(i)
    notes = []
    for idx in fams.values():
        idx.sort(key=lambda i: table[i]["satellites"])
        for a, b in zip(idx, idx[1:]):
            if table[b]["availability"] < table[a]["availability"]:
                notes.append(f"availability falls from #{a} to #{b} ({table[a]['satellites']} -> "
                             f"{table[b]['satellites']} satellites)")
    return notes


__all__ = ["DesignResult", "cheapest_workable", "dominates", "make_result", "monotonicity_notes",
           "pareto_frontier", "shortfall"]
