"""Where the eclipse engine gets its positions: the circular closed form or sampled states.

Every source hands the engine (:mod:`.engine`) the grid chunk by chunk as a
:class:`~orbitlink.core.eclipse_kernels.Chunk` and answers the same few
questions (``n_sat``, ``names``, ``chunk_steps``, ``beta_rows``, ``period_s``,
``osculating_period_s``, ``messages``).  Two kinds:

- designed *circular* orbits (analytic J2-secular or two-body):
  :class:`orbitlink.core.eclipse_circular.CircularOrbits`, a closed form
  evaluated straight into ``r_hat . s_hat`` plane by plane, never forming the
  (3, S, T) positions.  :func:`orbitlink.propagators.propagate` would also
  rotate every state to ITRS, one nutation/precession evaluation per time step
  (about 4.7 s per satellite-month at 60 s), which an eclipse does not need;
  :func:`circular_source` builds it from an OrbitSet;
- :class:`SampledSource`: a :class:`~orbitlink.track.Track` you already have,
  or anything else (TLE/OMM element sets, eccentric orbits, hapsira Cowell)
  propagated chunk by chunk through :func:`orbitlink.propagators.propagate` on
  sub-grids (eccentric analytic orbits straight through
  :func:`orbitlink.propagators.analytic.propagate_gcrs`, GCRS only).  Between
  samples, positions are cubic Hermite polynomials of positions and velocities.

:func:`make_source` picks one, with the propagator resolved by
:func:`orbitlink.propagators.resolve` (the one place that turns "auto" into a
propagator and rejects impossible pairs).
"""

from __future__ import annotations

import numpy as np

from ..constants import AU_M, DAY_S, MU_EARTH_M3_S2
from ..core import hermite, kepler, shadow
from ..core.eclipse_circular import CircularOrbits, table_pad_s
from ..core.eclipse_kernels import Chunk
from ..orbits import OrbitSet
from ..propagators import propagate, resolve
from ..sun import SunTable
from ..times import TimeGrid
from ..track import Track

__all__ = ["SampledSource", "circular_pad_s", "circular_source", "is_circular", "make_source"]


def is_circular(source, propagator: str) -> bool:
    """Whether ``source`` takes the closed form: designed circular orbits, analytic or two-body."""
    return (isinstance(source, OrbitSet) and propagator in ("auto", "analytic", "two-body")
            and bool(np.all(source.e == 0.0)))


def circular_pad_s(orbits: OrbitSet) -> float:
    """How far beyond the grid the Sun table must reach for the circular source (s)."""
    return table_pad_s(np.max(orbits.a_m))


def circular_source(orbits: OrbitSet, grid: TimeGrid, sun: SunTable, model: str, j2: bool) -> CircularOrbits:
    """The closed-form source of circular ``orbits``, elements referred to the grid start."""
    orbits = orbits.at_epoch(grid.start)
    t_off = float((grid.start - orbits.epoch).sec)
    a, inc = orbits.a_m.astype(float), orbits.i_rad.astype(float)
    n = a.size
    if j2:
        raan_dot, argp_dot, m_dot = kepler.j2_secular_rates(a, np.zeros(n), inc)
    else:
        raan_dot, argp_dot, m_dot = np.zeros(n), np.zeros(n), np.sqrt(MU_EARTH_M3_S2 / a**3)
    u_dot = argp_dot + m_dot
    u0 = np.remainder(orbits.argp_rad + orbits.m_rad + u_dot * t_off, 2 * np.pi)
    raan0 = np.remainder(orbits.raan_rad + raan_dot * t_off, 2 * np.pi)
    return CircularOrbits(orbits.names, a, inc, u0, u_dot, raan0, raan_dot, t_s=grid.t_s, step_s=grid.step_s,
                          sun_gcrs_m=sun.gcrs_m, sun_span_s=(sun.node_s[0], sun.node_s[-1]), model=model)


def make_source(source, grid: TimeGrid, sun: SunTable, model: str, propagator: str):
    """``(position source, propagator name)`` for an OrbitSet or ElementSet."""
    name = resolve(source, propagator)
    if is_circular(source, name):
        return circular_source(source, grid, sun, model, j2=(name == "analytic")), name
    return SampledSource(grid, sun, model, source.names, source=source, propagator=name), name


class SampledSource:
    """Positions and velocities on the grid: a Track, or propagation chunk by chunk.

    Between samples the position is a cubic Hermite polynomial of the two
    neighbouring positions and velocities (0.3 m error at 60 s in LEO, see
    docs/design performance notes), from which the exact shadow functions are
    evaluated during root finding.  ``propagator`` is a resolved name
    (:func:`orbitlink.propagators.resolve`).
    """

    period_s = None          # known only from the ascending nodes seen
    beta_rows = None         # beta tables have one row per satellite

    def __init__(self, grid: TimeGrid, sun: SunTable, model: str, names, *, track: Track | None = None,
                 source=None, propagator: str = "analytic"):
        self.grid, self.sun, self.model = grid, sun, model
        self.track, self.source, self.propagator = track, source, propagator
        self.names = tuple(names)
        self._notes: list[str] = []             # propagator messages, once each
        self._first_error: dict[int, str] = {}  # satellite -> its first SGP4 error ("...from T")
        self._masked = np.zeros(len(self.names), np.int64)   # invalid samples, each counted once
        self._index = {n: k for k, n in enumerate(self.names)}

    @property
    def n_sat(self) -> int:
        return len(self.names)

    @property
    def n_beta_rows(self) -> int:
        return self.n_sat

    def chunk_steps(self, chunk_elements: int) -> int:
        """Grid steps per chunk: about ``chunk_elements`` satellite-steps, at most a day."""
        h = self.grid.step_s
        return int(max(8, min(self.grid.size, chunk_elements // max(self.n_sat, 1), int(DAY_S / h) + 1)))

    def states(self, v0: int, v1: int):
        """``(r_gcrs_m, v_gcrs_m_s, valid)`` of samples ``v0..v1``."""
        if self.track is not None:
            tr = self.track
            sl = slice(v0, v1 + 1)
            return tr.r_gcrs_m[:, :, sl], tr.v_gcrs_m_s[:, :, sl], tr.valid[:, sl]
        sub = TimeGrid(self.grid.start, self.grid.t_s[v0:v1 + 1])
        src = self.source
        if isinstance(src, OrbitSet) and self.propagator in ("analytic", "two-body"):
            # GCRS only: the ITRS rotation of propagators.propagate is not needed here.
            from ..propagators.analytic import propagate_gcrs

            r, v = propagate_gcrs(src, sub, j2=(self.propagator == "analytic"))
            return r, v, np.ones(r.shape[1:], dtype=bool)
        tr = propagate(src, sub, propagator=self.propagator)
        for m in tr.messages:
            # SGP4's "NAME: SGP4 error ... from T; n of N samples masked" is per chunk: keep
            # each satellite's first one and count its masked samples over the whole run.
            head, _, tail = m.rpartition("; ")
            sat = self._index.get(head.split(": SGP4 error")[0]) if tail.endswith("samples masked") else None
            if sat is not None:
                self._first_error.setdefault(sat, head)
            elif m not in self._notes:
                self._notes.append(m)
        return tr.r_gcrs_m, tr.v_gcrs_m_s, tr.valid

    @property
    def messages(self) -> list[str]:
        """The propagator's messages for the whole run, one per failing satellite."""
        errors = [f"{self._first_error[k]}; {int(self._masked[k])} of {self.grid.size} samples masked"
                  for k in sorted(self._first_error)]
        return errors + self._notes

    def osculating_period_s(self) -> np.ndarray:
        """Two-body period from the first valid sample (when fewer than two nodes were seen)."""
        r, v, _ = self.states(0, 1)
        r0, v0 = r[:, :, 0], v[:, :, 0]
        rn = np.sqrt(np.sum(r0 * r0, axis=0))
        v2 = np.sum(v0 * v0, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            a = 1.0 / (2.0 / rn - v2 / MU_EARTH_M3_S2)
            return 2.0 * np.pi * np.sqrt(np.abs(a) ** 3 / MU_EARTH_M3_S2)

    def chunk(self, v0: int, v1: int, k0: int) -> Chunk:
        """Samples ``v0..v1``; the chunk owns the steps from sample ``k0`` on."""
        t = self.grid.t_s[v0:v1 + 1]
        r, v, valid = self.states(v0, v1)
        # Samples k0+1 .. v1 are this chunk's own (k0 ended the chunk before; the first owns 0).
        self._masked += (~valid[:, (k0 - v0 + (k0 > 0)):]).sum(axis=1)
        sun = self.sun.gcrs_m(t)
        sun3 = sun[:, None, :]
        g = list(shadow.shadow_functions(r, sun3, self.model))
        normal = shadow.orbit_normal(r, v)
        beta = shadow.beta_angle_rad(normal, sun3)
        del normal
        r2 = np.sum(r * r, axis=0)
        omega = np.sqrt(np.sum(v * v, axis=0) / r2)  # >= the angular rate
        h = self.grid.step_s
        with np.errstate(invalid="ignore"):
            # How far below its samples a shadow function can dip between them: the
            # curvature near a minimum is at most ~omega^2 (rad) -- times the radius
            # for the cylindrical function, which is in metres -- with a 4x margin.
            margin = 0.5 * (np.nanmax(np.where(valid, omega, np.nan), axis=1, initial=0.0) * h) ** 2
            if self.model == "cylindrical":
                margin *= np.nanmax(np.where(valid, np.sqrt(r2), np.nan), axis=1, initial=0.0)
        all_valid = bool(valid.all())
        node_sat, node_t = _ascending_nodes(r[2], t, valid, all_valid, k0 - v0, h)
        dist = np.sqrt(np.sum(sun * sun, axis=0))
        flux = (AU_M / dist) ** 2
        t0 = t[0]

        def positions_at(sat, tt):
            return hermite.interpolate(r, v, t0, h, sat, tt)

        def sun_at(tt):  # linear between the chunk's samples: < 3 m at a 60 s step
            x = (tt - t0) / h
            qq = np.minimum(np.maximum(x.astype(np.int64), 0), t.size - 2)
            w = x - qq
            return sun[:, qq] * (1.0 - w) + sun[:, qq + 1] * w

        def shadow_fn_at(boundary, sat, tt):
            return shadow.shadow_functions(positions_at(sat, tt), sun_at(tt), self.model)[boundary]

        def illuminated_at(sat, tt):
            return shadow.illuminated_fraction(positions_at(sat, tt), sun_at(tt), self.model)

        def beta_at(sat, tt):
            qq = np.clip(np.round((tt - t0) / h).astype(np.int64), 0, t.size - 1)
            return beta[sat, qq]

        return Chunk(t, g, None if all_valid else valid, margin, beta, flux, node_sat, node_t,
                     shadow_fn_at, illuminated_at, beta_at)


def _ascending_nodes(z, t, valid, all_valid, off, h):
    """Ascending nodes: z goes from < 0 to >= 0 between two valid owned samples (linear in between)."""
    up = (z[:, off:-1] < 0.0) & (z[:, off + 1:] >= 0.0)
    if not all_valid:
        up &= valid[:, off:-1] & valid[:, off + 1:]
    node_sat, q = np.nonzero(up)
    q = q + off
    z0, z1 = z[node_sat, q], z[node_sat, q + 1]
    return node_sat, t[q] + h * (-z0) / (z1 - z0)
