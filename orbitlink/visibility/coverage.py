"""Coverage maps of the ground and satellite footprints.

A coverage map is the fraction of a track's time samples at which each cell
of a regular latitude/longitude grid sees at least one satellite above
``min_elevation`` (default 10 deg, as for footprints; see
:mod:`orbitlink.visibility`), counted by
:func:`orbitlink.core.coverage.grid_coverage_counts`.  Footprints are the
spherical caps that see a satellite above ``min_elevation``, as shapely
polygons and GeoJSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import astropy.units as u
import numpy as np
from astropy.time import Time

from ..core.coverage import grid_coverage_counts
from ..errors import QuantityError
from ..propagators import as_track
from ..stations import DEFAULT_MIN_ELEVATION
from ..times import iso_utc
from ..track import Track
from ..units import QuantityLike, to_si
from .results import CoverageMap

__all__ = ["CoverageGrid", "coverage_map", "footprint_half_angle", "footprint_polygon", "satellite_footprints"]


# --- coverage maps ----------------------------------------------------------------------------

def coverage_map(source, *, resolution: QuantityLike = 5 * u.deg,
                 min_elevation: QuantityLike = DEFAULT_MIN_ELEVATION, start=None, duration="24h",
                 step="60s", propagator: str = "auto") -> CoverageMap:
    """Coverage of a ground grid: fraction of the track's time samples at which each cell
    centre sees at least one satellite at or above ``min_elevation`` (default 10 deg).

    ``source`` is a :class:`~orbitlink.track.Track` or anything
    :func:`orbitlink.propagators.as_track` propagates (``start``, ``duration``,
    ``step``, ``propagator``).
    """
    track = as_track(source, start=start, duration=duration, step=step, propagator=propagator)
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
            raise QuantityError(f"resolution: {res:g} deg must divide 180 deg (e.g. 1deg, 2.5deg, 5deg)")
        return cls(res, e, -90.0 + res * (np.arange(n_lat) + 0.5), -180.0 + res * (np.arange(n_lon) + 0.5))

    def counts(self, track: Track, samples: int | None = None) -> tuple[np.ndarray, int]:
        """Per cell (n_lat, n_lon), the number of the track's first ``samples`` time samples
        (default all) at which it sees a satellite; and the number of those samples with a
        valid state."""
        n = track.n_times if samples is None else samples
        return grid_coverage_counts(track.r_itrs_m[:, :, :n], track.valid[:, :n],
                                    np.radians(self.lat_deg), np.radians(self.lon_deg), self.min_elevation_rad)

    def result(self, counts, samples: int, n_satellites: int, start: Time, window_s: float,
               step_s: float) -> CoverageMap:
        frac = np.asarray(counts) / max(samples, 1)
        return CoverageMap(self.lat_deg, self.lon_deg, frac.reshape(self.lat_deg.size, self.lon_deg.size),
                           self.resolution_deg, math.degrees(self.min_elevation_rad), samples,
                           n_satellites, start, window_s, step_s)


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


def satellite_footprints(source, index: int = 0, min_elevation: QuantityLike = DEFAULT_MIN_ELEVATION, *,
                         start=None, duration="24h", step="60s", propagator: str = "auto") -> dict:
    """GeoJSON FeatureCollection of every satellite's visibility footprint at time sample ``index``
    (the ground that sees it at or above ``min_elevation``, default 10 deg).

    ``source`` as in :func:`coverage_map`.
    """
    from shapely.geometry import mapping

    track = as_track(source, start=start, duration=duration, step=step, propagator=propagator)
    e = to_si(min_elevation, "angle", "min_elevation", lo=0 * u.deg, hi=90 * u.deg)
    lat, lon, alt = track.geodetic()
    k = range(track.n_times)[index]
    when = iso_utc(track.grid.start, track.t_s[k])[0]
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
