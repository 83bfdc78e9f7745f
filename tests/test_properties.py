"""Property-based tests (hypothesis) of the spec parsers and geometry kernels."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitlink import errors, orbits
from orbitlink.core import frames, kepler
from orbitlink.quantities import to_si

from .conftest import ONE_METER


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_quantity_parser_never_crashes(text):
    try:
        value = to_si(text, "length", "altitude")
    except errors.QuantityError as exc:
        assert str(exc).startswith("altitude")
    else:
        assert math.isfinite(value)


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_orbit_spec_parser_raises_only_orbitlink_errors(text):
    try:
        spec = orbits.parse_orbit(text)
    except errors.OrbitlinkError:
        return
    assert len(spec) == 1 and 100e3 <= spec.altitude_m[0] <= 100_000e3


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_kepler_spec_parser_raises_only_orbitlink_errors(text):
    try:
        spec = orbits.parse_keplerian(text)
    except errors.OrbitlinkError:
        return
    a, e = spec.a_m[0], spec.e[0]
    assert 0 <= e < 1 and a * (1 - e) >= 6378137.0 + 100e3


@given(st.floats(-90, 90), st.floats(-180, 180), st.floats(-500, 50_000e3))
@settings(max_examples=300, deadline=None)
def test_geodetic_roundtrip(lat_deg, lon_deg, alt_m):
    r = frames.geodetic_to_itrs(math.radians(lat_deg), math.radians(lon_deg), alt_m)
    lat, lon, alt = frames.itrs_to_geodetic(r)
    assert abs(alt - alt_m) < 1e-3 * ONE_METER
    assert abs(math.degrees(lat) - lat_deg) < 1e-8


@given(st.floats(-90, 90), st.floats(-180, 180), st.floats(0, 2000e3))
@settings(max_examples=200, deadline=None)
def test_geodetic_mirror_symmetry(lat_deg, lon_deg, alt_m):
    # The ellipsoid is symmetric about the equator: mirroring z mirrors latitude.
    r = frames.geodetic_to_itrs(math.radians(lat_deg), math.radians(lon_deg), alt_m)
    r[2] = -r[2]
    lat, _, alt = frames.itrs_to_geodetic(r)
    assert abs(math.degrees(lat) + lat_deg) < 1e-8
    assert abs(alt - alt_m) < 1e-3 * ONE_METER


@given(st.floats(6_600e3, 50_000e3), st.floats(0, 0.9), st.floats(0, math.pi),
       st.floats(0, 2 * math.pi), st.floats(0, 2 * math.pi), st.floats(0, 2 * math.pi))
@settings(max_examples=200, deadline=None)
def test_two_body_conserves_energy_and_angular_momentum(a, e, i, raan, argp, m0):
    t = np.linspace(0, 20_000, 7)
    r, v = kepler.propagate(a, e, i, raan, argp, m0, t, j2=False)
    r, v = r[:, 0], v[:, 0]
    mu = 3.986004418e14
    energy = 0.5 * np.sum(v**2, axis=0) - mu / np.linalg.norm(r, axis=0)
    assert np.allclose(energy, -mu / (2 * a), rtol=1e-9)
    h = np.cross(r.T, v.T)
    assert np.allclose(h, h[0], rtol=1e-9, atol=1e-6 * np.linalg.norm(h[0]))
