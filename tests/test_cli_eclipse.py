"""``orbitlink eclipse``: JSON keys, the table, the per-orbit CSV, the plot, bad input, progress."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import ONE_SECOND, assert_cli_error

ONE_MINUTE = 60.0 * ONE_SECOND

SSO = ("eclipse", "--orbit", "sso:650km", "--start", "2026-01-01")


def test_cli_json_keys(run_cli):
    r = run_cli(*SSO, "--duration", "365d", "--json", "--array-area", "10 m2", "--load", "2kW")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    for key in ("sunlit_fraction", "eclipse_fraction", "max_eclipse_s", "mean_eclipse_s", "orbits",
                "umbra_fraction", "penumbra_fraction", "start", "end", "step_s", "period_s"):
        assert key in d, key
    assert set(d["beta_deg"]) == {"min", "max"}
    assert [set(s) >= {"start", "end"} for s in d["seasons"]] == [True]
    assert d["seasons"][0]["start"].startswith("2026-05") and d["seasons"][0]["end"].endswith("Z")
    assert d["power"]["battery_energy_wh"] == pytest.approx(2000 * d["max_eclipse_s"] / 3600, abs=0.01)
    assert "per_satellite" not in d


def test_cli_constellation_adds_per_satellite_rows(run_cli):
    r = run_cli("eclipse", "--walker", "6/2/1", "--start", "2026-01-01", "--duration", "2d", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["satellites"] == 6 and len(d["per_satellite"]) == 6
    assert {"satellite", "sunlit_fraction", "max_eclipse_s", "beta_deg", "seasons"} <= set(d["per_satellite"][0])


def test_cli_table_and_csv(run_cli, tmp_path):
    r = run_cli(*SSO, "--duration", "30d", "--step", "120s")
    assert r.code == 0, r.err
    assert "sunlit fraction" in r.out and "none: always sunlit" in r.out
    out = tmp_path / "orbits.csv"
    r = run_cli(*SSO, "--duration", "365d", "--csv", str(out))
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == ["satellite", "orbit", "start", "end", "period_s", "eclipse_s", "umbra_s",
                             "penumbra_s", "eclipse_fraction", "sunlit_fraction", "beta_deg",
                             "illumination_fraction"]
    for row in rows:      # issue 18: the fractions of each orbit partition its period
        assert float(row["sunlit_fraction"]) + float(row["eclipse_fraction"]) == pytest.approx(1.0, abs=2e-6)
        assert float(row["sunlit_fraction"]) <= float(row["illumination_fraction"])
    assert 5300 < len(rows) < 5450
    longest = max(float(x["eclipse_s"]) for x in rows)
    assert 19 * ONE_MINUTE < longest < 21.5 * ONE_MINUTE


def test_cli_plot(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "eclipse.png"
    r = run_cli(*SSO, "--duration", "60d", "--plot", str(out))
    assert r.code == 0, r.err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args, fragments", [
    (("--start", "1890-01-01", "--duration", "1d"), ("1899-07-29 to 2053-10-09",)),
    (("--shadow", "round"), ("--shadow",)),
    (("--array-area", "10 kg"), ("array area", "m2")),
    (("--array-area", "10 m2", "--efficiency", "150%"), ("efficiency",)),
    (("--efficiency", "0.3"), ("efficiency", "--array-area")),
    (("--load", "lots"), ("load",)),
    (("--step", "0s"), ("step",)),
])
def test_cli_bad_input_is_one_line(run_cli, args, fragments):
    base = ["eclipse", "--orbit", "sso:650km", "--duration", "1d"]
    if "--start" not in args:
        base += ["--start", "2026-01-01"]
    r = run_cli(*base, *args)
    assert_cli_error(r, *fragments)  # ERFA's "dubious year" warnings for 1890 stay quiet


def test_the_progress_bar_takes_the_stage_and_fraction(monkeypatch):
    """On a terminal the command draws a bar from ``progress(stage, fraction)``."""
    import sys

    from orbitlink import orbits
    from orbitlink.cli import eclipse as cli_eclipse

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    rep = cli_eclipse._run(orbits.walker(2, 2, 1, "550km", "53deg"), "2026-01-01", "1d", "60s", "conical",
                           "auto", None)
    assert rep.n_satellites == 2
