"""Edge inputs of issue 19 that are not CLI errors: entries skipped with a word, samples
masked, labels across a leap second, encodings, CSV quoting, and API bad inputs that
must raise an OrbitlinkError subclass naming the argument (not an unrelated exception)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from orbitlink.errors import ElementSetError, OrbitlinkError, OrbitSpecError, StationError

from .conftest import EPHEMERIS, ROOT

ISS = (EPHEMERIS / "tle" / "iss-skyfield-doc.tle").read_text()
OMM = {"OBJECT_NAME": "X", "OBJECT_ID": "1998-067A", "EPOCH": "2026-01-01T00:00:00", "MEAN_MOTION": 15.5,
       "ECCENTRICITY": 0.0005, "INCLINATION": 51.6, "RA_OF_ASC_NODE": 10, "ARG_OF_PERICENTER": 10,
       "MEAN_ANOMALY": 10, "NORAD_CAT_ID": 1, "BSTAR": 1e-4, "MEAN_MOTION_DOT": 0, "MEAN_MOTION_DDOT": 0}


@pytest.mark.parametrize("field, value, reason", [
    ("MEAN_MOTION", 1e308, "mean motion"),
    ("MEAN_MOTION", 17.5, ""),                 # inside the Earth (SGP4 itself refuses this one)
    ("BSTAR", 1e308, "BSTAR"),
    ("BSTAR", -2.0, "BSTAR"),
    ("INCLINATION", 200.0, "inclination"),
    ("EPOCH", "0001-01-01T00:00:00", "epoch"),
    ("EPOCH", "9999-01-01T00:00:00", "epoch"),
    ("EPOCH", "1956-12-31T23:59:59", "epoch"),
])
def test_out_of_range_omm_entry_is_skipped_with_its_reason(run_cli, tmp_path, field, value, reason):
    rows = [dict(OMM, NORAD_CAT_ID=2, OBJECT_NAME="GOOD"), dict(OMM, **{field: value})]
    path = tmp_path / "elements.json"
    path.write_text(json.dumps(rows))
    r = run_cli("track", "--tle", path, "--duration", "10min", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)                      # valid JSON: no NaN reached it
    assert [row["satellite"] for row in d["per_satellite"]] == ["GOOD"]
    assert f"elements.json:2: {reason}".lower() in r.err.lower()


def test_element_range_edges_are_accepted():
    from orbitlink.elements import parse_omm_json

    rows = [dict(OMM, NORAD_CAT_ID=1, MEAN_MOTION=17.0),          # a circular orbit near the surface
            dict(OMM, NORAD_CAT_ID=2, EPOCH="1957-10-04T19:28:34"),  # Sputnik 1's launch day
            dict(OMM, NORAD_CAT_ID=3, INCLINATION=180.0, BSTAR=-0.5)]
    assert parse_omm_json(json.dumps(rows)).skipped == ()


def test_duplicate_norad_ids_keep_the_newest_and_say_so(run_cli, tmp_path):
    older = dict(OMM, NORAD_CAT_ID=7, EPOCH="2025-12-31T00:00:00", OBJECT_NAME="OLD")
    newer = dict(OMM, NORAD_CAT_ID=7, EPOCH="2026-01-01T00:00:00", OBJECT_NAME="NEW")
    path = tmp_path / "dup.json"
    path.write_text(json.dumps([older, newer, newer]))
    r = run_cli("track", "--tle", path, "--duration", "10min", "--json")
    assert r.code == 0, r.err
    assert [row["satellite"] for row in json.loads(r.out)["per_satellite"]] == ["NEW"]
    assert "dup.json:1: NORAD 7 again, with an older epoch than the entry at 2" in r.err
    assert "dup.json:3: NORAD 7 again, with the same elements as the entry at 2" in r.err


def test_identical_tle_entries_load_once(run_cli, tmp_path):
    path = tmp_path / "twice.tle"
    path.write_text(ISS + ISS)
    r = run_cli("track", "--tle", path, "--duration", "10min", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["satellites"] == 1
    assert "twice.tle:4: NORAD 25544 again, with the same elements" in r.err


def test_parse_functions_keep_duplicates_unless_asked():
    from orbitlink.elements import parse_tle_text

    assert len(parse_tle_text(ISS + ISS)) == 2
    assert len(parse_tle_text(ISS + ISS, unique=True)) == 1


def test_one_oversized_omm_csv_field_costs_only_its_row(tmp_path):
    import csv
    import io

    from orbitlink.elements import load_elements

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(OMM))
    writer.writeheader()
    for k, name in enumerate(["A", "B" * 200_000, "C"], 1):
        writer.writerow(dict(OMM, NORAD_CAT_ID=k, OBJECT_NAME=name))
    path = tmp_path / "big.csv"
    path.write_text(buf.getvalue())
    e = load_elements(path)
    assert e.names == ("A", "C")
    assert [(s.line, "too long" in s.reason) for s in e.skipped] == [(3, True)]


def test_non_finite_samples_are_masked_with_a_message():
    from orbitlink.orbits import parse_orbit
    from orbitlink.propagators import mask_non_finite, propagate

    tr = propagate(parse_orbit("550km"), start="2026-01-01", duration="1h")
    r = tr.r_itrs_m.copy()
    r[:, 0, 5:8] = np.nan
    masked = mask_non_finite(dataclasses.replace(tr, r_itrs_m=r))
    assert masked.valid.sum() == tr.valid.sum() - 3
    assert masked.messages[-1].endswith("3 of 61 samples are not finite numbers; masked")
    assert mask_non_finite(tr) is tr


# eclipse/engine.py divides 0 by 0 for a satellite without one valid step (its result is NaN on purpose)
@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")
def test_eclipses_of_a_nan_track_is_not_sunlit():
    from orbitlink.eclipse import eclipses
    from orbitlink.orbits import parse_orbit
    from orbitlink.propagators import propagate

    tr = propagate(parse_orbit("550km"), start="2026-01-01", duration="3h")
    report = eclipses(dataclasses.replace(tr, r_gcrs_m=tr.r_gcrs_m * np.nan))
    assert np.isnan(report.sunlit_fraction[0])            # was 1.0
    assert "samples are not finite numbers; masked" in report.messages[-1]


def test_labels_across_a_leap_second(run_cli):
    r = run_cli("track", "--orbit", "550km", "--start", "2016-12-31T23:59:59.5Z", "--duration", "2s",
                "--step", "0.5s", "--csv", "-")
    assert r.code == 0, r.err
    times = [line.split(",")[0] for line in r.out.splitlines()[1:]]
    assert times == ["2016-12-31T23:59:59.500Z", "2016-12-31T23:59:60.000Z", "2016-12-31T23:59:60.500Z",
                     "2017-01-01T00:00:00.000Z", "2017-01-01T00:00:00.500Z"]


def test_a_real_leap_second_is_a_valid_start(run_cli):
    r = run_cli("track", "--orbit", "550km", "--start", "2016-12-31T23:59:60Z", "--duration", "1s",
                "--step", "0.5s", "--csv", "-")
    assert r.code == 0, r.err
    assert r.out.splitlines()[1].startswith("2016-12-31T23:59:60.000Z,")


def test_ascii_output_encoding_does_not_crash(tmp_path):
    stations = tmp_path / "st.csv"
    stations.write_text("name,network,lat_deg,lon_deg,alt_m,min_elevation_deg\nSão Paulo,x,-23.5,-46.6,0,\n",
                        encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="ascii")
    r = subprocess.run([sys.executable, "-m", "orbitlink", "stations", "list"], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "orbitlink", "passes", "--orbit", "550km", "--start",
                        "2026-01-01T00:00:00Z", "--duration", "24h", "--stations", str(stations), "--csv", "-"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "S\\xe3o Paulo" in r.stdout


def test_carriage_return_in_a_name_is_quoted():
    from orbitlink.cli.common import csv_field

    assert csv_field("A\rB") == '"A\rB"'
    assert csv_field("plain") == "plain"


# --- API bad inputs: an OrbitlinkError subclass naming the argument ----------------------------

def _api_cases():
    from orbitlink import elements, orbits, stations, times

    return [
        (lambda: orbits.sso_inclination("650km", ecc=1.0), OrbitSpecError, "ecc"),
        (lambda: orbits.sso_inclination("650km", ecc="x"), OrbitSpecError, "ecc"),
        (lambda: elements.parse_omm_json(None), ElementSetError, "expected element-set text"),
        (lambda: elements.parse_omm_csv(3), ElementSetError, "expected element-set text"),
        (lambda: elements.load_elements(None), ElementSetError, "path"),
        (lambda: stations.load_catalog(None), StationError, "catalog"),
        (lambda: stations.load_stations(None), StationError, "path"),
        (lambda: stations.parse_stations_csv(None), StationError, "text"),
        (lambda: stations.resolve_stations("ksat"), StationError, "station"),
        (lambda: orbits.shells_from_toml(None), OrbitSpecError, "path"),
        (lambda: times.time_grid("2026-01-01", "1h", "60s", satellites=-1), OrbitlinkError, "satellites"),
        (lambda: times.time_grid("2026-01-01", "1h", "2h"), OrbitlinkError, "step"),
        (lambda: orbits.circular("550km", raan="1e300deg"), OrbitlinkError, "raan"),
        (lambda: orbits.parse_keplerian("a=7000km,e=0,i=50deg,i=60deg"), OrbitSpecError, "twice"),
        (lambda: stations.ground_station(float("nan"), 10), StationError, "latitude"),
    ]


@pytest.mark.parametrize("k", range(15))
def test_api_bad_input_raises_an_orbitlink_error(k):
    call, kind, fragment = _api_cases()[k]
    with pytest.raises(kind) as info:
        call()
    assert fragment.lower() in str(info.value).lower()


def test_api_case_count():
    assert len(_api_cases()) == 15


def test_eclipses_chunk_elements_must_be_a_count():
    from orbitlink.eclipse import eclipses

    with pytest.raises(OrbitlinkError, match="chunk_elements"):
        eclipses("550km", start="2026-01-01", duration="1d", chunk_elements=-5)


def test_ground_stations_refuse_a_nan_latitude():
    import astropy.units as u

    from orbitlink.stations import GroundStations

    with pytest.raises(StationError, match="lat_rad of 'A' is not a finite number"):
        GroundStations(("A",), ("x",), np.array([np.nan]), np.zeros(1), np.zeros(1), np.zeros(1))
    assert u  # the module's unit import stays used


def test_parse_tle_text_takes_bytes():
    from orbitlink.elements import parse_tle_text

    assert parse_tle_text(ISS.encode()).names == parse_tle_text(ISS).names
