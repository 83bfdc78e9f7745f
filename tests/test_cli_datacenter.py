"""``orbitlink datacenter``: JSON keys, human and Markdown reports, determinism, bad input."""

from __future__ import annotations

import importlib.util
import json

import pytest

from .conftest import assert_cli_error

# June: inside the dawn-dusk eclipse season, so the battery is sized; 30 days keeps it fast.
SPAN = ("--start", "2026-06-01T00:00:00Z", "--duration", "30d", "--step", "60s")
BASE = ("datacenter", "--orbit", "sso:650km", "--it-power", "40MW", *SPAN, "--no-link")


def test_json_has_every_headline_figure(run_cli):
    r = run_cli(*BASE, "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    for key in ("sunlit_fraction", "solar_array_area_m2", "battery_energy_kwh", "radiator_area_m2",
                "total_mass_kg", "launch_cost_usd", "orbit", "power", "thermal", "mass", "inputs"):
        assert key in d, key
    assert set(d["launch_cost_usd"]) == {"3000", "200"}
    # Cost is mass times price, for each scenario.
    assert d["launch_cost_usd"]["3000"] == pytest.approx(3000 * d["total_mass_kg"], rel=1e-9)
    assert d["launch_cost_usd"]["200"] == pytest.approx(200 * d["total_mass_kg"], rel=1e-9)
    assert 0.0 < d["sunlit_fraction"] < 1.0 and d["battery_energy_kwh"] > 0
    assert d["orbit"]["source"].startswith("eclipse engine")
    assert d["it_power_w"] == 40e6
    assert d["inputs"]["cell_efficiency"]["si"] == 0.3 and d["inputs"]["cell_efficiency"]["source"]


def test_options_reach_the_model(run_cli):
    d = json.loads(run_cli(*BASE, "--json", "--cell-efficiency", "0.2", "--radiator-temp", "60C",
                           "--emissivity", "0.8", "--launch-price", "1500", "--launch-price", "100",
                           "--payload-capacity", "100t").out)
    assert set(d["launch_cost_usd"]) == {"1500", "100"}
    assert d["inputs"]["cell_efficiency"]["si"] == 0.2
    assert d["thermal"]["temperature_k"] == pytest.approx(333.15)
    assert d["thermal"]["emissivity"] == 0.8
    assert d["mass"]["launches"] == -(-d["total_mass_kg"] // 100e3)
    base = json.loads(run_cli(*BASE, "--json").out)
    # A less efficient cell needs proportionally more area: 0.3 / 0.2 = 1.5x, times the ratio of
    # the cell-temperature factors (a less efficient cell turns more sunlight into heat).
    tf = base["power"]["cell_temperature_factor"] / d["power"]["cell_temperature_factor"]
    assert d["power"]["cell_temperature_c"] > base["power"]["cell_temperature_c"]
    assert d["solar_array_area_m2"] == pytest.approx(1.5 * tf * base["solar_array_area_m2"], rel=1e-5)


def test_deterministic(run_cli):
    a = run_cli(*BASE, "--json")
    b = run_cli(*BASE, "--json")
    assert a.code == b.code == 0
    assert a.out == b.out


def test_human_report(run_cli):
    r = run_cli(*BASE)
    assert r.code == 0, r.err
    for text in ("Orbit and sunlight", "sunlit fraction", "solar array area", "battery energy",
                 "radiator area", "total mass", "launch at $3,000/kg", "launch at $200/kg"):
        assert text in r.out, text


def test_markdown_report(run_cli, tmp_path):
    path = tmp_path / "report.md"
    r = run_cli(*BASE, "--report", str(path))
    assert r.code == 0, r.err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Orbital data center: 40 MW")
    assert "| radiator area |" in text and "## Inputs" in text
    if importlib.util.find_spec("matplotlib") is not None:
        for key in ("eclipse", "mass", "launch-cost", "radiator"):
            png = tmp_path / f"report-{key}.png"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert f"](report-{key}.png)" in text
    else:
        assert "without plots" in r.err


@pytest.mark.parametrize("args,field", [
    (("--it-power", "-40MW"), "it power"),
    (("--it-power", "40"), "it power"),
    (("--cell-efficiency", "0"), "cell efficiency"),
    (("--cell-efficiency", "1.5"), "cell efficiency"),
    (("--emissivity", "0"), "emissivity"),
    (("--emissivity", "1.01"), "emissivity"),
    (("--radiator-temp", "0K"), "radiator temperature"),
    (("--radiator-temp", "-300C"), "radiator temperature"),
    (("--radiator-temp", "-150C", "--absorptivity", "0.9"), "radiator temperature"),
    (("--launch-price", "-3000"), "launch price"),
    (("--launch-price", "cheap"), "launch price"),
    (("--radiator-sides", "3"), "radiator sides"),
    (("--depth-of-discharge", "0"), "depth of discharge"),
    (("--structure-fraction", "1"), "structure fraction"),
    (("--battery-specific-energy", "150"), "battery specific energy"),
    (("--report", "no/such/folder/r.md"), "report"),
])
def test_bad_input_exit_2_one_line(run_cli, args, field):
    argv = [a for a in BASE if a not in ("--it-power", "40MW")] if args[0] == "--it-power" else list(BASE)
    assert_cli_error(run_cli(*argv, *args), field)


def test_no_orbit(run_cli):
    assert_cli_error(run_cli("datacenter", "--it-power", "40MW", "--no-link"), "orbit")


def test_link_section(run_cli):
    r = run_cli("datacenter", "--orbit", "sso:650km", "--start", "2026-01-01T00:00:00Z",
                "--duration", "2d", "--json")
    assert r.code == 0, r.err
    link = json.loads(r.out)["link"]
    if not link.get("available"):   # a link module missing: the section says so
        assert link["note"]
        return
    assert link["network_leg"]["rtt_ms"]["p50"] < 20.0       # LEO bent pipe: a few ms
    assert 0.0 < link["service"]["availability"] < 1.0       # one satellite is not always in view
    assert isinstance(link["inference"]["workable"], bool) and link["inference"]["reasons"]
    assert link["training"]["kind"] == "training" and link["downlink"]["tbyte_per_day"] > 0


def test_markdown_report_without_matplotlib(run_cli, tmp_path, monkeypatch):
    from orbitlink import plot
    from orbitlink.errors import MissingExtraError

    def missing():
        raise MissingExtraError("plot", "matplotlib", "--report plots")

    monkeypatch.setattr(plot, "require_matplotlib", missing)
    path = tmp_path / "r.md"
    r = run_cli(*BASE, "--report", str(path))
    assert r.code == 0, r.err
    assert "without plots" in r.err and "orbitlink[plot]" in r.err
    assert "## Plots" not in path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.png"))


# --- issue 16: year-round sizing, several satellites, the full service, the workload ---------

SSO4 = ("datacenter", "--walker", "4/4/0", "--orbit", "sso:650km:18:00", "--start", "2026-01-01T00:00:00Z")


def test_one_day_and_a_year_size_the_same_spacecraft(run_cli):
    day = json.loads(run_cli("datacenter", "--orbit", "sso:650km", "--start", "2026-01-01T00:00:00Z",
                             "--duration", "1h", "--step", "60s", "--json").out)
    year = json.loads(run_cli("datacenter", "--orbit", "sso:650km", "--start", "2026-01-01T00:00:00Z",
                              "--duration", "365d", "--no-link", "--json").out)
    for key in ("solar_array_area_m2", "battery_energy_kwh", "radiator_area_m2", "total_mass_kg",
                "launch_cost_usd", "power", "thermal", "mass", "orbit"):
        assert day[key] == year[key], key
    assert day["battery_energy_kwh"] > 0 and day["orbit"]["battery_set_by"]["longest_day"].startswith("2026-0")
    assert day["link"]["start"].startswith("2026-01-01T00:00") and day["link"]["end"].startswith("2026-01-01T01:00")


def test_several_satellites_print_totals_and_per_satellite(run_cli):
    r = run_cli(*SSO4, "--no-link")
    assert r.code == 0, r.err
    for text in ("(total)", "per satellite (x 4)", "total mass, 4 satellites", "battery set by",
                 "flown-array losses", "absorbed: Earth IR / albedo / Sun", "satellite separations"):
        assert text in r.out, text
    d = json.loads(run_cli(*SSO4, "--no-link", "--json").out)
    assert set(d["per_satellite"]) == {"it_power_w", "solar_array_area_m2", "radiator_area_m2",
                                       "battery_energy_kwh", "total_mass_kg"}
    assert d["per_satellite"]["it_power_w"] == 10e6
    assert d["radiator_area_m2"] == pytest.approx(4 * d["per_satellite"]["radiator_area_m2"], rel=1e-6)


def test_the_service_options_reach_the_verdict_as_in_latency(run_cli):
    """--user London --direct --isl grid: the datacenter verdict comes from the same round_trip
    as `orbitlink latency` with those options (same availability and RTT)."""
    shell = ("--walker", "24/3/1", "--orbit", "sso:550km", "--start", "2026-01-01T00:00:00Z")
    opts = ("--user", "London", "--direct", "--isl", "grid", "--duration", "2h", "--step", "30s")
    r = run_cli("datacenter", *shell, *opts, "--json")
    assert r.code == 0, r.err
    dc = json.loads(r.out)["link"]
    lat = json.loads(run_cli("latency", *shell, *opts, "--json").out)
    assert dc["service"]["availability"] == lat["availability"]
    assert dc["service"]["rtt_ms"] == lat["rtt_ms"]
    assert dc["inference"] == lat["inference"]
    assert dc["users"]["source"] == "London" and dc["service_options"]["direct"] == "yes"
    assert dc["service_options"]["isl"] == "grid"
    assert dc["verdict"]["workable"] == lat["inference"]["workable"]


def test_served_workload_joins_the_verdict(run_cli, tmp_path):
    base = ("datacenter", "--orbit", "sso:650km", "--start", "2026-01-01T00:00:00Z", "--duration", "1h",
            "--step", "60s", "--json")
    d = json.loads(run_cli(*base, "--requests-per-s", "50", "--request-size", "4kB",
                           "--response-size", "16kB", "--tokens-per-s", "40").out)["link"]
    served = d["served_workload"]
    assert {c["constraint"] for c in served["constraints"]} == {"latency", "availability", "uplink", "downlink"}
    assert served["info"]["uplink_demand_mbps"] == pytest.approx(50 * 4000 * 8 * 1.1 / 1e6)
    assert d["verdict"]["from"] == ["latency (round_trip)", "served workload"]
    assert d["verdict"]["workable"] == (served["workable"] and d["inference"]["workable"])
    f = tmp_path / "w.toml"
    f.write_text('requests_per_s = 50\nrequest_size = "4kB"\nresponse_size = "16kB"\ntokens_per_s = 40\n')
    from_file = json.loads(run_cli(*base, "--workload", str(f)).out)["link"]["served_workload"]
    assert from_file["constraints"] == served["constraints"]
