"""Latency over any span in bounded memory: propagate and route one time slice at a time.

A whole Track of a long span does not fit: one satellite for a year at 10 s holds
3.2 million states in two frames plus the per-step rotations, and routing adds link
lists and distance arrays of the same length (about 115 MB per simulated day, so a
year never finished).  Here the grid is cut into slices that start on the Earth-
orientation nodes (:func:`orbitlink.slices.time_chunks`), so each slice's states are
exactly the whole run's; each slice is propagated, routed (:func:`~.routing.route`)
and dropped, and only its per-step series is kept.  The statistics are computed once
over the joined series (:func:`~.latency_stats.join_slices`): outages and handovers
across slice boundaries count as in one run, and the result equals the one-piece run
(tested).  The Dask path (:func:`orbitlink.scale.round_trip`) runs the same slices as
tasks.
"""

from __future__ import annotations

import astropy.units as u

from ..errors import LatencyError, TimeGridError
from ..report import Progress, no_progress
from ..slices import sub_grid, time_chunks
from ..times import TimeGrid, time_grid
from ..track import Track
from .latency_result import LatencyResult
from .latency_stats import check_series_size, join_slices
from .routing import RouteOptions, check_gsl_range, check_planes, plane_topology, resolve_compute, route

# Satellite-steps per slice: a Track holds 96 bytes per satellite-step (r and v in two
# frames) and routing about as much again, so 2 million keep a slice near 0.4 GB.
SAT_STEPS_PER_SLICE = 2_000_000
# Steps per slice whatever the satellite count: the per-step rotations (3, 3, T) and the
# series grow with T alone (one satellite for a year at 10 s would otherwise be one slice).
MAX_STEPS_PER_SLICE = 50_000

__all__ = ["MAX_STEPS_PER_SLICE", "SAT_STEPS_PER_SLICE", "route_sliced", "slice_plan"]


def slice_plan(grid: TimeGrid, n_satellites: int, steps_per_slice: int | None = None) -> list[tuple[int, int]]:
    """The ``(first, last)`` sample indices of the slices a run of ``n_satellites`` uses."""
    if steps_per_slice is None:
        steps_per_slice = min(MAX_STEPS_PER_SLICE, max(1, SAT_STEPS_PER_SLICE // max(n_satellites, 1)))
    return time_chunks(grid, steps_per_slice)


def route_sliced(source, options: RouteOptions, *, grid: TimeGrid | None = None, start=None,
                 duration="24h", step="10s", propagator: str = "auto", relay=None,
                 relay_propagator: str = "auto", steps_per_slice: int | None = None,
                 isl_planes=None, relay_planes=None, progress: Progress | None = None) -> LatencyResult:
    """:func:`orbitlink.link.latency.round_trip` of a source to propagate (spec, OrbitSet or
    ElementSet), slice by slice; ``relay`` None, ``"geo"`` or a relay source."""
    from .. import propagators
    report = progress or no_progress
    propagators.resolve(source, propagator)                # refuse impossible pairs before any work
    relay_source = None
    if relay is not None and relay != "geo":
        relay_source = propagators.as_source(relay, start=start, field="relay")
        if isinstance(relay_source, Track):
            raise LatencyError("relay: a relay Track goes with a constellation Track; with a source to "
                               "propagate give the relay as a source too (OrbitSet, ElementSet or spec)")
        propagators.resolve(relay_source, relay_propagator)
    if options.to is None:
        resolve_compute(tuple(source.names), options.compute)   # an empty compute set fails now
    if grid is None:
        begin = propagators.default_start(source) if start is None else start
        grid = time_grid(begin, duration, step, satellites=1)
    if grid.size < 2:
        raise TimeGridError("duration: a latency run needs at least two time steps (a duration longer "
                            "than the step)")
    check_series_size(len(options.users if options.users is not None else options.gateways), grid.size)
    n_sat = len(source) + (0 if relay_source is None else len(relay_source))
    slices = slice_plan(grid, n_sat, steps_per_slice)

    parts, messages = [], {}
    for k, (first, last) in enumerate(slices):
        sub = sub_grid(grid, first, last)
        track = propagators.propagate(source, sub, propagator=propagator)
        relay_arg = relay if relay_source is None else propagators.propagate(relay_source, sub,
                                                                              propagator=relay_propagator)
        if k == 0:
            # The topology of the first slice, as a one-piece run infers it from its first states.
            if options.isl is not None and isl_planes is None:
                isl_planes = plane_topology(track)
                check_planes(isl_planes, track.n_satellites)
            if relay_source is not None and relay_planes is None:
                relay_planes = plane_topology(relay_arg)
            check_gsl_range(options.max_gsl_range_m, track)
        for tr, prefix in ((track, ""), (relay_arg if relay_source is not None else None, "relay: ")):
            for m in (tr.messages if tr is not None else ()):
                # Per-slice SGP4 notes ("NAME: SGP4 error ...; n of N samples masked"): keep each first one.
                messages.setdefault(prefix + m.rpartition("; ")[0] if "; " in m else prefix + m, prefix + m)
        parts.append(route(track, options, relay=relay_arg, isl_planes=isl_planes, relay_planes=relay_planes))
        del track, relay_arg
        report("propagating and routing", (k + 1) / len(slices))

    counted = [b - a + (b == grid.size - 1) for a, b in slices]
    o = options
    joined = join_slices(parts, counted, grid, o.gateways, users=o.users, to=o.to, route_factor=o.route,
                         fibre_index=o.n_fibre, slo=o.slo_s * u.s, availability_target=o.target)
    if messages:
        from dataclasses import replace

        joined = replace(joined, warnings=tuple(messages.values()) + joined.warnings)
    return joined

