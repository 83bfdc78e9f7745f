"""``orbitlink design``: the cheapest orbital data-center system that serves inference."""

from __future__ import annotations

import time

import click

from ..report import percent
from . import common as c
from .datacenter import _ENGINEERING_NAMES, _engineering_options
from .progress import ProgressBar
from .service import check_option, exit_for_check, read_service, service_options

# The service options `latency` takes, but for the ones that become comma lists here (--isl,
# --relay) or do not apply to compute satellites (--to, the relay files of one run).
_LISTED = {"isl": "none", "relay": None, "relay_walker": None, "relay_tle": None, "to": None}


def _service_options(func):
    """:func:`orbitlink.cli.service.service_options` without the options of :data:`_LISTED`."""
    def probe():
        pass

    service_options(probe)
    for param in probe.__click_params__:
        if param.name not in _LISTED:
            func.__click_params__ = getattr(func, "__click_params__", [])
            func.__click_params__.append(param)
    return func


@click.command()
@click.option("--orbit", default="550km", show_default=True,
              help="Shells to try, a comma list: altitudes (550km) or sun-synchronous sso:650km[:HH:MM].")
@click.option("--inclination", default="53deg", show_default=True,
              help="Inclinations to try, a comma list (sso: shells take their own).")
@click.option("--satellites", required=True,
              help="Compute-satellite counts to try, a comma list, e.g. 60,120,240,480.")
@click.option("--planes", default="auto", show_default=True,
              help="'auto' (the divisor of each count nearest its square root) or plane counts, a comma list.")
@click.option("--isl", default="none", show_default=True, help="ISL patterns to try: none,grid,nearest.")
@click.option("--relay", default="none", show_default=True,
              help="Relays to try: none, geo, a Walker shell T/P/F[:ALT[:INC]] (66/6/1:780km:86.4deg) or a TLE file.")
@click.option("--raan-spread", help="RAAN span of the planes, e.g. 180deg (default 360deg).")
@click.option("--propagator", default="auto", show_default=True, help="auto, analytic, two-body, sgp4, poliastro.")
@_service_options
@click.option("--it-power", default="40MW", show_default=True,
              help="Total IT power, split evenly across each candidate's satellites.")
@click.option("--launch-price", default="3000", show_default=True, help="Launch price in $/kg.")
@_engineering_options
@c.time_options(duration="1d", step="30s")
@click.option("--verify", default="7d", show_default=True,
              help="Re-run the frontier over this span and report verdicts that flip ('none' to skip).")
@click.option("--refine/--no-refine", default=True, show_default=True,
              help="Bisect the satellite count where a family's verdict flips.")
@c.output_options(plot=True)
@check_option
@c.dask_option
def design(orbit, inclination, satellites, planes, isl, relay, raan_spread, propagator, it_power, launch_price,
           start, duration, step, verify, refine, json_out, csv, plot, dask_address, check, **kwargs) -> None:
    """Search candidate systems for the cheapest one that serves inference.

    Each candidate (orbit x inclination x satellites x planes x ISL x relay) is evaluated
    by the same code as `orbitlink latency` (availability, p99 RTT) and `orbitlink datacenter`
    (mass and launch cost with --it-power split across the satellites); the satellite count is
    then bisected where a family's verdict flips, and the Pareto frontier re-run over --verify.
    """
    t_begin = time.perf_counter()
    from .. import design as api
    from ..design import SERVICE_KEYS

    sizing = {k: kwargs.pop(k) for k in list(kwargs) if k in _ENGINEERING_NAMES}
    sizing = {k: v for k, v in sizing.items() if v is not None}
    kwargs.update(_LISTED)
    service = read_service(kwargs)
    opts = {k: service.options[k] for k in SERVICE_KEYS}
    if plot is not None:
        from ..plot import require_matplotlib

        require_matplotlib()  # fail before the work, not after it
    bar = None if dask_address is not None else ProgressBar(t_begin)
    try:
        if dask_address is not None:
            with c.status("design on Dask"):
                result = api.design(orbit, inclination, satellites, planes, isl, relay, raan_spread=raan_spread,
                                    it_power=it_power, launch_price=launch_price, sizing=sizing, start=start,
                                    duration=duration, step=step, verify=verify, refine=refine,
                                    propagator=propagator, dask=c.dask_client(dask_address) or "local", **opts)
        else:
            result = api.design(orbit, inclination, satellites, planes, isl, relay, raan_spread=raan_spread,
                                it_power=it_power, launch_price=launch_price, sizing=sizing, start=start,
                                duration=duration, step=step, verify=verify, refine=refine,
                                propagator=propagator, progress=bar, **opts)
    finally:
        if bar is not None:
            bar.close()
    if csv is not None:
        with c.output_file(csv) as f:
            write_csv(f, result)
    if plot is not None:
        from ..plot.design import plot_design

        with c.output_file(str(plot), binary=True) as f:
            plot_design(result, f)
    if json_out:
        c.print_json(result.to_dict())
    elif csv != "-":
        print_table(result)
    exit_for_check(check, result.best is not None)


CSV_COLUMNS = ("index", "orbit", "inclination_deg", "satellites", "planes", "isl", "relay", "availability",
               "rtt_p50_ms", "rtt_p99_ms", "total_mass_kg", "launch_cost_usd", "workable", "binding",
               "frontier", "best", "round")


def write_csv(f, result) -> None:
    """One row per candidate (:data:`CSV_COLUMNS`); empty cells for no value."""
    f.write(",".join(CSV_COLUMNS) + "\n")
    frontier = set(result.frontier)
    for i, r in enumerate(result.candidates):
        row = dict(r, index=i, rtt_p50_ms=r["rtt_ms"]["p50"], rtt_p99_ms=r["rtt_ms"]["p99"],
                   frontier=i in frontier, best=i == result.best)
        cells = ["" if row[k] is None else (str(row[k]).lower() if isinstance(row[k], bool) else str(row[k]))
                 for k in CSV_COLUMNS]
        f.write(",".join(f'"{x}"' if "," in x else x for x in cells) + "\n")


def _ms(x) -> str:
    return "-" if x is None else f"{x:.1f}"


def print_table(result) -> None:
    from rich.console import Console
    from rich.table import Table

    sc = result.scenario
    table = Table(title=f"orbitlink design: {sc['evaluated']} candidates, {sc['duration']} at {sc['step_s']:g} s "
                        f"from {sc['start'][:16]}, SLO {sc['slo_ms']:g} ms p99, availability "
                        f"{percent(sc['availability_target'], trim=True)} %")
    for name, justify in (("#", "right"), ("orbit", "left"), ("inc", "right"), ("T/P", "right"),
                          ("isl", "left"), ("relay", "left"), ("avail %", "right"), ("p50 ms", "right"),
                          ("p99 ms", "right"), ("mass t", "right"), ("launch $M", "right"), ("verdict", "left")):
        table.add_column(name, justify=justify)
    frontier = set(result.frontier)
    for i, r in enumerate(result.candidates):
        mark = ("best " if i == result.best else "") + ("frontier" if i in frontier else "")
        table.add_row(str(i), r["orbit"], "-" if r["inclination_deg"] is None else f"{r['inclination_deg']:g}",
                      f"{r['satellites']}/{r['planes']}", r["isl"], r["relay"], percent(r['availability']),
                      _ms(r["rtt_ms"]["p50"]), _ms(r["rtt_ms"]["p99"]), f"{r['total_mass_kg'] / 1e3:,.1f}",
                      f"{r['launch_cost_usd'] / 1e6:,.1f}",
                      ("workable" if r["workable"] else f"no ({r['binding']})") + (f" {mark}" if mark else ""))
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    console.print(table)
    if result.best is not None:
        b = result.candidates[result.best]
        print(f"best: #{result.best} {b['label']}: ${b['launch_cost_usd'] / 1e6:,.1f}M at "
              f"${sc['launch_price_usd_per_kg']:g}/kg, availability {percent(b['availability'])} %, "
              f"p99 {_ms(b['rtt_ms']['p99'])} ms")
    else:
        print(result.closest_line)
    verify = result.to_dict()["verify"]
    if verify is not None:
        flips = [f for f in verify["frontier"] if f["flipped"]]
        if not flips:
            print(f"verify ({verify['span']}): no verdict of the {len(verify['frontier'])} frontier candidates flips")
        for f in flips:
            print(f"verify ({verify['span']}): #{f['index']} is now {'workable' if f['workable'] else 'not workable'} "
                  f"(availability {percent(f['availability'])} %, p99 {_ms(f['rtt_ms']['p99'])} ms)")
    for note in result.notes:
        print(f"note: {note}")
