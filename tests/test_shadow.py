"""orbitlink.shadow.shadow: the pure-numpy geometry, against independent constructions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitlink.constants import AU_M, R_EARTH_M
from orbitlink.core import shadow

# The Sun on the +x axis at 1 AU; positions in the x-y plane are enough for every case.
SUN = np.array([AU_M, 0.0, 0.0])
A_LEO = R_EARTH_M + 550e3


def _at_angle(psi_rad, a_m=A_LEO):
    """Position at radius a whose angle from the Sun direction (at the Earth) is psi."""
    psi = np.asarray(psi_rad, dtype=float)
    return np.stack([a_m * np.cos(psi), a_m * np.sin(psi), np.zeros_like(psi)])


def _overlap_fraction_numeric(c, a, b, n=2001):
    """Visible fraction of a disk of radius a whose centre is c from a disk of radius b,
    by counting grid points inside the small disk (flat geometry, independent of eq. 3.88)."""
    x = np.linspace(-a, a, n)
    X, Y = np.meshgrid(x, x)
    in_sun = X**2 + Y**2 <= a * a
    hidden = (X + c) ** 2 + Y**2 <= b * b  # the occulting disk's centre is at (-c, 0)
    return 1.0 - np.count_nonzero(in_sun & hidden) / np.count_nonzero(in_sun)


@pytest.mark.parametrize("c_over", [0.1, 0.35, 0.5, 0.65, 0.9])
def test_penumbra_fraction_matches_numerical_disk_overlap(c_over):
    # Montenbruck & Gill eq. (3.88)-(3.89) against counting points; a = Sun, b = Earth
    # seen from LEO (0.266 deg and ~66 deg: a nearly straight limb).
    a, b = 4.65e-3, math.radians(66.0)
    c = (b - a) + 2.0 * a * c_over  # from internal to external tangency
    nu = shadow.illuminated_fraction_from_angles(c, a, b)
    assert nu == pytest.approx(_overlap_fraction_numeric(c, a, b), abs=2e-3)


def test_illuminated_fraction_limits_and_antisymmetry():
    a, b = 4.65e-3, math.radians(66.0)
    assert shadow.illuminated_fraction_from_angles(b + a + 1e-6, a, b) == 1.0
    assert shadow.illuminated_fraction_from_angles(b - a - 1e-6, a, b) == 0.0
    # Behind a (nearly) straight limb, nu(b + d) + nu(b - d) = 1.
    d = np.linspace(0.0, a, 7)
    total = shadow.illuminated_fraction_from_angles(b + d, a, b) + shadow.illuminated_fraction_from_angles(b - d, a, b)
    np.testing.assert_allclose(total, 1.0, atol=2e-3)
    # Annular eclipse (Earth disk inside the Sun's, only beyond ~1.4 million km): 1 - (b/a)^2.
    assert shadow.illuminated_fraction_from_angles(0.0, 0.01, 0.005) == pytest.approx(0.75)


def test_conical_and_cylindrical_boundaries():
    # A satellite straight behind the Earth is in the umbra; straight in front, in sunlight.
    for model in shadow.MODELS:
        assert shadow.shadow_state(_at_angle(np.pi), SUN, model) == shadow.UMBRA
        assert shadow.shadow_state(_at_angle(0.0), SUN, model) == shadow.SUNLIT
    # Cylinder edge: distance from the Sun line equals R_earth behind the Earth.
    psi_edge = np.pi - math.asin(R_EARTH_M / A_LEO)
    g = shadow.cylindrical_function(_at_angle(psi_edge), SUN)
    assert abs(g) < 1e-3  # metres
    # The conical penumbra starts before and the umbra after the cylinder edge.
    gp, gu = shadow.conical_functions(_at_angle(psi_edge), SUN)
    assert gp < 0.0 < gu


def test_no_spurious_shadow_on_the_day_side():
    # Escobal's cone function (poliastro/hapsira) also vanishes on the mirror cone in
    # front of the Earth; the functions here stay positive on the whole day side.
    psi = np.linspace(-np.pi / 2, np.pi / 2, 10_001)
    gp, gu = shadow.conical_functions(_at_angle(psi), SUN)
    assert gp.min() > 0.35 and gu.min() > 0.35  # radians (c - b is 0.40 at the terminator)
    assert shadow.cylindrical_function(_at_angle(psi), SUN).min() > 0.0


def test_circular_thresholds_are_the_tangency_points():
    for model in shadow.MODELS:
        for x in shadow.circular_thresholds(A_LEO, AU_M, model):
            r = _at_angle(np.arccos(x))
            g = shadow.shadow_functions(r, SUN, model)
            # x sits on one of the model's boundaries (its function is zero there).
            assert min(abs(v) for v in np.ravel(g)) < (1e-9 if model == "conical" else 1e-3)


def test_circular_angles_match_vector_geometry():
    psi = np.linspace(2.0, np.pi, 50)
    c1, a1, b1 = shadow.conical_angles(_at_angle(psi), SUN[:, None])
    c2, a2, b2 = shadow.circular_angles(np.cos(psi), A_LEO, AU_M)
    np.testing.assert_allclose(c1, c2, atol=1e-12)
    np.testing.assert_allclose(a1, a2, rtol=1e-12)
    np.testing.assert_allclose(b1, b2, rtol=1e-12)


def test_beta_angle_and_normal():
    r = np.array([A_LEO, 0.0, 0.0])
    v = np.array([0.0, 5000.0, 5000.0])  # 45 deg inclined about x
    n = shadow.orbit_normal(r, v)
    np.testing.assert_allclose(n, [0.0, -math.sqrt(0.5), math.sqrt(0.5)], atol=1e-15)
    sun_up = np.array([0.0, -AU_M, AU_M])  # along the normal: beta = 90 deg
    assert math.degrees(shadow.beta_angle_rad(n, sun_up)) == pytest.approx(90.0)
    assert shadow.beta_angle_rad(n, SUN) == pytest.approx(0.0, abs=1e-15)


def test_vectorized_shapes():
    rng = np.random.default_rng(1)
    r = rng.normal(size=(3, 5, 7)) * 7e6
    sun = np.tile(SUN[:, None], (1, 7))[:, None, :]
    assert shadow.illuminated_fraction(r, sun).shape == (5, 7)
    assert shadow.shadow_state(r, sun, "cylindrical").shape == (5, 7)
