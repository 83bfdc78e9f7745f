"""``orbitlink schedule``: a contact plan assigning passes to the stations' antennas."""

from __future__ import annotations

import click

from ..errors import QuantityError
from . import common as c
from .visibility_common import read_antennas, run_passes, station_options

TABLE_ROWS = 20


def _priorities(items) -> dict:
    out = {}
    for item in items:
        name, sep, factor = str(item).rpartition("=")
        if not sep or not name:
            raise QuantityError(f"priority: cannot read {item!r} (SATELLITE=FACTOR, e.g. walker-00-00=2)")
        out[name] = factor
    return out


@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="60s")
@station_options
@click.option("--antennas", help="Antennas at every station (a whole number >= 1) [catalog's antennas column, else 1].")
@click.option("--setup", default="60s", show_default=True, help="Time between two contacts on one antenna (slew, re-acquire).")
@click.option("--min-contact", default="0s", show_default=True, help="Shortest contact worth scheduling, e.g. 120s.")
@click.option("--objective", help="contact (total contact time), volume (data volume; needs --tx-power) or "
              "fairness (worst satellite's volume) [volume with a radio, else contact].")
@click.option("--priority", "priority", multiple=True, help="SATELLITE=FACTOR weighting one satellite (repeatable).")
@click.option("--method", default="heuristic", show_default=True, help="heuristic (fast greedy) or exact (MILP, small cases).")
@click.option("--compare-exact", is_flag=True, help="Also solve the MILP and report the heuristic's gap to the optimum.")
@click.option("--band", default="Ka", show_default=True, help="Radio band preset for volumes (S, X, Ku, Ka).")
@click.option("--tx-power", help="Satellite transmitter power, e.g. 10dBW: gives every contact its volume.")
@click.option("--tx-gain", help="Transmit antenna gain, e.g. 30dBi.")
@click.option("--tx-dish", help="Transmit dish diameter, e.g. 0.5m.")
@click.option("--g-over-t", help="Ground receiver G/T, e.g. 31dB/K.")
@click.option("--symbol-rate", help="Symbol rate, e.g. 500MBd [band preset].")
@click.option("--margin", default="3dB", show_default=True, help="Required margin above the MODCOD threshold.")
@c.output_options()
def schedule(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator, start, duration,
             step, station, stations, min_elevation, antennas, setup, min_contact, objective, priority, method,
             compare_exact, band, tx_power, tx_gain, tx_dish, g_over_t, symbol_rate, margin, json_out, csv,
             plot) -> None:
    """Contact plan: which antenna serves which satellite when (antennas, setup time, one terminal each)."""
    from ..schedule import plan_passes
    from ..schedule.problem import check_min_contact, check_objective, check_setup
    from ..stations import resolve_stations

    from ..schedule import METHODS

    n_ant = read_antennas(antennas)
    if method not in METHODS:
        raise QuantityError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    check_setup(setup)
    check_min_contact(min_contact)
    radio = tx_power is not None
    objective = objective or ("volume" if radio else "contact")
    check_objective(objective)
    if objective == "volume" and not radio:
        raise QuantityError("tx_power: the volume objective needs a radio (--tx-power with --tx-gain or "
                            "--tx-dish, and --g-over-t); or --objective contact")
    prio = _priorities(priority)
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()                  # fail before the work, not after it
    gs = resolve_stations(station, stations)
    if n_ant is not None:
        gs = gs.with_antennas(n_ant)
    params = None
    if radio:
        from ..link.budget import link_parameters

        params = link_parameters(band=band, tx_power=tx_power, tx_gain=tx_gain, tx_dish=tx_dish,
                                 g_over_t=g_over_t, symbol_rate=symbol_rate, margin=margin)
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase, kepler=kepler,
                              walker=walker, constellation=constellation, tle=tle, start=start)
    from ..schedule.problem import priority_array

    priority_array(prio, tuple(source.names))   # unknown satellites fail before any propagation
    grid = c.resolve_grid(source, start, duration, step)
    if params is not None:
        from .. import propagators
        from ..link.volume import data_volume

        with c.status("propagating"):
            tr = propagators.propagate(source, grid, propagator=propagator)
        for message in tr.messages:
            c.warn(message)
        with c.status("passes and volumes"):
            vol = data_volume(tr, gs, params, min_elevation=min_elevation, setup=setup)
        found, bits = vol.passes, vol.pass_volume_bits
    else:
        _, found = run_passes(source, grid, propagator, gs, min_elevation, None)
        bits = None
    with c.status("scheduling"):
        plan = plan_passes(found, objective=objective, volume_bits=bits, setup=setup, min_contact=min_contact,
                           priorities=prio, method=method, compare_exact=compare_exact)
    if csv is not None:
        with c.output_file(csv) as f:
            plan.write_csv(f)
    if plot is not None:
        from ..plot.schedule import plot_schedule

        with c.output_file(str(plot), binary=True) as f:
            plot_schedule(plan, f)
    if json_out:
        c.print_json(plan.to_dict())
    elif csv != "-" and plot != "-":
        _print(plan)


def _print(plan) -> None:
    from rich.table import Table

    d = plan.to_dict()
    s = d["scenario"]
    console = c.stdout_console()
    table = Table(title=f"orbitlink schedule: {s['contacts']} contacts of {s['passes']} passes "
                        f"({s['objective']}, {s['method']}), {s['start']} to {s['end']}")
    for col, just in (("satellite", "left"), ("station", "left"), ("antenna", "right"), ("start (UTC)", "left"),
                      ("end", "left"), ("duration", "right"), ("volume", "right")):
        table.add_column(col, justify=just)
    for r in d["contacts"][:TABLE_ROWS]:
        table.add_row(r["satellite"], r["station"], str(r["antenna"]), r["start"][:19].replace("T", " "),
                      r["end"][11:19], f"{r['duration_s']:.0f} s",
                      "-" if r["volume_gb"] is None else f"{r['volume_gb']:.1f} GB")
    console.print(table)
    if len(d["contacts"]) > TABLE_ROWS:
        console.print(f"... {len(d['contacts']) - TABLE_ROWS} more contacts (use --json or --csv for all)")
    vol = "" if s["volume_gb"] is None else f", {s['volume_tb_per_day']:.3f} TB/day"
    console.print(f"contact {s['contact_s'] / 3600:.2f} h{vol}; unscheduled pass time "
                  f"{d['unscheduled_s'] / 3600:.2f} h; worst satellite gap {s['worst_max_gap_s'] / 60:.1f} min")
    if "optimum" in s and s["method"] == "exact":
        console.print(f"exact plan: the MILP optimum {s['optimum']:.6g} (solved in {s['optimum_solve_s']:.2f} s)")
    elif "optimum" in s:
        console.print(f"MILP optimum {s['optimum']:.6g}; the heuristic is {100 * max(s['optimality_gap'], 0.0):.2f} % "
                      f"below it (solved in {s['optimum_solve_s']:.2f} s)")
