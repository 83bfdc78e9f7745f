"""Every script in examples/ runs offline, as a user would run it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from .conftest import OFFLINE_GUARD, ROOT

# Examples whose own test file runs them (with checks on their output).
COVERED_ELSEWHERE = {"choose_ground_stations_sso.py", "choose_ground_stations_shell.py", "claims.py"}
NEEDS = {"design_sweep_dask.py": "distributed"}
SCRIPTS = sorted(p.name for p in (ROOT / "examples").glob("*.py") if p.name not in COVERED_ELSEWHERE)


@pytest.mark.parametrize("name", SCRIPTS)
def test_example_runs(name, tmp_path):
    needed = NEEDS.get(name)
    if needed and importlib.util.find_spec(needed) is None:
        pytest.skip(f"needs {needed}")
    lines = (ROOT / "examples" / name).read_text().splitlines()
    assert len(lines) <= 60, f"{name} has {len(lines)} lines (examples stay under 60)"
    # Run as a user would, with the network blocked inside the example's process.
    runner = OFFLINE_GUARD + f"import runpy; runpy.run_path({str(ROOT / 'examples' / name)!r}, run_name='__main__')"
    r = subprocess.run([sys.executable, "-c", runner], cwd=tmp_path,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip(), "an example should print its result"
    assert "Traceback" not in r.stderr
