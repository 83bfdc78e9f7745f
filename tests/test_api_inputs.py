"""Issue 18, API input parity: every public analysis takes what its command takes, through one reader.

Stations (orbitlink.places.stations), users, times (orbitlink.times.parse_time) and durations
(orbitlink.units) are read the same way by every function and by the CLI.
"""

from __future__ import annotations

import datetime
import json
import math

import astropy.units as u
import numpy as np
import pytest
from astropy.time import Time, TimeDelta

import orbitlink
from orbitlink.errors import BudgetError, QuantityError, StationError, TimeGridError
from orbitlink.places import place, stations
from orbitlink.stations import GroundStations, ground_station, load_catalog
from orbitlink.times import parse_time
from orbitlink.units import duration_s, to_si

from .conftest import EPHEMERIS, assert_cli_error

START = "2026-01-01T00:00:00Z"
# IAU Julian year, 365.25 d of 86,400 SI s: astropy's u.yr (IAU 2012 Resolution B2 / IERS Conventions).
JULIAN_YEAR_S = 365.25 * 86400.0


@pytest.fixture(scope="module")
def polar_track():
    """A 650 km sun-synchronous satellite over 6 h: it passes over Svalbard (78 N) several times."""
    return orbitlink.propagate("sso:650km", start=START, duration="6h", step="60s")


def _svalsat():
    return load_catalog("ksat").select(["SvalSat"])


# --- stations: one reader, every form ---------------------------------------------------------

def _same_passes(a, b):
    assert len(a) == len(b) > 0
    np.testing.assert_allclose(a.aos_s, b.aos_s, rtol=0, atol=1e-6)
    np.testing.assert_allclose(a.los_s, b.los_s, rtol=0, atol=1e-6)


def test_find_passes_takes_every_station_form(polar_track):
    ref = orbitlink.find_passes(polar_track, _svalsat())
    lat, lon = float(_svalsat().latitude[0].value), float(_svalsat().longitude[0].value)
    for spec in ("SvalSat", "svalsat", "ksat:SvalSat", f"{lat},{lon}", (lat, lon),
                 (lat * u.deg, lon * u.deg), (lat * u.deg, lon * u.deg, 0 * u.m), ["SvalSat"]):
        _same_passes(orbitlink.find_passes(polar_track, spec), ref)


def test_find_passes_with_a_rounded_tuple_moves_aos_by_seconds_only(polar_track):
    # The brief's example: (78.23 deg, 15.39 deg), 0.0013 deg north and 0.018 deg west of the
    # catalog's SvalSat (1.9 km at most): AOS/LOS move by well under a minute.
    near = orbitlink.find_passes(polar_track, (78.23 * u.deg, 15.39 * u.deg))
    ref = orbitlink.find_passes(polar_track, "SvalSat")
    assert len(near) == len(ref) > 0
    assert np.max(np.abs(near.aos_s - ref.aos_s)) < 30.0


def test_a_list_mixes_forms_in_order_and_keeps_a_name_once():
    got = stations(["SvalSat", "London", (0, 0), "ksat:SvalSat", "48.85,2.35,35"], "gateways")
    assert got.names == ("SvalSat", "London", "0,0", "48.85,2.35,35")
    assert got.alt_m[3] == 35.0
    ksat = stations("ksat")
    assert ksat.names == load_catalog("ksat").names and ksat.source == "ksat"   # a catalog by name: all of it
    whole = stations(["aws-ground-station", "SvalSat"])
    assert len(whole) == len(load_catalog("aws-ground-station")) + 1
    assert len(stations("cities")) == 100
    gs = _svalsat()
    assert stations(gs) is gs


def test_a_station_file_by_path(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,lat_deg,lon_deg\nHill,45.5,7.25\n", encoding="utf-8")
    got = stations(str(path))
    assert got.names == ("Hill",)
    assert stations(path).names == ("Hill",)      # a PathLike too
    np.testing.assert_allclose(got.latitude.value, [45.5], rtol=0, atol=1e-12)


@pytest.mark.parametrize("spec, fragment", [
    ("Atlantis", "gateways: unknown station 'Atlantis'"),
    ([], "gateways: no station given"),
    (42, "gateways: expected ground stations, not int"),
    ((91.0, 0.0), "gateways: latitude 91 deg is out of range"),
    (["SvalSat", "Atlantis"], "gateways: unknown station 'Atlantis'"),
])
def test_bad_stations_name_the_argument(spec, fragment):
    with pytest.raises(StationError, match=fragment) as info:
        stations(spec, "gateways")
    assert isinstance(info.value, ValueError)


def test_one_name_for_two_places_is_refused():
    with pytest.raises(StationError, match="stations: the name 'SvalSat' is used by two different stations"):
        stations([_svalsat(), ground_station(0 * u.deg, 0 * u.deg, name="SvalSat")])


def test_contact_statistics_and_select_stations_take_a_source_and_stations(polar_track):
    cands = ["SvalSat", "AWS-Singapore"]
    found = orbitlink.find_passes(polar_track, cands)
    direct = orbitlink.contact_statistics(polar_track, cands)
    assert direct.to_dict() == orbitlink.contact_statistics(found).to_dict()
    by_spec = orbitlink.contact_statistics("sso:650km", "SvalSat", start=START, duration="6h")
    assert by_spec.to_dict()["stations"] == orbitlink.contact_statistics(
        orbitlink.find_passes(polar_track, "SvalSat")).to_dict()["stations"]
    sel = orbitlink.select_stations(polar_track, 1, stations=cands, sample_step="60s")
    assert sel.to_dict() == orbitlink.select_stations(found, 1).to_dict()
    assert sel.stations.names == ("SvalSat",)        # a polar orbit is seen most from 78 N
    with pytest.raises(StationError, match="stations: select_stations of a Passes takes its stations"):
        orbitlink.select_stations(found, 1, stations="SvalSat")
    with pytest.raises(StationError, match="stations: contact_statistics of a source needs the stations"):
        orbitlink.contact_statistics(polar_track)


def test_schedule_and_data_volume_take_station_names(polar_track):
    from orbitlink.link.budget import link_parameters
    from orbitlink.link.volume import data_volume

    ref = orbitlink.schedule(polar_track, _svalsat(), objective="contact")
    plan = orbitlink.schedule(polar_track, "SvalSat", objective="contact")
    assert plan.to_dict() == ref.to_dict()
    radio = link_parameters(band="X", tx_power="10W", tx_gain="6dBi", g_over_t="20dB/K")
    assert data_volume(polar_track, "ksat:SvalSat", radio).network_bits == \
        data_volume(polar_track, _svalsat(), radio).network_bits > 0


# --- users and gateways -----------------------------------------------------------------------

def test_round_trip_users_and_gateways_in_every_form(polar_track):
    res = orbitlink.round_trip(polar_track, ["SvalSat", "AWS-Stockholm"], users=["London", "Tokyo"])
    assert res.to_dict()["scenario"]["users"] == ["London", "Tokyo"]
    one = orbitlink.round_trip(polar_track, "aws-ground-station", users=(51.5, -0.12))
    assert one.to_dict()["scenario"]["users"] == ["51.5,-0.12"]
    ref = orbitlink.round_trip(polar_track, load_catalog("aws-ground-station"),
                               users=place("51.5,-0.12"))
    assert one.to_dict()["rtt_ms"] == ref.to_dict()["rtt_ms"]
    with pytest.raises(StationError, match="users: unknown station 'Atlantis'"):
        orbitlink.round_trip(polar_track, users=["London", "Atlantis"])


def test_datacenter_reads_users_and_gateways_as_round_trip_does():
    r = orbitlink.datacenter("550km", "1MW", start="2026-01-01T01:00:00+01:00",
                             duration=datetime.timedelta(hours=1), step="60s", sizing_step="3600s",
                             link_options=dict(users=["London", "Tokyo"], gateways=["SvalSat", (51.5, -0.12)]))
    assert r.link["users"]["count"] == 2 and r.link["gateways"]["count"] == 2
    assert r.link["start"] == "2026-01-01T00:00:00.000Z"        # +01:00 read as an offset
    cities = orbitlink.datacenter("550km", "1MW", start=START, duration="1h", sizing_step="3600s",
                                  link_options=dict(users="cities"))
    assert cities.link["users"] == {"source": "cities-top100", "count": 100}
    with pytest.raises(StationError, match="users: unknown station 'Atlantis'"):
        orbitlink.datacenter("550km", "1MW", start=START, link_options=dict(users="Atlantis"))


def test_datacenter_takes_the_service_options_flat_as_the_cli_does():
    from orbitlink.errors import FeasibilityError

    kw = dict(start=START, duration="1h", step="60s", sizing_step="3600s")
    flat = orbitlink.datacenter("550km", "1MW", users=["London", "Tokyo"], slo="80ms", **kw)
    grouped = orbitlink.datacenter("550km", "1MW", link_options=dict(users=["London", "Tokyo"], slo="80ms"), **kw)
    assert flat.link == grouped.link and flat.link["users"]["count"] == 2
    with pytest.raises(FeasibilityError, match="slo: given both"):
        orbitlink.datacenter("550km", "1MW", slo="80ms", link_options=dict(slo="90ms"), **kw)


def test_design_reads_users_and_gateways_as_round_trip_does():
    kw = dict(satellites="12", planes="3", step="120s", verify=None, refine=False)
    r = orbitlink.design("550km", start="2026-01-01T01:00:00+01:00", duration=datetime.timedelta(hours=1),
                         users=["London", "Tokyo"], gateways=["SvalSat", (51.5, -0.12)], **kw)
    assert (r.scenario["users"], r.scenario["gateways"]) == (2, 2)
    assert r.scenario["start"] == "2026-01-01T00:00:00.000Z"
    assert orbitlink.design("550km", start=START, duration="1h", users=(51.5, -0.12), **kw).scenario["users"] == 1
    assert orbitlink.design("550km", start=START, duration="1h", users="cities", **kw).scenario["users"] == 100


# --- times ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00",
    "2026-01-01",
    "2026-01-01T01:00:00+01:00",
    "2025-12-31T19:00:00-05:00",
    "2026-01-01T05:30:00+0530",
    "2026-01-01T02:00+02",
    datetime.datetime(2026, 1, 1),                                                   # naive: UTC
    datetime.datetime(2026, 1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    datetime.datetime(2025, 12, 31, 19, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
    datetime.date(2026, 1, 1),
    np.datetime64("2026-01-01T00:00:00"),
    Time("2026-01-01T00:01:09.184", scale="tt"),      # TT - UTC = 69.184 s in 2026 (37 leap s + 32.184 s)
])
def test_every_time_form_is_the_same_instant(value):
    t = parse_time(value)
    assert t.scale == "utc"
    assert abs((t - Time("2026-01-01T00:00:00", scale="utc")).sec) < 1e-6


def test_pandas_timestamps_and_timedeltas():
    pd = pytest.importorskip("pandas")
    assert abs((parse_time(pd.Timestamp("2026-01-01T01:00+01:00")) - parse_time(START)).sec) < 1e-6
    assert to_si(pd.Timedelta(hours=2), "time", "duration") == 7200.0


def test_offsets_keep_leap_seconds_and_decimals():
    t = parse_time("2017-01-01T00:59:60.5+01:00")          # the leap second of 2016-12-31 (IERS Bulletin C 52)
    t.precision = 1
    assert t.isot == "2016-12-31T23:59:60.5"
    t = parse_time("2026-01-01T01:00:00.123456789+01:00")
    t.precision = 9
    assert t.isot == "2026-01-01T00:00:00.123456789"


@pytest.mark.parametrize("value, fragment", [
    ("2026-01-01T00:00:00+15:00", "start: '2026-01-01T00:00:00+15:00' has UTC offset +15:00, outside"),
    ("2017-06-30T00:59:60+01:00", "is not a leap second"),
    (5, "start: got 5 (ISO 8601"),
    (np.datetime64("NaT"), "start: got NaT"),
    ("tomorrowish", "start: cannot read 'tomorrowish'"),
])
def test_bad_times_name_the_field(value, fragment):
    with pytest.raises(TimeGridError, match=fragment.replace("(", r"\(").replace("+", r"\+")):
        parse_time(value)


def test_propagate_with_an_offset_start_equals_utc(polar_track):
    tr = orbitlink.propagate("sso:650km", start="2026-01-01T01:00:00+01:00", duration="6h", step="60s")
    assert abs((tr.grid.start - polar_track.grid.start).sec) < 1e-6
    np.testing.assert_array_equal(tr.r_gcrs_m, polar_track.r_gcrs_m)


# --- durations and steps ----------------------------------------------------------------------

@pytest.mark.parametrize("value, seconds", [
    ("1y", JULIAN_YEAR_S),
    ("1yr", JULIAN_YEAR_S),
    ("2 years", 2 * JULIAN_YEAR_S),
    (1 * u.yr, JULIAN_YEAR_S),
    ("365.25d", JULIAN_YEAR_S),
    ("2h", 7200.0),
    (2 * u.h, 7200.0),
    (datetime.timedelta(hours=2), 7200.0),
    (np.timedelta64(2, "h"), 7200.0),
    (np.timedelta64(7_200_000_000_000, "ns"), 7200.0),
    (TimeDelta(7200.0, format="sec"), 7200.0),
])
def test_durations_in_every_form(value, seconds):
    assert to_si(value, "time", "duration") == pytest.approx(seconds, rel=1e-15)
    assert duration_s(value, "mission life") == pytest.approx(seconds, rel=1e-15)


@pytest.mark.parametrize("value, fragment", [
    (7200, "duration: got 7200 without a unit (duration takes a time with a unit, e.g. 10s"),
    ("7200", "duration: '7200' has no unit"),
    (np.timedelta64(1, "Y"), "is in calendar years, which have no fixed length"),
    (np.timedelta64("NaT"), "duration: got NaT"),
    ("1 yrs ago", "duration: cannot read '1 yrs ago'"),
])
def test_bad_durations_name_the_unit_needed(value, fragment):
    with pytest.raises(QuantityError, match=fragment.replace("(", r"\(")):
        to_si(value, "time", "duration")


def test_propagate_and_eclipses_take_timedeltas():
    a = orbitlink.propagate("550km", start=START, duration=datetime.timedelta(hours=2),
                            step=np.timedelta64(60, "s"))
    b = orbitlink.propagate("550km", start=START, duration="2h", step="60s")
    assert a.n_times == b.n_times == 121
    np.testing.assert_array_equal(a.r_gcrs_m, b.r_gcrs_m)
    rep = orbitlink.eclipses("550km", start=START, duration=datetime.timedelta(days=1), step="60s")
    assert rep.to_dict() == orbitlink.eclipses("550km", start=START, duration="1d", step="60s").to_dict()


def test_cli_eclipse_reads_1y_and_offsets(run_cli):
    res = run_cli("eclipse", "--orbit", "550km", "--duration", "1y", "--step", "6h",
                  "--start", "2026-01-01T01:00:00+01:00", "--json")
    assert res.code == 0, res.err
    got = json.loads(res.out)
    assert (got["start"], got["end"], got["duration_s"]) == \
        ("2026-01-01T00:00:00.000Z", "2027-01-01T06:00:00.000Z", JULIAN_YEAR_S)
    ref = run_cli("eclipse", "--orbit", "550km", "--duration", "365.25d", "--step", "6h",
                  "--start", "2026-01-01T00:00:00Z", "--json")
    assert got == json.loads(ref.out)


# --- link_budget: the CLI's keywords, one message for every missing input ---------------------

RADIO = dict(band="Ka", tx_power="10dBW", tx_gain="30dBi", g_over_t="31dB/K")


def _slant_range_by_bisection(h_m, el_rad, r_m):
    """Distance along the line of sight from a station at radius r to the sphere of radius r + h
    (a root search, independent of the law-of-cosines closed form the library uses)."""
    lo, hi = 0.0, 1e8
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        x, y = mid * math.cos(el_rad), r_m + mid * math.sin(el_rad)
        lo, hi = (mid, hi) if math.hypot(x, y) < r_m + h_m else (lo, mid)
    return 0.5 * (lo + hi)


def test_link_budget_orbit_keyword_is_its_altitude():
    from orbitlink.constants import R_EARTH_M

    by_orbit = orbitlink.link_budget(orbit="550km", elevation="25deg", **RADIO)
    by_alt = orbitlink.link_budget(altitude="550km", elevation="25deg", **RADIO)
    assert by_orbit.to_dict() == by_alt.to_dict()
    want = _slant_range_by_bisection(550e3, math.radians(25.0), R_EARTH_M)
    assert by_orbit.distance_m == pytest.approx(want, abs=1e-3)       # 1 mm
    assert by_orbit.distance_m == pytest.approx(1123.4e3, abs=0.05e3)   # the CLI's documented example
    sso = orbitlink.link_budget(orbit="sso:650km", elevation="25deg", **RADIO)
    assert sso.distance_m == pytest.approx(_slant_range_by_bisection(650e3, math.radians(25.0), R_EARTH_M),
                                           abs=1e-3)
    with pytest.raises(BudgetError, match="orbit: give orbit or altitude, not both"):
        orbitlink.link_budget(orbit="550km", altitude="550km", elevation="25deg", **RADIO)
    with pytest.raises(BudgetError, match="orbit: one budget takes one circular orbit"):
        orbitlink.link_budget(orbit=orbitlink.walker(4, 2, 1, altitude=550 * u.km, inclination=53 * u.deg),
                              elevation="25deg", **RADIO)


def test_link_budget_station_in_every_form():
    pytest.importorskip("itur")          # a station's place matters through the ITU-R atmosphere
    kw = dict(orbit="550km", elevation="25deg", **RADIO)
    ref = orbitlink.link_budget(station=ground_station(51.5 * u.deg, -0.12 * u.deg), **kw)
    assert ref.atmospheric_db > 0
    for spec in ("51.5,-0.12", (51.5, -0.12), (51.5 * u.deg, -0.12 * u.deg)):
        assert orbitlink.link_budget(station=spec, **kw).to_dict() == ref.to_dict()
    london = place("London")
    by_name = orbitlink.link_budget(station="London", **kw)
    by_coords = orbitlink.link_budget(station=(float(london.latitude[0].value),
                                               float(london.longitude[0].value)), **kw)
    assert by_name.atmospheric_db == by_coords.atmospheric_db


def test_link_budget_takes_the_cli_spelling_system_temp():
    kw = dict(distance="1000km", band="Ka", tx_power="10W", tx_gain="30dBi", rx_dish="1.2m")
    a = orbitlink.link_budget(system_temp="290K", **kw)
    b = orbitlink.link_budget(system_temperature="290K", **kw)
    assert a.to_dict() == b.to_dict()
    with pytest.raises(BudgetError, match="system_temp: give system_temp or system_temperature, not both"):
        orbitlink.link_budget(system_temp="290K", system_temperature="290K", **kw)


def test_link_budget_names_every_missing_input_at_once():
    with pytest.raises(BudgetError) as info:
        orbitlink.link_budget(orbit="550km")
    assert str(info.value).startswith("link_budget: missing frequency, tx_power, tx_gain, g_over_t, "
                                      "symbol_rate, elevation (give --frequency 26GHz or --band Ka; ")
    with pytest.raises(BudgetError, match=r"link_budget: missing tx_power, tx_gain, system_temperature, "
                                          r"distance \(give"):
        orbitlink.link_budget(band="Ka", rx_dish="1.2m")
    # One missing input keeps its own message; a value that does not read comes first.
    with pytest.raises(BudgetError, match="tx_power: no transmitter power given"):
        orbitlink.link_budget(distance="1000km", band="Ka", tx_gain="30dBi", g_over_t="31dB/K")
    with pytest.raises(QuantityError, match="frequency: '26' has no unit"):
        orbitlink.link_budget(frequency="26", distance="1000km")


def test_cli_budget_names_every_missing_input_in_one_line(run_cli):
    assert_cli_error(run_cli("budget", "--band", "Ka"),
                     "link_budget: missing tx_power, tx_gain, g_over_t, distance (give --tx-power 10W;")
    assert_cli_error(run_cli("budget", "--frequency", "26GHz", "--orbit", "550km", "--elevation", "25deg"),
                     "link_budget: missing tx_power, tx_gain, g_over_t, symbol_rate (give")


def test_bundled_city_coordinates_are_the_files():
    # the reader returns the file's numbers, not a copy of them
    row = [line for line in (EPHEMERIS / "stations" / "cities-top100.csv").read_text().splitlines()
           if line.startswith("Tokyo,")][0].split(",")
    got = stations("Tokyo")
    assert isinstance(got, GroundStations)
    np.testing.assert_allclose([got.latitude[0].value, got.longitude[0].value],
                               [float(row[2]), float(row[3])], rtol=0, atol=1e-9)


def test_eclipses_takes_the_clis_shadow_keyword():
    """`orbitlink eclipse --shadow cylindrical` is `eclipses(shadow="cylindrical")` too."""
    import orbitlink
    from orbitlink.errors import EclipseError

    kw = dict(start="2026-01-01", duration="6h", step="60s")
    by_shadow = orbitlink.eclipses("550km", shadow="cylindrical", **kw)
    by_model = orbitlink.eclipses("550km", model="cylindrical", **kw)
    assert by_shadow.to_dict() == by_model.to_dict()
    assert by_shadow.to_dict() != orbitlink.eclipses("550km", **kw).to_dict()    # conical differs
    with pytest.raises(EclipseError, match="shadow"):
        orbitlink.eclipses("550km", model="cylindrical", shadow="conical", **kw)
