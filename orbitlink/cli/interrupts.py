"""SIGTERM and SIGHUP handled like Ctrl-C, robustly.

The handler raises :class:`Interrupted` (a KeyboardInterrupt) at whatever bytecode the main
thread is running.  When that happens to be inside a ``__del__`` method or a weakref callback,
Python prints "Exception ignored in ..." and carries on: the run would then finish and exit 0
(seen once in about a hundred runs, in a WeakValueDictionary callback).  So the handler also
records the signal, and the places that make a run's work visible - renaming an output file
into place, and the end of the command - call :func:`check`, which raises it again.
"""

from __future__ import annotations

import signal

__all__ = ["Interrupted", "check", "handle", "pending", "reset"]

# Signals received during this command (normally empty; read by check()).
pending: list[int] = []


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C: temporary files removed, workers stopped."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def handle(signum, frame):
    """The signal handler: remember the signal, then interrupt the main thread."""
    pending.append(signum)
    raise Interrupted(signum)


def check() -> None:
    """Raise :class:`Interrupted` again if a signal arrived (its first exception may have been swallowed)."""
    if pending:
        raise Interrupted(pending[0])


def reset() -> None:
    pending.clear()
