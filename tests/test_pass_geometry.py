"""Pass geometry (azimuth, slant range, range rate, Doppler) against skyfield's topocentric
vectors, on the ISS over Weilheim and chunked Starlink searches."""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from orbitlink import as_track, load_elements, times
from orbitlink.constants import C_M_S
from orbitlink.errors import QuantityError
from orbitlink.stations import ground_station, load_catalog
from orbitlink.visibility import find_passes

from .conftest import EPHEMERIS, ONE_METER

ISS_TLE = EPHEMERIS / "tle" / "iss-skyfield-doc.tle"
LAT, LON, ALT = 47.8806, 11.0794, 600.0        # Weilheim (DLR), 48 deg N: within the ISS's reach


@pytest.fixture(scope="module")
def iss_passes():
    track = as_track(load_elements(ISS_TLE), duration="24h", step="60s")
    station = ground_station(LAT * u.deg, LON * u.deg, ALT * u.m, name="Weilheim")
    return track, find_passes(track, station, min_elevation=0 * u.deg, scan_step="10s", frequency="2.2GHz")


def _skyfield(passes, seconds):
    """Skyfield's az (deg), range (m) and range rate (m/s) of the ISS from the station."""
    line1, line2 = ISS_TLE.read_text().splitlines()[-2:]
    ts = times.timescale()
    sat = EarthSatellite(line1, line2, ts=ts)
    site = wgs84.latlon(LAT, LON, elevation_m=ALT)
    tt = passes.start.tt
    t = ts.tt_jd(np.full(np.shape(seconds), tt.jd1), tt.jd2 + np.asarray(seconds) / 86400.0)
    topo = (sat - site).at(t)
    _, az, dist = topo.altaz()
    *_, rate = topo.frame_latlon_and_rates(site)
    return az.degrees, dist.m, rate.m_per_s


def _angle_diff_deg(a, b):
    return np.abs((np.asarray(a) - np.asarray(b) + 180.0) % 360.0 - 180.0)


def test_azimuth_range_and_range_rate_match_skyfield(iss_passes):
    """At AOS, TCA and LOS of 24 h of ISS passes over Weilheim (60 s SGP4 states, Hermite in
    between), against skyfield's altaz() and frame_latlon_and_rates(): measured worst
    azimuth 1.2e-5 deg, range 0.07 m, range rate 1.8 cm/s; tolerances 1e-3 deg, 1 m, 3 cm/s.
    The range-rate floor is SGP4's own: its velocity is not exactly the time derivative of its
    position (skyfield's range rate and a central difference of skyfield's range differ by
    1.2 cm/s at the same instants), and orbitlink's Hermite cubic honours the velocities."""
    _, p = iss_passes
    assert len(p) >= 5
    g = p.geometry
    for which in ("aos", "tca", "los"):
        az, rng, rate = _skyfield(p, getattr(p, f"{which}_s"))
        assert _angle_diff_deg(np.degrees(getattr(g, f"{which}_azimuth_rad")), az).max() < 1e-3
        assert np.abs(getattr(g, f"{which}_range_rate_m_s") - rate).max() < 3e-2
        if which == "tca":
            assert np.abs(g.tca_range_m - rng).max() < ONE_METER
    np.testing.assert_allclose(p.azimuth("tca").to_value(u.deg), np.degrees(g.tca_azimuth_rad))
    np.testing.assert_allclose(p.tca_range.to_value(u.km), g.tca_range_m / 1e3)


def test_doppler_is_minus_f_range_rate_over_c_and_its_rate_the_peak_of_skyfield_differences(iss_passes):
    """Doppler = -f rdot / c exactly; the maximum Doppler rate against a central difference
    (h = 0.5 s) of skyfield's range rate sampled every 1 s across each pass: measured within
    5e-5 relative (peaks up to 823 Hz/s at 2.2 GHz), tolerance 1e-3."""
    _, p = iss_passes
    f = 2.2e9
    for which in ("aos", "tca", "los"):
        np.testing.assert_allclose(p.doppler(which).to_value(u.Hz),
                                   -f * p.range_rate(which).to_value(u.m / u.s) / C_M_S, rtol=1e-15)
    # Approaching at AOS (positive shift), receding at LOS.
    full = ~(p.aos_cut | p.los_cut)
    assert np.all(p.doppler("aos")[full] > 0) and np.all(p.doppler("los")[full] < 0)
    for i in np.flatnonzero(full):
        t = np.arange(p.aos_s[i], p.los_s[i], 1.0)
        _, _, r_minus = _skyfield(p, t - 0.5)
        _, _, r_plus = _skyfield(p, t + 0.5)
        peak = f / C_M_S * np.abs(r_plus - r_minus).max()
        assert abs(p.max_doppler_rate[i].to_value(u.Hz / u.s) - peak) < 1e-3 * peak, i
    row = p.rows()[0]
    for key in ("aos_azimuth_deg", "tca_azimuth_deg", "los_azimuth_deg", "tca_range_km",
                "aos_doppler_hz", "tca_doppler_hz", "los_doppler_hz", "max_doppler_rate_hz_s"):
        assert key in row and p[0].to_dict()[key] == row[key]
    assert p.to_dict()["frequency_hz"] == f


def test_frequency_is_applied_after_the_search_and_checked_before_it(iss_passes):
    track, p = iss_passes
    station = ground_station(LAT * u.deg, LON * u.deg, ALT * u.m, name="Weilheim")
    plain = find_passes(track, station, min_elevation=5 * u.deg)
    assert "aos_doppler_hz" not in plain.rows()[0] and plain.frequency is None
    with pytest.raises(QuantityError, match="frequency"):
        plain.doppler("tca")
    tuned = plain.with_frequency(8.2 * u.GHz)
    assert tuned.frequency == 8.2e9 * u.Hz
    np.testing.assert_array_equal(tuned.aos_s, plain.aos_s)
    assert "max_doppler_rate_hz_s" in tuned.rows()[0]
    with pytest.raises(QuantityError, match="frequency"):
        find_passes(track, station, frequency="-3GHz")
    # select() keeps geometry aligned with the passes
    one = p.select(np.array([2]))
    assert one.geometry.tca_range_m[0] == p.geometry.tca_range_m[2]


def test_chunked_search_carries_the_same_geometry():
    from orbitlink.cli.visibility_common import passes_in_chunks, run_passes
    from orbitlink.times import time_grid

    source = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(60))
    stations = load_catalog("aws-ground-station")
    grid = time_grid("2025-02-01T00:00:00Z", "6h", "60s", satellites=len(source))
    whole = run_passes(source, grid, "auto", stations, None, None)[1]
    chunked = passes_in_chunks(source, grid, "auto", stations, None, None, satellites_per_chunk=17)
    assert len(whole) == len(chunked) > 0
    for name in ("aos_azimuth_rad", "tca_azimuth_rad", "los_azimuth_rad", "tca_range_m",
                 "aos_range_rate_m_s", "tca_range_rate_m_s", "los_range_rate_m_s",
                 "tca_range_acceleration_m_s2"):
        np.testing.assert_array_equal(getattr(whole.geometry, name), getattr(chunked.geometry, name), name)


def test_geometry_can_be_skipped_and_does_not_depend_on_the_memory_layout(iss_passes):
    import dataclasses

    track, p = iss_passes
    station = ground_station(LAT * u.deg, LON * u.deg, ALT * u.m, name="Weilheim")
    bare = find_passes(track, station, min_elevation=0 * u.deg, scan_step="10s", geometry=False)
    assert bare.geometry is None and "tca_range_km" not in bare.rows()[0]
    np.testing.assert_array_equal(bare.tca_s, p.tca_s)
    assert len(bare.select(np.array([0]))) == 1
    # Fortran-ordered arrays take the 2-D gather instead of the flat one: same numbers.
    fortran = dataclasses.replace(track, r_itrs_m=np.asfortranarray(track.r_itrs_m),
                                  v_itrs_m_s=np.asfortranarray(track.v_itrs_m_s))
    again = find_passes(fortran, station, min_elevation=0 * u.deg, scan_step="10s")
    np.testing.assert_allclose(again.geometry.tca_range_m, p.geometry.tca_range_m, rtol=0, atol=1e-6)


def test_geometry_threads_give_the_same_values(monkeypatch):
    """The geometry slices run on every core; the values do not depend on the thread count."""
    from orbitlink.visibility import pass_geometry as pg

    monkeypatch.setattr(pg, "PASSES_PER_SLICE", 97)         # many slices from a small search
    track = as_track(load_elements(EPHEMERIS / "tle" / "starlink-sample.tle"), start="2025-01-22T00:00:00Z",
                     duration="6h", step="60s")
    stations = load_catalog("aws-ground-station")
    one = find_passes(track, stations, workers=1)
    many = find_passes(track, stations, workers=2)
    assert len(one) > 10 * 97
    for name in ("aos_azimuth_rad", "tca_azimuth_rad", "los_azimuth_rad", "tca_range_m", "aos_range_rate_m_s",
                 "tca_range_rate_m_s", "los_range_rate_m_s", "tca_range_acceleration_m_s2"):
        np.testing.assert_array_equal(getattr(one.geometry, name), getattr(many.geometry, name), err_msg=name)
