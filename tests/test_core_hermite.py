"""orbitlink.core.hermite: cubic Hermite interpolation reproduces cubics exactly."""

import numpy as np
import pytest

from orbitlink.core import hermite

# A cubic polynomial per component and satellite: p(t) = sum a_k t^k, p'(t) = sum k a_k t^(k-1).
RNG = np.random.default_rng(7)
COEF = RNG.normal(size=(4, 3, 2)) * np.array([7e6, 7e3, 3.0, 1e-3])[:, None, None]


def _p(t):
    t = np.asarray(t, float)
    return sum(COEF[k][..., None] * t**k for k in range(4))          # (3, 2, T)


def _dp(t):
    t = np.asarray(t, float)
    return sum(k * COEF[k][..., None] * t ** (k - 1) for k in range(1, 4))


def test_interpolate_reproduces_a_cubic_exactly():
    t0, dt = 100.0, 60.0
    t = t0 + dt * np.arange(6)
    r, v = _p(t - t0), _dp(t - t0)                # (3, S=2, T=6)
    x = np.linspace(t0, t[-1], 97)
    sat = np.arange(97) % 2
    got = hermite.interpolate(r, v, t0, dt, sat, x)
    want = _p(x - t0)[:, sat, np.arange(97)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-6)
    # The old entry point: seconds from the grid start.
    got2 = hermite.hermite_positions(r, v, t, sat, x - t0)
    np.testing.assert_allclose(got2, want, rtol=1e-12, atol=1e-6)


def test_power_coefficients_match_end_values_and_derivatives():
    dt = 10.0
    r0, r1 = _p(0.0)[..., 0], _p(dt)[..., 0]
    v0, v1 = _dp(0.0)[..., 0], _dp(dt)[..., 0]
    C = hermite.power_coefficients(r0, v0, r1, v1, dt)
    assert C.shape == (4, 3, 2)
    np.testing.assert_allclose(hermite.evaluate(C, 0.0), r0, rtol=1e-14)
    np.testing.assert_allclose(hermite.evaluate(C, 1.0), r1, rtol=1e-12)
    np.testing.assert_allclose(hermite.derivative(C, 0.0) / dt, v0, rtol=1e-12)
    np.testing.assert_allclose(hermite.derivative(C, 1.0) / dt, v1, rtol=1e-10)
    # Inside: the cubic itself, and its first and second derivatives.
    for tau in (0.1, 0.5, 0.77):
        np.testing.assert_allclose(hermite.evaluate(C, tau), _p(tau * dt)[..., 0], rtol=1e-12)
        np.testing.assert_allclose(hermite.derivative(C, tau) / dt, _dp(tau * dt)[..., 0], rtol=1e-10)
        d2 = sum(k * (k - 1) * COEF[k] * (tau * dt) ** (k - 2) for k in range(2, 4))
        np.testing.assert_allclose(hermite.second_derivative(C, tau) / dt**2, d2, rtol=1e-9)


def test_interpolate_hits_samples_and_errs_fourth_order():
    # A circular orbit is not a cubic: the error shrinks as dt^4 (16x per halving).
    w = 2 * np.pi / 5700.0
    a = 6.9e6

    def state(t):
        return (a * np.stack([np.cos(w * t), np.sin(w * t), 0 * t])[:, None, :],
                a * w * np.stack([-np.sin(w * t), np.cos(w * t), 0 * t])[:, None, :])

    errors = []
    for dt in (60.0, 30.0):
        t = np.arange(0.0, 600.0 + dt, dt)
        r, v = state(t)
        np.testing.assert_allclose(hermite.interpolate(r, v, 0.0, dt, np.zeros(t.size, int), t), r[:, 0],
                                   rtol=1e-14, atol=1e-6)
        x = np.linspace(0.0, 600.0, 301)
        err = hermite.interpolate(r, v, 0.0, dt, np.zeros(x.size, int), x) - state(x)[0][:, 0]
        errors.append(np.abs(err).max())
    assert errors[0] < 1.0                              # 0.3-0.7 m at 60 s in LEO
    assert errors[0] / errors[1] == pytest.approx(16.0, rel=0.2)


def test_power_coefficients_into_a_given_array():
    r0, v0, r1, v1 = (RNG.normal(size=5) for _ in range(4))
    out = np.empty((4, 3, 5))
    got = hermite.power_coefficients(r0, v0, r1, v1, 2.0, out=out[:, 1])
    assert np.shares_memory(got, out)
    np.testing.assert_array_equal(out[:, 1], hermite.power_coefficients(r0, v0, r1, v1, 2.0))
