"""Fault cases: satellites decaying mid-run, full disks, unwritable paths, Ctrl-C."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import EPHEMERIS, ROOT, assert_cli_error

# 28872 of Vallado's SGP4-VER.TLE decays about an hour after its epoch (SGP4 error 6);
# the ISS beside it must be unaffected.
DECAYING = (
    "DECAYING 28872\n"
    "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534\n"
    "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708\n"
)


def test_satellite_decaying_mid_run_is_masked(run_cli, tmp_path):
    path = tmp_path / "decay.tle"
    path.write_text(DECAYING + (EPHEMERIS / "tle" / "iss-skyfield-doc.tle").read_text())
    r = run_cli("track", "--tle", str(path), "--start", "2005-11-29T00:30:00Z",
                "--duration", "3h", "--step", "60s", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    rows = {row["satellite"]: row for row in d["per_satellite"]}
    assert 0.0 < rows["DECAYING 28872"]["valid_fraction"] < 1.0
    assert rows["ISS (ZARYA)"]["valid_fraction"] == 1.0
    assert "DECAYING 28872: SGP4 error" in r.err and "masked" in r.err


def test_disk_full_leaves_no_partial_file(run_cli, tmp_path, monkeypatch):
    import orbitlink.cli.track as track_cli

    def full(f, *args):
        f.write("time,satellite\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(track_cli, "write_csv", full)
    out = tmp_path / "track.csv"
    r = run_cli("track", "--orbit", "550km", "--duration", "1h", "--csv", str(out))
    assert_cli_error(r, "output", "No space left")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_location(run_cli):
    assert_cli_error(run_cli("track", "--orbit", "550km", "--duration", "1h",
                             "--geojson", "/proc/orbitlink-track.json"), "output", "cannot write")


@pytest.mark.parametrize("args", [
    ["--walker", "1584/72/1", "--duration", "24h", "--step", "10s"],
    ["--tle", str(EPHEMERIS / "tle" / "starlink-sample.tle"), "--duration", "30d", "--step", "10s"],
], ids=["analytic", "sgp4-workers"])
def test_ctrl_c_exits_cleanly(args, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "orbitlink", "track", *args, "--csv",
                             str(tmp_path / "out.csv")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                            start_new_session=True)
    time.sleep(3.0)
    os.killpg(proc.pid, signal.SIGINT)  # the whole group, as a terminal's Ctrl-C does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "orbitlink: interrupted" in err
    assert list(tmp_path.iterdir()) == []  # no partial output
