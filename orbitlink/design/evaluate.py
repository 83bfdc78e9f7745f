"""One candidate, evaluated by the same code as ``orbitlink latency`` and ``orbitlink datacenter``.

* Service: :func:`orbitlink.link.latency.round_trip` on the candidate's Walker shell, with the
  service options exactly as ``latency`` passes them (``compute`` = every satellite), over the
  screening grid; its rounded ``to_dict()`` figures and its inference verdict are the
  candidate's.  No second latency model.
* Spacecraft: :func:`orbitlink.feasibility.datacenter.size` on a year of the orbit's sunlight
  (:func:`orbitlink.feasibility.datacenter.orbit_sunlight`, the same eclipse run as
  ``datacenter``), ``it_power`` split evenly across the candidate's satellites.  The year is
  run once per (orbit, inclination, plane count) on one satellite per plane: the satellites of
  a plane of a circular shell see the same eclipses shifted in time, so the darkest plane is
  the darkest satellite.  ``datacenter --walker T/P/F`` runs every satellite; the two agree to
  within 1e-5 of the mass (tests/test_design.py measures it).

Shared between candidates: the gateway and user sets (read once), the time grid, the service
options and the year of sunlight per orbit and plane count.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .space import Candidate


@dataclass
class Context:
    """What every candidate shares (picklable: it travels to Dask tasks)."""

    service: dict                 # round_trip keyword arguments (gateways, users, slo, ...)
    relays: dict                  # relay spec -> None, "geo" or a relay source
    start: object                 # astropy Time: epoch of every shell and start of the runs
    propagator: str = "auto"
    raan_spread: object = None
    it_power_w: float = 40e6
    launch_price_usd_per_kg: float = 3000.0
    si: dict = field(default_factory=dict)       # DataCenterInputs.resolve()
    given: dict = field(default_factory=dict)
    sizing_step: str = "60s"


def shell(c: Candidate, ctx: Context, *, satellites: int | None = None, planes: int | None = None,
          phasing: int | None = None):
    """The candidate's Walker shell (an OrbitSet), as ``--orbit ORBIT --walker T/P/F`` builds it."""
    from ..orbits import walker

    inc = None if c.inclination_deg is None else f"{c.inclination_deg!r}deg"
    return walker(c.satellites if satellites is None else satellites, c.planes if planes is None else planes,
                  c.phasing if phasing is None else phasing, orbit=c.orbit, inclination=inc, epoch=ctx.start,
                  raan_spread=ctx.raan_spread)


def latency_of(c: Candidate, ctx: Context, duration: str, step: str) -> dict:
    """Availability, p50/p99 RTT (ms, as ``latency --json`` rounds them) and the inference verdict."""
    from ..link.latency import round_trip
    from ..times import time_grid

    source = shell(c, ctx)
    relay = ctx.relays[c.relay]
    relay_propagator = "sgp4" if hasattr(relay, "satrecs") else "auto"
    grid = time_grid(ctx.start, duration, step, satellites=1)
    result = round_trip(source, grid=grid, propagator=ctx.propagator, relay=relay,
                        relay_propagator=relay_propagator, isl=None if c.isl == "none" else c.isl,
                        compute=None, **ctx.service)
    d = result.to_dict()
    inf = d["inference"]
    return {"availability": d["availability"], "rtt_ms": {"p50": d["rtt_ms"]["p50"], "p99": d["rtt_ms"]["p99"]},
            "workable": bool(inf["workable"]), "binding": inf["binding"], "reason": inf["reasons"][0],
            "steps": d["scenario"]["steps"], "warnings": list(result.warnings)}


def sunlight_key(c: Candidate) -> tuple:
    return (c.orbit, c.inclination_deg, c.planes)


def sunlight_of(c: Candidate, ctx: Context):
    """A year of the orbit's sunlight on one satellite per plane (the sizing's input)."""
    from ..feasibility.datacenter import SIZING_SPAN, orbit_sunlight

    return orbit_sunlight(shell(c, ctx, satellites=c.planes, phasing=0), start=ctx.start, duration=SIZING_SPAN,
                          step=ctx.sizing_step, propagator=ctx.propagator)


def sizing_of(c: Candidate, sun, ctx: Context) -> dict:
    """Total mass and launch cost of the candidate: ``datacenter``'s sizing with ``it_power`` split
    across its satellites (every satellite the same spacecraft, sized on the darkest plane)."""
    from ..feasibility.datacenter import size

    report = size(ctx.it_power_w, replace(sun, satellites=c.satellites), ctx.si, given=ctx.given)
    mass = report.total_mass_kg
    return {"total_mass_kg": round(mass, 3), "launch_cost_usd": round(mass * ctx.launch_price_usd_per_kg, 2),
            "per_satellite_mass_kg": round(report.mass.total_mass_kg, 3)}


__all__ = ["Context", "latency_of", "shell", "sizing_of", "sunlight_key", "sunlight_of"]
