"""docs/claims.md is regenerated from orbitlink commands and must be up to date; the examples run."""

from __future__ import annotations

import runpy
import sys

from .conftest import ROOT


def _load(name):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        return runpy.run_path(str(ROOT / "examples" / f"{name}.py"), run_name=f"example_{name}")
    finally:
        sys.path.remove(str(ROOT / "examples"))


def test_claims_page_is_up_to_date_and_verdicts_hold(capsys):
    # build() asserts each verdict against the numbers it just computed; --check compares the page.
    claims = _load("claims")
    code = claims["main"](["--check"])
    out = capsys.readouterr()
    assert code == 0, out.out[-4000:] + out.err


def test_claims_page_has_the_six_claims():
    text = (ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
    for k in range(1, 7):
        assert f"\n## {k}. " in text
    assert text.count("**Verdict:") == 6


def test_sig_figures():
    sig = _load("claims")["sig"]
    assert sig(51764705.88) == "51,800,000"
    assert sig(7.589) == "7.59"
    assert sig(0.959936) == "0.960"
    assert sig(1209.9) == "1,210"


def test_datacenter_example_runs(capsys):
    runpy.run_path(str(ROOT / "examples" / "datacenter_feasibility.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "sunlit fraction" in out and "radiator at  60C" in out
