"""The search: the grid, then bisection of the satellite count where a group's verdict flips.

A group (:attr:`orbitlink.design.space.Candidate.group`) is every candidate that differs only
in its satellite count (its families of nested shells together).
Round 0 evaluates every candidate of the grid.  Each later round takes, in every group, the
smallest workable count and the largest failing count below it, and evaluates the count half
way between (:func:`orbitlink.design.space.between`); it stops when no group has a count left
between its boundary pair (or after :data:`MAX_ROUNDS`).  Each round's candidates are
evaluated together: in this process, or as Dask tasks (one per candidate) with the same answer.
"""

from __future__ import annotations

from .evaluate import Context, latency_of, sizing_of, sunlight_key, sunlight_of
from .space import Candidate, between, sort_key

#: At most this many bisection rounds (each halves every group's gap: 2**12 covers any list).
MAX_ROUNDS = 12


def _latency_task(c: Candidate, ctx: Context, duration: str, step: str) -> dict:
    return latency_of(c, ctx, duration, step)


def run_latency(cands: list[Candidate], ctx: Context, duration: str, step: str, *, dask=None,
                progress=None, stage: str = "screening") -> list[dict]:
    """:func:`latency_of` for each candidate, in order (Dask tasks when ``dask`` is not None:
    ``"local"`` for local processes, or a client/scheduler address for :func:`orbitlink.scale.compute`)."""
    if not cands:
        return []
    if dask is not None:
        from .. import scale

        delayed = scale._dask().delayed(_latency_task, pure=True)
        if progress:
            progress(stage, 0.0)
        out = scale.compute([delayed(c, ctx, duration, step) for c in cands],
                            client=None if dask == "local" else dask)
        if progress:
            progress(stage, 1.0)
        return out
    out = []
    for k, c in enumerate(cands):
        if progress:
            progress(stage, k / len(cands))
        out.append(latency_of(c, ctx, duration, step))
    if progress:
        progress(stage, 1.0)
    return out


def boundary_pairs(evaluated: dict) -> list[tuple[Candidate, Candidate]]:
    """Per group (:attr:`Candidate.group`): (largest failing count below the smallest workable,
    smallest workable)."""
    families: dict = {}
    for c, row in evaluated.items():
        families.setdefault(c.group, []).append((c, row["workable"]))
    pairs = []
    for members in families.values():
        members.sort(key=lambda m: m[0].satellites)
        ok = [c for c, w in members if w]
        if not ok:
            continue
        hi = ok[0]
        below = [c for c, w in members if not w and c.satellites < hi.satellites]
        if below:
            pairs.append((below[-1], hi))
    return pairs


def search(grid: list[Candidate], ctx: Context, duration: str, step: str, *, refine: bool = True,
           dask=None, progress=None) -> tuple[list[Candidate], dict, dict]:
    """Evaluate the grid and refine it: (candidates sorted, {candidate: row}, {candidate: round})."""
    evaluated: dict = {}
    round_of: dict = {}
    batch = list(grid)
    rounds = 0
    while batch:
        stage = "screening" if rounds == 0 else f"refining (round {rounds})"
        for c, row in zip(batch, run_latency(batch, ctx, duration, step, dask=dask, progress=progress,
                                             stage=stage)):
            evaluated[c] = row
            round_of[c] = rounds
        if not refine or rounds >= MAX_ROUNDS:
            break
        rounds += 1
        mids = {between(lo, hi) for lo, hi in boundary_pairs(evaluated)}
        batch = sorted((m for m in mids if m is not None and m not in evaluated), key=sort_key)
    cands = sorted(evaluated, key=sort_key)
    suns: dict = {}
    for k, c in enumerate(cands):
        if progress:
            progress("sizing", k / len(cands))
        key = sunlight_key(c)
        if key not in suns:
            suns[key] = sunlight_of(c, ctx)
        evaluated[c] = {**evaluated[c], **sizing_of(c, suns[key], ctx)}
    if progress:
        progress("sizing", 1.0)
    return cands, evaluated, round_of


__all__ = ["MAX_ROUNDS", "boundary_pairs", "run_latency", "search"]
