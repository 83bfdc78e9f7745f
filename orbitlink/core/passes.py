"""The pass search: every pass of S satellites over G stations, AOS/LOS on the mask (numpy, SI float64).

Inputs are satellite states in the ITRS, ``r_itrs_m``/``v_itrs_m_s`` of shape
(3, S, T) on a uniform time grid ``t_s`` (T,), and G stations as
:class:`~orbitlink.core.topocentric.Sites` (positions, horizon bases and an
elevation threshold: a floor and, optionally, an azimuth-dependent table).

:func:`find_passes` never forms the S x G x T cube:

1. **Cone screen, two levels (the skip-ahead)**, :mod:`orbitlink.core.pass_screen`.
   A satellite at radius r can be above a station's lowest threshold only
   while the angle at the Earth's centre between them is below
   ``acos(rho cos(e') / r) - e'`` (rho: the station's geocentric radius; e':
   its threshold less the tilt between its geodetic and geocentric verticals).
   Every ``screen_step_s`` (300 s) one thin float32 matrix product tests all
   pairs against that cone widened by how far the satellite's direction can
   turn in half the interval; inside the kept intervals, every
   ``coarse_step_s`` (60 s), the angles a, b at the two ends must satisfy
   ``a + b <= 2 lam + w dt`` (triangle inequality: the satellite is never
   closer than ``(a + b - w dt) / 2``).  Both bounds are rigorous, so nothing
   visible is pruned; ~1 % of the satellite-station minutes survive for a
   550 km shell at 25 deg.
2. **Exact scan**, :mod:`orbitlink.core.pass_scan`.  Only the kept intervals
   are evaluated on the scan grid (the track step, or a finer ``scan_step_s``
   filled in by cubic Hermite interpolation of the ITRS positions and
   velocities), in cache-sized row batches.  The test is
   ``sin(el) - sin(threshold(az)) >= 0`` with ``sin(el) = up . d / |d|``: the
   sign of ``el - threshold`` without an arctangent per sample.
3. **Crossings** are sign changes between scan samples.  Each lies inside one
   Hermite segment, whose coefficients the scan gathers while that memory is
   hot; safeguarded Newton iteration (bisection when a step leaves the
   bracket; Illinois regula falsi for azimuth masks, which have no useful
   derivative) puts AOS/LOS on the mask to microseconds
   (:mod:`orbitlink.core.pass_refine`).  Passes visible at the first or last
   sample are cut by the window and flagged.
4. **Peaks.**  Each pass's highest scan sample and its neighbours give a
   parabolic first guess; Newton iteration on the slope of sin(el) on the
   trajectory refines TCA (time of maximum elevation) and the maximum
   elevation.  Grazing passes that rise and set between two scan samples are
   found from local maxima of the test function just below zero.

Cubic Hermite interpolation of positions with velocities errs by a
fourth-order term (dt^4 / 384 times the fourth derivative): measured against
direct SGP4 for Starlink TLEs, at most 1.3 mm with 10 s states and 0.69 m with
60 s states.  Threads over satellite groups: :mod:`orbitlink.core.pass_threads`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .pass_refine import (GrazingPasses, grazing_passes, newton_peak, peak_between, peak_of_long_passes,
                          refine_crossings)
from .pass_scan import PeakSamples, Scanner, ScanResults
from .pass_screen import SearchGrid, screen_inputs, screened_rows
from .pass_segments import SearchTrack, StationSegments
from .topocentric import Sites

# Passes longer than this may have several elevation maxima (high orbits): their peak is
# searched over every scan sample of the pass.
LONG_PASS_S = 1800.0

__all__ = ["LONG_PASS_S", "PassArrays", "find_passes"]


@dataclass(frozen=True)
class PassArrays:
    """Passes as parallel arrays (P,): seconds from the grid start, radians."""

    sat: np.ndarray
    station: np.ndarray
    aos_s: np.ndarray
    tca_s: np.ndarray
    los_s: np.ndarray
    max_elevation_rad: np.ndarray
    aos_cut: np.ndarray
    los_cut: np.ndarray
    stats: dict


class StageClock:
    """Optional per-stage timing (CPU seconds of the calling thread, accumulated into a dict)."""

    def __init__(self, out: dict | None):
        self.out = out
        self.last = time.thread_time()

    def __call__(self, stage: str):
        if self.out is None:
            return
        now = time.thread_time()
        self.out[stage] = self.out.get(stage, 0.0) + now - self.last
        self.last = now


def find_passes(r_itrs_m, v_itrs_m_s, t_s, sites: Sites, *, scan_step_s: float | None = None,
                coarse_step_s: float = 60.0, screen_step_s: float = 300.0,
                chunk_bytes: int = 32 * 2**20, timings: dict | None = None) -> PassArrays:
    """All passes of S satellites over G stations, AOS/LOS refined on the mask.

    ``scan_step_s`` (default: the track step, which it must divide) is the
    sampling of the sign-change scan.  The cone screen runs in two levels:
    every ``screen_step_s`` over all satellite-station pairs, then every
    ``coarse_step_s`` inside the intervals the first level kept (both rounded
    to whole track steps).  ``chunk_bytes`` bounds the working set of each
    stage; ``timings``, if a dict, receives seconds per stage.
    """
    clock = StageClock(timings)
    r = np.asarray(r_itrs_m)
    v = np.asarray(v_itrs_m_s)
    grid = SearchGrid.make(t_s, r.shape[2], scan_step_s, coarse_step_s, screen_step_s)
    track = SearchTrack(r, v, grid.track_step_s, sites)
    scan, screened = _screen_and_scan(track, grid, chunk_bytes, clock)
    clock("collect")
    passes = _passes_from_crossings(scan, track, grid)
    clock("crossings")
    tca_s, sin_max = _peaks(passes, scan.peaks, track, grid, clock)
    clock("peaks_other")
    grazing = _grazing(scan, track, grid)
    clock("grazing")
    S, G = r.shape[1], track.n_stations
    stats = {"pair_intervals": int(S * G * grid.n_coarse), "scanned_intervals": int(screened),
             "scan_samples": int(screened * grid.samples_per_row),
             "coarse_step_s": grid.steps_per_coarse * grid.track_step_s,
             "screen_step_s": grid.coarse_per_screen * grid.steps_per_coarse * grid.track_step_s,
             "scan_step_s": grid.scan_step_s, "grazing_passes": int(grazing.key.size)}
    return _assemble(passes, tca_s, sin_max, grazing, G, stats)


def _screen_and_scan(track: SearchTrack, grid: SearchGrid, chunk_bytes: int, clock):
    """Steps 1 and 2: the rows the cone screen keeps, scanned in cache-sized batches."""
    inputs = screen_inputs(track.r_itrs_m, track.sites, grid)
    clock("bounds")
    scanner = Scanner(track.r_itrs_m, track.v_itrs_m_s, track.sites, grid.track_step_s,
                      grid.scans_per_step, grid.steps_per_coarse, grid.last_scan)
    # Rows per scan batch: ~12 (N, L) float64 temporaries that stay in a 1-2 MiB cache.
    row_batch = max(1024, 2**18 // (grid.samples_per_row * 8))
    screened = 0
    for s_i, j_i, g_i in screened_rows(inputs, grid, track.n_stations, chunk_bytes, clock):
        screened += s_i.size
        for lo in range(0, s_i.size, row_batch):
            hi = min(s_i.size, lo + row_batch)
            scanner(s_i[lo:hi], j_i[lo:hi], g_i[lo:hi])
            clock("scan")
    return scanner.results(), screened


class PassBounds(NamedTuple):
    """Rising and setting events paired into passes (P,), in (pair, time) order."""

    key: np.ndarray          # satellite * G + station
    rise_q: np.ndarray       # first visible scan sample (0 for passes cut at the start)
    aos_s: np.ndarray
    los_s: np.ndarray
    aos_cut: np.ndarray
    los_cut: np.ndarray


def _passes_from_crossings(scan: ScanResults, track: SearchTrack, grid: SearchGrid) -> PassBounds:
    """Step 3: crossings refined on the mask, then rising and setting events paired."""
    x = scan.crossings
    ds, Q, G = grid.scan_step_s, grid.last_scan, track.n_stations
    # Each scan interval lies inside one track segment (gathered by the scan); rising and
    # setting crossings are refined together (the bracket's visible end is per item).
    segments = StationSegments.from_coefficients(x.coeffs, x.x0_s, track.dt_s, track.sites, x.key % G)
    t_x = refine_crossings(segments, x.q * ds, (x.q + 1) * ds, x.g_before, x.g_after)
    x.coeffs = None                               # release the gathered segments
    del segments
    up, dn = x.rising, ~x.rising
    rise_key, rise_q, t_rise = x.key[up], x.q[up], t_x[up]
    set_key, set_q, t_set = x.key[dn], x.q[dn], t_x[dn]
    t_rise = np.where(np.isfinite(t_rise), t_rise, (rise_q + 1) * ds)
    t_set = np.where(np.isfinite(t_set), t_set, set_q * ds)

    # Pair risings with settings: both sorted by (pair, scan index) alternate R, S, R, S;
    # passes visible at the window's first (last) sample rise (set) there, cut.
    start, end = scan.edges.visible_at_start, scan.edges.visible_at_end
    i64 = np.int64
    r_key = np.concatenate([rise_key, start])
    r_q = np.concatenate([rise_q + 1, np.zeros(start.size, i64)])
    r_t = np.concatenate([t_rise, np.zeros(start.size)])
    r_cut = np.concatenate([np.zeros(rise_key.size, bool), np.ones(start.size, bool)])
    s_key = np.concatenate([set_key, end])
    s_q = np.concatenate([set_q, np.full(end.size, Q, i64)])
    s_t = np.concatenate([t_set, np.full(end.size, Q * ds)])
    s_cut = np.concatenate([np.zeros(set_key.size, bool), np.ones(end.size, bool)])
    ro = np.argsort(r_key * (Q + 1) + r_q, kind="stable")
    so = np.argsort(s_key * (Q + 1) + s_q, kind="stable")
    r_key, r_q, r_t, r_cut = r_key[ro], r_q[ro], r_t[ro], r_cut[ro]
    s_key, s_q, s_t, s_cut = s_key[so], s_q[so], s_t[so], s_cut[so]
    if r_key.size != s_key.size or np.any(r_key != s_key) or np.any(r_q > s_q):
        raise RuntimeError("internal error: rising and setting events do not alternate")
    return PassBounds(r_key, r_q, r_t, s_t, r_cut, s_cut)


def _peaks(passes: PassBounds, peaks: PeakSamples, track: SearchTrack, grid: SearchGrid, clock):
    """Step 4: TCA and sin(maximum elevation) of every pass."""
    ds, Q, G = grid.scan_step_s, grid.last_scan, track.n_stations
    P = passes.key.size
    tca, sin_max = np.full(P, np.nan), np.full(P, np.nan)
    if P and peaks.key.size:
        # Each pass's row-interior maximum (if any) with the segment the scan gathered.
        # Sorted queries make the binary searches cache-friendly; the entries arrive in
        # runs already sorted, which the stable sort exploits.
        code = peaks.key * (Q + 1) + peaks.q
        srt = np.argsort(code, kind="stable")
        owner = np.empty(code.size, np.int64)          # the pass each peak sample belongs to
        owner[srt] = np.searchsorted(passes.key * (Q + 1) + passes.rise_q, code[srt], side="right") - 1
        best = np.full(P, -np.inf)
        np.maximum.at(best, owner, peaks.sin_el)
        win = np.flatnonzero(peaks.sin_el == best[owner])
        entry = np.full(P, -1, np.int64)
        entry[owner[win]] = win
        have = np.flatnonzero(entry >= 0)
        e = entry[have]
        segments = StationSegments.from_coefficients(peaks.coeffs[..., e], peaks.x0_s[e], track.dt_s,
                                                     track.sites, passes.key[have] % G)
        y_m, y_0, y_p = peaks.sin_el_before[e], peaks.sin_el[e], peaks.sin_el_after[e]
        rising = y_m < y_p
        x_sample = peaks.q[e] * ds
        a = np.where(rising, x_sample, np.maximum(x_sample - ds, passes.aos_s[have]))
        b = np.where(rising, np.minimum(x_sample + ds, passes.los_s[have]), x_sample)
        delta = np.clip(0.5 * (y_m - y_p) / (y_m - 2.0 * y_0 + y_p), -1.0, 1.0)
        # A strict in-row maximum has lower samples on both sides: the peak is inside, no end
        # check; the parabola's guess is close, so two Newton steps converge.
        tca[have], sin_max[have] = newton_peak(segments, a, b, np.clip(x_sample + delta * ds, a, b), rising,
                                               check_end=False, iterations=2)
        del segments
    # ... the others (peak sample on a coarse node, or at the pass's end) from AOS/LOS ...
    rest = np.flatnonzero(np.isnan(tca))
    clock("peaks")
    if rest.size:
        tca[rest], sin_max[rest] = peak_between(track, passes.key[rest], passes.aos_s[rest],
                                                passes.los_s[rest])
    # ... and passes long enough to hold several maxima (high orbits) by a full scan of the pass.
    long_ = np.flatnonzero(passes.los_s - passes.aos_s > LONG_PASS_S)
    if long_.size:
        lt, lv = peak_of_long_passes(track, passes.key[long_], passes.aos_s[long_], passes.los_s[long_], ds)
        better = lv > sin_max[long_]
        tca[long_[better]], sin_max[long_[better]] = lt[better], lv[better]
    return tca, sin_max


def _grazing(scan: ScanResults, track: SearchTrack, grid: SearchGrid) -> GrazingPasses:
    """Grazing passes: a local maximum just below the threshold whose interpolated peak is above it.

    Candidates next to a crossing are the approach to (or departure from) a regular
    pass, not a separate grazing one: dropped before gathering anything.
    """
    Q = grid.last_scan
    keys, q = scan.grazing.key, scan.grazing.q
    if keys.size:
        code = keys * (Q + 1) + q
        x = scan.crossings
        # The visible sample next to each crossing: after a rising one, before a setting one.
        crossing = np.sort(x.key * (Q + 1) + x.q + ~x.rising)
        near = (crossing.take(np.minimum(np.searchsorted(crossing, code), max(crossing.size - 1, 0)),
                              mode="clip") == code) if crossing.size else np.zeros(code.size, bool)
        keys, q = keys[~near], q[~near]
    return grazing_passes(track, keys, q, Q, grid.scan_step_s)


def _assemble(passes: PassBounds, tca_s, sin_max, grazing: GrazingPasses, G: int, stats) -> PassArrays:
    """Regular and grazing passes in one set, ordered by AOS, then satellite, then station."""
    sat = np.concatenate([passes.key // G, grazing.key // G])
    sta = np.concatenate([passes.key % G, grazing.key % G])
    aos = np.concatenate([passes.aos_s, grazing.aos_s])
    tca = np.concatenate([tca_s, grazing.tca_s])
    los = np.concatenate([passes.los_s, grazing.los_s])
    sin_all = np.concatenate([sin_max, grazing.sin_max_elevation])
    no_cut = np.zeros(grazing.key.size, bool)
    order = np.lexsort((sta, sat, aos))
    return PassArrays(sat[order], sta[order], aos[order], tca[order], los[order],
                      np.arcsin(np.clip(sin_all[order], -1.0, 1.0)),
                      np.concatenate([passes.aos_cut, no_cut])[order],
                      np.concatenate([passes.los_cut, no_cut])[order], stats)
