"""orbitlink.eclipse.report: the result classes, their dicts, and the power model.

References: a dawn-dusk SSO at 650 km through 2026 (one summer season, longest eclipse
20.17 min measured, see test_eclipse.py); the power model's closed forms (peak power =
solar constant x area x efficiency; battery = load x longest eclipse).
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest

from orbitlink import eclipse, orbits
from orbitlink.eclipse.report import EclipseIntervals, Season
from orbitlink.errors import QuantityError


@pytest.fixture(scope="module")
def sso_2026():
    return eclipse.eclipses(orbits.sun_synchronous("650km"), start="2026-01-01", duration="365d", step="60s")


def test_per_orbit_table_and_intervals_are_consistent(sso_2026):
    table, iv = sso_2026.orbit_table, sso_2026.intervals
    assert len(table) == sso_2026.orbits[0]
    ecl = iv.select(kind="eclipse")
    assert table.eclipse_s.sum() == pytest.approx(ecl.duration.to_value(u.s).sum(), rel=1e-9)
    assert table.eclipse_s.max() == pytest.approx(sso_2026.max_eclipse[0].to_value(u.s))
    np.testing.assert_allclose(table.period_s, sso_2026.period[0].to_value(u.s), rtol=1e-9)
    # Umbra and penumbra tile the eclipses.
    total = iv.select(kind="umbra").duration.sum() + iv.select(kind="penumbra").duration.sum()
    assert total.to_value(u.s) == pytest.approx(ecl.duration.to_value(u.s).sum(), rel=1e-9)


def test_power_and_battery(sso_2026):
    p = sso_2026.power("10 m2", "30%", "2kW")
    assert p.peak_power.to_value(u.W) == pytest.approx(1361 * 10 * 0.3)
    # Mean power: the illumination fraction x <(1 AU/d)^2> over the sunlit time; the Earth's
    # orbit (e = 0.0167) keeps that factor within 1 +/- 0.034.
    ratio = p.mean_power.to_value(u.W)[0] / (4083.0 * sso_2026.illumination_fraction[0])
    assert 1.0 < ratio < 1.0 + 0.034
    # Battery: load x longest eclipse = 2 kW x 20.17 min = 672 Wh.
    assert p.battery_energy.to_value(u.W * u.h)[0] == pytest.approx(
        2000 * sso_2026.max_eclipse[0].to_value(u.s) / 3600)
    assert p.worst_orbit_power < p.mean_power
    assert p.margin.to_value(u.W)[0] == pytest.approx(p.mean_power.to_value(u.W)[0] - 2000)


@pytest.mark.parametrize("value, expected", [(0.3, 0.3), ("0.3", 0.3), ("30%", 0.3), (" 99.9 % ", 0.999),
                                             (1, 1.0), (30 * u.percent, 0.3)])
def test_parse_efficiency_forms(value, expected):
    assert eclipse.parse_efficiency(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", [0, 1.5, "150%", "-3%", "high", "nan"])
def test_parse_efficiency_rejects(value):
    with pytest.raises(QuantityError, match="efficiency"):
        eclipse.parse_efficiency(value)


def test_power_bad_input(sso_2026):
    with pytest.raises(QuantityError, match="array area"):
        sso_2026.power("10 kg", 0.3)
    with pytest.raises(QuantityError, match="array area"):
        sso_2026.power("-3 m2", 0.3)
    with pytest.raises(QuantityError, match="efficiency"):
        sso_2026.power("10 m2", 1.5)
    with pytest.raises(QuantityError, match="load"):
        sso_2026.power("10 m2", 0.3, "2 m")
    with pytest.raises(QuantityError, match="solar constant"):
        sso_2026.power("10 m2", 0.3, solar_constant="1361 W")
    with pytest.raises(QuantityError, match="load"):
        sso_2026.battery_energy("lots")


def test_battery_energy_and_power_dict(sso_2026):
    energy = sso_2026.battery_energy("500 W")
    assert energy.to_value(u.W * u.h)[0] == pytest.approx(500 * sso_2026.max_eclipse[0].to_value(u.s) / 3600)
    d = sso_2026.power("10 m2", 0.3).to_dict()
    assert d["peak_power_w"] == pytest.approx(4083.0) and "battery_energy_wh" not in d
    assert set(sso_2026.power("10 m2", 0.3, "2kW").to_dict()) >= {"load_w", "battery_energy_wh", "margin_w"}


def test_season_and_intervals_rows():
    start = eclipse.eclipses(orbits.circular("550km"), start="2026-01-01", duration="2h").start
    season = Season(start, 0.0, 2.5 * 86400.0, cut_start=True)
    assert season.days == 2.5 and season.end.isot.startswith("2026-01-03T12:00")
    assert season.to_dict() == {"start": "2026-01-01T00:00:00.000Z", "end": "2026-01-03T12:00:00.000Z",
                                "days": 2.5, "cut_start": True, "cut_end": False}
    iv = EclipseIntervals(("a", "b"), start, np.array([0, 1, 1]), np.array(["eclipse", "umbra", "eclipse"]),
                          np.array([10.0, 20.0, 15.0]), np.array([40.0, 30.0, 45.0]),
                          np.zeros(3, bool), np.array([False, False, True]))
    assert len(iv.select(satellite=1)) == 2 and len(iv.select(kind="eclipse", satellite=1)) == 1
    rows = iv.to_dict()
    assert rows[2] == {"satellite": "b", "kind": "eclipse", "start": "2026-01-01T00:00:15.000Z",
                       "end": "2026-01-01T00:00:45.000Z", "duration_s": 30.0, "cut_start": False,
                       "cut_end": True}
    np.testing.assert_allclose(iv.duration.to_value(u.s), [30.0, 10.0, 30.0])


def test_constellation_summary_and_seasons():
    rep = eclipse.eclipses(orbits.walker(6, 2, 1, "550km", "53deg"), start="2026-01-01", duration="3d")
    d = rep.to_dict()
    assert d["satellites"] == 6 and len(d["per_satellite"]) == 6
    assert d["eclipses"] == int(rep.eclipses.sum()) and d["orbits"] == int(rep.orbits.sum())
    assert d["sunlit_fraction"] == pytest.approx(float(np.mean(rep.sunlit_fraction)), abs=1e-6)
    assert d["max_eclipse_s"] == pytest.approx(float(rep.max_eclipse.to_value(u.s).max()), abs=1e-3)
    assert "per_satellite" not in rep.to_dict(per_satellite=False)
    # The union of every satellite's seasons: one span covering all of them.
    (union,) = rep.constellation_seasons()
    assert union.t0_s == min(s.t0_s for sats in rep.seasons for s in sats)
    assert union.t1_s == max(s.t1_s for sats in rep.seasons for s in sats)
    assert union.cut_start and union.cut_end


# --- issue 18: fractions that partition time --------------------------------------------------

@pytest.mark.parametrize("model", ["conical", "cylindrical"])
def test_fractions_partition_time_and_illumination_is_its_own_key(model):
    shell = orbits.walker(6, 3, 1, "550km", "53deg", epoch="2026-01-01")
    rep = eclipse.eclipses(shell, start="2026-01-01", duration="10d", step="60s", model=model, detail=True)
    total = rep.sunlit_fraction + rep.penumbra_fraction + rep.umbra_fraction
    np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rep.eclipse_fraction, rep.penumbra_fraction + rep.umbra_fraction, rtol=0, atol=1e-12)
    # The power-weighted mean counts the penumbra by its visible part: between the two bounds.
    assert np.all(rep.sunlit_fraction <= rep.illumination_fraction + 1e-12)
    assert np.all(rep.illumination_fraction <= 1.0 - rep.umbra_fraction + 1e-12)
    if model == "conical":
        assert np.all(rep.penumbra_fraction > 0) and np.all(rep.illumination_fraction > rep.sunlit_fraction)
    d = rep.to_dict()
    parts = ("sunlit_fraction", "penumbra_fraction", "umbra_fraction")
    assert sum(d[k] for k in parts) == pytest.approx(1.0, abs=3e-6)          # rounded to 1e-6 each
    for row in d["per_satellite"]:
        assert sum(row[k] for k in parts) == pytest.approx(1.0, abs=3e-6)
        assert "illumination_fraction" in row and "worst_orbit_illumination_fraction" in row
    table = rep.orbit_table
    np.testing.assert_allclose(table.sunlit_fraction + table.eclipse_fraction, 1.0, atol=1e-12)
    assert np.all(table.sunlit_fraction <= table.illumination_fraction + 1e-12)


def test_eclipse_text_names_the_illumination_fraction(run_cli):
    r = run_cli("eclipse", "--orbit", "550km", "--start", "2026-01-01", "--duration", "2d")
    assert r.code == 0, r.err
    assert "illumination fraction" in r.out and "% = umbra" in r.out and "(full Sun)" in r.out
