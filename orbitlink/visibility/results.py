"""The result classes of the visibility analyses: passes, contact statistics, coverage maps.

Frozen dataclasses holding SI arrays (times as seconds from ``start``),
with astropy ``Time``/``Quantity`` properties, ``to_dict()`` whose keys carry
units (``duration_s``, ``max_elevation_deg``; times as ISO 8601 UTC strings
ending in ``Z``, formatted by :func:`orbitlink.times.iso_utc`) and
``to_pandas()`` where a table makes sense.  Built by
:mod:`orbitlink.visibility`; kept apart so the searches and the records they
return can be read separately.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import astropy.units as u
import numpy as np
from astropy.time import Time

from ..constants import DAY_S
from ..errors import OrbitlinkError, QuantityError
from ..report import rounded
from ..stations import GroundStations
from ..times import iso_utc, utc_times
from .pass_geometry import PassGeometry

__all__ = ["PASS_BYTES", "ContactStatistics", "CoverageMap", "Pass", "Passes", "check_pass_table_size",
           "expected_passes"]

# Carriers accepted for Doppler: VLF radio to near-ultraviolet optical.
FREQUENCY_MIN = 1 * u.kHz
FREQUENCY_MAX = 1000 * u.THz



# --- passes -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Pass:
    """One pass of one satellite over one station."""

    satellite: str
    station: str
    aos: Time
    tca: Time
    los: Time
    max_elevation: u.Quantity
    aos_cut: bool
    los_cut: bool
    # Operator geometry (see :mod:`orbitlink.visibility.pass_geometry`): the keys of
    # :meth:`to_dict` beyond the times, e.g. ``tca_azimuth_deg``, ``tca_range_km`` and, with
    # a frequency, ``aos_doppler_hz`` ... ``max_doppler_rate_hz_s``.
    geometry: dict | None = None

    def __repr__(self) -> str:
        # One line: the dataclass repr printed three astropy Time reprs and the geometry dict (600+ chars).
        from ..notebook import span_text

        g = self.geometry or {}
        cut = "".join(f", cut at {w}" for w, c in (("AOS", self.aos_cut), ("LOS", self.los_cut)) if c)
        extra = "" if "tca_range_km" not in g else \
            f", TCA azimuth {g['tca_azimuth_deg']:.1f} deg, range {g['tca_range_km']:.1f} km"
        return (f"Pass({self.satellite!r} over {self.station!r}, {span_text(self.aos, self.los)}, "
                f"{self.duration.to_value(u.s):.1f} s, max elevation {self.max_elevation.to_value(u.deg):.1f} deg"
                f"{extra}{cut})")

    @property
    def duration(self) -> u.Quantity:
        return (self.los - self.aos).to(u.s)

    def to_dict(self) -> dict:
        aos, tca, los = iso_utc(self.aos, (Time([self.aos, self.tca, self.los]) - self.aos).sec)
        return {"satellite": self.satellite, "station": self.station, "aos": aos, "tca": tca,
                "los": los, "max_elevation_deg": round(float(self.max_elevation.to_value(u.deg)), 4),
                "duration_s": round(float(self.duration.to_value(u.s)), 3),
                "aos_cut": bool(self.aos_cut), "los_cut": bool(self.los_cut), **(self.geometry or {})}


@dataclass(frozen=True, eq=False)
class Passes:
    """All passes of a run, as parallel arrays sorted by AOS (then satellite, station).

    Times are kept as seconds from ``start`` (``*_s``, float64) and exposed as
    astropy ``Time`` by :attr:`aos`, :attr:`tca` and :attr:`los`.
    """

    satellites: tuple[str, ...]
    stations: GroundStations
    sat_index: np.ndarray
    station_index: np.ndarray
    aos_s: np.ndarray
    tca_s: np.ndarray
    los_s: np.ndarray
    max_elevation_rad: np.ndarray
    aos_cut: np.ndarray
    los_cut: np.ndarray
    start: Time
    window_s: float
    step_s: float
    scan_step_s: float
    min_elevation_rad: np.ndarray
    search: dict
    geometry: PassGeometry | None = None

    def __len__(self) -> int:
        return int(self.aos_s.size)

    def __repr__(self) -> str:
        # A few lines for notebooks, not every array of a million passes.
        from ..notebook import count_text, span_text

        head = (f"Passes({count_text(len(self), 'pass', 'passes')} of {count_text(len(self.satellites), 'satellite')} over "
                f"{count_text(len(self.stations), 'station')}, {span_text(self.start, self.end)}")
        extra = "" if self.frequency is None else f", Doppler at {self.geometry.frequency_hz / 1e9:g} GHz"
        if not len(self):
            return head + extra + ")"
        first = self[0]
        return (head + extra + f"; first: {first.satellite} over {first.station} at "
                f"{first.aos.utc.isot[:19]}Z, max elevation {first.max_elevation.to_value(u.deg):.1f} deg)")

    def __getitem__(self, i: int) -> Pass:
        i = range(len(self))[i]
        t = utc_times(self.start, [self.aos_s[i], self.tca_s[i], self.los_s[i]])
        columns = self.geometry_columns(slice(i, i + 1))
        return Pass(self.satellites[self.sat_index[i]], self.stations.names[self.station_index[i]],
                    t[0], t[1], t[2], math.degrees(self.max_elevation_rad[i]) * u.deg,
                    bool(self.aos_cut[i]), bool(self.los_cut[i]),
                    {k: col[0] for k, col in columns.items()} if columns else None)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def aos(self) -> Time:
        return utc_times(self.start, self.aos_s)

    @property
    def tca(self) -> Time:
        return utc_times(self.start, self.tca_s)

    @property
    def los(self) -> Time:
        return utc_times(self.start, self.los_s)

    @property
    def max_elevation(self) -> u.Quantity:
        return np.degrees(self.max_elevation_rad) * u.deg

    @property
    def duration_s(self) -> np.ndarray:
        return self.los_s - self.aos_s

    @property
    def duration(self) -> u.Quantity:
        return self.duration_s * u.s

    @property
    def end(self) -> Time:
        return utc_times(self.start, self.window_s)

    def select(self, mask) -> "Passes":
        """The passes where ``mask`` (bool array or indices) holds."""
        f = lambda a: a[mask]  # noqa: E731
        return Passes(self.satellites, self.stations, f(self.sat_index), f(self.station_index),
                      f(self.aos_s), f(self.tca_s), f(self.los_s), f(self.max_elevation_rad),
                      f(self.aos_cut), f(self.los_cut), self.start, self.window_s, self.step_s,
                      self.scan_step_s, self.min_elevation_rad, self.search,
                      None if self.geometry is None else self.geometry.take(mask))

    def with_frequency(self, frequency) -> "Passes":
        """The same passes with Doppler reported for a carrier ``frequency`` (``"8.2GHz"``,
        a Quantity; None removes it): Doppler needs only the range rates and range
        accelerations found with the passes, so no search is repeated."""
        from ..units import to_si

        g = self._geometry()
        f = None if frequency is None else to_si(frequency, "frequency", "frequency", lo=FREQUENCY_MIN,
                                                 hi=FREQUENCY_MAX)
        # To the millihertz: 8.2 GHz reads back as 8200000000.0, not 8199999999.999999.
        return dataclasses.replace(self, geometry=g.with_frequency(None if f is None else round(f, 3)))

    @property
    def frequency(self) -> u.Quantity | None:
        """The carrier the Doppler shifts are for (None when none was given)."""
        g = self.geometry
        return None if g is None or g.frequency_hz is None else g.frequency_hz * u.Hz

    def azimuth(self, which: str = "tca") -> u.Quantity:
        """Azimuth (from north through east) at ``"aos"``, ``"tca"`` or ``"los"``."""
        return np.degrees(getattr(self._geometry(), f"{which}_azimuth_rad")) * u.deg

    @property
    def tca_range(self) -> u.Quantity:
        """Slant range station-satellite at TCA."""
        return self._geometry().tca_range_m * u.m

    def range_rate(self, which: str = "tca") -> u.Quantity:
        """Range rate at ``"aos"``, ``"tca"`` or ``"los"`` (positive when receding)."""
        return getattr(self._geometry(), f"{which}_range_rate_m_s") * (u.m / u.s)

    def doppler(self, which: str = "tca") -> u.Quantity:
        """Doppler shift of :attr:`frequency` at ``"aos"``, ``"tca"`` or ``"los"`` (``-f rdot / c``)."""
        return self._doppler_geometry().doppler_hz(which) * u.Hz

    @property
    def max_doppler_rate(self) -> u.Quantity:
        """Largest |d Doppler / dt| over each pass (at TCA, see :mod:`.pass_geometry`)."""
        return self._doppler_geometry().max_doppler_rate_hz_s * (u.Hz / u.s)

    def _geometry(self) -> PassGeometry:
        if self.geometry is None:
            raise OrbitlinkError("geometry: these passes carry no azimuths or ranges (find_passes computes them)")
        return self.geometry

    def _doppler_geometry(self) -> PassGeometry:
        g = self._geometry()
        if g.frequency_hz is None:
            raise QuantityError("frequency: no carrier was given, so no Doppler (find_passes(..., frequency=\"8.2GHz\"))")
        return g

    def geometry_columns(self, index=slice(None)) -> dict:
        """The geometry columns of :meth:`rows` for the passes at ``index``, as lists of rounded
        floats ({} without geometry): azimuths in deg to 1e-4, range in km to 0.1 m, Doppler in
        Hz to 1 mHz, Doppler rate in Hz/s to 1e-4."""
        return {key: [round(x, digits) for x in values.tolist()]
                for key, (values, digits) in self.geometry_values(index).items()}

    def geometry_values(self, index=slice(None)) -> dict:
        """``{key: (float64 array, decimals)}``: :meth:`geometry_columns` before rounding (the
        table writers of :mod:`orbitlink.export.tables` round them in bulk, to the same text)."""
        g = self.geometry
        if g is None:
            return {}
        g = g.take(index)

        def col(values, digits):
            return np.asarray(values, dtype=np.float64), digits

        out = {"aos_azimuth_deg": col(np.degrees(g.aos_azimuth_rad), 4),
               "tca_azimuth_deg": col(np.degrees(g.tca_azimuth_rad), 4),
               "los_azimuth_deg": col(np.degrees(g.los_azimuth_rad), 4),
               "tca_range_km": col(g.tca_range_m / 1e3, 4)}
        if g.frequency_hz is not None:
            for which in ("aos", "tca", "los"):
                out[f"{which}_doppler_hz"] = col(g.doppler_hz(which), 3)
            out["max_doppler_rate_hz_s"] = col(g.max_doppler_rate_hz_s, 4)
        return out

    def for_pair(self, satellite, station) -> "Passes":
        """Passes of one satellite (name or index) over one station (name or index)."""
        s = self.satellites.index(satellite) if isinstance(satellite, str) else int(satellite)
        g = self.stations.index(station) if isinstance(station, str) else int(station)
        return self.select((self.sat_index == s) & (self.station_index == g))

    def rows(self) -> list[dict]:
        """One dict per pass (the ``passes`` list of :meth:`to_dict`)."""
        if not len(self):
            return []
        iso_a = iso_utc(self.start, self.aos_s)
        iso_t = iso_utc(self.start, self.tca_s)
        iso_l = iso_utc(self.start, self.los_s)
        el = np.degrees(self.max_elevation_rad)
        dur = self.duration_s
        sat, sta = self.satellites, self.stations.names
        geometry = self.geometry_columns()
        return [{"satellite": sat[self.sat_index[i]], "station": sta[self.station_index[i]],
                 "aos": iso_a[i], "tca": iso_t[i], "los": iso_l[i],
                 "max_elevation_deg": round(float(el[i]), 4), "duration_s": round(float(dur[i]), 3),
                 "aos_cut": bool(self.aos_cut[i]), "los_cut": bool(self.los_cut[i]),
                 **{k: col[i] for k, col in geometry.items()}}
                for i in range(len(self))]

    def to_dict(self) -> dict:
        """Every pass (``passes``, :meth:`rows`) with :meth:`summary_dict`'s keys; for millions of
        passes :func:`orbitlink.export.tables.write_passes_json` writes the same JSON block by block."""
        return {"passes": self.rows(), **self.summary_dict()}

    def summary_dict(self) -> dict:
        """:meth:`to_dict` without the ``passes`` list: count, satellites, stations, window,
        minimum elevations and frequency."""
        start, end = iso_utc(self.start, [0.0, self.window_s])
        floors = np.degrees(self.min_elevation_rad)
        return {
            "count": len(self),
            "satellites": len(self.satellites),
            "stations": list(self.stations.names),
            "window": {"start": start, "end": end, "duration_s": round(self.window_s, 3),
                       "step_s": self.step_s, "scan_step_s": self.scan_step_s},
            "min_elevation_deg": {n: round(float(e), 6) for n, e in zip(self.stations.names, floors)},
            **({} if self.frequency is None else {"frequency_hz": float(self.geometry.frequency_hz)}),
        }

    def to_pandas(self):
        """One row per pass: the columns of :meth:`rows`, with AOS/TCA/LOS as UTC timestamps
        (``pandas.Timestamp``, tz-aware) instead of strings; needs ``orbitlink[pandas]``."""
        from ..notebook import require_pandas

        pd = require_pandas("Passes.to_pandas()")
        sat = np.asarray(self.satellites, dtype=object)
        sta = np.asarray(self.stations.names, dtype=object)
        columns = {"satellite": sat[self.sat_index] if len(self) else sat[:0],
                   "station": sta[self.station_index] if len(self) else sta[:0]}
        for key, seconds in (("aos", self.aos_s), ("tca", self.tca_s), ("los", self.los_s)):
            columns[key] = pd.to_datetime(iso_utc(self.start, seconds), utc=True, format="ISO8601")
        columns.update({"max_elevation_deg": np.degrees(self.max_elevation_rad), "duration_s": self.duration_s,
                        "aos_cut": self.aos_cut.astype(bool), "los_cut": self.los_cut.astype(bool)})
        for key, values in self.geometry_columns().items():
            columns[key] = np.asarray(values, dtype=np.float64)
        return pd.DataFrame(columns)


# --- merging chunk tables in bounded memory ------------------------------------------------------

_PASS_COLUMNS = ("aos_s", "tca_s", "los_s", "max_elevation_rad", "aos_cut", "los_cut")
_MERGE_COUNTERS = ("pair_intervals", "scanned_intervals", "scan_samples", "grazing_passes")


def merge_chunk_passes(parts: list) -> Passes:
    """One :class:`Passes` from the tables of consecutive satellite chunks: the same order and
    values as :func:`orbitlink.scale.merge_passes` (AOS, then satellite, then station; tested),
    holding the table about once.  ``parts`` is emptied, and each chunk column is released as
    soon as its merged column is built; ``merge_passes`` keeps every chunk table alive while it
    builds the merged one (and sorts twice), so a 5-million-pass day held both tables at once."""
    if not parts:
        raise ValueError("merge_chunk_passes: no tables to merge")
    first = parts[0]
    meta = dict(satellites=sum((p.satellites for p in parts), ()), stations=first.stations,
                start=first.start, window_s=first.window_s, step_s=first.step_s,
                scan_step_s=first.scan_step_s, min_elevation_rad=first.min_elevation_rad)
    search = dict(first.search)
    for key in _MERGE_COUNTERS:
        if key in search:
            search[key] = sum(p.search[key] for p in parts)
    offsets = np.cumsum([0] + [len(p.satellites) for p in parts[:-1]])
    sat = np.concatenate([p.sat_index + off for p, off in zip(parts, offsets)])
    station = np.concatenate([p.station_index for p in parts])
    columns = {name: [getattr(p, name) for p in parts] for name in _PASS_COLUMNS}
    geometry = None if any(p.geometry is None for p in parts) else first.geometry
    geometry_columns = {}
    if geometry is not None:
        names = [f.name for f in dataclasses.fields(geometry) if f.name != "frequency_hz"]
        geometry_columns = {name: [getattr(p.geometry, name) for p in parts] for name in names}
    parts.clear()                  # the column lists now hold the chunks' only references
    del first

    order = np.lexsort((station, sat, np.concatenate(columns["aos_s"])))
    sat, station = sat[order], station[order]

    def merged(lists: dict, name: str):
        out = np.concatenate(lists[name])[order]
        lists[name] = None         # this column of every chunk is released now
        return out

    out = {name: merged(columns, name) for name in _PASS_COLUMNS}
    if geometry is not None:
        geometry = type(geometry)(**{name: merged(geometry_columns, name) for name in list(geometry_columns)},
                                  frequency_hz=geometry.frequency_hz)
    return Passes(sat_index=sat, station_index=station, search=search, geometry=geometry, **out, **meta)


# --- size of a pass table, from the spec ---------------------------------------------------------

# Bytes a run holds per pass: the table (indices, AOS/TCA/LOS, elevation, cuts: 50 B; azimuths,
# range, range rates and accelerations: 64 B; measured on a Walker-over-gateways table), its
# copy while the chunks' tables are merged and sorted, and the sort order.
PASS_BYTES = 256


def expected_passes(mean_motion_rad_s, altitude_m, min_elevation_rad, duration_s: float) -> float:
    """How many passes ``satellites`` x ``stations`` make in ``duration_s``, on average over the
    sphere: a satellite's ground track is (nearly) a great circle per revolution, and a random
    great circle comes within the Earth central angle ``lambda`` of a station with probability
    ``sin(lambda)``, where ``cos(lambda + el) = R cos(el) / (R + h)`` for a minimum elevation ``el``.
    One array per satellite (``mean_motion_rad_s``, ``altitude_m``) and one per station
    (``min_elevation_rad``); altitudes are grouped by 10 km and elevations by 0.1 deg, so the
    work is small whatever the counts.  An estimate: stations near the inclination's latitude
    see up to 3-4 times more (a 53 deg shell over the Starlink gateways), polar ones of an
    equatorial shell none."""
    from ..constants import R_EARTH_M

    n = np.asarray(mean_motion_rad_s, dtype=np.float64)
    h = np.clip(np.asarray(altitude_m, dtype=np.float64), 1.0, None)
    el = np.asarray(min_elevation_rad, dtype=np.float64)
    revs = n * float(duration_s) / (2.0 * math.pi) + 1.0
    h_keys, h_inverse = np.unique(np.round(h / 1e4), return_inverse=True)
    revs_by_h = np.bincount(h_inverse.ravel(), weights=revs)
    el_keys, el_count = np.unique(np.round(np.degrees(el), 1), return_counts=True)
    hh = np.maximum(h_keys * 1e4, 1.0)[:, None]
    ee = np.radians(el_keys)[None, :]
    lam = np.arccos(np.clip(R_EARTH_M * np.cos(ee) / (R_EARTH_M + hh), -1.0, 1.0)) - ee
    return float(np.sum(revs_by_h[:, None] * np.sin(np.clip(lam, 0.0, None)) * el_count[None, :]))


def source_motion(source) -> tuple[np.ndarray, np.ndarray]:
    """``(mean motion rad/s, altitude m)`` per satellite of an OrbitSet (semi-major axis) or an
    ElementSet (SGP4 mean motion), without propagating."""
    from ..constants import MU_EARTH_M3_S2, R_EARTH_M

    if hasattr(source, "a_m"):
        a = np.asarray(source.a_m, dtype=np.float64)
        return np.sqrt(MU_EARTH_M3_S2 / a**3), a - R_EARTH_M
    n = np.array([sat.no_kozai for sat in source.satrecs], dtype=np.float64) / 60.0   # rad/min -> rad/s
    n = np.clip(n, 1e-9, None)
    return n, np.cbrt(MU_EARTH_M3_S2 / n**2) - R_EARTH_M


def check_pass_table_size(source, stations: GroundStations, duration_s: float, min_elevation=None,
                          limit_bytes: int | None = None) -> int:
    """The bytes the pass table of ``source`` over ``stations`` for ``duration_s`` is expected
    to need (:func:`expected_passes` x :data:`PASS_BYTES`); a :class:`TimeGridError` naming the
    estimate and what shrinks it when over ``limit_bytes`` (default the track limit, 8 GiB)."""
    from ..errors import TimeGridError
    from ..times import MAX_TRACK_BYTES

    limit = MAX_TRACK_BYTES if limit_bytes is None else limit_bytes
    n, h = source_motion(source)
    count = expected_passes(n, h, stations.min_elevation_for(min_elevation), duration_s)
    need = int(count * PASS_BYTES)
    if need > limit:
        raise TimeGridError(
            f"duration: {len(source):,} satellites x {len(stations):,} stations over {duration_s / DAY_S:,.4g} d "
            f"make about {_count_text(count)} passes, whose table needs about {need / 2**30:,.1f} GiB "
            f"({PASS_BYTES} bytes per pass; limit {limit / 2**30:.0f} GiB); use a shorter --duration, fewer "
            "stations or satellites, or a higher --min-elevation (--dask does not help: the tables are "
            "merged in one process)")
    return need


def _count_text(count: float) -> str:
    """An estimate to 3 significant figures: ``994 million``, ``12,300``."""
    if count >= 1e6:
        return f"{float(f'{count / 1e6:.3g}'):,g} million"
    return f"{float(f'{count:.3g}'):,.0f}"


# --- contact statistics ---------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ContactStatistics:
    """Contact time, revisit gaps and network coverage of a set of passes.

    Per station: ``station_contact_s`` sums pass durations (two satellites in
    view at once count twice: antenna-time demand); ``station_busy_s`` is the
    time at least one satellite is in view.  Per satellite:
    ``satellite_contact_s`` is the time at least one station sees it,
    ``satellite_gap_mean_s``/``satellite_gap_max_s`` the gaps between those
    contacts (edge gaps included: a lower bound of the true gap).  Network
    coverage is the mean over satellites of ``contact / window``.
    """

    satellites: tuple[str, ...]
    stations: tuple[str, ...]
    window_s: float
    station_passes: np.ndarray
    station_contact_s: np.ndarray
    station_busy_s: np.ndarray
    satellite_passes: np.ndarray
    satellite_contact_s: np.ndarray
    satellite_gap_count: np.ndarray
    satellite_gap_mean_s: np.ndarray
    satellite_gap_max_s: np.ndarray

    @property
    def days(self) -> float:
        return self.window_s / DAY_S

    @property
    def satellite_coverage_fraction(self) -> np.ndarray:
        return self.satellite_contact_s / self.window_s if self.window_s > 0 else np.zeros(len(self.satellites))

    @property
    def network_coverage_fraction(self) -> float:
        """Mean over satellites of the fraction of time at least one station sees it."""
        return float(np.mean(self.satellite_coverage_fraction)) if self.satellites else 0.0

    @property
    def max_gap(self) -> u.Quantity:
        return float(np.max(self.satellite_gap_max_s, initial=0.0)) * u.s

    @property
    def contact_per_day(self) -> u.Quantity:
        """Per-satellite contact time per day (s/day)."""
        return self.satellite_contact_s / max(self.days, 1e-12) * u.s / u.day

    def __repr__(self) -> str:
        from ..notebook import count_text

        return (f"ContactStatistics({count_text(len(self.satellites), 'satellite')}, "
                f"{count_text(len(self.stations), 'station')}, "
                f"{self.days:g} d: network coverage {100 * self.network_coverage_fraction:.2f} %, "
                f"longest gap {self.max_gap.to_value(u.min):.1f} min)")

    def to_pandas(self, by: str = "satellite"):
        """One row per satellite (``by="satellite"``: passes, contact s/day, coverage fraction,
        mean and longest gap) or per station (``by="station"``: passes, passes/day, contact
        s/day, busy fraction); needs ``orbitlink[pandas]``."""
        from ..errors import QuantityError
        from ..notebook import require_pandas

        if by not in ("satellite", "station"):
            raise QuantityError(f"by: {by!r} is not 'satellite' or 'station'")
        pd = require_pandas("ContactStatistics.to_pandas()")
        d = max(self.days, 1e-12)
        if by == "station":
            busy = self.station_busy_s / self.window_s if self.window_s else np.zeros(len(self.stations))
            return pd.DataFrame({"station": list(self.stations), "passes": self.station_passes,
                                 "passes_per_day": self.station_passes / d,
                                 "contact_s_per_day": self.station_contact_s / d, "busy_fraction": busy})
        return pd.DataFrame({"satellite": list(self.satellites), "passes": self.satellite_passes,
                             "contact_s_per_day": self.satellite_contact_s / d,
                             "coverage_fraction": self.satellite_coverage_fraction,
                             "gap_mean_s": self.satellite_gap_mean_s, "gap_max_s": self.satellite_gap_max_s})

    def to_dict(self) -> dict:
        d = max(self.days, 1e-12)
        def r3(x):
            return rounded(x, 3)

        def r6(x):
            return rounded(x, 6)

        return {
            "window_s": r3(self.window_s),
            "network": {
                "coverage_fraction": r6(self.network_coverage_fraction),
                "gap_max_s": r3(np.max(self.satellite_gap_max_s, initial=0.0)),
                "gap_mean_s": r3(np.mean(self.satellite_gap_mean_s)) if self.satellites else 0.0,
                "contact_s_per_day": r3(np.sum(self.satellite_contact_s) / d),
                "passes": int(np.sum(self.station_passes)),
            },
            "stations": [{"station": n, "passes": int(self.station_passes[g]),
                          "passes_per_day": r3(self.station_passes[g] / d),
                          "contact_s_per_day": r3(self.station_contact_s[g] / d),
                          "busy_fraction": r6(self.station_busy_s[g] / self.window_s) if self.window_s else 0.0}
                         for g, n in enumerate(self.stations)],
            "satellites": [{"satellite": n, "passes": int(self.satellite_passes[s]),
                            "contact_s_per_day": r3(self.satellite_contact_s[s] / d),
                            "coverage_fraction": r6(self.satellite_coverage_fraction[s]),
                            "gap_mean_s": r3(self.satellite_gap_mean_s[s]),
                            "gap_max_s": r3(self.satellite_gap_max_s[s])}
                           for s, n in enumerate(self.satellites)],
        }


# --- coverage maps ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class CoverageMap:
    """Fraction of time samples at which each ground cell sees at least one satellite.

    Cells are ``resolution`` x ``resolution`` degrees; ``lat_deg``/``lon_deg``
    are their centres and ``fraction`` is (n_lat, n_lon).  The statistic is
    evaluated at the cell centres, on the track's time samples.
    """

    lat_deg: np.ndarray
    lon_deg: np.ndarray
    fraction: np.ndarray
    resolution_deg: float
    min_elevation_deg: float
    samples: int
    n_satellites: int
    start: Time
    window_s: float
    step_s: float

    def __repr__(self) -> str:
        # A few lines for notebooks, not the whole grid.
        from ..notebook import count_text, span_text

        return (f"CoverageMap({self.lat_deg.size} x {self.lon_deg.size} cells of {self.resolution_deg:g} deg, "
                f"{count_text(self.n_satellites, 'satellite')}, min elevation {self.min_elevation_deg:g} deg, "
                f"{count_text(self.samples, 'sample')} over {span_text(self.start, utc_times(self.start, self.window_s))}: "
                f"mean {100 * self.mean_fraction:.2f} % (area-weighted), never covered "
                f"{100 * (1 - self.area_fraction_at_least(1e-12)):.2f} % of the area)")

    def to_pandas(self):
        """One row per cell: ``lat_deg``, ``lon_deg`` (centres) and ``fraction``; needs ``orbitlink[pandas]``."""
        from ..notebook import require_pandas

        pd = require_pandas("CoverageMap.to_pandas()")
        lat, lon = np.meshgrid(self.lat_deg, self.lon_deg, indexing="ij")
        return pd.DataFrame({"lat_deg": lat.ravel(), "lon_deg": lon.ravel(),
                             "fraction": np.asarray(self.fraction, dtype=np.float64).ravel()})

    @property
    def mean_fraction(self) -> float:
        """Area-weighted mean over the globe (cell areas ~ cos(latitude))."""
        w = np.cos(np.radians(self.lat_deg))[:, None] * np.ones_like(self.fraction)
        return float(np.sum(self.fraction * w) / np.sum(w))

    def area_fraction_at_least(self, level: float) -> float:
        """Fraction of the Earth's surface whose coverage is at least ``level``."""
        w = np.cos(np.radians(self.lat_deg))[:, None] * np.ones_like(self.fraction)
        return float(np.sum(w * (self.fraction >= level)) / np.sum(w))

    def to_dict(self, cells: bool = False) -> dict:
        start, end = iso_utc(self.start, [0.0, self.window_s])
        out = {
            "coverage": {
                "mean_fraction": round(self.mean_fraction, 6),
                "min_fraction": round(float(self.fraction.min()), 6),
                "max_fraction": round(float(self.fraction.max()), 6),
                "area_fraction_always": round(self.area_fraction_at_least(1.0), 6),
                "area_fraction_never": round(1.0 - self.area_fraction_at_least(1e-12), 6),
            },
            "grid": {"resolution_deg": self.resolution_deg, "n_lat": int(self.lat_deg.size),
                     "n_lon": int(self.lon_deg.size)},
            "min_elevation_deg": self.min_elevation_deg,
            "satellites": self.n_satellites,
            "window": {"start": start, "end": end, "step_s": self.step_s, "samples": self.samples},
        }
        if cells:
            out["cells"] = [{"lat_deg": float(la), "lon_deg": float(lo), "fraction": round(float(f), 6)}
                            for i, la in enumerate(self.lat_deg)
                            for lo, f in zip(self.lon_deg, self.fraction[i])]
        return out

    def to_geojson(self, footprints: dict | None = None) -> dict:
        """Cells as Polygon features with ``coverage_fraction``; optional footprint features appended."""
        from shapely.geometry import box, mapping

        h = self.resolution_deg / 2.0
        feats = []
        for i, la in enumerate(self.lat_deg):
            for j, lo in enumerate(self.lon_deg):
                geom = box(lo - h, max(-90.0, la - h), lo + h, min(90.0, la + h))
                feats.append({"type": "Feature", "geometry": mapping(geom),
                              "properties": {"coverage_fraction": round(float(self.fraction[i, j]), 6)}})
        if footprints:
            feats.extend(footprints.get("features", []))
        return {"type": "FeatureCollection", "features": feats,
                "properties": self.to_dict()["coverage"] | {"min_elevation_deg": self.min_elevation_deg}}
