"""The eclipse engine: the chunk loop and the per-satellite statistics of one run.

:class:`EclipseRun` walks the time grid in chunks of about
``chunk_elements`` satellite-steps.  For each chunk the position source
(:mod:`.sources`) gives the shadow geometry; sampled sources' crossings are
paired into intervals by :class:`~.intervals.IntervalTracker` (orbit-wise
sources give the intervals directly), and the completed intervals are folded
into running statistics: time in each shadow, dark time, the eclipses' count,
mean and longest, the darkest eclipse, daily bins (:class:`DailyBins`), the
eclipse seasons (:class:`SeasonTracker`) and the ascending nodes.  Memory is
bounded by the chunk, not the span; with ``detail`` every interval and node
is also kept for the interval and per-orbit tables.  :meth:`EclipseRun.report`
assembles the :class:`~.report.EclipseReport`.
"""

from __future__ import annotations

import math

import astropy.units as u
import numpy as np

from ..constants import DAY_S
from ..core.eclipse_kernels import Chunk, ChunkIntervals, Intervals, crossings
from ..times import TimeGrid, utc_times
from .intervals import IntervalTracker
from .report import EclipseIntervals, EclipseReport, OrbitTable, Season

__all__ = ["DailyBins", "EclipseRun", "SeasonTracker"]

KINDS = ("eclipse", "umbra", "penumbra")


class DailyBins:
    """Per-day accumulators: beta range per beta row; eclipse time (by the day an eclipse
    begins), longest eclipse and dark time per satellite; span length and mean flux per day."""

    def __init__(self, n_sat: int, n_rows: int, end_s: float):
        self.n_days = days = max(1, int(math.ceil(end_s / DAY_S - 1e-9)))
        self.beta_min = np.full((n_rows, days), np.inf)
        self.beta_max = np.full((n_rows, days), -np.inf)
        self.eclipse_s = np.zeros((n_sat, days))
        self.max_eclipse_s = np.zeros((n_sat, days))
        self.dark_s = np.zeros((n_sat, days))
        self.length_s = np.zeros(days)
        self.flux_sum = np.zeros(days)
        self.flux_count = np.zeros(days)

    def day_of(self, t_s) -> np.ndarray:
        d = (np.asarray(t_s) * (1.0 / DAY_S)).astype(np.int64)
        return np.minimum(d, self.n_days - 1, out=d)

    def add_span(self, t_lo: float, t_hi: float) -> None:
        """Count ``[t_lo, t_hi]`` into the days' lengths (the last day takes the rest)."""
        last = self.n_days - 1
        for d in range(int(t_lo // DAY_S), min(int(t_hi // DAY_S), last) + 1):
            a, b = max(t_lo, d * DAY_S), min(t_hi, (d + 1) * DAY_S) if d < last else t_hi
            if b > a:
                self.length_s[d] += b - a

    def add_beta_flux(self, t_s, beta, flux, valid) -> None:
        """Beta columns (rows, N) and flux (N,) at times ``t_s`` (N,); ``valid`` (rows, N) or None."""
        days = np.minimum((t_s // DAY_S).astype(np.int64), self.n_days - 1)
        cuts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
        sel = days[cuts]
        if valid is not None:
            bmin = np.where(valid, beta, np.inf)
            bmax = np.where(valid, beta, -np.inf)
        else:
            bmin = bmax = beta
        self.beta_min[:, sel] = np.minimum(self.beta_min[:, sel], np.minimum.reduceat(bmin, cuts, axis=1))
        self.beta_max[:, sel] = np.maximum(self.beta_max[:, sel], np.maximum.reduceat(bmax, cuts, axis=1))
        self.flux_sum += np.bincount(days, flux, self.n_days)
        self.flux_count += np.bincount(days, minlength=self.n_days)

    def mean_flux(self) -> np.ndarray:
        """(1 AU / d)^2 averaged over each day (1 where a day has no sample)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            f = self.flux_sum / self.flux_count
        return np.where(self.flux_count > 0, f, 1.0)


class SeasonTracker:
    """Eclipse seasons per satellite: a new one begins after a gap longer than the season gap."""

    def __init__(self, n_sat: int):
        self.last_end_s = np.full(n_sat, np.nan)     # end of each satellite's last eclipse
        self.open_start_s = np.full(n_sat, np.nan)   # start of its season in progress
        self.rows: list[tuple] = []                  # closed seasons: (sat, start, end) arrays

    def add(self, sat, t0_s, t1_s, gap_s) -> None:
        """Eclipses sorted by (satellite, time); ``gap_s`` (S,) the season gap of each satellite."""
        first = np.r_[True, sat[1:] != sat[:-1]]
        prev_end = np.empty_like(t0_s)
        prev_end[1:] = t1_s[:-1]
        prev_end[first] = self.last_end_s[sat[first]]
        new = np.flatnonzero(np.isnan(prev_end) | (t0_s - prev_end > gap_s[sat]))
        if new.size:
            new_sat = sat[new]
            first_new = np.r_[True, new_sat[1:] != new_sat[:-1]]
            # The season each new one closes: the carried one, or the previous new one.
            prev_start = np.empty(new.size)
            prev_start[1:] = t0_s[new[:-1]]
            prev_start[first_new] = self.open_start_s[new_sat[first_new]]
            closing = ~np.isnan(prev_start)
            self.rows.append((new_sat[closing], prev_start[closing], prev_end[new][closing]))
            last_new = np.r_[new_sat[1:] != new_sat[:-1], True]
            self.open_start_s[new_sat[last_new]] = t0_s[new][last_new]
        last = np.r_[sat[1:] != sat[:-1], True]
        self.last_end_s[sat[last]] = t1_s[last]

    def close(self) -> None:
        still = np.flatnonzero(~np.isnan(self.open_start_s))
        self.rows.append((still, self.open_start_s[still], self.last_end_s[still]))

    def seasons(self, start, n_sat: int, gap_s, end_s: float) -> tuple[tuple[Season, ...], ...]:
        per_sat: list[list[Season]] = [[] for _ in range(n_sat)]
        sats = np.concatenate([r[0] for r in self.rows]).astype(np.int64)
        a = np.concatenate([r[1] for r in self.rows])
        b = np.concatenate([r[2] for r in self.rows])
        order = np.lexsort((a, sats))
        sats, a, b = sats[order], a[order], b[order]
        for k, sat in enumerate(sats.tolist()):
            per_sat[sat].append(Season(start, float(a[k]), float(b[k]), bool(a[k] < gap_s[sat]),
                                       bool(end_s - b[k] < gap_s[sat])))
        return tuple(tuple(x) for x in per_sat)


class EclipseRun:
    """Chunk loop and per-satellite accumulators of one eclipse analysis."""

    def __init__(self, source, grid: TimeGrid, model: str, detail: bool, chunk_elements: int):
        self.source, self.grid, self.model, self.detail = source, grid, model, detail
        n = self.n_sat = source.n_sat
        self.step_s = grid.step_s
        self.end_s = float(grid.t_s[-1])
        self.chunk_steps = source.chunk_steps(chunk_elements)
        self.n_boundaries = 2 if model == "conical" else 1
        self.intervals = IntervalTracker(n, self.n_boundaries, self.step_s)
        # Per-satellite totals (s) over the run.
        self.valid_steps = np.zeros(n)        # steps with both ends valid
        self.eclipse_s, self.umbra_s, self.penumbra_s, self.dark_s = (np.zeros(n) for _ in range(4))
        # Complete eclipses (not cut by the window or invalid samples).
        self.n_eclipses = np.zeros(n, np.int64)
        self.eclipse_sum_s, self.max_eclipse_s, self.max_umbra_s, self.max_dark_s = (np.zeros(n) for _ in range(4))
        self.max_dark_at_s = np.full(n, np.nan)   # entry of the darkest eclipse
        # Ascending nodes.
        self.n_nodes = np.zeros(n, np.int64)
        self.first_node_s, self.last_node_s = np.full(n, np.nan), np.full(n, np.nan)
        self.daily = DailyBins(n, source.n_beta_rows, self.end_s)
        self.seasons = SeasonTracker(n)
        # Detail: every interval and node, for the interval and per-orbit tables.
        self.detail_intervals: dict[str, list[Intervals]] = {k: [] for k in KINDS}
        self.detail_nodes: list[tuple] = []

    # --- the chunk loop --------------------------------------------------------------
    def execute(self, progress=None) -> None:
        """Run over the grid; ``progress("eclipses", fraction)`` after every chunk."""
        n_samples = self.grid.size
        k0 = 0
        first = True
        while k0 < n_samples - 1:
            k1 = min(k0 + self.chunk_steps, n_samples - 1)
            v0 = max(k0 - 1, 0)
            chunk = self.source.chunk(v0, k1, k0)
            if first and chunk.intervals is None:
                self.intervals.start(chunk)
            first = False
            self._add_chunk(chunk, k0 - v0, k1)
            k0 = k1
            if progress is not None:
                progress("eclipses", k1 / (n_samples - 1))
        self._add(self.intervals.close(self.end_s))
        self.seasons.close()

    def _add_chunk(self, chunk: Chunk, off: int, k1: int) -> None:
        """Fold a chunk in: ``off`` is the view index of its first owned sample, ``k1`` its last."""
        t = chunk.t_s
        # Valid time and daily bins (owned pairs).
        if chunk.valid is None:
            pairs = np.full(self.n_sat, t.size - 1 - off, dtype=float)
        else:
            pairs = (chunk.valid[:, off:-1] & chunk.valid[:, off + 1:]).sum(axis=1).astype(float)
        self.valid_steps += pairs
        self.daily.add_span(float(t[off]), float(t[-1]))
        if chunk.daily_t_s is None:
            own = slice(off, None) if k1 == self.grid.size - 1 else slice(off, -1)
            self.daily.add_beta_flux(t[own], chunk.beta_rad[:, own], chunk.flux[own],
                                     None if chunk.valid is None else chunk.valid[:, own])
        else:
            self.daily.add_beta_flux(chunk.daily_t_s, chunk.beta_rad, chunk.flux, None)
        self._add_nodes(chunk)
        if chunk.intervals is not None:
            self._add(chunk.intervals)
        else:
            # Crossings of each boundary, paired into intervals.
            events = [crossings(chunk.shadow_fn[j], t, chunk.valid, chunk.dip_margin,
                                lambda sat, tt, j=j: chunk.shadow_fn_at(j, sat, tt), off)
                      for j in range(self.n_boundaries)]
            self._add(self.intervals.add(chunk, events, off))

    def _add_nodes(self, chunk: Chunk) -> None:
        if not chunk.node_sat.size:
            return
        sat, t = chunk.node_sat, chunk.node_t_s   # sorted by (satellite, time) by both sources
        self.n_nodes += np.bincount(sat, minlength=self.n_sat)
        firsts = np.r_[True, sat[1:] != sat[:-1]]
        lasts = np.r_[sat[1:] != sat[:-1], True]
        fresh = np.isnan(self.first_node_s[sat[firsts]])
        self.first_node_s[sat[firsts][fresh]] = t[firsts][fresh]
        self.last_node_s[sat[lasts]] = t[lasts]
        if self.detail:
            self.detail_nodes.append((sat, t, chunk.beta_at(sat, t)))

    def _add(self, done: ChunkIntervals) -> None:
        """Statistics of the intervals completed in a chunk."""
        n, days = self.n_sat, self.daily.n_days
        umb, pen = done.umbra, done.penumbra
        u_dur = umb.duration_s
        self.umbra_s += np.bincount(umb.sat, u_dur, n)
        self.penumbra_s += np.bincount(pen.sat, pen.duration_s, n)
        self.dark_s += np.bincount(umb.sat, u_dur, n) + np.bincount(pen.sat, pen.dark_s, n)
        full = ~(umb.cut_start | umb.cut_end)
        full_sat, full_dur = umb.sat[full], u_dur[full]
        if full_sat.size:  # grouped by satellite
            starts = np.flatnonzero(np.r_[True, full_sat[1:] != full_sat[:-1]])
            seg = full_sat[starts]
            self.max_umbra_s[seg] = np.maximum(self.max_umbra_s[seg], np.maximum.reduceat(full_dur, starts))
        cells = n * days
        self.daily.dark_s += (np.bincount(umb.sat * days + self.daily.day_of(umb.t0_s), u_dur, cells)
                              + np.bincount(pen.sat * days + self.daily.day_of(pen.t0_s), pen.dark_s, cells)
                              ).reshape(n, days)
        self._add_eclipses(done.eclipse)
        if self.detail:
            for kind, intervals in zip(KINDS, done):
                self.detail_intervals[kind].append(intervals)

    def _add_eclipses(self, ecl: Intervals) -> None:
        """Per-satellite statistics of completed eclipses, sorted by (satellite, entry)."""
        n, days = self.n_sat, self.daily.n_days
        if ecl.sat.size == 0:
            return
        dur = ecl.duration_s
        self.eclipse_s += np.bincount(ecl.sat, dur, n)
        full = ~(ecl.cut_start | ecl.cut_end)
        f_sat, f_dur, f_dark, f_t0 = ecl.sat[full], dur[full], ecl.dark_s[full], ecl.t0_s[full]
        self.n_eclipses += np.bincount(f_sat, minlength=n)
        self.eclipse_sum_s += np.bincount(f_sat, f_dur, n)
        if f_sat.size:
            # Segment maxima per satellite (the input is grouped by satellite).
            starts = np.flatnonzero(np.r_[True, f_sat[1:] != f_sat[:-1]])
            seg = f_sat[starts]
            self.max_eclipse_s[seg] = np.maximum(self.max_eclipse_s[seg], np.maximum.reduceat(f_dur, starts))
            seg_dark = np.maximum.reduceat(f_dark, starts)
            better = seg_dark > self.max_dark_s[seg]
            if better.any():
                # When the darkest one happened: the first maximum of each segment.
                ends = np.r_[starts[1:], f_sat.size]
                at_max = np.flatnonzero(f_dark == np.repeat(seg_dark, ends - starts))
                where = at_max[np.searchsorted(at_max, starts)]
                self.max_dark_s[seg[better]] = seg_dark[better]
                self.max_dark_at_s[seg[better]] = f_t0[where[better]]
        cell = ecl.sat * days + self.daily.day_of(ecl.t0_s)
        self.daily.eclipse_s += np.bincount(cell, dur, n * days).reshape(n, days)
        # Maxima per (satellite, day): the input is sorted by (satellite, time).
        starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        cells = cell[starts]
        self.daily.max_eclipse_s.flat[cells] = np.maximum(self.daily.max_eclipse_s.flat[cells],
                                                          np.maximum.reduceat(dur, starts))
        self.seasons.add(ecl.sat, ecl.t0_s, ecl.t1_s, self._season_gap_s())

    def _season_gap_s(self) -> np.ndarray:
        """A new season begins after a gap longer than max(1 day, 1.5 periods)."""
        return np.maximum(DAY_S, 1.5 * np.nan_to_num(self._period_s(), nan=0.0))

    def _period_s(self) -> np.ndarray:
        if self.source.period_s is not None:
            return self.source.period_s
        with np.errstate(invalid="ignore", divide="ignore"):
            p = (self.last_node_s - self.first_node_s) / (self.n_nodes - 1)
        return np.where(self.n_nodes >= 2, p, np.nan)

    # --- the report ------------------------------------------------------------------
    def report(self, propagator: str, messages) -> EclipseReport:
        grid, daily = self.grid, self.daily
        valid = self.valid_steps * self.step_s
        # A satellite without one valid step divides by 1 and reports NaN: frac() is also called
        # below, outside any errstate, so it must not divide by zero at all.
        divisor = np.where(valid > 0, valid, 1.0)
        frac = lambda x: np.where(valid > 0, x / divisor, np.nan)  # noqa: E731
        illumination = frac(valid - self.dark_s)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_ecl = np.where(self.n_eclipses > 0, self.eclipse_sum_s / self.n_eclipses, np.nan)
        period = self._period_s()
        if np.any(np.isnan(period)):
            period = np.where(np.isnan(period), self.source.osculating_period_s(), period)
        with np.errstate(invalid="ignore", divide="ignore"):
            worst = np.clip(1.0 - self.max_dark_s / period, 0.0, 1.0)
        flux_day = daily.mean_flux()
        light = daily.length_s[None, :] * (valid / max(self.end_s, 1e-9))[:, None] - daily.dark_s
        with np.errstate(invalid="ignore", divide="ignore"):
            flux_sunlit = np.where(valid > 0, np.sum(light * flux_day[None, :], axis=1) / valid, np.nan)
        no_dark = np.isnan(self.max_dark_at_s)
        worst_day = np.where(no_dark, 0, daily.day_of(np.nan_to_num(self.max_dark_at_s)))
        worst_flux = np.where(no_dark, float(np.mean(flux_day)), flux_day[worst_day])
        bmin, bmax = daily.beta_min, daily.beta_max
        rows = self.source.beta_rows
        if rows is not None:
            bmin, bmax = bmin[rows], bmax[rows]
        bmin = np.where(np.isfinite(bmin), bmin, np.nan)
        bmax = np.where(np.isfinite(bmax), bmax, np.nan)
        with np.errstate(invalid="ignore"):
            beta_min = np.nanmin(np.where(np.isnan(bmin), np.inf, bmin), axis=1)
            beta_max = np.nanmax(np.where(np.isnan(bmax), -np.inf, bmax), axis=1)
        beta_min = np.where(np.isfinite(beta_min), beta_min, np.nan)
        beta_max = np.where(np.isfinite(beta_max), beta_max, np.nan)
        seasons = self.seasons.seasons(grid.start, self.n_sat, self._season_gap_s(), self.end_s)
        intervals = orbit_table = None
        if self.detail:
            intervals = self._interval_table()
            orbit_table = self._orbit_table()
        start = grid.start
        return EclipseReport(
            names=self.source.names, model=self.model, propagator=propagator, start=start.utc,
            end=utc_times(start, self.end_s), step=self.step_s * u.s,
            sunlit_fraction=frac(valid - self.eclipse_s), eclipse_fraction=frac(self.eclipse_s),
            umbra_fraction=frac(self.umbra_s), penumbra_fraction=frac(self.penumbra_s),
            illumination_fraction=illumination,
            eclipses=self.n_eclipses, mean_eclipse=mean_ecl * u.s, max_eclipse=self.max_eclipse_s * u.s,
            max_umbra=self.max_umbra_s * u.s, period=period * u.s,
            orbits=np.maximum(self.n_nodes - 1, 0), beta_min=np.degrees(beta_min) * u.deg,
            beta_max=np.degrees(beta_max) * u.deg, seasons=seasons,
            worst_orbit_sunlit_fraction=worst, flux_weighted_sunlit=flux_sunlit, worst_orbit_flux=worst_flux,
            day_start=utc_times(start, np.arange(daily.n_days) * DAY_S),
            daily_beta_min=np.degrees(bmin) * u.deg, daily_beta_max=np.degrees(bmax) * u.deg,
            daily_eclipse=daily.eclipse_s * u.s, daily_max_eclipse=daily.max_eclipse_s * u.s,
            intervals=intervals, orbit_table=orbit_table, messages=tuple(messages))

    def _gather(self, kind: str) -> Intervals:
        parts = self.detail_intervals[kind]
        if not parts:
            return Intervals.empty(dark=True, umbra=True)
        return Intervals(*(None if p0 is None else np.concatenate([p[i] for p in parts])
                           for i, p0 in enumerate(parts[0])))

    def _interval_table(self) -> EclipseIntervals:
        cols = [[] for _ in range(6)]
        for kind in KINDS:
            if kind == "penumbra" and self.n_boundaries == 1:
                continue
            iv = self._gather(kind)
            for column, arr in zip(cols, (iv.sat, np.full(iv.sat.size, kind), iv.t0_s, iv.t1_s, iv.cut_start,
                                          iv.cut_end)):
                column.append(arr)
        s, kind, t0, t1, c0, c1 = (np.concatenate(c) for c in cols)
        order = np.lexsort((t1, t0, s))
        return EclipseIntervals(self.source.names, self.grid.start, s[order], kind[order].astype(str),
                                t0[order], t1[order], c0[order].astype(bool), c1[order].astype(bool))

    def _orbit_table(self) -> OrbitTable:
        """One row per revolution (node to node), with the eclipses that begin in it."""
        if self.detail_nodes:
            ns, nt, nb = (np.concatenate([n[i] for n in self.detail_nodes]) for i in range(3))
        else:
            ns, nt, nb = np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        order = np.lexsort((nt, ns))
        ns, nt, nb = ns[order], nt[order], nb[order]
        # Revolutions: consecutive nodes of the same satellite.
        same = ns[1:] == ns[:-1]
        rs, r0, r1, rb = ns[:-1][same], nt[:-1][same], nt[1:][same], nb[:-1][same]
        ecl = self._gather("eclipse")
        es, e0, e1 = ecl.sat, ecl.t0_s, ecl.t1_s
        n = rs.size
        eclipse_s, umbra_s, dark_s = np.zeros(n), np.zeros(n), np.zeros(n)
        if n and es.size:
            span = self.end_s + 10.0 * DAY_S
            rkeys = rs * span + r0
            k = np.searchsorted(rkeys, es * span + e0, side="right") - 1
            ok = (k >= 0) & (rs[np.maximum(k, 0)] == es) & (e0 < r1[np.maximum(k, 0)])
            np.add.at(eclipse_s, k[ok], (e1 - e0)[ok])
            np.add.at(umbra_s, k[ok], ecl.umbra_s[ok])
            np.add.at(dark_s, k[ok], ecl.dark_s[ok])
        orbit_no = np.zeros(n, np.int64)
        if n:
            first = np.r_[True, rs[1:] != rs[:-1]]
            idx = np.arange(n)
            orbit_no = idx - np.maximum.accumulate(np.where(first, idx, 0)) + 1
        return OrbitTable(self.source.names, self.grid.start, rs, orbit_no, r0, r1 - r0, eclipse_s, umbra_s,
                          dark_s, rb)
