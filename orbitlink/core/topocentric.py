"""Station geometry: horizon bases, look angles, elevation thresholds and visibility cones.

Pure numpy, SI float64.  Stations are G points given by their ITRS positions
(3, G), local east/north/up unit vectors (3, 3, G) and an elevation
threshold: a floor (G,) in radians and, optionally, an azimuth-dependent
table (G, 1441) on a 0.25 deg azimuth grid (:class:`Sites`).  Used by the pass
search (:mod:`orbitlink.core.passes`), coverage counts
(:mod:`orbitlink.core.coverage`) and the latency graphs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MASK_TABLE_STEP_RAD = math.radians(0.25)

__all__ = ["MASK_TABLE_STEP_RAD", "Sites", "cone_angles", "dot3", "enu_basis", "look_angles",
           "look_angles_grid"]


def dot3(a, b):
    """Dot product over the first axis of two (3, ...) arrays (broadcasting the rest)."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]



# --- station geometry ------------------------------------------------------------------

def enu_basis(lat_rad, lon_rad) -> np.ndarray:
    """East, north and up unit vectors of the geodetic horizon, shape (3 axes, 3 xyz, G)."""
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    z = np.zeros_like(lat)
    east = np.stack([-so, co, z])
    north = np.stack([-sl * co, -sl * so, cl])
    up = np.stack([cl * co, cl * so, sl])
    return np.stack([east, north, up])


def look_angles(r_itrs_m, site_itrs_m, enu):
    """Azimuth (rad, 0..2pi from north through east), elevation (rad) and range (m).

    ``r_itrs_m`` (3, ...) and ``site_itrs_m`` (3, ...) broadcast against each
    other; ``enu`` is (3, 3, ...) broadcasting with the site.  For whole
    constellations use :func:`look_angles_grid`, which chunks.
    """
    d = np.asarray(r_itrs_m, float) - np.asarray(site_itrs_m, float)
    e = dot3(enu[0], d)
    n = dot3(enu[1], d)
    up = dot3(enu[2], d)
    horiz = np.hypot(e, n)
    return np.arctan2(e, n) % (2 * np.pi), np.arctan2(up, horiz), np.sqrt(horiz**2 + up**2)


def look_angles_grid(r_itrs_m, site_itrs_m, enu, *, chunk_bytes: int = 256 * 2**20):
    """Look angles of S satellites x G stations x T times: three (S, G, T) arrays.

    The outputs themselves are S*G*T*24 bytes; temporaries are bounded by
    ``chunk_bytes`` by working through the time axis in slices.
    """
    r = np.asarray(r_itrs_m, float)
    _, S, T = r.shape
    G = site_itrs_m.shape[1]
    az, el, rng = (np.empty((S, G, T)) for _ in range(3))
    step = max(1, int(chunk_bytes // max(1, S * G * 8 * 8)))
    site = site_itrs_m[:, None, :, None]
    basis = enu[:, :, None, :, None]
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        a, e, d = look_angles(r[:, :, None, lo:hi], site, basis)
        az[:, :, lo:hi], el[:, :, lo:hi], rng[:, :, lo:hi] = a, e, d
    return az, el, rng


# --- thresholds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sites:
    """Station geometry and thresholds, prepared once per search."""

    pos: np.ndarray          # (3, G) ITRS m
    enu: np.ndarray          # (3, 3, G)
    floor_rad: np.ndarray    # (G,)
    table: np.ndarray | None  # (G, 1441) rad, max(floor, mask), or None
    sin_floor: np.ndarray    # (G,)
    has_mask: np.ndarray     # (G,) bool

    @classmethod
    def make(cls, site_itrs_m, enu, floor_rad, table=None) -> "Sites":
        site = np.ascontiguousarray(site_itrs_m, dtype=float)
        floor = np.asarray(floor_rad, float).reshape(-1)
        G = site.shape[1]
        if floor.shape != (G,):
            floor = np.broadcast_to(floor, (G,)).copy()
        has = np.zeros(G, bool)
        if table is not None:
            table = np.asarray(table, float)
            has = np.any(table > floor[:, None] + 1e-15, axis=1)
            if not has.any():
                table = None
        return cls(site, np.ascontiguousarray(enu, dtype=float), floor, table, np.sin(floor), has)

    @property
    def min_threshold_rad(self) -> np.ndarray:
        """Lowest threshold of each station over azimuth (for the cone screen)."""
        if self.table is None:
            return self.floor_rad
        return np.min(self.table, axis=1)

    def sin_threshold(self, g, d):
        """sin(threshold) for station indices ``g`` and relative vectors ``d`` (3, *g.shape[:k], ...)."""
        base = self.sin_floor[g]
        if self.table is None:
            return base
        masked = self.has_mask[g]
        if not np.any(masked):
            return base
        extra = d.ndim - 1 - g.ndim
        gi = g.reshape(g.shape + (1,) * extra)
        e = dot3(self.enu[0][:, gi], d)
        n = dot3(self.enu[1][:, gi], d)
        az = np.arctan2(e, n) % (2 * np.pi)
        x = az / MASK_TABLE_STEP_RAD
        i0 = np.minimum(x.astype(np.int64), self.table.shape[1] - 2)
        f = x - i0
        gb = np.broadcast_to(gi, x.shape)
        thr = self.table[gb, i0] * (1.0 - f) + self.table[gb, i0 + 1] * f
        out = np.sin(thr)
        return np.where(np.broadcast_to(masked.reshape(gi.shape), out.shape), out,
                        np.broadcast_to(base.reshape(gi.shape), out.shape))


def cone_angles(sites: Sites, r_max_m, omega_rad_s, half_interval_s):
    """Half-angle (rad, (S, G)) of the cone around each station a satellite must be in to be visible,
    widened by how far it moves in half an interval; and the stations' geocentric unit vectors.

    A satellite at radius r sees a station (geocentric radius rho) at geocentric
    elevation >= eps iff the central angle lam <= acos(rho cos(eps) / r) - eps.
    The geodetic elevation exceeds the geocentric one by at most the tilt
    between the two verticals, so eps = min threshold - tilt.  In half an
    interval the satellite's direction turns by at most omega * half_interval.
    """
    rho = np.linalg.norm(sites.pos, axis=0)
    ghat = sites.pos / rho
    tilt = np.arccos(np.clip(dot3(sites.enu[2], ghat), -1.0, 1.0))
    eps = sites.min_threshold_rad - tilt - 1e-9
    ratio = np.clip(rho[None, :] * np.cos(eps)[None, :] / r_max_m[:, None], -1.0, 1.0)
    lam = np.arccos(ratio) - eps[None, :]
    # 1e-5 rad covers the float32 rounding of the screen's cosines and angles.
    return lam + omega_rad_s[:, None] * half_interval_s + 1e-5, ghat
