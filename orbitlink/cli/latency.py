"""``orbitlink latency``: round-trip time and availability from users to compute satellites."""

from __future__ import annotations

import sys
import time

import click
import numpy as np

from . import common as c

DEFAULT_GATEWAYS = "starlink-gateways"
STAGES = ("propagating", "ground links", "inter-satellite links", "routing", "statistics")
# Show a progress bar only once a run has taken this long (short runs stay quiet).
PROGRESS_AFTER_S = 1.0


@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="10s")
@c.output_options(plot=True)
@click.option("--user", "user", multiple=True,
              help="A user: LAT,LON or a city of the bundled top-100 list (repeatable). "
                   "Default: every gateway is its own user.")
@click.option("--users", help="Many users: 'cities' (the bundled top-100 cities), a station catalog or a CSV/GeoJSON file.")
@click.option("--direct", is_flag=True, help="Users (and the --to data center) have their own satellite terminals.")
@click.option("--isl", type=click.Choice(["none", "grid"]), default="none", show_default=True,
              help="Inter-satellite links: +Grid (two in-plane neighbours, nearest in each adjacent plane).")
@click.option("--relay", type=click.Choice(["geo"]), help="A GEO bent-pipe relay over each user's longitude.")
@click.option("--relay-walker", help="A relay constellation T/P/F[:ALTITUDE[:INCLINATION]], e.g. 66/6/1:780km:86.4deg.")
@click.option("--relay-tle", help="A relay constellation from a TLE/OMM file.")
@click.option("--isl-max-range", default="5000km", show_default=True, help="Longest inter-satellite link.")
@click.option("--to", help="Far end is a terrestrial data center at LAT,LON or a city (compares with fibre).")
@click.option("--compute", multiple=True, help="Compute satellites: names or glob patterns (default: all).")
@click.option("--station", multiple=True, help="A gateway: NAME or LAT,LON[,ALT_M] (repeatable).")
@click.option("--stations", multiple=True, help="Gateways: a catalog name or CSV/GeoJSON file "
              f"(default: the bundled {DEFAULT_GATEWAYS} catalog).")
@click.option("--min-elevation", default="25deg", show_default=True, help="Elevation mask for every ground link.")
@click.option("--slo", default="100ms", show_default=True, help="Inference round-trip target (p99).")
@click.option("--availability-target", default="99.9%", show_default=True,
              help="Availability needed for a workable verdict (percent or fraction).")
@click.option("--processing", default="0ms", show_default=True, help="Processing delay per space hop, each way.")
@click.option("--route-factor", default="1.5", show_default=True, help="Fibre route length / great circle.")
@click.option("--fibre-index", default="1.468", show_default=True, help="Group index of the fibre (speed c/n).")
@c.dask_option
def latency(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
            start, duration, step, json_out, csv, plot, user, users, direct, isl, relay,
            relay_walker, relay_tle, isl_max_range, to, compute, station, stations, min_elevation,
            slo, availability_target, processing, route_factor, fibre_index, dask_address) -> None:
    """Round-trip latency, availability and handovers from users to compute satellites.

    Default: every gateway of the bundled Starlink gateway catalog is a user,
    the whole constellation computes, no ISLs, 25 deg mask, 24 h at 10 s.
    """
    t_begin = time.perf_counter()
    from .. import propagators
    from ..link import latency as lat
    from ..places import place
    from ..quantities import to_si

    import astropy.units as u

    # Parse every option before the (possibly long) propagation.
    slo_q = to_si(slo, "time", "slo", lo=0 * u.s, lo_inclusive=False) * u.s
    proc_q = to_si(processing, "time", "processing", lo=0 * u.s) * u.s
    range_q = to_si(isl_max_range, "length", "isl-max-range", lo=0 * u.m, lo_inclusive=False) * u.m
    elev_q = to_si(min_elevation, "angle", "min-elevation", lo=0 * u.deg, hi=90 * u.deg) * u.rad
    target = _fraction(availability_target)
    route = _number(route_factor, "route-factor", lo=1.0)
    index = _number(fibre_index, "fibre-index", lo=1.0)
    relays = [x for x in (relay, relay_walker, relay_tle) if x is not None]
    if len(relays) > 1:
        raise lat.LatencyError("relay: give one of --relay geo, --relay-walker, --relay-tle")
    gateways = _gateways(station, stations)
    user_set = _users(user, users)
    far = place(to, "to") if to is not None else None
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()  # fail before the work, not after it

    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    compute_sel = list(compute) if compute else None
    if compute_sel is not None and far is not None:
        raise lat.LatencyError("compute: --compute does not apply with --to (the far end is the data center)")
    if compute_sel is not None:
        lat.resolve_compute(tuple(source.names), compute_sel)  # an empty set fails now, not after propagating
    label = getattr(source, "description", "") or getattr(source, "source", "")
    options = dict(users=user_set, compute=compute_sel, direct=direct, isl=None if isl == "none" else isl,
                   isl_max_range=range_q, to=far, min_elevation=elev_q, route_factor=route,
                   fibre_index=index, processing=proc_q, slo=slo_q, availability_target=target,
                   scenario={"orbit": str(label)})
    if dask_address is not None:
        grid, result = _on_dask(source, gateways, start, duration, step, propagator, relay, relay_walker,
                                relay_tle, options, dask_address)
    else:
        grid = c.resolve_grid(source, start, duration, step)
        bar = _Bar(t_begin)
        try:
            bar("propagating", 0.0)
            track = propagators.propagate(source, grid, propagator=propagator)
            for message in track.messages:
                c.warn(message)
            relay_arg = "geo" if relay == "geo" else None
            if relay_walker is not None:
                relay_arg = propagators.propagate(_relay_walker(relay_walker), grid)
            elif relay_tle is not None:
                relay_arg = propagators.propagate(_relay_elements(relay_tle), grid, propagator="sgp4")
                for message in relay_arg.messages:
                    c.warn(f"relay: {message}")
            bar("propagating", 1.0)
            result = lat.round_trip(track, gateways, relay=relay_arg, progress=bar, **options)
        finally:
            bar.close()

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


# --- option parsing --------------------------------------------------------------------------

def _number(text, field, lo):
    """A plain number such as --route-factor 1.5, at least ``lo`` (orbitlink.units.number)."""
    from ..units import number

    return number(text, field, lo=lo)


def _fraction(text) -> float:
    """'99.9%' or '0.999' -> 0.999 (orbitlink.units.fraction)."""
    from ..units import fraction

    return fraction(text, "availability-target", lo=0.0, lo_inclusive=False, example="99.9% or 0.999")


def _users(user, users):
    """--user (each a place) and --users (a set: 'cities', a catalog or a file) as one set, or None."""
    from ..places import places

    return places(user, "user", collection=users)


def _gateways(station, stations):
    from ..stations import load_catalog, resolve_stations

    if station or stations:
        return resolve_stations(station, stations)
    return load_catalog(DEFAULT_GATEWAYS)


def _relay_elements(path: str):
    from ..elements import load_elements

    relay_set = load_elements(path)
    for skipped in relay_set.skipped:
        c.warn(f"relay: skipped {skipped}")
    return relay_set


def _on_dask(source, gateways, start, duration, step, propagator, relay, relay_walker, relay_tle, options,
             address):
    """The run in Dask tasks over time slices (orbitlink.scale.round_trip): (grid, result)."""
    from .. import scale

    # Memory is checked per slice there; here only the grid itself.
    grid = c.resolve_grid(source, start, duration, step, satellites_at_once=1)
    relay_arg, relay_prop = ("geo" if relay == "geo" else None), "auto"
    if relay_walker is not None:
        relay_arg = _relay_walker(relay_walker)
    elif relay_tle is not None:
        relay_arg, relay_prop = _relay_elements(relay_tle), "sgp4"
    with c.status("latency on Dask"):
        result = scale.round_trip(source, gateways, grid=grid, propagator=propagator, relay=relay_arg,
                                  relay_propagator=relay_prop, client=c.dask_client(address), **options)
    return grid, result


def _relay_walker(text: str):
    """--relay-walker 'T/P/F[:ALTITUDE[:INCLINATION]]' -> an OrbitSet (default 550km, 53deg)."""
    from ..orbits import parse_walker_shell

    return parse_walker_shell(text, field="relay-walker", name="relay")


# --- progress -----------------------------------------------------------------------------

class _Bar:
    """A rich progress bar on stderr that appears only once the run has lasted PROGRESS_AFTER_S
    (and only on a terminal, so pipes and captured output stay clean)."""

    def __init__(self, t0: float):
        self.t0 = t0
        self.progress = None
        self.task = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, stage: str, fraction: float) -> None:
        """The progress callback (orbitlink.report.Progress): ``fraction`` of ``stage`` is done."""
        if not self.enabled:
            return
        k = STAGES.index(stage) if stage in STAGES else 0
        overall = (k + min(max(fraction, 0.0), 1.0)) / len(STAGES)
        if self.progress is None:
            if time.perf_counter() - self.t0 < PROGRESS_AFTER_S:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description:<22}"), BarColumn(),
                                     TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(stage, total=1.0)
        self.progress.update(self.task, completed=overall, description=stage)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


# --- output ----------------------------------------------------------------------------------

def write_csv(f, result, grid) -> None:
    """``time,user,rtt_ms,gateway,access_satellite,compute_satellite``; rtt_ms empty without a path."""
    s = result.series
    iso = grid.iso()
    f.write("time,user,rtt_ms,gateway,access_satellite,compute_satellite\n")
    gw_names = [_csv_field(n) for n in s.gateway_names] + ["terminal"]
    sat_names = [_csv_field(n) for n in s.satellite_names] + [""]
    for i, user in enumerate(s.users):
        label = _csv_field(user)
        rtt = s.rtt_s[i] * 1e3
        gw, acc, srv = s.gateway[i], s.access[i], s.serving[i]
        f.writelines(
            f"{iso[k]},{label},{rtt[k]:.6f},{gw_names[gw[k]]},{sat_names[acc[k]]},{sat_names[srv[k]]}\n"
            if np.isfinite(rtt[k]) else f"{iso[k]},{label},,,,\n"
            for k in range(len(iso)))


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text


def _ms(x) -> str:
    return "-" if x is None else f"{x:.3f} ms"


def verdict_line(result) -> str:
    v = result.inference
    return f"inference: {'workable' if v.workable else 'not workable'} ({v.reasons[0]})"


def print_summary(result) -> None:
    from rich.console import Console
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
    table.add_row("availability", f"{result.availability * 100:.3f} %")
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
    Console().print(table)
    for note in result.notes:
        print(f"note: {note}")
    print(verdict_line(result))
