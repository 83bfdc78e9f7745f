"""``orbitlink track``: outputs and every bad-input case of the foundation issue."""

from __future__ import annotations

import csv
import io
import json
import socket

import numpy as np
import pytest

from .conftest import EPHEMERIS, assert_cli_error

BASE = ("track", "--start", "2026-01-01T00:00:00Z")


def test_summary_table(run_cli):
    r = run_cli(*BASE, "--orbit", "550km", "--duration", "2h", "--step", "60s")
    assert r.code == 0, r.err
    # Track.propagator is the resolved name ("auto" -> "analytic"), not "analytic-j2".
    assert "analytic" in r.out and "analytic-j2" not in r.out and "121" in r.out


def test_csv_to_stdout(run_cli):
    r = run_cli(*BASE, "--orbit", "550km", "--duration", "2h", "--step", "60s", "--csv", "-")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert list(rows[0]) == ["time", "satellite", "lat_deg", "lon_deg", "alt_km"]
    assert len(rows) == 121
    assert rows[0]["time"] == "2026-01-01T00:00:00.000Z"
    lat = np.array([float(x["lat_deg"]) for x in rows])
    # A 53 deg orbit reaches 53 deg geocentric latitude, ~53.2 deg geodetic.
    assert 52.5 < lat.max() < 53.5
    alt = np.array([float(x["alt_km"]) for x in rows])
    # Geodetic altitude of a 6,928 km radius orbit: 550 km over the equator,
    # up to ~563.7 km at 53 deg latitude where the ellipsoid is lower.
    assert 549.9 < alt.min() and alt.max() < 565


def test_json_is_one_object_and_deterministic(run_cli):
    args = (*BASE, "--walker", "24/6/1", "--duration", "1h", "--step", "5min", "--json")
    first, second = run_cli(*args), run_cli(*args)
    assert first.code == 0, first.err
    data = json.loads(first.out)
    assert data["satellites"] == 24 and data["samples"] == 13
    assert first.out == second.out


def test_geojson_file_and_atomic_write(run_cli, tmp_path):
    out = tmp_path / "track.geojson"
    r = run_cli(*BASE, "--orbit", "sso:650km", "--duration", "3h", "--step", "60s",
                "--geojson", str(out))
    assert r.code == 0, r.err
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection"
    for line in data["features"][0]["geometry"]["coordinates"]:
        lon = np.array(line)[:, 0]
        assert np.abs(np.diff(lon)).max() < 180
    assert not list(tmp_path.glob(".*tmp"))


def test_walker_and_constellation(run_cli):
    r = run_cli(*BASE, "--walker", "1584/72/1", "--duration", "10min", "--step", "60s", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["satellites"] == 1584
    r = run_cli(*BASE, "--constellation", str(EPHEMERIS / "constellations" / "oneweb.toml"),
                "--duration", "10min", "--json")
    assert json.loads(r.out)["satellites"] == 720


def test_kepler_option(run_cli):
    r = run_cli(*BASE, "--kepler", "a=7000km,e=0.01,i=60deg,raan=10deg", "--duration", "2h", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert 6378.137 * 0 + 7000 * 0.99 - 6378.137 - 30 < d["min_alt_km"]


def test_tle_file_starts_at_epoch(run_cli):
    r = run_cli("track", "--tle", str(EPHEMERIS / "tle" / "iss-skyfield-doc.tle"),
                "--duration", "2h", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["propagator"] == "sgp4" and d["start"].startswith("2014-01-20T22:2")
    assert 390 < d["min_alt_km"] < d["max_alt_km"] < 440


def test_broken_tle_entries_are_reported_and_skipped(run_cli, tmp_path):
    good = (EPHEMERIS / "tle" / "iss-skyfield-doc.tle").read_text().splitlines()
    broken = [good[0].replace("ISS", "BROKEN"), good[1][:-1] + "0", good[2]]
    path = tmp_path / "mixed.tle"
    path.write_text("\n".join(broken + good) + "\n")
    r = run_cli("track", "--tle", str(path), "--duration", "10min", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["satellites"] == 1
    assert "orbitlink: warning: skipped" in r.err and "checksum" in r.err


def test_offline_with_sockets_blocked(run_cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    r = run_cli(*BASE, "--orbit", "sso:650km", "--duration", "1h", "--json")
    assert r.code == 0, r.err
    r = run_cli("track", "--tle", str(EPHEMERIS / "tle" / "iss-skyfield-doc.tle"), "--duration", "1h", "--json")
    assert r.code == 0, r.err


@pytest.mark.parametrize("args,fragments", [
    (("--orbit", "550"), ("orbit", "550km")),
    (("--orbit", "550 parsecs"), ("orbit",)),
    (("--orbit", "50km"), ("altitude", "100 km")),
    (("--orbit", "150000km"), ("altitude", "100000 km")),
    (("--orbit", "550km", "--inclination", "200deg"), ("inclination", "180")),
    (("--orbit", "550km", "--inclination", "53"), ("inclination", "deg")),
    (("--kepler", "a=7000km,e=1.2,i=50deg"), ("eccentricity",)),
    (("--kepler", "a=7000km,e=0.5,i=50deg"), ("perigee",)),
    (("--kepler", "a=7000km,x=1"), ("kepler", "a=7000km")),
    (("--orbit", "550km", "--step", "0s"), ("step", "more than 0")),
    (("--orbit", "550km", "--step", "-10s"), ("step",)),
    (("--orbit", "550km", "--duration", "0h"), ("duration",)),
    (("--orbit", "550km", "--duration", "10km"), ("duration", "time")),
    (("--walker", "100000/100/1", "--duration", "365d", "--step", "1s"), ("GiB", "chunk")),
    (("--walker", "1584/71/1",), ("walker", "T/P/F")),
    (("--orbit", "550km", "--start", "yesterday-ish"), ("start", "ISO 8601")),
    (("--orbit", "sso:650km:25:00",), ("ltan",)),
    (("--orbit", "550km", "--tle", "x.tle"), ("conflict",)),
    ((), ("no orbit given",)),
    (("--orbit", "550km", "--propagator", "magic"), ("propagator",)),
    (("--tle", "/nonexistent/file.tle"), ("/nonexistent/file.tle",)),
    (("--orbit", "550km", "--bogus"), ("--bogus",)),
])
def test_bad_input_one_line_exit_2(run_cli, args, fragments):
    assert_cli_error(run_cli(*BASE, *args), *fragments)


def test_malformed_tle_file_is_an_error(run_cli, tmp_path):
    path = tmp_path / "garbage.tle"
    path.write_text("this is not\na TLE file\n")
    assert_cli_error(run_cli("track", "--tle", str(path)), str(path))


def test_unwritable_output_leaves_nothing(run_cli, tmp_path):
    assert_cli_error(run_cli(*BASE, "--orbit", "550km", "--csv", str(tmp_path / "no" / "dir.csv")),
                     "output", "cannot write")


def test_bare_command_prints_overview(run_cli):
    r = run_cli()
    assert r.code == 0 and "track" in r.out and "Usage" in r.out


def test_unknown_command_is_one_line(run_cli):
    assert_cli_error(run_cli("nosuch"), "nosuch")


def test_far_future_start_prints_no_erfa_noise():
    # A real process: pytest's own warning capture would hide the noise in-process.
    import subprocess
    import sys

    from .conftest import ROOT

    r = subprocess.run([sys.executable, "-m", "orbitlink", "track", "--orbit", "550km", "--start",
                        "2045-01-01", "--duration", "1h", "--json"], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 0 and r.stderr == ""
