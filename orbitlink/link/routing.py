"""Routing one Track: ground links, inter-satellite links, shortest light-time paths and the
per-step series of every user (see :mod:`orbitlink.link.latency` for the model).

:func:`route` is the whole analysis of one Track whose options
:func:`orbitlink.link.latency.round_trip` has already read and checked
(:class:`RouteOptions`); runs over consecutive time slices call it once per slice.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass, field

import numpy as np

from ..constants import C_M_S, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EARTH_M
from ..core import graph
from ..core.topocentric import Sites
from ..errors import LatencyError
from ..report import Progress, no_progress
from ..report import rounded as _r
from ..stations import GroundStations
from ..times import TimeGrid
from ..track import Track
from .ground import great_circle
from .latency_result import (
    NOTE_NO_ACCESS,
    NOTE_NO_GEO_SIGHT,
    NOTE_RELAY_NO_COMPUTE,
    NOTE_RELAY_OUT_OF_RANGE,
    LatencyResult,
    LatencySeries,
)
from .latency_stats import sampling_warnings, summarise

# Geostationary radius from Kepler's third law with the sidereal rotation rate.
GEO_RADIUS_M = (MU_EARTH_M3_S2 / OMEGA_EARTH_RAD_S**2) ** (1.0 / 3.0)
ISL_PATTERNS = ("grid", "nearest")

__all__ = ["GEO_RADIUS_M", "ISL_PATTERNS", "RouteOptions", "check_gsl_range", "check_planes", "geo_positions",
           "plane_topology", "resolve_compute", "route"]


@dataclass(frozen=True, eq=False)
class RouteOptions:
    """What :func:`orbitlink.link.latency.round_trip` read and checked, in SI units."""

    gateways: GroundStations
    users: GroundStations | None
    to: GroundStations | None
    compute: object
    direct: bool
    isl: str | None
    isl_max_range_m: float
    max_gsl_range_m: float | None
    max_backhaul_m: float
    min_elevation: object
    min_elevation_deg: float | None
    route: float
    n_fibre: float
    proc_s: float
    slo_s: float
    target: float
    scenario: dict = field(default_factory=dict)

    @property
    def fibre_speed(self) -> float:
        return C_M_S / self.n_fibre


def resolve_compute(names: tuple[str, ...], compute) -> np.ndarray:
    """Indices of the compute set: None = all; else names, glob patterns or indices.

    Raises :class:`LatencyError` for an unknown name (with close names) or an empty set.
    """
    if compute is None:
        return np.arange(len(names))
    items = [compute] if isinstance(compute, (str, int, np.integer)) else list(compute)
    picked: list[int] = []
    for item in items:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= int(item) < len(names):
                raise LatencyError(f"compute: index {item} is out of range (0 to {len(names) - 1})")
            picked.append(int(item))
            continue
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if any(ch in part for ch in "*?["):
                picked.extend(i for i, n in enumerate(names) if fnmatch.fnmatchcase(n, part))
            elif part in names:
                picked.append(names.index(part))
            else:
                import difflib

                close = difflib.get_close_matches(part, names, n=3)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise LatencyError(f"compute: no satellite named {part!r}{hint} "
                                   "(satellite names or glob patterns such as 'walker-00-*')")
    idx = np.unique(np.array(picked, np.int64))
    if idx.size == 0:
        raise LatencyError("compute: the compute set is empty (no satellite matches; "
                           "satellite names or glob patterns such as 'walker-00-*')")
    return idx


def _same_grid(a: TimeGrid, b: TimeGrid) -> bool:
    return (a.size == b.size and np.array_equal(a.t_s, b.t_s)
            and abs(float((a.start - b.start).sec)) < 1e-6)


def geo_positions(lon_rad) -> np.ndarray:
    """ITRS positions (3, K) of geostationary satellites at east longitudes ``lon_rad``."""
    lon = np.asarray(lon_rad, float)
    return np.stack([GEO_RADIUS_M * np.cos(lon), GEO_RADIUS_M * np.sin(lon), np.zeros_like(lon)])


def plane_topology(tr: Track) -> graph.Planes:
    """The orbital planes of a track's satellites, inferred from each one's first valid state
    (the +Grid topology: in-plane order and adjacent planes are fixed from then on)."""
    ok = tr.valid
    first = np.where(ok.any(axis=1), np.argmax(ok, axis=1), 0)
    s = np.arange(tr.n_satellites)
    return graph.infer_planes(tr.r_gcrs_m[:, s, first], tr.v_gcrs_m_s[:, s, first], mu_m3_s2=MU_EARTH_M3_S2)


def _sites(stations: GroundStations, min_elevation) -> Sites:
    floor, table = stations.thresholds(min_elevation)
    return Sites.make(stations.itrs_m(), stations.enu(), floor, table)


def _range_sites(stations: GroundStations, r_m: np.ndarray, max_range_m: float) -> Sites:
    """Sites admitting every satellite that could be within ``max_range_m`` (Hypatia's rule):
    the elevation floor is the lowest at which the lowest satellite is at that range
    (r^2 = rho^2 + R^2 + 2 rho R sin(el), smallest for the highest site), never below the horizon."""
    pos = stations.itrs_m()
    rho = float(np.max(np.linalg.norm(pos, axis=0)))
    with np.errstate(invalid="ignore"):
        r_low = float(np.nanmin(np.sqrt(np.sum(r_m * r_m, axis=0))))
    sin_el = (r_low**2 - rho**2 - max_range_m**2) / (2.0 * rho * max_range_m) if math.isfinite(r_low) else 0.0
    floor = max(0.0, math.asin(min(1.0, max(-1.0, sin_el))) - 1e-6)
    return Sites.make(pos, stations.enu(), np.full(len(stations), floor), None)


def _isl_links(planes: graph.Planes, index: np.ndarray, r_all: np.ndarray, max_range_m: float,
               pattern: str) -> graph.Links:
    """ISLs of the satellites ``index`` of ``r_all`` in the given planes: the fixed +Grid
    (``"grid"``) or nearest-partner links re-chosen every step (``"nearest"``)."""
    build = graph.plus_grid_links if pattern == "grid" else graph.nearest_plane_links
    links = build(r_all[:, index], planes, max_range_m=max_range_m)
    return graph.Links(index[links.a], index[links.b], links.t, links.length_m)


def check_planes(planes: graph.Planes, n_satellites: int, field: str = "isl") -> None:
    """Refuse a +Grid over satellites that do not form orbital planes of two or more."""
    if n_satellites > 1 and max((m.size for m in planes.members), default=0) < 2:
        raise LatencyError(
            f"{field}: the {n_satellites} satellites cannot be grouped into orbital planes of two or "
            "more (every satellite has a plane of its own), so there is no +Grid; use --isl none, "
            "or a constellation with shared planes")


def check_gsl_range(max_gsl_range_m: float | None, track: Track) -> None:
    """A ground-link range below the orbit altitude can never close a link: refuse it."""
    if max_gsl_range_m is None:
        return
    with np.errstate(invalid="ignore"):
        alt_m = np.sqrt(np.sum(track.r_itrs_m * track.r_itrs_m, axis=0)) - R_EARTH_M
    lowest_m = float(np.nanmin(alt_m)) if np.isfinite(alt_m).any() else 0.0
    if max_gsl_range_m < lowest_m:
        raise LatencyError(
            f"max_gsl_range: {max_gsl_range_m / 1e3:g} km is below the orbit altitude "
            f"({lowest_m / 1e3:.0f} km), so no ground link could ever close "
            "(a slant range longer than the altitude, e.g. 1260km)")


def route(track: Track, o: RouteOptions, *, relay=None, isl_planes: graph.Planes | None = None,
          relay_planes: graph.Planes | None = None, progress: Progress | None = None) -> LatencyResult:
    """The latency analysis of one Track (``relay``: None, ``"geo"`` or a relay Track on the same grid)."""
    report = progress or no_progress
    gateways, users, to, direct, isl, min_elevation = o.gateways, o.users, o.to, o.direct, o.isl, o.min_elevation
    route_factor, fibre_speed, n_fibre = o.route, o.fibre_speed, o.n_fibre
    proc_s, max_range_m, slo_s, target = o.proc_s, o.isl_max_range_m, o.slo_s, o.target
    compute_idx = resolve_compute(track.names, o.compute)
    grid = track.grid
    T = grid.size
    S = track.n_satellites
    # Invalid samples (SGP4 errors) become NaN, which every kernel treats as "no link".
    r_main = track.r_itrs_m if track.valid.all() else np.where(track.valid[None], track.r_itrs_m, np.nan)
    notes: list[str] = []

    # -- the satellites of the graph: main constellation, then relays
    relay_track = relay if isinstance(relay, Track) else None
    if relay_track is not None and not _same_grid(relay_track.grid, grid):
        raise LatencyError("relay: the relay track must be on the same time grid as the constellation")
    gateway_users = users is None
    all_gateways = len(gateways)
    if not gateway_users and math.isfinite(o.max_backhaul_m):
        # Only gateways within backhaul reach of a user (or of the far end) can carry
        # a path: route over those alone (the rest would only cost ground-link work).
        gateways = _in_reach(gateways, users if to is None else users + to, o.max_backhaul_m)
    user_set = gateways if gateway_users else users
    U = len(user_set)
    if U == 0:
        raise LatencyError("users: no user given")

    geo_lon = None
    if relay == "geo":
        # One GEO bent pipe over each distinct user longitude.
        geo_lon = np.unique(np.round(user_set.lon_rad, 9))
    parts = [r_main]
    names = list(track.names)
    if relay_track is not None:
        parts.append(np.where(relay_track.valid[None], relay_track.r_itrs_m, np.nan))
        names += [f"relay {n}" for n in relay_track.names]
    if geo_lon is not None:
        parts.append(np.broadcast_to(geo_positions(geo_lon)[:, :, None], (3, geo_lon.size, T)))
        names += [f"GEO {math.degrees(x):.3f}E" for x in geo_lon]
    r_all = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    N = r_all.shape[1]
    relay_idx = np.arange(S, N) if relay is not None else np.zeros(0, np.int64)
    access_group = relay_idx if relay is not None else np.arange(S)

    # -- ground sites: gateways, users with terminals, the far end with a terminal
    G = len(gateways)
    site_sets = [gateways]
    user_site = None
    if direct and not gateway_users:
        user_site = G + np.arange(U)
        site_sets.append(users)
    far_site = None
    if to is not None and direct:
        far_site = sum(len(s) for s in site_sets)
        site_sets.append(to)
    all_sites = site_sets[0]
    for s in site_sets[1:]:
        all_sites = all_sites + s
    n_sites = len(all_sites)
    if o.max_gsl_range_m is None:
        sites = _sites(all_sites, min_elevation)
    else:
        sites = _range_sites(all_sites, r_all[:, access_group], o.max_gsl_range_m)

    report("ground links", 0.0)
    if access_group.size == N:
        acc = graph.access_links(r_all, sites)
    else:
        acc = graph.access_links(r_all[:, access_group], sites)
        acc = graph.Links(acc.a, access_group[acc.b], acc.t, acc.length_m)
    if o.max_gsl_range_m is not None:
        acc = acc.select(acc.length_m <= o.max_gsl_range_m)
    if acc.size == 0:
        notes.append(NOTE_NO_ACCESS)
    report("ground links", 1.0)

    # -- space links
    report("inter-satellite links", 0.0)
    isl_parts = []
    topology = None
    # When every satellite computes (and the far end is not on the ground) an ISL
    # hop can never shorten a path: the first satellite reached is a destination.
    if isl is not None and (to is not None or compute_idx.size < S):
        planes = isl_planes if isl_planes is not None else plane_topology(track)
        check_planes(planes, S)
        topology = planes.describe()
        isl_parts.append(_isl_links(planes, np.arange(S), r_all, max_range_m, isl))
    if relay_track is not None:
        planes = relay_planes if relay_planes is not None else plane_topology(relay_track)
        isl_parts.append(_isl_links(planes, relay_idx, r_all, max_range_m, "grid"))
        bridge = graph.range_links(r_all, relay_idx, np.arange(S), max_range_m)
        if bridge.size == 0:
            notes.append(NOTE_RELAY_OUT_OF_RANGE.format(km=max_range_m / 1e3))
        elif not np.isin(np.concatenate([bridge.a, bridge.b]), compute_idx).any() and isl is None:
            notes.append(NOTE_RELAY_NO_COMPUTE)
        isl_parts.append(bridge)
    links = graph.Links.concat(isl_parts)
    report("inter-satellite links", 1.0)

    # -- cost from each satellite to the destination, (N, T)
    report("routing", 0.0)
    source = None
    if to is None:
        dist = np.full((N, T), np.inf)
        dist[compute_idx] = 0.0
        source = np.where(np.isfinite(dist), np.arange(N)[:, None], -1)
        if links.size:
            w = links.length_m / C_M_S + proc_s
            dist, source = graph.shortest_light_time(N, T, links, w, targets=compute_idx)
        if geo_lon is not None:
            # GEO relays have no ISLs: each reaches its nearest visible compute satellite directly.
            dist[relay_idx], near = _geo_to_compute(r_all, relay_idx, compute_idx, proc_s)
            source[relay_idx] = np.where(near >= 0, compute_idx[np.maximum(near, 0)], -1)
            if not np.isfinite(dist[relay_idx]).any():
                notes.append(NOTE_NO_GEO_SIGHT)
    else:
        to_lat, to_lon = to.lat_rad[0], to.lon_rad[0]
        # Finishing at a satellite: down to a gateway (then fibre) or to the far end's own terminal.
        gw_to_far_m = great_circle(gateways.lat_rad, gateways.lon_rad, to_lat, to_lon)
        # The far end, like a user, is backhauled only from gateways within max_backhaul.
        fibre_gw_s = np.where(gw_to_far_m <= o.max_backhaul_m, gw_to_far_m * route_factor / fibre_speed, np.inf)
        site_fibre = np.full(n_sites, np.inf)
        site_fibre[:G] = fibre_gw_s
        if far_site is not None:
            site_fibre[far_site] = 0.0
        cost = acc.length_m / C_M_S + proc_s + site_fibre[acc.a]
        best, _ = graph.min_by_key(acc.b.astype(np.int64) * T + acc.t, cost, N * T)
        finish = best.reshape(N, T)
        if links.size:
            w = links.length_m / C_M_S + proc_s
            dist, _ = graph.shortest_light_time(N, T, links, w, target_cost_s=finish)
        else:
            dist = finish
    report("routing", 0.5)

    cost = acc.length_m / C_M_S + proc_s + dist[acc.b, acc.t]
    if gateway_users and to is None:
        # No users given: the question is whether the gateway network reaches the
        # compute set, so each step takes the best gateway - one "network" user.
        # (Pooling every gateway instead would report each gateway's small share.)
        # One minimum per step over every gateway's links: no (gateways x steps) arrays.
        best, where = graph.min_by_key(acc.t, cost, T)
        found = where >= 0
        one_way = best[None]
        user_gw = np.full((1, T), -1, np.int64)
        user_sat = np.full((1, T), -1, np.int64)
        user_gw[0, found] = acc.a[where[found]]
        user_sat[0, found] = acc.b[where[found]]
        user_names = ("gateway network (best gateway per step)",)
        U = 1
    else:
        # -- best way up from every site, (n_sites, T), and the satellite it uses
        best, where = graph.min_by_key(acc.a.astype(np.int64) * T + acc.t, cost, n_sites * T)
        site_best = best.reshape(n_sites, T)
        site_sat = np.full(n_sites * T, -1, np.int64)
        site_sat[where >= 0] = acc.b[where[where >= 0]]
        site_sat = site_sat.reshape(n_sites, T)
        # -- users: their own terminal, or fibre to the best gateway
        one_way, user_gw, user_sat = _users(user_set, gateways, gateway_users, site_best, site_sat,
                                            user_site, route_factor, fibre_speed, o.max_backhaul_m)
        user_names = tuple(user_set.names)
    avail = np.isfinite(one_way)
    rtt_s = np.where(avail, 2.0 * one_way, np.nan)
    if source is not None:
        serving = np.where(user_sat >= 0, source[np.maximum(user_sat, 0), np.arange(T)[None, :]], -1)
    else:
        serving = np.full((U, T), -1, np.int64)
    serving = np.where(avail, serving, -1)
    report("routing", 1.0)

    # -- statistics
    report("statistics", 0.0)
    iso = TimeGrid(grid.start, grid.t_s[[0, -1]]).iso()
    echo = {
        "satellites": S,
        "compute_satellites": int(compute_idx.size) if to is None else 0,
        "gateways": {"source": gateways.source or "user", "count": all_gateways,
                     "in_backhaul_reach": G},
        "users": ("gateway network: best gateway per step, no fibre leg" if gateway_users and to is None
                  else "gateways (each its own user, no fibre leg)" if gateway_users else list(user_set.names)),
        "direct": bool(direct),
        "isl": isl,
        "isl_topology": topology,
        "relay": None if relay is None else ("geo" if relay == "geo" else
                                             f"constellation of {relay_track.n_satellites}"),
        "isl_max_range_km": _r(max_range_m / 1e3, 3),
        "ground_link_rule": ("elevation" if o.max_gsl_range_m is None
                             else f"range <= {o.max_gsl_range_m / 1e3:g} km"),
        "max_backhaul_km": None if not math.isfinite(o.max_backhaul_m) else _r(o.max_backhaul_m / 1e3, 3),
        "to": None if to is None else to.names[0],
        "min_elevation_deg": None if o.max_gsl_range_m is not None else o.min_elevation_deg,
        "start": iso[0],
        "end": iso[-1],
        "step_s": grid.step_s,
        "steps": T,
        "slo_ms": _r(slo_s * 1e3),
        "availability_target": target,
        "processing_ms": _r(proc_s * 1e3),
        "route_factor": route_factor,
        "fibre_refractive_index": n_fibre,
        "propagator": track.propagator,
    }
    echo.update(o.scenario)
    series = LatencySeries(grid.t_s, user_names, rtt_s, user_gw, user_sat, serving,
                           tuple(gateways.names), tuple(names))
    result = summarise(series, grid.step_s, gateways=gateways, user_set=user_set, to=to, route=route_factor,
                       fibre_speed=fibre_speed, n_fibre=n_fibre, slo_s=slo_s, target=target,
                       notes=notes, scenario=echo, gateway_users=gateway_users,
                       warnings=sampling_warnings(grid.step_s))
    report("statistics", 1.0)
    return result


def _in_reach(gateways: GroundStations, ends: GroundStations, max_backhaul_m: float) -> GroundStations:
    """The gateways within ``max_backhaul_m`` great-circle distance of any of ``ends``."""
    gc_m = great_circle(gateways.lat_rad[:, None], gateways.lon_rad[:, None],
                        ends.lat_rad[None, :], ends.lon_rad[None, :])
    keep = np.flatnonzero((gc_m <= max_backhaul_m).any(axis=1))
    return gateways if keep.size == len(gateways) else gateways.select(keep)


def _geo_to_compute(r_all, geo_idx, compute_idx, proc_s, chunk_bytes=64 * 2**20) -> np.ndarray:
    """(K, T) shortest GEO -> compute-satellite time over a clear line of sight (no range limit),
    and the index into ``compute_idx`` of that satellite (-1 if none)."""
    K, C, T = geo_idx.size, compute_idx.size, r_all.shape[2]
    out = np.full((K, T), np.inf)
    near = np.full((K, T), -1, np.int64)
    rc = r_all[:, compute_idx]
    step = max(1, int(chunk_bytes // max(1, K * C * 8 * 8)))
    for lo in range(0, T, step):
        hi = min(T, lo + step)
        rg = r_all[:, geo_idx, None, lo:hi]
        rs = rc[:, None, :, lo:hi]
        d = rs - rg
        length = np.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
        clear = graph.clears_earth(rg, rs)
        length = np.where(clear, length, np.inf)
        k = np.argmin(length, axis=1)
        best = np.take_along_axis(length, k[:, None], axis=1)[:, 0]
        out[:, lo:hi] = best / C_M_S + proc_s
        near[:, lo:hi] = np.where(np.isfinite(best), k, -1)
    return out, near


def _users(user_set, gateways, gateway_users, site_best, site_sat, user_site, route, fibre_speed,
           max_backhaul_m=math.inf, chunk_bytes=64 * 2**20):
    """One-way time (U, T), the gateway used (-1 for the user's own terminal) and the access satellite.

    A user reaches over fibre only the gateways within ``max_backhaul_m`` great-circle distance."""
    G = len(gateways)
    T = site_best.shape[1]
    if gateway_users:
        one_way = site_best[:G].copy()
        gw = np.where(np.isfinite(one_way), np.arange(G)[:, None], -1)
        return one_way, gw, np.where(np.isfinite(one_way), site_sat[:G], -1)
    U = len(user_set)
    gc_m = great_circle(user_set.lat_rad[:, None], user_set.lon_rad[:, None],
                        gateways.lat_rad[None, :], gateways.lon_rad[None, :])
    fibre_s = np.where(gc_m <= max_backhaul_m, gc_m * route / fibre_speed, np.inf)
    one_way = np.full((U, T), np.inf)
    gw = np.full((U, T), -1, np.int64)
    # Only gateways that ever have a path matter; skip the rest of the (U, G, T) minimum.
    live = np.flatnonzero(np.isfinite(site_best[:G]).any(axis=1) & np.isfinite(fibre_s).any(axis=0))
    if live.size:
        fl = fibre_s[:, live]
        sb = site_best[live]
        step = max(1, int(chunk_bytes // max(1, U * live.size * 8 * 2)))
        for lo in range(0, T, step):
            hi = min(T, lo + step)
            total = fl[:, :, None] + sb[None, :, lo:hi]          # (U, G', chunk)
            k = np.argmin(total, axis=1)
            val = np.take_along_axis(total, k[:, None, :], axis=1)[:, 0]
            one_way[:, lo:hi] = val
            gw[:, lo:hi] = np.where(np.isfinite(val), live[k], -1)
    sat = np.full((U, T), -1, np.int64)
    has = gw >= 0
    if has.any():
        sat[has] = site_sat[gw[has], np.nonzero(has)[1]]
    if user_site is not None:
        own = site_best[user_site]
        better = own < one_way
        one_way = np.where(better, own, one_way)
        gw = np.where(better, -1, gw)
        sat = np.where(better, site_sat[user_site], sat)
    return one_way, gw, sat
