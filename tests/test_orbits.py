"""Orbit specifications: Walker geometry, sun-synchronous LTAN, TOML shells, bad input."""

from __future__ import annotations

import math

import astropy.units as u
import numpy as np
import pytest

from orbitlink import errors, orbits, times
from orbitlink.propagators import propagate

from .conftest import EPHEMERIS, ONE_METER


def test_walker_delta_geometry():
    w = orbits.walker(1584, 72, 1, "550km", "53deg")
    assert len(w) == 1584
    raan = np.degrees(np.unique(np.round(w.raan_rad, 12)))
    assert raan.size == 72 and np.allclose(np.diff(raan), 5.0)
    # In-plane spacing 360/22 deg; adjacent planes offset by F*360/T deg (Walker 1984).
    u0 = np.degrees(w.m_rad.reshape(72, 22))
    assert np.allclose(np.diff(u0[0]), 360 / 22)
    assert np.allclose(u0[1, 0] - u0[0, 0], 360 / 1584)


def test_walker_rejects_bad_patterns():
    with pytest.raises(errors.OrbitSpecError, match="P dividing T"):
        orbits.walker(100, 7, 1, "550km")
    with pytest.raises(errors.OrbitSpecError, match="phasing"):
        orbits.walker(100, 10, 10, "550km")
    with pytest.raises(errors.OrbitSpecError, match="T/P/F"):
        orbits.parse_walker("1584-72-1")


def test_sso_dawn_dusk_node_is_on_the_terminator():
    # Independent: the Sun's right ascension from DE421 via skyfield.  The node of
    # an 18:00 LTAN orbit sits 90 deg east of the mean Sun; the true Sun differs
    # from the mean one by the equation of time (at most 16.5 min = 4.1 deg).
    epoch = "2026-03-01T00:00:00"
    sso = orbits.sun_synchronous("650km", "18:00", epoch=epoch).at_epoch(epoch)
    t = times.timescale().from_astropy(sso.epoch)
    sun = times.planets()["earth"].at(t).observe(times.planets()["sun"]).apparent()
    ra_sun_deg = sun.radec()[0]._degrees
    local_time_h = 12 + (math.degrees(sso.raan_rad[0]) - ra_sun_deg) / 15.0
    assert abs((local_time_h - 18.0 + 12) % 24 - 12) < 16.5 / 60
    assert math.degrees(sso.i_rad[0]) == pytest.approx(97.99, abs=0.005)


@pytest.mark.parametrize("name,count", [("starlink-gen1", 4408), ("kuiper", 3236), ("oneweb", 720)])
def test_bundled_constellations(name, count):
    c = orbits.shells_from_toml(EPHEMERIS / "constellations" / f"{name}.toml")
    assert len(c) == count
    assert len(set(c.names)) == count


def test_toml_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[shell]]\naltitude = "550km"\ninclination = "53deg"\nplanes = 72\n')
    with pytest.raises(errors.OrbitSpecError, match="per_plane"):
        orbits.shells_from_toml(bad)
    bad.write_text("[[shell]\n")
    with pytest.raises(errors.OrbitSpecError, match="TOML"):
        orbits.shells_from_toml(bad)
    with pytest.raises(errors.OrbitSpecError, match="does not exist"):
        orbits.shells_from_toml(tmp_path / "missing.toml")


def test_circular_track_radius_and_inclination():
    grid = times.time_grid("2026-01-01", "3h", "30s")
    tr = propagate(orbits.circular("550km", "53deg"), grid, propagator="two-body")
    radius = np.linalg.norm(tr.r_gcrs_m[:, 0], axis=0)
    assert np.abs(radius - (6378137.0 + 550e3)).max() < 1e-3 * ONE_METER
    h = np.cross(tr.r_gcrs_m[:, 0, 0], tr.v_gcrs_m_s[:, 0, 0])
    assert math.degrees(math.acos(h[2] / np.linalg.norm(h))) == pytest.approx(53.0, abs=1e-9)


@pytest.mark.parametrize("call,field", [
    (lambda: orbits.circular("550"), "altitude"),
    (lambda: orbits.circular("550 parsecs"), "altitude"),
    (lambda: orbits.circular("50km"), "altitude"),
    (lambda: orbits.circular("200000km"), "altitude"),
    (lambda: orbits.circular("550km", "190deg"), "inclination"),
    (lambda: orbits.circular("550km", "-1deg"), "inclination"),
    (lambda: orbits.circular(550 * u.s), "altitude"),
    (lambda: orbits.keplerian("7000km", 1.0, "50deg"), "eccentricity"),
    (lambda: orbits.keplerian("7000km", 0.2, "50deg"), "perigee"),
    (lambda: orbits.keplerian("7000km", "x", "50deg"), "eccentricity"),
    (lambda: orbits.sun_synchronous("650km", "25:00"), "ltan"),
    (lambda: orbits.sun_synchronous("8000km"), "sun-synchronous"),
    (lambda: orbits.parse_keplerian("a=7000km,e=0.01"), "missing i"),
    (lambda: orbits.parse_orbit("sso:650km", inclination="98deg"), "inclination"),
])
def test_bad_specs_raise_orbitlink_errors(call, field):
    with pytest.raises(errors.OrbitlinkError) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert field in str(info.value)


def test_mixed_sso_and_circular_set_keeps_both_raans():
    mixed = orbits.circular("550km", raan="10deg") + orbits.sun_synchronous("650km")
    resolved = mixed.at_epoch("2026-01-01")
    assert math.degrees(resolved.raan_rad[0]) == pytest.approx(10.0)
    assert np.isfinite(resolved.raan_rad).all()


def test_parse_walker_shell():
    # The relay spec of `orbitlink latency --relay-walker`, now a library function.
    iridium = orbits.parse_walker_shell("66/6/1:780km:86.4deg", name="relay")
    assert len(iridium) == 66 and iridium.names[0] == "relay-00-00"
    np.testing.assert_allclose(iridium.altitude_m, 780e3, rtol=1e-12)
    np.testing.assert_allclose(np.degrees(iridium.i_rad), 86.4, rtol=1e-12)
    default = orbits.parse_walker_shell("24/6/1")
    np.testing.assert_allclose(default.altitude_m, 550e3, rtol=1e-12)
    np.testing.assert_allclose(np.degrees(default.i_rad), 53.0, rtol=1e-12)
    with pytest.raises(errors.OrbitSpecError, match=r"relay-walker: cannot read '1/1/0:1km:2deg:3' \(T/P/F"):
        orbits.parse_walker_shell("1/1/0:1km:2deg:3", field="relay-walker")
    with pytest.raises(errors.OrbitSpecError, match="T/P/F"):
        orbits.parse_walker_shell("66-6-1:780km")
