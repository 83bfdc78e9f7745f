"""``orbitlink datacenter``: power, thermal, mass, launch cost and link verdicts of an orbital data center."""

from __future__ import annotations

from pathlib import Path

import click

from ..feasibility import datacenter as _api  # the function (the package re-exports it)
from ..feasibility.datacenter import SOURCES, DataCenterInputs, summary_sections, to_markdown
from ..errors import OrbitlinkError
from ..units import power_w
from . import common as c
from .service import DEFAULT_GATEWAYS, check_option, exit_for_check, read_service, service_options

# (option, DataCenterInputs field, help).  Defaults come from DataCenterInputs and
# their sources from SOURCES, so the CLI, the API and the docs cannot disagree.
_OPTIONS = (
    ("--overhead", "overhead", "Non-IT load (pumps, avionics, comms) as a fraction of IT power"),
    ("--cell-efficiency", "cell_efficiency", "Solar cell efficiency at AM0, beginning of life, in (0, 1]"),
    ("--packing-factor", "packing_factor", "Fraction of array area covered by cells, in (0, 1]"),
    ("--inherent-degradation", "inherent_degradation",
     "Flown-array inherent degradation without the temperature element (SMAD I_d), in (0, 1]"),
    ("--cell-temperature-coefficient", "cell_temperature_coefficient",
     "Relative power loss per kelvin of cell temperature above 28 C, e.g. 0.2%"),
    ("--sun-incidence", "sun_incidence", "Sun-tracking error angle (cosine loss)"),
    ("--degradation", "degradation_per_year", "Array power lost per year, in [0, 1)"),
    ("--mission-life", "mission_life", "Mission life for end-of-life sizing, e.g. 5yr"),
    ("--design-margin", "design_margin", "Margin on the end-of-life array power"),
    ("--x-eclipse", "x_eclipse", "SMAD path efficiency array -> battery -> loads"),
    ("--x-daylight", "x_daylight", "SMAD path efficiency array -> loads"),
    ("--array-areal-density", "array_areal_density", "Solar array mass per area, e.g. 3kg/m2"),
    ("--eclipse-load", "eclipse_load", "Share of the load carried through eclipses"),
    ("--depth-of-discharge", "depth_of_discharge", "Battery depth of discharge, in (0, 1]"),
    ("--battery-efficiency", "battery_efficiency", "Battery-to-load efficiency, in (0, 1]"),
    ("--battery-specific-energy", "battery_specific_energy", "Battery energy per mass, e.g. 150Wh/kg"),
    ("--capacity-factor", "capacity_factor", "Ground solar farm capacity factor, in (0, 1]"),
    ("--radiator-temp", "radiator_temp", "Radiator panel temperature, e.g. 20C or 293.15K"),
    ("--emissivity", "emissivity", "Radiator infrared emissivity, in (0, 1]"),
    ("--absorptivity", "absorptivity", "Radiator solar absorptivity, in [0, 1]"),
    ("--radiator-sides", "radiator_sides", "Radiating sides of a panel: 1 or 2"),
    ("--radiator-attitude", "radiator_attitude", "Radiator attitude: edge-on (to the Sun) or nadir"),
    ("--radiator-areal-density", "radiator_areal_density", "Radiator mass per area, e.g. 7kg/m2"),
    ("--rack-power", "rack_power", "IT power per rack, e.g. 120kW"),
    ("--rack-mass", "rack_mass", "Mass per rack, e.g. 1360kg"),
    ("--structure-fraction", "structure_fraction", "Structure as a fraction of total mass, in [0, 1)"),
    ("--payload-capacity", "payload_capacity", "Launcher payload to this orbit (counts whole launches), e.g. 100t"),
)
_DEFAULTS = DataCenterInputs()
_ENGINEERING_NAMES = {name for _, name, _ in _OPTIONS}


def _engineering_options(func):
    for flag, name, text in reversed(_OPTIONS):
        default = getattr(_DEFAULTS, name)
        shown = "none" if default is None else str(default)
        func = click.option(flag, name, default=None,
                            help=f"{text} (default {shown}: {SOURCES[name]}).")(func)
    return func


def _workload_options(func):
    """The served workload (orbitlink.link.workload.inference_verdict) on the command line."""
    for option in reversed([
        click.option("--requests-per-s", help="Served workload: requests per second (with --request-size "
                                              "and --response-size; checks the links carry it)."),
        click.option("--request-size", help="Served workload: bytes per request, e.g. 4kB."),
        click.option("--response-size", help="Served workload: bytes per response, e.g. 16kB."),
        click.option("--tokens-per-s", help="Served workload: tokens per second per response stream."),
        click.option("--workload", "workload_file",
                     help="A TOML file with requests_per_s, request_size, response_size[, tokens_per_s]."),
    ]):
        func = option(func)
    return func


_WORKLOAD_FIELDS = ("requests_per_s", "request_size", "response_size", "tokens_per_s")


def _read_workload(path: str) -> dict:
    import tomllib

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OrbitlinkError(f"workload: {path} does not exist (a TOML file with requests_per_s, "
                             "request_size, response_size)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OrbitlinkError(f"workload: {path}: {exc} (TOML with requests_per_s, request_size, "
                             "response_size)") from None
    unknown = sorted(set(data) - set(_WORKLOAD_FIELDS))
    if unknown:
        raise OrbitlinkError(f"workload: {path}: unknown key {unknown[0]!r} (requests_per_s, request_size, "
                             "response_size, tokens_per_s)")
    return {k: str(v) for k, v in data.items()}


def link_options(options: dict) -> dict:
    """``link_options`` of :func:`orbitlink.feasibility.datacenter`: the service options (read by
    the same :func:`orbitlink.cli.service.read_service` as ``orbitlink latency``) and the workload."""
    named_gateways = bool(options.get("station") or options.get("stations"))
    service = read_service(options)
    opts = {k: v for k, v in service.options.items() if v is not None}
    if not named_gateways:
        opts["gateways"] = DEFAULT_GATEWAYS  # by name, so the report names the catalog
    if service.relay is not None:
        opts.update(relay=service.relay, relay_propagator=service.relay_propagator)
    workload_file = options.pop("workload_file", None)
    workload = _read_workload(workload_file) if workload_file else {}
    for key in _WORKLOAD_FIELDS:
        value = options.pop(key, None)
        if value is not None:
            opts[key] = value
        elif key in workload:
            opts[key] = workload[key]
    given = {k: opts[k] for k in _WORKLOAD_FIELDS if k in opts}
    if given:  # check the workload now, before the year of eclipses and the link run
        from ..errors import WorkloadError
        from ..link.workload import inference_verdict

        missing = [k for k in _WORKLOAD_FIELDS[:3] if k not in given]
        if missing:
            raise WorkloadError(f"{missing[0].replace('_', '-')}: the served workload needs --requests-per-s, "
                                "--request-size and --response-size together (e.g. 50, 4kB, 16kB)")
        inference_verdict(**given)
    return opts


@click.command()
@c.orbit_options
@c.time_options(duration="24h", step="10s")
@click.option("--it-power", default="40MW", show_default=True,
              help="IT (compute) power, e.g. 40MW: the total, shared evenly by the satellites of a "
                   "--walker or --cluster.")
@service_options
@_workload_options
@_engineering_options
@click.option("--launch-price", "launch_prices", multiple=True,
              help="Launch price in $/kg; repeat for scenarios (default 3000 and 200: "
                   + SOURCES["launch_prices"] + ").")
@click.option("--no-link", is_flag=True, help="Leave out the latency and bandwidth verdicts.")
@click.option("--json", "json_out", is_flag=True, help="Print one JSON object on stdout.")
@click.option("--report", "report_path", help="Write the report as Markdown to PATH (plots beside it with orbitlink[plot]).")
@check_option
def datacenter(orbit, inclination, raan, phase, kepler, walker, constellation, tle, propagator,
               start, duration, step, it_power, launch_prices, no_link, json_out, report_path, check,
               **options) -> None:
    """Size an orbital data center: sunlight, solar arrays, batteries, radiators, mass, launch cost.

    The spacecraft is sized on a full year of the orbit (eclipse seasons included)
    whatever --duration says; --duration and --step set the span of the link
    analysis (latency, availability, data volume, served workload)."""
    engineering = {k: options.pop(k) for k in list(options) if k in _ENGINEERING_NAMES}
    service = link_options(options)
    source = c.resolve_source(orbit=orbit, inclination=inclination, raan=raan, phase=phase,
                              kepler=kepler, walker=walker, constellation=constellation,
                              tle=tle, start=start)
    inputs = {name: value for name, value in engineering.items() if value is not None}
    if launch_prices:
        inputs["launch_prices"] = tuple(launch_prices)
    # Check every input before the year-long eclipse run, so bad input fails at once.
    if check and no_link:
        raise OrbitlinkError("check: --check needs the link verdict (leave out --no-link)")
    DataCenterInputs(**inputs).resolve()
    power_w(it_power, "it power")
    if report_path is not None:
        folder = Path(report_path).parent
        if not folder.is_dir():
            raise OrbitlinkError(f"report: folder {str(folder)!r} does not exist (a writable file path, e.g. report.md)")
    with c.status("orbitlink datacenter") as say:

        def progress(stage: str, fraction: float) -> None:  # orbitlink.report.Progress
            if fraction == 0.0:
                say(stage)  # the spinner names the stage as it starts

        report = _api(source, it_power, start=start, duration=duration, step=step,
                      propagator=propagator, link=not no_link, link_options=service,
                      progress=progress, **inputs)
    if report_path is not None:
        write_markdown(report, report_path)
    data = report.to_dict()
    if json_out:
        c.print_json(data)
    else:
        print_report(report)
    exit_for_check(check, bool(data.get("link", {}).get("verdict", {}).get("workable")))


def write_markdown(report, path: str) -> None:
    """The Markdown report, with PNG plots beside it (``<stem>-<plot>.png``) when matplotlib is there."""
    from ..errors import MissingExtraError

    target = Path(path)
    plots = []
    try:
        from ..plot import require_matplotlib

        require_matplotlib()
    except MissingExtraError:
        c.warn('the --report plots need matplotlib (pip install "orbitlink[plot]"); '
               "the report is written without plots")
    else:
        from ..plot.feasibility import PLOTS

        for key, caption, draw in PLOTS:
            png = target.with_name(f"{target.stem}-{key}.png")
            with c.output_file(str(png), binary=True) as f:
                draw(report, f)
            plots.append((caption, png.name))
    with c.output_file(str(target)) as f:
        f.write(to_markdown(report, plots))


def print_report(report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"orbitlink datacenter: {report.it_power_w / 1e6:g} MW on {report.orbit.description}",
                  show_header=False, show_lines=False)
    table.add_column("quantity", style="bold", no_wrap=True)
    table.add_column("value")
    for k, (title, rows) in enumerate(summary_sections(report)):
        if k:
            table.add_section()
        table.add_row(f"[underline]{title}[/underline]", "")
        for name, value in rows:
            table.add_row(name, value)
    console = Console()
    if not console.is_terminal:  # pipes and files: wide enough that values do not wrap
        console = Console(width=110)
    console.print(table)
    console.print("Inputs and their sources: --json (\"inputs\") or docs/datacenter.md.", style="dim")
