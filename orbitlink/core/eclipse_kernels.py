"""Eclipse numerics on sampled shadow functions: crossings, interval pairing, dark time.

The eclipse engine (:mod:`orbitlink.eclipse.engine`) walks a time grid chunk by
chunk.  A position source hands it each chunk as a :class:`Chunk`: the shadow
functions of :mod:`orbitlink.core.shadow` sampled on the chunk's grid (or, for
circular orbits, the chunk's intervals solved in closed form by
:mod:`orbitlink.core.eclipse_circular`) and callables that evaluate the exact
geometry between samples.  This module holds the pure-numpy steps of that walk,
each vectorized over all satellites at once:

- :func:`crossings`: sign changes of a shadow function between samples, refined
  to 1 ms on the exact geometry (Illinois), plus grazing passages shorter than
  a step, found at local minima of the function (golden section) that dip
  below zero;
- :func:`pair`: entries and exits of each satellite into closed intervals,
  carrying the still-open ones to the next chunk (:class:`Carry`);
- :func:`dark_time`: the integral of the hidden solar fraction over intervals,
  8-point Gauss-Legendre on each grid step they cover.

Times are seconds from the grid start; satellites are indices into the run's
satellite list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .roots import golden_section, illinois

# Gauss-Legendre 8-point rule on [-1, 1] for the dark time of penumbra passages
# (0.01 s on a 6-minute grazing passage, where 3 points are off by 8 s).
GL_NODES, GL_WEIGHTS = np.polynomial.legendre.leggauss(8)
# A penumbra piece next to the umbra counts as half dark when it is shorter than
# this fraction of the umbra's half-width (the Earth's limb crosses the Sun at a
# steady rate: error < 0.01 s in LEO); otherwise it is integrated.
HALF_RULE = 0.02
# Crossings are refined to ROOT_TOL_S; the minima of grazing passages are located to MINIMUM_TOL_S.
ROOT_TOL_S = 1e-3
MINIMUM_TOL_S = 1e-2
ROOT_ITERATIONS = 60


# =============================================================================
# What a position source hands the engine for one chunk
# =============================================================================

class Intervals(NamedTuple):
    """Intervals of one kind (eclipse, umbra or penumbra), one entry per interval.

    ``dark_s`` is the time-integral of the hidden solar fraction inside the
    interval (eclipses and penumbra pieces); ``umbra_s`` the umbra time inside
    an eclipse.  Both are None where they do not apply.
    """

    sat: np.ndarray         # (N,) satellite index
    t0_s: np.ndarray        # (N,) start
    t1_s: np.ndarray        # (N,) end
    cut_start: np.ndarray   # (N,) bool: cut by the window start or an invalid sample
    cut_end: np.ndarray     # (N,) bool: cut by the window end or an invalid sample
    dark_s: np.ndarray | None = None
    umbra_s: np.ndarray | None = None

    @classmethod
    def empty(cls, *, dark: bool = False, umbra: bool = False) -> "Intervals":
        return cls(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, bool), np.zeros(0, bool),
                   np.zeros(0) if dark else None, np.zeros(0) if umbra else None)

    @property
    def duration_s(self) -> np.ndarray:
        return self.t1_s - self.t0_s


class ChunkIntervals(NamedTuple):
    """The intervals a chunk completes: whole eclipses (penumbra entry to exit, with
    their dark and umbra time), umbra intervals and penumbra pieces (with their dark time)."""

    eclipse: Intervals
    umbra: Intervals
    penumbra: Intervals


@dataclass
class Chunk:
    """Samples ``v0..v1`` (global grid indices) of every satellite and their shadow geometry.

    Sampled sources fill ``shadow_fn`` .. ``illuminated_at``; orbit-wise sources
    (circular orbits in closed form) fill ``intervals`` instead and give the
    beta and flux columns on their own times ``daily_t_s``.
    """

    t_s: np.ndarray                       # (Tc,) seconds from the grid start
    shadow_fn: list | None                # per boundary (penumbra, umbra), (S, Tc); negative inside
    valid: np.ndarray | None              # (S, Tc), or None when every sample is valid
    dip_margin: np.ndarray | None         # (S,) how far below its samples a shadow function can dip
    beta_rad: np.ndarray                  # (B, Tc): rows are satellites or orbit planes
    flux: np.ndarray                      # (Tc,) (1 AU / sun distance)^2
    node_sat: np.ndarray                  # ascending node crossings in the owned range, sorted
    node_t_s: np.ndarray                  #   by (satellite, time)
    shadow_fn_at: Callable | None         # shadow_fn_at(boundary, sat, t) -> (N,)
    illuminated_at: Callable | None       # illuminated_at(sat, t) -> (N,) visible solar fraction
    beta_at: Callable                     # beta_at(sat, t) -> (N,) rad
    intervals: ChunkIntervals | None = None
    daily_t_s: np.ndarray | None = None   # times of the beta/flux columns (default: the owned samples)

    def inside(self, boundary: int, column: int) -> np.ndarray:
        """(S,) bool: valid and inside ``boundary``'s shadow at sample ``column``."""
        ins = self.shadow_fn[boundary][:, column] < 0.0
        if self.valid is not None:
            ins &= self.valid[:, column]
        return ins


# =============================================================================
# Crossings of a sampled shadow function
# =============================================================================

class Crossings(NamedTuple):
    """Refined crossings of one shadow boundary, one entry per crossing."""

    sat: np.ndarray        # (N,) satellite index
    t_s: np.ndarray        # (N,)
    direction: np.ndarray  # (N,) int8: +1 entering the shadow, -1 leaving it
    cut: np.ndarray        # (N,) bool: at an invalid sample (the true crossing is unknown)

    @classmethod
    def concat(cls, parts: list["Crossings"]) -> "Crossings":
        if not parts:
            return cls(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int8), np.zeros(0, bool))
        return cls(*(np.concatenate(column) for column in zip(*parts)))


def crossings(g: np.ndarray, t_s: np.ndarray, valid: np.ndarray | None, dip_margin: np.ndarray,
              g_at: Callable, first_owned: int) -> Crossings:
    """Crossings of one shadow function in a chunk, refined between the samples.

    ``g`` (S, Tc) are the samples on ``t_s`` (Tc,), negative inside the shadow;
    ``g_at(sat, t)`` evaluates the exact function; ``valid`` (S, Tc) or None.
    The chunk owns the sample pairs ``(q, q + 1)`` for ``q >= first_owned``.  A
    change of state next to an invalid sample is a *cut* crossing at the valid
    sample.  Grazing passages shorter than a step are found at interior local
    minima above zero but below ``dip_margin`` (S,) whose golden-section minimum
    dips below zero.
    """
    off = first_owned
    inside = g < 0.0
    if valid is not None:
        inside &= valid
    before, after = inside[:, off:-1], inside[:, off + 1:]
    change = before != after
    parts = []
    if valid is not None:
        both = valid[:, off:-1] & valid[:, off + 1:]
        cut = change & ~both
        change &= both
        s_c, p_c = np.nonzero(cut)
        q_c = p_c + off
        leaving = before[s_c, p_c]  # inside at the valid sample before an invalid one
        parts.append(Crossings(s_c, np.where(leaving, t_s[q_c], t_s[q_c + 1]),
                               np.where(leaving, -1, 1).astype(np.int8), np.ones(s_c.size, dtype=bool)))
    s_n, p_n = np.nonzero(change)
    q_n = p_n + off
    if s_n.size:
        root = _roots(lambda idx, tt: g_at(s_n[idx], tt), t_s[q_n], t_s[q_n + 1], g[s_n, q_n], g[s_n, q_n + 1])
        parts.append(Crossings(s_n, root, np.where(after[s_n, p_n], 1, -1).astype(np.int8),
                               np.zeros(s_n.size, dtype=bool)))
    parts += _grazing(g, t_s, dip_margin, g_at, off)
    return Crossings.concat(parts)


def _roots(func, t0, t1, g0, g1):
    return illinois(func, t0, t1, g0, g1, tol_s=ROOT_TOL_S, max_iter=ROOT_ITERATIONS)


def _grazing(g, t_s, dip_margin, g_at, off) -> list[Crossings]:
    """Entry and exit of passages shorter than a step: a local minimum of g between
    positive samples that dips below zero."""
    lo = max(off, 1)
    if g.shape[1] - 1 <= lo:
        return []
    mid = g[:, lo:-1]
    with np.errstate(invalid="ignore"):
        candidate = (mid > 0.0) & (mid < dip_margin[:, None])
    s_m, q_m = np.nonzero(candidate)
    if s_m.size:
        q_m = q_m + lo
        gm = g[s_m, q_m]
        keep = (gm < g[s_m, q_m - 1]) & (gm <= g[s_m, q_m + 1])
        s_m, q_m = s_m[keep], q_m[keep]
    if not s_m.size:
        return []
    t_min, g_min = golden_section(lambda idx, tt: g_at(s_m[idx], tt), t_s[q_m - 1], t_s[q_m + 1],
                                  tol_s=MINIMUM_TOL_S, max_iter=ROOT_ITERATIONS)
    dip = g_min < 0.0
    s_d, q_d, t_d, g_d = s_m[dip], q_m[dip], t_min[dip], g_min[dip]
    if not s_d.size:
        return []

    def f(idx, tt):
        return g_at(s_d[idx], tt)

    t_in = _roots(f, t_s[q_d - 1], t_d, g[s_d, q_d - 1], g_d)
    t_out = _roots(f, t_d, t_s[q_d + 1], g_d, g[s_d, q_d + 1])
    no_cut = np.zeros(s_d.size, bool)
    return [Crossings(s_d, t_in, np.ones(s_d.size, np.int8), no_cut),
            Crossings(s_d, t_out, -np.ones(s_d.size, np.int8), no_cut.copy())]


# =============================================================================
# Pairing entries with exits, chunk after chunk
# =============================================================================

@dataclass
class Carry:
    """Intervals of one kind still open at the end of the last chunk, per satellite."""

    t_s: np.ndarray     # (S,) entry time, NaN where nothing is open
    cut: np.ndarray     # (S,) the entry was a cut (window start or invalid sample)
    values: np.ndarray  # (k, S) values stored with the entry (e.g. cumulative dark time at entry)

    @classmethod
    def empty(cls, n_sat: int, n_values: int = 0) -> "Carry":
        return cls(np.full(n_sat, np.nan), np.zeros(n_sat, bool), np.zeros((n_values, n_sat)))

    def open_sats(self) -> np.ndarray:
        """Indices of the satellites with an open interval."""
        return np.flatnonzero(~np.isnan(self.t_s))

    def open_at(self, mask: np.ndarray, t_s: float) -> None:
        """Open an interval, cut at ``t_s``, for the satellites in ``mask`` (the window start)."""
        self.t_s[mask], self.cut[mask] = t_s, True


class Closed(NamedTuple):
    """Intervals closed in a chunk, sorted by satellite and time."""

    sat: np.ndarray
    t0_s: np.ndarray
    t1_s: np.ndarray
    cut_start: np.ndarray
    cut_end: np.ndarray
    from_carry: np.ndarray   # (N,) bool: opened in an earlier chunk
    carried: np.ndarray      # (k, N) the carry's values for those (empty when k = 0)


class StillOpen(NamedTuple):
    """Entries with no exit yet (at most one per satellite)."""

    sat: np.ndarray
    t_s: np.ndarray
    from_carry: np.ndarray
    carried: np.ndarray


class Paired(NamedTuple):
    closed: Closed
    open_t_s: np.ndarray     # (S,) the new carry's entry times, NaN where nothing is open
    open_cut: np.ndarray     # (S,)
    still_open: StillOpen


def pair(n_sat: int, events: Crossings, carry: Carry) -> Paired:
    """Pair entries with exits per satellite, continuing ``carry``.

    Entries and exits alternate per satellite (they come from sign changes of
    one shadow function), so after sorting each satellite's k-th entry closes
    with its k-th exit and a last unmatched entry stays open.
    """
    sat, t, direction, cut = events
    open_s = carry.open_sats()
    is_in = direction > 0
    en_sat = np.concatenate([open_s, sat[is_in]])
    en_t = np.concatenate([carry.t_s[open_s], t[is_in]])
    en_cut = np.concatenate([carry.cut[open_s], cut[is_in]])
    en_old = np.concatenate([np.ones(open_s.size, bool), np.zeros(int(is_in.sum()), bool)])
    ex_sat, ex_t, ex_cut = sat[~is_in], t[~is_in], cut[~is_in]
    o_en = np.lexsort((~en_old, en_t, en_sat))
    o_ex = np.lexsort((ex_t, ex_sat))
    en_sat, en_t, en_cut, en_old = en_sat[o_en], en_t[o_en], en_cut[o_en], en_old[o_en]
    ex_sat, ex_t, ex_cut = ex_sat[o_ex], ex_t[o_ex], ex_cut[o_ex]
    n_en = np.bincount(en_sat, minlength=n_sat)
    n_ex = np.bincount(ex_sat, minlength=n_sat)
    surplus = n_en - n_ex
    if np.any((surplus < 0) | (surplus > 1)):  # pragma: no cover - a bookkeeping bug, not bad input
        bad = int(np.flatnonzero((surplus < 0) | (surplus > 1))[0])
        raise RuntimeError(f"eclipse bookkeeping: satellite {bad} has {n_en[bad]} entries and "
                           f"{n_ex[bad]} exits in one chunk")
    last = np.cumsum(n_en) - 1
    is_open = np.zeros(en_sat.size, bool)
    is_open[last[surplus == 1]] = True
    open_t = np.full(n_sat, np.nan)
    open_cut = np.zeros(n_sat, bool)
    open_t[en_sat[is_open]] = en_t[is_open]
    open_cut[en_sat[is_open]] = en_cut[is_open]
    # Values carried with old entries, to be looked up by the caller.
    carried = carry.values[:, en_sat] if carry.values.size else carry.values
    closed = ~is_open
    return Paired(
        Closed(en_sat[closed], en_t[closed], ex_t, en_cut[closed], ex_cut, en_old[closed],
               carried[:, closed] if carried.size else carried),
        open_t, open_cut,
        StillOpen(en_sat[is_open], en_t[is_open], en_old[is_open],
                  carried[:, is_open] if carried.size else carried))


# =============================================================================
# Dark time
# =============================================================================

def dark_time(illuminated_at: Callable, t_s: np.ndarray, sat: np.ndarray, t0_s: np.ndarray,
              t1_s: np.ndarray) -> np.ndarray:
    """Integral of (1 - nu) over each ``[t0_s, t1_s]`` inside the samples ``t_s``.

    8-point Gauss-Legendre on each time step the interval covers.  Splitting at
    the grid samples keeps every node on one Hermite segment of the states, and
    makes the result independent of where the chunks end (a chunk boundary is
    always a grid sample).  ``illuminated_at(sat, t)`` is the visible solar fraction.
    """
    if sat.size == 0:
        return np.zeros(0)
    t = t_s
    first = np.searchsorted(t, t0_s, side="right")          # samples strictly inside (t0, t1)
    inner = np.maximum(np.searchsorted(t, t1_s, side="left") - first, 0)
    n_piece = inner + 1
    item = np.repeat(np.arange(sat.size), n_piece)
    k = np.arange(item.size) - np.repeat(np.cumsum(n_piece) - n_piece, n_piece)
    at = first[item] + k
    start = np.where(k == 0, t0_s[item], t[np.clip(at - 1, 0, t.size - 1)])
    end = np.where(k == inner[item], t1_s[item], t[np.clip(at, 0, t.size - 1)])
    half, mid = 0.5 * (end - start), 0.5 * (end + start)
    tt = (mid[None, :] + half[None, :] * GL_NODES[:, None]).ravel()
    ss = np.tile(sat[item], GL_NODES.size)
    nu = illuminated_at(ss, tt).reshape(GL_NODES.size, -1)
    return np.bincount(item, half * np.sum(GL_WEIGHTS[:, None] * (1.0 - nu), axis=0), sat.size)


__all__ = ["Carry", "Chunk", "ChunkIntervals", "Closed", "Crossings", "GL_NODES", "GL_WEIGHTS",
           "HALF_RULE", "Intervals", "Paired", "StillOpen", "crossings", "dark_time", "pair"]
