"""The ground-station examples run offline and print what they promise."""

from __future__ import annotations

import re
import runpy

import pytest

from .conftest import ROOT

EXAMPLES = ROOT / "examples"


def _run(name, capsys):
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


def test_sso_example(capsys):
    out = _run("choose_ground_stations_sso.py", capsys)
    assert re.search(r"\d+ passes over 51 candidate stations in 24 h", out)   # 11 AWS + 36 KSAT + 4 SpaceX
    gaps = [float(x) for x in re.findall(r"greedy is ([\d.]+) % from it", out)]
    assert len(gaps) == 2 and gaps[0] <= 100 / 2.718281828 and all(g >= 0 for g in gaps)
    assert "objective coverage:" in out and "objective gap:" in out


def test_shell_example(capsys):
    out = _run("choose_ground_stations_shell.py", capsys)
    assert re.search(r"\d+ passes of 1584 satellites over 198 gateway sites", out)
    picks = re.findall(r"^  \+ (\S+)", out, re.M)
    assert len(picks) == 10
    cov = [float(x) for x in re.findall(r"([\d.]+) % of satellite-time", out)]
    assert cov == sorted(cov) and 0 < cov[0] < cov[-1] < 100


@pytest.mark.parametrize("name", ["choose_ground_stations_sso.py", "choose_ground_stations_shell.py"])
def test_examples_are_short(name):
    assert len((EXAMPLES / name).read_text(encoding="utf-8").splitlines()) < 60
