"""orbitlink.eclipse.geometry: the closed forms of a circular orbit and the sample-wise helpers.

References: the closed-form eclipse fraction of a circular orbit with the issue's values;
skyfield's apparent solar declination (beta of an equatorial orbit); the shadow states and
visible fraction against the core geometry on the same samples.
"""

from __future__ import annotations

import math

import astropy.units as u
import numpy as np
import pytest

from orbitlink import eclipse, orbits
from orbitlink.errors import EclipseError, QuantityError
from orbitlink.propagators import propagate
from orbitlink.times import planets, time_grid

from .conftest import ONE_ARCSECOND_DEG


def test_analytic_fraction_reference_values():
    # Issue 3, R = 6378.137 km: 550 km at beta 0 -> 0.3723 (35.61 min of a 95.65 min orbit).
    assert eclipse.analytic_eclipse_fraction("550km", "0deg") == pytest.approx(0.3723, abs=5e-5)
    assert eclipse.analytic_eclipse_duration("550km", "0deg").to_value(u.min) == pytest.approx(35.61, abs=0.005)
    period_min = 2 * math.pi * math.sqrt((6928.137e3) ** 3 / 3.986004418e14) / 60.0
    assert period_min == pytest.approx(95.65, abs=0.005)
    # 400 km at beta 60 deg -> 0.2633.
    assert eclipse.analytic_eclipse_fraction(400 * u.km, 60 * u.deg) == pytest.approx(0.2633, abs=5e-5)
    # Above the critical beta asin(R / (R + h)) there is no eclipse.
    crit = eclipse.critical_beta("550km")
    assert crit.to_value(u.deg) == pytest.approx(math.degrees(math.asin(6378.137 / 6928.137)), abs=1e-9)
    assert eclipse.analytic_eclipse_fraction("550km", crit + 0.01 * u.deg) == 0.0
    assert eclipse.analytic_eclipse_fraction("550km", crit - 0.5 * u.deg) > 0.0


def test_beta_of_an_equatorial_orbit_is_the_solar_declination():
    grid = time_grid("2026-06-21", "1d", "1h")
    track = propagate(orbits.circular("550km", "0deg"), grid, propagator="two-body")
    beta = eclipse.beta_angle(track)[0].to_value(u.deg)
    eph = planets()
    dec = eph["earth"].at(grid.sf).observe(eph["sun"]).apparent().radec()[1].degrees
    np.testing.assert_allclose(beta, dec, atol=ONE_ARCSECOND_DEG)
    assert beta.max() == pytest.approx(23.43, abs=0.01)  # solstice: the obliquity


def test_shadow_state_and_illuminated_fraction_agree():
    # A day of a 550 km orbit at 60 s: umbra samples see no Sun, penumbra samples part of it.
    track = propagate(orbits.circular("550km", "53deg"), time_grid("2026-03-01", "1d", "60s"))
    state = eclipse.shadow_state(track)
    nu = eclipse.illuminated_fraction(track)
    assert state.dtype == np.int8 and state.shape == nu.shape == (1, 1441)
    assert set(np.unique(state)) <= {0, 1, 2} and (state == 2).sum() > 100
    assert np.all(nu[state == 2] == 0.0) and np.all(nu[state == 0] == 1.0)
    assert np.all((nu[state == 1] > 0.0) & (nu[state == 1] < 1.0))
    cyl = eclipse.shadow_state(track, "cylindrical")
    assert set(np.unique(cyl)) <= {0, 2}
    # The cylinder lies between the umbra and penumbra cones.
    assert (state == 2).sum() <= (cyl == 2).sum() <= (state >= 1).sum()


def test_invalid_samples_and_bad_model():
    track = propagate(orbits.circular("550km"), time_grid("2026-03-01", "1h", "60s"))
    valid = track.valid.copy()
    valid[0, 5] = False
    from dataclasses import replace

    broken = replace(track, valid=valid)
    assert eclipse.shadow_state(broken)[0, 5] == -1
    assert np.isnan(eclipse.illuminated_fraction(broken)[0, 5])
    with pytest.raises(EclipseError, match="shadow.*conical"):
        eclipse.shadow_state(track, "spherical")
    with pytest.raises(QuantityError, match="altitude"):
        eclipse.analytic_eclipse_fraction("550", "0deg")
    with pytest.raises(QuantityError, match="beta"):
        eclipse.analytic_eclipse_fraction("550km", "95deg")
