"""Vectorized bracketed numerics: roots (Illinois, bisection) and extrema (golden section).

One implementation each, shared by the eclipse engine and the pass search
(they were written three times before).  Every function works on N brackets at
once: ``func(index, x)`` evaluates the items ``index`` (an int array into the
brackets) at the points ``x`` (same shape) and returns the values; items that
have converged drop out of the evaluations, so a few slow brackets do not cost a
full evaluation each.

Sign convention: a root is the boundary between ``f >= 0`` and ``f < 0`` (the
visibility test's "visible", the shadow functions' "outside").  A bracket
straddles when its two ends are in different states.

Pure numpy, float64; times are seconds but any unit works (``tol_s`` is in the
unit of ``a`` and ``b``).
"""

from __future__ import annotations

import math

import numpy as np

# 1 / golden ratio: each golden-section step keeps this fraction of the bracket.
INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0

__all__ = ["INV_PHI", "bisect", "golden_section", "illinois"]


def _all(n):
    return np.arange(n)


def illinois(func, a, b, fa=None, fb=None, *, tol_s: float = 0.0, max_iter: int = 60):
    """Roots of ``func(index, x)`` in brackets ``[a, b]`` (all brackets at once).

    Illinois variant of regula falsi (Dowell & Jarratt 1971): superlinear
    (order ~1.44), never leaves the bracket.  ``fa``/``fb`` are the values at
    the ends if known (else evaluated); ``a > b`` is allowed.  Returns the last
    iterate of each bracket, which is

    - an end, when the ends do not straddle 0 (a numerically tangent crossing):
      the one with the smaller ``|f|`` (``a`` on a tie);
    - NaN, when an end value (or a value met on the way) is not finite;
    - the point itself, when ``func`` is exactly 0 there.

    An item stops when its bracket is narrower than ``tol_s`` or its last step
    moved less than ``tol_s / 100``; with ``tol_s=0`` every straddling bracket
    takes exactly ``max_iter`` steps (what the pass search wants: a fixed,
    measured iteration count).
    """
    a = np.array(a, dtype=np.float64, ndmin=1)
    b = np.array(b, dtype=np.float64, ndmin=1)
    n = a.size
    if n == 0:
        return a.copy()
    fa = func(_all(n), a) if fa is None else fa
    fb = func(_all(n), b) if fb is None else fb
    fa = np.array(np.broadcast_to(fa, a.shape), dtype=np.float64)
    fb = np.array(np.broadcast_to(fb, a.shape), dtype=np.float64)
    finite = np.isfinite(fa) & np.isfinite(fb)
    root = np.where(np.abs(fa) <= np.abs(fb), a, b)
    root[~finite] = np.nan
    straddle = finite & ((fa >= 0.0) != (fb >= 0.0))
    active = np.flatnonzero(straddle & ~(np.abs(b - a) < tol_s))
    side = np.zeros(n, np.int8)      # which end the last step replaced: 1 b, -1 a
    last = np.full(n, np.inf)
    for _ in range(max_iter):
        if active.size == 0:
            break
        xa, xb, ya, yb = a[active], b[active], fa[active], fb[active]
        denom = yb - ya
        with np.errstate(invalid="ignore", divide="ignore"):
            x = np.where(denom != 0.0, (xa * yb - xb * ya) / denom, 0.5 * (xa + xb))
        x = np.clip(x, np.minimum(xa, xb), np.maximum(xa, xb))
        y = np.asarray(func(active, x), dtype=np.float64)
        root[active] = x
        moved = np.abs(x - last[active])
        last[active] = x
        same_b = (y >= 0.0) == (yb >= 0.0)      # x replaces the end in the same state
        st = side[active]
        # Illinois: halve the stale end's value when the same end was replaced twice in a row.
        ya = np.where(same_b & (st == 1), ya * 0.5, ya)
        yb = np.where(~same_b & (st == -1), yb * 0.5, yb)
        a[active] = np.where(same_b, xa, x)
        fa[active] = np.where(same_b, ya, y)
        b[active] = np.where(same_b, x, xb)
        fb[active] = np.where(same_b, y, yb)
        side[active] = np.where(same_b, 1, -1)
        bad = ~np.isfinite(y)
        root[active[bad]] = np.nan
        done = bad | (y == 0.0) | (np.abs(b[active] - a[active]) < tol_s) | (moved < tol_s * 1e-2)
        if done.any():
            active = active[~done]
    return root


def golden_section(func, a, b, *, maximize: bool = False, tol_s: float = 0.0, max_iter: int = 60,
                   include_ends: bool = False):
    """Minimum (or maximum) of a unimodal ``func(index, x)`` on each ``[a, b]``: ``(x, f(x))``.

    Golden-section search, vectorized: one new evaluation per step, the
    bracket shrinks by ``INV_PHI`` each step (a 20 s bracket reaches 2 ms in 24
    steps).  Stops after ``max_iter`` steps or when every bracket is narrower
    than ``tol_s``.  The result is the better of the two interior points;
    ``include_ends`` also compares the bracket's ends (for an extremum on the
    edge, e.g. a pass cut by the window).
    """
    lo = np.array(a, dtype=np.float64, ndmin=1)
    hi = np.array(b, dtype=np.float64, ndmin=1)
    if lo.size == 0:
        return lo.copy(), lo.copy()
    sign = -1.0 if maximize else 1.0          # minimize sign * f

    def f(x):
        return sign * np.asarray(func(idx, x), dtype=np.float64)

    idx = _all(lo.size)
    a_, b_ = lo.copy(), hi.copy()
    c = b_ - INV_PHI * (b_ - a_)
    d = a_ + INV_PHI * (b_ - a_)
    fc, fd = f(c), f(d)
    for _ in range(max_iter):
        if tol_s > 0.0 and np.all(np.abs(b_ - a_) < tol_s):
            break
        left = fc <= fd          # the extremum is in [a, d], else in [c, b]
        b_ = np.where(left, d, b_)
        a_ = np.where(left, a_, c)
        # The surviving interior point is reused.
        new_x = np.where(left, b_ - INV_PHI * (b_ - a_), a_ + INV_PHI * (b_ - a_))
        f_new = f(new_x)
        c_old, fc_old = c, fc
        c = np.where(left, new_x, d)
        fc = np.where(left, f_new, fd)
        d = np.where(left, c_old, new_x)
        fd = np.where(left, fc_old, f_new)
    x = np.where(fc <= fd, c, d)
    fx = np.minimum(fc, fd)
    if include_ends:
        f_lo, f_hi = f(lo), f(hi)
        x = np.where(f_lo < fx, lo, x)
        fx = np.minimum(fx, f_lo)
        x = np.where(f_hi < fx, hi, x)
        fx = np.minimum(fx, f_hi)
    return x, sign * fx


def bisect(func, a, b, *, max_iter: int = 40):
    """Roots of ``func(index, x)`` in brackets ``[a, b]`` by bisection (all at once).

    The state of ``a`` (``f >= 0`` or not) is evaluated once; every step keeps
    the half whose ends differ in state.  Returns the final midpoint: after 40
    steps the bracket is 1e-12 of its start.  Robust where the function is
    not smooth enough for regula falsi; ``b`` is assumed to be in the other state.
    """
    a = np.array(a, dtype=np.float64, ndmin=1)
    b = np.array(b, dtype=np.float64, ndmin=1)
    if a.size == 0:
        return a.copy()
    idx = _all(a.size)
    state_a = np.asarray(func(idx, a)) >= 0.0
    for _ in range(max_iter):
        m = 0.5 * (a + b)
        like_a = (np.asarray(func(idx, m)) >= 0.0) == state_a
        a = np.where(like_a, m, a)
        b = np.where(like_a, b, m)
    return 0.5 * (a + b)
