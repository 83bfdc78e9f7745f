"""``orbitlink track --oem/--czml`` and ``orbitlink passes --frequency`` (issue 18)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from orbitlink import as_track, walker

from .conftest import EPHEMERIS, ONE_METER, assert_cli_error
from .test_export import parse_oem

ISS = str(EPHEMERIS / "tle" / "iss-skyfield-doc.tle")
WALKER = ("--walker", "6/3/1", "--start", "2026-01-01T00:00:00Z", "--duration", "1h", "--step", "60s")


def _track():
    shell = walker(6, 3, 1, orbit="550km", epoch="2026-01-01T00:00:00Z")
    return as_track(shell, start="2026-01-01T00:00:00Z", duration="1h", step="60s")


def test_track_writes_oem_and_czml_that_read_back(run_cli, tmp_path):
    oem, czml = tmp_path / "w.oem", tmp_path / "w.czml"
    r = run_cli("track", *WALKER, "--oem", str(oem), "--czml", str(czml))
    assert r.code == 0, r.err
    assert "orbitlink track" in r.out                      # the summary still prints
    tr = _track()
    header, segments = parse_oem(oem.read_text())
    assert header["CCSDS_OEM_VERS"] == "3.0" and len(segments) == 6
    for s, (meta, _, states) in enumerate(segments):
        assert meta["REF_FRAME"] == "GCRF" and meta["OBJECT_NAME"] == tr.names[s]
        assert np.abs(states[:, :3].T * 1e3 - tr.r_gcrs_m[:, s]).max() < 1e-3 * ONE_METER
    doc = json.loads(czml.read_text())
    assert doc[0]["id"] == "document" and len(doc) == 7
    for s, packet in enumerate(doc[1:]):
        xyz = np.array(packet["position"]["cartesian"]).reshape(-1, 4)[:, 1:].T
        assert np.abs(xyz - tr.r_itrs_m[:, s]).max() < 1e-3 * ONE_METER


def test_track_oem_to_stdout(run_cli):
    r = run_cli("track", *WALKER, "--oem", "-")
    assert r.code == 0, r.err
    assert r.out.startswith("CCSDS_OEM_VERS = 3.0") and "orbitlink track" not in r.out
    r = run_cli("track", *WALKER, "--czml", "-")
    assert r.code == 0, r.err
    assert json.loads(r.out)[0]["id"] == "document"


def test_passes_frequency_adds_doppler(run_cli, tmp_path):
    base = ("passes", "--tle", ISS, "--station", "AWS-Stockholm", "--duration", "12h")
    r = run_cli(*base, "--frequency", "2.2GHz", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["frequency_hz"] == 2.2e9 and out["count"] >= 2
    for p in out["passes"]:
        for key in ("aos_azimuth_deg", "tca_azimuth_deg", "los_azimuth_deg", "tca_range_km",
                    "aos_doppler_hz", "tca_doppler_hz", "los_doppler_hz", "max_doppler_rate_hz_s"):
            assert key in p
        if not (p["aos_cut"] or p["los_cut"]):
            assert p["aos_doppler_hz"] > 0 > p["los_doppler_hz"] and p["max_doppler_rate_hz_s"] > 0
    r = run_cli(*base, "--json")
    plain = json.loads(r.out)["passes"][0]
    assert "tca_azimuth_deg" in plain and "tca_doppler_hz" not in plain
    path = tmp_path / "p.csv"
    r = run_cli(*base, "--frequency", "2.2GHz", "--csv", str(path))
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert [row["tca_doppler_hz"] for row in rows] == [str(p["tca_doppler_hz"]) for p in out["passes"]]


@pytest.mark.parametrize("value", ["-3GHz", "fast", "3 m"])
def test_passes_bad_frequency(run_cli, value):
    r = run_cli("passes", "--tle", ISS, "--station", "AWS-Stockholm", "--frequency", value)
    assert_cli_error(r, "frequency")


def test_an_ephemeris_on_stdout_cannot_share_it(run_cli):
    r = run_cli("track", *WALKER, "--oem", "-", "--czml", "-")
    assert_cli_error(r, "output", "--oem -", "--czml -")
    r = run_cli("track", *WALKER, "--czml", "-", "--json")
    assert_cli_error(r, "output", "stdout")
