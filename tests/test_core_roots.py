"""orbitlink.core.roots: vectorized Illinois, golden section and bisection against scipy."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from orbitlink.core import roots

# (function of x, bracket) with one sign change inside each bracket.
FUNCTIONS = [
    (lambda x: np.cos(1e-3 * x + 0.3) - 0.4, (0.0, 1500.0)),
    (lambda x: x**3 - 2.0 * x - 5.0, (2.0, 3.0)),                      # Newton's classic
    (lambda x: np.exp(x) - 10.0, (0.0, 5.0)),
    (lambda x: np.arctan(x - 1.3) * 1e-6, (-4.0, 9.0)),                 # tiny values
    (lambda x: (x - 0.7) ** 5, (0.0, 2.0)),                             # flat root, slow for regula falsi
    (lambda x: np.sin(x) - 0.5 * x, (1.0, 3.0)),
]


def _indexed(funcs):
    """func(index, x) over a list of scalar functions (one per bracket)."""
    def f(idx, x):
        return np.array([funcs[i](xi) for i, xi in zip(idx, x)], dtype=float)
    return f


def test_illinois_matches_brentq_all_brackets_at_once():
    funcs = [f for f, _ in FUNCTIONS]
    a = np.array([br[0] for _, br in FUNCTIONS])
    b = np.array([br[1] for _, br in FUNCTIONS])
    got = roots.illinois(_indexed(funcs), a, b, tol_s=1e-12, max_iter=200)
    for (f, (lo, hi)), x in zip(FUNCTIONS, got):
        assert x == pytest.approx(brentq(f, lo, hi, xtol=1e-12, maxiter=500), abs=1e-7)


def test_illinois_fixed_iterations_and_reversed_brackets():
    f = lambda idx, x: np.cos(1e-3 * x + 0.3) - 0.4  # noqa: E731
    t = np.arange(0.0, 20_000.0, 60.0)
    g = f(None, t)
    k = np.flatnonzero(np.sign(g[1:]) != np.sign(g[:-1]))
    exact = [brentq(lambda x: f(None, x), t[i], t[i + 1], xtol=1e-12) for i in k]
    # tol_s=0: a fixed number of steps (the pass search uses 8 from a 60 s bracket).
    got = roots.illinois(f, t[k], t[k + 1], g[k], g[k + 1], max_iter=8)
    np.testing.assert_allclose(got, exact, atol=1e-6)
    got_rev = roots.illinois(f, t[k + 1], t[k], max_iter=8)      # a > b is allowed
    np.testing.assert_allclose(got_rev, exact, atol=1e-6)
    # A tolerance stops early but stays within it.
    got_tol = roots.illinois(f, t[k], t[k + 1], tol_s=1e-3)
    np.testing.assert_allclose(got_tol, exact, atol=1e-3)


def test_illinois_evaluates_only_active_items():
    seen = []

    def f(idx, x):
        seen.append(np.array(idx))
        return x - np.array([0.25, 0.5, 0.75])[idx]

    a, b = np.zeros(3), np.ones(3)
    got = roots.illinois(f, a, b, tol_s=1e-9)
    np.testing.assert_allclose(got, [0.25, 0.5, 0.75], atol=1e-9)
    assert seen[0].tolist() == [0, 1, 2]
    # Linear functions: the secant hits each root exactly and the item drops out.
    assert all(s.size <= 3 for s in seen) and len(seen) <= 4


def test_illinois_non_straddling_and_non_finite_brackets():
    f = lambda idx, x: x**2 - 1.0  # noqa: E731
    a = np.array([2.0, -3.0, 0.0, 1.0, np.nan])
    b = np.array([3.0, -2.5, 2.0, 4.0, 2.0])
    got = roots.illinois(f, a, b, max_iter=50)
    assert got[0] == 2.0            # no sign change: the end with the smaller |f|
    assert got[1] == -2.5
    assert got[2] == pytest.approx(1.0, abs=1e-12)
    assert got[3] == 1.0            # exact zero at an end
    assert np.isnan(got[4])         # non-finite end value
    fa = np.array([np.inf, -1.0])
    fb = np.array([1.0, np.nan])
    assert np.isnan(roots.illinois(f, np.zeros(2), np.ones(2), fa, fb)).all()
    assert roots.illinois(f, np.empty(0), np.empty(0)).shape == (0,)


def test_illinois_sign_convention_zero_is_nonnegative():
    # f >= 0 and f < 0 are the two states: a bracket from 0 to a negative value straddles
    # and its root is the end where f is exactly 0.
    f = lambda idx, x: -x  # noqa: E731
    assert roots.illinois(f, np.array([0.0]), np.array([1.0]))[0] == 0.0
    assert roots.illinois(f, np.array([-1.0]), np.array([0.0]))[0] == 0.0


@pytest.mark.parametrize("func, bracket", [
    (lambda x: (x - 1.234) ** 2 + 3.0, (0.0, 4.0)),
    (lambda x: np.cos(1e-3 * x + 0.3) - 0.4, (2_000.0, 4_000.0)),
    (lambda x: np.cosh(x - 0.3), (-2.0, 5.0)),
    (lambda x: -np.exp(-((x - 7.5) ** 2)), (0.0, 10.0)),
])
def test_golden_section_matches_minimize_scalar(func, bracket):
    ref = minimize_scalar(func, bounds=bracket, method="bounded", options={"xatol": 1e-10})
    x, fx = roots.golden_section(lambda idx, t: func(t), np.array([bracket[0]]), np.array([bracket[1]]),
                                 max_iter=80)
    assert x[0] == pytest.approx(ref.x, abs=1e-6 * max(1.0, abs(ref.x)))
    assert fx[0] == pytest.approx(ref.fun, abs=1e-10)
    # Maximum of -f is the minimum of f.
    xm, fm = roots.golden_section(lambda idx, t: -func(t), np.array([bracket[0]]), np.array([bracket[1]]),
                                  maximize=True, max_iter=80)
    assert xm[0] == pytest.approx(x[0], abs=1e-9 * max(1.0, abs(x[0])))
    assert fm[0] == pytest.approx(-fx[0])


def test_golden_section_vectorized_tolerance_and_ends():
    centres = np.array([1.0, 2.5, 3.9])
    f = lambda idx, x: (x - centres[idx]) ** 2  # noqa: E731
    a, b = np.zeros(3), np.full(3, 4.0)
    x, fx = roots.golden_section(f, a, b, tol_s=1e-3)
    np.testing.assert_allclose(x, centres, atol=1e-3)
    # 24 steps from 20 s: 2 ms (the pass search's grazing peaks).
    x24, _ = roots.golden_section(lambda idx, t: -(t - 7.3) ** 2, np.zeros(1), np.full(1, 20.0),
                                  maximize=True, max_iter=24)
    assert abs(x24[0] - 7.3) < 20 * roots.INV_PHI**24
    # Monotonic: the interior points never reach the end; include_ends returns it.
    g = lambda idx, x: x  # noqa: E731
    x_in, _ = roots.golden_section(g, np.zeros(1), np.ones(1), maximize=True, max_iter=10)
    assert x_in[0] < 1.0
    x_end, f_end = roots.golden_section(g, np.zeros(1), np.ones(1), maximize=True, max_iter=10,
                                        include_ends=True)
    assert x_end[0] == 1.0 and f_end[0] == 1.0
    assert roots.golden_section(g, np.empty(0), np.empty(0))[0].shape == (0,)


def test_bisect_matches_brentq():
    funcs = [f for f, _ in FUNCTIONS]
    a = np.array([br[0] for _, br in FUNCTIONS])
    b = np.array([br[1] for _, br in FUNCTIONS])
    got = roots.bisect(_indexed(funcs), a, b, max_iter=60)
    for (f, (lo, hi)), x in zip(FUNCTIONS, got):
        assert x == pytest.approx(brentq(f, lo, hi, xtol=1e-12, maxiter=500), abs=1e-9 * max(1.0, hi - lo))
    # Either end may be the non-negative one; 40 steps leave 1e-12 of the bracket.
    got = roots.bisect(lambda idx, x: math.pi - x, np.array([4.0]), np.array([3.0]))
    assert got[0] == pytest.approx(math.pi, abs=1e-11)


def test_shadow_aliases_still_work():
    from orbitlink.core import shadow

    f = lambda idx, t: np.cos(1e-3 * t + 0.3) - 0.4  # noqa: E731
    r = shadow.bracketed_roots(f, np.array([0.0]), np.array([1500.0]), f(None, 0.0), f(None, 1500.0))
    assert r[0] == pytest.approx((math.acos(0.4) - 0.3) / 1e-3, abs=1e-3)
    t, g = shadow.minimize_bracketed(f, np.array([2_000.0]), np.array([4_000.0]))
    assert t[0] == pytest.approx((math.pi - 0.3) / 1e-3, abs=0.02)
