"""``orbitlink schedule``: JSON as in issue 20, CSV, the Gantt PNG, and the exact comparison."""

from __future__ import annotations

import json

import pytest

ARGS = ("schedule", "--walker", "60/6/1", "--start", "2026-01-01T00:00:00Z", "--duration", "6h",
        "--station", "Ikire", "--station", "Lekki")
RADIO = ("--tx-power", "10dBW", "--tx-gain", "30dBi", "--g-over-t", "31dB/K")


def test_json_is_the_issues_schema(run_cli):
    r = run_cli(*ARGS, *RADIO, "--antennas", "2", "--setup", "90s", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert set(d) == {"contacts", "per_satellite", "per_station", "unscheduled_s", "scenario"}
    c0 = d["contacts"][0]
    assert set(c0) == {"satellite", "station", "antenna", "start", "end", "duration_s", "volume_gb"}
    assert c0["volume_gb"] > 0 and c0["antenna"] in (0, 1)
    assert [s["antennas"] for s in d["per_station"]] == [2, 2]
    assert d["scenario"]["objective"] == "volume" and d["scenario"]["setup_s"] == 90.0
    assert len(d["per_satellite"]) == 60
    # The contacts' durations add up to the plan's contact time.
    assert sum(x["duration_s"] for x in d["contacts"]) == pytest.approx(d["scenario"]["contact_s"], abs=0.05)


def test_contact_objective_without_radio_and_csv(run_cli, tmp_path):
    out = tmp_path / "plan.csv"
    r = run_cli(*ARGS, "--min-contact", "120s", "--csv", str(out), "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["scenario"]["objective"] == "contact"
    assert all(x["volume_gb"] is None and x["duration_s"] >= 120.0 for x in d["contacts"])
    lines = out.read_text().splitlines()
    assert lines[0] == "satellite,station,antenna,start,end,duration_s,volume_gb"
    assert len(lines) == len(d["contacts"]) + 1


def test_compare_exact_and_priority(run_cli):
    r = run_cli(*ARGS, *RADIO, "--compare-exact", "--priority", "walker-03-02=3", "--json")
    assert r.code == 0, r.err
    s = json.loads(r.out)["scenario"]
    assert 0.0 <= s["optimality_gap"] <= 0.1
    assert s["priorities"] == {"walker-03-02": "3"}


def test_plot_writes_a_gantt_png(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "gantt.png"
    r = run_cli(*ARGS, "--antennas", "2", "--plot", str(out))
    assert r.code == 0, r.err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "contacts" in r.out


def test_plot_function_accepts_ax():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    import orbitlink
    from orbitlink.plot.schedule import plot_schedule
    from orbitlink.stations import load_catalog

    st = load_catalog("starlink-gateways").select(["Ikire", "Lekki"])
    plan = orbitlink.schedule("550km", st, objective="contact", start="2026-01-01T00:00:00Z", duration="6h")
    fig = Figure()
    ax = fig.subplots()
    assert plot_schedule(plan, ax=ax) is fig
    assert len(ax.patches) == len(plan)


def test_budget_network_volume_uses_the_plan(run_cli):
    base = ("budget", "--walker", "24/4/1", "--start", "2026-01-01T00:00:00Z", "--duration", "6h",
            "--station", "Awarua", "--station", "Ikire", "--band", "Ka", "--tx-power", "10dBW",
            "--tx-gain", "30dBi", "--g-over-t", "31dB/K", "--json")
    one = json.loads(run_cli(*base, "--antennas", "1").out)
    two = json.loads(run_cli(*base, "--antennas", "2", "--setup", "120s").out)
    assert [s["antennas"] for s in two["per_station"]] == [2, 2] and two["setup_s"] == 120.0
    peak_gb = 500e6 * 5.900855 / 8e9
    for d, n in ((one, 1), (two, 2)):
        assert d["contacts"] > 0
        for s in d["per_station"]:
            assert s["assigned_gbyte"] <= n * d["duration_s"] * peak_gb
            assert s["assigned_gbyte"] <= s["capacity_gbyte"] + 1e-6
