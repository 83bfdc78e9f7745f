"""The exact scan of the pass search: kept rows on the scan grid, reduced to what refinement needs.

Step 2 of the search described in :mod:`orbitlink.core.passes`.  A row is one
(satellite, coarse interval, station) that survived the cone screen; the
:class:`Scanner` evaluates its ``samples_per_row`` scan samples (track samples,
or cubic Hermite interpolation between them for a finer scan) and keeps only

- sign changes of the test function, with its values on both sides and the
  Hermite segment that holds them (:class:`ScanCrossings`);
- which pairs are visible at the first and last sample of the window;
- each row's highest visible sample if it is a strict local maximum inside the
  row, with its neighbours' values and the segment on the side the parabola
  through the three points to (:class:`PeakSamples`);
- near-threshold local maxima of rows with no visible sample (grazing candidates).

The segments are gathered while the scan has that memory hot: the rows of a
batch are in satellite order.  Keys are ``satellite * G + station``; ``q`` are
scan-sample indices from the grid start.  Pure numpy, SI float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from . import hermite
from .topocentric import Sites

# A local maximum this close below the threshold (in sin(el) units, ~0.57 deg at
# the horizon) is refined in case the true peak pokes above it between samples.
GRAZE_SIN = 0.01


def _column(kind: str):
    return field(metadata={"kind": kind})


def _concatenate(cls, pieces: dict):
    """An instance of dataclass ``cls`` from lists of array pieces per field."""
    out = {}
    for f in fields(cls):
        parts, kind = pieces[f.name], f.metadata["kind"]
        if kind == "coeffs":
            out[f.name] = np.concatenate(parts, axis=-1) if parts else np.empty((4, 3, 0))
        else:
            dtype = {"int": np.int64, "float": np.float64, "bool": bool}[kind]
            out[f.name] = np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)
    return cls(**out)


@dataclass
class ScanCrossings:
    """Sign changes between scan samples ``q`` and ``q + 1`` (N,)."""

    key: np.ndarray = _column("int")
    q: np.ndarray = _column("int")
    g_before: np.ndarray = _column("float")    # test function at q
    g_after: np.ndarray = _column("float")     # ... and at q + 1
    rising: np.ndarray = _column("bool")       # the later sample is visible
    coeffs: np.ndarray = _column("coeffs")     # (4, 3, N) Hermite segment holding both, station subtracted
    x0_s: np.ndarray = _column("float")        # start of that segment


@dataclass
class PeakSamples:
    """Rows whose highest visible scan sample ``q`` is a strict local maximum (N,)."""

    key: np.ndarray = _column("int")
    q: np.ndarray = _column("int")
    sin_el: np.ndarray = _column("float")
    sin_el_before: np.ndarray = _column("float")   # at q - 1
    sin_el_after: np.ndarray = _column("float")    # at q + 1
    coeffs: np.ndarray = _column("coeffs")         # the segment on the peak's side
    x0_s: np.ndarray = _column("float")


@dataclass
class GrazingCandidates:
    """Local maxima just below the threshold, in rows with no visible sample."""

    key: np.ndarray = _column("int")
    q: np.ndarray = _column("int")


@dataclass
class WindowEdges:
    """Pairs visible at the window's first and last scan sample (their passes are cut)."""

    visible_at_start: np.ndarray = _column("int")
    visible_at_end: np.ndarray = _column("int")


@dataclass
class ScanResults:
    crossings: ScanCrossings
    edges: WindowEdges
    peaks: PeakSamples
    grazing: GrazingCandidates


class _Pieces:
    """Array pieces collected per field of one result dataclass."""

    def __init__(self, cls):
        self.cls = cls
        self.pieces = {f.name: [] for f in fields(cls)}

    def add(self, **arrays):
        for name, a in arrays.items():
            self.pieces[name].append(a)

    def build(self):
        out = _concatenate(self.cls, self.pieces)
        self.pieces = None
        return out


class Scanner:
    """Evaluates kept (satellite, coarse interval, station) rows on the scan grid.

    ``scans_per_step`` scan samples per track step, ``steps_per_coarse`` track
    steps per row, ``last_scan`` the last scan index of the grid.
    """

    def __init__(self, r, v, sites: Sites, dt, scans_per_step, steps_per_coarse, last_scan):
        self.r_flat = [r[c].reshape(-1) for c in range(3)]
        self.v_flat = [v[c].reshape(-1) for c in range(3)]
        self.n_samples = r.shape[2]
        self.n_stations = sites.pos.shape[1]
        self.sites, self.dt = sites, dt
        self.scans_per_step, self.steps_per_coarse, self.last_scan = scans_per_step, steps_per_coarse, last_scan
        self.samples_per_row = steps_per_coarse * scans_per_step + 1
        self.offsets = np.arange(self.samples_per_row)
        if scans_per_step > 1:
            self.node_of = self.offsets // scans_per_step
            # Hermite basis of every sample offset inside its track segment.
            self.basis = hermite.basis((self.offsets % scans_per_step) / scans_per_step, dt)
        self.crossings = _Pieces(ScanCrossings)
        self.edges = _Pieces(WindowEdges)
        self.peaks = _Pieces(PeakSamples)
        self.grazing = _Pieces(GrazingCandidates)

    def _coeffs(self, flat0, g, d=None, at=None):
        """Power-form Hermite coefficients (4, 3, n) of the segments starting at ``flat0``.

        With ``d`` (the scan's station-relative positions) and ``at`` (flat sample
        indices of the segment's start; scan step = track step), the positions come
        from ``d`` instead of a second read of the track.
        """
        C = np.empty((4, 3, flat0.size))
        site = self.sites.pos[:, g]
        for c in range(3):
            if d is None:
                r0, r1 = self.r_flat[c][flat0], self.r_flat[c][flat0 + 1]
            else:
                dc = d[c].reshape(-1)
                r0, r1 = dc.take(at) + site[c], dc.take(at + 1) + site[c]
            hermite.power_coefficients(r0, self.v_flat[c][flat0], r1, self.v_flat[c][flat0 + 1], self.dt,
                                       out=C[:, c])
            C[0, c] -= site[c]
        return C

    def _relative_positions(self, s_i, j, g_i, base_q, all_in):
        """Satellite minus station, three (N, L) arrays, at every scan sample of the rows."""
        # T track samples, m scan samples per track step, k track steps per row.
        T, m, k = self.n_samples, self.scans_per_step, self.steps_per_coarse
        pos = self.sites.pos
        d = []
        if m == 1:
            qs = base_q[:, None] + self.offsets
            flat = s_i[:, None] * T + (qs if all_in else np.minimum(qs, T - 1))
            for c in range(3):
                dc = self.r_flat[c].take(flat)
                dc -= pos[c, g_i][:, None]
                d.append(dc)
            return d
        # Gather each row's k+1 track nodes once, then evaluate the Hermite
        # cubic of every scan sample from those (small, cached) arrays.
        nodes = np.minimum(j[:, None] * k + np.arange(k + 1), T - 1)
        flat = s_i[:, None] * T + nodes
        n0 = np.minimum(self.node_of, k - 1)       # segment of each sample
        tau_last = self.node_of > n0               # the row's end node: tau = 1
        H = np.where(tau_last, np.array([[0.0], [0.0], [1.0], [0.0]]), self.basis)
        for c in range(3):
            rn_, vn_ = self.r_flat[c][flat], self.v_flat[c][flat]
            val = H[0] * rn_[:, n0] + H[1] * vn_[:, n0] + H[2] * rn_[:, n0 + 1] + H[3] * vn_[:, n0 + 1]
            val -= pos[c, g_i][:, None]
            d.append(val)
        return d

    def __call__(self, s_i, j, g_i):
        """Scan rows: satellites ``s_i``, coarse intervals ``j``, stations ``g_i`` (N,)."""
        # T track samples, m scan samples per track step, Q last scan index, L samples per row.
        T, m, Q, L = self.n_samples, self.scans_per_step, self.last_scan, self.samples_per_row
        sites = self.sites
        up = sites.enu[2]
        base_q = j * (self.steps_per_coarse * m)       # scan index of each row's first sample
        # Only the last coarse interval can run past the grid's end.
        all_in = int(base_q.max()) + L - 1 <= Q
        in_range = True if all_in else base_q[:, None] + self.offsets <= Q
        d = self._relative_positions(s_i, j, g_i, base_q, all_in)
        u_ = up[0, g_i][:, None] * d[0]
        u_ += up[1, g_i][:, None] * d[1]
        u_ += up[2, g_i][:, None] * d[2]
        rho2 = d[0] * d[0]
        rho2 += d[1] * d[1]
        rho2 += d[2] * d[2]
        np.sqrt(rho2, out=rho2)
        sin_el = np.divide(u_, rho2, out=u_)
        del rho2
        if sites.table is None:
            gval = sin_el - sites.sin_floor[g_i][:, None]
        else:
            gval = sin_el - sites.sin_threshold(g_i, np.stack(d))
        d_nodes = d if m == 1 else None        # scan samples are track nodes: reuse them
        del d
        if not all_in:
            gval[~in_range] = np.nan
            sin_el[~in_range] = np.nan
        vis = gval >= 0.0
        key = s_i.astype(np.int64) * self.n_stations + g_i
        # Bookkeeping by flat indices and 1-D takes (2-D fancy indexing is several times slower).
        gflat, sflat, vflat = gval.reshape(-1), sin_el.reshape(-1), vis.reshape(-1)

        change = vis[:, :-1] != vis[:, 1:]
        if not all_in:
            change &= in_range[:, 1:]
        hit = np.flatnonzero(change)
        rw, pp = np.divmod(hit, L - 1)
        at = rw * L + pp                          # flat index of the earlier sample
        # The Hermite segment of each crossing, gathered here: the rows of a batch are in
        # satellite order, so these reads hit memory the scan has just touched.
        q = base_q.take(rw) + pp
        seg = q // m
        self.crossings.add(key=key.take(rw), q=q, g_before=gflat.take(at), g_after=gflat.take(at + 1),
                           rising=vflat.take(at + 1),
                           coeffs=self._coeffs(s_i.take(rw) * T + seg, g_i.take(rw), d_nodes, at),
                           x0_s=seg * self.dt)
        if j.min() == 0:
            self.edges.add(visible_at_start=key[(j == 0) & vis[:, 0]])
        lr = np.flatnonzero((base_q <= Q) & (base_q + L - 1 >= Q))
        if lr.size:
            self.edges.add(visible_at_end=key[lr[vflat.take(lr * L + Q - base_q[lr])]])
        has_visible = self._peaks(key, s_i, g_i, base_q, vis, sin_el, sflat, d_nodes)
        self._grazing(key, base_q, gval, all_in, np.flatnonzero(~has_visible))

    def _peaks(self, key, s_i, g_i, base_q, vis, sin_el, sflat, d_nodes):
        """Collect the rows' peak samples; returns which rows have a visible sample."""
        # Rows whose highest visible sample is a strict local maximum inside the row: that
        # is the pass's peak sample (elevation has one maximum per LEO pass).  Its Hermite
        # segment, on the side the parabola through the three samples points to, is
        # gathered now while this memory is hot.  Passes whose peak sample is a row's end
        # (a coarse node) or the pass's end are refined from AOS/LOS instead.
        T, m, L = self.n_samples, self.scans_per_step, self.samples_per_row
        score = np.where(vis, sin_el, -np.inf)
        pa = np.argmax(score, axis=1)
        rows = np.arange(pa.size)
        best = score.reshape(-1).take(rows * L + pa)
        has_visible = best > -np.inf
        inner = np.flatnonzero(has_visible & (pa > 0) & (pa < L - 1))
        if not inner.size:
            return has_visible
        fa_ = inner * L + pa.take(inner)
        y_0 = best.take(inner)
        y_m, y_p = sflat.take(fa_ - 1), sflat.take(fa_ + 1)
        ok = (y_m <= y_0) & (y_p <= y_0) & (y_m - 2.0 * y_0 + y_p < 0)
        inner, y_0, y_m, y_p = inner[ok], y_0[ok], y_m[ok], y_p[ok]
        q = base_q.take(inner) + pa.take(inner)
        q0 = q - (y_p <= y_m)                       # start of the scan interval with the peak
        self.peaks.add(key=key.take(inner), q=q, sin_el=y_0, sin_el_before=y_m, sin_el_after=y_p,
                       coeffs=self._coeffs(s_i.take(inner) * T + q0 // m, g_i.take(inner), d_nodes,
                                           inner * L + (q0 - base_q.take(inner))),
                       x0_s=(q0 // m) * self.dt)
        return has_visible

    def _grazing(self, key, base_q, gval, all_in, nov):
        """Collect near-threshold maxima of the rows ``nov`` (no visible sample)."""
        if not nov.size:
            return
        gv = gval[nov]
        if not all_in:
            gv[~np.isfinite(gv)] = -np.inf
        pa = np.argmax(gv, axis=1)
        close = gv.reshape(-1).take(np.arange(pa.size) * self.samples_per_row + pa) > -GRAZE_SIN
        if close.any():
            self.grazing.add(key=key[nov[close]], q=base_q[nov[close]] + pa[close])

    def results(self) -> ScanResults:
        """Everything collected, concatenated (the scanner is spent afterwards)."""
        return ScanResults(self.crossings.build(), self.edges.build(), self.peaks.build(),
                           self.grazing.build())
