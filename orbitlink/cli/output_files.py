"""Output files of the commands: atomic for regular files, direct for everything else.

A regular file (new or existing, named directly or through a symlink) is
written to a temporary file beside it and renamed over it only when the whole
output was written, so a failure or an interrupt never leaves a partial file.
The temporary file gets the mode a plain ``open()`` would give: the existing
file's mode, or ``0o666`` minus the umask for a new one.

Anything else - ``/dev/null``, ``/dev/full``, ``/dev/stdout``, a terminal, a
FIFO, a socket - is opened and written directly: renaming over it would
replace the device or pipe with a regular file and lose the output.  A write
error there (``/dev/full``: "No space left on device") is an ``output:`` error.

Temporary names carry the writing process's id and host
(``.out.csv.orbitlink-1234@host.x8k2.tmp``); the next run writing the same
file removes those whose process is gone (a run killed with SIGKILL cannot
clean up after itself).
"""

from __future__ import annotations

import os
import re
import socket
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import OrbitlinkError
from . import interrupts

# Paths inside these trees name devices and other processes' descriptors (/dev/stdout -> /proc/self/fd/1).
_SPECIAL_TREES = ("/dev/", "/proc/")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:32] or "host"


def _error(path: str, exc: OSError) -> OrbitlinkError:
    reason = exc.strerror or str(exc)
    return OrbitlinkError(f"output: cannot write {path}: {reason} (a writable file path, or - for stdout)")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _is_special(target: Path, st) -> bool:
    if st is not None and not stat.S_ISREG(st.st_mode):
        return True
    absolute = os.path.abspath(target)
    return absolute.startswith(_SPECIAL_TREES) or os.path.realpath(target).startswith(_SPECIAL_TREES)


@contextmanager
def output_file(path: str, *, binary: bool = False):
    """Open PATH for writing ('-' = stdout) so that a failure leaves no partial file."""
    if path == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    if not path or not str(path).strip():
        raise OrbitlinkError("output: empty file name (a file path, or - for stdout)")
    target = Path(path)
    try:
        st = os.stat(target)              # follows symlinks: what a write would reach
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _error(path, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OrbitlinkError(f"output: {path} is a folder (a file path, or - for stdout)")
    if _is_special(target, st):
        with _direct(path, binary) as f:
            yield f
        return
    with _atomic(path, Path(os.path.realpath(target)), st, binary) as f:
        yield f


@contextmanager
def _direct(path: str, binary: bool):
    try:
        f = open(path, "wb" if binary else "w", encoding=None if binary else "utf-8",
                 newline=None if binary else "")
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        with f:
            yield f
    except OSError as exc:
        raise _error(path, exc) from None


@contextmanager
def _atomic(path: str, real: Path, st, binary: bool):
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    remove_stale_temporaries(real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.orbitlink-{os.getpid()}@{_host()}.",
                                   suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb" if binary else "w", newline="" if not binary else None,
                       encoding=None if binary else "utf-8") as f:
            yield f
        interrupts.check()          # never put a run's output in place after SIGTERM/SIGHUP
        os.replace(tmp, real)
    except OSError as exc:
        _remove(tmp)
        raise _error(path, exc) from None
    except BaseException:
        _remove(tmp)
        raise


def remove_stale_temporaries(real: Path) -> list[str]:
    """Remove temporaries of ``real`` left by runs of this host whose process is gone."""
    pattern = re.compile(re.escape(f".{real.name}.orbitlink-") + r"(\d+)@" + re.escape(_host())
                         + r"\.[^.]+\.tmp$")
    removed = []
    try:
        names = os.listdir(real.parent)
    except OSError:
        return removed
    for name in names:
        m = pattern.match(name)
        if m is None or _alive(int(m.group(1))):
            continue
        _remove(real.parent / name)
        removed.append(name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:      # exists, but another user's
        return True
    return True


def _remove(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


__all__ = ["output_file", "remove_stale_temporaries"]
