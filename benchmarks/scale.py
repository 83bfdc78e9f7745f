"""Scale: the 10,361-satellite Starlink snapshot x 200 stations x one day.

- All passes of ``shared/data/tle/starlink-2026-05.tle`` (the bundled 50-satellite
  sample, repeated, when ../shared is absent) over 200 stations (the 198
  Starlink gateways plus SvalSat and AWS Punta Arenas) at a 25 deg mask, one
  day searched every 10 s (8,640 steps; SGP4 states every 60 s, 10 s samples by
  cubic Hermite interpolation, 0.7 m from direct SGP4), through
  :func:`orbitlink.scale.find_passes` on Dask's local process scheduler, in
  chunks of satellites so memory stays bounded.  Peak memory is the largest
  process (the parent or one worker).
- Dask throughput on a LocalCluster with 1 and then 2 workers (same job,
  smaller: 4,000 satellites in 8 tasks), to show how it scales with workers;
  and, as the yardstick, the same 8 tasks in 1 and 2 plain forked processes
  without Dask: what two processes gain on this machine at all (its two vCPUs
  share a host, so even a pure-Python loop does not always run 2x).

Peer: the same chunked job done in one process (no Dask), so the ratio is the
speed-up Dask gives on this machine; for skyfield on this work see
benchmarks/visibility.py (its per-pair cost x 2 M pairs is hours).

Targets (issue 8): all passes in under 2 minutes, peak memory under 4 GiB;
throughput close to linear from 1 to 2 workers.

Run: ``python -m benchmarks.scale [--quick]``.
"""

from __future__ import annotations

import sys
import time

from benchmarks._harness import ROOT, SHARED_TLE, case_main, print_table, run_case


def _setup(n_sat):
    from orbitlink.elements import load_elements
    from orbitlink.stations import load_catalog

    path = SHARED_TLE / "starlink-2026-05.tle"
    if not path.exists():
        path = ROOT / "ephemeris" / "tle" / "starlink-2026-05-sample.tle"
    elements = load_elements(path)
    elements = elements.select([k % len(elements) for k in range(min(n_sat, 10_361))])
    stations = load_catalog("starlink-gateways") + load_catalog("ksat").select(["SvalSat"]) \
        + load_catalog("aws-ground-station").select(["AWS-Punta-Arenas"])
    return elements, stations


def _job(n_sat, hours, client=None, chunk=512, single=False):
    from orbitlink import scale, times
    from orbitlink.propagators import default_start

    elements, stations = _setup(n_sat)
    grid = times.time_grid(default_start(elements), f"{hours}h", "60s")
    t0 = time.perf_counter()
    if single:
        parts = [scale._passes_task(elements.select(idx), stations, grid.start, grid.t_s, "25deg",
                                    "auto", "10s") for idx in scale.chunks(len(elements), chunk)]
        passes = scale.merge_passes(parts)
    else:
        passes = scale.find_passes(elements, stations, grid=grid, min_elevation="25deg",
                                   scan_step="10s", client=client, satellites_per_task=chunk)
    return {"seconds": time.perf_counter() - t0, "passes": len(passes),
            "satellites": len(elements), "stations": len(stations)}


def case_dask_local(n_sat=10_361, hours=24):
    return _job(n_sat, hours)


def case_single(n_sat=10_361, hours=24):
    return _job(n_sat, hours, single=True)


def case_cluster(n_sat=4000, hours=24, workers=1, chunk=500):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("orbitlink.visibility"))  # warm the workers' imports
        return _job(n_sat, hours, client=client, chunk=chunk)


def _warm(_):
    import orbitlink.visibility  # noqa: F401


def case_processes(n_sat=4000, hours=24, workers=1, chunk=500):
    """The machine's own ceiling: the same tasks in ``workers`` plain forked processes, no Dask."""
    import multiprocessing as mp

    from orbitlink import scale, times
    from orbitlink.propagators import default_start

    elements, stations = _setup(n_sat)
    grid = times.time_grid(default_start(elements), f"{hours}h", "60s")
    args = [(elements.select(idx), stations, grid.start, grid.t_s, "25deg", "auto", "10s")
            for idx in scale.chunks(len(elements), chunk)]
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_warm, range(workers), chunksize=1)   # import in every worker, like the cluster case
        t0 = time.perf_counter()
        passes = scale.merge_passes(pool.starmap(scale._passes_task, args, chunksize=1))
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "passes": len(passes)}


CASES = {"dask_local": case_dask_local, "single": case_single, "cluster": case_cluster,
         "processes": case_processes}


def run(quick: bool = False) -> list[dict]:
    n_sat, hours = (2000, 6) if quick else (10_361, 24)
    dask_run = run_case("scale", "dask_local", n_sat=n_sat, hours=hours)
    single = run_case("scale", "single", n_sat=n_sat, hours=hours)
    n_small = 1000 if quick else 4000
    one = run_case("scale", "cluster", n_sat=n_small, hours=hours, workers=1)
    two = run_case("scale", "cluster", n_sat=n_small, hours=hours, workers=2)
    raw1 = run_case("scale", "processes", n_sat=n_small, hours=hours, workers=1)
    raw2 = run_case("scale", "processes", n_sat=n_small, hours=hours, workers=2)
    assert one["passes"] == two["passes"] == raw1["passes"] == raw2["passes"]
    assert dask_run["passes"] == single["passes"], (dask_run["passes"], single["passes"])
    what = f"all passes, {dask_run['satellites']} sats x {dask_run['stations']} stations, {hours} h, 10 s"
    rows = [
        {"work": f"{what}, Dask local processes", "orbitlink_s": dask_run["seconds"],
         "peer": "same, one process", "peer_s": single["seconds"],
         "ratio": single["seconds"] / dask_run["seconds"], "peak_mib": dask_run["peak_mib"]},
        {"work": f"passes, {n_small} sats x 200 stations, LocalCluster 2 workers", "orbitlink_s": two["seconds"],
         "peer": "LocalCluster 1 worker", "peer_s": one["seconds"],
         "ratio": one["seconds"] / two["seconds"], "peak_mib": two["peak_mib"]},
        {"work": "machine ceiling: same tasks, 2 plain processes (no Dask)", "orbitlink_s": raw2["seconds"],
         "peer": "1 plain process", "peer_s": raw1["seconds"],
         "ratio": raw1["seconds"] / raw2["seconds"], "peak_mib": raw2["peak_mib"]},
    ]
    run.details = {"passes": dask_run["passes"], "single_peak_mib": single["peak_mib"]}
    return rows


if __name__ == "__main__":
    if not case_main(CASES):
        rows = run(quick="--quick" in sys.argv)
        print_table(rows)
        print(f"passes: {run.details['passes']} (identical count in one process, "
              f"whose peak was {run.details['single_peak_mib']:.0f} MiB)")
        print("targets: whole snapshot under 120 s and 4 GiB; 2 workers close to 2x one worker "
              "(the 'machine ceiling' row is what two processes gain on this machine without Dask)")
