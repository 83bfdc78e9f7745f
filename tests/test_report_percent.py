"""Percentages and fractions near 100 %: a target or a result short of 100 % is never shown as
100 % (issue 19: ``--availability-target 99.999999%`` was printed as "100 %")."""

from __future__ import annotations

import json
import math

import pytest

from orbitlink.report import percent, rounded


@pytest.mark.parametrize("fraction, kwargs, text", [
    (0.99999999, {}, "99.999999"),               # 3 decimals would say 100.000
    (0.99999999, {"trim": True}, "99.999999"),
    (0.999, {"trim": True}, "99.9"),             # as {:g} gave before
    (0.5, {"trim": True}, "50"),
    (0.025, {}, "2.500"),                        # unchanged away from the edges
    (0.9999994, {}, "99.9999"),                 # the first decimals that differ from 100
    (1.0, {}, "100.000"),                        # exactly 100 % stays 100
    (0.0, {}, "0.000"),
    (1e-9, {}, "0.0000001"),                     # above 0 % is not shown as 0
    (math.nan, {}, "nan"),
    (None, {}, "nan"),
])
def test_percent(fraction, kwargs, text):
    assert percent(fraction, **kwargs) == text


@pytest.mark.parametrize("x, digits, expected", [
    (0.99999999, 6, 0.99999999),      # was 1.0: a perfect service that is not
    (0.9999996, 6, 0.9999996),
    (0.024997123, 6, 0.024997),       # unchanged away from 1
    (1.0, 6, 1.0),
    (0.123456789, 3, 0.123),
    (math.inf, 6, None),
    (None, 6, None),
])
def test_rounded_keeps_values_below_one_apart_from_one(x, digits, expected):
    assert rounded(x, digits) == expected


def test_latency_prints_the_target_with_its_digits(run_cli):
    args = ("latency", "--orbit", "550km", "--user", "London", "--start", "2025-01-01T00:00:00Z",
            "--duration", "2h", "--step", "60s", "--availability-target", "99.999999%")
    r = run_cli(*args)
    assert r.code == 0, r.err
    verdict = r.out.strip().splitlines()[-1]
    assert "the 99.999999 % target" in verdict, verdict
    assert "100 %" not in verdict
    data = json.loads(run_cli(*args, "--json").out)
    assert data["scenario"]["availability_target"] == 0.99999999
    assert "the 99.999999 % target" in data["inference"]["reasons"][0]
