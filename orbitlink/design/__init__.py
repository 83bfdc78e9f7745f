"""``orbitlink.design``: search for the cheapest orbital data-center system that serves inference.

A candidate is a Walker shell of compute satellites (orbit, inclination, satellite count,
plane count) with an ISL pattern and a relay.  Each is evaluated by the same code as
``orbitlink latency`` (:func:`orbitlink.link.latency.round_trip`: availability, p99 RTT, the
inference verdict) and ``orbitlink datacenter`` (:func:`orbitlink.feasibility.datacenter.size`
on a year of the orbit's sunlight: mass, launch cost) - no second model.  The search evaluates
the grid of the lists given, bisects the satellite count where the verdict flips, and
re-runs the Pareto frontier over a longer span (``verify``).  docs/design-command.md has the
whole story.

- :mod:`.space`: candidates, families, the checks of the inputs;
- :mod:`.evaluate`: one candidate (latency, sunlight, sizing);
- :mod:`.search`: the grid and the bisection, in process or on Dask;
- :mod:`.results`: the result, its JSON, the Pareto frontier, the best and closest candidates.
"""

from __future__ import annotations

import math
import sys
import types

from ..report import Progress
from .evaluate import Context
from .results import DesignResult, dominates, make_result, monotonicity_notes, pareto_frontier
from .search import run_latency
from .search import search as run_search
from .space import Candidate, DesignError, auto_planes, build_space

#: Keywords of :func:`design` passed on, unchanged, to :func:`orbitlink.link.latency.round_trip`.
SERVICE_KEYS = ("gateways", "users", "direct", "isl_max_range", "min_elevation", "route_factor",
                "fibre_index", "processing", "slo", "availability_target", "max_backhaul", "max_gsl_range")

DEFAULT_LAUNCH_PRICE_USD_PER_KG = 3000.0


def design(orbit="550km", inclination="53deg", satellites="60,120,240", planes="auto", isl="none",
           relay="none", *, raan_spread=None, it_power="40MW", launch_price=DEFAULT_LAUNCH_PRICE_USD_PER_KG,
           sizing: dict | None = None, start=None, duration="1d", step="30s", verify="7d",
           refine: bool = True, propagator: str = "auto", dask=None, progress: Progress | None = None,
           **service) -> DesignResult:
    """Search the candidate systems; the result's ``best`` is the cheapest workable one.

    ``orbit``, ``inclination``, ``satellites``, ``planes``, ``isl``, ``relay``: comma lists
    (or lists) - altitudes or ``sso:`` specs; angles; positive counts; ``"auto"`` or plane
    counts dividing every count; ``none``/``grid``/``nearest``; ``none``, ``geo``, a relay
    Walker shell ``T/P/F[:ALT[:INC]]`` or a TLE/OMM file.  ``service``: keywords of
    :func:`orbitlink.link.latency.round_trip` (:data:`SERVICE_KEYS`; ``users`` default: every
    gateway its own user, as ``latency``).  ``it_power``: the total IT power, split evenly
    across each candidate's satellites; ``sizing``: keywords of
    :class:`orbitlink.feasibility.DataCenterInputs`; ``launch_price`` in $/kg.
    ``start``/``duration``/``step``: the screening span (default now, 1 d at 30 s);
    ``verify``: a longer span over which the frontier is re-run (None to skip).
    ``refine=False`` evaluates the grid only.  ``dask``: None (this process), ``"local"``
    (local processes) or a Dask client / scheduler address: each candidate one task, same
    answer.  ``progress(stage, fraction)``: stages "screening", "refining (round N)",
    "sizing", "verifying".  Every input is checked before any work (:class:`DesignError`).
    """
    from ..feasibility.datacenter import INPUT_NAMES, DataCenterInputs
    from ..link.latency import read_options
    from ..propagators import default_start
    from ..times import parse_time, time_grid
    from ..units import number, power_w

    unknown = sorted(set(service) - set(SERVICE_KEYS))
    if unknown:
        raise TypeError(f"design() got unexpected keyword(s): {', '.join(unknown)}")
    grid, relays = build_space(orbits=orbit, inclinations=inclination, satellites=satellites,
                               planes=planes, isl=isl, relay=relay)
    opts = read_options(**service)            # every service option checked once, before any work
    # (users and gateways in every form orbitlink.places.stations reads: "cities", "London", lists ...)
    service = dict(service, gateways=opts.gateways, users=opts.users)
    it_w = power_w(it_power, "it power")
    price = number(launch_price, "launch price", lo=0.0, lo_inclusive=False)
    inputs = DataCenterInputs(**dict(sizing or {}, launch_prices=(price,)))
    si = inputs.resolve()
    given = {name: getattr(inputs, name) for name in INPUT_NAMES}
    if raan_spread is not None:
        from ..orbits import parse_raan_spread

        parse_raan_spread(raan_spread)
    epoch = parse_time(start, "start") if start is not None else None
    from .evaluate import shell

    ctx = Context(service=service, relays=relays, start=epoch, propagator=propagator, raan_spread=raan_spread,
                  it_power_w=it_w, launch_price_usd_per_kg=price, si=si, given=given)
    if epoch is None:
        ctx.start = default_start(shell(grid[0], ctx))
    screen = time_grid(ctx.start, duration, step, satellites=1)       # checks duration and step now
    if verify is not None and str(verify).strip().lower() not in ("none", "0", "no"):
        import astropy.units as u

        from ..units import to_si

        to_si(verify, "time", "verify", lo=0 * u.s, lo_inclusive=False)
        time_grid(ctx.start, verify, step, satellites=1)
    else:
        verify = None
    cands, rows, round_of = run_search(grid, ctx, duration, step, refine=refine, dask=dask, progress=progress)
    scenario = _scenario(ctx, opts, cands, round_of, screen, duration, step, verify, orbit, inclination,
                         satellites, planes, isl, relay)
    first = make_result(cands, rows, round_of, scenario)
    notes = monotonicity_notes(list(first.candidates))
    flips = ()
    if verify is not None:
        flips = _verify(first, cands, ctx, verify, step, dask, progress)
        for f in flips:
            if f["index"] == first.best and not f["workable"]:
                notes.append(f"the best candidate #{first.best} is not workable over the verify span ({verify})")
    warnings = sorted({w for c in cands for w in rows[c].get("warnings", ())})
    return make_result(cands, rows, round_of, scenario, flips=flips, notes=notes + warnings)


def _verify(first: DesignResult, cands, ctx, verify, step, dask, progress) -> tuple:
    """Re-run every frontier candidate over ``verify``: one dict per frontier candidate."""
    idx = list(first.frontier)
    rows = run_latency([cands[i] for i in idx], ctx, verify, step, dask=dask, progress=progress,
                       stage="verifying")
    out = []
    for i, r in zip(idx, rows):
        out.append({"index": i, "availability": r["availability"], "rtt_ms": r["rtt_ms"],
                    "workable": r["workable"], "flipped": r["workable"] != first.candidates[i]["workable"]})
    return tuple(out)


def _scenario(ctx, opts, cands, round_of, screen, duration, step, verify, *lists) -> dict:
    orbit, inclination, satellites, planes, isl, relay = lists
    users = opts.users
    return {
        "space": {"orbit": str(orbit), "inclination": str(inclination), "satellites": str(satellites),
                  "planes": str(planes), "isl": str(isl), "relay": str(relay),
                  "phasing": "F = 1 for an odd count per plane, doubled (mod P) with each doubling",
                  "families": "nested shells: same orbit, inclination, planes, ISL, relay; per-plane "
                              "counts m, 2m, 4m, ... (m odd)",
                  "planes_auto": "the divisor of T nearest sqrt(T), the larger on a tie"},
        "evaluated": len(cands),
        "rounds": max(round_of.values(), default=0),
        "start": screen.start.utc.isot + "Z",
        "duration": str(duration),
        "step_s": float(screen.step_s),
        "steps": int(screen.size),
        "verify": None if verify is None else str(verify),
        "gateways": len(opts.gateways),
        "users": "every gateway" if users is None else len(users),
        "direct": bool(opts.direct),
        "max_backhaul_km": None if math.isinf(opts.max_backhaul_m) else round(opts.max_backhaul_m / 1e3, 6),
        "min_elevation_deg": opts.min_elevation_deg,
        "slo_ms": round(opts.slo_s * 1e3, 6),
        "availability_target": opts.target,
        "it_power_w": ctx.it_power_w,
        "launch_price_usd_per_kg": ctx.launch_price_usd_per_kg,
        "model": "latency: orbitlink.link.latency.round_trip (as `orbitlink latency`); mass and launch "
                 "cost: orbitlink.feasibility.datacenter.size on a year of sunlight (as `orbitlink datacenter`)",
    }


class _CallableModule(types.ModuleType):
    """``orbitlink.design(...)`` calls :func:`design`, while ``orbitlink.design`` stays the package."""

    def __call__(self, *args, **kwargs):
        return design(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["Candidate", "DEFAULT_LAUNCH_PRICE_USD_PER_KG", "DesignError", "DesignResult", "SERVICE_KEYS",
           "auto_planes", "build_space", "design", "dominates", "pareto_frontier"]
