"""The bad-input corpus: malformed inputs across every command and file format.

Each case must end with exit code 2 and exactly one ``orbitlink: error:`` line
that names the field at fault, with no traceback (tests/conftest.py).
"""

from __future__ import annotations

import pytest

from .conftest import EPHEMERIS, assert_cli_error

ORB = ("--orbit", "550km", "--start", "2026-01-01T00:00:00Z")
BUDGET = ("budget", "--frequency", "26GHz", "--tx-power", "10dBW", "--tx-gain", "30dBi",
          "--g-over-t", "31dB/K", "--symbol-rate", "500MBd")
DC = ("datacenter", "--orbit", "sso:650km", "--it-power", "40MW")
STATIONS_HEADER = "name,network,lat_deg,lon_deg,alt_m,min_elevation_deg\n"
ISS = (EPHEMERIS / "tle" / "iss-skyfield-doc.tle").read_text().splitlines()

FILES = {
    "lat.csv": STATIONS_HEADER + "A,x,95,10,0,\n",
    "lon.csv": STATIONS_HEADER + "A,x,10,999,0,\n",
    "nan.csv": STATIONS_HEADER + "A,x,nan,10,0,\n",
    "empty.csv": "",
    "mask.csv": STATIONS_HEADER + "A,x,10,10,0,95\n",
    "short.csv": STATIONS_HEADER + "A,x,10\n",
    "omm.json": '[{"OBJECT_NAME": "X"}]',
    "broken.json": '[{"OBJECT_NAME": ',
    "omm.csv": "OBJECT_NAME,NORAD_CAT_ID\nX,abc\n",
    "checksum.tle": "\n".join([ISS[0], ISS[1][:-1] + str((int(ISS[1][-1]) + 1) % 10), ISS[2]]) + "\n",
    "swapped.tle": "\n".join([ISS[0], ISS[2], ISS[1]]) + "\n",
    "catnum.tle": "\n".join([ISS[0], ISS[1], ISS[2].replace("25544", "25545", 1)]) + "\n",
    "truncated.tle": "\n".join([ISS[0], ISS[1][:40], ISS[2][:40]]) + "\n",
    "empty.tle": "",
    "shell.toml": '[[shell]]\naltitude = "550km"\n',
    "badtoml.toml": "[[shell\n",
}

CASES = [
    # units and ranges of orbit specs
    (("track", "--orbit", "550"), ("orbit",)),
    (("track", "--orbit", "550 parsecs"), ("orbit",)),
    (("track", "--orbit", "99km"), ("altitude",)),
    (("track", "--orbit", "100001km"), ("altitude",)),
    (("track", "--orbit", "550km", "--inclination", "181deg"), ("inclination",)),
    (("track", "--orbit", "550km", "--inclination", "1rad/s"), ("inclination",)),
    (("track", "--orbit", "550km", "--raan", "ten"), ("raan",)),
    (("track", "--orbit", "550km", "--phase", "5km"), ("phase",)),
    (("track", "--orbit", "sso:550km:10:75"), ("ltan",)),
    (("track", "--orbit", "sso:9000km"), ("sun-synchronous",)),
    (("track", "--kepler", "a=7000km,e=1,i=50deg"), ("eccentricity",)),
    (("track", "--kepler", "a=7000km,e=0.2,i=50deg"), ("perigee",)),
    (("track", "--kepler", "a=7000km,i=50deg"), ("missing e",)),
    (("track", "--walker", "10/3/1"), ("walker",)),
    (("track", "--walker", "12/3/5"), ("phasing",)),
    (("track", "--walker", "abc"), ("walker",)),
    (("track", "--constellation", "shell.toml"), ("per_plane",)),
    (("track", "--constellation", "badtoml.toml"), ("toml",)),
    (("track", "--constellation", "missing.toml"), ("does not exist",)),
    # time grid
    (("track", *ORB, "--step", "0s"), ("step",)),
    (("track", *ORB, "--step", "10"), ("step",)),
    (("track", *ORB, "--duration", "-1h"), ("duration",)),
    (("track", "--orbit", "550km", "--start", "2026-02-30"), ("start",)),
    (("track", "--walker", "20000/100/1", "--duration", "365d", "--step", "1s"), ("chunk",)),
    # conflicting options
    (("track", "--orbit", "550km", "--kepler", "a=7000km,e=0,i=50deg"), ("conflict",)),
    (("track", "--orbit", "sso:650km", "--inclination", "98deg"), ("inclination",)),
    (("track", "--walker", "24/6/1", "--phase", "10deg"), ("phase",)),
    (("track", "--orbit", "550km", "--propagator", "sgp4"), ("propagator",)),
    # element-set files
    (("track", "--tle", "checksum.tle"), ("checksum",)),
    (("track", "--tle", "swapped.tle"), ("swapped.tle",)),
    (("track", "--tle", "catnum.tle"), ("catnum.tle",)),
    (("track", "--tle", "truncated.tle"), ("truncated.tle",)),
    (("track", "--tle", "empty.tle"), ("empty",)),
    (("track", "--tle", "omm.json"), ("MEAN_MOTION",)),
    (("track", "--tle", "broken.json"), ("broken.json",)),
    (("track", "--tle", "omm.csv"), ("omm.csv",)),
    (("track", "--tle", "nope.tle"), ("nope.tle",)),
    # outputs
    (("track", *ORB, "--csv", "/proc/out.csv"), ("output",)),
    # stations
    (("passes", *ORB, "--station", "95,10"), ("latitude",)),
    (("passes", *ORB, "--station", "10,400"), ("longitude",)),
    (("passes", *ORB, "--station", "Londn"), ("station", "London")),
    (("passes", *ORB, "--stations", "lat.csv"), ("lat.csv:2", "latitude")),
    (("passes", *ORB, "--stations", "lon.csv"), ("lon.csv:2", "longitude")),
    (("passes", *ORB, "--stations", "nan.csv"), ("nan.csv:2",)),
    (("passes", *ORB, "--stations", "empty.csv"), ("empty",)),
    (("passes", *ORB, "--stations", "mask.csv"), ("mask.csv:2", "elevation")),
    (("passes", *ORB, "--stations", "short.csv"), ("short.csv:2",)),
    (("passes", *ORB, "--station", "SvalSat", "--min-elevation", "95deg"), ("min_elevation",)),
    # an unreachable Dask scheduler (or, without the dask extra, the extra to install)
    (("passes", *ORB, "--duration", "1h", "--station", "SvalSat", "--dask", "tcp://127.0.0.1:1"), ("dask",)),
    (("eclipse", *ORB, "--duration", "1d", "--dask", "tcp://127.0.0.1:1"), ("dask",)),
    (("coverage", *ORB, "--duration", "1h", "--dask", "tcp://127.0.0.1:1"), ("dask",)),
    (("latency", *ORB, "--duration", "1h", "--dask", "tcp://127.0.0.1:1"), ("dask",)),
    # a malformed scheduler address: no port, an empty one, an unknown scheme
    (("passes", *ORB, "--duration", "1h", "--station", "SvalSat", "--dask", "scheduler"), ("dask",)),
    (("eclipse", *ORB, "--duration", "1d", "--dask", ""), ("dask",)),
    (("coverage", *ORB, "--duration", "1h", "--dask", "http://scheduler:8786"), ("dask",)),
    (("passes", *ORB, "--station", "SvalSat", "--scan-step", "7s"), ("scan_step",)),
    (("coverage", *ORB, "--resolution", "0deg"), ("resolution",)),
    (("stations", "select", *ORB, "--stations", "ksat", "--k", "0"), ("k",)),
    (("stations", "select", *ORB, "--stations", "ksat", "--objective", "fastest"), ("objective",)),
    # eclipse
    (("eclipse", "--orbit", "sso:650km", "--start", "1850-01-01", "--duration", "1d"), ("DE421",)),
    (("eclipse", *ORB, "--shadow", "fuzzy"), ("shadow",)),
    (("eclipse", *ORB, "--array-area", "-3m2"), ("array area",)),
    (("eclipse", *ORB, "--load", "xyz"), ("load",)),
    # latency
    (("latency", *ORB, "--user", "Atlantis"), ("user", "Atlanta")),
    (("latency", *ORB, "--to", "Gotham"), ("to",)),
    (("latency", *ORB, "--slo", "0ms"), ("slo",)),
    (("latency", *ORB, "--processing", "-1ms"), ("processing",)),
    (("latency", *ORB, "--compute", "nothing-*"), ("compute",)),
    (("latency", *ORB, "--isl", "mesh"), ("isl",)),
    (("latency", *ORB, "--route-factor", "0.5"), ("route-factor",)),
    (("latency", *ORB, "--user", "100,0"), ("latitude",)),
    # budget
    (("budget", "--frequency", "26", "--distance", "1000km"), ("frequency",)),
    ((*BUDGET, "--distance", "-5km"), ("distance",)),
    ((*BUDGET, "--distance", "1000km", "--tx-power", "-10W"), ("tx_power",)),
    ((*BUDGET, "--distance", "1000km", "--roll-off", "1.5"), ("roll",)),
    ((*BUDGET, "--distance", "1000km", "--symbol-rate", "-5MBd"), ("symbol_rate",)),
    ((*BUDGET, "--distance", "1000km", "--band", "Z"), ("band",)),
    ((*BUDGET, "--distance", "1000km", "--margin", "3"), ("margin",)),
    (("budget", "--frequency", "26GHz", "--tx-power", "10dBW", "--tx-dish", "-1m", "--g-over-t",
      "31dB/K", "--symbol-rate", "500MBd", "--distance", "1000km"), ("tx_dish",)),
    # data center
    ((*DC[:-1], "-40MW"), ("it power",)),
    ((*DC, "--cell-efficiency", "1.3"), ("cell efficiency",)),
    ((*DC, "--emissivity", "0"), ("emissivity",)),
    ((*DC, "--radiator-temp", "-300K"), ("radiator",)),
    ((*DC, "--launch-price", "-5"), ("launch price",)),
    # the command line itself
    (("nosuch",), ("nosuch",)),
    (("track", "--orbit"), ("--orbit",)),
]


@pytest.fixture
def corpus_dir(tmp_path, monkeypatch):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("args,fragments", CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input(run_cli, corpus_dir, args, fragments):
    assert_cli_error(run_cli(*args), *fragments)
