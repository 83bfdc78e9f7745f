"""``orbitlink passes``, ``orbitlink coverage``, ``orbitlink stations list|select``: outputs and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import EPHEMERIS, assert_cli_error

ISS = str(EPHEMERIS / "tle" / "iss-skyfield-doc.tle")
PASS_KEYS = {"satellite", "station", "aos", "tca", "los", "max_elevation_deg", "duration_s"}


def test_passes_json(run_cli):
    r = run_cli("passes", "--tle", ISS, "--station", "AWS-Stockholm", "--station", "0,-78.5,2850",
                "--min-elevation", "10deg", "--duration", "12h", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["count"] == len(out["passes"]) >= 2
    for p in out["passes"]:
        assert PASS_KEYS <= set(p)
        assert p["aos"] < p["tca"] < p["los"] and p["aos"].endswith("Z")
        assert p["max_elevation_deg"] >= 10.0 and p["duration_s"] > 0
    assert out["window"]["scan_step_s"] == 10.0 and out["window"]["step_s"] == 60.0
    assert out["min_elevation_deg"] == {"AWS-Stockholm": 10.0, "0,-78.5,2850": 10.0}
    stats = out["statistics"]
    assert 0 < stats["network"]["coverage_fraction"] < 1
    assert [s["station"] for s in stats["stations"]] == ["AWS-Stockholm", "0,-78.5,2850"]


def test_passes_match_the_api(run_cli):
    import astropy.units as u

    from orbitlink.api import propagate
    from orbitlink.elements import load_elements
    from orbitlink.stations import parse_station
    from orbitlink.visibility import find_passes

    r = run_cli("passes", "--tle", ISS, "--station", "AWS-Stockholm", "--duration", "12h",
                "--step", "10s", "--json")
    el = load_elements(ISS)
    api_passes = find_passes(propagate(el, duration="12h", step="10s"), parse_station("AWS-Stockholm"),
                             min_elevation=10 * u.deg)
    assert json.loads(r.out)["passes"] == api_passes.rows()


def test_passes_csv_and_table(run_cli, tmp_path):
    path = tmp_path / "p.csv"
    r = run_cli("passes", "--tle", ISS, "--station", "AWS-Singapore", "--duration", "12h", "--csv", str(path))
    assert r.code == 0, r.err
    assert "orbitlink passes" in r.out and "network coverage" in r.out
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows and PASS_KEYS <= set(rows[0]) and rows[0]["aos_cut"] in ("true", "false")
    r = run_cli("passes", "--tle", ISS, "--station", "AWS-Singapore", "--duration", "12h", "--csv", "-")
    assert r.out.startswith("satellite,station,aos,tca,los,")


def test_passes_from_designed_orbit_and_catalog(run_cli):
    r = run_cli("passes", "--orbit", "sso:650km", "--start", "2026-03-20", "--station", "ksat:SvalSat",
                "--duration", "6h", "--json")
    out = json.loads(r.out)
    assert r.code == 0 and out["count"] >= 3 and {p["station"] for p in out["passes"]} == {"SvalSat"}


def test_coverage_plot(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "c.png"
    r = run_cli("coverage", "--orbit", "sso:650km", "--start", "2026-03-20", "--duration", "6h",
                "--resolution", "10deg", "--station", "SvalSat", "--plot", str(png))
    assert r.code == 0, r.err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_coverage_json_geojson_csv(run_cli, tmp_path):
    gj, cells = tmp_path / "c.geojson", tmp_path / "c.csv"
    r = run_cli("coverage", "--orbit", "sso:650km", "--start", "2026-03-20", "--duration", "6h",
                "--resolution", "10deg", "--station", "SvalSat", "--geojson", str(gj), "--footprints",
                "--csv", str(cells), "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["grid"] == {"resolution_deg": 10.0, "n_lat": 18, "n_lon": 36}
    assert 0 < out["coverage"]["mean_fraction"] < 0.2 and out["min_elevation_deg"] == 10.0
    assert out["statistics"]["stations"][0]["station"] == "SvalSat"
    feats = json.loads(gj.read_text())["features"]
    assert len(feats) == 18 * 36 + 1 and feats[-1]["properties"]["satellite"].startswith("sso")
    assert cells.read_text().splitlines()[0] == "lat_deg,lon_deg,coverage_fraction"


def test_stations_list(run_cli):
    r = run_cli("stations", "list", "--json")
    out = json.loads(r.out)
    assert r.code == 0 and out["count"] == 198 + 11 + 36 + 4 + 100 + 9 + 18 + 11
    r = run_cli("stations", "list", "--network", "ksat", "--json")
    names = [s["name"] for s in json.loads(r.out)["stations"]]
    assert names[:2] == ["SvalSat", "TrollSat"] and len(names) == 36
    r = run_cli("stations", "list", "--stations", "spacex-ttc")
    assert "SpaceX-Awarua" in r.out
    r = run_cli("stations", "list", "--stations", "ksat", "--geojson", "-")
    assert json.loads(r.out)["features"][0]["properties"]["name"] == "SvalSat"


def test_stations_select(run_cli):
    r = run_cli("stations", "select", "--orbit", "sso:650km", "--start", "2026-03-20", "--k", "2",
                "--objective", "coverage", "--exact", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["k"] == 2 and len(out["stations"]) == 2 and len(out["candidates"]) == 11 + 36 + 4
    assert out["optimum"]["optimality_gap"] >= 0 and 0 < out["coverage_fraction"] <= out["optimum"]["coverage_fraction"]
    r = run_cli("stations", "select", "--orbit", "sso:650km", "--start", "2026-03-20", "--k", "2",
                "--objective", "gap", "--stations", "ksat", "--stations", "spacex-ttc")
    assert r.code == 0 and "rank" in r.out


@pytest.mark.parametrize("args, fragments", [
    (["passes", "--tle", ISS, "--station", "95,0"], ["latitude 95 deg is out of range"]),
    (["passes", "--tle", ISS, "--station", "0,400"], ["longitude 400 deg is out of range"]),
    (["passes", "--tle", ISS, "--station", "0,0", "--min-elevation", "95deg"], ["min_elevation", "0 to 90 deg"]),
    (["passes", "--tle", ISS, "--station", "0,0", "--min-elevation", "-5deg"], ["min_elevation", "0 to 90 deg"]),
    (["passes", "--tle", ISS, "--station", "0,0", "--min-elevation", "10"], ["min_elevation", "unit"]),
    (["passes", "--tle", ISS, "--station", "Svalsatt"], ["unknown station 'Svalsatt'", "did you mean 'SvalSat'"]),
    (["passes", "--tle", ISS, "--station", "AWS-Sidney"], ["did you mean 'AWS-Sydney'"]),
    (["passes", "--tle", ISS], ["station", "no station given"]),
    (["passes", "--tle", ISS, "--stations", "gateways"], ["'gateways' is neither a catalog nor a file"]),
    (["passes", "--tle", ISS, "--station", "0,0", "--scan-step", "7s"], ["scan_step", "must divide"]),
    (["passes", "--station", "0,0"], ["orbit", "no orbit given"]),
    (["coverage", "--orbit", "550km", "--resolution", "7deg"], ["resolution", "divide 180"]),
    (["coverage", "--orbit", "550km", "--min-elevation", "100deg"], ["min_elevation"]),
    (["stations", "select", "--orbit", "sso:650km", "--k", "0"], ["k: 0 is out of range"]),
    (["stations", "select", "--orbit", "sso:650km", "--k", "x"], ["'--k'"]),
    (["stations", "select", "--orbit", "sso:650km", "--k", "2", "--objective", "latency"], ["'--objective'"]),
    (["stations", "list", "--network", "nasa"], ["network", "no station of network 'nasa'"]),
])
def test_bad_input_one_line_exit_2(run_cli, args, fragments):
    assert_cli_error(run_cli(*args), *fragments)


@pytest.mark.parametrize("content, fragments", [
    ("", ["stations file", "is empty"]),
    ("name,lat_deg,lon_deg\nA,1,2\nB,x,3\n", ["stations file", ":3:", "lat_deg 'x' is not a number"]),
    ("name,lat_deg,lon_deg\nA,100,2\n", ["stations file", ":2:", "latitude 100 deg"]),
    ("name,lat_deg,lon_deg,min_elevation_deg\nA,1,2,91\n", [":2:", "min elevation 91 deg"]),
    ("name,lat_deg,lon_deg,elevation_mask\nA,1,2,0:5;90:95\n", [":2:", "mask elevation 95 deg"]),
    ("name,latitude,lon_deg\nA,1,2\n", [":1:", "unknown column 'latitude'"]),
])
def test_bad_station_file(run_cli, tmp_path, content, fragments):
    f = tmp_path / "mine.csv"
    f.write_text(content, encoding="utf-8")
    assert_cli_error(run_cli("passes", "--tle", ISS, "--stations", str(f)), "mine.csv", *fragments)


def test_missing_station_file(run_cli, tmp_path):
    assert_cli_error(run_cli("passes", "--tle", ISS, "--stations", str(tmp_path / "nope.csv")),
                     "stations file", "does not exist")
