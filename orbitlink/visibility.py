"""Ground-station visibility: passes, contact statistics and coverage maps.

Every function takes a :class:`~orbitlink.track.Track` (any propagator) and a
:class:`~orbitlink.stations.GroundStations`; results are frozen dataclasses
with astropy ``Time``/``Quantity`` properties and ``.to_dict()`` whose keys
carry units (``duration_s``, ``max_elevation_deg``).  The numerical work is in
:mod:`orbitlink.core.visibility` (SI float64 arrays, no Python loops over
satellite-station pairs).

Definitions used throughout:

- a station *sees* a satellite when its elevation above the station's WGS-84
  horizon is at or above ``max(min_elevation, mask(azimuth))`` (no
  atmospheric refraction, like skyfield's ``find_events``);
- **AOS**/**LOS** are the times the elevation crosses that threshold, refined
  on the interpolated trajectory to well under a millisecond of the
  threshold crossing (the search samples every ``scan_step``, default the
  track step);
- **TCA** is the time of maximum elevation (for near-circular orbits it is
  within a fraction of a second of the closest approach);
- a pass that is already in progress at the start of the window or still in
  progress at its end is kept, with ``aos_cut``/``los_cut`` set and AOS/LOS
  at the window edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import astropy.units as u
import numpy as np
from astropy.time import Time

from .constants import DAY_S
from .core import visibility as kern
from .errors import OrbitlinkError, StationError
from .quantities import QuantityLike, count, to_si
from .stations import GroundStations
from .times import iso_utc, utc_times
from .track import Track

__all__ = [
    "Pass",
    "Passes",
    "ContactStatistics",
    "CoverageMap",
    "find_passes",
    "contact_statistics",
    "coverage_map",
    "look_angles",
    "footprint_half_angle",
    "footprint_polygon",
    "satellite_footprints",
]



_times = utc_times  # start + seconds, as UTC Time (orbitlink.times)


def _iso(t: Time) -> list[str]:
    t = t.utc
    t.precision = 3
    return [s + "Z" for s in np.atleast_1d(t.isot)]


def check_stations(stations) -> None:
    """Raise :class:`~orbitlink.errors.StationError` unless ``stations`` is a non-empty
    :class:`~orbitlink.stations.GroundStations`."""
    if not isinstance(stations, GroundStations):
        raise StationError("stations: expected GroundStations (orbitlink.stations)")
    if len(stations) == 0:
        raise StationError("stations: no station given")


def _sites(track: Track, stations: GroundStations, min_elevation) -> kern.Sites:
    check_stations(stations)
    floor, table = stations.thresholds(min_elevation)
    return kern.Sites.make(stations.itrs_m(), stations.enu(), floor, table)


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

    @property
    def duration(self) -> u.Quantity:
        return (self.los - self.aos).to(u.s)

    def to_dict(self) -> dict:
        aos, tca, los = _iso(Time([self.aos, self.tca, self.los]))
        return {"satellite": self.satellite, "station": self.station, "aos": aos, "tca": tca,
                "los": los, "max_elevation_deg": round(float(self.max_elevation.to_value(u.deg)), 4),
                "duration_s": round(float(self.duration.to_value(u.s)), 3),
                "aos_cut": bool(self.aos_cut), "los_cut": bool(self.los_cut)}


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

    def __len__(self) -> int:
        return int(self.aos_s.size)

    def __getitem__(self, i: int) -> Pass:
        i = range(len(self))[i]
        t = _times(self.start, [self.aos_s[i], self.tca_s[i], self.los_s[i]])
        return Pass(self.satellites[self.sat_index[i]], self.stations.names[self.station_index[i]],
                    t[0], t[1], t[2], math.degrees(self.max_elevation_rad[i]) * u.deg,
                    bool(self.aos_cut[i]), bool(self.los_cut[i]))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def aos(self) -> Time:
        return _times(self.start, self.aos_s)

    @property
    def tca(self) -> Time:
        return _times(self.start, self.tca_s)

    @property
    def los(self) -> Time:
        return _times(self.start, self.los_s)

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
        return _times(self.start, self.window_s)

    def select(self, mask) -> "Passes":
        """The passes where ``mask`` (bool array or indices) holds."""
        f = lambda a: a[mask]  # noqa: E731
        return Passes(self.satellites, self.stations, f(self.sat_index), f(self.station_index),
                      f(self.aos_s), f(self.tca_s), f(self.los_s), f(self.max_elevation_rad),
                      f(self.aos_cut), f(self.los_cut), self.start, self.window_s, self.step_s,
                      self.scan_step_s, self.min_elevation_rad, self.search)

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
        return [{"satellite": sat[self.sat_index[i]], "station": sta[self.station_index[i]],
                 "aos": iso_a[i], "tca": iso_t[i], "los": iso_l[i],
                 "max_elevation_deg": round(float(el[i]), 4), "duration_s": round(float(dur[i]), 3),
                 "aos_cut": bool(self.aos_cut[i]), "los_cut": bool(self.los_cut[i])}
                for i in range(len(self))]

    def to_dict(self) -> dict:
        start, end = iso_utc(self.start, [0.0, self.window_s])
        floors = np.degrees(self.min_elevation_rad)
        return {
            "passes": self.rows(),
            "count": len(self),
            "satellites": len(self.satellites),
            "stations": list(self.stations.names),
            "window": {"start": start, "end": end, "duration_s": round(self.window_s, 3),
                       "step_s": self.step_s, "scan_step_s": self.scan_step_s},
            "min_elevation_deg": {n: round(float(e), 6) for n, e in zip(self.stations.names, floors)},
        }

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(self.rows())


def find_passes(track: Track, stations: GroundStations, *, min_elevation: QuantityLike | None = None,
                scan_step: QuantityLike | None = None, coarse_step: QuantityLike = 60 * u.s,
                workers: int | None = None, timings: dict | None = None) -> Passes:
    """All passes of every satellite of ``track`` over every station.

    ``min_elevation`` (e.g. ``10*u.deg``) overrides each station's own minimum
    (see :meth:`GroundStations.min_elevation_for`); azimuth masks still apply.
    ``scan_step`` is the sampling of the search (default: the track step; a
    divisor of it is filled in by cubic Hermite interpolation of the track's
    positions and velocities, so a track at 60 s can be searched every 10 s).
    AOS, TCA and LOS are then refined on the interpolated trajectory.
    ``workers``: threads searching groups of satellites (default: every core
    for large searches, one thread for small ones); the passes are the same
    whatever the number.
    """
    if track.n_times < 2:
        raise OrbitlinkError("passes: the time grid needs at least two samples (a duration longer than the step)")
    sites = _sites(track, stations, min_elevation)
    step = track.grid.step_s
    scan = None
    if scan_step is not None:
        scan = to_si(scan_step, "time", "scan_step", lo=1e-3 * u.s)
        m = round(step / scan)
        if m < 1 or abs(m * scan - step) > 1e-6 * step:
            raise OrbitlinkError(f"scan_step: {scan:g} s must divide the track step {step:g} s "
                                 "(e.g. 10 s for a 60 s track)")
    coarse = to_si(coarse_step, "time", "coarse_step", lo=1e-3 * u.s)
    if workers is not None:
        workers = count(workers, "workers")
    res = kern.find_passes_parallel(track.r_itrs_m, track.v_itrs_m_s, track.t_s, sites, workers=workers,
                                    scan_step_s=scan, coarse_step_s=coarse, timings=timings)
    t0 = float(track.t_s[0])
    return Passes(tuple(track.names), stations, res.sat, res.station, res.aos_s + t0,
                  res.tca_s + t0, res.los_s + t0, res.max_elevation_rad, res.aos_cut, res.los_cut,
                  track.grid.start, float(track.t_s[-1]), step, res.stats["scan_step_s"],
                  sites.floor_rad.copy(), res.stats)


def look_angles(track: Track, stations: GroundStations):
    """Azimuth, elevation and range of every satellite from every station: (S, G, T) Quantities.

    Memory is S*G*T*24 bytes for the three outputs; for constellation-scale
    questions use :func:`find_passes` or :func:`coverage_map`, which never
    form that cube.
    """
    need = 3 * 8 * track.n_satellites * len(stations) * track.n_times
    if need > 2 * 2**30:
        raise OrbitlinkError(f"look_angles: {need / 2**30:.1f} GiB of output; use find_passes, "
                             "fewer satellites/stations or a shorter grid")
    az, el, rng = kern.look_angles_grid(track.r_itrs_m, stations.itrs_m(), stations.enu())
    return np.degrees(az) * u.deg, np.degrees(el) * u.deg, rng * u.m


# --- contact statistics ---------------------------------------------------------------------

def _merge(group, start, end, n_groups: int, window_s: float):
    """Union of intervals per group: (covered_s, gap_count, gap_mean_s, gap_max_s), each (n_groups,).

    Gaps include the stretch before the first and after the last contact of
    the window (for a satellite never in contact: one gap, the whole window);
    zero-length gaps (touching intervals, passes cut by the window) are not
    counted.
    """
    covered = np.zeros(n_groups)
    gap_n = np.zeros(n_groups, np.int64)
    gap_sum = np.zeros(n_groups)
    gap_max = np.zeros(n_groups)
    if group.size:
        order = np.lexsort((start, group))
        g, a, b = group[order], start[order], end[order]
        # Offsetting each group by more than the window lets one running maximum
        # serve every group at once.
        off = g * (2.0 * window_s + 10.0)
        run = np.maximum.accumulate(b + off)
        prev = np.r_[-np.inf, run[:-1]]
        new = (a + off > prev) | np.r_[True, g[1:] != g[:-1]]
        first = np.flatnonzero(new)
        last = np.r_[first[1:] - 1, g.size - 1]
        mg = g[first]
        ma = a[first]
        mb = run[last] - off[last]
        np.add.at(covered, mg, mb - ma)
        # Gaps: before each merged interval (from the previous one or the window start), and the tail.
        prev_end = np.r_[0.0, mb[:-1]]
        same = np.r_[False, mg[1:] == mg[:-1]]
        prev_end = np.where(same, prev_end, 0.0)
        gaps = np.concatenate([ma - prev_end, window_s - mb[np.r_[mg[1:] != mg[:-1], True]]])
        gg = np.concatenate([mg, mg[np.r_[mg[1:] != mg[:-1], True]]])
        pos = gaps > 1e-9
        np.add.at(gap_n, gg[pos], 1)
        np.add.at(gap_sum, gg[pos], gaps[pos])
        np.maximum.at(gap_max, gg[pos], gaps[pos])
    none = np.ones(n_groups, bool)
    if group.size:
        none[np.unique(group)] = False
    gap_n[none] = 1
    gap_sum[none] = window_s
    gap_max[none] = window_s
    with np.errstate(invalid="ignore"):
        gap_mean = np.where(gap_n > 0, gap_sum / np.maximum(gap_n, 1), 0.0)
    return covered, gap_n, gap_mean, gap_max


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

    def to_dict(self) -> dict:
        d = max(self.days, 1e-12)
        r3 = lambda x: round(float(x), 3)  # noqa: E731
        r6 = lambda x: round(float(x), 6)  # noqa: E731
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


def contact_statistics(passes: Passes) -> ContactStatistics:
    """Contact time per day per station and per satellite, revisit gaps and network coverage."""
    S, G, W = len(passes.satellites), len(passes.stations), passes.window_s
    dur = passes.duration_s
    st_pass = np.bincount(passes.station_index, minlength=G)
    st_contact = np.bincount(passes.station_index, weights=dur, minlength=G)
    st_busy, *_ = _merge(passes.station_index, passes.aos_s, passes.los_s, G, W)
    sat_pass = np.bincount(passes.sat_index, minlength=S)
    sat_cov, gap_n, gap_mean, gap_max = _merge(passes.sat_index, passes.aos_s, passes.los_s, S, W)
    return ContactStatistics(passes.satellites, passes.stations.names, W, st_pass, st_contact,
                             st_busy, sat_pass, sat_cov, gap_n, gap_mean, gap_max)


# --- footprints ------------------------------------------------------------------------------

def footprint_half_angle(altitude_m, min_elevation_rad, radius_m: float = 6_371_008.8) -> np.ndarray:
    """Earth-central half-angle (rad) of the region that sees a satellite at ``altitude_m``
    above ``min_elevation_rad`` (spherical Earth of mean radius ``radius_m``):
    ``acos(R cos(e) / (R + h)) - e``."""
    r = radius_m + np.asarray(altitude_m, float)
    e = np.asarray(min_elevation_rad, float)
    return np.arccos(np.clip(radius_m * np.cos(e) / r, -1.0, 1.0)) - e


def footprint_polygon(lat_deg: float, lon_deg: float, half_angle_rad: float, n: int = 72):
    """A shapely (Multi)Polygon in lon/lat degrees: the spherical cap of ``half_angle_rad``
    around (lat, lon), split at the antimeridian and closed over a pole it contains."""
    from shapely import affinity
    from shapely.geometry import Polygon, box
    from shapely.ops import unary_union

    lat0, lon0, lam = math.radians(lat_deg), math.radians(lon_deg), float(half_angle_rad)
    brg = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    lat = np.arcsin(np.sin(lat0) * np.cos(lam) + np.cos(lat0) * np.sin(lam) * np.cos(brg))
    dlon = np.arctan2(np.sin(brg) * np.sin(lam) * np.cos(lat0), np.cos(lam) - np.sin(lat0) * np.sin(lat))
    lon = np.degrees(lon0 + dlon)
    lat = np.degrees(lat)
    pole = None
    if lam >= math.pi / 2 - lat0 + 1e-12:
        pole = 90.0
    elif lam >= math.pi / 2 + lat0 + 1e-12:
        pole = -90.0
    if pole is not None:
        # The boundary winds once around the pole: unwrap it and close along the pole's edge.
        order = np.argsort(dlon)
        lo = np.degrees(lon0 + dlon[order])
        la = lat[order]
        lo = np.r_[lo[-1] - 360.0, lo, lo[0] + 360.0]
        la = np.r_[la[-1], la, la[0]]
        ring = list(zip(lo, la)) + [(lo[-1], pole), (lo[0], pole)]
        shape = Polygon(ring).buffer(0)
    else:
        shape = Polygon(list(zip(lon, lat))).buffer(0)
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        part = affinity.translate(shape, xoff=shift).intersection(box(-180.0, -90.0, 180.0, 90.0))
        if not part.is_empty:
            pieces.append(part)
    return unary_union(pieces)


def satellite_footprints(track: Track, index: int = 0, min_elevation: QuantityLike = 10 * u.deg) -> dict:
    """GeoJSON FeatureCollection of every satellite's visibility footprint at time sample ``index``."""
    from shapely.geometry import mapping

    e = to_si(min_elevation, "angle", "min_elevation", lo=0 * u.deg, hi=90 * u.deg)
    lat, lon, alt = track.geodetic()
    k = range(track.n_times)[index]
    when = _iso(_times(track.grid.start, track.t_s[k]))[0]
    feats = []
    for s, name in enumerate(track.names):
        if not np.isfinite(lat[s, k]):
            continue
        lam = float(footprint_half_angle(alt[s, k], e))
        poly = footprint_polygon(math.degrees(lat[s, k]), math.degrees(lon[s, k]), lam)
        feats.append({"type": "Feature", "geometry": mapping(poly),
                      "properties": {"satellite": name, "time": when,
                                     "altitude_km": round(float(alt[s, k]) / 1e3, 3),
                                     "min_elevation_deg": round(math.degrees(e), 6),
                                     "half_angle_deg": round(math.degrees(lam), 6)}})
    return {"type": "FeatureCollection", "features": feats}


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


def coverage_map(track: Track, *, resolution: QuantityLike = 5 * u.deg,
                 min_elevation: QuantityLike = 10 * u.deg) -> CoverageMap:
    """Coverage of a ground grid: fraction of the track's time samples at which each cell
    centre sees at least one satellite at or above ``min_elevation``."""
    cells = CoverageGrid.make(resolution, min_elevation)
    counts, samples = cells.counts(track)
    return cells.result(counts, samples, track.n_satellites, track.grid.start, float(track.t_s[-1]),
                        track.grid.step_s)


@dataclass(frozen=True)
class CoverageGrid:
    """The cells of a coverage map and its elevation threshold (validated once)."""

    resolution_deg: float
    min_elevation_rad: float
    lat_deg: np.ndarray
    lon_deg: np.ndarray

    @classmethod
    def make(cls, resolution: QuantityLike, min_elevation: QuantityLike) -> "CoverageGrid":
        res = round(math.degrees(to_si(resolution, "angle", "resolution", lo=0.1 * u.deg, hi=30 * u.deg)), 9)
        e = to_si(min_elevation, "angle", "min_elevation", lo=0 * u.deg, hi=90 * u.deg)
        n_lat = int(round(180.0 / res))
        n_lon = int(round(360.0 / res))
        if abs(n_lat * res - 180.0) > 1e-9 or abs(n_lon * res - 360.0) > 1e-9:
            raise OrbitlinkError(f"resolution: {res:g} deg must divide 180 deg (e.g. 1deg, 2.5deg, 5deg)")
        return cls(res, e, -90.0 + res * (np.arange(n_lat) + 0.5), -180.0 + res * (np.arange(n_lon) + 0.5))

    def counts(self, track: Track, samples: int | None = None) -> tuple[np.ndarray, int]:
        """Per cell (n_lat, n_lon), the number of the track's first ``samples`` time samples
        (default all) at which it sees a satellite; and the number of those samples with a
        valid state."""
        n = track.n_times if samples is None else samples
        return kern.grid_coverage_counts(track.r_itrs_m[:, :, :n], track.valid[:, :n],
                                         np.radians(self.lat_deg), np.radians(self.lon_deg),
                                         self.min_elevation_rad)

    def result(self, counts, samples: int, n_satellites: int, start: Time, window_s: float,
               step_s: float) -> CoverageMap:
        frac = np.asarray(counts) / max(samples, 1)
        return CoverageMap(self.lat_deg, self.lon_deg, frac.reshape(self.lat_deg.size, self.lon_deg.size),
                           self.resolution_deg, math.degrees(self.min_elevation_rad), samples,
                           n_satellites, start, window_s, step_s)
