"""``orbitlink track``: propagate and write ground tracks (summary, CSV, GeoJSON, PNG) and ephemerides (OEM, CZML)."""

from __future__ import annotations

import json

import click
import numpy as np

from ..propagators import propagate
from ..visibility.groundtrack import ground_track, to_geojson
from . import common as c


@click.command()
@c.orbit_options
@c.time_options(duration="2h", step="60s")
@c.output_options(geojson=True)
@click.option("--oem", metavar="FILE", help="Write a CCSDS OEM (502.0-B-3 KVN: GCRF, UTC, km, km/s; one "
                                            "segment per satellite) to FILE ('-' for stdout).")
@click.option("--czml", metavar="FILE", help="Write a CZML document for Cesium (sampled positions in its "
                                             "Earth-fixed FIXED frame) to FILE ('-' for stdout).")
def track(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
          start, duration, step, json_out, csv, geojson, plot, oem, czml) -> None:
    """Propagate orbits and write latitude/longitude/altitude ground tracks."""
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()  # fail before the work, not after it
    grid = c.resolve_grid(source, start, duration, step)
    tr = propagate(source, grid, propagator=propagator)
    for message in tr.messages:
        c.warn(message)
    lat, lon, alt = ground_track(tr)

    if csv is not None:
        with c.output_file(csv) as f:
            write_csv(f, tr, lat, lon, alt)
    if geojson is not None:
        with c.output_file(geojson) as f:
            json.dump(to_geojson(tr), f, allow_nan=False)
            f.write("\n")
    if oem is not None:
        from ..export import write_oem

        with c.output_file(oem) as f:
            write_oem(tr, f)
    if czml is not None:
        from ..export import write_czml

        with c.output_file(czml) as f:
            write_czml(tr, f)
    if plot is not None:
        from ..plot.groundtrack import plot_ground_track

        with c.output_file(str(plot), binary=True) as f:
            plot_ground_track(tr, f)
    if json_out:
        c.print_json(summary(tr, alt))
    elif "-" not in (csv, geojson, oem, czml):
        print_summary(tr, alt)


def write_csv(f, tr, lat, lon, alt) -> None:
    """Rows ``time,satellite,lat_deg,lon_deg,alt_km``, satellite-major, invalid samples omitted."""
    f.write("time,satellite,lat_deg,lon_deg,alt_km\n")
    iso = tr.grid.iso()
    for s, name in enumerate(tr.names):
        ok = tr.valid[s]
        label = c.csv_field(name)
        f.writelines(
            f"{iso[k]},{label},{lat[s, k]:.6f},{lon[s, k]:.6f},{alt[s, k]:.4f}\n"
            for k in np.flatnonzero(ok)
        )


def summary(tr, alt) -> dict:
    iso = tr.grid.iso()
    valid_alt = np.where(tr.valid, alt, np.nan)
    per_sat = [{
        "satellite": name,
        "min_alt_km": _num(np.nanmin(valid_alt[s])) if tr.valid[s].any() else None,
        "max_alt_km": _num(np.nanmax(valid_alt[s])) if tr.valid[s].any() else None,
        "valid_fraction": _num(tr.valid[s].mean()),
    } for s, name in enumerate(tr.names)]
    return {
        "satellites": tr.n_satellites,
        "propagator": tr.propagator,
        "start": iso[0],
        "end": iso[-1],
        "step_s": tr.grid.step_s,
        "samples": tr.n_times,
        "min_alt_km": _num(np.nanmin(valid_alt)) if tr.valid.any() else None,
        "max_alt_km": _num(np.nanmax(valid_alt)) if tr.valid.any() else None,
        "invalid_samples": int(np.count_nonzero(~tr.valid)),
        "messages": list(tr.messages),
        "per_satellite": per_sat,
    }


def _num(x) -> float:
    return round(float(x), 6)


def print_summary(tr, alt) -> None:
    from rich.table import Table

    s = summary(tr, alt)
    table = Table(title="orbitlink track", show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_row("satellites", f"{s['satellites']}")
    table.add_row("propagator", s["propagator"])
    table.add_row("start (UTC)", s["start"])
    table.add_row("end (UTC)", s["end"])
    table.add_row("step", f"{s['step_s']:g} s")
    table.add_row("samples per satellite", f"{s['samples']}")
    if s["min_alt_km"] is not None:
        table.add_row("altitude min / max", f"{s['min_alt_km']:.1f} / {s['max_alt_km']:.1f} km")
    table.add_row("invalid samples", f"{s['invalid_samples']}")
    c.stdout_console().print(table)
