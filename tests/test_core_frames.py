"""Geodetic conversions and rotations against skyfield's WGS-84 implementation."""

from __future__ import annotations

import numpy as np
from skyfield.api import wgs84

from orbitlink.core import frames

from .conftest import ONE_METER


def test_geodetic_roundtrip_and_skyfield():
    rng = np.random.default_rng(7)
    lat = np.radians(rng.uniform(-90, 90, 2000))
    lon = np.radians(rng.uniform(-180, 180, 2000))
    alt = rng.uniform(-400, 40_000e3, 2000)  # surface (and below) to GEO
    r = frames.geodetic_to_itrs(lat, lon, alt)
    lat2, lon2, alt2 = frames.itrs_to_geodetic(r)
    assert np.abs(alt2 - alt).max() < 1e-3 * ONE_METER
    assert np.abs(np.degrees(lat2 - lat)).max() < 1e-9
    dlon = np.remainder(lon2 - lon + np.pi, 2 * np.pi) - np.pi
    assert np.abs(np.degrees(dlon) * np.cos(lat)).max() < 1e-9
    # Independent: skyfield's WGS-84 positions for the same coordinates.
    for k in range(0, 2000, 97):
        ref = wgs84.latlon(np.degrees(lat[k]), np.degrees(lon[k]), elevation_m=alt[k]).itrs_xyz.m
        assert np.abs(ref - r[:, k]).max() < 1e-3 * ONE_METER


def test_itrs_to_geodetic_inverts_skyfield():
    # Independent of orbitlink's forward formula: skyfield's WGS-84 turns the
    # geodetic coordinates orbitlink found back into the original vectors.
    rng = np.random.default_rng(3)
    r = rng.normal(size=(3, 50))
    r *= rng.uniform(6.6e6, 4.3e7, 50) / np.linalg.norm(r, axis=0)
    lat, lon, alt = frames.itrs_to_geodetic(r)
    for k in range(50):
        ref = wgs84.latlon(np.degrees(lat[k]), np.degrees(lon[k]), elevation_m=alt[k]).itrs_xyz.m
        assert np.abs(ref - r[:, k]).max() < 1e-3 * ONE_METER


def test_rotate_matches_matmul():
    rng = np.random.default_rng(0)
    M = rng.normal(size=(3, 3, 5))
    v = rng.normal(size=(3, 4, 5))
    expected = np.einsum("ijt,jst->ist", M, v)
    assert np.allclose(frames.rotate(M, v), expected, rtol=0, atol=1e-12)
