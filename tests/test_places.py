"""orbitlink.places: cities, "LAT,LON", catalog:name, station names, tuples; errors name the field."""

from __future__ import annotations

import csv

import astropy.units as u
import numpy as np
import pytest

from orbitlink.errors import StationError
from orbitlink.places import CITIES, place, places
from orbitlink.stations import GroundStations, load_catalog

from .conftest import EPHEMERIS


def _bundled_cities():
    with open(EPHEMERIS / "stations" / f"{CITIES}.csv", encoding="utf-8") as f:
        return {row["name"]: (float(row["lat_deg"]), float(row["lon_deg"])) for row in csv.DictReader(f)}


def _lat_lon_deg(g: GroundStations):
    return float(np.degrees(g.lat_rad[0])), float(np.degrees(g.lon_rad[0]))


@pytest.mark.parametrize("text, name", [
    ("London", "London"),
    ("london", "London"),
    ("Sao Paulo", "São-Paulo"),        # accents and punctuation ignored
    ("New York", "New-York-Newark"),   # a unique prefix will do
    ("Tokyo", "Tokyo"),
])
def test_cities_resolve_to_their_bundled_coordinates(text, name):
    g = place(text, "to")
    assert g.names == (name,)
    np.testing.assert_allclose(_lat_lon_deg(g), _bundled_cities()[name], rtol=0, atol=1e-9)


def test_every_bundled_city_resolves_by_name():
    cities = _bundled_cities()
    assert len(cities) == 100
    for name, lat_lon in cities.items():
        np.testing.assert_allclose(_lat_lon_deg(place(name)), lat_lon, rtol=0, atol=1e-9)


def test_lat_lon_text():
    g = place("51.5,-0.12", "user")
    assert g.names == ("51.5,-0.12",)
    np.testing.assert_allclose(_lat_lon_deg(g), (51.5, -0.12), rtol=0, atol=1e-12)
    assert g.alt_m[0] == 0.0
    assert place("35.7, 139.7, 40").alt_m[0] == 40.0


def test_lat_lon_tuple_numbers_or_quantities():
    a = place((51.5, -0.12))
    b = place((51.5 * u.deg, -0.12 * u.deg, 0 * u.m))
    np.testing.assert_allclose(_lat_lon_deg(a), (51.5, -0.12), rtol=0, atol=1e-12)
    np.testing.assert_allclose(_lat_lon_deg(b), (51.5, -0.12), rtol=0, atol=1e-12)


def test_catalog_name_and_station_names():
    svalsat = load_catalog("ksat").select(["SvalSat"])
    for spec in ("ksat:SvalSat", "SvalSat", "svalsat"):
        g = place(spec)
        assert g.names == ("SvalSat",)
        np.testing.assert_allclose(_lat_lon_deg(g), _lat_lon_deg(svalsat))
    assert place("AWS-Ohio").names == ("AWS-Ohio",)


def test_a_ground_stations_object_passes_through():
    one = load_catalog("ksat").select([0])
    assert place(one) is one
    with pytest.raises(StationError, match="to: expected one location"):
        place(load_catalog("aws-ground-station"), "to")


@pytest.mark.parametrize("spec, fragments", [
    ("Atlantis", ("user: unknown station 'Atlantis'", "did you mean")),
    ("Lodnon", ("user:", "did you mean 'London'")),
    ("100,0", ("user:", "latitude")),
    ("51.5,400", ("user:", "longitude")),
    ("1,2,3,4", ("user: cannot read '1,2,3,4'",)),
    ("", ("user: empty value",)),
    ((100, 0), ("user:", "latitude")),
    ((1, 2, 3, 4), ("user: expected (lat_deg, lon_deg[, alt_m])",)),
])
def test_bad_text_raises_station_error_naming_the_field(spec, fragments):
    with pytest.raises(StationError) as info:
        place(spec, "user")
    message = str(info.value)
    assert not message.startswith("station:"), message
    for fragment in fragments:
        assert fragment in message, message


def test_an_ambiguous_prefix_is_an_error():
    # "San" starts several bundled cities (Santiago, San Francisco ...): no guess.
    matches = [n for n in _bundled_cities() if n.lower().startswith("san")]
    assert len(matches) > 1
    with pytest.raises(StationError, match="to: 'San' is ambiguous"):     # issue 19: not a spelling guess
        place("San", "to")


def test_places_merges_a_collection_and_single_places_once_each():
    assert places() is None
    cities = places(collection="cities")
    assert len(cities) == 100
    mixed = places(["London", "51.5,-0.12", "london"], collection="aws-ground-station")
    assert mixed.names[-2:] == ("London", "51.5,-0.12")
    assert mixed.names.count("London") == 1
    assert len(mixed) == len(load_catalog("aws-ground-station")) + 2
    assert places("Paris").names == ("Paris",)              # one string is one place
    assert places((48.85, 2.35)).names == ("48.85,2.35",)   # one tuple is one place
    with pytest.raises(StationError, match="users: unknown station 'Atlantis'"):
        places(["Paris", "Atlantis"])
    with pytest.raises(StationError, match="stations: 'nowhere' is neither a catalog nor a file"):
        places(collection="nowhere")


def test_a_prefix_of_several_cities_is_ambiguous_not_misspelt(run_cli):
    """Issue 19: `--user San` suggested Foshan and Shantou instead of saying it is ambiguous."""
    from orbitlink.errors import StationError
    from orbitlink.places import place

    with pytest.raises(StationError, match="users: 'San' is ambiguous .*Santiago.*Sankt-Peterburg"):
        place("San", "users")
    assert place("Santi", "users").names == ("Santiago",)        # a unique prefix still reads
    result = run_cli("latency", "--orbit", "550km", "--user", "San")
    assert result.code == 2 and "ambiguous" in result.err and "Foshan" not in result.err
