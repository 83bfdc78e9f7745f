"""ITU-R atmospheric attenuation through itur (optional extra: skipped without it).

Reference: ITU-R Study Group 3 validation examples for P.618-13 (CG-3M3J-13-ValEx, rev. 5.1),
as shipped with ITU-Rpy's tests (test/test_data/618/ITURP618-13_A_rain.csv):
- London, lat 51.5, lon -0.14, hs 0.031383 km, 29 GHz, elevation 31.07699 deg, tau 0 deg
  (horizontal polarisation), p = 0.01 % -> A_rain = 23.44444523 dB;
- Rome, lat 41.9, lon 12.49, hs 0.046123 km, 29 GHz, elevation 40.232036 deg, tau 0,
  p = 0.01 % -> A_rain = 28.74272193 dB;
- London as above at 14.25 GHz, p = 1 % -> A_rain = 0.495317069 dB.
"""

from __future__ import annotations

import socket

import astropy.units as u
import numpy as np
import pytest

pytest.importorskip("itur")

from orbitlink.link.atmosphere import (  # noqa: E402
    AtmosphereError,
    attenuation_db,
    slant_path_attenuation,
)
from orbitlink.link.budget import link_budget  # noqa: E402

VALIDATION_DB = 0.01  # the tolerance on the ITU-R validation values


@pytest.mark.parametrize("lat, lon, hs_km, f_ghz, el_deg, p, expected_db", [
    (51.5, -0.14, 0.031382984, 29.0, 31.07699124, 0.01, 23.44444523),
    (41.9, 12.49, 0.046122988, 29.0, 40.232036, 0.01, 28.74272193),
    (51.5, -0.14, 0.031382984, 14.25, 31.07699124, 1.0, 0.495317069),
])
def test_p618_13_validation_rain(lat, lon, hs_km, f_ghz, el_deg, p, expected_db):
    a = slant_path_attenuation(lat * u.deg, lon * u.deg, f_ghz * u.GHz, el_deg * u.deg,
                               availability=(100.0 - p) * u.percent, altitude=hs_km * u.km,
                               polarization_tilt=0 * u.deg)
    assert a.rain_db == pytest.approx(expected_db, abs=VALIDATION_DB)
    # P.618-13 section 2.5: A = A_gas + sqrt((A_rain + A_cloud)^2 + A_scint^2).
    combined = a.gaseous_db + np.hypot(a.rain_db + a.cloud_db, a.scintillation_db)
    assert a.total_db == pytest.approx(combined, abs=1e-9)


def test_no_network_access(monkeypatch):
    # itur ships its ITU-R maps; a computation with sockets blocked must still work.
    def refuse(*args, **kwargs):
        raise AssertionError("itur attempted network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    a = slant_path_attenuation(-33.9 * u.deg, 18.4 * u.deg, 20 * u.GHz, 30 * u.deg, availability="99.5%")
    assert 0.0 < a.total_db < 30.0


def test_vectorized_over_stations_and_elevations():
    lat = np.radians([[51.5], [41.9]])
    lon = np.radians([[-0.14], [12.49]])
    el = np.radians([[10.0, 30.0, 90.0]])
    out = attenuation_db(lat, lon, np.nan, 20e9, el, 0.1)
    assert out["total_db"].shape == (2, 3)
    # Longer paths through the atmosphere attenuate more.
    assert np.all(np.diff(out["total_db"], axis=1) < 0)
    one = slant_path_attenuation(41.9 * u.deg, 12.49 * u.deg, 20 * u.GHz, 30 * u.deg, availability="99.9%")
    assert out["total_db"][1, 1] == pytest.approx(one.total_db, abs=1e-9)


@pytest.mark.parametrize("kw, match", [
    (dict(frequency=60 * u.GHz), "frequency"),
    (dict(frequency=0.5 * u.GHz), "frequency"),
    (dict(elevation=2 * u.deg), "elevation"),
    (dict(availability="99.9999%"), "availability"),
    (dict(availability="90%"), "availability"),
])
def test_outside_the_models_range(kw, match):
    args = dict(latitude=51.5 * u.deg, longitude=-0.14 * u.deg, frequency=20 * u.GHz,
                elevation=30 * u.deg)
    args.update(kw)
    with pytest.raises(AtmosphereError, match=f"^{match}"):
        slant_path_attenuation(args.pop("latitude"), args.pop("longitude"), args.pop("frequency"),
                               args.pop("elevation"), **args)


def test_budget_with_itu_atmosphere_degrades_the_link():
    radio = dict(frequency="26GHz", tx_power="10dBW", tx_gain="30dBi", rx_gain="48dBi",
                 system_temperature="200K", symbol_rate="500MBd", altitude="550km", elevation="25deg")
    clear = link_budget(**radio)
    wet = link_budget(**radio, station=(51.5 * u.deg, -0.14 * u.deg), availability="99.9%")
    atm = slant_path_attenuation(51.5 * u.deg, -0.14 * u.deg, 26 * u.GHz, 25 * u.deg,
                                 availability="99.9%", diameter=1 * u.m, efficiency=0.65)
    assert wet.atmospheric_db == pytest.approx(atm.total_db, abs=1e-9)
    # Signal loss plus the rain/cloud noise (T_m = 275 K, ITU-R P.618 section 3).
    t_sys = 200.0 + 275.0 * (1 - 10 ** (-(atm.rain_db + atm.cloud_db) / 10))
    expected = clear.cn0_dbhz - atm.total_db - 10 * np.log10(t_sys / 200.0)
    assert wet.cn0_dbhz == pytest.approx(expected, abs=1e-9)
    d = wet.to_dict()
    assert d["rain_db"] == pytest.approx(atm.rain_db, abs=1e-6)
    assert d["availability_percent"] == 99.9


def test_volume_with_itu_atmosphere():
    # Each in-view node carries the attenuation exceeded 0.1 % of the time: never more volume
    # than in free space; a station whose minimum is below the ITU-R range is raised to 5 deg.
    from orbitlink import api, orbits
    from orbitlink.link.budget import link_parameters
    from orbitlink.link.volume import data_volume
    from orbitlink.stations import ground_station

    tr = api.propagate(orbits.parse_orbit("550km", inclination="97.6deg"), start="2025-01-01T00:00:00Z",
                       duration="6h", step="30s")
    st = ground_station(78.23 * u.deg, 15.41 * u.deg, 500 * u.m, name="Svalbard", min_elevation=2 * u.deg)
    p = link_parameters(band="Ka", tx_power="2W", tx_dish="0.2m", rx_dish="1.2m", system_temperature="150K")
    clear = data_volume(tr, st, p)
    wet = data_volume(tr, st, p, availability="99.9%")
    assert 0 < wet.network_bits < clear.network_bits
    assert any("5 deg" in n for n in wet.notes)
    assert np.all(np.degrees(wet.passes.max_elevation_rad) >= 5.0)
    assert wet.to_dict()["atmosphere_model"].startswith("ITU-R P.618-13")
