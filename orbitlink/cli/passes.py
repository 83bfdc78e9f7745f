"""``orbitlink passes``: every pass of the satellites over the stations, with contact statistics."""

from __future__ import annotations

import click
import numpy as np

from . import common as c
from .visibility_common import run_passes, station_options

TABLE_ROWS = 40


@click.command()
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
