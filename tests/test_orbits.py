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


# --- SSO Walker shells, RAAN spread and clusters (issue 16) ---------------------------------

def test_sso_walker_places_planes_by_local_time_and_two_ride_the_terminator():
    """4/4/0 at sso:650km:18:00: planes at LTAN 18, 00, 06, 12 h; the dawn-dusk pair is sunlit
    ~96 % of a year, the noon-midnight pair as the analytic beta = 0 orbit (cylindrical shadow,
    eclipse half-angle asin(R/r): 63.8 % sunlit; tolerance 0.5 points for beta's yearly swing)."""
    import orbitlink
    from orbitlink.eclipse import analytic_eclipse_fraction

    w = orbitlink.walker(4, 4, 0, orbit="sso:650km:18:00")
    assert list(w.ltan_h) == [18.0, 0.0, 6.0, 12.0]
    assert math.degrees(w.i_rad[0]) == pytest.approx(
        orbits.sso_inclination("650km").to_value("deg"), abs=1e-9)
    sunlit = orbitlink.eclipses(w, start="2026-01-01T00:00:00Z", duration="365d", step="60s").sunlit_fraction
    dawn_dusk, noon_midnight = sunlit[[0, 2]], sunlit[[1, 3]]
    assert np.all((dawn_dusk > 0.955) & (dawn_dusk < 0.965))
    assert np.all(np.abs(noon_midnight - (1 - analytic_eclipse_fraction("650km", "0deg"))) < 0.005)


def test_raan_spread_makes_a_walker_star_and_is_checked():
    star = orbits.walker(6, 6, 0, "780km", "86.4deg", raan_spread="180deg")
    assert np.degrees(np.diff(star.raan_rad)) == pytest.approx([30.0] * 5)
    delta = orbits.walker(6, 6, 0, "780km", "86.4deg")
    assert np.degrees(np.diff(delta.raan_rad)) == pytest.approx([60.0] * 5)
    # An SSO star: planes 12 h / P apart in local time.
    sso_star = orbits.walker(4, 4, 0, orbit="sso:650km:06:00", raan_spread="180deg")
    assert list(sso_star.ltan_h) == [6.0, 9.0, 12.0, 15.0]
    for bad in ("0deg", "-10deg", "360.5deg"):
        with pytest.raises(errors.OrbitSpecError, match="raan spread"):
            orbits.walker(4, 4, 0, "550km", raan_spread=bad)
    with pytest.raises(errors.OrbitSpecError, match="sun-synchronous"):
        orbits.walker(4, 4, 0, orbit="sso:7000km")
    with pytest.raises(errors.OrbitSpecError, match="ltan"):
        orbits.walker(4, 4, 0, orbit="sso:650km:24:00")


def test_toml_shell_takes_ltan_and_raan_spread(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('name = "dd"\n[[shell]]\naltitude = "650km"\nltan = "18:00"\nplanes = 2\nper_plane = 3\n'
                 'phasing = 0\nraan_spread = 180\n')
    s = orbits.shells_from_toml(f)
    assert list(s.ltan_h) == [18.0] * 3 + [0.0] * 3
    assert math.degrees(s.i_rad[0]) == pytest.approx(orbits.sso_inclination("650km").to_value("deg"))
    f.write_text('[[shell]]\naltitude = "650km"\nltan = "18:00"\ninclination = "98deg"\nplanes = 1\nper_plane = 1\n')
    with pytest.raises(errors.OrbitSpecError, match="ltan or inclination"):
        orbits.shells_from_toml(f)


def test_cluster_keeps_its_shape_and_its_closest_approach():
    """81 satellites 1 km apart on a 9 x 9 grid: the columns close up over the poles, where each
    satellite keeps its own along-track slot 1 km / 9 = 111 m from the next (the closest
    approach); the same members share a, e, i, so a day of J2 drift leaves the distances alone."""
    from orbitlink.feasibility.separations import separations

    c = orbits.cluster(81, "1km", "sso:650km:18:00")
    assert len(c) == 81 and np.ptp(c.a_m) == 0 and np.ptp(c.i_rad) == 0
    first = separations(c, start="2026-01-01T00:00:00Z")
    assert first.min_pair_m == pytest.approx(1000 / 9, rel=0.01)
    # Extent: 80 slots x 111 m along track and 8 km across: sqrt(8.89^2 + 8^2) = 11.96 km.
    assert first.max_pair_m == pytest.approx(math.hypot(80 * 1000 / 9, 8000), rel=0.01)
    later = separations(c, start="2026-01-02T00:00:00Z")
    assert later.min_pair_m == pytest.approx(first.min_pair_m, rel=0.01)
    assert later.max_pair_m == pytest.approx(first.max_pair_m, rel=0.01)
    with pytest.raises(errors.OrbitSpecError, match="at least 2"):
        orbits.parse_cluster("1:1km")
    with pytest.raises(errors.OrbitSpecError, match="not a length"):
        orbits.parse_cluster("81:fast")
