"""Chunking bounds memory and changes nothing: every chunked kernel, run with a tiny
chunk budget (many chunks) and with one large enough for a single chunk, gives
exactly the same answer.

The references here are the kernels themselves run unchunked; their physics is
tested against skyfield, networkx and brute force elsewhere (test_visibility,
test_latency, test_eclipse).  Equality is exact (``array_equal``), not a
tolerance: a chunk boundary must not move a pass, a link or a coverage count.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from orbitlink import orbits
from orbitlink.api import default_start, propagate
from orbitlink.constants import C_M_S, MU_EARTH_M3_S2
from orbitlink.core import graph
from orbitlink.core import coverage as core_coverage
from orbitlink.core import pass_threads, passes, topocentric
from orbitlink.elements import load_elements
from orbitlink.link import latency, routing
from orbitlink.propagators import sgp4
from orbitlink.stations import load_catalog
from orbitlink.times import TimeGrid, time_grid

from .conftest import EPHEMERIS, ONE_MICROMETER

TINY = 64 * 2**10      # 64 KiB: dozens to hundreds of chunks for these sizes
HUGE = 2**40           # one chunk


@pytest.fixture(scope="module")
def starlink_track():
    el = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(60))
    grid = time_grid(default_start(el), "6h", "30s", satellites=len(el))
    return propagate(el, grid)


@pytest.fixture(scope="module")
def gateways():
    return load_catalog("starlink-gateways")


def _sites(stations, min_elevation_deg=25.0):
    floor, table = stations.thresholds(f"{min_elevation_deg}deg")
    return topocentric.Sites.make(stations.itrs_m(), stations.enu(), floor, table)


def _assert_same_passes(a: passes.PassArrays, b: passes.PassArrays):
    for f in dataclasses.fields(passes.PassArrays):
        if f.name != "stats":          # search counters count chunks, not passes
            assert np.array_equal(getattr(a, f.name), getattr(b, f.name)), f.name


def test_pass_search_is_independent_of_its_chunk_budget(starlink_track, gateways):
    tr = starlink_track
    sites = _sites(gateways)
    one = passes.find_passes(tr.r_itrs_m, tr.v_itrs_m_s, tr.t_s, sites, scan_step_s=10.0, chunk_bytes=HUGE)
    many = passes.find_passes(tr.r_itrs_m, tr.v_itrs_m_s, tr.t_s, sites, scan_step_s=10.0, chunk_bytes=TINY)
    assert one.sat.size > 500
    _assert_same_passes(one, many)


def test_pass_search_threads_and_chunks_together_give_the_one_chunk_passes(starlink_track, gateways):
    tr = starlink_track
    sites = _sites(gateways)
    one = passes.find_passes(tr.r_itrs_m, tr.v_itrs_m_s, tr.t_s, sites, chunk_bytes=HUGE)
    both = pass_threads.find_passes_parallel(tr.r_itrs_m, tr.v_itrs_m_s, tr.t_s, sites, workers=2,
                                             chunk_bytes=TINY)
    _assert_same_passes(one, both)


def test_look_angles_grid_is_independent_of_its_chunk_budget(starlink_track, gateways):
    tr = starlink_track
    st = gateways.select(range(20))
    one = topocentric.look_angles_grid(tr.r_itrs_m, st.itrs_m(), st.enu(), chunk_bytes=HUGE)
    many = topocentric.look_angles_grid(tr.r_itrs_m, st.itrs_m(), st.enu(), chunk_bytes=TINY)
    for a, b in zip(one, many):
        assert np.array_equal(a, b)


def test_coverage_counts_are_independent_of_their_chunk_budget(starlink_track, gateways):
    tr = starlink_track
    sites = _sites(gateways, 10.0)
    one = core_coverage.coverage_counts(tr.r_itrs_m, tr.valid, sites, chunk_bytes=HUGE)
    many = core_coverage.coverage_counts(tr.r_itrs_m, tr.valid, sites, chunk_bytes=TINY)
    assert one[0].sum() > 0
    assert np.array_equal(one[0], many[0]) and one[1] == many[1]
    lat = np.deg2rad(np.arange(-87.5, 90.0, 5.0))
    lon = np.deg2rad(np.arange(-177.5, 180.0, 5.0))
    g_one = core_coverage.grid_coverage_counts(tr.r_itrs_m, tr.valid, lat, lon, np.deg2rad(10.0), chunk_bytes=HUGE)
    g_many = core_coverage.grid_coverage_counts(tr.r_itrs_m, tr.valid, lat, lon, np.deg2rad(10.0), chunk_bytes=TINY)
    assert g_one[0].sum() > 0
    assert np.array_equal(g_one[0], g_many[0]) and g_one[1] == g_many[1]


@pytest.fixture(scope="module")
def walker_track():
    shell = orbits.walker(120, 12, 1, "550km", "53deg")
    return propagate(shell, start="2026-01-01T00:00:00Z", duration="1h", step="60s")


def _sorted_links(links: graph.Links):
    order = np.lexsort((links.b, links.a, links.t))
    return links.t[order], links.a[order], links.b[order], links.length_m[order]


def test_plus_grid_links_and_routes_are_independent_of_chunking(walker_track):
    tr = walker_track
    planes = graph.infer_planes(tr.r_gcrs_m[:, :, 0], tr.v_gcrs_m_s[:, :, 0], mu_m3_s2=MU_EARTH_M3_S2)
    assert planes.count == 12
    one = graph.plus_grid_links(tr.r_itrs_m, planes, max_range_m=5e6, chunk_bytes=HUGE)
    many = graph.plus_grid_links(tr.r_itrs_m, planes, max_range_m=5e6, chunk_bytes=1024)
    for a, b in zip(_sorted_links(one), _sorted_links(many)):
        assert np.array_equal(a, b)
    n, T = tr.n_satellites, tr.n_times
    w = one.length_m / C_M_S
    targets = np.arange(0, n, 17)
    d_one, s_one = graph.shortest_light_time(n, T, one, w, targets=targets, chunk_nodes=n * T)
    d_many, s_many = graph.shortest_light_time(n, T, one, w, targets=targets, chunk_nodes=n * 3)
    assert np.isfinite(d_one).all()
    assert np.array_equal(d_one, d_many) and np.array_equal(s_one, s_many)


def test_latency_user_and_geo_minimums_are_independent_of_their_chunk_budget(walker_track, gateways):
    # The (users x gateways x time) and (GEO x compute x time) minimums run in time slices.
    tr = walker_track
    rng = np.random.default_rng(7)
    G, T = 30, tr.n_times
    site_best = np.where(rng.random((G, T)) < 0.6, rng.uniform(2e-3, 9e-3, (G, T)), np.inf)
    site_sat = np.where(np.isfinite(site_best), rng.integers(0, tr.n_satellites, (G, T)), -1)
    users = load_catalog("cities-top100").select(range(25))
    gw = gateways.select(range(G))
    args = (users, gw, False, site_best, site_sat, None, 1.5, C_M_S / 1.468)
    one = routing._users(*args, chunk_bytes=HUGE)
    many = routing._users(*args, chunk_bytes=TINY // 64)
    for a, b in zip(one, many):
        assert np.array_equal(a, b)
    r_all = tr.r_itrs_m
    geo_idx, compute_idx = np.arange(0, 6), np.arange(6, tr.n_satellites)
    one = routing._geo_to_compute(r_all, geo_idx, compute_idx, 1e-3, chunk_bytes=HUGE)
    many = routing._geo_to_compute(r_all, geo_idx, compute_idx, 1e-3, chunk_bytes=TINY // 64)
    for a, b in zip(one, many):
        assert np.array_equal(a, b)


def test_sgp4_states_do_not_depend_on_worker_count_or_time_slicing():
    el = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(40))
    grid = time_grid(default_start(el), "2h", "60s", satellites=len(el))
    one = sgp4.propagate(el, grid, workers=1)
    two = sgp4.propagate(el, grid, workers=2)
    assert np.array_equal(one.r_itrs_m, two.r_itrs_m) and np.array_equal(one.v_gcrs_m_s, two.v_gcrs_m_s)
    # A slice of the grid starting on an Earth-rotation node (as Dask's time slices do)
    # gives the whole run's states: GCRS exactly; ITRS to the last bits of the slice's
    # own UT1 Julian dates (1e-9 m seen), far inside a micrometre.
    half = TimeGrid(grid.start, grid.t_s[60:])
    part = sgp4.propagate(el, half, workers=1)
    assert np.array_equal(part.r_gcrs_m, one.r_gcrs_m[:, :, 60:])
    assert np.max(np.abs(part.r_itrs_m - one.r_itrs_m[:, :, 60:])) < ONE_MICROMETER
