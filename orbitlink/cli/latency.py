"""``orbitlink latency``: round-trip time and availability from users to compute satellites."""

from __future__ import annotations

import time

import click
import numpy as np

from ..report import percent
from . import common as c
from .progress import ProgressBar
from .service import check_option, exit_for_check, read_service, service_options



@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="10s")
@c.output_options(plot=True)
@service_options
@click.option("--compute", multiple=True, help="Compute satellites: names or glob patterns (default: all).")
@check_option
@c.dask_option
def latency(compute, json_out, csv, plot, dask_address, check, **kwargs) -> None:
    """Round-trip latency, availability and handovers from users to compute satellites.

    Default: every gateway of the bundled Starlink gateway catalog is a user,
    the whole constellation computes, no ISLs, 25 deg mask, 24 h at 10 s.
    Users reach gateways over fibre within --max-backhaul (1000 km).
    Long spans run slice by slice, so memory does not grow with the span.
    """
    t_begin = time.perf_counter()
    from ..link import latency as lat

    # Read every option before the (possibly long) propagation.
    service = read_service(kwargs)
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()  # fail before the work, not after it
    start, duration, step, propagator = (kwargs.pop(k) for k in ("start", "duration", "step", "propagator"))
    source = c.resolve_source(start=start, **kwargs)
    compute_sel = list(compute) if compute else None
    if compute_sel is not None and service.options["to"] is not None:
        raise lat.LatencyError("compute: --compute does not apply with --to (the far end is the data center)")
    if compute_sel is not None:
        lat.resolve_compute(tuple(source.names), compute_sel)  # an empty set fails now, not after propagating
    label = getattr(source, "description", "") or getattr(source, "source", "")
    options = dict(service.options, compute=compute_sel, scenario={"orbit": str(label)})
    # Slices bound the memory of the track; the grid itself is checked here (the per-step
    # series of every user, which no slicing bounds, by round_trip in-process and on Dask).
    grid = c.resolve_grid(source, start, duration, step, satellites_at_once=1)
    if dask_address is not None:
        from .. import scale

        with c.status("latency on Dask"):
            result = scale.round_trip(source, grid=grid, propagator=propagator, relay=service.relay,
                                      relay_propagator=service.relay_propagator,
                                      client=c.dask_client(dask_address), **options)
    else:
        bar = ProgressBar(t_begin)
        try:
            result = lat.round_trip(source, grid=grid, propagator=propagator, relay=service.relay,
                                    relay_propagator=service.relay_propagator, progress=bar, **options)
        finally:
            bar.close()
    for warning in result.warnings:
        c.warn(warning)

    if csv is not None:
        with c.output_file(csv) as f:
            write_csv(f, result, grid)
    if plot is not None:
        from ..plot.latency import plot_latency

        with c.output_file(str(plot), binary=True) as f:
            plot_latency(result, f)
    if json_out:
        c.print_json(result.to_dict())
    elif csv != "-":
        print_summary(result)
    exit_for_check(check, result.inference.workable)


# --- output ----------------------------------------------------------------------------------

def write_csv(f, result, grid) -> None:
    """``time,user,rtt_ms,gateway,access_satellite,compute_satellite``; rtt_ms empty without a path."""
    s = result.series
    iso = grid.iso()
    f.write("time,user,rtt_ms,gateway,access_satellite,compute_satellite\n")
    gw_names = [c.csv_field(n) for n in s.gateway_names] + ["terminal"]
    sat_names = [c.csv_field(n) for n in s.satellite_names] + [""]
    for i, user in enumerate(s.users):
        label = c.csv_field(user)
        rtt = s.rtt_s[i] * 1e3
        gw, acc, srv = s.gateway[i], s.access[i], s.serving[i]
        f.writelines(
            f"{iso[k]},{label},{rtt[k]:.6f},{gw_names[gw[k]]},{sat_names[acc[k]]},{sat_names[srv[k]]}\n"
            if np.isfinite(rtt[k]) else f"{iso[k]},{label},,,,\n"
            for k in range(len(iso)))


def _ms(x) -> str:
    return "-" if x is None else f"{x:.3f} ms"


def verdict_line(result) -> str:
    v = result.inference
    return f"inference: {'workable' if v.workable else 'not workable'} ({v.reasons[0]})"


def print_summary(result) -> None:
    from rich.table import Table

    sc = result.scenario
    table = Table(title="orbitlink latency", show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_row("orbit", str(sc.get("orbit", "")))
    table.add_row("satellites (compute)", f"{sc['satellites']} ({sc['compute_satellites']})"
                  if sc.get("to") is None else f"{sc['satellites']}")
    table.add_row("gateways", f"{sc['gateways']['count']} ({sc['gateways']['source']})")
    users = sc["users"]
    table.add_row("users", users if isinstance(users, str) else
                  (", ".join(users) if len(users) <= 3 else f"{len(users)} users"))
    if sc.get("to"):
        table.add_row("far end (data center)", sc["to"])
    table.add_row("start / step", f"{sc['start']} / {sc['step_s']:g} s x {sc['steps']}")
    if sc.get("isl"):
        topo = sc.get("isl_topology") or {}
        table.add_row("inter-satellite links", f"{sc['isl']}" + (
            f" ({topo['planes']} planes of {'/'.join(str(n) for n in topo['satellites_per_plane'])})"
            if topo else ""))
    backhaul = sc.get("max_backhaul_km")
    table.add_row("ground links / backhaul", f"{sc.get('ground_link_rule', 'elevation')} / "
                  + ("any distance" if backhaul is None else f"<= {backhaul:g} km"))
    if result.gateways_used:
        table.add_row("gateways used", ", ".join(f"{name} {share * 100:.0f} %"
                                                 for name, share in result.gateways_used[:3])
                      + (" ..." if len(result.gateways_used) > 3 else ""))
    table.add_row("availability", f"{percent(result.availability)} %")
    r = result.rtt
    table.add_row("RTT min / p50", f"{_ms(r.min_ms)} / {_ms(r.p50_ms)}")
    table.add_row("RTT p95 / p99", f"{_ms(r.p95_ms)} / {_ms(r.p99_ms)}")
    table.add_row("RTT max", _ms(r.max_ms))
    table.add_row("longest / mean outage", f"{result.outage.max_s:g} s / {result.outage.mean_s:.1f} s")
    table.add_row("handovers per hour", f"{result.handovers_per_hour:.2f}")
    if result.fibre is not None:
        table.add_row("fibre only RTT", f"{result.fibre['rtt_ms']:.3f} ms "
                      f"({result.fibre['great_circle_km']:.0f} km x {result.fibre['route_factor']:g})")
        table.add_row("constellation faster", f"{result.fibre['constellation_faster_fraction'] * 100:.1f} % of the time")
    c.stdout_console().print(table)
    for note in result.notes:
        print(f"note: {note}")
    print(verdict_line(result))
