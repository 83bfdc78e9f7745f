"""Dask scale-out gives exactly the single-process passes (2-worker LocalCluster)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

from orbitlink import api, orbits, times  # noqa: E402
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
    for f in FIELDS:
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_tle_passes_on_a_local_cluster_equal_single_process(client):
    el = load_elements(EPHEMERIS / "tle" / "starlink-sample.tle").select(range(60))
    stations = load_catalog("starlink-gateways").select(list(range(0, 198, 10)))
    grid = times.time_grid("2025-01-23T00:00:00Z", "6h", "30s")
    single = find_passes(api.propagate(el, grid), stations)
    _same(single, scale.find_passes(el, stations, grid=grid, client=client, satellites_per_task=16))


def test_walker_passes_with_the_local_process_scheduler():
    shell = orbits.walker(48, 6, 1, "550km", "53deg", epoch="2026-01-01")
    stations = load_catalog("starlink-gateways").select(list(range(0, 198, 20)))
    grid = times.time_grid("2026-01-01", "3h", "30s")
    single = find_passes(api.propagate(shell, grid), stations)
    _same(single, scale.find_passes(shell, stations, grid=grid, satellites_per_task=10))


def test_bad_scheduler_address_is_a_clear_error():
    from orbitlink.errors import OrbitlinkError

    shell = orbits.walker(4, 2, 1, "550km")
    with pytest.raises(OrbitlinkError, match="scheduler"):
        scale.find_passes(shell, load_catalog("starlink-gateways"), duration="1h",
                          client="tcp://127.0.0.1:1")


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
