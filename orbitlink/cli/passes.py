"""``orbitlink passes``: every pass of the satellites over the stations, with contact statistics."""

from __future__ import annotations

import sys

import click
import numpy as np

from . import common as c
from .visibility_common import SATELLITES_PER_CHUNK, passes_in_chunks, run_passes, station_options

TABLE_ROWS = 40


@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="60s")
@station_options
@click.option("--scan-step", help="Search sampling, dividing --step (default 10s when it divides "
              "--step: positions in between by cubic Hermite interpolation).")
@click.option("--frequency", help="Carrier frequency, e.g. 8.2GHz: adds the Doppler shift at AOS, TCA and "
                                   "LOS and its maximum rate (-f * range rate / c).")
@c.dask_option
@c.output_options(plot=False)
@click.option("--parquet", help="Write the pass table as Parquet to PATH, in row groups "
              "(needs orbitlink[parquet]).")
def passes(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
           start, duration, step, station, stations, min_elevation, scan_step, frequency, dask_address,
           json_out, csv, parquet) -> None:
    """Passes (AOS, TCA, LOS, max elevation, azimuths, range; Doppler with --frequency) over ground stations."""
    from ..export import tables
    from ..stations import resolve_stations
    from ..visibility import contact_statistics
    from ..visibility.results import check_pass_table_size

    if parquet is not None:
        tables.require_pyarrow()     # before the work, not after it
    carrier = None
    if frequency is not None:        # read before the work
        import astropy.units as u

        from ..units import to_si
        from ..visibility.results import FREQUENCY_MAX, FREQUENCY_MIN

        carrier = to_si(frequency, "frequency", "frequency", lo=FREQUENCY_MIN, hi=FREQUENCY_MAX) * u.Hz

    gs = resolve_stations(station, stations)
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    from ..scale import DEFAULT_SATELLITES_PER_TASK

    # On Dask no process holds more than one task's satellites; in one process, one chunk's.
    grid = c.resolve_grid(source, start, duration, step,
                          satellites_at_once=DEFAULT_SATELLITES_PER_TASK if dask_address else SATELLITES_PER_CHUNK)
    # The table is merged in this process whatever runs the search: refuse one too large now.
    check_pass_table_size(source, gs, float(grid.t_s[-1]), min_elevation)
    if dask_address:
        _, found = run_passes(source, grid, propagator, gs, min_elevation, scan_step, dask_address)
    else:
        found = passes_in_chunks(source, grid, propagator, gs, min_elevation, scan_step)
    if carrier is not None:
        found = found.with_frequency(carrier)      # Doppler from the range rates: no new search
    stats = contact_statistics(found)
    if csv is not None:
        with c.output_file(csv) as f:
            write_csv(f, found)
    if parquet is not None:
        with c.output_file(parquet, binary=True) as f:
            tables.write_passes_parquet(f, found)
    if json_out:
        # Streamed block by block: the same bytes as print_json of found.to_dict() (tested).
        tables.write_passes_json(sys.stdout, found, {"statistics": stats.to_dict()})
    elif csv != "-" and parquet != "-":
        print_table(found, stats)


def write_csv(f, found) -> None:
    """One row per pass, the same values as ``--json``'s passes, written
    :data:`CSV_ROWS_PER_SLICE` passes at a time (a constellation-day has millions)."""
    from ..export.tables import write_passes_csv

    write_passes_csv(f, found, CSV_ROWS_PER_SLICE)


CSV_ROWS_PER_SLICE = 50_000     # export.tables.ROWS_PER_BLOCK: about 40 MB of row text at once


def print_table(found, stats) -> None:
    from rich.table import Table

    # Piped or redirected, rich would squeeze the table into 80 columns and truncate names
    # (`walker-00…`): give it the room it needs instead (one row per pass, full names).
    console = c.stdout_console()
    from ..times import iso_utc

    start, end = iso_utc(found.start, [0.0, found.window_s])
    table = Table(title=f"orbitlink passes: {len(found)} passes, {start} to {end}")
    geometry = found.geometry is not None
    for col, just in (("satellite", "left"), ("station", "left"), ("AOS (UTC)", "left"), ("TCA", "left"),
                      ("LOS", "left"), ("max el", "right"), ("duration", "right")):
        table.add_column(col, justify=just)
    if geometry:
        table.add_column("az AOS>LOS", justify="right")
    # Only the rows shown are formatted: a constellation-day has millions.
    for row in found.select(slice(0, TABLE_ROWS)).rows():
        cells = [row["satellite"], row["station"],
                 row["aos"][:19].replace("T", " ") + (" (cut)" if row["aos_cut"] else ""),
                 row["tca"][11:19], row["los"][11:19] + (" (cut)" if row["los_cut"] else ""),
                 f"{row['max_elevation_deg']:.2f}°", f"{row['duration_s']:.0f} s"]
        if geometry:
            cells.append(f"{row['aos_azimuth_deg']:.0f}>{row['los_azimuth_deg']:.0f}°")
        table.add_row(*cells)
    console.print(table)
    floors = sorted(set(np.round(np.degrees(found.min_elevation_rad), 2).tolist()))
    console.print("minimum elevation " + ", ".join(f"{x:g}°" for x in floors)
                  + (" (per station: see --json)" if len(floors) > 1 else "")
                  + ("; azimuth masks apply" if any(m is not None for m in found.stations.masks) else ""))
    if found.frequency is not None:
        console.print(f"Doppler at {found.frequency.to_value('GHz'):g} GHz: --json or --csv give "
                      "aos/tca/los_doppler_hz and max_doppler_rate_hz_s per pass")
    if len(found) > TABLE_ROWS:
        console.print(f"... {len(found) - TABLE_ROWS} more passes (use --json or --csv for all)")
    net = stats.to_dict()["network"]
    console.print(f"network coverage {100 * net['coverage_fraction']:.2f} % of the time, "
                  f"longest gap {net['gap_max_s'] / 60:.1f} min, "
                  f"contact {net['contact_s_per_day'] / 60:.1f} min/day over all satellites")
