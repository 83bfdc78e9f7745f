"""Vector rotations and geodetic conversions on ``(3, ...)`` arrays (SI units).

Vectors put the xyz axis first and time last: a constellation is ``(3, S, T)``
and a per-time-step rotation is ``(3, 3, T)``.
"""

from __future__ import annotations

import numpy as np

from ..constants import F_EARTH, R_EARTH_M
from . import memory

_E2 = F_EARTH * (2.0 - F_EARTH)  # first eccentricity squared of WGS-84
_B_M = R_EARTH_M * (1.0 - F_EARTH)
_EP2 = _E2 / (1.0 - _E2)  # second eccentricity squared


def rotate(M: np.ndarray, v: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Apply per-time rotations ``M`` (3, 3, T) to vectors ``v`` (3, ..., T).

    Nine broadcast multiply-adds: faster than einsum here and no temporaries
    larger than one component.
    """
    if out is None:
        out = memory.empty(np.broadcast_shapes(v.shape, (3,) + v.shape[1:]))
    tmp = memory.empty(v.shape[1:])
    for i in range(3):
        np.multiply(M[i, 0], v[0], out=out[i])
        for j in (1, 2):
            np.multiply(M[i, j], v[j], out=tmp)
            out[i] += tmp
    return out


def itrs_to_geodetic(r_itrs_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS-84 geodetic latitude (rad), longitude (rad, -pi..pi) and height (m).

    Bowring's (1976) parametric-latitude formula with one refinement step:
    better than 1 mm from the surface to GEO, no iteration loop.
    """
    x, y, z = r_itrs_m
    lon = np.arctan2(y, x)
    p = np.hypot(x, y)
    # Parametric latitude first guess, then Bowring's closed form, refined once.
    beta = np.arctan2(z * R_EARTH_M, p * _B_M)
    for _ in range(2):
        s, c = np.sin(beta), np.cos(beta)
        lat = np.arctan2(z + _EP2 * _B_M * s**3, p - _E2 * R_EARTH_M * c**3)
        beta = np.arctan2((1.0 - F_EARTH) * np.sin(lat), np.cos(lat))
    sin_lat = np.sin(lat)
    n = R_EARTH_M / np.sqrt(1.0 - _E2 * sin_lat**2)
    # Height from the component along the normal: well conditioned at all latitudes.
    alt = p * np.cos(lat) + z * sin_lat - R_EARTH_M**2 / n
    return lat, lon, alt


def geodetic_to_itrs(lat_rad, lon_rad, alt_m) -> np.ndarray:
    """ITRS position (3, ...) in metres of WGS-84 geodetic coordinates."""
    lat, lon, alt = np.broadcast_arrays(np.asarray(lat_rad, float), np.asarray(lon_rad, float),
                                        np.asarray(alt_m, float))
    sin_lat = np.sin(lat)
    n = R_EARTH_M / np.sqrt(1.0 - _E2 * sin_lat**2)
    return np.stack([
        (n + alt) * np.cos(lat) * np.cos(lon),
        (n + alt) * np.cos(lat) * np.sin(lon),
        (n * (1.0 - _E2) + alt) * sin_lat,
    ])
