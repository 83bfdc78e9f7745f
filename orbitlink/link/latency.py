"""Round-trip latency and availability from users to compute satellites (or a data center).

The model (docs/latency.md has the diagram)::

    user --fibre--> gateway --up--> [ISL hops] --> compute satellite      (and back)
    user --------(--direct: own terminal)--up-->  ...

* **Compute set**: every satellite of the track, or the ones named by
  ``compute``.  With ``to`` the far end is a terrestrial data center instead:
  the path ends ``satellite --down--> gateway --fibre--> data center`` (or
  straight down to the data center with ``direct``, which gives it a terminal
  too).
* **Fibre**: great-circle distance on the mean Earth sphere (IUGG R1 =
  6,371.0088 km) x ``route_factor`` (default 1.5: real routes are longer than
  great circles) at c / ``fibre_index`` (1.468, the group index of standard
  single-mode fibre at 1550 nm, ITU-T G.652 class).
* **Ground links** need the satellite at or above the elevation threshold of
  the station (``min_elevation``, default 25 deg, and any azimuth mask the
  station carries).  Users without ``direct`` reach gateways over fibre; a
  user in the middle of the ocean is still served that way (the fibre length
  is simply long), which is the documented behaviour rather than an error.
* **ISLs** (``isl="grid"``): +Grid, the two in-plane neighbours and the
  nearest satellite of each adjacent plane, while the line of sight clears the
  Earth + 80 km and is no longer than ``isl_max_range``.
* **Relays**: ``relay="geo"`` puts one GEO satellite over each user's
  longitude as a bent pipe (ground - GEO - compute satellite, or ground - GEO -
  ground with ``to``); a relay :class:`~orbitlink.track.Track` adds a relay
  constellation with its own +Grid links that reaches the compute set over
  links no longer than ``isl_max_range``.  With a relay, ground stations talk
  to the relay only (the compute satellites have no ground links of their own),
  so the relay's contribution shows unmixed.
* **RTT** = 2 x (one-way light time + ``processing`` per space hop: uplink,
  ISL, downlink).  Per time step the fastest path wins.  Geometry is
  instantaneous (no light-time iteration: a LEO satellite moves ~25 m during a
  3 ms uplink, a 0.1 us effect).

Outputs: availability (fraction of user-steps with a path; with no users
given, of steps at which the best gateway of the network has one), RTT min/p50/p95/
p99/max over the steps with a path, outage durations, handovers per hour
(changes of the serving compute satellite - or, with ``to``, the access
satellite - or of the gateway between consecutive steps with a path) and a
verdict for inference: workable when p99 RTT <= SLO and availability >= the
target (default 99.9 %, "three nines", the availability figure commonly
quoted for a single-region cloud inference endpoint).

Everything inside is vectorized over time: ground links come from
:func:`orbitlink.core.graph.access_links`, ISLs from the +Grid and range
searches, and shortest paths from one block-diagonal Dijkstra per chunk of
steps.  When no ISL exists (the bent pipe) no graph search runs at all: a
minimum over the visible satellites is the whole answer.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import replace

import astropy.units as u
import numpy as np

from ..constants import C_M_S, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S
from ..core import graph
from ..core.topocentric import Sites
from .. import units
from ..errors import LatencyError
from ..report import Progress, no_progress
from ..report import rounded as _r
from ..units import to_si
from ..stations import GroundStations
from ..times import TimeGrid
from ..track import Track
from .latency_result import (  # noqa: F401  (re-exported: the results' old home)
    NOTE_NO_ACCESS,
    NOTE_NO_GEO_SIGHT,
    NOTE_NO_PATH,
    NOTE_RELAY_NO_COMPUTE,
    NOTE_RELAY_OUT_OF_RANGE,
    LatencyResult,
    LatencySeries,
    OutageStats,
    RttStats,
    UserLatency,
    Verdict,
    merge_notes,
)

DEFAULT_MIN_ELEVATION = 25 * u.deg
DEFAULT_ROUTE_FACTOR = 1.5
# Group index of G.652 single-mode fibre near 1550 nm (Corning SMF-28: 1.4682).
FIBRE_INDEX = 1.468
# IUGG mean Earth radius R1 (Moritz 2000, Geodetic Reference System 1980).
MEAN_EARTH_RADIUS_M = 6_371_008.8
# Optical ISL terminals of current LEO constellations close links up to about
# 5,000 km (SDA Tranche 1 OCT standard: 5,000 km; Starlink quotes ~5,400 km).
DEFAULT_ISL_MAX_RANGE = 5000 * u.km
DEFAULT_SLO = 100 * u.ms
DEFAULT_AVAILABILITY_TARGET = 0.999
# Geostationary radius from Kepler's third law with the sidereal rotation rate.
GEO_RADIUS_M = (MU_EARTH_M3_S2 / OMEGA_EARTH_RAD_S**2) ** (1.0 / 3.0)



# --- helpers at the boundary -----------------------------------------------------------------

def great_circle(lat1_rad, lon1_rad, lat2_rad, lon2_rad) -> np.ndarray:
    """Great-circle distance (m) on the mean Earth sphere (haversine, broadcasting)."""
    la1, lo1, la2, lo2 = (np.asarray(x, float) for x in (lat1_rad, lon1_rad, lat2_rad, lon2_rad))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2.0 * MEAN_EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def fibre_rtt(distance, *, route_factor: float = DEFAULT_ROUTE_FACTOR,
              fibre_index: float = FIBRE_INDEX) -> u.Quantity:
    """Round trip over terrestrial fibre: 2 x distance x route_factor x fibre_index / c."""
    d_m = to_si(distance, "length", "distance", lo=0 * u.m)
    return (2.0 * d_m * units.number(route_factor, "route_factor", lo=1.0) *
            units.number(fibre_index, "fibre_index", lo=1.0, example="1.468") / C_M_S * u.s).to(u.ms)


def _sites(stations: GroundStations, min_elevation) -> Sites:
    floor, table = stations.thresholds(min_elevation)
    return Sites.make(stations.itrs_m(), stations.enu(), floor, table)


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


# --- the analysis -------------------------------------------------------------------------

def round_trip(track: Track, gateways: GroundStations | None = None, *,
               users: GroundStations | None = None, compute=None, direct: bool = False,
               isl: str | None = None, relay: str | Track | None = None,
               isl_max_range=DEFAULT_ISL_MAX_RANGE, to: GroundStations | None = None,
               min_elevation=DEFAULT_MIN_ELEVATION, route_factor: float = DEFAULT_ROUTE_FACTOR,
               fibre_index: float = FIBRE_INDEX, processing=0 * u.ms, slo=DEFAULT_SLO,
               availability_target=DEFAULT_AVAILABILITY_TARGET,
               scenario: dict | None = None, progress: Progress | None = None,
               isl_planes: graph.Planes | None = None, relay_planes: graph.Planes | None = None,
               start=None, duration="24h", step="10s") -> LatencyResult:
    """Round-trip latency and availability of the fastest path, per time step (see the module docstring).

    ``track``: the constellation (compute satellites and any other satellites
    that may relay over ISLs): a Track, or any source
    :func:`orbitlink.propagators.as_track` reads (an orbit spec string such as
    ``"550km"``, an OrbitSet or an ElementSet), propagated over ``start``,
    ``duration`` and ``step``.  ``gateways``: default the bundled Starlink
    gateway catalog (or a catalog name, as :func:`orbitlink.places.places` reads it).
    ``users``: None makes every gateway its own user (no fibre leg); else
    GroundStations or places (``"London"``, ``["London", "51.5,-0.12"]``).
    ``compute``: names, glob patterns or indices (default all).
    ``isl``: None or ``"grid"``.  ``relay``: None, ``"geo"`` or a relay Track
    on the same grid.  ``to``: one far-end station (a data center), a place as
    :func:`orbitlink.places.place` reads it (``"New York"``).
    Quantities (or strings like ``"25deg"``, ``"1ms"``) for ``min_elevation``,
    ``processing``, ``slo`` and ``isl_max_range``; ``availability_target`` is a
    fraction (0.999, "0.999") or a percentage ("99.9%"), as everywhere
    (:func:`orbitlink.units.fraction`).  ``scenario`` entries are echoed in the result.
    ``progress(stage, fraction)`` (:data:`orbitlink.report.Progress`) hears each
    stage start (0.0) and end (1.0): "ground links", "inter-satellite links",
    "routing" (also at 0.5) and "statistics".
    ``isl_planes``/``relay_planes``: the +Grid topology of the constellation /
    the relay constellation (:func:`plane_topology`; default inferred from each
    track's first valid state), so runs over separate time slices share it.
    """
    from ..places import place, places
    from ..propagators import as_track

    report = progress or no_progress
    track = as_track(track, start=start, duration=duration, step=step, field="track")
    if gateways is None:
        from ..stations import load_catalog

        gateways = load_catalog("starlink-gateways")
    elif not isinstance(gateways, GroundStations):
        gateways = places(collection=gateways, field="gateways")
    if users is not None and not isinstance(users, GroundStations):
        users = places(users, "users")
    if to is not None and not isinstance(to, GroundStations):
        to = place(to, "to")
    if len(gateways) == 0:
        raise LatencyError("gateways: no gateway station given")
    if isl not in (None, "grid"):
        raise LatencyError(f"isl: {isl!r} is not a known ISL pattern (grid)")
    if isinstance(relay, str) and relay != "geo":
        raise LatencyError(f"relay: {relay!r} is not a known relay (geo, or a relay constellation)")
    if relay is not None and not isinstance(relay, (str, Track)):
        raise LatencyError("relay: expected 'geo' or a relay Track")
    if to is not None and len(to) != 1:
        raise LatencyError(f"to: expected one far-end station, got {len(to)}")
    if to is not None and compute is not None:
        raise LatencyError("compute: a compute set does not apply with a far-end data center (to); give one of them")
    slo_s, route, n_fibre, target = _targets(slo, route_factor, fibre_index, availability_target)
    proc_s = to_si(processing, "time", "processing", lo=0 * u.s)
    max_range_m = to_si(isl_max_range, "length", "isl_max_range", lo=0 * u.m, lo_inclusive=False)
    # Validate the elevation once, with the field name the user typed.
    gateways.min_elevation_for(min_elevation)
    compute_idx = resolve_compute(track.names, compute)
    fibre_speed = C_M_S / n_fibre

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
    sites = _sites(all_sites, min_elevation)

    report("ground links", 0.0)
    if access_group.size == N:
        acc = graph.access_links(r_all, sites)
    else:
        acc = graph.access_links(r_all[:, access_group], sites)
        acc = graph.Links(acc.a, access_group[acc.b], acc.t, acc.length_m)
    if acc.size == 0:
        notes.append(NOTE_NO_ACCESS)
    report("ground links", 1.0)

    # -- space links
    report("inter-satellite links", 0.0)
    isl_parts = []
    # When every satellite computes (and the far end is not on the ground) an ISL
    # hop can never shorten a path: the first satellite reached is a destination.
    if isl == "grid" and (to is not None or compute_idx.size < S):
        planes = isl_planes if isl_planes is not None else plane_topology(track)
        isl_parts.append(_grid_links(planes, np.arange(S), r_all, max_range_m))
    if relay_track is not None:
        planes = relay_planes if relay_planes is not None else plane_topology(relay_track)
        isl_parts.append(_grid_links(planes, relay_idx, r_all, max_range_m))
        bridge = graph.range_links(r_all, relay_idx, np.arange(S), max_range_m)
        if bridge.size == 0:
            notes.append(NOTE_RELAY_OUT_OF_RANGE.format(km=max_range_m / 1e3))
        elif not np.isin(np.concatenate([bridge.a, bridge.b]), compute_idx).any() and isl != "grid":
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
        fibre_gw_s = great_circle(gateways.lat_rad, gateways.lon_rad, to_lat, to_lon) * route / fibre_speed
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

    # -- best way up from every site, (n_sites, T), and the satellite it uses
    cost = acc.length_m / C_M_S + proc_s + dist[acc.b, acc.t]
    best, where = graph.min_by_key(acc.a.astype(np.int64) * T + acc.t, cost, n_sites * T)
    site_best = best.reshape(n_sites, T)
    site_sat = np.full(n_sites * T, -1, np.int64)
    site_sat[where >= 0] = acc.b[where[where >= 0]]
    site_sat = site_sat.reshape(n_sites, T)

    # -- users: their own terminal, or fibre to the best gateway
    one_way, user_gw, user_sat = _users(user_set, gateways, gateway_users, site_best, site_sat,
                                        user_site, route, fibre_speed)
    user_names = tuple(user_set.names)
    if gateway_users and to is None:
        # No users given: the question is whether the gateway network reaches the
        # compute set, so each step takes the best gateway - one "network" user.
        # (Pooling every gateway instead would report each gateway's small share.)
        pick = np.argmin(np.where(np.isfinite(one_way), one_way, np.inf), axis=0)
        cols = np.arange(T)
        one_way, user_gw, user_sat = (a[pick, cols][None] for a in (one_way, user_gw, user_sat))
        user_names = ("gateway network (best gateway per step)",)
        U = 1
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
        "gateways": {"source": gateways.source or "user", "count": G},
        "users": ("gateway network: best gateway per step, no fibre leg" if gateway_users and to is None
                  else "gateways (each its own user, no fibre leg)" if gateway_users else list(user_set.names)),
        "direct": bool(direct),
        "isl": isl,
        "relay": None if relay is None else ("geo" if relay == "geo" else
                                             f"constellation of {relay_track.n_satellites}"),
        "isl_max_range_km": _r(max_range_m / 1e3, 3),
        "to": None if to is None else to.names[0],
        "min_elevation_deg": None if min_elevation is None else
        _r(math.degrees(to_si(min_elevation, "angle", "min_elevation")), 6),
        "start": iso[0],
        "end": iso[-1],
        "step_s": grid.step_s,
        "steps": T,
        "slo_ms": _r(slo_s * 1e3),
        "availability_target": target,
        "processing_ms": _r(proc_s * 1e3),
        "route_factor": route,
        "fibre_refractive_index": n_fibre,
        "propagator": track.propagator,
    }
    echo.update(scenario or {})
    series = LatencySeries(grid.t_s, user_names, rtt_s, user_gw, user_sat, serving,
                           tuple(gateways.names), tuple(names))
    result = summarise(series, grid.step_s, gateways=gateways, user_set=user_set, to=to, route=route,
                       fibre_speed=fibre_speed, n_fibre=n_fibre, slo_s=slo_s, target=target,
                       notes=notes, scenario=echo, gateway_users=gateway_users)
    report("statistics", 1.0)
    return result


def _targets(slo, route_factor, fibre_index, availability_target):
    """``(slo_s, route factor, fibre index, availability target)`` read and checked."""
    slo_s = to_si(slo, "time", "slo", lo=0 * u.s, lo_inclusive=False)
    route = units.number(route_factor, "route_factor", lo=1.0)
    n_fibre = units.number(fibre_index, "fibre_index", lo=1.0, example="1.468")
    target = units.fraction(availability_target, "availability_target", lo=0.0, lo_inclusive=False,
                            example="0.999 or 99.9%")
    return slo_s, route, n_fibre, target


def join_slices(parts, counted, grid: TimeGrid, gateways: GroundStations | None = None, *,
                users: GroundStations | None = None, to: GroundStations | None = None,
                route_factor: float = DEFAULT_ROUTE_FACTOR, fibre_index: float = FIBRE_INDEX,
                slo=DEFAULT_SLO, availability_target=DEFAULT_AVAILABILITY_TARGET,
                **_routing) -> LatencyResult:
    """One :class:`LatencyResult` from :func:`round_trip` results of consecutive time
    slices of ``grid``.  Part k contributes its first
    ``counted[k]`` steps (slices share their boundary sample).  The statistics are
    computed once over the joined series, so handovers and outages across slice
    boundaries count as in a single run; the keyword arguments are those the
    slices were run with (the routing ones are not needed here)."""
    if gateways is None:
        from ..stations import load_catalog

        gateways = load_catalog("starlink-gateways")
    slo_s, route, n_fibre, target = _targets(slo, route_factor, fibre_index, availability_target)
    first = parts[0].series
    cat = lambda name: np.concatenate([getattr(p.series, name)[:, :n] for p, n in zip(parts, counted)],  # noqa: E731
                                      axis=1)
    series = LatencySeries(grid.t_s, first.users, cat("rtt_s"), cat("gateway"), cat("access"),
                           cat("serving"), first.gateway_names, first.satellite_names)
    scenario = dict(parts[0].scenario)
    scenario.update(end=TimeGrid(grid.start, grid.t_s[[0, -1]]).iso()[-1], steps=grid.size)
    return summarise(series, grid.step_s, gateways=gateways,
                     user_set=gateways if users is None else users, to=to, route=route,
                     fibre_speed=C_M_S / n_fibre, n_fibre=n_fibre, slo_s=slo_s, target=target,
                     notes=merge_notes([p.notes for p in parts]), scenario=scenario,
                     gateway_users=users is None)


def summarise(series: LatencySeries, step_s: float, *, gateways: GroundStations,
              user_set: GroundStations, to: GroundStations | None, route: float, fibre_speed: float,
              n_fibre: float, slo_s: float, target: float, notes, scenario: dict,
              gateway_users: bool) -> LatencyResult:
    """The :class:`LatencyResult` of per-step ``series``: availability, RTT percentiles,
    outages, handovers, the fibre comparison and the verdict.  ``notes`` (what the
    routing found out) go with the verdict's reasons.  :func:`round_trip` ends here,
    and so does a run assembled from time slices (:mod:`orbitlink.scale`)."""
    t_s, rtt_s, user_gw, user_sat, serving = series.t_s, series.rtt_s, series.gateway, series.access, \
        series.serving
    U, T = rtt_s.shape
    G = len(gateways)
    notes = list(notes)
    avail = np.isfinite(rtt_s)
    span_h = (float(t_s[-1] - t_s[0]) / 3600.0) if T > 1 else 0.0
    key = np.where(to is None, serving, user_sat) * (G + 2) + (user_gw + 1)
    changes = avail[:, 1:] & avail[:, :-1] & (key[:, 1:] != key[:, :-1])
    handovers = changes.sum(axis=1) / span_h if span_h > 0 else np.zeros(U)
    run_user, run_len = _outage_runs(avail)
    # k samples without a path count k steps; a run spanning the whole grid counts the grid's span.
    durations = run_len * step_s
    if T > 1:
        durations = np.minimum(durations, float(t_s[-1] - t_s[0]))

    fibre_info = None
    user_fibre_ms = [None] * U
    user_gc_km = [None] * U
    if to is not None:
        gc = great_circle(user_set.lat_rad, user_set.lon_rad, to.lat_rad[0], to.lon_rad[0])
        f_rtt = 2.0 * gc * route / fibre_speed
        user_fibre_ms = (f_rtt * 1e3).tolist()
        user_gc_km = (gc / 1e3).tolist()
        faster = avail & (rtt_s < f_rtt[:, None])
        fibre_info = {
            "rtt_ms": _r(float(np.mean(f_rtt)) * 1e3),
            "great_circle_km": _r(float(np.mean(gc)) / 1e3, 3),
            "route_factor": route,
            "refractive_index": n_fibre,
            "constellation_faster_fraction": _r(faster.sum() / avail.sum(), 6) if avail.any() else 0.0,
        }

    per_user = tuple(
        UserLatency(series.users[i], float(avail[i].mean()), RttStats.of(rtt_s[i]),
                    OutageStats.of(durations[run_user == i]), float(handovers[i]),
                    user_fibre_ms[i], user_gc_km[i])
        for i in range(U))
    availability = float(avail.mean())
    rtt = RttStats.of(rtt_s)
    if not avail.any() and not notes:
        notes.append(NOTE_NO_PATH)
    verdict = _verdict(availability, rtt, slo_s, target, OutageStats.of(durations))
    # What the run found out about the network (e.g. a relay that never reaches the
    # compute set) explains the verdict: it goes with the reasons.
    verdict = replace(verdict, reasons=verdict.reasons + tuple(notes))
    return LatencyResult(availability, rtt, OutageStats.of(durations),
                         float(np.mean(handovers)) if U else 0.0, verdict, scenario, per_user,
                         series, fibre_info, tuple(notes), gateway_users)


def plane_topology(tr: Track) -> graph.Planes:
    """The orbital planes of a track's satellites, inferred from each one's first valid state
    (the +Grid topology: in-plane order and adjacent planes are fixed from then on)."""
    ok = tr.valid
    first = np.where(ok.any(axis=1), np.argmax(ok, axis=1), 0)
    s = np.arange(tr.n_satellites)
    return graph.infer_planes(tr.r_gcrs_m[:, s, first], tr.v_gcrs_m_s[:, s, first], mu_m3_s2=MU_EARTH_M3_S2)


def _grid_links(planes: graph.Planes, index: np.ndarray, r_all: np.ndarray, max_range_m: float) -> graph.Links:
    """+Grid links of the satellites ``index`` of ``r_all`` in the given planes."""
    links = graph.plus_grid_links(r_all[:, index], planes, max_range_m=max_range_m)
    return graph.Links(index[links.a], index[links.b], links.t, links.length_m)


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
           chunk_bytes=64 * 2**20):
    """One-way time (U, T), the gateway used (-1 for the user's own terminal) and the access satellite."""
    G = len(gateways)
    T = site_best.shape[1]
    if gateway_users:
        one_way = site_best[:G].copy()
        gw = np.where(np.isfinite(one_way), np.arange(G)[:, None], -1)
        return one_way, gw, np.where(np.isfinite(one_way), site_sat[:G], -1)
    U = len(user_set)
    fibre_s = great_circle(user_set.lat_rad[:, None], user_set.lon_rad[:, None],
                           gateways.lat_rad[None, :], gateways.lon_rad[None, :]) * route / fibre_speed
    one_way = np.full((U, T), np.inf)
    gw = np.full((U, T), -1, np.int64)
    # Only gateways that ever have a path matter; skip the rest of the (U, G, T) minimum.
    live = np.flatnonzero(np.isfinite(site_best[:G]).any(axis=1))
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
    sat = np.where(gw >= 0, site_sat[np.maximum(gw, 0), np.arange(T)[None, :]], -1)
    if user_site is not None:
        own = site_best[user_site]
        better = own < one_way
        one_way = np.where(better, own, one_way)
        gw = np.where(better, -1, gw)
        sat = np.where(better, site_sat[user_site], sat)
    return one_way, gw, sat


def _outage_runs(avail: np.ndarray):
    """(user, length in steps) of every run of consecutive steps without a path."""
    U, T = avail.shape
    pad = np.zeros((U, T + 2), np.int8)
    pad[:, 1:-1] = ~avail
    d = np.diff(pad, axis=1)
    su, st = np.nonzero(d == 1)
    _, et = np.nonzero(d == -1)
    return su, et - st


def _verdict(availability: float, rtt: RttStats, slo_s: float, target: float,
             outage: OutageStats) -> Verdict:
    """Workable when p99 RTT <= SLO and availability >= target; the binding constraint first."""
    slo_ms = slo_s * 1e3
    av_ok = availability >= target
    av_text = (f"availability {availability * 100:.3f} % {'meets' if av_ok else 'is below'} the "
               f"{target * 100:g} % target ({'margin' if av_ok else 'short by'} "
               f"{abs(availability - target) * 100:.3f} percentage points"
               + ("" if av_ok or outage.count == 0 else f"; longest outage {outage.max_s:g} s") + ")")
    if rtt.p99_ms is None:
        lat_ok = False
        lat_text = f"no path at any step, so no RTT to compare with the {slo_ms:g} ms SLO"
        lat_rel = -math.inf
    else:
        lat_ok = rtt.p99_ms <= slo_ms
        lat_text = (f"p99 RTT {rtt.p99_ms:.3f} ms {'is within' if lat_ok else 'exceeds'} the "
                    f"{slo_ms:g} ms SLO ({'margin' if lat_ok else 'over by'} "
                    f"{abs(slo_ms - rtt.p99_ms):.3f} ms)")
        lat_rel = (slo_ms - rtt.p99_ms) / slo_ms
    # Relative margins (negative when failing); the smaller one binds.
    av_rel = (availability - target) / target
    if rtt.p99_ms is None or av_rel <= lat_rel:
        binding, reasons = "availability", (av_text, lat_text)
    else:
        binding, reasons = "latency", (lat_text, av_text)
    reasons = (f"binding: {reasons[0]}", reasons[1])
    return Verdict(bool(av_ok and lat_ok), reasons, binding)


__all__ = [
    "DEFAULT_AVAILABILITY_TARGET",
    "DEFAULT_ISL_MAX_RANGE",
    "DEFAULT_MIN_ELEVATION",
    "DEFAULT_ROUTE_FACTOR",
    "DEFAULT_SLO",
    "FIBRE_INDEX",
    "LatencyError",
    "LatencyResult",
    "LatencySeries",
    "OutageStats",
    "RttStats",
    "UserLatency",
    "Verdict",
    "fibre_rtt",
    "geo_positions",
    "great_circle",
    "join_slices",
    "merge_notes",
    "plane_topology",
    "resolve_compute",
    "round_trip",
    "summarise",
]
