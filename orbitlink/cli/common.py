"""Options and helpers shared by the commands: orbit sources, time grids, outputs."""

from __future__ import annotations

import functools
import json
import os
import sys
from contextlib import contextmanager

import click

from .. import orbits as orbit_specs
from ..propagators import default_start
from ..errors import OrbitlinkError, OrbitSpecError
from ..times import parse_time, time_grid
from ..export.tables import csv_field  # noqa: F401  (one CSV quoting rule, library and CLI)
from .output_files import output_file

# --- option groups shared by the commands -----------------------------------

def _apply(options):
    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


def orbit_options(func):
    """--orbit/--inclination/--raan/--phase/--kepler/--walker/--raan-spread/--cluster/--constellation/--tle/--propagator.

    ``--raan-spread`` and ``--cluster`` do not reach the command's parameters
    (``expose_value=False``): they are kept in the click context and read by
    :func:`resolve_source`, so every command that takes the orbit options takes them too.
    """
    return _apply([
        click.option("--orbit", help="Circular altitude (550km) or sun-synchronous sso:650km[:HH:MM] (LTAN, "
                                     "default 18:00); the shell of --walker and --cluster."),
        click.option("--inclination", help="Inclination of --orbit/--walker, e.g. 53deg (default 53deg)."),
        click.option("--raan", help="RAAN of --orbit (or of the first Walker plane), e.g. 0deg."),
        click.option("--phase", help="Argument of latitude at --start for --orbit, e.g. 0deg."),
        click.option("--kepler", help="Classical elements: a=7000km,e=0.01,i=60deg[,raan=..][,argp=..][,ma=..]."),
        click.option("--walker", help="Walker T/P/F (e.g. 1584/72/1) on the --orbit shell (default 550km; "
                                      "sso:650km:18:00 places the planes by local time)."),
        click.option("--raan-spread", "raan_spread", expose_value=False, callback=_store_extra,
                     help="RAAN span of the --walker planes, in (0, 360] deg (default 360deg, a Walker delta; "
                          "180deg a Walker star)."),
        click.option("--cluster", expose_value=False, callback=_store_extra, help="A tight formation N:SPACING (e.g. 81:1km) around the --orbit "
                                       "(default 550km), as Google's Suncatcher cluster."),
        click.option("--constellation", help="Multi-shell TOML file ([[shell]] tables) or a bundled one by name: "
                                                 "starlink-gen1, kuiper, oneweb (orbitlink data list)."),
        click.option("--tle", help="Element sets: 2-/3-line TLE or CelesTrak OMM JSON/CSV/XML file, or a bundled "
                                       "sample by name, e.g. iss-skyfield-doc (orbitlink data list)."),
        click.option("--propagator", default="auto", show_default=True,
                     help="auto (analytic J2 for designed orbits, sgp4 for TLEs), analytic, two-body, sgp4, poliastro."),
    ])(func)


_EXTRAS = "orbitlink.orbit_extras"


def _store_extra(ctx, param, value):
    ctx.meta.setdefault(_EXTRAS, {})[param.name] = value
    return value


def time_options(duration: str, step: str):
    """--start/--duration/--step with per-command defaults."""
    return _apply([
        click.option("--start", help="ISO 8601 UTC (default: now for designed orbits, the newest element epoch for TLEs)."),
        click.option("--duration", default=duration, show_default=True, help="Span, e.g. 2h, 24h, 365d, 1y (a Julian year, 365.25 d)."),
        click.option("--step", default=step, show_default=True, help="Time step, e.g. 10s, 60s."),
    ])


_DASK_TIMEOUT = "orbitlink.dask_timeout_s"


def _store_dask_timeout(ctx, param, value):
    if value is not None:
        from ..units import to_si

        import astropy.units as u

        ctx.meta[_DASK_TIMEOUT] = to_si(value, "time", "dask-timeout", lo=0 * u.s, lo_inclusive=False,
                                        hi=3600 * u.s)
    return value


def dask_option(func):
    """--dask ADDRESS and --dask-timeout (read by :func:`dask_client`, not passed to the command)."""
    return _apply([
        click.option(
            "--dask", "dask_address", metavar="ADDRESS",
            help="Run in Dask tasks: 'local' (one process per core) or a scheduler address such as "
                 "tcp://scheduler:8786 (needs orbitlink[dask])."),
        click.option(
            "--dask-timeout", metavar="TIME", expose_value=False, callback=_store_dask_timeout,
            help="How long to wait for the --dask scheduler to answer (default 30s)."),
    ])(func)


def dask_client(address: str):
    """``client=`` for :mod:`orbitlink.scale` from ``--dask`` (None: local processes)."""
    if address == "local":
        return None
    from ..scale import DEFAULT_CONNECT_TIMEOUT_S, SchedulerAddress

    ctx = click.get_current_context(silent=True)
    timeout_s = ctx.meta.get(_DASK_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_S) if ctx is not None else DEFAULT_CONNECT_TIMEOUT_S
    return SchedulerAddress(address, timeout_s)


def output_options(*, geojson: bool = False, plot: bool = True):
    """--json, --csv PATH and optionally --geojson PATH and --plot PATH."""
    options = [
        click.option("--json", "json_out", is_flag=True, help="Print one JSON object on stdout."),
        click.option("--csv", help="Write CSV to PATH ('-' for stdout)."),
    ]
    if geojson:
        options.append(click.option("--geojson", help="Write GeoJSON to PATH ('-' for stdout)."))
    if plot:
        options.append(click.option("--plot", help="Draw a PNG to PATH (needs orbitlink[plot])."))

    def decorate(func):
        return _apply(options)(_one_output_on_stdout(func))
    return decorate


# Options whose PATH may be '-' (stdout); with --json, at most one of them may be.
STDOUT_OUTPUTS = ("csv", "geojson", "plot", "oem", "czml", "parquet", "report")


def _one_output_on_stdout(func):
    """Refuse, before any work, two outputs on stdout (issue 18: `--json --csv -` interleaved
    a JSON object and CSV rows that no reader could separate)."""
    @functools.wraps(func)
    def checked(*args, **kwargs):
        on_stdout = (["--json"] if kwargs.get("json_out") else []) + [
            f"--{name} -" for name in STDOUT_OUTPUTS if kwargs.get(name) == "-"]
        if len(on_stdout) > 1:
            raise click.UsageError(f"output: {' and '.join(on_stdout)} would share stdout "
                                   "(give all but one of them a file path)")
        return func(*args, **kwargs)
    return checked


def resolve_source(*, orbit=None, inclination=None, raan=None, phase=None, kepler=None,
                   walker=None, constellation=None, tle=None, start=None, raan_spread=None,
                   cluster=None):
    """The orbit source named by the options: an OrbitSet or an ElementSet.

    Exactly one of --orbit (optionally with --walker or --cluster), --kepler,
    --constellation or --tle; --walker or --cluster alone uses a 550 km shell.
    ``raan_spread`` and ``cluster`` default to the command line's --raan-spread
    and --cluster (see :func:`orbit_options`).
    """
    ctx = click.get_current_context(silent=True)
    extras = (ctx.meta.get(_EXTRAS, {}) if ctx is not None else {})
    raan_spread = extras.get("raan_spread") if raan_spread is None else raan_spread
    cluster = extras.get("cluster") if cluster is None else cluster
    # Designed orbits are defined at the start of the run; parse it here so a
    # bad --start is reported as --start, not as an orbit epoch.
    epoch = None if start is None else parse_time(start, "start")
    given = [n for n, v in (("--kepler", kepler), ("--constellation", constellation),
                            ("--tle", tle)) if v is not None]
    if orbit is not None or walker is not None or cluster is not None:
        given.insert(0, "--orbit/--walker/--cluster")
    if not given:
        raise OrbitSpecError("orbit: no orbit given (use --orbit 550km, --walker 1584/72/1, "
                             "--kepler a=..,e=..,i=.., --constellation FILE or --tle FILE)")
    if len(given) > 1:
        raise OrbitSpecError(f"orbit: {' and '.join(given)} conflict (give one orbit source)")
    if walker is not None and cluster is not None:
        raise OrbitSpecError("cluster: --walker and --cluster conflict (give one pattern)")
    if raan_spread is not None and walker is None:
        raise OrbitSpecError("raan spread: --raan-spread applies to a --walker pattern")
    if tle is not None:
        from ..elements import load_elements

        elements = load_elements(tle)
        for skipped in elements.skipped:
            warn(f"skipped {skipped}")
        return elements
    if kepler is not None:
        return orbit_specs.parse_keplerian(kepler, epoch=epoch)
    if constellation is not None:
        return orbit_specs.shells_from_toml(constellation, epoch=epoch)
    if cluster is not None:
        count, spacing = orbit_specs.parse_cluster(cluster)
        if phase is not None or raan is not None:
            raise OrbitSpecError("cluster: --phase and --raan apply to one --orbit, not a --cluster")
        return orbit_specs.cluster(count, spacing, orbit or "550km", inclination=inclination, epoch=epoch)
    if walker is not None:
        total, planes, phasing = orbit_specs.parse_walker(walker)
        if phase is not None:
            raise OrbitSpecError("phase: --phase applies to one --orbit, not a --walker shell")
        return orbit_specs.walker(total, planes, phasing, orbit=orbit or "550km",
                                  inclination=inclination, raan0=raan, epoch=epoch,
                                  raan_spread=raan_spread)
    return orbit_specs.parse_orbit(orbit, inclination=inclination, raan=raan, phase=phase, epoch=epoch)


def resolve_grid(source, start, duration, step, *, satellites_at_once: int | None = None):
    """The run's time grid; default start as in :func:`orbitlink.propagators.default_start`.

    The memory check counts every satellite of ``source`` unless the run
    processes them in chunks (``satellites_at_once``, e.g. Dask tasks).
    """
    at_once = len(source) if satellites_at_once is None else min(len(source), satellites_at_once)
    return time_grid(default_start(source) if start is None else start, duration, step,
                     satellites=at_once)


@contextmanager
def status(what: str):
    """A spinner on stderr naming the running work, only when stderr is a terminal.

    Yields a function that names the current stage (``what: stage``).
    """
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda stage: None
        return
    with console.status(what + " ...") as spinner:
        yield lambda stage: spinner.update(f"{what}: {stage}")


#: Console width when stdout is not a terminal: wide enough for any row (rich uses what it needs).
PIPE_WIDTH = 400


def stdout_console():
    """The rich Console tables are printed on: the terminal's width on a terminal; piped or
    redirected, room for any row, so rich never squeezes a table into 80 columns and
    truncates names (`walker-00…`) or wraps one row over several (issue 18)."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=PIPE_WIDTH)


def warn(message: str) -> None:
    print(f"orbitlink: warning: {message}", file=sys.stderr)


def print_json(obj) -> None:
    """Exactly one JSON object on stdout; sorted keys make the output byte-stable."""
    json.dump(obj, sys.stdout, indent=2, sort_keys=True, allow_nan=False)
    sys.stdout.write("\n")


__all__ = ["orbit_options", "time_options", "output_options", "dask_option", "dask_client",
           "resolve_source", "resolve_grid", "status", "output_file", "csv_field", "print_json", "stdout_console", "warn"]
