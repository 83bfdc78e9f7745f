"""Refinement of the pass search: AOS/LOS on the mask, TCA and maximum elevation, grazing passes.

Steps 3 and 4 of the search described in :mod:`orbitlink.core.passes`.  Each
function works on all items at once, on :class:`~orbitlink.core.pass_segments.StationSegments`
(cubic Hermite segments gathered once), in blocks of ``REFINE_BLOCK`` items so
the temporaries stay in the CPU cache.  Times are seconds from the grid start.

- Crossings: safeguarded Newton (bisection when a step leaves the bracket),
  quadratic convergence, to microseconds; azimuth masks (piecewise linear in
  azimuth, no useful derivative) use Illinois regula falsi
  (:func:`orbitlink.core.roots.illinois`).
- Peaks: Newton iteration on the slope of sin(el), from a parabolic first
  guess or from the segment where the slope changes sign.
- Grazing passes (rise and set between two scan samples): golden-section
  maximum of the test function (:func:`orbitlink.core.roots.golden_section`),
  then Illinois for AOS and LOS.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import hermite, roots
from .pass_segments import SearchTrack, StationSegments, by_index
from .topocentric import dot3

ILLINOIS_ITERATIONS = 8
GOLDEN_ITERATIONS = 24  # 20 s bracket -> 20 * 0.618**24 = 2 ms (grazing passes only)
PEAK_NEWTON_ITERATIONS = 3
CROSSING_TOL_S = 1e-4
# Items refined together: (3, n) float64 temporaries of ~100 KiB stay in the CPU cache.
REFINE_BLOCK = 16384
ROOT_NEWTON_ITERATIONS = 8


# --- crossings (AOS/LOS) ---------------------------------------------------------------------

def refine_crossings(segments: StationSegments, a, b, fa=None, fb=None):
    """Time in [a, b] where ``segments.g`` changes sign, in cache-sized blocks
    (``fa``, ``fb``: g at the ends, if known)."""
    n = np.size(a)
    if n <= REFINE_BLOCK:
        return _crossing_block(segments, a, b, fa, fb)
    out = np.empty(n)
    for lo in range(0, n, REFINE_BLOCK):
        hi = min(n, lo + REFINE_BLOCK)
        out[lo:hi] = _crossing_block(segments.block(lo, hi), a[lo:hi], b[lo:hi],
                                     None if fa is None else fa[lo:hi], None if fb is None else fb[lo:hi])
    return out


def _crossing_block(segments: StationSegments, a, b, fa=None, fb=None):
    """Constant thresholds: safeguarded Newton from the secant point (bisection
    when a step leaves the bracket), quadratic convergence; items that have
    converged (step below a microsecond) drop out, so the few near-grazing
    crossings that need more steps do not cost a full pass each.  Azimuth
    masks (piecewise linear in azimuth, no useful derivative): Illinois.
    """
    if segments.sites.table is not None or np.size(a) == 0:
        return roots.illinois(by_index(segments, "g"), a, b, max_iter=ILLINOIS_ITERATIONS)
    a = np.array(a, float)
    b = np.array(b, float)
    if fa is None or fb is None:
        fa, _ = segments.g_and_rate(a)
        fb, _ = segments.g_and_rate(b)
    fa, fb = np.asarray(fa, float), np.asarray(fb, float)
    rising = fb >= 0            # the visible end is b
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.where(fb != fa, (a * fb - b * fa) / (fb - fa), 0.5 * (a + b))
    x = np.clip(x, a, b)
    out = x.copy()
    idx = np.arange(a.size)
    lo, hi = a.copy(), b.copy()
    for it in range(ROOT_NEWTON_ITERATIONS):
        f, df = segments.g_and_rate(x)
        to_hi = (f >= 0) == rising           # x replaces the end in the same state
        hi = np.where(to_hi, x, hi)
        lo = np.where(to_hi, lo, x)
        with np.errstate(invalid="ignore", divide="ignore"):
            step = x - f / df
        ok = np.isfinite(step) & (step >= lo) & (step <= hi)
        new = np.where(ok, step, 0.5 * (lo + hi))
        out[idx] = new
        # Quadratic convergence: after a step under CROSSING_TOL_S the error is ~its square.
        moving = ~(np.abs(new - x) < CROSSING_TOL_S)
        x = new
        if it + 1 < ROOT_NEWTON_ITERATIONS and not moving.all():
            keep = np.flatnonzero(moving)
            if keep.size == 0:
                break
            idx, x, lo, hi, rising = idx[keep], x[keep], lo[keep], hi[keep], rising[keep]
            segments = segments.subset(keep)
    bad = ~np.isfinite(fa) | ~np.isfinite(fb)
    return np.where(bad, np.nan, out)


# --- peaks (TCA, maximum elevation) ----------------------------------------------------------

def newton_peak(segments: StationSegments, a, b, x, rising, check_end: bool = True,
                iterations: int | None = None):
    """Maximum of sin(el) on [a, b] (one segment) where it rises at ``a`` (``rising``) or
    falls at ``b`` (otherwise), from the first guess ``x``: ``(t, sin_el)``.
    ``check_end``: also test the other end, in case the function is monotonic
    there and the peak is that end.  Works in cache-sized blocks."""
    n = np.size(a)
    if n <= REFINE_BLOCK:
        return _newton_peak_block(segments, a, b, x, rising, check_end, iterations)
    tx, val = np.empty(n), np.empty(n)
    for lo in range(0, n, REFINE_BLOCK):
        hi = min(n, lo + REFINE_BLOCK)
        tx[lo:hi], val[lo:hi] = _newton_peak_block(segments.block(lo, hi), a[lo:hi], b[lo:hi], x[lo:hi],
                                                   rising[lo:hi], check_end, iterations)
    return tx, val


def _newton_peak_block(segments, a, b, x, rising, check_end=True, iterations=None):
    if check_end:
        other = np.where(rising, b, a)
        H_end, _ = segments.slope_and_curvature(other)
        at_end = np.where(rising, H_end >= 0, H_end <= 0)
    lo, hi = a.copy(), b.copy()
    for _ in range(PEAK_NEWTON_ITERATIONS if iterations is None else iterations):
        H, dH = segments.slope_and_curvature(x)
        up_ = H > 0
        lo = np.where(up_, x, lo)
        hi = np.where(up_, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - H / dH * segments.dt
        ok = (dH < 0) & (step >= lo) & (step <= hi)
        x = np.where(ok, step, 0.5 * (lo + hi))
    if check_end:
        x = np.where(at_end, other, x)
    return x, segments.sin_el(x)


def peak_between(track: SearchTrack, keys, lo, hi, rounds: int = 8):
    """Maximum of sin(el) between ``lo`` and ``hi`` (a pass's AOS and LOS), for passes whose
    peak sample lies on a coarse node or at the pass's end: ``(t, sin_el)``.

    Starts in the track segment at the middle of the pass and walks one segment
    towards the peak while the slope at the segment's end says it lies beyond
    (LEO passes are nearly symmetric: one or two steps); then Newton in that segment.
    """
    dt = track.dt_s
    n = keys.size
    x_out, v_out = np.empty(n), np.empty(n)
    x = 0.5 * (lo + hi)
    todo = np.arange(n)
    for it in range(rounds):
        seg = track.segments(keys[todo], x[todo], 1)
        lo_t, hi_t = lo[todo], hi[todo]
        a = np.maximum(seg.x0_s, lo_t)
        b = np.minimum(seg.x0_s + dt, hi_t)
        Ha, _ = seg.slope_and_curvature(a)
        Hb, _ = seg.slope_and_curvature(b)
        left = (Ha <= 0) & (a > lo_t)
        right = (Hb >= 0) & (b < hi_t) & ~left
        here = ~(left | right) if it < rounds - 1 else np.ones(todo.size, bool)
        if here.any():
            h = np.flatnonzero(here)
            sub = seg.subset(h)
            # Inside [a, b]: rising at a unless the pass starts falling (peak at a).
            xs, vs = newton_peak(sub, a[h], b[h], 0.5 * (a[h] + b[h]), Ha[h] > 0)
            xs = np.where(Ha[h] <= 0, a[h], xs)
            x_out[todo[h]] = xs
            v_out[todo[h]] = sub.sin_el(xs)
        x[todo[left]] = a[left] - 1e-6 * dt
        x[todo[right]] = b[right] + 1e-6 * dt
        todo = todo[left | right]
        if todo.size == 0:
            break
    return x_out, v_out


def peak_of_long_passes(track: SearchTrack, keys, lo, hi, scan_step_s):
    """Highest scan sample of each (long) pass, then refined next to it: ``(t, sin_el)``."""
    ds, G, sites = scan_step_s, track.n_stations, track.sites
    n_s = np.floor((hi - lo) / ds).astype(np.int64) + 1
    rep = np.repeat(np.arange(keys.size), n_s)
    off = np.arange(rep.size) - np.repeat(np.cumsum(n_s) - n_s, n_s)
    x = np.minimum(lo[rep] + off * ds, hi[rep])
    pos = hermite.interpolate(track.r_itrs_m, track.v_itrs_m_s, 0.0, track.dt_s, keys[rep] // G, x)
    d = pos - sites.pos[:, keys[rep] % G]
    val = dot3(sites.enu[2][:, keys[rep] % G], d) / np.sqrt(dot3(d, d))
    best = np.full(keys.size, -np.inf)
    np.maximum.at(best, rep, val)
    win = np.flatnonzero(val == best[rep])
    x_best = np.empty(keys.size)
    x_best[rep[win]] = x[win]
    return refine_peak(track, keys, x_best, ds, lo, hi)


def refine_peak(track: SearchTrack, keys, x_sample, ds, lo_lim, hi_lim, y_m=None, y_0=None, y_p=None):
    """Time and sin(elevation) of the maximum near scan sample ``x_sample`` within [lo_lim, hi_lim].

    A parabola through the sample and its two neighbours (``y_m``, ``y_0``,
    ``y_p``, sin(el) values; NaN where unknown) gives the side of the peak and
    a first guess; without them, the slope at ``x_sample`` gives the side.  That scan
    interval lies inside one track segment, where a safeguarded Newton
    iteration on the slope converges quadratically from the guess.
    """
    n = keys.size
    side = np.zeros(n, np.int8)
    guess = np.full(n, np.nan)
    if y_m is not None:
        denom = y_m - 2.0 * y_0 + y_p
        ok = np.isfinite(denom) & (denom < 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.clip(0.5 * (y_m - y_p) / denom, -1.0, 1.0)
        side = np.where(ok, np.where(delta > 0, 1, -1), 0).astype(np.int8)
        guess = np.where(ok, x_sample + delta * ds, np.nan)
    unknown = np.flatnonzero(side == 0)
    if unknown.size:
        right = track.segments(keys[unknown], x_sample[unknown], 1)
        H0, _ = right.slope_and_curvature(x_sample[unknown])
        side[unknown] = np.where(H0 > 0, 1, -1)
    rising = side > 0
    a = np.where(rising, x_sample, np.maximum(x_sample - ds, lo_lim))
    b = np.where(rising, np.minimum(x_sample + ds, hi_lim), x_sample)
    seg = track.segments(keys, np.minimum(a, b), 1)
    x0 = np.where(np.isfinite(guess), np.clip(guess, a, b), 0.5 * (a + b))
    return newton_peak(seg, a, b, x0, rising)


# --- grazing passes --------------------------------------------------------------------------

class GrazingPasses(NamedTuple):
    """Passes that rise and set between two scan samples (P,): key = satellite * G + station."""

    key: np.ndarray
    aos_s: np.ndarray
    tca_s: np.ndarray
    los_s: np.ndarray
    sin_max_elevation: np.ndarray

    @classmethod
    def empty(cls) -> "GrazingPasses":
        return cls(np.empty(0, np.int64), *(np.empty(0) for _ in range(4)))


def grazing_passes(track: SearchTrack, keys, scan_index, last_scan: int, ds) -> GrazingPasses:
    """Passes hidden between scan samples: candidates are local maxima of the test
    function just below zero at scan sample ``scan_index`` of item ``keys``; those whose
    interpolated maximum is above the threshold become passes."""
    if keys.size == 0:
        return GrazingPasses.empty()
    code = np.unique(keys * (last_scan + 1) + scan_index)
    keys, q = code // (last_scan + 1), code % (last_scan + 1)
    inner = (q > 0) & (q < last_scan)
    keys, q = keys[inner], q[inner]
    if keys.size == 0:
        return GrazingPasses.empty()
    lo, hi = (q - 1) * ds, (q + 1) * ds
    seg = track.segments(keys, lo, 2)
    g0, gm, gp = seg.g(q * ds), seg.g(lo), seg.g(hi)
    keep = (g0 >= gm) & (g0 >= gp) & (g0 < 0)
    if not keep.any():
        return GrazingPasses.empty()
    keys, lo, hi = keys[keep], lo[keep], hi[keep]
    seg = track.segments(keys, lo, 2)
    t_peak, g_peak = roots.golden_section(by_index(seg, "g"), lo, hi, maximize=True,
                                          max_iter=GOLDEN_ITERATIONS, include_ends=True)
    above = g_peak > 0
    if not above.any():
        return GrazingPasses.empty()
    keys, lo, hi, t_peak = keys[above], lo[above], hi[above], t_peak[above]
    seg = track.segments(keys, lo, 2)
    aos = roots.illinois(by_index(seg, "g"), lo, t_peak, max_iter=ILLINOIS_ITERATIONS)
    los = roots.illinois(by_index(seg, "g"), t_peak, hi, max_iter=ILLINOIS_ITERATIONS)
    return GrazingPasses(keys, aos, t_peak, los, seg.sin_el(t_peak))
