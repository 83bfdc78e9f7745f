"""Scale-out through Dask: the same analyses over chunks of satellites.

Satellites are independent in propagation, visibility and eclipses, so a
constellation splits cleanly into chunks of satellites; each chunk is a task
that propagates its satellites on the shared time grid and runs the analysis
(:func:`find_passes`, :func:`eclipses`), and the results are merged.  The
merge reproduces the single-process answer (tested on a 2-worker
``LocalCluster``).

Where it runs:

- ``client=None``: Dask's local multiprocessing scheduler, one process per
  core (SGP4 holds the GIL, so threads would not help);
- ``client=distributed.Client(...)`` or a scheduler address
  (``"tcp://scheduler:8786"``): a dask.distributed cluster (docs/scale.md
  shows how to start one).

Users' own sweeps of design points run the same way through :func:`compute`.

Dask is an optional extra: ``pip install "orbitlink[dask]"``.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from . import propagators
from .errors import MissingExtraError, ScaleError, TimeGridError
from .orbits import OrbitSet
from .slices import sub_grid, time_chunks  # time_chunks: its old home too
from .times import TimeGrid, check_size, time_grid
from .units import count

# About 50-100 MB of track per task at 10 s over a day: big enough to amortise
# task overhead, small enough to keep every worker's memory bounded.
DEFAULT_SATELLITES_PER_TASK = 256


def _dask():
    try:
        import dask
    except ImportError as exc:
        raise MissingExtraError("dask", "dask", "Dask scale-out") from exc
    return dask


def _client(client):
    """A distributed Client for ``client`` (a Client, an address string) or None."""
    if client is None or hasattr(client, "compute"):
        return client
    if not isinstance(client, str):
        raise ScaleError(f"client: expected None, a distributed.Client or a scheduler address "
                             f"like tcp://scheduler:8786, not {type(client).__name__}")
    try:
        from distributed import Client
    except ImportError as exc:
        raise MissingExtraError("dask", "distributed", "--dask") from exc
    accepted = "expected 'local' on the command line or a scheduler address like tcp://scheduler:8786"
    try:
        _check_address(client)
    except Exception as exc:  # noqa: BLE001 - ValueError, or TypeError/ValueError from a transport's validation
        raise ScaleError(f"dask: {client!r} is not a scheduler address ({exc}); {accepted}") from None
    timeout_s = float(getattr(client, "timeout_s", DEFAULT_CONNECT_TIMEOUT_S))
    _probe_scheduler(str(client), timeout_s, accepted)
    try:
        return Client(str(client), timeout=f"{timeout_s}s")
    except Exception as exc:  # noqa: BLE001 - whatever Distributed raises, one error line
        raise ScaleError(f"dask: cannot reach the scheduler at {str(client)!r} "
                         f"({type(exc).__name__}: {exc}); {accepted}") from None


# How long to wait for a scheduler to answer (the CLI's --dask-timeout).  A
# scheduler on a busy cluster answers in well under a second; 30 s leaves room
# for a slow network without leaving a wrong address hanging for minutes.
DEFAULT_CONNECT_TIMEOUT_S = 30.0


class SchedulerAddress(str):
    """A scheduler address carrying the connect timeout in seconds (``--dask-timeout``)."""

    timeout_s: float

    def __new__(cls, address: str, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S):
        obj = super().__new__(cls, address)
        obj.timeout_s = float(timeout_s)
        return obj


def _probe_scheduler(address: str, timeout_s: float, accepted: str) -> None:
    """Ask ``address`` who it is, within ``timeout_s``; a ScaleError unless a Dask scheduler answers.

    Done before a Client exists, so that a silent listener (no answer), a
    server that speaks another protocol (an HTTP server's reply read as a
    frame length asks for exabytes) or a transport that cannot work here
    (``tls://`` without certificates in Dask's config, ``ucx://`` without
    UCX) is one error line within the timeout, not a hang or a traceback.
    It runs in a thread of its own so that it works under a running event
    loop (Jupyter) too.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import socket
    import time

    from distributed.comm import get_address_host_port, parse_address

    deadline = time.monotonic() + timeout_s
    scheme, _ = parse_address(address)
    if scheme in ("tcp", "tls", "ws", "wss"):
        # A refused or unroutable port fails here at once; Distributed would retry it until the timeout.
        host, port = get_address_host_port(address)
        try:
            socket.create_connection((host, port), timeout=timeout_s).close()
        except (socket.timeout, TimeoutError):
            raise ScaleError(f"dask: no answer from {address!r} within {timeout_s:g} s "
                             f"(--dask-timeout); {accepted}") from None
        except OSError as exc:
            raise ScaleError(f"dask: cannot reach the scheduler at {address!r} "
                             f"({exc.strerror or exc}); {accepted}") from None

    async def ask():
        from distributed.comm import connect
        from distributed.security import Security

        args = Security().get_connection_args("client")
        comm = await connect(address, timeout=max(deadline - time.monotonic(), 0.1), **args)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def run():
        return asyncio.run(asyncio.wait_for(ask(), max(deadline - time.monotonic(), 0.1)))

    pool = ThreadPoolExecutor(1)
    try:
        reply = pool.submit(run).result()
    except (asyncio.TimeoutError, TimeoutError):
        raise ScaleError(f"dask: no answer from {address!r} within {timeout_s:g} s "
                         f"(--dask-timeout); {accepted}") from None
    except Exception as exc:  # noqa: BLE001 - connection refused, TLS not configured, no UCX, ...
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise ScaleError(f"dask: cannot reach the scheduler at {address!r} "
                         f"({type(exc).__name__}: {reason}); {accepted}") from None
    finally:
        pool.shutdown(wait=False)
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        raise ScaleError(f"dask: {address!r} answered, but not as a Dask scheduler; {accepted}")


def _check_address(address: str) -> None:
    """Raise ValueError for an address Distributed cannot use (no port, unknown scheme).

    Checked before a Client exists: a Client that fails inside its constructor
    is closed later by the garbage collector, which can deadlock the next
    Client's start (seen with two malformed addresses in one process).
    """
    from distributed.comm import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    scheme, _ = parse_address(address)
    get_backend(scheme)                       # unknown, or its package is not installed
    if scheme in ("tcp", "tls", "ws", "wss"):
        get_address_host_port(address)        # these need host:port


def _is_source(x) -> bool:
    return isinstance(x, OrbitSet) or hasattr(x, "satrecs")


def _check_source(source, propagator: str = "auto"):
    """``source`` as an OrbitSet or ElementSet: an orbit spec string (``"550km"``,
    ``"sso:650km"``) is read by :func:`propagators.as_source`; a Track is refused
    (the tasks propagate their own satellites, so a track already in memory would
    defeat the chunking).  A bad ``propagator`` for it fails here too, not in every task."""
    if isinstance(source, str):
        source = propagators.as_source(source)
    if not _is_source(source):
        hint = ("; a Track is already propagated: call the single-process analysis on it"
                if hasattr(source, "r_gcrs_m") else "")
        raise ScaleError(f"source: expected an orbit spec, OrbitSet or ElementSet, "
                             f"not {type(source).__name__}{hint}")
    if len(source) == 0:
        raise ScaleError("source: no satellites")
    propagators.resolve(source, propagator)
    return source


def chunks(n: int, size: int) -> list[np.ndarray]:
    """Index arrays of ``size`` consecutive satellites (the last one shorter)."""
    size = count(size, "satellites_per_task")
    return [np.arange(lo, min(lo + size, n)) for lo in range(0, n, size)]


def _track(source, grid: TimeGrid, propagator: str):
    """The Track of one task's ``source`` on ``grid`` (propagator chosen by :func:`propagators.resolve`)."""
    if propagators.resolve(source, propagator) == "sgp4":
        from .propagators import sgp4

        # One process per task already: no nested worker pool inside a worker.
        return sgp4.propagate(source, grid, workers=1)
    return propagators.propagate(source, grid, propagator=propagator)


# Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_ set (to hand freed
# memory back to the OS).  Setting any glibc malloc threshold by environment
# freezes glibc's adaptive mmap threshold at 128 KiB, so every temporary above
# 128 KiB - most of the pass search's - becomes a fresh mmap whose pages the
# kernel must zero again: the same 2,000-satellite pass job took 17.3 s instead
# of 10.1 s in one process with that variable set.  Raising the mmap threshold
# back to glibc's adaptive ceiling (32 MiB) restores the speed (11.2 s) and
# leaves Dask's trimming in place; arrays above 32 MiB are still mmapped and
# returned on free.
GLIBC_MMAP_THRESHOLD_BYTES = 32 * 2**20
_M_MMAP_THRESHOLD = -3    # mallopt parameter number (glibc malloc.h)
_allocator_checked = False


def _restore_adaptive_mmap_threshold() -> bool:
    """In a worker whose environment froze glibc's mmap threshold, raise it to 32 MiB.

    Returns True if it changed the setting.  Does nothing off glibc, or when the
    user set ``MALLOC_MMAP_THRESHOLD_`` themselves.
    """
    global _allocator_checked
    if _allocator_checked:
        return False
    _allocator_checked = True
    frozen = any(k in os.environ for k in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"))
    if not frozen or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, GLIBC_MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):   # not glibc (macOS, musl, Windows)
        return False


def _passes_task(source, stations, start, t_s, min_elevation, propagator, scan_step):
    from .visibility import find_passes

    _restore_adaptive_mmap_threshold()

    grid = TimeGrid(start, t_s)  # rebuilt in the worker: skyfield objects are not shipped
    # One task per process already: no threads inside it.
    return find_passes(_track(source, grid, propagator), stations, min_elevation=min_elevation,
                       scan_step=scan_step, workers=1)


def compute(tasks, client=None) -> list:
    """Results of ``tasks`` (Dask delayed objects), computed where orbitlink computes its own:
    local processes (one per core) for ``client=None``, else a ``distributed.Client`` or a
    scheduler address (connected for this call only).  For users' own sweeps
    (``examples/design_sweep_dask.py``)."""
    dask = _dask()
    if client is None:
        return list(dask.compute(*tasks, scheduler="processes", num_workers=os.cpu_count() or 1))
    own = isinstance(client, str)          # a scheduler address: connect for this run only
    client = _client(client)
    try:
        return client.gather(client.compute(tasks))
    finally:
        if own:
            client.close()


def find_passes(source, stations, *, grid: TimeGrid | None = None, start=None, duration="24h",
                step="10s", min_elevation=None, scan_step=None, propagator: str = "auto",
                client=None, satellites_per_task: int = DEFAULT_SATELLITES_PER_TASK):
    """All passes of ``source`` over ``stations``, propagated and searched in Dask tasks.

    Not the same inputs as :func:`orbitlink.visibility.find_passes`, which takes
    a :class:`~orbitlink.track.Track` already in memory: this one takes what to
    propagate - an orbit spec string (``"550km"``, ``"sso:650km"``), an
    :class:`~orbitlink.orbits.OrbitSet` or an
    :class:`~orbitlink.elements.ElementSet` - and propagates it chunk by chunk
    (``grid`` or ``start``/``duration``/``step``, ``propagator``).  Same result as
    ``visibility.find_passes(propagators.propagate(source, grid), stations)``
    (passes sorted by AOS, then satellite, then station), but no process ever
    holds more than ``satellites_per_task`` satellites' track.
    """
    delayed = _dask().delayed

    from .visibility import Passes, check_stations

    source = _check_source(source, propagator)
    stations = check_stations(stations)          # here, not in every task
    if grid is None:
        grid = time_grid(propagators.default_start(source) if start is None else start, duration, step)
    groups = chunks(len(source), satellites_per_task)
    check_size(max(idx.size for idx in groups), grid.size)
    tasks = [delayed(_passes_task, pure=True)(source.select(idx), stations, grid.start, grid.t_s,
                                              min_elevation, propagator, scan_step)
             for idx in groups]
    parts = compute(tasks, client)
    return merge_passes(parts, Passes)


def merge_passes(parts, Passes=None):
    """One :class:`~orbitlink.visibility.Passes` from per-chunk ones (satellite indices offset),
    ordered by AOS, then satellite, then station: :func:`~orbitlink.visibility.results.merge_chunk_passes`,
    the one merge (``Passes`` is accepted for old callers and unused)."""
    from .visibility.results import merge_chunk_passes

    return merge_chunk_passes(list(parts))


def release_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``; nothing elsewhere).

    A chunk's search frees hundreds of MB of arrays below glibc's 32 MiB mmap threshold, which
    live on the heap between the kept chunk tables; glibc keeps those pages, so the process
    grew by every chunk's temporaries: 1.95 GB resident for a 0.62 GB table (10,361 TLEs x 198
    gateways x 1 day). Trimming after each chunk (7 ms) kept it at 1.25 GB."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):     # not glibc (macOS, musl, Windows)
        pass


def _eclipse_task(source, start, duration, step, model, propagator, detail, apparent_sun):
    from .eclipse import eclipses

    _restore_adaptive_mmap_threshold()
    return eclipses(source, start=start, duration=duration, step=step, model=model,
                    propagator=propagator, detail=detail, apparent_sun=apparent_sun)


def eclipses(source, *, start=None, duration="365d", step="60s", model: str = "conical",
             propagator: str = "auto", detail: bool | None = None, apparent_sun: bool = True,
             client=None, satellites_per_task: int = DEFAULT_SATELLITES_PER_TASK):
    """:func:`orbitlink.eclipse.eclipses` of ``source`` in Dask tasks over chunks of satellites.

    ``source`` is an orbit spec string, an OrbitSet or an ElementSet (not a
    Track: each task propagates its own satellites).

    The same report as the single-process call (``detail`` defaults, as there,
    to the whole constellation's size: up to 100 satellites), with every
    satellite's statistics, seasons, intervals and orbit table computed in the
    task that holds it.
    """
    delayed = _dask().delayed

    from .times import parse_time

    source = _check_source(source, propagator)
    start_t = propagators.default_start(source) if start is None else parse_time(start)
    time_grid(start_t, duration, step)          # check the span here, not in every task
    if detail is None:
        detail = len(source) <= 100
    tasks = [delayed(_eclipse_task, pure=True)(source.select(idx), start_t, duration, step, model,
                                               propagator, detail, apparent_sun)
             for idx in chunks(len(source), satellites_per_task)]
    return merge_eclipse_reports(compute(tasks, client))


def merge_eclipse_reports(parts):
    """One :class:`~orbitlink.eclipse.EclipseReport` from reports of consecutive satellite chunks.

    Per-satellite arrays (leading axis S) are concatenated; intervals and orbit
    tables get their satellite indices offset (both are sorted by satellite
    first, so the order is the single run's); run-wide fields come from the
    first part.
    """
    from .eclipse import EclipseReport

    names = sum((p.names for p in parts), ())
    offsets = np.cumsum([0] + [p.n_satellites for p in parts[:-1]])
    merged = {}
    for f in dataclasses.fields(EclipseReport):
        values = [getattr(p, f.name) for p in parts]
        if f.name in ("names", "seasons", "messages"):
            merged[f.name] = sum(values, ())
        elif f.name in ("intervals", "orbit_table"):
            merged[f.name] = None if values[0] is None else _merge_rows(values, offsets, names)
        elif all(np.ndim(v) >= 1 and np.shape(v)[0] == p.n_satellites for v, p in zip(values, parts)):
            merged[f.name] = np.concatenate(values)      # (S, ...) arrays and Quantities
        else:
            merged[f.name] = values[0]                   # model, span, step, day bins
    return EclipseReport(**merged)


def _merge_rows(tables, offsets, names):
    """Row tables (EclipseIntervals, OrbitTable) of chunks as one, satellite indices offset."""
    first = tables[0]
    cols = {}
    for f in dataclasses.fields(first):
        if f.name == "names":
            cols[f.name] = names
        elif f.name == "satellite":
            cols[f.name] = np.concatenate([t.satellite + off for t, off in zip(tables, offsets)])
        elif isinstance(getattr(first, f.name), np.ndarray):
            cols[f.name] = np.concatenate([getattr(t, f.name) for t in tables])
        else:
            cols[f.name] = getattr(first, f.name)
    return type(first)(**cols)


# Satellite-steps per coverage task (about 400 MB of track): a task holds every
# satellite for a slice of time, because a cell is covered when any satellite sees it.
COVERAGE_SAT_STEPS_PER_TASK = 4_000_000


def _coverage_task(source, start, t_s, count_last, resolution, min_elevation, propagator):
    from .visibility import CoverageGrid

    _restore_adaptive_mmap_threshold()
    grid = TimeGrid(start, t_s)
    cells = CoverageGrid.make(resolution, min_elevation)
    return cells.counts(_track(source, grid, propagator), grid.size if count_last else grid.size - 1)


def coverage_map(source, *, grid: TimeGrid | None = None, start=None, duration="24h", step="60s",
                 resolution="5deg", min_elevation="10deg", propagator: str = "auto", client=None,
                 steps_per_task: int | None = None):
    """:func:`orbitlink.visibility.coverage_map` of ``source`` computed in Dask tasks over
    slices of time (every satellite in every task), so no process holds the whole track.

    ``source`` is an orbit spec string, an OrbitSet or an ElementSet (not a
    Track: each task propagates its own slice).

    The same map as the single-process call: cell counts are integers and each
    slice's states equal the whole run's (see :func:`time_chunks`).
    """
    from .visibility import CoverageGrid

    delayed = _dask().delayed
    source = _check_source(source, propagator)
    cells = CoverageGrid.make(resolution, min_elevation)      # bad input fails here, not in a task
    if grid is None:
        start = propagators.default_start(source) if start is None else start
        grid = time_grid(start, duration, step, satellites=1)
    if grid.size < 2:
        raise TimeGridError("coverage: the time grid needs at least two samples")
    if steps_per_task is None:
        steps_per_task = max(1, COVERAGE_SAT_STEPS_PER_TASK // max(len(source), 1))
    slices = time_chunks(grid, steps_per_task)
    check_size(len(source), max(b - a + 1 for a, b in slices))
    tasks = [delayed(_coverage_task, pure=True)(source, grid.start, grid.t_s[a:b + 1], b == grid.size - 1,
                                                resolution, min_elevation, propagator)
             for a, b in slices]
    parts = compute(tasks, client)
    counts = np.sum([p[0] for p in parts], axis=0)
    samples = sum(int(p[1]) for p in parts)
    return cells.result(counts, samples, len(source), grid.start, float(grid.t_s[-1]), grid.step_s)


def _latency_task(source, gateways, start, t_s, propagator, relay, relay_propagator, planes, relay_planes,
                  options):
    from .link.latency import round_trip

    _restore_adaptive_mmap_threshold()
    grid = TimeGrid(start, t_s)
    relay_arg = relay if relay is None or isinstance(relay, str) else _track(relay, grid, relay_propagator)
    return round_trip(_track(source, grid, propagator), gateways, relay=relay_arg, isl_planes=planes,
                      relay_planes=relay_planes, **options)


def round_trip(source, gateways=None, *, grid: TimeGrid | None = None, start=None, duration="24h",
               step="10s", propagator: str = "auto", relay=None, relay_propagator: str = "auto",
               client=None, steps_per_task: int | None = None, **options):
    """:func:`orbitlink.link.latency.round_trip` of ``source`` (an orbit spec string, OrbitSet
    or ElementSet; not a Track) in Dask tasks over slices of time; every task routes the whole
    constellation for its slice.

    ``relay`` is None, ``"geo"`` or a relay constellation (OrbitSet or ElementSet,
    propagated in each task with ``relay_propagator``); ``options`` are the other
    keyword arguments of :func:`~orbitlink.link.latency.round_trip`.  The +Grid
    topology is inferred once, from the first slice, and shared by every task;
    the statistics are computed once over the joined series (handovers and
    outages across slice boundaries count as in a single run).
    """
    from .link.latency import LatencyError, join_slices, plane_topology, read_options
    from .link.latency_stats import check_series_size
    from .link.latency_stream import slice_plan

    source = _check_source(source, propagator)
    if relay is not None and not isinstance(relay, str) and not _is_source(relay):
        raise LatencyError("relay: expected None, 'geo' or a relay constellation (OrbitSet or ElementSet)")
    if relay is not None and not isinstance(relay, str):
        propagators.resolve(relay, relay_propagator)
    if grid is None:
        start = propagators.default_start(source) if start is None else start
        grid = time_grid(start, duration, step, satellites=1)
    if grid.size < 2:
        raise ScaleError("latency: the time grid needs at least two samples")
    # The per-step series of every user is joined in this process, whatever the slices: as the
    # in-process run does (latency_stream.route_sliced), refuse it from the spec.
    read = read_options(gateways=gateways, **options)
    check_series_size(len(read.users if read.users is not None else read.gateways), grid.size)
    delayed = _dask().delayed          # after the checks: an impossible run is refused even without Dask
    n_sat = len(source) + (0 if relay is None or isinstance(relay, str) else len(relay))
    # The in-process run's slices (bounded in satellite-steps and in steps, so a long span
    # of one satellite is split too): the same slices on Dask give the same series.
    slices = slice_plan(grid, n_sat, steps_per_task)
    check_size(n_sat, max(b - a + 1 for a, b in slices))
    # The topology of the first slice, as a single run infers it from its first states.
    planes = relay_planes = None
    first = sub_grid(grid, *slices[0])
    if options.get("isl") not in (None, "none"):
        planes = plane_topology(_track(source, first, propagator))
    if relay is not None and not isinstance(relay, str):
        relay_planes = plane_topology(_track(relay, first, relay_propagator))
    tasks = [delayed(_latency_task, pure=True)(source, gateways, grid.start, grid.t_s[a:b + 1], propagator,
                                               relay, relay_propagator, planes, relay_planes, options)
             for a, b in slices]
    parts = compute(tasks, client)
    counted = [b - a + (b == grid.size - 1) for a, b in slices]
    return join_slices(parts, counted, grid, gateways, **options)
