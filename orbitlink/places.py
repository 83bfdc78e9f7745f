"""Places on the ground by name or coordinates: users, far ends, gateways as people write them.

One reader for every argument that names a location, for the library and the
CLI alike (``round_trip(to=...)``, ``orbitlink latency --to/--user``):

- a city of the bundled top-100 list (``ephemeris/stations/cities-top100.csv``),
  ignoring case, accents and punctuation; a unique prefix will do
  (``"New York"`` finds ``New-York-Newark``);
- ``"LAT,LON[,ALT_M]"`` in degrees and metres (``"51.5,-0.12"``);
- ``"CATALOG:NAME"`` (``"ksat:Svalbard"``) or any bundled station name;
- a ``(lat_deg, lon_deg[, alt_m])`` tuple of numbers or Quantities;
- a :class:`~orbitlink.stations.GroundStations` (returned as it is).

:func:`place` reads one location; :func:`stations` reads every argument that
takes a *set* of stations (``find_passes(track, "SvalSat")``,
``round_trip(gateways=...)``, ``users=``, ``schedule``): any of the above, a
whole catalog by name (``"ksat"``, ``"cities"``), a CSV/GeoJSON file, or a list
mixing them.  :func:`places` is the older reader of users (a list plus one
``collection``).  Bad input raises :class:`~orbitlink.errors.StationError`
naming the caller's field (``to: unknown station 'Atlantis' ...``).
"""

from __future__ import annotations

import os

import astropy.units as u

from .errors import StationError
from .stations import (
    CATALOGS,
    GroundStations,
    _normalize,
    ground_station,
    load_catalog,
    load_stations,
    parse_station,
    resolve_stations,
    union_stations,
)
from .units import _is_real

#: The bundled catalog searched for city names (also what ``places("cities")`` returns).
CITIES = "cities-top100"

#: The accepted forms of a station set, quoted in messages.
STATIONS_FORM = ("a station or city name, CATALOG:NAME, a catalog name (" + ", ".join(CATALOGS) +
                 ", cities), a CSV/GeoJSON file, 'LAT,LON[,ALT_M]', a (lat, lon[, alt]) tuple of degrees "
                 "and metres or Quantities, a GroundStations, or a list of these")
# Files are told from names by their suffix (or by existing): "St. John's" and "51.5,-0.12" have dots too.
_FILE_SUFFIXES = (".csv", ".geojson", ".json")

__all__ = ["CITIES", "STATIONS_FORM", "place", "places", "stations"]


def _field_error(field: str, exc: StationError) -> StationError:
    """``exc`` re-worded for ``field``: 'station: unknown ...' -> 'to: unknown ...'."""
    message = str(exc)
    for prefix in ("station: ", "stations: "):
        if message.startswith(prefix):
            return StationError(f"{field}: {message[len(prefix):]}")
    return StationError(f"{field}: {message}")


def _is_coordinates(spec) -> bool:
    """``(lat, lon[, alt])`` of numbers or Quantities (not a list of names)."""
    return (isinstance(spec, (tuple, list)) and len(spec) in (2, 3)
            and all(isinstance(x, u.Quantity) or _is_real(x) for x in spec))


def _degrees(value, unit):
    return value if isinstance(value, (u.Quantity, str)) else value * unit


def place(spec, field: str = "place") -> GroundStations:
    """One location as a one-station :class:`~orbitlink.stations.GroundStations`.

    ``spec`` is a city name (or a unique prefix of one), ``"LAT,LON[,ALT_M]"``,
    ``"CATALOG:NAME"``, a bundled station name, a ``(lat_deg, lon_deg[, alt_m])``
    tuple or a one-station GroundStations.  Errors name ``field``.
    """
    if isinstance(spec, GroundStations):
        if len(spec) != 1:
            raise StationError(f"{field}: expected one location, not {len(spec)} stations")
        return spec
    if isinstance(spec, (tuple, list)):
        if not _is_coordinates(spec):
            what = f"{len(spec)} values" if len(spec) not in (2, 3) else "non-numbers"
            raise StationError(f"{field}: expected (lat_deg, lon_deg[, alt_m]) numbers or Quantities, "
                               f"not {what}")
        lat, lon = _degrees(spec[0], u.deg), _degrees(spec[1], u.deg)
        alt = _degrees(spec[2], u.m) if len(spec) == 3 else 0 * u.m
        try:
            return ground_station(lat, lon, alt)
        except StationError as exc:
            raise _field_error(field, exc) from None
    cities = load_catalog(CITIES)
    try:
        return parse_station(spec, cities)
    except StationError as exc:
        key = _normalize(str(spec))
        hits = [n for n in cities.names if key and _normalize(n).startswith(key)]
        if len(hits) == 1:
            return cities.select([hits[0]])
        if len(hits) > 1:      # a prefix of several cities: say so, not a spelling guess (issue 19)
            shown = ", ".join(hits[:5]) + (f" and {len(hits) - 5} more" if len(hits) > 5 else "")
            raise StationError(f"{field}: {spec!r} is ambiguous (the start of {shown}); give the "
                               "whole name or LAT,LON") from None
        raise _field_error(field, exc) from None


def stations(spec, field: str = "stations") -> GroundStations:
    """Every argument that takes ground stations, read one way: a non-empty GroundStations.

    ``spec`` is any of:

    - a :class:`~orbitlink.stations.GroundStations` (returned as it is);
    - a station name of a bundled catalog (``"SvalSat"``) or a city of the
      top-100 list (``"London"``), ignoring case, accents and punctuation;
    - ``"CATALOG:NAME"`` (``"ksat:SvalSat"``);
    - a whole bundled catalog by name (``"ksat"``, ``"aws-ground-station"``;
      ``"cities"`` is the top-100 cities);
    - a CSV/GeoJSON station file (a path ending in ``.csv``, ``.geojson`` or
      ``.json``, or any existing file);
    - ``"LAT,LON[,ALT_M]"`` in degrees and metres (``"51.5,-0.12"``);
    - a ``(lat, lon[, alt])`` tuple of plain degrees (and metres) or Quantities
      (``(78.23 * u.deg, 15.39 * u.deg)``);
    - a list (or tuple) of any of these; a station named twice is kept once,
      in the order given, and one name used for two different places is an error.

    Errors are :class:`~orbitlink.errors.StationError` naming ``field``.
    """
    if isinstance(spec, GroundStations):
        if len(spec) == 0:
            raise StationError(f"{field}: no station given ({STATIONS_FORM})")
        return spec
    if isinstance(spec, (str, os.PathLike)):
        return _one(spec, field)
    if _is_coordinates(spec) or (isinstance(spec, (list, tuple)) and spec
                                 and all(_is_real(x) or isinstance(x, u.Quantity) for x in spec)):
        return place(spec, field)       # numbers are coordinates, of the wrong count or not
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise StationError(f"{field}: no station given ({STATIONS_FORM})")
        return _union([stations(item, field) for item in spec], field)
    raise StationError(f"{field}: expected ground stations, not {type(spec).__name__} ({STATIONS_FORM})")


def _one(spec, field: str) -> GroundStations:
    """One text spec: a catalog, a file, or one place."""
    text = os.fspath(spec).strip()
    key = text.lower()
    if key == "cities":
        return load_catalog(CITIES)
    if key in CATALOGS:
        return load_catalog(key)
    if isinstance(spec, os.PathLike) or key.endswith(_FILE_SUFFIXES) or (text and os.path.isfile(text)):
        return load_stations(text)
    return place(text, field)


def _union(sets, field: str) -> GroundStations:
    """The stations of ``sets`` in order, each name once (the same place under one name)."""
    try:
        return union_stations(sets)
    except StationError as exc:
        raise _field_error(field, exc) from None


def places(specs=(), field: str = "users", *, collection=None) -> GroundStations | None:
    """Several locations as one :class:`~orbitlink.stations.GroundStations` (None if none given).

    ``collection`` is a whole set: ``"cities"`` (the bundled top-100 cities), a
    catalog name, a CSV/GeoJSON path or a GroundStations.  ``specs`` adds
    locations in any form :func:`stations` reads (a single string or
    ``(lat, lon)`` tuple counts as one).  A name given twice is kept once, in
    the order given.
    """
    sets = []
    if isinstance(collection, str) and collection.strip().lower() != "cities":
        sets.append(resolve_stations(stations=[collection.strip()]))   # a set: a catalog or a file only
    elif collection is not None:
        sets.append(stations(collection, field))
    if not isinstance(specs, (list, tuple)) or _is_coordinates(specs) or len(specs):
        sets.append(stations(specs, field))
    if not sets:
        return None
    return _union(sets, field)
