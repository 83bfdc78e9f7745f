"""``orbitlink passes``: every pass of the satellites over the stations, with contact statistics."""

from __future__ import annotations

import click
import numpy as np

from .. import api
from . import common as c
from .main import app

STATION_HELP = "A station: NAME (orbitlink stations list), CATALOG:NAME or LAT,LON[,ALT_M] (repeatable)."
STATIONS_HELP = ("Stations: a bundled catalog (starlink-gateways, aws-ground-station, ksat, spacex-ttc, "
                 "cities-top100) or a CSV/GeoJSON file (repeatable).")
TABLE_ROWS = 40


def station_options(func):
    """--station/--stations/--min-elevation shared by the visibility commands."""
    for option in reversed([
        click.option("--station", multiple=True, help=STATION_HELP),
        click.option("--stations", multiple=True, help=STATIONS_HELP),
        click.option("--min-elevation", help="Minimum elevation for every station, e.g. 10deg "
                     "(default: each station's own, else 10deg); terrain masks still apply."),
    ]):
        func = option(func)
    return func


def scan_step_for(step_s: float, scan_step: str | None):
    """The search sampling: --scan-step, else 10 s when it divides the propagation step, else the step."""
    if scan_step is not None:
        return scan_step
    if step_s > 10.0 and abs(step_s / 10.0 - round(step_s / 10.0)) < 1e-9:
        return "10s"
    return None


def run_passes(source, grid, propagator, stations, min_elevation, scan_step, dask=None):
    """Propagate and search: the shared core of ``passes`` and ``stations select``.

    ``dask``: None (in this process), ``"local"`` (Dask's local process
    scheduler) or a scheduler address; then the track is never assembled and
    None is returned in its place.
    """
    from ..visibility import find_passes

    if dask is not None:
        from .. import scale

        with c.status("propagating and searching passes on Dask"):
            found = scale.find_passes(source, stations, grid=grid, min_elevation=min_elevation,
                                      scan_step=scan_step_for(grid.step_s, scan_step),
                                      propagator=propagator,
                                      client=c.dask_client(dask))
        return None, found

    with c.status("propagating"):
        tr = api.propagate(source, grid, propagator=propagator)
    for message in tr.messages:
        c.warn(message)
    with c.status("searching passes"):
        passes = find_passes(tr, stations, min_elevation=min_elevation,
                             scan_step=scan_step_for(grid.step_s, scan_step))
    return tr, passes


@app.command()
@c.orbit_options
@c.time_options(duration="24h", step="60s")
@station_options
@click.option("--scan-step", help="Search sampling, dividing --step (default 10s when it divides "
              "--step: positions in between by cubic Hermite interpolation).")
@c.dask_option
@c.output_options(plot=False)
def passes(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
           start, duration, step, station, stations, min_elevation, scan_step, dask_address,
           json_out, csv) -> None:
    """Passes (AOS, TCA, LOS, max elevation) of satellites over ground stations."""
    from ..stations import resolve_stations
    from ..visibility import contact_statistics

    gs = resolve_stations(station, stations)
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    from ..scale import DEFAULT_SATELLITES_PER_TASK

    # On Dask no process holds more than one task's satellites.
    grid = c.resolve_grid(source, start, duration, step,
                          satellites_at_once=DEFAULT_SATELLITES_PER_TASK if dask_address else None)
    _, found = run_passes(source, grid, propagator, gs, min_elevation, scan_step, dask_address)
    stats = contact_statistics(found)
    if csv is not None:
        with c.output_file(csv) as f:
            write_csv(f, found)
    if json_out:
        out = found.to_dict()
        out["statistics"] = stats.to_dict()
        c.print_json(out)
    elif csv != "-":
        print_table(found, stats)


def write_csv(f, found) -> None:
    """One row per pass, the same values as ``--json``'s passes, built column-wise
    (a constellation-day has millions of passes)."""
    from ..times import iso_utc

    keys = ["satellite", "station", "aos", "tca", "los", "max_elevation_deg", "duration_s", "aos_cut", "los_cut"]
    f.write(",".join(keys) + "\n")
    if not len(found):
        return
    sat_names = [_csv_field(n) for n in found.satellites]
    sta_names = [_csv_field(n) for n in found.stations.names]
    # In slices, so the strings of millions of passes never exist all at once.
    for lo in range(0, len(found), CSV_ROWS_PER_SLICE):
        part = slice(lo, lo + CSV_ROWS_PER_SLICE)
        columns = (
            [sat_names[i] for i in found.sat_index[part].tolist()],
            [sta_names[i] for i in found.station_index[part].tolist()],
            iso_utc(found.start, found.aos_s[part]),
            iso_utc(found.start, found.tca_s[part]),
            iso_utc(found.start, found.los_s[part]),
            [str(round(x, 4)) for x in np.degrees(found.max_elevation_rad[part]).tolist()],
            [str(round(x, 3)) for x in found.duration_s[part].tolist()],
            ["true" if x else "false" for x in found.aos_cut[part].tolist()],
            ["true" if x else "false" for x in found.los_cut[part].tolist()],
        )
        f.writelines(",".join(row) + "\n" for row in zip(*columns))


CSV_ROWS_PER_SLICE = 200_000


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text


def print_table(found, stats) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    from ..times import iso_utc

    start, end = iso_utc(found.start, [0.0, found.window_s])
    table = Table(title=f"orbitlink passes: {len(found)} passes, {start} to {end}")
    for col, just in (("satellite", "left"), ("station", "left"), ("AOS (UTC)", "left"), ("TCA", "left"),
                      ("LOS", "left"), ("max el", "right"), ("duration", "right")):
        table.add_column(col, justify=just)
    # Only the rows shown are formatted: a constellation-day has millions.
    for row in found.select(slice(0, TABLE_ROWS)).rows():
        table.add_row(row["satellite"], row["station"],
                      row["aos"][:19].replace("T", " ") + (" (cut)" if row["aos_cut"] else ""),
                      row["tca"][11:19], row["los"][11:19] + (" (cut)" if row["los_cut"] else ""),
                      f"{row['max_elevation_deg']:.2f}°", f"{row['duration_s']:.0f} s")
    console.print(table)
    if len(found) > TABLE_ROWS:
        console.print(f"... {len(found) - TABLE_ROWS} more passes (use --json or --csv for all)")
    net = stats.to_dict()["network"]
    console.print(f"network coverage {100 * net['coverage_fraction']:.2f} % of the time, "
                  f"longest gap {net['gap_max_s'] / 60:.1f} min, "
                  f"contact {net['contact_s_per_day'] / 60:.1f} min/day over all satellites")
