"""Shared test helpers: physical tolerances, the CLI runner, paths to bundled data."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

# Named physical tolerances (SI): tests state accuracy in these, not in bare floats.
ONE_METER = 1.0
ONE_MICROMETER = 1e-6
ONE_KILOMETER = 1000.0
ONE_SECOND = 1.0
ONE_MILLISECOND = 1e-3
ONE_ARCSECOND_DEG = 1.0 / 3600.0

ROOT = Path(__file__).resolve().parents[1]
EPHEMERIS = ROOT / "ephemeris"
# The real public data set beside the checkout (CI clones main with ../shared beside it).
SHARED_DATA = ROOT.parent / "shared" / "data"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys):
    """Run ``orbitlink ARGS...`` in-process; returns exit code, stdout and stderr."""
    from orbitlink.cli.main import main

    def run(*args: str) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def assert_cli_error(result: CliResult, *fragments: str) -> None:
    """Bad input: exit 2, exactly one ``orbitlink: error:`` line naming the field, no traceback."""
    assert result.code == 2, (result.code, result.err)
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("orbitlink: error: "), result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), (fragment, lines[0])


# --- offline guarantee --------------------------------------------------------
# Every test runs with connections to anything but this machine refused, so a
# module that tried to download (an ephemeris, IERS data, an ITU-R map) fails
# loudly here.  Loopback stays open: Dask's LocalCluster talks over it.
OFFLINE_GUARD = '''
import ipaddress, socket
_connect = socket.socket.connect
def _guarded(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise OSError(f"network access attempted to {address!r} (orbitlink must work offline)")
    return _connect(self, address)
socket.socket.connect = _guarded
'''


@pytest.fixture(autouse=True)
def _offline():
    namespace: dict = {}
    original = socket.socket.connect
    exec(OFFLINE_GUARD, namespace)  # installs the guard
    yield
    socket.socket.connect = original
