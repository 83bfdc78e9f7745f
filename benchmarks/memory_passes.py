"""Peak memory of the ``passes`` command on a real catalog: PSS of the whole process tree.

Issue 19 measured 6.05 GiB / 83 s for 10,361 Starlink TLEs x 198 gateways x 1 day with
``passes --csv`` (the whole track and every search temporary held at once).  The command
now propagates and searches 1,024 satellites at a time, trims the C heap after each chunk and
merges the tables column by column (``cli/visibility_common.passes_in_chunks``); CSV, JSON and Parquet
are written in blocks of 50,000 passes (``orbitlink/export/tables.py``).  Target for the CSV
case: under 2 GiB and 45 s.  Round 3 (2026-12-06, 2-vCPU VM): shared by five agents (load
average 0.8-1.6), CSV 1,212 MiB / 50.4 s, JSON 1,220 MiB / 52.0 s, Parquet 1,286 MiB / 49.8 s;
quiet, after bulk time formatting and threaded pass geometry, CSV 1,368 MiB / 42.6 s, JSON
1,354 MiB / 46.3 s, Parquet 1,421 MiB / 41.4 s.  Reuses :func:`benchmarks.memory.measure`.

    python -m benchmarks.memory_passes [--quick] [--only=csv|json|parquet]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks.memory import ROOT, measure, orbitlink_cli

CATALOG = ROOT.parent / "shared" / "data" / "tle" / "starlink-2026-05.tle"
RUN = ["passes", "--tle", str(CATALOG), "--stations", "starlink-gateways"]

# (name, output options (FILE is replaced by a path in a temporary folder), target (GiB, s) or None).
# The JSON is streamed block by block (export/tables.py) to stdout, which measure() sends to
# /dev/null; Parquet needs orbitlink[parquet] and is skipped without pyarrow.
CASES = [
    ("10,361 TLEs x 198 gateways x 1 day, passes --csv", ["--csv", "FILE.csv"], (2.0, 45.0)),
    ("10,361 TLEs x 198 gateways x 1 day, passes --json", ["--json"], None),
    ("10,361 TLEs x 198 gateways x 1 day, passes --parquet", ["--parquet", "FILE.parquet"], None),
]


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401 (only whether it imports)
    except ImportError:
        return False
    return True


def run(quick: bool = False, only: str | None = None) -> list[dict]:
    if not CATALOG.exists():
        return []
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, output, target in CASES:
            if only is not None and only not in name:
                continue
            if "--parquet" in output and not _has_pyarrow():
                continue
            out = [str(Path(tmp) / x.replace("FILE", "passes")) if x.startswith("FILE") else x for x in output]
            args = [*RUN, "--duration", "2h" if quick else "24h", *out]
            result = measure(orbitlink_cli(*args), env=env)
            if result["exit"] != 0:
                raise RuntimeError(f"{name} failed: {result['stderr']}")
            gib, seconds = target if target is not None else (None, None)
            rows.append({"work": f"CLI {name}{' (2 h)' if quick else ''}"
                                 + (f" (PSS target {gib:g} GiB)" if gib else ""),
                         "orbitlink_s": result["wall_s"], "peer": "target" if seconds else "",
                         "peer_s": seconds, "ratio": seconds / max(result["wall_s"], 1e-9) if seconds else None,
                         "peak_mib": result["peak_pss_mib"],
                         "within_memory_target": result["peak_pss_mib"] < gib * 1024 if gib else None})
    return rows


def main(argv: list[str]) -> int:
    only = next((a.split("=", 1)[1] for a in argv if a.startswith("--only=")), None)
    for r in run(quick="--quick" in argv, only=only):
        target = f"  (target {r['peer_s']:g} s)" if r["peer_s"] else ""
        print(f"{r['work']:86} {r['orbitlink_s']:7.1f}s {r['peak_mib']:8.0f}MiB{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
