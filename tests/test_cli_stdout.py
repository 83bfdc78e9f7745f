"""At most one output on stdout (issue 18): `--json` with `--csv -` interleaved a JSON object
and CSV rows.  Refused before any work, for every command with outputs."""

from __future__ import annotations

import pytest

from .conftest import assert_cli_error

ORB = ("--orbit", "550km", "--start", "2026-01-01T00:00:00Z", "--duration", "1h")


@pytest.mark.parametrize("args, shared", [
    (("track", *ORB, "--json", "--csv", "-"), ("--json", "--csv -")),
    (("track", *ORB, "--csv", "-", "--geojson", "-"), ("--csv -", "--geojson -")),
    (("track", *ORB, "--oem", "-", "--czml", "-"), ("--oem -", "--czml -")),
    (("track", *ORB, "--czml", "-", "--json"), ("--json", "--czml -")),
    (("eclipse", *ORB, "--json", "--csv", "-"), ("--json", "--csv -")),
    (("passes", *ORB, "--station", "SvalSat", "--json", "--csv", "-"), ("--json", "--csv -")),
    (("coverage", *ORB, "--json", "--geojson", "-"), ("--json", "--geojson -")),
    (("latency", *ORB, "--user", "London", "--json", "--csv", "-"), ("--json", "--csv -")),
    (("stations", "list", "--json", "--csv", "-"), ("--json", "--csv -")),
])
def test_two_outputs_on_stdout_are_bad_input(run_cli, args, shared):
    assert_cli_error(run_cli(*args), "output", "stdout", *shared)


def test_one_output_on_stdout_is_fine(run_cli):
    result = run_cli("track", *ORB, "--csv", "-")
    assert result.code == 0 and result.out.startswith("time,satellite,")
    result = run_cli("stations", "list", "--stations", "ksat", "--json")
    assert result.code == 0 and result.out.lstrip().startswith("{")
