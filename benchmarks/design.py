"""Design search: 60 candidates x 1 day at 30 s x the 100 largest cities (issue 17).

The space: orbits 550 km and 1,200 km at 53 and 70 deg and sso:650km:18:00 (5 shells) x
60, 120, 240 satellites x ISL none, grid x relay none, geo = 60 candidates, users the 100
largest cities over fibre to the Starlink gateways, grid only (``--no-refine --verify none``,
so exactly 60 are evaluated).  Runs as a user runs it: ``orbitlink design ... --dask local``
(and once in one process), wall time and the peak PSS of the whole process tree
(:func:`benchmarks.memory.measure`).

Peer: the same sweep as separate invocations, one ``orbitlink latency`` and one
``orbitlink datacenter --no-link`` per candidate (what a user scripts today).  A few are
measured and the per-candidate time extrapolated to the whole sweep.

Target (issue 17): under 3 minutes and under 3 GiB peak on 2 cores.

Run: ``python -m benchmarks.design [--quick]`` (quick: 12 candidates, 2 h at 30 s).
"""

from __future__ import annotations

import os
import sys

from benchmarks.memory import ROOT, measure, orbitlink_cli

START = "2026-01-01T00:00:00Z"
TARGET_S, TARGET_GIB = 180.0, 3.0


def space(quick: bool) -> list[str]:
    if quick:
        return ["--orbit", "550km,sso:650km:18:00", "--inclination", "53deg", "--satellites", "60,120,240",
                "--isl", "none,grid", "--duration", "2h"]
    return ["--orbit", "550km,1200km,sso:650km:18:00", "--inclination", "53deg,70deg", "--satellites",
            "60,120,240", "--isl", "none,grid", "--relay", "none,geo", "--duration", "1d"]


def _peer_pairs(quick: bool) -> list[tuple[str, str, str, list]]:
    """(orbit, inclination or None, walker, extra latency options) of the sampled candidates:
    small, middle and large shells, and (full run) half of them with the GEO relay, as in the
    sweep (a GEO-relay candidate costs ~10x the others to route)."""
    if quick:
        return [("550km", "53deg", "60/6/2", []), ("sso:650km:18:00", None, "240/15/1", ["--isl", "grid"])]
    return [("550km", "53deg", "60/6/2", []), ("1200km", "70deg", "120/10/4", ["--relay", "geo"]),
            ("sso:650km:18:00", None, "240/15/1", ["--isl", "grid"]), ("550km", "70deg", "240/15/1", ["--relay", "geo"])]


def run(quick: bool = False) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = ["design", *space(quick), "--users", "cities", "--start", START, "--step", "30s", "--no-refine",
            "--verify", "none", "--json"]
    n = 12 if quick else 60
    rows = []
    runs = {}
    for label, extra in (("Dask local", ["--dask", "local"]), ("one process", [])):
        result = measure(orbitlink_cli(*args, *extra), env=env)
        if result["exit"] != 0:
            raise RuntimeError(f"design ({label}) failed: {result['stderr']}")
        runs[label] = result
    # The peer: separate latency + datacenter invocations, sampled and extrapolated.
    duration = "2h" if quick else "1d"
    spent = 0.0
    pairs = _peer_pairs(quick)
    for orbit, inc, walker, extra in pairs:
        shell = ["--orbit", orbit, "--walker", walker, "--start", START] + (["--inclination", inc] if inc else [])
        lat = measure(orbitlink_cli("latency", *shell, *extra, "--users", "cities", "--duration", duration,
                                    "--step", "30s", "--json"), env=env)
        dc = measure(orbitlink_cli("datacenter", *shell, "--no-link", "--json"), env=env)
        for r in (lat, dc):
            if r["exit"] != 0:
                raise RuntimeError(f"peer run failed: {r['stderr']}")
        spent += lat["wall_s"] + dc["wall_s"]
    peer_s = spent / len(pairs) * n
    span = "2 h" if quick else "1 day"
    for label, result in runs.items():
        wall = result["wall_s"]
        rows.append({"work": f"design: {n} candidates x {span} at 30 s x 100 cities, {label} "
                             f"({n / wall * 60:.1f} candidates/min; target {TARGET_S:g} s, {TARGET_GIB:g} GiB)",
                     "orbitlink_s": wall, "peer": f"{n} x (latency + datacenter) CLI runs, "
                                                 f"{len(pairs)} measured, extrapolated "
                                                 f"({n / peer_s * 60:.1f} candidates/min)",
                     "peer_s": round(peer_s, 1), "ratio": peer_s / max(wall, 1e-9),
                     "peak_mib": result["peak_pss_mib"],
                     "within_target": wall < TARGET_S and result["peak_pss_mib"] < TARGET_GIB * 1024})
    return rows


def main(argv: list[str]) -> int:
    for r in run(quick="--quick" in argv):
        print(f"{r['work']}\n  orbitlink {r['orbitlink_s']:.1f} s, peak PSS {r['peak_mib']:.0f} MiB; "
              f"peer {r['peer_s']:.1f} s ({r['peer']}); ratio {r['ratio']:.1f}; within target: {r['within_target']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
