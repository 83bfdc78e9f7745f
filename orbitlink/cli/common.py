"""Options and helpers shared by the commands: orbit sources, time grids, outputs."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from .. import orbits as orbit_specs
from ..propagators import default_start
from ..errors import OrbitlinkError, OrbitSpecError
from ..times import parse_time, time_grid

# --- option groups shared by the commands -----------------------------------

def _apply(options):
    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


def orbit_options(func):
    """--orbit/--inclination/--raan/--phase/--kepler/--walker/--constellation/--tle/--propagator."""
    return _apply([
        click.option("--orbit", help="Circular altitude (550km) or sun-synchronous sso:650km[:HH:MM] (LTAN, default 18:00)."),
        click.option("--inclination", help="Inclination of --orbit/--walker, e.g. 53deg (default 53deg)."),
        click.option("--raan", help="RAAN of --orbit (or of the first Walker plane), e.g. 0deg."),
        click.option("--phase", help="Argument of latitude at --start for --orbit, e.g. 0deg."),
        click.option("--kepler", help="Classical elements: a=7000km,e=0.01,i=60deg[,raan=..][,argp=..][,ma=..]."),
        click.option("--walker", help="Walker delta T/P/F (e.g. 1584/72/1) on the --orbit shell (default 550km)."),
        click.option("--constellation", help="Multi-shell TOML file ([[shell]] tables; samples in ephemeris/constellations)."),
        click.option("--tle", help="Element sets: 2-/3-line TLE or CelesTrak OMM JSON/CSV file."),
        click.option("--propagator", default="auto", show_default=True,
                     help="auto (analytic J2 for designed orbits, sgp4 for TLEs), analytic, two-body, sgp4, poliastro."),
    ])(func)


def time_options(duration: str, step: str):
    """--start/--duration/--step with per-command defaults."""
    return _apply([
        click.option("--start", help="ISO 8601 UTC (default: now for designed orbits, the newest element epoch for TLEs)."),
        click.option("--duration", default=duration, show_default=True, help="Span, e.g. 2h, 24h, 365d."),
        click.option("--step", default=step, show_default=True, help="Time step, e.g. 10s, 60s."),
    ])


dask_option = click.option(
    "--dask", "dask_address", metavar="ADDRESS",
    help="Run in Dask tasks: 'local' (one process per core) or a scheduler address such as "
         "tcp://scheduler:8786 (needs orbitlink[dask]).")


def dask_client(address: str):
    """``client=`` for :mod:`orbitlink.scale` from ``--dask`` (None: local processes)."""
    return None if address == "local" else address


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
    return _apply(options)


def resolve_source(*, orbit=None, inclination=None, raan=None, phase=None, kepler=None,
                   walker=None, constellation=None, tle=None, start=None):
    """The orbit source named by the options: an OrbitSet or an ElementSet.

    Exactly one of --orbit (optionally with --walker), --kepler,
    --constellation or --tle; --walker alone uses a 550 km shell.
    """
    # Designed orbits are defined at the start of the run; parse it here so a
    # bad --start is reported as --start, not as an orbit epoch.
    epoch = None if start is None else parse_time(start, "start")
    given = [n for n, v in (("--kepler", kepler), ("--constellation", constellation),
                            ("--tle", tle)) if v is not None]
    if orbit is not None or walker is not None:
        given.insert(0, "--orbit/--walker")
    if not given:
        raise OrbitSpecError("orbit: no orbit given (use --orbit 550km, --walker 1584/72/1, "
                             "--kepler a=..,e=..,i=.., --constellation FILE or --tle FILE)")
    if len(given) > 1:
        raise OrbitSpecError(f"orbit: {' and '.join(given)} conflict (give one orbit source)")
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
    if walker is not None:
        total, planes, phasing = orbit_specs.parse_walker(walker)
        shell = orbit or "550km"
        if shell.lower().startswith("sso:"):
            raise OrbitSpecError("walker: give the shell as --orbit ALTITUDE --inclination ANGLE, not sso:")
        if phase is not None:
            raise OrbitSpecError("phase: --phase applies to one --orbit, not a --walker shell")
        return orbit_specs.walker(
            total, planes, phasing, shell,
            orbit_specs.DEFAULT_INCLINATION if inclination is None else inclination,
            raan0=raan or "0deg", epoch=epoch)
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


def warn(message: str) -> None:
    print(f"orbitlink: warning: {message}", file=sys.stderr)


@contextmanager
def output_file(path: str, *, binary: bool = False):
    """Open PATH for writing ('-' = stdout) so that a failure leaves no partial file.

    Writes go to a temporary file in the same folder, renamed over PATH only
    when the whole output was written.
    """
    if path == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OrbitlinkError(f"output: cannot write {path}: {exc.strerror} (a writable file path)") from None
    try:
        with os.fdopen(fd, "wb" if binary else "w", newline="" if not binary else None,
                       encoding=None if binary else "utf-8") as f:
            yield f
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise OrbitlinkError(f"output: cannot write {path}: {exc.strerror} (a writable file path)") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def csv_field(text: str) -> str:
    """``text`` as one CSV field: quoted (quotes doubled) only when it holds a comma, quote or newline."""
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text


def print_json(obj) -> None:
    """Exactly one JSON object on stdout; sorted keys make the output byte-stable."""
    json.dump(obj, sys.stdout, indent=2, sort_keys=True, allow_nan=False)
    sys.stdout.write("\n")


__all__ = ["orbit_options", "time_options", "output_options", "dask_option", "dask_client",
           "resolve_source", "resolve_grid", "status", "output_file", "csv_field", "print_json", "warn"]
