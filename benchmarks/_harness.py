"""Shared benchmark plumbing: run one case in a fresh process, report time and peak memory.

Each case runs in its own interpreter so its peak resident memory is its own
(``ru_maxrss``), imports and one-time set-up are excluded from the timed part
by the case itself, and nothing cached by an earlier case helps a later one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_TLE = ROOT.parent / "shared" / "data" / "tle"


def run_case(module: str, case: str, **params) -> dict:
    """Run ``python -m benchmarks.MODULE --case CASE`` and return its JSON result."""
    cmd = [sys.executable, "-m", f"benchmarks.{module}", "--case", case, "--params", json.dumps(params)]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{module} {case} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def case_main(cases: dict) -> bool:
    """In a case process: run the named case and print one JSON line. Returns False if not a case run."""
    if "--case" not in sys.argv:
        return False
    import resource

    name = sys.argv[sys.argv.index("--case") + 1]
    params = json.loads(sys.argv[sys.argv.index("--params") + 1]) if "--params" in sys.argv else {}
    result = cases[name](**params)
    # Linux reports ru_maxrss in KiB; include forked workers (children) too.
    peak_kib = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    result["peak_mib"] = round(peak_kib / 1024.0, 1)
    print(json.dumps(result))
    return True


def starlink_tle_path() -> Path:
    """The real 2025-01 Starlink snapshot when ../shared is beside the repo, else the bundled sample."""
    full = SHARED_TLE / "starlink-2025-01.tle"
    return full if full.exists() else ROOT / "ephemeris" / "tle" / "starlink-sample.tle"


def print_table(rows: list[dict]) -> None:
    header = f"{'work':58} {'orbitlink':>10} {'peer':>30} {'peer time':>10} {'ratio':>8} {'peak':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['work']:58} {r['orbitlink_s']:9.2f}s {r['peer']:>30} {r['peer_s']:9.2f}s "
              f"{r['ratio']:7.1f}x {r['peak_mib']:7.0f}MiB")
