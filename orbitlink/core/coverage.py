"""Coverage counts: how many time samples each ground point sees at least one satellite.

Pure numpy (plus scipy's k-d tree, imported lazily), SI float64.  Two kernels
with the same answer for the same points: :func:`coverage_counts` for any set
of :class:`~orbitlink.core.topocentric.Sites` (azimuth masks included) and
:func:`grid_coverage_counts`, faster, for a regular latitude/longitude grid
with one elevation threshold.  Both prune with the visibility cone of
:func:`~orbitlink.core.topocentric.cone_angles` (the pass search's bound) and
test the survivors exactly; neither forms the points x satellites x times cube.
"""

from __future__ import annotations

import math

import numpy as np

from . import frames
from .topocentric import Sites, cone_angles, dot3, enu_basis

__all__ = ["coverage_counts", "grid_coverage_counts"]


def _directions_by_time_block(r, rad, step: int):
    """Blocks of ``step`` time samples of a (3, S, T) track with radii ``rad`` (S, T):
    ``(lo, hi, positions (3, S*(hi-lo)), flat indices of the valid samples, their unit
    vectors (3, n))``, skipping blocks with no valid sample."""
    T = r.shape[2]
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        rc = r[:, :, lo:hi].reshape(3, -1)
        nr = rad[:, lo:hi].reshape(-1)
        idx = np.flatnonzero(np.isfinite(nr))
        if idx.size:
            yield lo, hi, rc, idx, rc[:, idx] / nr[idx]


def coverage_counts(r_itrs_m, valid, sites: Sites, *, chunk_bytes: int = 64 * 2**20):
    """For each site, the number of time samples at which at least one satellite is above its threshold.

    Pruning: a k-d tree over the sites' geocentric unit vectors returns, for
    each satellite-time, the sites inside the largest cone any satellite could
    be visible in (same bound as the pass search, no time margin); only those
    pairs get an exact elevation test.  Returns ``(counts (P,), samples)``
    where ``samples`` is the number of time steps with at least one valid
    satellite.
    """
    from scipy.spatial import cKDTree

    r = np.asarray(r_itrs_m, float)
    _, S, T = r.shape
    P = sites.pos.shape[1]
    rad = np.sqrt(dot3(r, r))
    ok = np.isfinite(rad)
    r_hi = float(np.max(rad[ok])) if ok.any() else np.inf
    r_lo = float(np.min(rad[ok])) if ok.any() else np.inf
    lam, ghat = cone_angles(sites, np.array([r_hi]), np.zeros(1), 0.0)
    lam_out = min(math.pi, float(np.max(lam)))
    chord = 2.0 * math.sin(lam_out / 2.0) + 1e-9
    # Inner cone: a satellite closer than this to every site's vertical is above
    # every threshold (lowest radius, highest threshold plus tilt, largest site
    # radius); only the annulus between the cones needs the exact test.
    rho = np.linalg.norm(sites.pos, axis=0)
    tilt = np.arccos(np.clip(dot3(sites.enu[2], ghat), -1.0, 1.0))
    top = np.max(sites.table, axis=1) if sites.table is not None else sites.floor_rad
    eps_in = float(np.max(top + tilt)) + 1e-9
    lam_in = math.acos(min(1.0, float(np.max(rho)) * math.cos(eps_in) / r_lo)) - eps_in - 1e-6
    chord_in = 2.0 * math.sin(max(lam_in, 0.0) / 2.0) if lam_in > 0 else -1.0
    tree = cKDTree(ghat.T)
    counts = np.zeros(P, np.int64)
    step = max(1, int(chunk_bytes // max(1, S * 3 * 8 * 8)))
    ok_t = np.asarray(valid).any(axis=0)
    up = sites.enu[2]
    for lo, hi, rc, idx, unit in _directions_by_time_block(r, rad, step):
        pairs = cKDTree(unit.T).sparse_distance_matrix(tree, chord, output_type="ndarray")
        if pairs.size == 0:
            continue
        a = idx[pairs["i"]]
        p = pairs["j"].astype(np.int64)
        sure = pairs["v"] <= chord_in
        check = np.flatnonzero(~sure)
        ac, pc = a[check], p[check]
        d = rc[:, ac] - sites.pos[:, pc]
        hit = dot3(up[:, pc], d) / np.sqrt(dot3(d, d)) >= sites.sin_threshold(pc, d)
        covered = np.zeros((P, hi - lo), bool)
        covered[p[sure], a[sure] % (hi - lo)] = True
        covered[pc[hit], ac[hit] % (hi - lo)] = True
        counts += covered.sum(axis=1)
    return counts, int(ok_t.sum())


def grid_coverage_counts(r_itrs_m, valid, lat_rad, lon_rad, min_elevation_rad: float, *,
                         chunk_bytes: int = 64 * 2**20):
    """:func:`coverage_counts` for a regular latitude/longitude grid of cell centres (faster).

    ``lat_rad`` (n_lat,) and ``lon_rad`` (n_lon,) are evenly spaced geodetic
    cell centres; returns ``(counts (n_lat, n_lon), samples)``.  For each
    satellite-time the candidate cells are a latitude/longitude box around the
    sub-satellite point that contains the widest visibility cone (plus the
    geodetic/geocentric tilt); each candidate gets the exact elevation test.
    """
    r = np.asarray(r_itrs_m, float)
    _, S, T = r.shape
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    n_lat, n_lon = lat.size, lon.size
    dlat = float(lat[1] - lat[0]) if n_lat > 1 else math.pi
    dlon = float(lon[1] - lon[0]) if n_lon > 1 else 2 * math.pi
    LA, LO = np.meshgrid(lat, lon, indexing="ij")
    pos = frames.geodetic_to_itrs(LA.ravel(), LO.ravel(), np.zeros(LA.size))
    enu = enu_basis(LA.ravel(), LO.ravel())
    up = enu[2]
    sites = Sites.make(pos, enu, np.full(LA.size, float(min_elevation_rad)))
    rad = np.sqrt(dot3(r, r))
    ok = np.isfinite(rad)
    r_hi = float(np.max(rad[ok])) if ok.any() else np.inf
    lam_all, _ = cone_angles(sites, np.array([r_hi]), np.zeros(1), 0.0)
    lam = min(math.pi, float(np.max(lam_all))) + math.radians(0.2)   # + geodetic/geocentric latitude
    sin_thr = math.sin(float(min_elevation_rad))
    # Cell tables over three turns of longitude (see the loop), flat (n_lat * 3 * n_lon,).
    pos_x, pos_y, pos_z, up_x, up_y, up_z = (np.tile(c.reshape(n_lat, n_lon), (1, 3)).reshape(-1)
                                             for c in (*pos, *up))
    counts = np.zeros(n_lat * n_lon, np.int64)
    step = max(1, int(chunk_bytes // max(1, S * 8 * 200)))
    for lo, hi, rc, idx, (x, y, z) in _directions_by_time_block(r, rad, step):
        phi = np.arcsin(np.clip(z, -1.0, 1.0))
        lmb = np.arctan2(y, x)
        i_lo = np.clip(np.ceil((phi - lam - lat[0]) / dlat - 1e-9), 0, n_lat - 1).astype(np.int64)
        i_hi = np.clip(np.floor((phi + lam - lat[0]) / dlat + 1e-9), 0, n_lat - 1).astype(np.int64)
        # Widest longitude half-width over the box's latitudes (at its most poleward edge).
        edge = np.minimum(np.abs(phi) + lam, math.pi / 2)
        with np.errstate(invalid="ignore", divide="ignore"):
            half = np.arcsin(np.clip(math.sin(lam) / np.cos(edge), -1.0, 1.0))
        half = np.where((np.cos(edge) <= math.sin(lam)) | (edge >= math.pi / 2 - 1e-12), math.pi, half)
        j_lo = np.ceil((lmb - half - lon[0]) / dlon - 1e-9).astype(np.int64)
        j_hi = np.floor((lmb + half - lon[0]) / dlon + 1e-9).astype(np.int64)
        nc = np.minimum(j_hi - j_lo + 1, n_lon)
        nr_ = np.maximum(i_hi - i_lo + 1, 0)
        # Candidates one box row at a time: a satellite-time's candidates are consecutive,
        # so its position is repeated (a sequential copy) rather than gathered, and the
        # column offsets need no integer division.  Longitudes index cell tables repeated
        # three times around the globe (columns -n_lon .. 2 n_lon - 1), so a box that
        # crosses the antimeridian needs no modulo either; the copies are OR-ed at the
        # end.  The test is the same expression (up . d >= sin(threshold) |d|, d = r -
        # site) in the same order as a direct evaluation.
        W = hi - lo
        rx, ry, rz = rc[0, idx], rc[1, idx], rc[2, idx]
        t_of = idx % W
        covered = np.zeros(n_lat * 3 * n_lon * W, bool)
        for q in range(int(nr_.max(initial=0))):
            sel = np.flatnonzero(nr_ > q)
            ncs = nc[sel]
            col = np.arange(int(ncs.sum())) - np.repeat(np.cumsum(ncs) - ncs, ncs)
            cell = np.repeat((i_lo[sel] + q) * (3 * n_lon) + j_lo[sel] + n_lon, ncs) + col
            dx = np.repeat(rx[sel], ncs) - pos_x.take(cell)
            dy = np.repeat(ry[sel], ncs) - pos_y.take(cell)
            dz = np.repeat(rz[sel], ncs) - pos_z.take(cell)
            up_d = up_x.take(cell) * dx + up_y.take(cell) * dy + up_z.take(cell) * dz
            hit = up_d >= sin_thr * np.sqrt(dx * dx + dy * dy + dz * dz)
            covered[(cell * W + np.repeat(t_of[sel], ncs))[hit]] = True
        wrapped = covered.reshape(n_lat, 3, n_lon, W)
        counts += (wrapped[:, 0] | wrapped[:, 1] | wrapped[:, 2]).sum(axis=2).reshape(-1)
    return counts.reshape(n_lat, n_lon), int(np.asarray(valid).any(axis=0).sum())
