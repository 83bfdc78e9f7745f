"""Dask scale-out gives exactly the single-process passes (2-worker LocalCluster)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

from orbitlink import orbits, propagators, times  # noqa: E402
from orbitlink import scale  # noqa: E402
from orbitlink.elements import load_elements  # noqa: E402
from orbitlink.stations import load_catalog  # noqa: E402
from orbitlink.visibility import find_passes  # noqa: E402

from .conftest import EPHEMERIS  # noqa: E402

FIELDS = ("sat_index", "station_index", "aos_s", "tca_s", "los_s", "max_elevation_rad",
          "aos_cut", "los_cut")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def _same(a, b):
    assert a.satellites == b.satellites and len(a) == len(b) > 0
    assert a.search == b.search        # counters summed over tasks, steps as in one run
    for f in FIELDS:
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_tle_passes_on_a_local_cluster_equal_single_process(client):
    el = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(60))
    stations = load_catalog("starlink-gateways").select(list(range(0, 198, 10)))
    grid = times.time_grid("2025-01-23T00:00:00Z", "6h", "30s")
    single = find_passes(propagators.propagate(el, grid), stations)
    _same(single, scale.find_passes(el, stations, grid=grid, client=client, satellites_per_task=16))


def test_walker_passes_with_the_local_process_scheduler():
    shell = orbits.walker(48, 6, 1, "550km", "53deg", epoch="2026-01-01")
    stations = load_catalog("starlink-gateways").select(list(range(0, 198, 20)))
    grid = times.time_grid("2026-01-01", "3h", "30s")
    single = find_passes(propagators.propagate(shell, grid), stations)
    _same(single, scale.find_passes(shell, stations, grid=grid, satellites_per_task=10))


@pytest.mark.parametrize("address, says", [
    ("tcp://127.0.0.1:1", "cannot reach the scheduler"),     # nothing listens there
    ("scheduler", "not a scheduler address"),                 # no port
    ("http://scheduler:8786", "not a scheduler address"),     # not a Dask scheme
])
def test_bad_scheduler_address_is_a_clear_error(address, says):
    from orbitlink.errors import OrbitlinkError

    shell = orbits.walker(4, 2, 1, "550km")
    with pytest.raises(OrbitlinkError, match=says):
        scale.find_passes(shell, load_catalog("starlink-gateways"), duration="1h", client=address)


def test_cli_passes_with_dask_local_equals_in_process(run_cli):
    import json

    args = ("passes", "--walker", "12/3/1", "--start", "2026-01-01T00:00:00Z", "--duration", "3h",
            "--stations", "aws-ground-station", "--json")
    plain, dask = run_cli(*args), run_cli(*args, "--dask", "local")
    assert plain.code == 0 and dask.code == 0, dask.err
    a, b = json.loads(plain.out), json.loads(dask.out)
    assert a["passes"] == b["passes"] and a["count"] > 0


@pytest.mark.parametrize("env, expected", [
    ({"MALLOC_TRIM_THRESHOLD_": "65536"}, True),            # what Dask's nanny sets: restore
    ({"MALLOC_TRIM_THRESHOLD_": "65536", "MALLOC_MMAP_THRESHOLD_": "131072"}, False),  # user's choice
    ({}, False),                                             # glibc's adaptive threshold is intact
])
def test_worker_allocator_threshold_is_raised_only_where_the_environment_froze_it(env, expected):
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("glibc malloc tuning applies to Linux only")
    clean = {k: v for k, v in __import__("os").environ.items() if not k.startswith("MALLOC_")}
    code = ("from orbitlink import scale; a = scale._restore_adaptive_mmap_threshold(); "
            "b = scale._restore_adaptive_mmap_threshold(); print(a, b)")
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(expected), "False"]    # and only once per process


# Time chunks inside a task depend on how many satellites it holds, so sums of
# eclipse time accumulate in another order: equal to float rounding (seen: 8e-11 s).
ROUNDING = 1e-9       # seconds, radians or fractions


def _close(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "f":
        return x.shape == y.shape and np.allclose(x, y, rtol=0, atol=ROUNDING, equal_nan=True)
    return np.array_equal(x, y)


def _same_report(a, b):
    import dataclasses

    from orbitlink.eclipse import EclipseReport

    assert a.names == b.names and a.messages == b.messages
    season = lambda x: (x.start_time.isot, x.cut_start, x.cut_end)  # noqa: E731
    assert [[season(x) for x in sat] for sat in a.seasons] == [[season(x) for x in sat] for sat in b.seasons]
    assert _close([x.t0_s for sat in a.seasons for x in sat], [x.t0_s for sat in b.seasons for x in sat])
    for f in dataclasses.fields(EclipseReport):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert _close(x, y), f.name
    for table in ("intervals", "orbit_table"):
        x, y = getattr(a, table), getattr(b, table)
        assert (x is None) == (y is None)
        if x is not None:
            assert len(x) == len(y) > 0
            for f in dataclasses.fields(x):
                if isinstance(getattr(x, f.name), np.ndarray):
                    assert _close(getattr(x, f.name), getattr(y, f.name)), (table, f.name)


def test_walker_eclipses_on_a_local_cluster_equal_single_process(client):
    from orbitlink.eclipse import eclipses

    shell = orbits.walker(12, 3, 1, "550km", "53deg")
    kw = dict(start="2026-03-01T00:00:00Z", duration="3d", step="60s")
    one = eclipses(shell, **kw)
    dist = scale.eclipses(shell, **kw, client=client, satellites_per_task=5)   # planes split across tasks
    _same_report(one, dist)
    assert one.intervals is not None


def test_tle_eclipses_with_the_local_process_scheduler_equal_single_process():
    from orbitlink.eclipse import eclipses

    el = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(30))
    kw = dict(duration="2d", step="60s", model="cylindrical")
    _same_report(eclipses(el, **kw), scale.eclipses(el, **kw, satellites_per_task=8))


def test_dask_eclipses_refuse_a_track():
    from orbitlink.errors import OrbitlinkError

    track = propagators.propagate(orbits.circular("550km", "53deg"), duration="1h", step="60s")
    with pytest.raises(OrbitlinkError, match="source: expected an orbit spec, OrbitSet or ElementSet, "
                                             "not Track; a Track is already propagated"):
        scale.eclipses(track)


def test_dask_runs_take_an_orbit_spec_string_like_the_other_analyses():
    # scale.find_passes(source) propagates; visibility.find_passes(track) does not: a spec string
    # is read as orbits.parse_orbit reads it, a bad one names the argument.
    spec = scale._check_source("sso:650km")
    assert isinstance(spec, orbits.OrbitSet) and len(spec) == 1
    np.testing.assert_allclose(spec.altitude_m, 650e3)
    from orbitlink.errors import OrbitSpecError

    with pytest.raises(OrbitSpecError, match="^source: cannot read 'starlink.tle'"):
        scale._check_source("starlink.tle")


def test_bad_propagator_fails_before_any_task():
    from orbitlink.errors import OrbitSpecError

    with pytest.raises(OrbitSpecError, match="^propagator: sgp4 needs TLE/OMM element sets"):
        scale.eclipses(orbits.circular("550km"), duration="1d", propagator="sgp4")
    with pytest.raises(OrbitSpecError, match="^propagator: 'j2' is not one of"):
        scale.find_passes("550km", load_catalog("ksat"), duration="1h", propagator="j2")


def test_cli_eclipse_with_dask_local_equals_in_process(run_cli):
    import json

    args = ("eclipse", "--walker", "6/2/1", "--start", "2026-06-01T00:00:00Z", "--duration", "2d",
            "--array-area", "10 m2", "--load", "2kW", "--json")
    plain, dask = run_cli(*args), run_cli(*args, "--dask", "local")
    assert plain.code == 0 and dask.code == 0, dask.err
    a, b = json.loads(plain.out), json.loads(dask.out)
    assert a == b and a["satellites"] == 6 and a["eclipses"] > 0


@pytest.mark.parametrize("steps", [8640, 1441, 361, 50])
def test_time_chunks_count_every_sample_once_and_start_on_rotation_nodes(steps):
    grid = times.time_grid("2026-01-01T00:00:00Z", f"{(steps - 1) * 10}s", "10s")
    slices = scale.time_chunks(grid, 200)
    counted = np.concatenate([np.arange(a, b + (b == grid.size - 1)) for a, b in slices])
    assert np.array_equal(counted, np.arange(grid.size))
    every = 60                                         # 600 s nodes at 10 s
    assert all(a % every == 0 for a, _ in slices)
    assert all(b - a >= 4 * every for a, b in slices) or len(slices) == 1


def test_coverage_on_a_local_cluster_equals_single_process(client):
    from orbitlink.visibility import coverage_map

    shell = orbits.walker(24, 6, 1, "550km", "53deg")
    grid = times.time_grid("2026-01-01T00:00:00Z", "6h", "60s")
    one = coverage_map(propagators.propagate(shell, grid), resolution="10deg", min_elevation="10deg")
    dist = scale.coverage_map(shell, grid=grid, resolution="10deg", min_elevation="10deg", client=client,
                              steps_per_task=60)                      # 6 slices
    assert one.samples == dist.samples == grid.size
    assert np.array_equal(one.fraction, dist.fraction) and 0 < one.mean_fraction < 1


def test_tle_coverage_with_the_local_process_scheduler_equals_single_process():
    from orbitlink.visibility import coverage_map

    el = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(40))
    grid = times.time_grid(propagators.default_start(el), "3h", "30s")
    one = coverage_map(propagators.propagate(el, grid), resolution="5deg", min_elevation="25deg")
    dist = scale.coverage_map(el, grid=grid, resolution="5deg", min_elevation="25deg", steps_per_task=100)
    assert np.array_equal(one.fraction, dist.fraction)


def test_cli_coverage_with_dask_local_equals_in_process(run_cli, tmp_path):
    import json

    args = ("coverage", "--walker", "12/3/1", "--start", "2026-01-01T00:00:00Z", "--duration", "3h",
            "--resolution", "10deg", "--station", "SvalSat", "--footprints", "--json")
    plain = run_cli(*args, "--geojson", str(tmp_path / "a.geojson"))
    dask = run_cli(*args, "--geojson", str(tmp_path / "b.geojson"), "--dask", "local")
    assert plain.code == 0 and dask.code == 0, dask.err
    assert json.loads(plain.out) == json.loads(dask.out)
    assert (tmp_path / "a.geojson").read_text() == (tmp_path / "b.geojson").read_text()


def _same_latency(one, dist):
    assert one.to_dict() == dist.to_dict()
    for f in ("t_s", "rtt_s", "gateway", "access", "serving"):
        assert np.array_equal(getattr(one.series, f), getattr(dist.series, f), equal_nan=True), f
    assert [u.to_dict() for u in one.users] == [u.to_dict() for u in dist.users]


def test_latency_over_time_slices_on_a_local_cluster_equals_single_process(client):
    from orbitlink.link.latency import round_trip

    shell = orbits.walker(72, 6, 1, "550km", "53deg")
    grid = times.time_grid("2026-01-01T00:00:00Z", "6h", "30s")      # 721 steps
    users = load_catalog("cities-top100").select(list(range(8)))
    opts = dict(users=users, isl="grid", compute=["walker-00-*"])    # ISL routes to one plane
    one = round_trip(propagators.propagate(shell, grid), **opts)
    dist = scale.round_trip(shell, grid=grid, client=client, steps_per_task=120, **opts)   # 6 slices
    assert dist.series.t_s.size == grid.size and one.handovers_per_hour > 0
    _same_latency(one, dist)


@pytest.mark.parametrize("relay", ["geo", "walker"])
def test_latency_relays_over_time_slices_equal_single_process(relay):
    from orbitlink.link.latency import round_trip

    shell = orbits.walker(24, 3, 1, "550km", "53deg")
    grid = times.time_grid("2026-01-01T00:00:00Z", "4h", "60s")
    users = load_catalog("cities-top100").select([0, 5, 9])
    opts = dict(users=users, compute=["walker-01-*"], isl="grid")
    if relay == "geo":
        one = round_trip(propagators.propagate(shell, grid), relay="geo", **opts)
        dist = scale.round_trip(shell, grid=grid, relay="geo", steps_per_task=40, **opts)
    else:
        relays = orbits.walker(12, 3, 1, "1200km", "87deg", name="relay")
        one = round_trip(propagators.propagate(shell, grid), relay=propagators.propagate(relays, grid), **opts)
        dist = scale.round_trip(shell, grid=grid, relay=relays, steps_per_task=40, **opts)
    _same_latency(one, dist)


def test_notes_of_time_slices_hold_for_the_run_only_if_every_slice_found_them():
    from orbitlink.link import latency as lat

    out_of_range = lat.NOTE_RELAY_OUT_OF_RANGE.format(km=5000)
    assert lat.merge_notes([[lat.NOTE_NO_ACCESS], [lat.NOTE_NO_ACCESS]]) == [lat.NOTE_NO_ACCESS]
    assert lat.merge_notes([[lat.NOTE_NO_ACCESS], []]) == []
    # A relay out of range in one slice and linking to no compute satellite in another: over
    # the run it came within range but never reached the compute set, as a single run says.
    assert lat.merge_notes([[out_of_range], [lat.NOTE_RELAY_NO_COMPUTE]]) == [lat.NOTE_RELAY_NO_COMPUTE]
    assert lat.merge_notes([[out_of_range], [out_of_range]]) == [out_of_range]
    assert lat.merge_notes([[lat.NOTE_NO_PATH], [lat.NOTE_NO_PATH]]) == []   # decided on the joined series


def test_dask_latency_refuses_a_relay_track():
    from orbitlink.errors import OrbitlinkError

    shell = orbits.walker(6, 2, 1, "550km")
    grid = times.time_grid("2026-01-01T00:00:00Z", "1h", "60s")
    with pytest.raises(OrbitlinkError, match="relay: expected None, 'geo' or a relay constellation"):
        scale.round_trip(shell, grid=grid, relay=propagators.propagate(shell, grid))


def test_cli_latency_with_dask_local_equals_in_process(run_cli, tmp_path):
    import json

    args = ("latency", "--walker", "24/3/1", "--start", "2026-01-01T00:00:00Z", "--duration", "3h",
            "--step", "30s", "--user", "London", "--user", "Tokyo", "--isl", "grid",
            "--compute", "walker-00-*", "--json")
    plain = run_cli(*args, "--csv", str(tmp_path / "a.csv"))
    dask = run_cli(*args, "--csv", str(tmp_path / "b.csv"), "--dask", "local")
    assert plain.code == 0 and dask.code == 0, dask.err
    assert json.loads(plain.out) == json.loads(dask.out)
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_a_scheduler_address_connects_for_the_run_and_closes(client):
    from distributed import Client

    shell = orbits.walker(8, 2, 1, "550km")
    grid = times.time_grid("2026-01-01T00:00:00Z", "2h", "60s")
    stations = load_catalog("aws-ground-station")
    before = len(client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.clients)))
    by_address = scale.find_passes(shell, stations, grid=grid, client=client.scheduler.address,
                                   satellites_per_task=4)
    _same(find_passes(propagators.propagate(shell, grid), stations), by_address)
    after = len(client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.clients)))
    assert after == before and isinstance(client, Client)


@pytest.mark.parametrize("call, field", [
    (lambda sh, gw: scale.find_passes(sh, gw, duration="1h", satellites_per_task=2.5), "satellites_per_task"),
    (lambda sh, gw: scale.find_passes(sh, gw, duration="1h", satellites_per_task="8"), "satellites_per_task"),
    (lambda sh, gw: scale.eclipses(sh, duration="1d", satellites_per_task=True), "satellites_per_task"),
    (lambda sh, gw: scale.coverage_map(sh, duration="1h", steps_per_task=1.5), "steps_per_task"),
    (lambda sh, gw: scale.round_trip(sh, gw, duration="1h", steps_per_task="x"), "steps_per_task"),
    (lambda sh, gw: scale.find_passes("starlink.tle", gw, duration="1h"), "source"),
    (lambda sh, gw: scale.round_trip(sh, gw, duration="1h", relay=sh, relay_propagator="sgp4"), "propagator"),
    (lambda sh, gw: scale.eclipses(sh.select([]), duration="1d"), "source"),
    (lambda sh, gw: scale.coverage_map(None, duration="1h"), "source"),
    (lambda sh, gw: scale.round_trip([1, 2], gw, duration="1h"), "source"),
    (lambda sh, gw: scale.find_passes(sh, "Atlantis", duration="1h"), "stations"),   # names read (issue 18)
    (lambda sh, gw: scale.find_passes(sh, gw, duration="1h", client=42), "client"),
])
def test_bad_api_arguments_fail_before_any_task_with_the_field_named(call, field):
    from orbitlink.errors import OrbitlinkError

    shell = orbits.walker(4, 2, 1, "550km")
    with pytest.raises(OrbitlinkError, match=f"^{field}: "):
        call(shell, load_catalog("starlink-gateways"))
