"""``orbitlink stations list`` and ``orbitlink stations select``."""

from __future__ import annotations

import json

import click
import numpy as np

from . import common as c
from .visibility_common import STATIONS_HELP, run_passes, station_options

DEFAULT_CANDIDATES = ("aws-ground-station", "ksat", "spacex-ttc")


@click.group()
def stations() -> None:
    """Ground-station catalogs, and choosing stations for a constellation."""


@stations.command("list")
@click.option("--stations", "sources", multiple=True, help=STATIONS_HELP + " Default: every bundled catalog.")
@click.option("--network", help="Only stations of this network (e.g. ksat, starlink-gateway).")
@c.output_options(geojson=True, plot=False)
def list_(sources, network, json_out, csv, geojson) -> None:
    """List ground stations (bundled catalogs or your files)."""
    from ..errors import StationError
    from ..stations import CATALOGS, resolve_stations

    gs = resolve_stations((), sources or CATALOGS)
    if network is not None:
        keep = [i for i, n in enumerate(gs.networks) if n == network]
        if not keep:
            raise StationError(f"network: no station of network {network!r} "
                               f"(networks: {', '.join(sorted(set(gs.networks)))})")
        gs = gs.select(keep)
    if csv is not None:
        with c.output_file(csv) as f:
            f.write(gs.to_csv())
    if geojson is not None:
        with c.output_file(geojson) as f:
            json.dump(gs.to_geojson(), f, allow_nan=False)
            f.write("\n")
    if json_out:
        out = gs.to_dict()
        out["count"] = len(gs)
        c.print_json(out)
    elif csv != "-" and geojson != "-":
        _print_list(gs)


def _print_list(gs) -> None:
    from rich.table import Table

    rows = gs.to_dict()["stations"]
    table = Table(title=f"orbitlink stations: {len(rows)}")
    for col, just in (("name", "left"), ("network", "left"), ("lat", "right"), ("lon", "right"),
                      ("alt", "right"), ("min el", "right")):
        table.add_column(col, justify=just)
    for r in rows:
        table.add_row(r["name"], r["network"], f"{r['lat_deg']:.4f}°", f"{r['lon_deg']:.4f}°",
                      f"{r['alt_m']:g} m", "" if r["min_elevation_deg"] is None else f"{r['min_elevation_deg']:g}°")
    c.stdout_console().print(table)


@stations.command("select")
@c.orbit_options
@c.time_options(duration="24h", step="60s")
@station_options
@click.option("-k", "--k", "k", type=int, required=True, help="How many stations to choose.")
@click.option("--objective", type=click.Choice(["coverage", "contact", "capacity", "gap"]), default="coverage",
              show_default=True, help="coverage: time each satellite is seen; contact: total link time; "
              "capacity: contact time a contact plan on each station's antennas delivers; "
              "gap: longest revisit gap.")
@click.option("--exact", is_flag=True, help="Also solve exactly (scipy MILP) and report greedy's gap to the optimum.")
@click.option("--antennas", help="Antennas at every candidate for --objective capacity [catalog's, else 1].")
@click.option("--scan-step", "--sample-step", "sample_step", default="60s", show_default=True,
              help="Sampling of the visibility sets (--sample-step: its earlier name).")
@c.output_options(plot=False)
def select(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
           start, duration, step, station, stations, min_elevation, k, objective, exact,
           antennas, sample_step, json_out, csv) -> None:
    """Choose K ground stations from candidates (default: AWS, KSAT, SpaceX TT&C sites)."""
    import astropy.units as u

    from ..errors import QuantityError
    from ..stations import resolve_stations
    from ..units import to_si
    from ..visibility import contact_statistics
    from ..visibility.selection import select_stations

    cand = resolve_stations(station, stations or (() if station else DEFAULT_CANDIDATES))
    if antennas is not None:
        if not str(antennas).strip().isdigit() or int(antennas) < 1:
            raise QuantityError(f"antennas: {antennas!r} is not a positive whole number (antennas per station, e.g. 4)")
        cand = cand.with_antennas(int(antennas))
    if not 1 <= k <= len(cand):
        raise QuantityError(f"k: {k} is out of range (1 to the {len(cand)} candidate stations)")
    to_si(sample_step, "time", "scan-step", lo=1 * u.s)
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    grid = c.resolve_grid(source, start, duration, step)
    _, found = run_passes(source, grid, propagator, cand, min_elevation, None)
    sel = select_stations(found, k, objective, step=sample_step, compare_exact=exact)
    chosen = found.select(np.isin(found.station_index, list(sel.indices)))
    stats = contact_statistics(chosen).to_dict()
    out = sel.to_dict()
    out["candidates"] = list(cand.names)
    out["network"] = stats["network"]
    out["chosen_stations"] = [s for s in stats["stations"] if s["station"] in set(sel.stations.names)]
    if csv is not None:
        with c.output_file(csv) as f:
            f.write("rank,station,network,lat_deg,lon_deg,value_after_pick\n")
            for rank, (g, h) in enumerate(zip(sel.indices, sel.history), 1):
                row = cand.to_dict()["stations"][g]
                f.write(f"{rank},{row['name']},{row['network']},{row['lat_deg']:g},{row['lon_deg']:g},{h:.6f}\n")
    if json_out:
        c.print_json(out)
    elif csv != "-":
        _print_selection(out)


def _print_selection(out: dict) -> None:
    from rich.table import Table

    key = next(x for x in ("coverage_fraction", "contact_s_per_day", "scheduled_s_per_day", "max_gap_s") if x in out)
    table = Table(title=f"orbitlink stations select: k={out['k']}, objective {out['objective']} ({out['method']})")
    table.add_column("rank", justify="right")
    table.add_column("station")
    table.add_column(key + " after pick", justify="right")
    for rank, (name, h) in enumerate(zip(out["stations"], out["history"]), 1):
        table.add_row(str(rank), name, f"{h:.4f}" if key == "coverage_fraction" else f"{h:.0f}")
    console = c.stdout_console()
    console.print(table)
    if "optimum" in out:
        o = out["optimum"]
        console.print(f"exact optimum (MILP): {o[key]:.6g} with {', '.join(o['stations'])}; "
                      f"greedy is {100 * o['optimality_gap']:.2f} % from it")
    console.print(f"network coverage of the chosen stations: {100 * out['network']['coverage_fraction']:.2f} %, "
                  f"longest gap {out['network']['gap_max_s'] / 60:.1f} min")
