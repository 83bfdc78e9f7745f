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

:func:`place` reads one location, :func:`places` a list of them or a whole
set (``"cities"``, a catalog name, a CSV/GeoJSON file).  Bad input raises
:class:`~orbitlink.errors.StationError` naming the caller's field
(``to: unknown station 'Atlantis' ...``).
"""

from __future__ import annotations

import astropy.units as u

from .errors import StationError
from .stations import (
    GroundStations,
    _normalize,
    ground_station,
    load_catalog,
    parse_station,
    resolve_stations,
)

#: The bundled catalog searched for city names (also what ``places("cities")`` returns).
CITIES = "cities-top100"

__all__ = ["CITIES", "place", "places"]


def _field_error(field: str, exc: StationError) -> StationError:
    """``exc`` re-worded for ``field``: 'station: unknown ...' -> 'to: unknown ...'."""
    message = str(exc)
    message = message[len("station: "):] if message.startswith("station: ") else message
    return StationError(f"{field}: {message}")


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
        if len(spec) not in (2, 3):
            raise StationError(f"{field}: expected (lat_deg, lon_deg[, alt_m]), not {len(spec)} values")
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
        raise _field_error(field, exc) from None


def places(specs=(), field: str = "users", *, collection=None) -> GroundStations | None:
    """Several locations as one :class:`~orbitlink.stations.GroundStations` (None if none given).

    ``collection`` is a whole set: ``"cities"`` (the bundled top-100 cities), a
    catalog name, a CSV/GeoJSON path or a GroundStations.  ``specs`` adds single
    locations (each as :func:`place` reads it); a single string counts as one
    location.  A name given twice is kept once, in the order given.
    """
    if isinstance(specs, (str, GroundStations)) or (isinstance(specs, tuple) and specs
                                                    and not isinstance(specs[0], (str, tuple, list))):
        specs = [specs]
    sets = []
    if isinstance(collection, GroundStations):
        sets.append(collection)
    elif collection is not None:
        name = str(collection).strip()
        sets.append(load_catalog(CITIES) if name.lower() == "cities" else resolve_stations(stations=[name]))
    sets.extend(place(x, field) for x in specs)
    if not sets:
        return None
    out = sets[0]
    for s in sets[1:]:
        out = out + s
    seen, keep = set(), []
    for i, n in enumerate(out.names):
        if n not in seen:
            seen.add(n)
            keep.append(i)
    return out.select(keep) if len(keep) != len(out) else out
