"""``orbitlink eclipse``: sunlight, eclipses, beta angle, seasons and power over a span."""

from __future__ import annotations

import sys
import warnings

import click
import numpy as np

from .. import eclipse as ecl
from ..eclipse.report import parse_load_w
from ..errors import EclipseError
from . import common as c

CSV_COLUMNS = ("satellite", "orbit", "start", "end", "period_s", "eclipse_s", "umbra_s", "penumbra_s",
               "eclipse_fraction", "sunlit_fraction", "beta_deg", "illumination_fraction")
TABLE_MAX_SATELLITES = 30


@click.command()
@c.orbit_options
@c.time_options(duration="365d", step="60s")
@c.output_options()
@click.option("--shadow", type=click.Choice(list(ecl.MODELS)), default="conical", show_default=True,
              help="Shadow model: conical (umbra + penumbra) or cylindrical.")
@click.option("--array-area", help="Sun-tracking solar array area, e.g. '10 m2': adds the orbit-average power.")
@click.option("--array-efficiency", "--efficiency", "efficiency",
              help="End-to-end array efficiency (cells x packing x losses), e.g. 0.3 or 30% "
                   "[default: 0.3 with --array-area]; not the cell efficiency of datacenter's --cell-efficiency.")
@click.option("--load", help="Continuous load to carry through eclipses, e.g. 2kW: adds the battery energy.")
@click.option("--solar-constant", default="1361 W/m2", show_default=True,
              help="Solar irradiance at 1 AU (Kopp & Lean 2011: 1360.8 W/m2).")
@c.dask_option
def eclipse(**options) -> None:
    """Sunlit fraction, eclipses per orbit, beta angle, eclipse seasons and array power."""
    # ERFA warns "dubious year" on every UTC conversion before 1960 or past the
    # leap-second table: one line instead, and none when the run fails.
    with warnings.catch_warnings(record=True) as caught:  # the usual filters, recorded
        _eclipse(**options)
    dubious = False
    for w in caught:
        if "dubious year" in str(w.message):
            dubious = True
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if dubious:
        c.warn("UTC before 1960 or after the leap-second table is extrapolated (ERFA: dubious year); "
               "times may be off by a few seconds")


def _eclipse(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator, start,
             duration, step, json_out, csv, plot, shadow, array_area, efficiency, load, solar_constant,
             dask_address) -> None:
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    if efficiency is not None and array_area is None:
        raise EclipseError("array-efficiency: applies to a solar array; give --array-area too (e.g. --array-area '10 m2')")
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()  # fail before the work, not after it
    # Check the power inputs before the work as well.
    if array_area is not None:
        ecl.parse_efficiency(0.3 if efficiency is None else efficiency)
    from ..propagators import default_start

    start_t = default_start(source) if start is None else start
    detail = True if (csv is not None or plot is not None) else None
    if dask_address is not None:
        from .. import scale

        with c.status("eclipses on Dask"):
            report = scale.eclipses(source, start=start_t, duration=duration, step=step, model=shadow,
                                    propagator=propagator, detail=detail, client=c.dask_client(dask_address))
    else:
        report = _run(source, start_t, duration, step, shadow, propagator, detail)
    for message in report.messages:
        c.warn(message)
    power = None
    if array_area is not None:
        power = report.power(array_area, 0.3 if efficiency is None else efficiency, load,
                             solar_constant=solar_constant)
    if csv is not None:
        with c.output_file(csv) as f:
            write_csv(f, report)
    if plot is not None:
        from ..plot.eclipse import plot_eclipse

        with c.output_file(str(plot), binary=True) as f:
            plot_eclipse(report, f)
    if json_out:
        c.print_json(summary(report, power, load))
    elif csv != "-":
        print_summary(report, power, load)


def _run(source, start, duration, step, shadow, propagator, detail):
    """The analysis, with a progress bar on an interactive stderr."""
    if not sys.stderr.isatty():
        return ecl.eclipses(source, start=start, duration=duration, step=step, model=shadow,
                            propagator=propagator, detail=detail)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("eclipse"), BarColumn(), TimeElapsedColumn(), transient=True,
                  console=Console(stderr=True)) as bar:
        task = bar.add_task("eclipse", total=1.0)
        return ecl.eclipses(source, start=start, duration=duration, step=step, model=shadow,
                            propagator=propagator, detail=detail,
                            progress=lambda stage, fraction: bar.update(task, completed=fraction))


def summary(report, power=None, load=None) -> dict:
    """The ``--json`` object: the report's summary plus the power estimate."""
    d = report.to_dict()
    if power is not None:
        d["power"] = power.to_dict()
        if report.n_satellites > 1:
            for k, row in enumerate(d["per_satellite"]):
                row["power"] = power.to_dict(k)
    elif load is not None:
        d["power"] = _battery_only(report, load)
    return d


def _battery_only(report, load) -> dict:
    energy = report.battery_energy(load)
    load_w = parse_load_w(load)
    return {"load_w": round(load_w, 3), "battery_energy_wh": round(float(np.max(energy.to_value("W h"))), 3)}


def write_csv(f, report) -> None:
    """One row per complete revolution (ascending node to ascending node) of every satellite."""
    f.write(",".join(CSV_COLUMNS) + "\n")
    table = report.orbit_table
    if table is None:
        return
    for row in table.rows():
        row["satellite"] = _csv_field(row["satellite"])
        f.write(",".join(str(row[k]) for k in CSV_COLUMNS) + "\n")


def _csv_field(text: str) -> str:
    return c.csv_field(text)


def _pct(x) -> str:
    return "n/a" if x is None else f"{100.0 * x:.3f} %"


def _minutes(seconds) -> str:
    return "n/a" if seconds is None else f"{seconds / 60.0:.2f} min"


def print_summary(report, power=None, load=None) -> None:
    from rich.table import Table

    d = summary(report, power, load)
    table = Table(title="orbitlink eclipse", show_header=False)
    table.add_column("quantity")
    table.add_column("value")
    what = d["satellite"] if report.n_satellites == 1 else f"{report.n_satellites} satellites"
    table.add_row("orbit", what)
    table.add_row("span (UTC)", f"{d['start'][:16]} .. {d['end'][:16]} ({d['duration_s'] / 86400:g} d, "
                                f"step {d['step_s']:g} s)")
    table.add_row("shadow model", f"{report.model}, propagator {report.propagator}")
    mean = " (mean over satellites)" if report.n_satellites > 1 else ""
    # sunlit + eclipse = 100 % of the time; illumination is the power-weighted mean.
    table.add_row("sunlit fraction", _pct(d["sunlit_fraction"]) + " (full Sun)" + mean)
    table.add_row("eclipse fraction", f"{_pct(d['eclipse_fraction'])} = umbra {_pct(d['umbra_fraction'])} + "
                                      f"penumbra {_pct(d['penumbra_fraction'])}")
    table.add_row("illumination fraction", _pct(d["illumination_fraction"]) + " (mean visible Sun disc)")
    if report.n_satellites == 1:
        table.add_row("orbits", f"{d['orbits']} (period {_minutes(d['period_s'])})")
    else:
        table.add_row("orbits", f"{d['orbits']} in all")
    table.add_row("eclipses", f"{d['eclipses']}")
    table.add_row("mean eclipse per orbit", _minutes(d["mean_eclipse_s"]) + " (orbits with an eclipse)")
    max_frac = d["max_eclipse_fraction"]
    table.add_row("max eclipse per orbit", _minutes(d["max_eclipse_s"])
                  + (f" ({100 * max_frac:.1f} % of the orbit)" if max_frac is not None else "")
                  + f", umbra {_minutes(d['max_umbra_s'])}")
    b = d["beta_deg"]
    table.add_row("beta angle", "n/a" if b["min"] is None else f"{b['min']:.1f} to {b['max']:.1f} deg")
    seasons = d["seasons"]
    if not seasons:
        table.add_row("eclipse seasons", "none: always sunlit")
    for k, s in enumerate(seasons[:12]):
        cut = " (cut by the window)" if s["cut_start"] or s["cut_end"] else ""
        table.add_row("eclipse seasons" if k == 0 else "", f"{s['start'][:10]} .. {s['end'][:10]} ({s['days']:.1f} d){cut}")
    if len(seasons) > 12:
        table.add_row("", f"... {len(seasons) - 12} more (see --json)")
    if "power" in d:
        p = d["power"]
        if "mean_power_w" in p:
            table.add_row("array", f"{p['array_area_m2']:g} m2 x efficiency {p['efficiency']:g} x "
                                   f"{p['solar_constant_w_m2']:g} W/m2 = {p['peak_power_w']:.1f} W in full Sun")
            table.add_row("orbit-average power", f"{p['mean_power_w']:.1f} W (darkest orbit {p['worst_orbit_power_w']:.1f} W)")
        if "battery_energy_wh" in p:
            table.add_row("battery for longest eclipse", f"{p['battery_energy_wh']:.1f} Wh at {p['load_w']:g} W")
        if "margin_w" in p:
            table.add_row("power margin", f"{p['margin_w']:+.1f} W (mean power - load)")
    c.stdout_console().print(table)
    if 1 < report.n_satellites <= TABLE_MAX_SATELLITES:
        per = Table(title="per satellite")
        for col in ("satellite", "sunlit", "illumination", "max eclipse", "beta (deg)", "seasons"):
            per.add_column(col)
        for row in d["per_satellite"]:
            bb = row["beta_deg"]
            per.add_row(row["satellite"], _pct(row["sunlit_fraction"]), _pct(row["illumination_fraction"]),
                        _minutes(row["max_eclipse_s"]),
                        "n/a" if bb["min"] is None else f"{bb['min']:.1f} .. {bb['max']:.1f}",
                        str(len(row["seasons"])))
        c.stdout_console().print(per)
