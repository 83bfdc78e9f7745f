"""Ground stations: bundled catalogs, files, ``--station`` specs, masks and every bad input."""

from __future__ import annotations

import hashlib
import json
import math
import re

import astropy.units as u
import numpy as np
import pytest

from orbitlink.errors import OrbitlinkError, StationError
from orbitlink.stations import (
    CATALOGS,
    DEFAULT_MIN_ELEVATION,
    ElevationMask,
    GroundStations,
    ground_station,
    load_catalog,
    load_stations,
    parse_station,
    parse_stations_csv,
    parse_stations_geojson,
    resolve_stations,
)

from .conftest import EPHEMERIS, ONE_METER

STATION_DIR = EPHEMERIS / "stations"
# Public coordinates (degrees) from shared/data/README.md: the catalogs must carry them unchanged.
SVALSAT = (78.229772, 15.407786)
AWS_PUNTA_ARENAS = (-53.1638, -70.9171)


def test_catalog_sizes_and_schema():
    sizes = {name: len(load_catalog(name)) for name in CATALOGS}
    # Hypatia (IMC 2020) lists 198 gateway sites and 100 cities; 11 AWS, 4 SpaceX TT&C sites;
    # the operator catalogs (issue 18, tests/test_station_catalogs.py): 36 KSAT, 9 SSC, 18 Leaf, 11 Atlas.
    assert sizes == {"starlink-gateways": 198, "aws-ground-station": 11, "ksat": 36,
                     "spacex-ttc": 4, "cities-top100": 100, "ssc": 9, "leaf-space": 18, "atlas": 11}
    for name in CATALOGS:
        header = (STATION_DIR / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.removesuffix(",antennas") == "name,network,lat_deg,lon_deg,alt_m,min_elevation_deg"
    # Antenna counts (issue 20): the filed gateway design for Starlink, else 1 (ephemeris/stations/README.md).
    assert set(load_catalog("starlink-gateways").antennas.tolist()) == {8}
    assert all(set(load_catalog(n).antennas.tolist()) == {1} for n in CATALOGS if n != "starlink-gateways")


def test_catalog_values_are_the_public_coordinates():
    sval = load_catalog("ksat").select("SvalSat")
    assert sval.latitude.to_value(u.deg)[0] == pytest.approx(SVALSAT[0], abs=1e-9)
    assert sval.longitude.to_value(u.deg)[0] == pytest.approx(SVALSAT[1], abs=1e-9)
    pa = load_catalog("aws-ground-station").select("AWS-Punta-Arenas")
    assert (pa.latitude.value[0], pa.longitude.value[0]) == pytest.approx(AWS_PUNTA_ARENAS, abs=1e-9)
    gw = load_catalog("starlink-gateways")
    # Starlink gateways carry the 25 deg minimum elevation used by the Hypatia study.
    assert np.allclose(np.degrees(gw.min_elevation_rad), 25.0)
    assert np.isnan(load_catalog("cities-top100").min_elevation_rad).all()


def test_catalog_sha256_match_the_readme():
    readme = (STATION_DIR / "README.md").read_text(encoding="utf-8")
    for name in CATALOGS:
        digest = hashlib.sha256((STATION_DIR / f"{name}.csv").read_bytes()).hexdigest()
        assert re.search(rf"`{name}\.csv`.*`{digest}`", readme), name


def test_itrs_positions_match_skyfield_wgs84():
    # Reference: skyfield's wgs84.latlon(...).itrs_xyz (an independent WGS-84 implementation).
    from skyfield.api import wgs84

    st = load_catalog("aws-ground-station") + load_catalog("ksat") + ground_station(
        -45 * u.deg, 350 * u.deg, 4200 * u.m)
    ours = st.itrs_m()
    for g in range(len(st)):
        ref = wgs84.latlon(st.latitude.value[g], st.longitude.value[g], elevation_m=st.alt_m[g]).itrs_xyz.m
        assert np.max(np.abs(ours[:, g] - ref)) < 1e-3 * ONE_METER


def test_enu_basis_is_orthonormal_and_up_is_the_ellipsoid_normal():
    st = load_catalog("spacex-ttc")
    enu = st.enu()
    G = len(st)
    gram = np.einsum("aig,big->abg", enu, enu)
    assert np.allclose(gram, np.eye(3)[:, :, None] * np.ones(G), atol=1e-15)
    # Up is the normal: a point 1 km above the station along 'up' has the same lat/lon.
    from orbitlink.core.frames import itrs_to_geodetic

    lat, lon, alt = itrs_to_geodetic(st.itrs_m() + 1000.0 * enu[2])
    assert np.allclose(lat, st.lat_rad, atol=1e-12) and np.allclose(alt - st.alt_m, 1000.0, atol=1e-6)


def test_parse_station_forms():
    assert parse_station("SvalSat").names == ("SvalSat",)
    assert parse_station("svalsat").names == ("SvalSat",)
    assert parse_station("sao paulo").names == ("São-Paulo",)          # accents, case, punctuation
    assert parse_station("ksat:SvalSat").names == ("SvalSat",)
    one = parse_station("78.23,15.41,500")
    assert one.latitude.value[0] == pytest.approx(78.23) and one.alt_m[0] == 500.0
    assert parse_station("-33.9, 18.4").longitude.value[0] == pytest.approx(18.4)
    assert parse_station("10,350").longitude.value[0] == pytest.approx(-10.0)   # 0..360 accepted, shown wrapped


@pytest.mark.parametrize("spec, fragment", [
    ("95,0", "latitude 95 deg is out of range (-90 to 90"),
    ("-90.5,0", "latitude"),
    ("0,361", "longitude 361 deg is out of range (-180 to 360"),
    ("0,-180.5", "longitude"),
    ("0,0,20000", "altitude"),
    ("1,2,3,4", "LAT,LON[,ALT_M]"),
    ("Svalsatt", "did you mean 'SvalSat'"),
    ("Nowhere-at-all", "unknown station 'Nowhere-at-all'"),
    ("", "empty"),
])
def test_parse_station_errors(spec, fragment):
    with pytest.raises(StationError) as exc:
        parse_station(spec)
    assert fragment in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_ground_station_quantities_and_errors():
    st = ground_station(78.23 * u.deg, 15.41 * u.deg, 0.5 * u.km, name="Sval", min_elevation="5deg")
    assert st.alt_m[0] == 500.0 and math.degrees(st.min_elevation_rad[0]) == pytest.approx(5.0)
    with pytest.raises(StationError, match="latitude"):
        ground_station(91 * u.deg, 0 * u.deg)
    with pytest.raises(StationError, match="min_elevation: 95 deg is out of range"):
        ground_station(0 * u.deg, 0 * u.deg, min_elevation=95 * u.deg)
    with pytest.raises(StationError, match="min_elevation: -1 deg is out of range"):
        ground_station(0 * u.deg, 0 * u.deg, min_elevation=-1 * u.deg)
    with pytest.raises(StationError, match="latitude"):
        ground_station(12.0, 0 * u.deg)                     # a bare number has no unit


def test_min_elevation_rules():
    st = ground_station(0 * u.deg, 0 * u.deg, min_elevation=30 * u.deg) + ground_station(1 * u.deg, 0 * u.deg)
    assert np.degrees(st.min_elevation_for()) == pytest.approx([30.0, DEFAULT_MIN_ELEVATION.value])
    assert np.degrees(st.min_elevation_for("5deg")) == pytest.approx([5.0, 5.0])  # override
    with pytest.raises(StationError, match="min_elevation"):
        st.min_elevation_for("91deg")


def test_elevation_mask_interpolates_periodically_and_sets_the_table():
    m = ElevationMask.parse("0:5;90:15;180:0;270:30")
    assert m.elevation_deg([0, 45, 90, 315, 360, 359.9]) == pytest.approx([5, 10, 15, 17.5, 5, 5 + 25 * 0.1 / 90])
    st = ground_station(0 * u.deg, 0 * u.deg, mask=m, min_elevation=10 * u.deg)
    floor, table = st.thresholds()
    assert floor == pytest.approx([math.radians(10)])
    az = np.arange(0, 360.01, 0.25)
    assert np.degrees(table[0]) == pytest.approx(np.maximum(10.0, m.elevation_deg(az)))
    assert st.thresholds()[1] is not None and ground_station(0 * u.deg, 0 * u.deg).thresholds()[1] is None


@pytest.mark.parametrize("text, fragment", [
    ("0:5;90:95", "mask elevation 95 deg is out of range (0 to 90"),
    ("0:-1;90:5", "mask elevation -1 deg is out of range"),
    ("0:5;400:5", "azimuth out of range"),
    ("90:5;10:5", "azimuths must increase"),
    ("0-5", "cannot read"),
    ("", "no az:el pairs"),
])
def test_elevation_mask_errors(text, fragment):
    with pytest.raises(StationError) as exc:
        ElevationMask.parse(text)
    assert fragment in str(exc.value)


def test_csv_and_geojson_round_trip(tmp_path):
    st = load_catalog("spacex-ttc") + ground_station(10 * u.deg, 20 * u.deg, 30 * u.m, name="Masked",
                                                     mask="0:5;180:20", min_elevation=7 * u.deg)
    csv_path = tmp_path / "st.csv"
    csv_path.write_text(st.to_csv(), encoding="utf-8")
    gj_path = tmp_path / "st.geojson"
    gj_path.write_text(json.dumps(st.to_geojson()), encoding="utf-8")
    for back in (load_stations(csv_path), load_stations(gj_path)):
        assert back.names == st.names and back.networks == st.networks
        assert np.allclose(back.lat_rad, st.lat_rad, atol=1e-9) and np.allclose(back.alt_m, st.alt_m)
        assert np.allclose(np.nan_to_num(back.min_elevation_rad, nan=-1), np.nan_to_num(st.min_elevation_rad, nan=-1))
        assert back.masks[-1].az_deg == (0.0, 180.0) and back.masks[-1].el_deg == (5.0, 20.0)


def test_csv_optional_columns_and_comments():
    st = parse_stations_csv("# my sites\nname,lat_deg,lon_deg\nA,1,2\n\nB,-3,400\n" .replace("400", "300"), "x.csv")
    assert st.names == ("A", "B") and st.networks == ("user", "user") and (st.alt_m == 0).all()
    assert np.isnan(st.min_elevation_rad).all()


@pytest.mark.parametrize("text, fragment", [
    ("", "x.csv is empty"),
    ("\n# only a comment\n", "x.csv is empty"),
    ("name,lat_deg,lon_deg\n", "has a header but no stations"),
    ("name,lat,lon\nA,1,2\n", "x.csv:1: unknown column 'lat'"),
    ("name,lat_deg\nA,1\n", "x.csv:1: missing column 'lon_deg'"),
    ("name,lat_deg,lon_deg\nA,1,2\nB,1\n", "x.csv:3: 2 fields, expected 3"),
    ("name,lat_deg,lon_deg\nA,north,2\n", "x.csv:2: lat_deg 'north' is not a number"),
    ("name,lat_deg,lon_deg\nA,91,2\n", "x.csv:2: latitude 91 deg is out of range"),
    ("name,lat_deg,lon_deg\nA,1,-200\n", "x.csv:2: longitude -200 deg is out of range"),
    ("name,lat_deg,lon_deg,min_elevation_deg\nA,1,2,91\n", "x.csv:2: min elevation 91 deg is out of range"),
    ("name,lat_deg,lon_deg,elevation_mask\nA,1,2,0:5;90:100\n", "x.csv:2: elevation_mask: mask elevation 100 deg"),
    ("name,lat_deg,lon_deg\n,1,2\n", "x.csv:2: name is empty"),
    ("name,lat_deg,lon_deg\nA,1,2\nA,3,4\n", "x.csv:3: station name 'A' is used twice, first at 2"),
    ("name,lat_deg,lon_deg\nA,nan,2\n", "x.csv:2: lat_deg 'nan' is not finite"),
])
def test_csv_errors_name_file_line_and_reason(text, fragment):
    with pytest.raises(StationError) as exc:
        parse_stations_csv(text, "x.csv")
    assert fragment in str(exc.value)


@pytest.mark.parametrize("text, fragment", [
    ("{", "x.geojson:1: invalid JSON"),
    ('{"type": "FeatureCollection", "features": []}', "has no features"),
    ('{"type": "Feature"}', "no 'features' list"),
    ('{"features": [{"geometry": {"type": "LineString", "coordinates": []}}]}', "feature 1: geometry is not a Point"),
    ('{"features": [{"geometry": {"type": "Point", "coordinates": [0]}, "properties": {"name": "A"}}]}',
     "feature 1: coordinates must be"),
    ('{"features": [{"geometry": {"type": "Point", "coordinates": [0, 99]}, "properties": {"name": "A"}}]}',
     "feature 1: latitude 99 deg is out of range"),
    ('{"features": [{"geometry": {"type": "Point", "coordinates": [0, 9]}, "properties": {}}]}',
     "feature 1: name is empty"),
])
def test_geojson_errors(text, fragment):
    with pytest.raises(StationError) as exc:
        parse_stations_geojson(text, "x.geojson")
    assert fragment in str(exc.value)


def test_file_errors(tmp_path):
    with pytest.raises(StationError, match="does not exist"):
        load_stations(tmp_path / "missing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("name,lat_deg,lon_deg\nS\xe3o,1,2\n".encode("latin-1"))
    with pytest.raises(StationError, match=r"latin1.csv:2: not UTF-8"):
        load_stations(bad)


def test_resolve_stations_combines_catalogs_files_and_specs(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("name,lat_deg,lon_deg\nMySite,45,7\n", encoding="utf-8")
    st = resolve_stations(["MySite", "SvalSat", "0,0"], ["ksat", str(f)])
    assert st.names == load_catalog("ksat").names + ("MySite", "0,0")   # duplicates kept once, in order
    with pytest.raises(StationError, match="did you mean 'ksat'"):
        resolve_stations([], ["ksatt"])
    with pytest.raises(StationError, match="no station given"):
        resolve_stations([], [])
    with pytest.raises(StationError, match="unknown catalog"):
        load_catalog("nope")


def test_errors_are_value_errors():
    assert issubclass(StationError, OrbitlinkError) and issubclass(StationError, ValueError)


def test_select_and_index():
    gw = load_catalog("starlink-gateways")
    sub = gw.select([0, 5, 7])
    assert len(sub) == 3 and sub.names[1] == gw.names[5]
    assert isinstance(sub, GroundStations)
    with pytest.raises(StationError, match="did you mean"):
        gw.index("Ikirre")
