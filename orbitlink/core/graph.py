"""Link graphs for routing: ground access, +Grid inter-satellite links, Earth blockage and
shortest light-time paths (numpy + scipy, SI float64).

Satellites are indexed 0..N-1 and their positions are ``r_itrs_m`` (3, N, T)
on a shared time grid.  Links are kept as *edge lists over time* (:class:`Links`:
parallel arrays ``a``, ``b``, ``t``, ``length_m``), never as one Python object
per link, so every geometric test runs on whole arrays.

Shortest paths use :func:`scipy.sparse.csgraph.dijkstra` on a *block-diagonal*
graph: node ``k * N + s`` is satellite ``s`` at the k-th step of a chunk of
time steps, and links only join nodes of the same step.  One multi-source
call then solves every step of the chunk at once in compiled code, instead of
one Python-level search per step (or per user, as networkx-based tools do).

Ground stations are *end points*, not transit nodes: a gateway hands traffic to
the terrestrial network, it does not relay satellite to satellite.  So the
graph holds satellites only and ground links are attached afterwards with
vectorized minimum reductions (:func:`min_by_key`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import R_EARTH_M
from .topocentric import Sites

# An inter-satellite line of sight must clear the Earth plus this much
# atmosphere (refraction and absorption in the lower atmosphere; the model).
ATMOSPHERE_CLEARANCE_M = 80_000.0
BLOCKAGE_RADIUS_M = R_EARTH_M + ATMOSPHERE_CLEARANCE_M
# Block-diagonal graphs are built for this many satellite-steps at a time.
# Dijkstra's heap and distance arrays then stay in the CPU cache: for the
# 1,584-satellite +Grid shell over 1,441 steps, 2**17 nodes a search took
# 0.80-0.82 s, 2**16 0.93-0.96 s, 2**20 1.39 s and 2**22 1.62 s (2-core Xeon).
CHUNK_NODES = 1 << 17


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@dataclass(frozen=True, eq=False)
class Links:
    """Undirected links at time steps: ``a[i] -- b[i]`` at step ``t[i]``, ``length_m[i]`` long.

    For ground links ``a`` is the site index and ``b`` the satellite index.
    """

    a: np.ndarray
    b: np.ndarray
    t: np.ndarray
    length_m: np.ndarray

    def __post_init__(self):
        # int32 indices halve the memory of the millions of links of a shell-day;
        # code that combines them into keys widens to int64 first.
        for name in ("a", "b", "t"):
            object.__setattr__(self, name, np.asarray(getattr(self, name)).astype(np.int32, copy=False))

    @classmethod
    def empty(cls) -> "Links":
        z = np.zeros(0, np.int64)
        return cls(z, z.copy(), z.copy(), np.zeros(0))

    @classmethod
    def concat(cls, parts) -> "Links":
        parts = [p for p in parts if p.size]
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("a", "b", "t", "length_m")))

    @property
    def size(self) -> int:
        return int(self.a.size)

    def select(self, keep) -> "Links":
        return Links(self.a[keep], self.b[keep], self.t[keep], self.length_m[keep])


# --- geometry ----------------------------------------------------------------------------------

def clears_earth(r1_m, r2_m, radius_m: float = BLOCKAGE_RADIUS_M) -> np.ndarray:
    """True where the segment r1 -> r2 (3, ...) stays outside a sphere of ``radius_m``.

    The closest point of the segment to the Earth's centre is at parameter
    ``s = clip(-r1.(r2-r1) / |r2-r1|^2, 0, 1)``; the link is clear when that
    point is farther than ``radius_m``.  NaN positions give False.
    """
    r1 = np.asarray(r1_m, float)
    d = np.asarray(r2_m, float) - r1
    dd = _dot(d, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(-_dot(r1, d) / dd, 0.0, 1.0)
    p0, p1, p2 = r1[0] + s * d[0], r1[1] + s * d[1], r1[2] + s * d[2]
    return p0 * p0 + p1 * p1 + p2 * p2 > radius_m * radius_m


def _cone_angle(sites: Sites, r_max_m: float) -> float:
    """Widest central angle (rad), over the sites, at which a satellite no farther than
    ``r_max_m`` from the Earth's centre can be above a site's threshold.

    A satellite at radius r sees a site at geocentric radius rho above
    geocentric elevation eps iff the central angle is at most
    acos(rho cos(eps) / r) - eps; the geodetic elevation exceeds the geocentric
    one by at most the tilt between the two verticals, so eps = threshold - tilt.
    """
    rho = np.linalg.norm(sites.pos, axis=0)
    ghat = sites.pos / rho
    tilt = np.arccos(np.clip(_dot(sites.enu[2], ghat), -1.0, 1.0))
    eps = sites.min_threshold_rad - tilt - 1e-9
    lam = np.arccos(np.clip(rho * np.cos(eps) / r_max_m, -1.0, 1.0)) - eps
    return min(math.pi, float(np.max(lam)) + 1e-6)


def _cells(lat_rad, lon_rad, cell_rad: float, n_lon: int):
    i = np.floor((lat_rad + math.pi / 2) / cell_rad).astype(np.int64)
    j = np.floor((lon_rad + math.pi) / cell_rad).astype(np.int64) % n_lon
    return i * n_lon + j


def access_links(r_itrs_m: np.ndarray, sites: Sites, *, chunk_points: int = 1 << 18) -> Links:
    """Site-satellite links at every step where the satellite is at or above the site's threshold.

    Returns :class:`Links` with ``a`` = site index, ``b`` = satellite index and
    ``length_m`` = slant range, ordered by step.  Screening: satellite
    sub-points are hashed into latitude/longitude cells about a quarter of the
    visibility cone wide; each site has a fixed list of the cells that come
    within the widest cone (:func:`_cone_angle`) plus one cell width,
    so each satellite-step is tested exactly (``sin(el) >= sin(threshold(az))``,
    station masks apply) only against the sites listed for its cell: no tree,
    no sort, no per-step Python work, about 1.6 candidates per visible pair.
    """
    r = np.asarray(r_itrs_m, float)
    _, N, T = r.shape
    K = sites.pos.shape[1]
    if N == 0 or T == 0 or K == 0:
        return Links.empty()
    radius = np.sqrt(_dot(r, r))
    if not np.isfinite(radius).any():
        return Links.empty()
    lam = _cone_angle(sites, float(np.nanmax(radius)))
    cell = min(math.radians(15.0), max(math.radians(0.5), lam / 4.0))
    n_lon = int(math.ceil(2 * math.pi / cell))
    n_lat = int(math.ceil(math.pi / cell)) + 1
    cell = 2 * math.pi / n_lon
    n_cells = n_lat * n_lon
    # Which cells can hold a satellite visible from each site (cell centres within reach).
    ci, cj = np.divmod(np.arange(n_cells), n_lon)
    clat = np.clip(-math.pi / 2 + (ci + 0.5) * cell, -math.pi / 2, math.pi / 2)
    clon = -math.pi + (cj + 0.5) * cell
    cvec = np.stack([np.cos(clat) * np.cos(clon), np.cos(clat) * np.sin(clon), np.sin(clat)])
    ghat = sites.pos / np.linalg.norm(sites.pos, axis=0)
    # A point of a cell is at most cell/2 (latitude) + cell/2 (longitude, shrunk by
    # cos(lat)) from the cell's centre, so lam + cell is a safe reach.
    reach = min(math.pi, lam + cell + 1e-9)
    pair_site, pair_cell = np.nonzero(ghat.T @ cvec >= math.cos(reach))

    # Cell -> sites that can see into it, as CSR arrays.
    by_cell = np.argsort(pair_cell, kind="stable")
    cell_sites = pair_site[by_cell]
    per_cell = np.bincount(pair_cell, minlength=n_cells + 1)     # the extra cell holds invalid samples
    cell_ptr = np.concatenate([[0], np.cumsum(per_cell)[:-1]])

    up = sites.enu[2]
    step = max(1, chunk_points // N)
    parts = []
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        m = hi - lo
        rc = np.ascontiguousarray(r[:, :, lo:hi]).reshape(3, -1)   # point p = s * m + k
        nr = radius[:, lo:hi].reshape(-1)
        ok = np.isfinite(nr)
        with np.errstate(invalid="ignore"):
            lat = np.arcsin(np.clip(rc[2] / nr, -1.0, 1.0))
            lon = np.arctan2(rc[1], rc[0])
        c = np.where(ok, _cells(np.where(ok, lat, 0.0), np.where(ok, lon, 0.0), cell, n_lon), n_cells)
        # Ragged expansion: each satellite-step meets every site listed for its cell.
        n = per_cell[c]
        total = int(n.sum())
        if total == 0:
            continue
        point = np.repeat(np.arange(c.size), n)
        first = np.cumsum(n) - n
        g = cell_sites[np.repeat(cell_ptr[c] - first, n) + np.arange(total)]
        d = rc[:, point] - sites.pos[:, g]
        rng = np.sqrt(_dot(d, d))
        sin_el = _dot(up[:, g], d) / rng
        hit = sin_el >= sites.sin_threshold(g, d)
        point = point[hit]
        parts.append(Links(g[hit], point // m, lo + point % m, rng[hit]))
    return Links.concat(parts)


# --- orbital planes and +Grid -------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Planes:
    """Satellites grouped into orbital planes.

    ``members[p]`` are the satellite indices of plane p in slot order (increasing
    argument of latitude, starting from the plane's first-listed satellite, so a
    file or a Walker spec that numbers satellites round their planes keeps its
    numbering); ``adjacent`` (A, 2) lists the plane pairs whose satellites link
    across planes; ``plane_of`` (N,) maps each satellite to its plane;
    ``arg_lat_rad`` (N,) is each satellite's argument of latitude at the state
    the planes were inferred from (NaN where that state was invalid).
    """

    plane_of: np.ndarray
    members: tuple[np.ndarray, ...]
    adjacent: np.ndarray
    arg_lat_rad: np.ndarray | None = None

    @property
    def count(self) -> int:
        return len(self.members)

    def describe(self) -> dict:
        """The grouping as a user checks it: planes, satellites per plane, cross-plane pairs."""
        sizes = [int(m.size) for m in self.members]
        return {"planes": len(sizes), "satellites_per_plane": sorted(set(sizes)),
                "cross_plane_pairs": int(self.adjacent.shape[0]),
                "ungrouped": int(np.count_nonzero(self.plane_of < 0))}


def _split_circular(angle_rad: np.ndarray, tol_rad: float) -> np.ndarray:
    """Cluster labels of angles on a circle: a new cluster wherever sorted neighbours differ by > tol."""
    n = angle_rad.size
    if n == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(angle_rad, kind="stable")
    a = angle_rad[order]
    gaps = np.diff(np.concatenate([a, [a[0] + 2 * math.pi]]))
    cut = gaps > tol_rad
    if not cut.any():
        return np.zeros(n, np.int64)
    # Start the numbering after the last cut, so a cluster straddling 0/2pi stays whole.
    first = (int(np.flatnonzero(cut)[-1]) + 1) % n
    rolled = np.roll(np.arange(n), -first)
    labels_rolled = np.concatenate([[0], np.cumsum(cut[rolled][:-1])])
    labels = np.empty(n, np.int64)
    labels[order[rolled]] = labels_rolled
    return labels


def _split_linear(x: np.ndarray, tol: float) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    labels_sorted = np.concatenate([[0], np.cumsum(np.diff(x[order]) > tol)])
    labels = np.empty(x.size, np.int64)
    labels[order] = labels_sorted
    return labels


def infer_planes(r_m: np.ndarray, v_m_s: np.ndarray, *, mu_m3_s2: float,
                 raan_tol_rad: float = math.radians(1.0),
                 inclination_tol_rad: float = math.radians(0.5),
                 sma_tol_m: float = 20_000.0) -> Planes:
    """Group satellites into planes from one inertial state each (r, v of shape (3, N)).

    Shells are clusters of semi-major axis (``sma_tol_m``) and inclination
    (``inclination_tol_rad``); planes are clusters of RAAN within a shell,
    split where sorted RAANs differ by more than ``raan_tol_rad``.  A Walker
    set is recovered exactly.  For element sets this is a heuristic: satellites
    still raising their orbit or drifting between planes form planes of their
    own, and in-plane (slot) order is fixed at the given state.  Adjacent planes are
    neighbours in RAAN within a shell, all the way round for a Walker delta; where one
    gap between neighbouring planes is wider than 1.5x the typical one (the seam of a
    Walker star, whose first and last planes meet counter-rotating) the numbering starts
    after it and no planes across it are adjacent.
    """
    r = np.asarray(r_m, float)
    v = np.asarray(v_m_s, float)
    N = r.shape[1]
    ok = np.isfinite(r).all(axis=0) & np.isfinite(v).all(axis=0)
    h = np.cross(r.T, v.T).T
    hn = np.sqrt(_dot(h, h))
    inc = np.arccos(np.clip(h[2] / np.where(hn > 0, hn, 1.0), -1.0, 1.0))
    raan = np.arctan2(h[0], -h[1]) % (2 * math.pi)
    raan = np.where(inc < 1e-6, 0.0, raan)  # equatorial: the node is undefined, one plane
    rn = np.sqrt(_dot(r, r))
    vv = _dot(v, v)
    with np.errstate(divide="ignore", invalid="ignore"):
        sma = 1.0 / (2.0 / rn - vv / mu_m3_s2)
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros(N)])
    hhat = h / np.where(hn > 0, hn, 1.0)
    in_plane = np.cross(hhat.T, node.T).T
    arg_lat = np.arctan2(_dot(r, in_plane), _dot(r, node)) % (2 * math.pi)

    plane_of = np.full(N, -1, np.int64)
    members: list[np.ndarray] = []
    adjacent: list[tuple[int, int]] = []
    good = np.flatnonzero(ok)
    if good.size:
        shell_a = _split_linear(sma[good], sma_tol_m)
        shell_i = _split_linear(inc[good], inclination_tol_rad)
        shell = shell_a * (shell_i.max() + 1) + shell_i
        for sh in np.unique(shell):
            sats = good[shell == sh]
            labels = _split_circular(raan[sats], raan_tol_rad)
            n_planes = int(labels.max()) + 1
            # Order planes by their mean RAAN (circular mean) so neighbours are adjacent.
            mean = np.array([np.angle(np.mean(np.exp(1j * raan[sats[labels == k]])))
                             for k in range(n_planes)]) % (2 * math.pi)
            rank = np.argsort(mean, kind="stable")
            # A seam: one gap between neighbouring planes much wider than the others (a Walker
            # star's planes span 180 deg, so its first and last planes meet counter-rotating).
            # Start the numbering after it and do not link across it; a delta closes the ring.
            gaps = np.diff(np.concatenate([mean[rank], [mean[rank][0] + 2 * math.pi]]))
            widest = int(np.argmax(gaps))
            others = np.delete(gaps, widest)
            seam = n_planes >= 3 and gaps[widest] > 1.5 * np.median(others)
            if seam:
                rank = np.roll(rank, -(widest + 1))
            first = len(members)
            for k in rank:
                m = sats[labels == k]
                m = m[np.argsort(arg_lat[m], kind="stable")]
                m = np.roll(m, -int(np.argmin(m)))   # slot 0: the plane's first-listed satellite
                plane_of[m] = len(members)
                members.append(m)
            ids = list(range(first, len(members)))
            for x, y in zip(ids[:-1], ids[1:]):
                adjacent.append((x, y))
            if n_planes >= 3 and not seam:
                adjacent.append((ids[-1], ids[0]))
    arg_lat = np.where(ok, arg_lat, np.nan)
    return Planes(plane_of, tuple(members), np.array(adjacent, np.int64).reshape(-1, 2), arg_lat)


def clears_earth_lengths(ra_m, rb_m, length_m, radius_m: float = BLOCKAGE_RADIUS_M) -> np.ndarray:
    """:func:`clears_earth` from the end points' radii and the segment length alone.

    With r1.d = (rb^2 - ra^2 - L^2) / 2 the closest point is at
    s = clip(-r1.d / L^2, 0, 1) and its squared radius ra^2 + 2 s r1.d + s^2 L^2:
    no position vectors need gathering.
    """
    ra2 = np.asarray(ra_m, float) ** 2
    L2 = np.asarray(length_m, float) ** 2
    r1d = (np.asarray(rb_m, float) ** 2 - ra2 - L2) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(-r1d / L2, 0.0, 1.0)
    return ra2 + 2.0 * s * r1d + s * s * L2 > radius_m * radius_m


def _cross_plane(rT, RT, mp, mq, t0, max_range_m, radius_m):
    """Nearest-partner links between planes ``mp`` and ``mq`` on steps t0.. of (T', N, 3) positions."""
    A, B = rT[:, mp], rT[:, mq]
    ra, rb = RT[:, mp], RT[:, mq]
    d2 = ra[:, :, None] ** 2 + rb[:, None, :] ** 2 - 2.0 * np.matmul(A, B.transpose(0, 2, 1))  # (T', m_p, m_q)
    d2 = np.where(np.isnan(d2), np.inf, np.maximum(d2, 0.0))
    near_pq = np.argmin(d2, axis=2)                # (T', m_p): index into mq
    near_qp = np.argmin(d2, axis=1)                # (T', m_q): index into mp
    len_pq = np.sqrt(np.take_along_axis(d2, near_pq[:, :, None], axis=2)[:, :, 0])
    len_qp = np.sqrt(np.take_along_axis(d2, near_qp[:, None, :], axis=1)[:, 0, :])
    # q -> p choices that p -> q already made (mutual nearest) are the same link: drop them.
    mutual = np.take_along_axis(near_pq, near_qp, axis=1) == np.arange(mq.size)[None, :]
    out = []
    for rs, src, idx, dst, length, keep in ((ra, mp, near_pq, mq, len_pq, None),
                                            (rb, mq, near_qp, mp, len_qp, ~mutual)):
        rd = np.take_along_axis(RT[:, dst], idx, axis=1)
        ok = np.isfinite(length) & (length <= max_range_m) & clears_earth_lengths(rs, rd, length, radius_m)
        if keep is not None:
            ok &= keep
        t, k = np.nonzero(ok)
        x, y = src[k], dst[idx[t, k]]
        out.append(Links(np.minimum(x, y), np.maximum(x, y), t0 + t, length[t, k]))
    return out


def pair_links(r_itrs_m: np.ndarray, a: np.ndarray, b: np.ndarray, *, max_range_m: float = math.inf,
               radius_m: float = BLOCKAGE_RADIUS_M, chunk_bytes: int = 64 * 2**20) -> Links:
    """Links between the fixed satellite pairs ``a[i] -- b[i]`` at every step where the two are
    within ``max_range_m`` and their line of sight clears the sphere of ``radius_m``.

    A pair out of range or blocked at a step is simply down at that step: it is not
    replaced by another partner.  Output is canonical (``a < b``), ordered by pair.
    """
    r = np.asarray(r_itrs_m, float)
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    T = r.shape[2]
    if a.size == 0 or T == 0:
        return Links.empty()
    lo_sat, hi_sat = np.minimum(a, b), np.maximum(a, b)
    radius = np.sqrt(_dot(r, r))                   # (N, T), once: each satellite is in up to four pairs
    # Chunks of pairs keep the (pairs, T) temporaries within chunk_bytes.
    per_chunk = max(1, int(chunk_bytes // max(1, T * 8 * 4)))
    parts = []
    for lo in range(0, a.size, per_chunk):
        pa, pb = lo_sat[lo:lo + per_chunk], hi_sat[lo:lo + per_chunk]
        length2 = np.zeros((pa.size, T))
        for c in range(3):                         # one component at a time: no (3, P, T) copies
            diff = r[c, pa] - r[c, pb]
            length2 += diff * diff
        length = np.sqrt(length2)
        ok = (length <= max_range_m) & clears_earth_lengths(radius[pa], radius[pb], length, radius_m)
        k, t = np.nonzero(ok)
        parts.append(Links(pa[k], pb[k], t, length[k, t]))
    return Links.concat(parts)


def _in_plane_pairs(planes: Planes):
    a, b = [], []
    for m in planes.members:
        if m.size < 2:
            continue
        nxt = np.roll(m, -1)
        # Two satellites share one link; three or more close the ring.
        a.append(m[:-1] if m.size == 2 else m)
        b.append(nxt[:-1] if m.size == 2 else nxt)
    if not a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(a), np.concatenate(b)


def _wrap_pi(x):
    return (np.asarray(x, float) + math.pi) % (2 * math.pi) - math.pi


def _cross_plane_partners(planes: Planes, p: int, q: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed partners between adjacent planes p and q.

    Equal planes: slot k of p links slot (k + s) mod n of q, with the smallest shift |s|
    whose partners are within a quarter slot of the best alignment in argument of
    latitude at the reference state.  So a shell numbered slot by slot keeps slot k -- k,
    also when adjacent planes are offset by half a slot (Hypatia's Kuiper shells, where
    k -- k and k -- k+1 are equally near), and a Walker delta T/P/F gets k -- k between
    neighbouring planes and k -- k+F across the seam from the last plane to the first,
    where the phasing has accumulated to F slots.  Planes of different sizes (element
    sets with missing satellites): each satellite of p links the satellite of q nearest
    in argument of latitude.
    """
    mp, mq = planes.members[p], planes.members[q]
    u = planes.arg_lat_rad
    if u is None:                       # no reference state: slot k -- k
        n = min(mp.size, mq.size)
        return mp[:n], mq[:n]
    up, uq = u[mp], u[mq]
    if mp.size == mq.size:
        n = mp.size
        slot_rad = 2 * math.pi / n
        shifts = np.arange(n)
        mismatch = np.abs(_wrap_pi(uq[(np.arange(n)[None, :] + shifts[:, None]) % n] - up[None, :]))
        cost = np.nanmean(mismatch, axis=1) / slot_rad if np.isfinite(mismatch).any() else np.zeros(n)
        signed = np.where(shifts > n // 2, shifts - n, shifts)
        near = np.flatnonzero(cost <= np.min(cost) + 0.25)
        best = int(near[np.lexsort((-signed[near], np.abs(signed[near])))[0]])
        return mp, np.roll(mq, -best)
    near = np.argmin(np.abs(_wrap_pi(uq[None, :] - up[:, None])), axis=1)
    return mp, mq[near]


def plus_grid_pairs(planes: Planes) -> tuple[np.ndarray, np.ndarray]:
    """The fixed +Grid topology: four links per satellite for the whole run.

    The two in-plane neighbours and one partner in each adjacent plane (see
    :func:`_cross_plane_partners`), as in Bhattacherjee & Singla, "Network topology design
    at 27,000 km/hour" (CoNEXT 2019) and Hypatia (Kassing et al., IMC 2020).  A Walker
    star's seam, where adjacent planes counter-rotate, has no cross-plane links
    (:func:`infer_planes` does not list it as adjacent).  Returns the pairs ``(a, b)``, unique.
    """
    ia, ib = _in_plane_pairs(planes)
    xa, xb = [ia], [ib]
    for p, q in planes.adjacent:
        sa, sb = _cross_plane_partners(planes, int(p), int(q))
        xa.append(sa)
        xb.append(sb)
    a, b = np.concatenate(xa), np.concatenate(xb)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    pairs = np.unique(np.stack([lo[keep], hi[keep]]), axis=1)
    return pairs[0], pairs[1]


def plus_grid_links(r_itrs_m: np.ndarray, planes: Planes, *, max_range_m: float = math.inf,
                    radius_m: float = BLOCKAGE_RADIUS_M, chunk_bytes: int = 64 * 2**20) -> Links:
    """+Grid inter-satellite links as published: the fixed pairs of :func:`plus_grid_pairs`
    at every step where they are within ``max_range_m`` and clear of the sphere of ``radius_m``
    (a pair out of range or blocked is down at that step, not replaced)."""
    a, b = plus_grid_pairs(planes)
    return pair_links(r_itrs_m, a, b, max_range_m=max_range_m, radius_m=radius_m, chunk_bytes=chunk_bytes)


def nearest_plane_links(r_itrs_m: np.ndarray, planes: Planes, *, max_range_m: float = math.inf,
                        radius_m: float = BLOCKAGE_RADIUS_M, chunk_bytes: int = 64 * 2**20) -> Links:
    """The two in-plane neighbours and the *nearest* satellite of each adjacent plane, re-chosen
    at every step, kept while within ``max_range_m`` and clear of the sphere of ``radius_m``.

    This assumes laser terminals re-point and re-acquire instantly whenever the nearest
    partner changes (as the planes shear near the latitude extremes), so it is an optimistic
    bound on the published +Grid (:func:`plus_grid_links`).  Each satellite asks for its
    nearest partner in both adjacent planes and the union is kept, so a satellite chosen by
    two neighbours can have more than four links at a step.  Output is unique (``a < b``)
    per step, in no particular order.
    """
    r = np.asarray(r_itrs_m, float)
    T = r.shape[2]
    ia, ib = _in_plane_pairs(planes)
    parts = [pair_links(r, ia, ib, max_range_m=max_range_m, radius_m=radius_m, chunk_bytes=chunk_bytes)]
    # Cross-plane: the nearest satellite of the adjacent plane, per step, both ways.
    if planes.adjacent.size:
        radius = np.sqrt(_dot(r, r))                  # (N, T)
        rT = np.ascontiguousarray(r.transpose(2, 1, 0))   # (T, N, 3): one batched matmul per plane pair
        RT = np.ascontiguousarray(radius.T)                # (T, N)
        for p, q in planes.adjacent:
            mp, mq = planes.members[p], planes.members[q]
            step = max(1, int(chunk_bytes // max(1, mp.size * mq.size * 8 * 4)))
            for lo in range(0, T, step):
                hi = min(T, lo + step)
                parts.extend(_cross_plane(rT[lo:hi], RT[lo:hi], mp, mq, lo, max_range_m, radius_m))
    return Links.concat(parts)


def _finish(a, b, t, r, max_range_m, radius_m) -> Links:
    """Keep the candidate links within range and clear of the Earth; canonical (a < b), unique."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi, t = lo[keep].astype(np.int64), hi[keep].astype(np.int64), t[keep].astype(np.int64)
    ra, rb = r[:, lo, t], r[:, hi, t]
    d = rb - ra
    length = np.sqrt(_dot(d, d))
    ok = (length <= max_range_m) & clears_earth(ra, rb, radius_m)
    lo, hi, t, length = lo[ok], hi[ok], t[ok], length[ok]
    N = r.shape[1]
    key = (t.astype(np.int64) * N + lo) * N + hi
    _, first = np.unique(key, return_index=True)  # sorted by (t, a, b); duplicates dropped
    return Links(lo[first], hi[first], t[first], length[first])


def range_links(r_itrs_m: np.ndarray, group_a: np.ndarray, group_b: np.ndarray, max_range_m: float, *,
                radius_m: float = BLOCKAGE_RADIUS_M, chunk_points: int = 1 << 19) -> Links:
    """Links between satellites of ``group_a`` and ``group_b`` (index arrays) at every step where
    they are within ``max_range_m`` and clear of the Earth.

    A k-d tree over (x, y, z, step * spacing) finds the pairs: the fourth
    coordinate keeps points of different steps farther apart than the range,
    so one tree serves a whole chunk of steps.
    """
    from scipy.spatial import cKDTree

    r = np.asarray(r_itrs_m, float)
    T = r.shape[2]
    if group_a.size == 0 or group_b.size == 0 or not math.isfinite(max_range_m):
        raise ValueError("range_links needs two non-empty groups and a finite range")
    spacing = 4.0 * max_range_m + 1.0
    step = max(1, chunk_points // max(group_a.size, group_b.size))
    parts = []
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        k = np.arange(hi - lo, dtype=float) * spacing

        def points(group):
            x = r[:, group, lo:hi]                          # (3, n, m)
            pts = np.concatenate([x, np.broadcast_to(k, x.shape[1:])[None]], axis=0)
            flat = pts.transpose(2, 1, 0).reshape(-1, 4)     # step-major: index = k * n + i
            ok = np.isfinite(flat).all(axis=1)
            return flat, ok

        fa, oka = points(group_a)
        fb, okb = points(group_b)
        ia, ib = np.flatnonzero(oka), np.flatnonzero(okb)
        if ia.size == 0 or ib.size == 0:
            continue
        pairs = cKDTree(fa[ia]).sparse_distance_matrix(cKDTree(fb[ib]), max_range_m,
                                                       output_type="ndarray")
        if pairs.size == 0:
            continue
        pa, pb = ia[pairs["i"]], ib[pairs["j"]]
        parts.append((group_a[pa % group_a.size], group_b[pb % group_b.size], lo + pa // group_a.size))
    if not parts:
        return Links.empty()
    a, b, t = (np.concatenate([p[i] for p in parts]) for i in range(3))
    return _finish(a, b, t, r, max_range_m, radius_m)


# --- reductions and shortest paths ---------------------------------------------------------

def min_by_key(key: np.ndarray, value: np.ndarray, n_keys: int):
    """For each key 0..n_keys-1: the minimum value and the position in ``value`` where it occurs.

    Returns ``(best (n_keys,) with inf where the key never occurs, where (n_keys,) with -1)``.
    Ties go to the first occurrence.  Two unbuffered ``ufunc.at`` passes: no sort.
    """
    key = np.asarray(key, np.int64)
    value = np.asarray(value, float)
    best = np.full(n_keys, np.inf)
    np.minimum.at(best, key, value)
    where = np.full(n_keys, np.iinfo(np.int64).max, np.int64)
    hit = np.flatnonzero((value == best[key]) & np.isfinite(value))
    np.minimum.at(where, key[hit], hit)
    where[where == np.iinfo(np.int64).max] = -1
    return best, where


def shortest_light_time(n_nodes: int, n_steps: int, links: Links, weight_s: np.ndarray, *,
                        targets: np.ndarray | None = None, target_cost_s: np.ndarray | None = None,
                        chunk_nodes: int = CHUNK_NODES):
    """Shortest time from every satellite to the nearest target, at every step.

    ``links`` join satellites at steps, with traversal times ``weight_s``
    (> 0); each link appears once per step (every builder here guarantees it:
    the sparse matrix would add the weights of duplicates).  Either ``targets`` (indices; each is reached at cost 0) or
    ``target_cost_s`` (N, T), the cost of finishing at a satellite (inf where
    it cannot finish; e.g. its downlink to a far-end station).

    Returns ``(dist_s (N, T), source (N, T))``: inf / -1 where no target is
    reachable.  ``source`` is the target satellite reached (for ``targets``)
    or -1 everywhere (for ``target_cost_s``, whose paths end on the ground).
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    N, T = n_nodes, n_steps
    dist = np.full((N, T), np.inf)
    source = np.full((N, T), -1, np.int64)
    # Stable argsort of small unsigned ints is a radix sort in numpy: linear time.
    order = np.argsort(links.t.astype(np.uint16) if T < 2**16 else links.t, kind="stable")
    a, b, t, w = links.a[order], links.b[order], links.t[order], np.asarray(weight_s, float)[order]
    step = max(1, chunk_nodes // max(1, N))
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        m = hi - lo
        i0, i1 = np.searchsorted(t, np.array([lo, hi], t.dtype))   # same dtype: no copy of t
        off = (t[i0:i1] - lo) * N
        rows = np.concatenate([off + a[i0:i1], off + b[i0:i1]])
        cols = np.concatenate([off + b[i0:i1], off + a[i0:i1]])
        data = np.concatenate([w[i0:i1], w[i0:i1]])
        if targets is not None:
            g = csr_matrix((data, (rows, cols)), shape=(N * m, N * m))
            idx = (np.arange(m)[:, None] * N + np.asarray(targets)[None, :]).reshape(-1)
            d, _, src = dijkstra(g, directed=True, indices=idx, return_predecessors=True, min_only=True)
            dist[:, lo:hi] = d.reshape(m, N).T
            src = np.where(src >= 0, src % N, -1)
            source[:, lo:hi] = src.reshape(m, N).T
        else:
            cost = np.asarray(target_cost_s[:, lo:hi], float)    # (N, m)
            fin = np.flatnonzero(np.isfinite(cost.T.reshape(-1)))  # step-major node ids
            if fin.size == 0:
                continue
            # A super-source joined to every finishing satellite by its finishing cost:
            # one search from it gives every satellite's best way to the ground.
            sup = N * m
            rows = np.concatenate([rows, np.full(fin.size, sup)])
            cols = np.concatenate([cols, fin])
            data = np.concatenate([data, cost.T.reshape(-1)[fin]])
            g = csr_matrix((data, (rows, cols)), shape=(N * m + 1, N * m + 1))
            d = dijkstra(g, directed=True, indices=sup)
            dist[:, lo:hi] = d[:-1].reshape(m, N).T
    return dist, source

