"""Entry point of the ``orbitlink`` command: the click group, its commands, and the one place
where errors become an ``orbitlink: error:`` line and exit code 2.

Each command lives in its own module of this package (``cli/track.py`` defines ``track`` ...)
and holds only option parsing and rendering; the shared options are in ``cli/common.py``.
A new command is a new module plus one entry in :func:`_register`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager

import click

from ..errors import OrbitlinkError
from . import interrupts
from .interrupts import Interrupted  # noqa: F401  (its old home)


@click.group(name="orbitlink", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "-V", "--version", package_name="orbitlink")
def app() -> None:
    """Orbits, eclipses, ground-station visibility and link budgets for orbital data centers."""


def _register() -> None:
    """Add every command to ``app``; a new command is a new module and one entry here."""
    from . import budget, coverage, data, datacenter, eclipse, latency, passes, stations, track
    from .schedule import schedule as schedule_command

    for command in (track.track, eclipse.eclipse, passes.passes, coverage.coverage, stations.stations,
                    latency.latency, budget.budget, datacenter.datacenter, schedule_command, data.data):
        app.add_command(command)
    from .design import design as design_command  # issue 17
    app.add_command(design_command)


def error_line(message: str) -> str:
    """One line, whatever the message: newlines would break 'one line on stderr'."""
    return "orbitlink: error: " + " ".join(str(message).split())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input, 128 + signal number when interrupted: 130 for Ctrl-C, 143 SIGTERM, 129 SIGHUP)."""
    _register()
    if argv is None:
        argv = sys.argv[1:]
    if not argv:  # bare `orbitlink`: the overview, not an error
        with click.Context(app, info_name="orbitlink") as ctx:
            print(app.get_help(ctx))
        return 0
    with _signals_as_interrupts():
        return _main(argv)


def _main(argv: list[str]) -> int:
    try:
        # make_context + invoke rather than app.main: click's main turns a broken
        # pipe (`orbitlink ... | head -1`) into exit 1; here it is the exit 0 below.
        with app.make_context("orbitlink", list(argv)) as ctx:
            result = app.invoke(ctx)
        interrupts.check()       # a signal whose exception was swallowed still ends the run as one
    except click.exceptions.UsageError as exc:
        print(error_line(exc.format_message()), file=sys.stderr)
        return 2
    except OrbitlinkError as exc:
        print(error_line(str(exc)), file=sys.stderr)
        return 2
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"orbitlink: interrupted ({signal.Signals(signum).name})", file=sys.stderr)
        return 128 + signum
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0


_raise_interrupted = interrupts.handle     # the handler (its old name)


@contextmanager
def _signals_as_interrupts():
    """SIGTERM and SIGHUP raise :class:`Interrupted` while a command runs.

    Only where their disposition is the default: a signal the caller chose to
    ignore (``nohup`` ignores SIGHUP) stays ignored.  Off the main thread
    (an embedding application) nothing is installed.
    """
    installed = {}
    interrupts.reset()
    previous_hook = sys.unraisablehook

    def quiet_interrupts(unraisable):
        # An Interrupted swallowed in a __del__ or weakref callback is raised again by
        # interrupts.check(); its "Exception ignored" traceback would only confuse.
        if not isinstance(unraisable.exc_value, interrupts.Interrupted):
            previous_hook(unraisable)

    sys.unraisablehook = quiet_interrupts
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
                installed[signum] = signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous)
        sys.unraisablehook = previous_hook


def _tolerant_stdout() -> None:
    """Characters the output encoding cannot hold (a station named São Paulo under
    PYTHONIOENCODING=ascii or a C locale) are written as backslash escapes, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def run() -> None:  # console_scripts entry point
    _tolerant_stdout()
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.  Point
        # stdout at devnull so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
