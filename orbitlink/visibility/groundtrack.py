"""Ground tracks: latitude/longitude/altitude series and GeoJSON.

GeoJSON LineStrings are split where the track crosses the antimeridian (the
crossing point is interpolated so the pieces meet at +-180 deg), which is what
mapping tools expect of RFC 7946 geometries (section 3.1.9).
"""

from __future__ import annotations

import numpy as np

from ..track import Track

__all__ = ["ground_track", "split_antimeridian", "to_geojson"]


def ground_track(track: Track) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lat_deg, lon_deg, alt_km)`` arrays (S, T); NaN where the track is invalid."""
    lat, lon, alt = track.geodetic()
    return np.degrees(lat), np.degrees(lon), alt / 1e3


def split_antimeridian(lon_deg: np.ndarray, lat_deg: np.ndarray) -> list[np.ndarray]:
    """Split one track into (N, 2) lon/lat pieces that never jump across +-180 deg.

    A jump larger than 180 deg between consecutive samples is a crossing; the
    latitude at the crossing is interpolated on the unwrapped longitude and
    both pieces end on the antimeridian.  NaN samples (invalid states) also
    end a piece.  Pieces of a single point are dropped (not a line).
    """
    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    d = np.diff(lon)
    cross = np.flatnonzero(ok[:-1] & ok[1:] & (np.abs(d) > 180.0))
    gaps = np.flatnonzero(ok[:-1] != ok[1:])
    cuts = np.union1d(cross, gaps) + 1
    pieces = []
    for seg_start, seg in zip(np.r_[0, cuts], np.split(np.stack([lon, lat], axis=1), cuts)):
        seg = seg[np.isfinite(seg).all(axis=1)]
        if seg.size:
            pieces.append([seg_start, seg])
    # Close the pieces on the antimeridian at every crossing.
    for k in cross:
        before = next((p for p in pieces if p[0] <= k < p[0] + len(p[1])), None)
        after = next((p for p in pieces if p[0] == k + 1), None)
        if before is None or after is None:
            continue
        lo0, la0 = lon[k], lat[k]
        lo1, la1 = lon[k + 1], lat[k + 1]
        edge = 180.0 if lo1 < lo0 else -180.0
        lo1_unwrapped = lo1 + (360.0 if lo1 < lo0 else -360.0)
        f = (edge - lo0) / (lo1_unwrapped - lo0)
        la_x = la0 + f * (la1 - la0)
        before[1] = np.vstack([before[1], [edge, la_x]])
        after[1] = np.vstack([[-edge, la_x], after[1]])
    return [p[1] for p in pieces if len(p[1]) > 1]


def to_geojson(track: Track) -> dict:
    """A FeatureCollection with one MultiLineString feature per satellite."""
    from shapely.geometry import MultiLineString, mapping

    lat, lon, alt = ground_track(track)
    features = []
    for s, name in enumerate(track.names):
        pieces = split_antimeridian(lon[s], lat[s])
        geom = MultiLineString([p.tolist() for p in pieces])
        features.append({
            "type": "Feature",
            "geometry": mapping(geom),
            "properties": {
                "satellite": name,
                "start": track.grid.iso()[0],
                "step_s": track.grid.step_s,
                "min_alt_km": float(np.nanmin(alt[s])) if np.isfinite(alt[s]).any() else None,
                "max_alt_km": float(np.nanmax(alt[s])) if np.isfinite(alt[s]).any() else None,
            },
        })
    return {"type": "FeatureCollection", "features": features}
