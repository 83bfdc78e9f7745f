"""Entry point of the ``orbitlink`` command: the click group, its commands, and the one place
where errors become an ``orbitlink: error:`` line and exit code 2.

Each command lives in its own module of this package (``cli/track.py`` defines ``track`` ...)
and holds only option parsing and rendering; the shared options are in ``cli/common.py``.
A new command is a new module plus one entry in :func:`_register`.
"""

from __future__ import annotations

import os
import sys

import click

from ..errors import OrbitlinkError


@click.group(name="orbitlink", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="orbitlink")
def app() -> None:
    """Orbits, eclipses, ground-station visibility and link budgets for orbital data centers."""


def _register() -> None:
    """Add every command to ``app``; a new command is a new module and one entry here."""
    from . import budget, coverage, datacenter, eclipse, latency, passes, stations, track

    for command in (track.track, eclipse.eclipse, passes.passes, coverage.coverage, stations.stations,
                    latency.latency, budget.budget, datacenter.datacenter):
        app.add_command(command)


def error_line(message: str) -> str:
    """One line, whatever the message: newlines would break 'one line on stderr'."""
    return "orbitlink: error: " + " ".join(str(message).split())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input, 130 interrupted)."""
    _register()
    if argv is None:
        argv = sys.argv[1:]
    if not argv:  # bare `orbitlink`: the overview, not an error
        with click.Context(app, info_name="orbitlink") as ctx:
            print(app.get_help(ctx))
        return 0
    try:
        result = app.main(args=argv, prog_name="orbitlink", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        print(error_line(exc.format_message()), file=sys.stderr)
        return 2
    except OrbitlinkError as exc:
        print(error_line(str(exc)), file=sys.stderr)
        return 2
    except (click.exceptions.Abort, KeyboardInterrupt):
        print("orbitlink: interrupted", file=sys.stderr)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0


def run() -> None:  # console_scripts entry point
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.  Point
        # stdout at devnull so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
