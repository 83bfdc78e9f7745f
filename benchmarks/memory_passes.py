"""Peak memory of the ``passes`` command on a real catalog: PSS of the whole process tree.

Issue 19 measured 6.05 GiB / 83 s for 10,361 Starlink TLEs x 198 gateways x 1 day with
``passes --csv`` (the whole track and every search temporary held at once).  The command
now propagates and searches 1,024 satellites at a time and merges the tables
(``cli/visibility_common.passes_in_chunks``); the CSV is written in 200,000-row slices.
Target: under 2 GiB and 45 s.  Reuses :func:`benchmarks.memory.measure`.

    python -m benchmarks.memory_passes [--quick]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks.memory import ROOT, measure, orbitlink_cli

CATALOG = ROOT.parent / "shared" / "data" / "tle" / "starlink-2026-05.tle"

# (name, arguments (the output path is appended), quick arguments, target (GiB, s))
CASES = [
    ("10,361 TLEs x 198 gateways x 1 day, passes --csv",
     ["passes", "--tle", str(CATALOG), "--stations", "starlink-gateways", "--duration", "24h"],
     ["passes", "--tle", str(CATALOG), "--stations", "starlink-gateways", "--duration", "2h"],
     (2.0, 45.0)),
]


def run(quick: bool = False) -> list[dict]:
    if not CATALOG.exists():
        return []
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, full, small, (gib, seconds) in CASES:
            args = [*(small if quick else full), "--csv", str(Path(tmp) / "passes.csv")]
            result = measure(orbitlink_cli(*args), env=env)
            if result["exit"] != 0:
                raise RuntimeError(f"{name} failed: {result['stderr']}")
            rows.append({"work": f"CLI {name}{' (2 h)' if quick else ''} (PSS target {gib:g} GiB)",
                         "orbitlink_s": result["wall_s"], "peer": "target", "peer_s": seconds,
                         "ratio": seconds / max(result["wall_s"], 1e-9), "peak_mib": result["peak_pss_mib"],
                         "within_memory_target": result["peak_pss_mib"] < gib * 1024})
    return rows


def main(argv: list[str]) -> int:
    for r in run(quick="--quick" in argv):
        print(f"{r['work']:86} {r['orbitlink_s']:7.1f}s {r['peak_mib']:8.0f}MiB  (target {r['peer_s']:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
