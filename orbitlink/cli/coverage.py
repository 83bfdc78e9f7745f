"""``orbitlink coverage``: coverage map of the ground, and network coverage by ground stations."""

from __future__ import annotations

import json

import click

from .. import propagators
from . import common as c
from .visibility_common import run_passes, station_options


@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="60s")
@click.option("--resolution", default="5deg", show_default=True,
              help="Ground grid cell size (divides 180deg), e.g. 2.5deg.")
@station_options
@click.option("--footprints", is_flag=True, help="Add every satellite's footprint at the start to --geojson.")
@c.dask_option
@c.output_options(geojson=True)
def coverage(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
             start, duration, step, resolution, station, stations, min_elevation, footprints,
             dask_address, json_out, csv, geojson, plot) -> None:
    """Fraction of time each ground cell sees a satellite; with stations, how well they cover the satellites."""
    from ..stations import DEFAULT_MIN_ELEVATION, resolve_stations
    from ..visibility import CoverageGrid, contact_statistics, coverage_map, satellite_footprints

    gs = resolve_stations(station, stations) if (station or stations) else None
    # The ground grid has no station of its own: the one coverage default (orbitlink.visibility).
    mask = min_elevation if min_elevation is not None else DEFAULT_MIN_ELEVATION
    CoverageGrid.make(resolution, mask)           # bad cells or mask fail before the work
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()  # fail before the work, not after it
    if dask_address is not None:
        cov, stats, tr = _on_dask(source, start, duration, step, propagator, gs, min_elevation, mask,
                                  resolution, footprints, dask_address)
    else:
        grid = c.resolve_grid(source, start, duration, step)
        if gs is not None:
            tr, found = run_passes(source, grid, propagator, gs, min_elevation, None)
            stats = contact_statistics(found)
        else:
            with c.status("propagating"):
                tr = propagators.propagate(source, grid, propagator=propagator)
            for message in tr.messages:
                c.warn(message)
            stats = None
        with c.status("coverage map"):
            cov = coverage_map(tr, resolution=resolution, min_elevation=mask)

    out = cov.to_dict()
    if stats is not None:
        out["statistics"] = stats.to_dict()
    if csv is not None:
        with c.output_file(csv) as f:
            f.write("lat_deg,lon_deg,coverage_fraction\n")
            for i, la in enumerate(cov.lat_deg):
                f.writelines(f"{la:g},{lo:g},{fr:.6f}\n" for lo, fr in zip(cov.lon_deg, cov.fraction[i]))
    if geojson is not None:
        extra = satellite_footprints(tr, 0, mask) if footprints else None
        with c.output_file(geojson) as f:
            json.dump(cov.to_geojson(extra), f, allow_nan=False)
            f.write("\n")
    if plot is not None:
        from ..plot.coverage import plot_coverage_map

        with c.output_file(str(plot), binary=True) as f:
            plot_coverage_map(cov, f, stations=gs)
    if json_out:
        c.print_json(out)
    elif csv != "-" and geojson != "-":
        print_summary(out)


def print_summary(out: dict) -> None:
    from rich.table import Table

    cov = out["coverage"]
    table = Table(title="orbitlink coverage", show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_row("window (UTC)", f"{out['window']['start']} to {out['window']['end']}")
    table.add_row("satellites", str(out["satellites"]))
    table.add_row("min elevation", f"{out['min_elevation_deg']:g}°")
    table.add_row("grid", f"{out['grid']['resolution_deg']:g}° ({out['grid']['n_lat']} x {out['grid']['n_lon']} cells)")
    table.add_row("mean coverage (area-weighted)", f"{100 * cov['mean_fraction']:.2f} %")
    table.add_row("cell coverage min / max", f"{100 * cov['min_fraction']:.2f} / {100 * cov['max_fraction']:.2f} %")
    table.add_row("area always covered", f"{100 * cov['area_fraction_always']:.2f} %")
    table.add_row("area never covered", f"{100 * cov['area_fraction_never']:.2f} %")
    if "statistics" in out:
        net = out["statistics"]["network"]
        table.add_row("satellite time seen by a station", f"{100 * net['coverage_fraction']:.2f} %")
        table.add_row("longest gap (any satellite)", f"{net['gap_max_s'] / 60:.1f} min")
    c.stdout_console().print(table)


def _on_dask(source, start, duration, step, propagator, gs, min_elevation, mask, resolution, footprints,
             address):
    """Coverage in Dask tasks over time slices (and passes over satellite chunks with stations);
    no process holds the whole track.  Returns (coverage map, statistics or None, track or None)."""
    from .. import scale
    from ..times import TimeGrid
    from ..visibility import contact_statistics

    # Memory: passes hold a chunk of satellites at a time; coverage a slice of time (checked there).
    grid = c.resolve_grid(source, start, duration, step,
                          satellites_at_once=scale.DEFAULT_SATELLITES_PER_TASK if gs is not None else 1)
    stats = None
    if gs is not None:
        _, found = run_passes(source, grid, propagator, gs, min_elevation, None, address)
        stats = contact_statistics(found)
    with c.status("coverage map on Dask"):
        cov = scale.coverage_map(source, grid=grid, resolution=resolution, min_elevation=mask,
                                 propagator=propagator, client=c.dask_client(address))
    # Footprints are drawn at the start: every satellite over the first time slice only (the
    # states of a slice are the whole grid's, see scale.time_chunks).
    tr = None
    if footprints:
        _, last = scale.time_chunks(grid, 1)[0]
        tr = propagators.propagate(source, TimeGrid(grid.start, grid.t_s[:last + 1]), propagator=propagator)
    return cov, stats, tr
