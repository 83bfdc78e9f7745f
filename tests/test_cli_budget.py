"""``orbitlink budget``: the three modes, JSON keys, CSV, and one-line errors (exit 2).

Reference numbers are those of tests/test_budget.py (issue / ITU-R P.525-4 / del Portillo 2019).
"""

from __future__ import annotations

import json

import pytest

from .conftest import assert_cli_error

KA = ["budget", "--frequency", "26GHz", "--distance", "1123.4km", "--tx-power", "10dBW",
      "--tx-gain", "30dBi", "--tx-loss", "1dB", "--losses", "3dB", "--g-over-t", "31dB/K",
      "--symbol-rate", "500MBd", "--roll-off", "0.1", "--margin", "3dB"]
ISSUE_KEYS = ("fspl_db", "eirp_dbw", "g_over_t_dbk", "atmospheric_db", "cn0_dbhz", "ebn0_db",
              "esn0_db", "modcod", "margin_db", "data_rate_mbps", "shannon_mbps")


def _without(args, option):
    i = args.index(option)
    return args[:i] + args[i + 2:]


def test_ka_downlink_json(run_cli):
    r = run_cli(*KA, "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    for key in ISSUE_KEYS:
        assert key in d, key
    assert d["fspl_db"] == pytest.approx(181.758, abs=0.005)
    assert d["cn0_dbhz"] == pytest.approx(113.842, abs=0.001)
    assert d["esn0_db"] == pytest.approx(26.852, abs=0.005)
    assert d["eirp_dbw"] == 39.0 and d["g_over_t_dbk"] == 31.0
    assert d["modcod"] == "256APSK 3/4"
    assert d["data_rate_mbps"] == pytest.approx(2950.4275, abs=1e-3)


def test_ka_downlink_table(run_cli):
    r = run_cli(*KA)
    assert r.code == 0, r.err
    assert "181.758" in r.out and "113.841" in r.out and "256APSK 3/4" in r.out
    assert "closes with 256APSK 3/4 (DVB-S2X), margin 7.28 dB (3 dB required)" in r.out.splitlines()


def test_orbit_and_elevation_give_the_slant_range(run_cli):
    args = _without(KA, "--distance") + ["--orbit", "550km", "--elevation", "25deg", "--json"]
    d = json.loads(run_cli(*args).out)
    assert d["distance_km"] == pytest.approx(1123.4, abs=0.1)
    assert d["elevation_deg"] == 25.0


def test_dvbs2_only(run_cli):
    d = json.loads(run_cli(*KA, "--modcods", "dvbs2", "--json").out)
    assert d["modcod"] == "32APSK 9/10" and d["modcod_standard"] == "DVB-S2"


def test_no_modcod_closes_is_reported_not_an_error(run_cli):
    args = _without(KA, "--tx-power") + ["--tx-power", "-25dBW"]
    r = run_cli(*args)
    assert r.code == 0, r.err
    assert any(line.startswith("no MODCOD closes; short by ") for line in r.out.splitlines())
    d = json.loads(run_cli(*args, "--json").out)
    assert d["modcod"] is None and d["closes"] is False and d["data_rate_mbps"] == 0.0
    assert d["message"] == f"no MODCOD closes; short by {d['shortfall_db']:.2f} dB"


def test_csv_of_terms(run_cli, tmp_path):
    out = tmp_path / "budget.csv"
    r = run_cli(*KA, "--csv", str(out))
    assert r.code == 0, r.err
    rows = dict(line.split(",", 1) for line in out.read_text().splitlines()[1:])
    assert float(rows["fspl_db"]) == pytest.approx(181.758, abs=0.005)


@pytest.mark.parametrize("change, fragment", [
    (("--tx-power", "-5W"), "tx_power"),
    (("--tx-power", "10"), "tx_power"),
    (("--tx-gain", None, "--tx-dish", "-0.5m"), "tx_dish"),
    (("--tx-gain", None, "--tx-dish", "0.5m", "--tx-efficiency", "1.5"), "tx_efficiency"),
    (("--tx-gain", None, "--tx-dish", "0.5m", "--tx-efficiency", "0"), "tx_efficiency"),
    (("--roll-off", "1.5"), "roll_off"),
    (("--roll-off", "-0.1"), "roll_off"),
    (("--g-over-t", "31dB"), "g_over_t"),
    (("--symbol-rate", "fast"), "symbol_rate"),
    (("--distance", "-10km"), "distance"),
])
def test_bad_input_is_one_line(run_cli, change, fragment):
    args = list(KA)
    option, value, *extra = change
    args = _without(args, option) if option in args else args
    if value is not None:
        args += [option, value]
    args += extra
    assert_cli_error(run_cli(*args), fragment)


def test_frequency_outside_itu_range_with_atmosphere(run_cli):
    # Refused before itur is imported: works with or without the extra.
    args = _without(_without(KA, "--frequency"), "--distance") + [
        "--frequency", "60GHz", "--orbit", "550km", "--elevation", "30deg",
        "--station", "51.5,-0.14", "--availability", "99.9%"]
    assert_cli_error(run_cli(*args), "frequency", "55 GHz")


def test_missing_and_conflicting_options(run_cli):
    assert_cli_error(run_cli(*_without(KA, "--tx-power")), "tx_power")
    assert_cli_error(run_cli(*_without(KA, "--g-over-t")), "g_over_t")
    assert_cli_error(run_cli(*KA, "--tx-dish", "0.5m"), "tx_gain")
    assert_cli_error(run_cli(*KA, "--availability", "99.9%"), "availability", "station")
    assert_cli_error(run_cli(*KA, "--band", "W"), "band")


def test_optical_mode(run_cli):
    r = run_cli("budget", "--band", "optical", "--distance", "7000km", "--tx-power", "33dBm",
                "--tx-dish", "10cm", "--rx-dish", "10cm", "--tx-efficiency", "0.5",
                "--rx-efficiency", "0.5", "--tx-loss", "3dB", "--losses", "3dB",
                "--sensitivity", "51ph/bit", "--data-rate", "10Gbps", "--margin", "0dB", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    # tests/test_budget.py::test_optical_worked_example: -41.827 dBm.
    assert d["received_power_dbm"] == pytest.approx(-41.827, abs=0.001)
    assert d["closes"] is True
    assert_cli_error(run_cli("budget", "--band", "optical", "--distance", "7000km", "--tx-power", "1W",
                             "--tx-dish", "10cm", "--rx-dish", "10cm", "--g-over-t", "3dB/K"), "g_over_t")


def test_network_volume_mode(run_cli, tmp_path):
    out = tmp_path / "passes.csv"
    r = run_cli("budget", "--band", "Ka", "--orbit", "sso:550km", "--start", "2025-01-01T00:00:00Z",
                "--duration", "12h", "--step", "30s", "--tx-power", "2W", "--tx-dish", "0.2m",
                "--g-over-t", "20dB/K", "--station", "78.23,15.41", "--station", "ksat:SvalSat",
                "--json", "--csv", str(out))
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["mode"] == "network" and d["satellites"] == 1 and d["stations"] == 2
    assert d["passes"] > 0 and d["network_tbyte_per_day"] > 0
    per = {s["station"]: s for s in d["per_station"]}
    assert set(per) == {"78.23,15.41", "SvalSat"}
    lines = out.read_text().splitlines()
    assert lines[0].startswith("station,satellite,aos,tca,los,duration_s")
    assert len(lines) == 1 + d["passes"]
    assert "free space only" in " ".join(d["notes"])


def test_network_mode_needs_stations(run_cli):
    assert_cli_error(run_cli("budget", "--band", "Ka", "--orbit", "550km", "--tx-power", "2W",
                             "--tx-gain", "30dBi", "--g-over-t", "20dB/K"), "stations")
