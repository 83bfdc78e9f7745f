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
  station carries), or, with ``max_gsl_range`` (Hypatia's rule), within that
  slant range of the station.
* **Backhaul**: users without ``direct`` reach gateways over fibre, and only
  gateways within ``max_backhaul`` great-circle distance (default 1,000 km,
  see :data:`DEFAULT_MAX_BACKHAUL`); a far-end data center is reached from
  gateways within the same distance.  ``max_backhaul=None`` (``--max-backhaul
  any``) lets any gateway serve any user.  The gateways each user used are
  reported.
* **ISLs** (``isl="grid"``): the +Grid as published (Bhattacherjee & Singla,
  CoNEXT 2019; Hypatia, IMC 2020): four fixed links per satellite for the whole
  run, the two in-plane neighbours and one partner in each adjacent plane
  (:func:`orbitlink.core.graph.plus_grid_pairs`), up while the line of sight
  clears the Earth + 80 km and is no longer than ``isl_max_range``, down (not
  replaced) otherwise.  ``isl="nearest"`` re-picks the nearest satellite of each
  adjacent plane at every step, which assumes laser terminals re-point and
  re-acquire instantly: an optimistic bound (docs/latency.md gives the measured
  difference).
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

A Track is routed in one piece.  Any other source (an orbit spec string, an
OrbitSet or an ElementSet) is propagated and routed slice by slice
(:mod:`orbitlink.link.latency_stream`), so memory does not grow with the span;
the statistics are computed once over the joined series, as in one run.

Everything inside is vectorized over time: ground links come from
:func:`orbitlink.core.graph.access_links`, ISLs from the +Grid and range
searches, and shortest paths from one block-diagonal Dijkstra per chunk of
steps.  When no ISL exists (the bent pipe) no graph search runs at all: a
minimum over the visible satellites is the whole answer.
"""

from __future__ import annotations

import math

import astropy.units as u

from ..core import graph
from ..errors import LatencyError
from ..report import Progress, rounded
from ..stations import GroundStations
from ..track import Track
from ..units import to_si
from .ground import DEFAULT_ROUTE_FACTOR, FIBRE_INDEX, MEAN_EARTH_RADIUS_M, fibre_rtt, great_circle  # noqa: F401
# The results' old home: re-exported.
from .latency_result import NOTE_NO_ACCESS, NOTE_NO_GEO_SIGHT, NOTE_NO_PATH  # noqa: F401
from .latency_result import NOTE_RELAY_NO_COMPUTE, NOTE_RELAY_OUT_OF_RANGE  # noqa: F401
from .latency_result import LatencyResult, LatencySeries, OutageStats, RttStats  # noqa: F401
from .latency_result import UserLatency, Verdict, merge_notes  # noqa: F401
from .latency_stats import (  # noqa: F401  (re-exported)
    DEFAULT_AVAILABILITY_TARGET,
    DEFAULT_SLO,
    join_slices,
    read_targets,
    summarise,
)
from .routing import (  # noqa: F401  (re-exported)
    GEO_RADIUS_M,
    ISL_PATTERNS,
    RouteOptions,
    check_gsl_range,
    geo_positions,
    plane_topology,
    resolve_compute,
    route,
)

DEFAULT_MIN_ELEVATION = 25 * u.deg
# Optical ISL terminals of current LEO constellations close links up to about
# 5,000 km (SDA Tranche 1 OCT standard: 5,000 km; Starlink quotes ~5,400 km).
DEFAULT_ISL_MAX_RANGE = 5000 * u.km
# How far a user's traffic is carried over terrestrial fibre to a gateway: the span of
# a national or regional backbone, which is where an operator homes its users (mainland
# Great Britain is 970 km end to end, Germany 880 km north-south, Japan's Honshu
# 1,300 km).  1,000 km keeps London on British and near-continental gateways, never
# another continent's; at route factor 1.5 and n = 1.468 it is at most 14.7 ms of RTT.
DEFAULT_MAX_BACKHAUL = 1000 * u.km


def round_trip(track, gateways=None, *, users=None, compute=None, direct: bool = False,
               isl: str | None = None, relay=None, isl_max_range=DEFAULT_ISL_MAX_RANGE, to=None,
               min_elevation=DEFAULT_MIN_ELEVATION, route_factor: float = DEFAULT_ROUTE_FACTOR,
               fibre_index: float = FIBRE_INDEX, processing=0 * u.ms, slo=DEFAULT_SLO,
               availability_target=DEFAULT_AVAILABILITY_TARGET, max_backhaul=DEFAULT_MAX_BACKHAUL,
               max_gsl_range=None, scenario: dict | None = None, progress: Progress | None = None,
               isl_planes: graph.Planes | None = None, relay_planes: graph.Planes | None = None,
               start=None, duration="24h", step="10s", grid=None, propagator: str = "auto",
               relay_propagator: str = "auto", steps_per_slice: int | None = None) -> LatencyResult:
    """Round-trip latency and availability of the fastest path, per time step (see the module docstring).

    ``track``: the constellation (compute satellites and any other satellites
    that may relay over ISLs): a Track (routed in one piece), or a source to
    propagate - an orbit spec string such as ``"550km"``, an OrbitSet or an
    ElementSet - over ``grid`` or ``start``/``duration``/``step`` with
    ``propagator``, routed slice by slice (``steps_per_slice``; default: about
    four million satellite-steps per slice) so memory does not grow with the span.
    ``gateways``: default the bundled Starlink gateway catalog; else any station set
    :func:`orbitlink.places.stations` reads (a catalog name, ``"SvalSat"``,
    ``"51.5,-0.12"``, ``(lat, lon)``, a file, a list of these, a GroundStations).
    ``users``: None makes every gateway its own user (no fibre leg); else the
    same forms, cities by name included (``"London"``, ``["London", "Tokyo"]``,
    ``(51.5, -0.12)``, ``"cities"`` for the top-100 list).
    ``compute``: names, glob patterns or indices (default all).
    ``isl``: None, ``"grid"`` (the published +Grid) or ``"nearest"``.  ``relay``:
    None, ``"geo"``, a relay Track on the same grid (with a Track), or a relay
    source (with a source; propagated with ``relay_propagator``).
    ``to``: one far-end station (a data center), a place as
    :func:`orbitlink.places.place` reads it (``"New York"``).
    ``max_backhaul``: how far users (and a far end) reach gateways over fibre
    (default 1,000 km; None for any distance).  ``max_gsl_range``: admit ground
    links by slant range instead of elevation (Hypatia's rule).
    Quantities (or strings like ``"25deg"``, ``"1ms"``) for ``min_elevation``,
    ``processing``, ``slo``, ``isl_max_range``, ``max_backhaul`` and
    ``max_gsl_range``; ``availability_target`` is a fraction (0.999, "0.999") or a
    percentage ("99.9%"), as everywhere (:func:`orbitlink.units.fraction`).
    ``scenario`` entries are echoed in the result.
    ``progress(stage, fraction)`` (:data:`orbitlink.report.Progress`) hears each
    stage start (0.0) and end (1.0): "ground links", "inter-satellite links",
    "routing" (also at 0.5) and "statistics"; a sliced run reports
    "propagating and routing" with the fraction of slices done.
    ``isl_planes``/``relay_planes``: the +Grid topology of the constellation /
    the relay constellation (:func:`plane_topology`; default inferred from each
    track's first valid state), so runs over separate time slices share it.
    """
    from ..propagators import as_source

    source = as_source(track, start=start, field="track")
    options = read_options(gateways=gateways, users=users, compute=compute, direct=direct, isl=isl,
                           isl_max_range=isl_max_range, to=to, min_elevation=min_elevation,
                           route_factor=route_factor, fibre_index=fibre_index, processing=processing,
                           slo=slo, availability_target=availability_target, max_backhaul=max_backhaul,
                           max_gsl_range=max_gsl_range, scenario=scenario)
    if isinstance(relay, str) and relay != "geo":
        raise LatencyError(f"relay: {relay!r} is not a known relay (geo, or a relay constellation)")
    if isinstance(source, Track):
        if relay is not None and not isinstance(relay, (str, Track)):
            raise LatencyError("relay: expected 'geo' or a relay Track (with a Track; a relay "
                               "constellation to propagate goes with a source to propagate)")
        check_gsl_range(options.max_gsl_range_m, source)
        return route(source, options, relay=relay, isl_planes=isl_planes, relay_planes=relay_planes,
                     progress=progress)
    from .latency_stream import route_sliced

    return route_sliced(source, options, grid=grid, start=start, duration=duration, step=step,
                        propagator=propagator, relay=relay, relay_propagator=relay_propagator,
                        steps_per_slice=steps_per_slice, isl_planes=isl_planes,
                        relay_planes=relay_planes, progress=progress)


def read_options(*, gateways=None, users=None, compute=None, direct=False, isl=None,
                 isl_max_range=DEFAULT_ISL_MAX_RANGE, to=None, min_elevation=DEFAULT_MIN_ELEVATION,
                 route_factor=DEFAULT_ROUTE_FACTOR, fibre_index=FIBRE_INDEX, processing=0 * u.ms,
                 slo=DEFAULT_SLO, availability_target=DEFAULT_AVAILABILITY_TARGET,
                 max_backhaul=DEFAULT_MAX_BACKHAUL, max_gsl_range=None, scenario=None) -> RouteOptions:
    """Every option of :func:`round_trip` read and checked, before any propagation."""
    from ..places import place, stations

    if gateways is None:
        from ..stations import load_catalog

        gateways = load_catalog("starlink-gateways")
    elif isinstance(gateways, GroundStations) and len(gateways) == 0:
        raise LatencyError("gateways: no gateway station given")
    if isinstance(users, GroundStations) and len(users) == 0:
        raise LatencyError("users: no user given")
    # One reader for every station argument (orbitlink.places.stations): names, cities,
    # CATALOG:NAME, catalogs, files, "LAT,LON", (lat, lon) tuples, lists of them.
    gateways = stations(gateways, "gateways")
    if users is not None:
        users = stations(users, "users")
    if to is not None and not isinstance(to, GroundStations):
        to = place(to, "to")
    if isl == "none":
        isl = None
    if isl is not None and isl not in ISL_PATTERNS:
        raise LatencyError(f"isl: {isl!r} is not a known ISL pattern (none, grid or nearest)")
    if to is not None and len(to) != 1:
        raise LatencyError(f"to: expected one far-end station, got {len(to)}")
    if to is not None and compute is not None:
        raise LatencyError("compute: a compute set does not apply with a far-end data center (to); give one of them")
    slo_s, route_factor, n_fibre, target = read_targets(slo, route_factor, fibre_index, availability_target)
    proc_s = to_si(processing, "time", "processing", lo=0 * u.s)
    max_range_m = to_si(isl_max_range, "length", "isl_max_range", lo=0 * u.m, lo_inclusive=False)
    backhaul_m = read_max_backhaul(max_backhaul)
    gsl_m = None if max_gsl_range is None else to_si(max_gsl_range, "length", "max_gsl_range",
                                                     lo=0 * u.m, lo_inclusive=False)
    # Validate the elevation once, with the field name the user typed.
    gateways.min_elevation_for(min_elevation)
    elevation_deg = None if min_elevation is None else \
        rounded(math.degrees(to_si(min_elevation, "angle", "min_elevation")), 6)
    return RouteOptions(gateways, users, to, compute, bool(direct), isl, max_range_m, gsl_m, backhaul_m,
                        min_elevation, elevation_deg, route_factor, n_fibre, proc_s, slo_s, target,
                        dict(scenario or {}))


def read_max_backhaul(value, field: str = "max_backhaul") -> float:
    """``max_backhaul`` in metres: a length > 0, or None / ``"any"`` for no limit (inf)."""
    from ..errors import QuantityError

    if value is None or (isinstance(value, str) and value.strip().lower() == "any"):
        return math.inf
    try:
        return to_si(value, "length", field, lo=0 * u.m, lo_inclusive=False)
    except QuantityError as exc:
        raise QuantityError(f"{exc}; or 'any' for no limit") from None


__all__ = [
    "DEFAULT_AVAILABILITY_TARGET",
    "DEFAULT_ISL_MAX_RANGE",
    "DEFAULT_MAX_BACKHAUL",
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
    "read_options",
    "resolve_compute",
    "round_trip",
    "summarise",
]
