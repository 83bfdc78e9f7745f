"""Ground stations: bundled catalogs, user CSV/GeoJSON files, ``--station`` specs, elevation masks.

A :class:`GroundStations` holds G stations as SI arrays (WGS-84 geodetic
latitude/longitude in radians, height above the ellipsoid in metres) plus, per
station, an optional minimum elevation and an optional azimuth-dependent
:class:`ElevationMask` (terrain, buildings).  The visibility threshold of a
station at azimuth ``az`` is::

    threshold(az) = max(min_elevation, mask(az))

where ``min_elevation`` is the analysis' ``min_elevation`` if one is given,
else the station's own (``min_elevation_deg`` column), else
:data:`DEFAULT_MIN_ELEVATION` (10 deg).

File schema (CSV, one station per row, ``#`` comment lines allowed)::

    name,network,lat_deg,lon_deg,alt_m,min_elevation_deg[,elevation_mask][,antennas]

``name``, ``lat_deg`` and ``lon_deg`` are required; the other columns may be
left out or empty.  ``elevation_mask`` is ``az:el`` pairs in degrees separated
by ``;`` (e.g. ``0:5;90:12;180:3;270:8``), linearly interpolated in azimuth and
wrapping at 360.  ``antennas`` is how many satellites the station can serve at
once (a whole number, default 1: one dish; see :mod:`orbitlink.schedule`).  GeoJSON files are FeatureCollections of Point features with
coordinates ``[lon, lat(, alt_m)]`` and the same names as properties
(``elevation_mask`` as a list of ``[az_deg, el_deg]`` pairs).

Bundled catalogs (``ephemeris/stations``, provenance in its README):
``starlink-gateways``, ``aws-ground-station``, ``ksat``, ``spacex-ttc``,
``cities-top100``, ``ssc``, ``leaf-space``, ``atlas``.
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import astropy.units as u
import numpy as np

from .core import frames
from .errors import QuantityError, StationError
from .units import parse_quantity

__all__ = [
    "DEFAULT_ANTENNAS",
    "DEFAULT_MIN_ELEVATION",
    "DEFAULT_SETUP",
    "CATALOGS",
    "ElevationMask",
    "GroundStations",
    "catalog_names",
    "ground_station",
    "load_catalog",
    "load_stations",
    "parse_station",
    "parse_stations_csv",
    "parse_stations_geojson",
    "resolve_stations",
    "union_stations",
]

DEFAULT_MIN_ELEVATION = 10 * u.deg
CATALOGS = ("starlink-gateways", "aws-ground-station", "ksat", "spacex-ttc", "cities-top100",
            "ssc", "leaf-space", "atlas")
COLUMNS = ("name", "network", "lat_deg", "lon_deg", "alt_m", "min_elevation_deg", "elevation_mask", "antennas")
REQUIRED = ("name", "lat_deg", "lon_deg")
SCHEMA = "CSV header name,network,lat_deg,lon_deg,alt_m,min_elevation_deg[,elevation_mask][,antennas]"
# Antennas of a station that gives no count: one dish (an assumption; see ephemeris/stations/README.md).
DEFAULT_ANTENNAS = 1
# Time between two contacts on one antenna (slew to the next AOS azimuth, re-acquire): an
# assumption, see docs/design/decisions.md "Contact plans: whole passes, greedy antenna layers".
DEFAULT_SETUP = 60 * u.s
STATION_FORM = "a station name (orbitlink stations list) or LAT,LON[,ALT_M] in degrees and metres"
# Ellipsoidal heights of real sites: Dead Sea shore to the highest observatories, with room.
ALT_RANGE_M = (-500.0, 9000.0)


# --- elevation masks ------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ElevationMask:
    """Minimum elevation as a function of azimuth: piecewise linear, periodic in azimuth.

    ``az_deg`` (strictly increasing within [0, 360)) and ``el_deg`` (0..90) are
    the breakpoints.  :meth:`table` resamples it on a uniform azimuth grid for
    the vectorized kernels; the 0.25 deg grid reproduces the breakpoints
    exactly when they are multiples of 0.25 deg, and otherwise differs from the
    piecewise-linear mask by at most slope x 0.125 deg.
    """

    az_deg: tuple[float, ...]
    el_deg: tuple[float, ...]

    TABLE_STEP_DEG = 0.25

    @classmethod
    def from_pairs(cls, pairs, where: str = "elevation_mask") -> "ElevationMask":
        try:
            pts = [(float(a), float(e)) for a, e in pairs]
        except (TypeError, ValueError):
            raise StationError(f"{where}: cannot read {pairs!r} "
                               "(az:el pairs in degrees, e.g. 0:5;90:12;180:3)") from None
        if not pts:
            raise StationError(f"{where}: no az:el pairs (e.g. 0:5;90:12;180:3)")
        az = np.array([p[0] for p in pts])
        el = np.array([p[1] for p in pts])
        if not np.all(np.isfinite(az)) or np.any(az < 0) or np.any(az >= 360):
            raise StationError(f"{where}: azimuth out of range (0 <= az < 360 deg)")
        if np.any(np.diff(az) <= 0):
            raise StationError(f"{where}: azimuths must increase (e.g. 0:5;90:12;180:3)")
        if not np.all(np.isfinite(el)) or np.any(el < 0) or np.any(el > 90):
            bad = el[~((el >= 0) & (el <= 90))][0]
            raise StationError(f"{where}: mask elevation {bad:g} deg is out of range (0 to 90 deg)")
        return cls(tuple(az.tolist()), tuple(el.tolist()))

    @classmethod
    def parse(cls, text: str, where: str = "elevation_mask") -> "ElevationMask":
        """``"0:5;90:12;180:3;270:8"`` -> mask."""
        pairs = []
        for part in str(text).replace(",", ";").split(";"):
            if not part.strip():
                continue
            a, sep, e = part.partition(":")
            if not sep:
                raise StationError(f"{where}: cannot read {part.strip()!r} "
                                   "(az:el pairs in degrees separated by ';', e.g. 0:5;90:12;180:3)")
            pairs.append((a, e))
        return cls.from_pairs(pairs, where)

    def elevation_deg(self, az_deg) -> np.ndarray:
        """Mask elevation (deg) at azimuths ``az_deg``, linear between breakpoints, periodic."""
        return np.interp(np.asarray(az_deg, float) % 360.0, self.az_deg, self.el_deg, period=360.0)

    def table(self) -> np.ndarray:
        """Mask elevation (rad) on the uniform grid 0, 0.25, ..., 360 deg (1441 values)."""
        az = np.arange(0.0, 360.0 + 1e-9, self.TABLE_STEP_DEG)
        return np.radians(self.elevation_deg(az))

    def to_text(self) -> str:
        return ";".join(f"{a:g}:{e:g}" for a, e in zip(self.az_deg, self.el_deg))


# --- the station set ------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class GroundStations:
    """G ground stations (arrays of shape (G,), SI units).

    ``min_elevation_rad`` is NaN where the station has no minimum of its own;
    ``masks[g]`` is an :class:`ElevationMask` or None; ``antennas`` (G,) int64
    is how many satellites each can serve at once (default
    :data:`DEFAULT_ANTENNAS`).
    """

    names: tuple[str, ...]
    networks: tuple[str, ...]
    lat_rad: np.ndarray
    lon_rad: np.ndarray
    alt_m: np.ndarray
    min_elevation_rad: np.ndarray
    masks: tuple[ElevationMask | None, ...] = field(default=())
    source: str = ""
    antennas: np.ndarray = field(default=())

    def __post_init__(self):
        n = len(self.names)
        if not self.masks:
            object.__setattr__(self, "masks", (None,) * n)
        ant = np.full(n, DEFAULT_ANTENNAS, np.int64) if len(self.antennas) == 0 else \
            np.asarray(self.antennas).reshape(-1)
        if ant.shape != (n,) or not np.issubdtype(ant.dtype, np.integer) or np.any(ant < 1):
            raise StationError(f"stations: antennas must be {n} whole numbers >= 1")
        ant = ant.astype(np.int64)
        ant.setflags(write=False)
        object.__setattr__(self, "antennas", ant)
        for label in ("networks", "masks"):
            if len(getattr(self, label)) != n:
                raise StationError(f"stations: {label} has {len(getattr(self, label))} entries, expected {n}")
        for label in ("lat_rad", "lon_rad", "alt_m", "min_elevation_rad"):
            arr = np.asarray(getattr(self, label), dtype=np.float64).reshape(-1)
            if arr.shape != (n,):
                raise StationError(f"stations: {label} has shape {arr.shape}, expected ({n},)")
            if label != "min_elevation_rad" and not np.all(np.isfinite(arr)):   # NaN there: the default
                bad = self.names[int(np.flatnonzero(~np.isfinite(arr))[0])]
                raise StationError(f"stations: {label} of {bad!r} is not a finite number")
            arr.setflags(write=False)
            object.__setattr__(self, label, arr)

    # -- container protocol
    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        from .notebook import count_text, names_preview

        # A catalog added to itself (or resolved many times) names its source once.
        sources = " + ".join(dict.fromkeys(p for p in self.source.split(" + ") if p))
        return (f"GroundStations({count_text(len(self), 'station')}{' from ' + sources if sources else ''}; "
                f"{names_preview(self.names)})")

    def __add__(self, other: "GroundStations") -> "GroundStations":
        cat = np.concatenate
        return GroundStations(self.names + other.names, self.networks + other.networks,
                              cat([self.lat_rad, other.lat_rad]), cat([self.lon_rad, other.lon_rad]),
                              cat([self.alt_m, other.alt_m]),
                              cat([self.min_elevation_rad, other.min_elevation_rad]),
                              self.masks + other.masks,
                              " + ".join(s for s in (self.source, other.source) if s),
                              cat([self.antennas, other.antennas]))

    def select(self, index) -> "GroundStations":
        """The stations at ``index`` (ints, a slice, a boolean mask or names)."""
        if isinstance(index, str) or (isinstance(index, (list, tuple)) and index
                                      and all(isinstance(i, str) for i in index)):
            wanted = [index] if isinstance(index, str) else list(index)
            idx = [self.index(n) for n in wanted]
        else:
            idx = np.atleast_1d(np.arange(len(self))[index]).tolist()
        return GroundStations(tuple(self.names[i] for i in idx),
                              tuple(self.networks[i] for i in idx),
                              self.lat_rad[idx], self.lon_rad[idx], self.alt_m[idx],
                              self.min_elevation_rad[idx], tuple(self.masks[i] for i in idx),
                              self.source, self.antennas[idx])

    def index(self, name: str) -> int:
        """Position of the station called ``name`` (exact, then accent/case/punctuation-insensitive)."""
        if name in self.names:
            return self.names.index(name)
        key = _normalize(name)
        hits = [i for i, n in enumerate(self.names) if _normalize(n) == key]
        if len(hits) == 1:
            return hits[0]
        raise _unknown(name, self.names)

    def with_antennas(self, antennas) -> "GroundStations":
        """The same stations with ``antennas`` (a whole number >= 1, or one per station) each."""
        import dataclasses

        from .units import count

        values = np.broadcast_to(np.asarray(antennas, dtype=object), (len(self),))
        ant = np.array([count(v, "antennas") for v in values.tolist()], np.int64)
        return dataclasses.replace(self, antennas=ant)

    # -- Quantities at the boundary
    @property
    def latitude(self) -> u.Quantity:
        return np.degrees(self.lat_rad) * u.deg

    @property
    def longitude(self) -> u.Quantity:
        """East longitude wrapped to [-180, 180) deg."""
        return ((np.degrees(self.lon_rad) + 180.0) % 360.0 - 180.0) * u.deg

    @property
    def altitude(self) -> u.Quantity:
        return self.alt_m * u.m

    # -- geometry for the kernels
    def itrs_m(self) -> np.ndarray:
        """Station positions (3, G) in the ITRS (WGS-84), metres."""
        return frames.geodetic_to_itrs(self.lat_rad, self.lon_rad, self.alt_m)

    def enu(self) -> np.ndarray:
        """Local east, north, up unit vectors (3 axes, 3 components, G) of the geodetic horizon."""
        from .core.topocentric import enu_basis

        return enu_basis(self.lat_rad, self.lon_rad)

    def min_elevation_for(self, min_elevation=None) -> np.ndarray:
        """Per-station minimum elevation (rad, (G,)) as the analysis uses it.

        ``min_elevation`` (a Quantity or ``"10deg"``) overrides every
        station's own minimum; None keeps each station's own and falls back to
        :data:`DEFAULT_MIN_ELEVATION`.
        """
        if min_elevation is not None:
            value = _elevation_rad(min_elevation, "min_elevation")
            return np.full(len(self), value)
        own = self.min_elevation_rad
        return np.where(np.isnan(own), DEFAULT_MIN_ELEVATION.to_value(u.rad), own)

    def thresholds(self, min_elevation=None):
        """``(floor_rad (G,), mask_table_rad (G, 1441) or None)`` for the kernels.

        The table is ``max(floor, mask(az))`` on the :class:`ElevationMask`
        grid; it is None when no station has a mask (the fast constant path).
        """
        floor = self.min_elevation_for(min_elevation)
        if all(m is None for m in self.masks):
            return floor, None
        table = np.repeat(floor[:, None], 1441, axis=1)
        for g, m in enumerate(self.masks):
            if m is not None:
                table[g] = np.maximum(floor[g], m.table())
        return floor, table

    # -- export
    def to_dict(self) -> dict:
        """``{"stations": [{"name", "network", "lat_deg", "lon_deg", "alt_m", "min_elevation_deg",
        "elevation_mask"}]}``."""
        lat, lon = self.latitude.value, self.longitude.value
        return {"stations": [{
            "name": n, "network": net, "lat_deg": round(float(lat[g]), 6),
            "lon_deg": round(float(lon[g]), 6), "alt_m": round(float(self.alt_m[g]), 3),
            "min_elevation_deg": None if np.isnan(self.min_elevation_rad[g])
            else round(math.degrees(self.min_elevation_rad[g]), 6),
            "elevation_mask": None if self.masks[g] is None else
            [[a, e] for a, e in zip(self.masks[g].az_deg, self.masks[g].el_deg)],
            "antennas": int(self.antennas[g]),
        } for g, (n, net) in enumerate(zip(self.names, self.networks))]}

    def to_geojson(self) -> dict:
        """A FeatureCollection of Points in the file schema (readable by :func:`load_stations`)."""
        feats = []
        for row in self.to_dict()["stations"]:
            props = {k: v for k, v in row.items() if k not in ("lat_deg", "lon_deg") and v is not None}
            feats.append({"type": "Feature", "properties": props,
                          "geometry": {"type": "Point", "coordinates": [row["lon_deg"], row["lat_deg"]]}})
        return {"type": "FeatureCollection", "features": feats}

    def to_csv(self) -> str:
        counts = bool(np.any(self.antennas != DEFAULT_ANTENNAS))      # the column only when it says something
        out = [",".join(COLUMNS[:6]) + (",elevation_mask" if any(self.masks) else "") + (",antennas" if counts else "")]
        for row, mask in zip(self.to_dict()["stations"], self.masks):
            vals = [_csv(row["name"]), _csv(row["network"]), f"{row['lat_deg']:g}", f"{row['lon_deg']:g}",
                    f"{row['alt_m']:g}", "" if row["min_elevation_deg"] is None else f"{row['min_elevation_deg']:g}"]
            if any(self.masks):
                vals.append("" if mask is None else mask.to_text())
            if counts:
                vals.append(str(row["antennas"]))
            out.append(",".join(vals))
        return "\n".join(out) + "\n"


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n\r') else text


# --- validation helpers ------------------------------------------------------------

def _check_lat(lat_deg: float, where: str) -> float:
    if not math.isfinite(lat_deg) or not -90.0 <= lat_deg <= 90.0:
        raise StationError(f"{where}latitude {lat_deg:g} deg is out of range (-90 to 90 deg)")
    return lat_deg


def _check_lon(lon_deg: float, where: str) -> float:
    if not math.isfinite(lon_deg) or not -180.0 <= lon_deg <= 360.0:
        raise StationError(f"{where}longitude {lon_deg:g} deg is out of range (-180 to 360 deg)")
    return lon_deg


def _check_alt(alt_m: float, where: str) -> float:
    lo, hi = ALT_RANGE_M
    if not math.isfinite(alt_m) or not lo <= alt_m <= hi:
        raise StationError(f"{where}altitude {alt_m:g} m is out of range "
                           f"({lo:g} to {hi:g} m above the WGS-84 ellipsoid)")
    return alt_m


def _check_min_el(el_deg: float, where: str) -> float:
    if not math.isfinite(el_deg) or not 0.0 <= el_deg <= 90.0:
        raise StationError(f"{where}min elevation {el_deg:g} deg is out of range (0 to 90 deg)")
    return el_deg


def _elevation_rad(value, field_name: str) -> float:
    """A mask/min elevation Quantity (or "10deg") as radians, checked to 0..90 deg."""
    try:
        q = parse_quantity(value, "angle", field_name)
    except QuantityError as exc:
        raise StationError(str(exc)) from None
    deg = float(q.to_value(u.deg))
    if not 0.0 <= deg <= 90.0:
        raise StationError(f"{field_name}: {deg:g} deg is out of range (0 to 90 deg)")
    return math.radians(deg)


def _normalize(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form: 'São-Paulo' == 'sao paulo'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _unknown(name: str, names) -> StationError:
    by_norm = {}
    for n in names:
        by_norm.setdefault(_normalize(n), n)
    close = difflib.get_close_matches(_normalize(name), list(by_norm), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(by_norm[c]) for c in close)}?" if close else ""
    return StationError(f"station: unknown station {name!r}{hint} ({STATION_FORM})")


# --- constructors ------------------------------------------------------------------

def ground_station(latitude, longitude, altitude=0 * u.m, *, name: str | None = None,
                   network: str = "user", min_elevation=None, mask=None,
                   antennas: int = DEFAULT_ANTENNAS) -> GroundStations:
    """One station from Quantities (``latitude=78.23*u.deg``, ``altitude=500*u.m``) or strings.

    ``antennas``: how many satellites it serves at once (a whole number >= 1).

    ``mask``: an :class:`ElevationMask`, ``"az:el;az:el..."`` text or ``[(az_deg, el_deg), ...]``.
    """
    try:
        lat = float(parse_quantity(latitude, "angle", "latitude").to_value(u.deg))
        lon = float(parse_quantity(longitude, "angle", "longitude").to_value(u.deg))
        alt = float(parse_quantity(altitude, "length", "altitude").to_value(u.m))
    except QuantityError as exc:
        raise StationError(f"station: {exc}") from None
    _check_lat(lat, "station: ")
    _check_lon(lon, "station: ")
    _check_alt(alt, "station: ")
    min_el = np.nan if min_elevation is None else _elevation_rad(min_elevation, "min_elevation")
    if mask is not None and not isinstance(mask, ElevationMask):
        mask = ElevationMask.parse(mask) if isinstance(mask, str) else ElevationMask.from_pairs(mask)
    from .units import count

    antennas = count(antennas, "antennas")
    label = name or f"{lat:g},{lon:g}"
    return GroundStations((label,), (network,), np.radians([lat]), np.radians([lon]),
                          np.array([alt]), np.array([min_el]), (mask,), "user", np.array([antennas]))


def _from_rows(rows, source: str) -> GroundStations:
    """rows: (where, name, network, lat, lon, alt, min_el_deg or nan, mask or None, antennas)."""
    names = tuple(r[1] for r in rows)
    return GroundStations(names, tuple(r[2] for r in rows),
                          np.radians([r[3] for r in rows]), np.radians([r[4] for r in rows]),
                          np.array([r[5] for r in rows], float),
                          np.radians(np.array([r[6] for r in rows], float)),
                          tuple(r[7] for r in rows), source,
                          np.array([r[8] for r in rows], np.int64))


def _number(text, column: str, where: str, default=None) -> float:
    if text is None or (isinstance(text, str) and not text.strip()):
        if default is None:
            raise StationError(f"{where}: {column} is empty (a number)")
        return default
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise StationError(f"{where}: {column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise StationError(f"{where}: {column} {text!r} is not finite")
    return value


def _antennas(text, where: str) -> int:
    if text is None or (isinstance(text, str) and not text.strip()):
        return DEFAULT_ANTENNAS
    value = text.strip() if isinstance(text, str) else text
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())) \
            or int(value) < 1:
        raise StationError(f"{where}: antennas {text!r} is not a positive whole number (e.g. 4)")
    return int(value)


def _row(where: str, name, network, lat, lon, alt, min_el, mask_text, default_network: str,
         antennas=None):
    name = (name or "").strip() if isinstance(name, str) else name
    if not isinstance(name, str) or not name:
        raise StationError(f"{where}: name is empty (every station needs a name)")
    lat = _check_lat(_number(lat, "lat_deg", where), f"{where}: ")
    lon = _check_lon(_number(lon, "lon_deg", where), f"{where}: ")
    alt = _check_alt(_number(alt, "alt_m", where, default=0.0), f"{where}: ")
    el = _number(min_el, "min_elevation_deg", where, default=math.nan)
    if not math.isnan(el):
        _check_min_el(el, f"{where}: ")
    mask = None
    if isinstance(mask_text, str) and mask_text.strip():
        mask = ElevationMask.parse(mask_text, f"{where}: elevation_mask")
    elif isinstance(mask_text, (list, tuple)) and mask_text:
        mask = ElevationMask.from_pairs(mask_text, f"{where}: elevation_mask")
    network = network.strip() if isinstance(network, str) and network.strip() else default_network
    return (where, name, network, lat, lon, alt, el, mask, _antennas(antennas, where))


def parse_stations_csv(text: str, source: str = "<text>", *, default_network: str = "user") -> GroundStations:
    """Stations from CSV text in the file schema; errors name ``source:line`` and the reason."""
    if not isinstance(text, str):
        raise StationError(f"stations file: {source}: expected the CSV as text (str), not {type(text).__name__}")
    lines = text.splitlines()
    numbered = [(k, line) for k, line in enumerate(lines, 1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise StationError(f"stations file: {source} is empty ({SCHEMA})")
    head_line, head = numbered[0]
    header = [h.strip().lower() for h in next(csv.reader([head]))]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    if unknown or missing:
        what = f"unknown column {unknown[0]!r}" if unknown else f"missing column {missing[0]!r}"
        raise StationError(f"stations file: {source}:{head_line}: {what} ({SCHEMA})")
    if len(set(header)) != len(header):
        raise StationError(f"stations file: {source}:{head_line}: repeated column ({SCHEMA})")
    rows = []
    for k, line in numbered[1:]:
        where = f"stations file: {source}:{k}"
        values = next(csv.reader([line]))
        if len(values) != len(header):
            raise StationError(f"{where}: {len(values)} fields, expected {len(header)} ({SCHEMA})")
        rec = dict(zip(header, values))
        rows.append(_row(where, rec["name"], rec.get("network"), rec["lat_deg"], rec["lon_deg"],
                         rec.get("alt_m"), rec.get("min_elevation_deg"), rec.get("elevation_mask"),
                         default_network, rec.get("antennas")))
    if not rows:
        raise StationError(f"stations file: {source} has a header but no stations ({SCHEMA})")
    _check_unique(rows, source)
    return _from_rows(rows, source)


def parse_stations_geojson(text: str, source: str = "<text>", *, default_network: str = "user") -> GroundStations:
    """Stations from a GeoJSON FeatureCollection of Points (properties as the CSV columns)."""
    form = "a GeoJSON FeatureCollection of Point features with a name property"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StationError(f"stations file: {source}:{exc.lineno}: invalid JSON: {exc.msg} ({form})") from None
    except (ValueError, RecursionError) as exc:   # an integer of over 4,300 digits, nesting too deep
        raise StationError(f"stations file: {source}: unreadable JSON ({str(exc).split(';')[0]}) ({form})") from None
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise StationError(f"stations file: {source}:1: no 'features' list ({form})")
    if not feats:
        raise StationError(f"stations file: {source} has no features ({form})")
    rows = []
    for k, feat in enumerate(feats, 1):
        where = f"stations file: {source}: feature {k}"
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        props = (feat.get("properties") or {}) if isinstance(feat, dict) else {}
        if not isinstance(props, dict):
            raise StationError(f"{where}: properties must be an object of name, network, ... ({form})")
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            raise StationError(f"{where}: geometry is not a Point ({form})")
        coords = geom.get("coordinates")
        if not isinstance(coords, list) or len(coords) not in (2, 3):
            raise StationError(f"{where}: coordinates must be [lon, lat] or [lon, lat, alt_m]")
        alt = props.get("alt_m", coords[2] if len(coords) == 3 else None)
        rows.append(_row(where, props.get("name"), props.get("network"), coords[1], coords[0],
                         alt, props.get("min_elevation_deg"), props.get("elevation_mask"),
                         default_network, props.get("antennas")))
    _check_unique(rows, source)
    return _from_rows(rows, source)


def _check_unique(rows, source):
    seen = {}
    for r in rows:
        if r[1] in seen:
            raise StationError(f"{r[0]}: station name {r[1]!r} is used twice, first at {seen[r[1]]} "
                               "(names must be unique)")
        seen[r[1]] = r[0].removeprefix(f"stations file: {source}").lstrip(":").strip() or "the start"


def load_stations(path) -> GroundStations:
    """A user station file: CSV (any suffix) or GeoJSON (``.geojson``/``.json`` or a ``{`` first character)."""
    if not isinstance(path, (str, os.PathLike)):
        raise StationError(f"stations file: expected a path, not {type(path).__name__}")
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StationError(f"stations file: {path} does not exist (a catalog name or a CSV/GeoJSON file)") from None
    except OSError as exc:
        raise StationError(f"stations file: cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise StationError(f"stations file: {path}:{line}: not UTF-8 text ({SCHEMA})") from None
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        return parse_stations_geojson(text, str(path))
    return parse_stations_csv(text, str(path))


def catalog_names() -> tuple[str, ...]:
    return CATALOGS


@functools.lru_cache(maxsize=None)
def load_catalog(name: str) -> GroundStations:
    """A bundled catalog by name (see :data:`CATALOGS`)."""
    from .data import ephemeris_path

    if not isinstance(name, str):
        raise StationError(f"stations: expected a catalog name (one of {', '.join(CATALOGS)}), "
                           f"not {type(name).__name__}")
    if name not in CATALOGS:
        close = difflib.get_close_matches(name, CATALOGS, n=2)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise StationError(f"stations: unknown catalog {name!r}{hint} (one of {', '.join(CATALOGS)}, or a file path)")
    path = ephemeris_path("stations", f"{name}.csv")
    return parse_stations_csv(path.read_text(encoding="utf-8"), name, default_network=name)


@functools.lru_cache(maxsize=1)
def _all_bundled() -> GroundStations:
    out = None
    for name in CATALOGS:
        cat = load_catalog(name)
        out = cat if out is None else out + cat
    return GroundStations(out.names, out.networks, out.lat_rad, out.lon_rad, out.alt_m,
                          out.min_elevation_rad, out.masks, "bundled catalogs", out.antennas)


_LATLON = re.compile(r"^\s*[-+]?[\d.]+(?:e[-+]?\d+)?\s*,")


def parse_station(text: str, search: GroundStations | None = None) -> GroundStations:
    """The CLI's ``--station``: ``NAME``, ``CATALOG:NAME`` or ``LAT,LON[,ALT_M]`` (degrees, metres).

    Names are looked up in ``search`` (if given) and then in every bundled
    catalog, ignoring case, accents and punctuation; an unknown name raises
    :class:`~orbitlink.errors.StationError` suggesting close names.
    """
    text = str(text).strip()
    if not text:
        raise StationError(f"station: empty value ({STATION_FORM})")
    if _LATLON.match(text):
        parts = [p.strip() for p in text.split(",")]
        if len(parts) not in (2, 3):
            raise StationError(f"station: cannot read {text!r} ({STATION_FORM})")
        try:
            nums = [float(p) for p in parts]
        except ValueError:
            raise StationError(f"station: cannot read {text!r} ({STATION_FORM})") from None
        lat, lon = nums[0], nums[1]
        alt = nums[2] if len(nums) == 3 else 0.0
        _check_lat(lat, "station: ")
        _check_lon(lon, "station: ")
        _check_alt(alt, "station: ")
        return ground_station(lat * u.deg, lon * u.deg, alt * u.m, name=text.replace(" ", ""))
    catalog, sep, name = text.partition(":")
    if sep and catalog in CATALOGS:
        cat = load_catalog(catalog)
        return cat.select([cat.names[cat.index(name)]])
    pools = ([search] if search is not None and len(search) else []) + [_all_bundled()]
    for pool in pools:
        try:
            g = pool.index(text)
        except StationError:
            continue
        return pool.select([g])
    names = sum((p.names for p in pools), ())
    raise _unknown(text, names)


def _check_same_station(name: str, a: "GroundStations", i: int, b: "GroundStations", j: int) -> None:
    """A name given twice must be the same place (a catalog station also named by --station);
    two different stations under one name (two files) would silently lose one."""
    same = (abs(a.lat_rad[i] - b.lat_rad[j]) < 1e-9 and abs(a.lon_rad[i] - b.lon_rad[j]) < 1e-9
            and abs(a.alt_m[i] - b.alt_m[j]) < 1e-3)
    if not same:
        raise StationError(f"stations: the name {name!r} is used by two different stations "
                           f"({a.source or 'the command line'} and {b.source or 'the command line'}); "
                           "rename one (names must be unique)")


def resolve_stations(station: tuple[str, ...] | list[str] = (),
                     stations: tuple[str, ...] | list[str] = ()) -> GroundStations:
    """The stations named by ``--station`` (each a spec) and ``--stations`` (catalogs or files).

    Duplicates (same name) are kept once, in the order given.
    """
    for label, value in (("station", station), ("stations", stations)):
        if isinstance(value, (str, bytes)):
            raise StationError(f"{label}: expected a list of names or specs, not one string "
                               f"(write [{value!r}])")
    sets = []
    for item in stations:
        item = str(item).strip()
        if item in CATALOGS:
            sets.append(load_catalog(item))
        elif os.path.exists(item) or os.sep in item or "." in os.path.basename(item):
            sets.append(load_stations(item))
        else:
            close = difflib.get_close_matches(item, CATALOGS, n=2)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise StationError(f"stations: {item!r} is neither a catalog nor a file{hint} "
                               f"(one of {', '.join(CATALOGS)}, or a CSV/GeoJSON path)")
    pool = None
    for s in sets:
        pool = s if pool is None else pool + s
    for spec in station:
        one = parse_station(spec, pool)
        sets.append(one)
    if not sets:
        raise StationError("station: no station given (use --station NAME|LAT,LON[,ALT_M] or --stations CATALOG|FILE)")
    return union_stations(sets)


def union_stations(sets) -> GroundStations:
    """The stations of ``sets`` in order, each name once; a name given for two different
    places is a StationError (the same place twice is kept once)."""
    seen, keep = {}, []
    for s in sets:
        for g, name in enumerate(s.names):
            if name not in seen:
                seen[name] = (s, g)
                keep.append((s, g))
            else:
                _check_same_station(name, *seen[name], s, g)
    if len(sets) == 1 and len(keep) == len(sets[0]):
        return sets[0]
    parts = [s.select([g]) for s, g in keep]
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out
