"""The pass search's time grids and its two-level cone screen (the skip-ahead).

Step 1 of the search described in :mod:`orbitlink.core.passes`.  A satellite
at radius r can be above a station's lowest threshold only while the angle at
the Earth's centre between them is below the cone half-angle of
:func:`~orbitlink.core.topocentric.cone_angles`.  Level 1 tests every
satellite-station pair against that cone, widened by how far the satellite's
direction can turn in half an interval, every ``screen_step_s`` with one thin
float32 matrix product; level 2 tests the coarse intervals inside the kept
screen intervals with the triangle inequality on the angles at their two ends.
Both bounds are rigorous, so nothing visible is pruned.

Pure numpy, SI float64 (float32 where ~1e-5 rad is enough).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .topocentric import Sites, cone_angles, dot3


@dataclass(frozen=True)
class SearchGrid:
    """The nested time grids of the search, in whole track steps.

    Track samples ``t0 + i dt`` (i < n_samples); scan samples every
    ``dt / scans_per_step``; coarse intervals of ``steps_per_coarse`` track
    steps (a scan "row"); screen intervals of ``coarse_per_screen`` coarse ones.
    """

    n_samples: int
    track_step_s: float
    scans_per_step: int
    steps_per_coarse: int
    coarse_per_screen: int

    @classmethod
    def make(cls, t_s, n_samples: int, scan_step_s, coarse_step_s, screen_step_s) -> "SearchGrid":
        """The grids for a track of ``n_samples`` at times ``t_s`` (validated: uniform, increasing)."""
        t = np.asarray(t_s, float)
        T = n_samples
        if T < 2:
            raise ValueError("find_passes needs at least two time samples")
        dt = float(t[1] - t[0])
        if dt <= 0 or not np.allclose(np.diff(t), dt, rtol=1e-9, atol=1e-9):
            raise ValueError("find_passes needs a uniform, increasing time grid")
        m = 1 if scan_step_s is None else max(1, int(round(dt / scan_step_s)))
        if scan_step_s is not None and abs(m * scan_step_s - dt) > 1e-6 * dt:
            raise ValueError(f"scan step {scan_step_s:g} s must divide the track step {dt:g} s")
        k = max(1, int(round(coarse_step_s / dt)))
        return cls(T, dt, m, k, max(1, int(round(screen_step_s / (k * dt)))))

    @property
    def scan_step_s(self) -> float:
        return self.track_step_s / self.scans_per_step

    @property
    def n_coarse(self) -> int:
        """Coarse intervals (the last one may be short)."""
        return -(-(self.n_samples - 1) // self.steps_per_coarse)

    @property
    def n_screen(self) -> int:
        """Screen intervals (the last one may be short)."""
        return -(-self.n_coarse // self.coarse_per_screen)

    @property
    def last_scan(self) -> int:
        """Index of the last scan sample."""
        return (self.n_samples - 1) * self.scans_per_step

    @property
    def samples_per_row(self) -> int:
        """Scan samples per coarse interval, both ends included."""
        return self.steps_per_coarse * self.scans_per_step + 1


class ScreenInputs(NamedTuple):
    """Per-satellite directions at the nodes and per-pair cosine budgets, float32."""

    unit_coarse: list          # 3 x (S*(J+1),): unit vectors at the coarse nodes, flat
    unit_screen: np.ndarray    # (S, J1+1, 3): unit vectors at the screen nodes
    invalid: np.ndarray        # (S, J+1) bool: unknown position, never pruned
    invalid_screen: np.ndarray  # (S, J1+1)
    any_invalid: bool
    cos_screen: np.ndarray     # (S, G): level 1, cos of the widened cone
    cos_budget: np.ndarray     # (S, G): level 2, cos of the angle-sum budget
    cos_circle: np.ndarray     # (S, G): level 2 for wide cones (-2 where unused)
    any_wide: bool
    station_dirs: np.ndarray   # (G, 3) geocentric unit vectors of the stations


def screen_inputs(r, sites: Sites, grid: SearchGrid) -> ScreenInputs:
    """Bounds from the coarse nodes and the cones of both levels."""
    _, S, T = r.shape
    dt = grid.track_step_s
    k = grid.steps_per_coarse                 # track steps per coarse interval
    f = grid.coarse_per_screen                # coarse intervals per screen interval
    J, J1 = grid.n_coarse, grid.n_screen      # coarse and screen intervals
    # Per-satellite bounds from the coarse nodes (positions only: the strided
    # read of the track is the cost here, so velocities are not read).  One
    # contiguous copy of the nodes; arithmetic on the strided view would
    # stream the whole track again.
    rn = np.empty((3, S, J + 1))
    n_sl = -(-T // k)
    rn[:, :, :n_sl] = r[:, :, ::k]
    if n_sl < J + 1:                  # the last node is the grid's end
        rn[:, :, -1] = r[:, :, -1]
    t_nodes = np.minimum(np.arange(J + 1) * k, T - 1) * dt
    rad = np.sqrt(dot3(rn, rn))
    invalid = ~np.isfinite(rad)                      # (S, J+1): unknown, never pruned
    any_invalid = bool(invalid.any())
    rad_ok = np.where(invalid, 1.0, rad)
    rn /= rad_ok                                      # unit vectors, in place
    if any_invalid:
        rn[:, invalid] = 0.0
    # Largest radius: the nodes' maximum plus the overshoot a parabola through
    # three nodes allows between them (second difference x h^2 / 8, doubled).
    rad_f = np.where(invalid, 0.0, rad)
    second = np.abs(np.diff(rad_f, 2, axis=1)).max(axis=1, initial=0.0) if J >= 2 else np.zeros(S)
    r_max = rad_f.max(axis=1) + second / 4 + 1.0
    r_max = np.where(r_max > 1.0, r_max, np.inf)
    del rad, rad_ok, rad_f
    # Angular rate of the direction to the satellite seen from the Earth's
    # centre: the chord angle between consecutive nodes over their spacing,
    # taken at its largest and raised 5 % for the variation inside an interval.
    chord2 = np.zeros((S, J))
    for c in range(3):
        dc = np.diff(rn[c], axis=1)
        chord2 += dc * dc
    if any_invalid:                 # no rate across an unknown node
        chord2[invalid[:, 1:] | invalid[:, :-1]] = 0.0
    ang = 2.0 * np.arcsin(np.clip(np.sqrt(chord2) / 2.0, 0.0, 1.0))
    om_max = (ang / np.diff(t_nodes)).max(axis=1, initial=0.0) * 1.05
    del chord2, ang
    lam1, ghat = cone_angles(sites, r_max, om_max, f * k * dt / 2)
    lam2, _ = cone_angles(sites, r_max, om_max, 0.0)
    cos1 = np.where(lam1 >= np.pi, -2.0, np.cos(np.minimum(lam1, np.pi))).astype(np.float32)
    # Level 2 tests the sum of the two end angles (see the loop); its budget per pair:
    budget2 = 2.0 * lam2 + om_max[:, None] * k * dt
    # High orbits (cones wider than 45 deg): fall back to "either end within lam + w*dt/2",
    # written as a budget the ellipse test below always passes.
    wide = budget2 >= np.pi / 2
    cos_budget2 = np.where(wide, -1.0, np.cos(np.minimum(budget2, np.pi / 2))).astype(np.float32)
    cos_circle2 = np.where(wide, np.cos(np.minimum(lam2 + om_max[:, None] * k * dt / 2, np.pi)),
                           -2.0).astype(np.float32)
    ghat32 = np.ascontiguousarray(ghat.T.astype(np.float32))        # (G, 3)
    if S * (J + 1) >= 2**31:
        raise ValueError("find_passes: more than 2**31 satellite-nodes; split the satellites")
    # Unit vectors at the coarse nodes, float32: the screen needs ~1e-5 rad, not 1e-16.
    unit_c = [rn[c].astype(np.float32).reshape(-1) for c in range(3)]   # (S*(J+1),) each
    nodes1 = np.minimum(np.arange(J1 + 1) * f, J)                       # screen nodes, coarse index
    unit1 = np.ascontiguousarray(rn[:, :, nodes1].transpose(1, 2, 0), dtype=np.float32)
    return ScreenInputs(unit_c, unit1, invalid, invalid[:, nodes1], any_invalid, cos1, cos_budget2,
                        cos_circle2, bool(wide.any()), ghat32)


def screened_rows(inputs: ScreenInputs, grid: SearchGrid, n_stations: int, chunk_bytes: int, clock):
    """The (satellite, coarse interval, station) rows that may hold a visible sample,
    as ``(s, j, g)`` arrays, one chunk of screen intervals at a time."""
    f = grid.coarse_per_screen                # coarse intervals per screen interval
    J, J1 = grid.n_coarse, grid.n_screen      # coarse and screen intervals
    S = inputs.unit_screen.shape[0]
    per_node = S * n_stations * 6          # float32 cosine + two flags per satellite-station-node
    n1 = int(max(2, min(J1 + 1, chunk_bytes // max(1, per_node))))
    a1 = 0
    while a1 < J1:
        b1 = min(J1, a1 + n1 - 1)
        s1, j1, g1 = _level1(inputs, a1, b1)
        a1 = b1
        clock("screen")
        rows = _level2(inputs, s1, j1, g1, f, J, J1)
        del s1, j1, g1                     # not kept alive while the caller scans
        clock("screen2")
        yield rows


def _level1(inputs: ScreenInputs, a1: int, b1: int):
    """Screen intervals a1..b1-1 of every pair: kept if either end is inside the widened cone."""
    # (S, n, 3) @ (3, G), one thin matrix product for all pairs and nodes.
    near = np.matmul(inputs.unit_screen[:, a1:b1 + 1], inputs.station_dirs.T) >= inputs.cos_screen[:, None, :]
    near |= inputs.invalid_screen[:, a1:b1 + 1, None]
    flag = near[:, :-1]
    flag |= near[:, 1:]
    s1, jj1, g1 = np.nonzero(flag)
    return s1, jj1 + a1, g1


def _level2(inputs: ScreenInputs, s1, j1, g1, f: int, J: int, J1: int):
    """The coarse intervals inside each kept screen interval (``f`` per screen interval;
    ``J`` coarse and ``J1`` screen intervals in all), by gathered dot products at their nodes.

    A satellite at angles a, b from the station at the ends of an interval in
    which it moves at most w*dt is never closer than (a + b - w*dt) / 2
    (triangle inequality), so the interval is kept only if a + b <= 2 lam + w*dt:
    an ellipse, ~20 % tighter than two circles.
    """
    # int32 indices (S*(J+1) < 2**31 is checked in screen_inputs): half the memory traffic.
    first_node = (s1 * (J + 1) + j1 * f).astype(np.int32)
    flat = first_node[:, None] + np.arange(f + 1, dtype=np.int32)    # (M, f+1) coarse nodes
    partial = j1 == J1 - 1                                           # the last screen interval
    if partial.any():                # may run past the last coarse node
        lim = (s1 * (J + 1) + J).astype(np.int32)
        np.minimum(flat, lim[:, None], out=flat)
    gh = inputs.station_dirs[g1]
    unit_c = inputs.unit_coarse
    cosv = unit_c[0].take(flat) * gh[:, 0:1]
    cosv += unit_c[1].take(flat) * gh[:, 1:2]
    cosv += unit_c[2].take(flat) * gh[:, 2:3]
    if inputs.any_invalid:
        cosv[inputs.invalid.reshape(-1).take(flat)] = 1.0
    del flat
    # a + b <= B without arccos: first both ends within B (cheap), then, for those,
    # cos(a + b) >= cos(B) (valid as B < 90 deg keeps a + b in [0, 180 deg]).
    cb = inputs.cos_budget[s1, g1][:, None]
    within = cosv >= cb
    flag2 = within[:, :-1] & within[:, 1:]
    hit = np.flatnonzero(flag2)                 # flat (M, f) indices, via 1-D takes
    rr, oo = np.divmod(hit, f)
    ca = cosv.reshape(-1).take(rr * (f + 1) + oo)
    cb_ = cosv.reshape(-1).take(rr * (f + 1) + oo + 1)
    sa_ = np.sqrt(np.maximum(1.0 - ca * ca, 0.0))
    sb_ = np.sqrt(np.maximum(1.0 - cb_ * cb_, 0.0))
    keep = ca * cb_ - sa_ * sb_ >= cb.reshape(-1).take(rr)
    rr, oo = rr[keep], oo[keep]
    if inputs.any_wide:
        cc = inputs.cos_circle[s1, g1][:, None]
        wide_hit = (cosv[:, :-1] >= cc) | (cosv[:, 1:] >= cc)
        wide_hit[rr, oo] = False
        r2, o2 = np.nonzero(wide_hit)
        rr, oo = np.r_[rr, r2], np.r_[oo, o2]
    j_i = j1[rr] * f + oo
    ok = j_i < J
    rr, j_i = rr[ok], j_i[ok]
    return s1[rr], j_i, g1[rr]
