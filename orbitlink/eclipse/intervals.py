"""From shadow crossings to eclipse, umbra and penumbra intervals, carried across chunks.

A sampled source gives, per chunk, the crossings of each shadow boundary
(:func:`orbitlink.core.eclipse_kernels.crossings`).  :class:`IntervalTracker`
pairs them into intervals of three kinds, per satellite:

- *umbra*: umbra entry to umbra exit;
- *penumbra*: the partial pieces, entered at an eclipse entry or an umbra exit;
  each carries its dark time (the integral of the hidden solar fraction);
- *eclipse*: the whole passage, penumbra entry to exit, with the dark and umbra
  time inside it.

Intervals open at the end of a chunk are carried to the next one
(:class:`~orbitlink.core.eclipse_kernels.Carry`), so the result does not depend
on where the chunks end.  An eclipse's dark and umbra time are differences of
per-satellite running totals (the umbra and penumbra contributions ended so
far) between its exit and its entry.
"""

from __future__ import annotations

import numpy as np

from ..core.eclipse_kernels import Carry, Chunk, ChunkIntervals, Crossings, Intervals, dark_time, pair

__all__ = ["IntervalTracker"]


class IntervalTracker:
    """Open intervals and running dark/umbra totals of every satellite, chunk after chunk."""

    def __init__(self, n_sat: int, n_boundaries: int, step_s: float):
        self.n_sat, self.n_boundaries, self.step_s = n_sat, n_boundaries, step_s
        self.eclipse = Carry.empty(n_sat, 2)   # with the running dark and umbra totals at entry
        self.umbra = Carry.empty(n_sat)
        self.penumbra = Carry.empty(n_sat, 1)  # with the dark time integrated so far
        self.dark_so_far_s = np.zeros(n_sat)   # running totals of the contributions ended so far
        self.umbra_so_far_s = np.zeros(n_sat)

    def start(self, chunk: Chunk) -> None:
        """Open the intervals that the first sample is already inside (cut by the window)."""
        t0 = float(chunk.t_s[0])
        in_shadow = chunk.inside(0, 0)
        self.eclipse.open_at(in_shadow, t0)
        in_umbra = chunk.inside(1, 0) if self.n_boundaries == 2 else in_shadow
        self.umbra.open_at(in_umbra, t0)
        in_penumbra = in_shadow & ~in_umbra if self.n_boundaries == 2 else np.zeros(self.n_sat, bool)
        self.penumbra.open_at(in_penumbra, t0)

    def add(self, chunk: Chunk, events: list[Crossings], first_owned: int) -> ChunkIntervals:
        """The intervals closed in ``chunk``, from its crossings (one :class:`Crossings` per boundary)."""
        n = self.n_sat
        shadow_events = events[0]
        umbra_events = events[1] if self.n_boundaries == 2 else events[0]
        paired = pair(n, umbra_events, self.umbra)
        self.umbra = Carry(paired.open_t_s, paired.open_cut, self.umbra.values)
        umbra = Intervals(*paired.closed[:5])
        penumbra = self._penumbra(chunk, shadow_events, umbra_events, first_owned)
        # Running dark/umbra contributions, for each eclipse's totals.
        u_dur = umbra.duration_s
        c_sat = np.concatenate([umbra.sat, penumbra.sat])
        c_end = np.concatenate([umbra.t1_s, penumbra.t1_s])
        c_dark = np.concatenate([u_dur, penumbra.dark_s])
        c_umb = np.concatenate([u_dur, np.zeros(penumbra.sat.size)])
        totals = _RunningTotals(chunk, self.step_s, c_sat, c_end, c_dark, c_umb, self.dark_so_far_s,
                                self.umbra_so_far_s)
        # Eclipse intervals.
        paired = pair(n, shadow_events, self.eclipse)
        e = paired.closed
        dark_at_0, umb_at_0 = totals.at(e.sat, e.t0_s)
        if e.from_carry.any():
            dark_at_0[e.from_carry] = e.carried[0, e.from_carry]
            umb_at_0[e.from_carry] = e.carried[1, e.from_carry]
        dark_at_1, umb_at_1 = totals.at(e.sat, e.t1_s)
        # Carry the open eclipses with their running totals at entry.
        still = paired.still_open
        values = np.zeros((2, n))
        if still.sat.size:
            dark_in, umb_in = totals.at(still.sat, still.t_s)
            if still.from_carry.any():
                dark_in[still.from_carry] = still.carried[0, still.from_carry]
                umb_in[still.from_carry] = still.carried[1, still.from_carry]
            values[0, still.sat], values[1, still.sat] = dark_in, umb_in
        self.eclipse = Carry(paired.open_t_s, paired.open_cut, values)
        self.dark_so_far_s += np.bincount(c_sat, c_dark, n)
        self.umbra_so_far_s += np.bincount(c_sat, c_umb, n)
        eclipse = Intervals(e.sat, e.t0_s, e.t1_s, e.cut_start, e.cut_end, dark_at_1 - dark_at_0,
                            umb_at_1 - umb_at_0)
        return ChunkIntervals(eclipse, umbra, penumbra)

    def _penumbra(self, chunk: Chunk, shadow_events: Crossings, umbra_events: Crossings,
                  first_owned: int) -> Intervals:
        """Penumbra pieces: entered at an eclipse entry or an umbra exit, with their dark time."""
        if self.n_boundaries == 1:
            return Intervals.empty(dark=True)
        n = self.n_sat
        events = Crossings(np.concatenate([shadow_events.sat, umbra_events.sat]),
                           np.concatenate([shadow_events.t_s, umbra_events.t_s]),
                           np.concatenate([shadow_events.direction, -umbra_events.direction]).astype(np.int8),
                           np.concatenate([shadow_events.cut, umbra_events.cut]))
        paired = pair(n, events, self.penumbra)
        p = paired.closed
        # Dark time is integrated over the part of each penumbra passage inside this
        # chunk's owned span; a passage that began earlier brings the integral of its
        # earlier part with it, and one still open takes its part so far to the next chunk.
        t_lo, t_hi = float(chunk.t_s[first_owned]), float(chunk.t_s[-1])
        p_dark = dark_time(chunk.illuminated_at, chunk.t_s, p.sat, np.maximum(p.t0_s, t_lo), p.t1_s)
        if p.from_carry.any():
            p_dark[p.from_carry] += p.carried[0, p.from_carry]
        still = paired.still_open
        so_far = np.zeros((1, n))
        if still.sat.size:
            part = dark_time(chunk.illuminated_at, chunk.t_s, still.sat, np.maximum(still.t_s, t_lo),
                             np.full(still.sat.size, t_hi))
            if still.from_carry.any():
                part[still.from_carry] += still.carried[0, still.from_carry]
            so_far[0, still.sat] = part
        self.penumbra = Carry(paired.open_t_s, paired.open_cut, so_far)
        return Intervals(p.sat, p.t0_s, p.t1_s, p.cut_start, p.cut_end, p_dark)

    def close(self, t_end_s: float) -> ChunkIntervals:
        """Close what is still open at the window's end (``cut_end`` set)."""

        def closing(carry: Carry):
            s = carry.open_sats()
            return s, carry.t_s[s], np.full(s.size, t_end_s), carry.cut[s], np.ones(s.size, bool)

        umbra = Intervals(*closing(self.umbra))
        self.dark_so_far_s[umbra.sat] += umbra.duration_s
        self.umbra_so_far_s[umbra.sat] += umbra.duration_s
        # A penumbra piece's dark time up to the end was integrated chunk by chunk (carry.values).
        pen = closing(self.penumbra)
        penumbra = Intervals(*pen, self.penumbra.values[0, pen[0]] if self.penumbra.values.size else np.zeros(0))
        self.dark_so_far_s[penumbra.sat] += penumbra.dark_s
        s, t0, t1, c0, c1 = closing(self.eclipse)
        eclipse = Intervals(s, t0, t1, c0, c1, self.dark_so_far_s[s] - self.eclipse.values[0, s],
                            self.umbra_so_far_s[s] - self.eclipse.values[1, s])
        return ChunkIntervals(eclipse, umbra, penumbra)


class _RunningTotals:
    """Per-satellite running (dark, umbra) totals at any time inside a chunk.

    The contributions (umbra intervals and penumbra pieces closed in the chunk)
    are sorted by satellite and end time; a lookup at time x sums those of the
    satellite that ended at or before x, on top of the totals before the chunk.
    """

    def __init__(self, chunk: Chunk, step_s: float, sat, end_s, dark_s, umbra_s, dark_before, umbra_before):
        order = np.lexsort((end_s, sat))
        sat, end_s, dark_s, umbra_s = sat[order], end_s[order], dark_s[order], umbra_s[order]
        self.dark_cum, self.umbra_cum = np.cumsum(dark_s), np.cumsum(umbra_s)
        n_per_sat = np.bincount(sat, minlength=dark_before.size)
        self.first = np.cumsum(n_per_sat) - n_per_sat
        self.span = float(chunk.t_s[-1] - chunk.t_s[0]) + 4.0 * step_s + 1.0
        self.t_ref = float(chunk.t_s[0]) - 2.0 * step_s
        self.keys = sat * self.span + (end_s - self.t_ref)
        self.dark_before, self.umbra_before = dark_before, umbra_before

    def at(self, sat, x):
        """Running (dark, umbra) totals of satellites ``sat`` from contributions ending at or before x."""
        cd, cu, first = self.dark_cum, self.umbra_cum, self.first[sat]
        pos = np.searchsorted(self.keys, sat * self.span + (x - self.t_ref), side="right")
        have = pos - first > 0
        idx = np.maximum(pos - 1, 0)
        prev = np.maximum(first - 1, 0)
        base_d = np.where(first > 0, cd[prev], 0.0) if cd.size else np.zeros(sat.size)
        base_u = np.where(first > 0, cu[prev], 0.0) if cu.size else np.zeros(sat.size)
        d = np.where(have, (cd[idx] if cd.size else 0.0) - base_d, 0.0)
        u = np.where(have, (cu[idx] if cu.size else 0.0) - base_u, 0.0)
        return self.dark_before[sat] + d, self.umbra_before[sat] + u
