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
    # issue 19: sizes from the spec, whole numbers, hostile element sets, duplicates, JSON oddities
    "huge.toml": '[[shell]]\naltitude = "550km"\ninclination = "53deg"\nplanes = 10000\nper_plane = 10000\n',
    "inf.toml": '[[shell]]\naltitude = "550km"\ninclination = "53deg"\nplanes = inf\nper_plane = 10\n',
    "frac.toml": '[[shell]]\naltitude = "550km"\ninclination = "53deg"\nplanes = 1.9\nper_plane = 10\n',
    "a1.csv": STATIONS_HEADER + "Site,x,10,10,0,\n",
    "a2.csv": STATIONS_HEADER + "Site,x,20,10,0,\n",
    "props.geojson": '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
                     '{"type": "Point", "coordinates": [10, 10]}, "properties": [1]}]}',
    "bigint.geojson": '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
                      '{"type": "Point", "coordinates": [10, ' + "1" * 5000 + ']}, "properties": {"name": "A"}}]}',
    "bigint.json": '[{"OBJECT_NAME": "X", "NORAD_CAT_ID": ' + "9" * 5000 + '}]',
    "hostile.json": '[{"OBJECT_NAME": "X", "OBJECT_ID": "1998-067A", "EPOCH": "2026-01-01T00:00:00", '
                    '"MEAN_MOTION": 1e308, "ECCENTRICITY": 0.0005, "INCLINATION": 51.6, "RA_OF_ASC_NODE": 10, '
                    '"ARG_OF_PERICENTER": 10, "MEAN_ANOMALY": 10, "NORAD_CAT_ID": 25544, "BSTAR": 1e-4, '
                    '"MEAN_MOTION_DOT": 0, "MEAN_MOTION_DDOT": 0}]',
    "antennas.csv": STATIONS_HEADER.rstrip("\n") + ",antennas\nA,x,10,10,0,,0\n",
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
    # contact plans (issue 20)
    (("schedule", *ORB, "--station", "Ikire", "--antennas", "0"), ("antennas",)),
    (("schedule", *ORB, "--station", "Ikire", "--antennas", "1.5"), ("antennas",)),
    (("schedule", *ORB, "--station", "Ikire", "--antennas", "two"), ("antennas",)),
    (("schedule", *ORB, "--station", "Ikire", "--setup", "-60s"), ("setup",)),
    (("schedule", *ORB, "--station", "Ikire", "--objective", "fastest"), ("objective",)),
    (("schedule", *ORB, "--station", "Ikire", "--priority", "nosuch=2"), ("priorities", "nosuch")),
    (("schedule", *ORB, "--station", "Ikire", "--priority", "x"), ("priority",)),
    (("schedule", *ORB, "--station", "Ikire", "--min-contact", "-1s"), ("min_contact",)),
    (("schedule", *ORB, "--station", "Ikire", "--objective", "volume"), ("tx_power",)),
    (("schedule", *ORB, "--station", "Ikire", "--method", "optimal"), ("method",)),
    (("schedule", *ORB, "--stations", "antennas.csv"), ("antennas.csv:2", "antennas")),
    (("budget", "--walker", "4/2/1", "--start", "2026-01-01T00:00:00Z", "--duration", "1h", "--station", "Ikire",
      "--tx-power", "10dBW", "--tx-gain", "30dBi", "--g-over-t", "31dB/K", "--band", "Ka", "--antennas", "-1"),
     ("antennas",)),
    # SSO Walker shells, RAAN spread and clusters (issue 16)
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km", "--raan-spread", "0deg"), ("raan spread",)),
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km", "--raan-spread", "361deg"), ("raan spread",)),
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km", "--raan-spread", "wide"), ("raan spread",)),
    (("track", "--orbit", "550km", "--raan-spread", "180deg"), ("raan spread", "--walker")),
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km:24:00"), ("ltan",)),
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km:6pm"), ("ltan",)),
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km:10:75"), ("ltan",)),
    (("track", "--walker", "4/4/0", "--orbit", "sso:7000km"), ("altitude", "sun-synchronous")),
    (("track", "--walker", "4/4/0", "--orbit", "sso:650km", "--inclination", "98deg"), ("inclination",)),
    (("track", "--cluster", "1:1km"), ("cluster", "at least 2")),
    (("track", "--cluster", "81:fast"), ("cluster", "length")),
    (("track", "--cluster", "81"), ("cluster", "N:SPACING")),
    (("track", "--cluster", "81:1km", "--walker", "4/4/0"), ("conflict",)),
    (("datacenter", "--cluster", "0:1km", "--no-link"), ("cluster",)),
    ((*DC, "--radiator-attitude", "sideways"), ("radiator attitude",)),
    ((*DC, "--inherent-degradation", "1.5"), ("inherent degradation",)),
    ((*DC, "--cell-temperature-coefficient", "10%"), ("cell temperature coefficient",)),
    ((*DC, "--requests-per-s", "50"), ("request-size",)),
    ((*DC, "--workload", "nosuch.toml"), ("workload",)),
    # issue 19: a step longer than the duration, in every command that takes a grid
    (("track", *ORB, "--duration", "1h", "--step", "2h"), ("step", "longer than the duration")),
    (("passes", *ORB, "--station", "SvalSat", "--duration", "10min", "--step", "1h"), ("step",)),
    (("eclipse", *ORB, "--duration", "1h", "--step", "2h"), ("step",)),
    (("coverage", *ORB, "--duration", "10min", "--step", "1h"), ("step",)),
    (("latency", *ORB, "--duration", "10min", "--step", "1h"), ("step",)),
    (("stations", "select", *ORB, "--stations", "ksat", "--k", "1", "--duration", "10min", "--step", "1h"),
     ("step",)),
    # issue 19: sizes checked from the spec, before anything is built
    (("track", "--walker", "100000000/10000/1", "--duration", "10min"), ("walker", "1,000,000")),
    (("latency", *ORB, "--relay-walker", "100000000/10000/1", "--duration", "1h"), ("1,000,000",)),
    (("track", "--constellation", "huge.toml", "--duration", "10min"), ("per_plane", "1,000,000")),
    (("track", *ORB, "--duration", "1000d", "--step", "1s"), ("Earth-rotation", "--step")),
    (("passes", "--walker", "40000/100/1", "--stations", "starlink-gateways", "--stations", "cities-top100",
      "--duration", "30d"), ("duration", "passes", "GiB", "--duration", "--min-elevation")),
    (("latency", *ORB, "--users", "cities", "--duration", "365d", "--step", "10s"),
     ("latency series", "100 users", "GiB", "--step", "--duration")),
    (("latency", *ORB, "--users", "cities", "--duration", "365d", "--dask", "local"), ("latency series", "--dask")),
    (("track", "--constellation", "inf.toml"), ("planes", "whole number")),
    (("track", "--constellation", "frac.toml"), ("planes", "whole number")),
    # issue 19: silently wrong before
    (("track", "--kepler", "a=7000km,e=0,i=50deg,i=60deg"), ("kepler", "twice")),
    (("track", "--orbit", "550km", "--raan", "1e300deg"), ("raan", "360")),
    (("track", "--orbit", "550km", "--phase", "-1e300deg"), ("phase",)),
    (("track", "--tle", "hostile.json"), ("hostile.json", "mean motion")),
    ((*BUDGET[:2], "10THz", *BUDGET[3:], "--distance", "1000km"), ("frequency", "3000 GHz")),
    ((*BUDGET[:2], "1kHz", *BUDGET[3:], "--distance", "1000km"), ("symbol_rate", "carrier")),
    ((*BUDGET, "--distance", "1e30km"), ("distance",)),
    (("passes", *ORB, "--stations", "a1.csv", "--stations", "a2.csv"), ("Site", "two different")),
    # issue 19: tracebacks before
    (("track", "--orbit", "550km", "--start", "2017-06-30T23:59:60Z"), ("start", "leap second")),
    (("track", "--orbit", "550km", "--start", ""), ("start", "empty")),
    (("track", "--tle", "bigint.json"), ("bigint.json", "4300 digits")),
    (("passes", *ORB, "--stations", "bigint.geojson"), ("bigint.geojson", "4300 digits")),
    (("passes", *ORB, "--stations", "props.geojson"), ("props.geojson", "properties")),
    (("track", *ORB, "--csv", ""), ("output", "empty")),
    (("track", *ORB, "--csv", "."), ("output", "folder")),
    (("eclipse", *ORB, "--duration", "1d", "--dask-timeout", "-1s", "--dask", "tcp://127.0.0.1:1"),
     ("dask-timeout",)),
    # the command line itself
    (("nosuch",), ("nosuch",)),
    (("track", "--orbit"), ("--orbit",)),
    # issue 17: orbitlink design (one line, exit 2, before any work)
    (("design", "--satellites", ""), ("satellites", "empty")),
    (("design", "--satellites", "12", "--orbit", ","), ("orbit", "empty")),
    (("design", "--satellites", "0,12"), ("satellites", "positive whole number")),
    (("design", "--satellites", "12.5"), ("satellites", "positive whole number")),
    (("design", "--satellites", "ten"), ("satellites", "positive whole number")),
    (("design", "--satellites", "12,20", "--planes", "3"), ("planes", "do not divide 20")),
    (("design", "--satellites", "12", "--planes", "0"), ("planes", "positive whole number")),
    (("design", "--satellites", "12", "--relay", "none,moon"), ("relay", "geo")),
    (("design", "--satellites", "12", "--relay", "66/6:780km"), ("relay", "T/P/F")),
    (("design", "--satellites", "12", "--isl", "none,mesh"), ("isl", "grid")),
    (("design", "--satellites", "12", "--orbit", "550"), ("orbit",)),
    (("design", "--satellites", "12", "--it-power", "-1MW"), ("it power",)),
    (("design", "--satellites", "12", "--launch-price", "0"), ("launch price",)),
    (("design", "--satellites", "12", "--verify", "-1d"), ("verify",)),
    # issue 18: the options and input forms added for one name per concept and bundled data
    (("data", "list", "--kind", "ephemeris"), ("kind", "tle")),
    (("track", "--tle", "no-such-sample", "--duration", "10min"), ("no-such-sample", "iss-skyfield-doc")),
    (("track", "--constellation", "no-such-shells"), ("constellation", "starlink-gen1")),
    (("stations", "select", *ORB, "--stations", "ksat", "-k", "0"), ("k",)),
    (("stations", "select", *ORB, "--stations", "ksat", "-k", "1", "--scan-step", "0s"), ("scan-step",)),
    (("stations", "select", *ORB, "--stations", "ksat", "-k", "1", "--sample-step", "0s"), ("scan-step",)),
    (("eclipse", *ORB, "--array-area", "10 m2", "--array-efficiency", "150%"), ("efficiency",)),
    (("eclipse", *ORB, "--array-efficiency", "0.3"), ("array-efficiency", "--array-area")),
    (("latency", *ORB, "--user", "London", "--availability", "0%"), ("availability",)),
    (("latency", *ORB, "--user", "San"), ("user", "ambiguous")),
    (("track", "--orbit", "550km", "--start", "2026-01-01T00:00:00+15:00"), ("start", "-14:00 to +14:00")),
    (("eclipse", "--orbit", "550km", "--duration", "-1y"), ("duration",)),
    (("eclipse", "--orbit", "550km", "--duration", "1 light year"), ("duration",)),
]


@pytest.fixture
def corpus_dir(tmp_path, monkeypatch):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_corpus_is_large_enough():
    assert len(CASES) >= 110


@pytest.mark.parametrize("args,fragments", CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input(run_cli, corpus_dir, args, fragments):
    assert_cli_error(run_cli(*args), *fragments)
