"""Shared test helpers: physical tolerances, the CLI runner, paths to bundled data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

# Named physical tolerances (SI): tests state accuracy in these, not in bare floats.
ONE_METER = 1.0
ONE_KILOMETER = 1000.0
ONE_SECOND = 1.0
ONE_MILLISECOND = 1e-3
ONE_ARCSECOND_DEG = 1.0 / 3600.0

ROOT = Path(__file__).resolve().parents[1]
EPHEMERIS = ROOT / "ephemeris"


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
