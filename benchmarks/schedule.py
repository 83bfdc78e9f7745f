"""Contact plans: 1,584 satellites x 50 gateways x 1 day scheduled on the gateways' antennas (issue 20).

The shell is the Walker 1584/72/1 at 550 km, 53 deg (analytic J2 propagation,
60 s states, passes searched every 10 s); the stations every fourth of the 198
Starlink gateway sites (50 sites) with their own 25 deg minimum elevation:
about 238,000 passes in a day.  Propagation and the pass search are not timed:
the case times :func:`orbitlink.schedule.plan_passes` (the vectorized greedy,
``contact`` objective) for 1 and 4 antennas per station, on one core.

The second case measures the heuristic against the MILP optimum
(``scipy.optimize.milp``) on an instance the MILP solves in well under a
minute: 200 satellites of the same shell over six West-African and Japanese
gateways for 12 hours, 2 antennas each, ``volume`` objective (Ka band, 10 dBW,
30 dBi, 31 dB/K).

The third runs the whole command (``orbitlink schedule ... --json``) in a
fresh process and reports its peak PSS (benchmarks/memory.py).

Targets: scheduling under 10 s on one core and the whole job under 2 GiB.
Run: ``python -m benchmarks.schedule [--quick]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from benchmarks._harness import case_main, print_table, run_case

START = "2026-01-01T00:00:00Z"
STATION_STRIDE = 4
TARGET_S = 10.0
TARGET_GIB = 2.0


def _scene(n_sat: int, hours: int):
    from orbitlink import orbits, propagators
    from orbitlink.stations import load_catalog
    from orbitlink.visibility import find_passes

    src = orbits.walker(n_sat, 72 if n_sat % 72 == 0 else 1, 1, "550km", "53deg", epoch=START)
    st = load_catalog("starlink-gateways").select(list(range(0, 198, STATION_STRIDE)))
    tr = propagators.propagate(src, start=START, duration=f"{hours}h", step="60s")
    return find_passes(tr, st, scan_step="10s")


def case_plan(n_sat=1584, hours=24):
    import os as _os

    _os.environ.setdefault("OMP_NUM_THREADS", "1")
    from orbitlink.schedule import plan_passes

    passes = _scene(n_sat, hours)
    out = {"passes": len(passes)}
    for n in (1, 4):
        t0 = time.perf_counter()
        plan = plan_passes(passes, objective="contact", antennas=n)
        out[f"seconds_{n}"] = time.perf_counter() - t0
        out[f"contacts_{n}"] = len(plan)
        out[f"contact_h_{n}"] = plan.contact_s / 3600.0
    out["pass_h"] = float(passes.duration_s.sum()) / 3600.0
    return out


def case_gap(n_sat=200, hours=12):
    from orbitlink import orbits, propagators
    from orbitlink.link.budget import link_parameters
    from orbitlink.link.volume import data_volume
    from orbitlink.schedule import plan_passes
    from orbitlink.stations import load_catalog

    gw = load_catalog("starlink-gateways")
    st = gw.select(["Ikire", "Lekki"]) + gw.select(list(range(2, 6)))
    src = orbits.walker(n_sat, 20, 1, "550km", "53deg", epoch=START)
    tr = propagators.propagate(src, start=START, duration=f"{hours}h", step="60s")
    p = link_parameters(band="Ka", tx_power="10dBW", tx_gain="30dBi", g_over_t="31dB/K")
    v = data_volume(tr, st, p)
    t0 = time.perf_counter()
    heur = plan_passes(v.passes, objective="volume", volume_bits=v.pass_volume_bits, antennas=2)
    heur_s = time.perf_counter() - t0
    cmp_ = plan_passes(v.passes, objective="volume", volume_bits=v.pass_volume_bits, antennas=2,
                       compare_exact=True)
    return {"passes": len(v.passes), "heuristic_s": heur_s, "milp_s": cmp_.solve_s,
            "gap": cmp_.optimality_gap, "stations": len(st), "satellites": n_sat}


CASES = {"plan": case_plan, "gap": case_gap}


def _cli_peak(n_sat: int, hours: int) -> dict:
    from benchmarks.memory import measure, orbitlink_cli
    from orbitlink.stations import load_catalog

    st = load_catalog("starlink-gateways").select(list(range(0, 198, STATION_STRIDE)))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "gateways50.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(st.to_csv())
        return measure(orbitlink_cli("schedule", "--walker", f"{n_sat}/{72 if n_sat % 72 == 0 else 1}/1",
                                     "--start", START, "--duration", f"{hours}h", "--stations", path,
                                     "--antennas", "4", "--json"))


def run(quick: bool = False) -> list[dict]:
    n_sat, hours = (360, 6) if quick else (1584, 24)
    plan = run_case("schedule", "plan", n_sat=n_sat, hours=hours)
    gap = run_case("schedule", "gap", n_sat=100 if quick else 200, hours=6 if quick else 12)
    cli = _cli_peak(n_sat, hours)
    if cli["exit"] != 0:
        raise RuntimeError(f"orbitlink schedule failed: {cli['stderr']}")
    work = f"{n_sat} sats x 50 gateways x {hours} h ({plan['passes']} passes)"
    return [
        {"work": f"contact plan, 1 antenna: {work}", "orbitlink_s": plan["seconds_1"], "peer": "target",
         "peer_s": TARGET_S, "ratio": TARGET_S / plan["seconds_1"], "peak_mib": plan["peak_mib"]},
        {"work": f"contact plan, 4 antennas: {work}", "orbitlink_s": plan["seconds_4"], "peer": "target",
         "peer_s": TARGET_S, "ratio": TARGET_S / plan["seconds_4"], "peak_mib": plan["peak_mib"]},
        {"work": f"heuristic {100 * gap['gap']:.2f} % below MILP: {gap['satellites']} sats x "
                 f"{gap['stations']} st, {gap['passes']} passes",
         "orbitlink_s": gap["heuristic_s"], "peer": "scipy milp (HiGHS) optimum", "peer_s": gap["milp_s"],
         "ratio": gap["milp_s"] / gap["heuristic_s"], "peak_mib": gap["peak_mib"]},
        {"work": f"orbitlink schedule --json, whole job (peak PSS): {work}", "orbitlink_s": cli["wall_s"],
         "peer": "target (2 GiB)", "peer_s": TARGET_S, "ratio": TARGET_S / cli["wall_s"],
         "peak_mib": cli["peak_pss_mib"]},
    ]


if __name__ == "__main__":
    if not case_main(CASES):
        rows = run(quick="--quick" in sys.argv)
        print_table(rows)
        print(f"targets: scheduling under {TARGET_S:g} s on one core, the whole job under {TARGET_GIB:g} GiB")
