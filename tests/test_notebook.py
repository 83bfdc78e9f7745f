"""Notebook-facing surface (issue 18): reprs of a few lines and to_pandas() with pandas as an extra."""

from __future__ import annotations

import sys

import astropy.units as u
import numpy as np
import pytest

import orbitlink
from orbitlink import eclipse
from orbitlink.errors import MissingExtraError
from orbitlink.stations import load_catalog
from orbitlink.visibility import find_passes

from .conftest import EPHEMERIS

STARLINK = EPHEMERIS / "tle" / "starlink-sample.tle"


@pytest.fixture(scope="module")
def shell():
    return orbitlink.walker(1584, 72, 1, orbit="550km", epoch="2026-01-01T00:00:00Z")


@pytest.fixture(scope="module")
def passes():
    el = orbitlink.load_elements(STARLINK).select(range(40))
    return find_passes(el, load_catalog("aws-ground-station"), duration="12h", frequency="12GHz")


@pytest.fixture(scope="module")
def report():
    shell = orbitlink.walker(6, 3, 1, orbit="550km", epoch="2026-01-01T00:00:00Z")
    return eclipse.eclipses(shell, start="2026-01-01", duration="2d", detail=True)


def _short(text, *, lines=3, chars=400):
    assert text.count("\n") < lines and len(text) <= chars, text
    return text


def test_reprs_are_a_few_lines(shell, passes, report):
    r = _short(repr(shell))                                   # was 26 k characters
    assert r.startswith("OrbitSet(1584 satellites") and "(+1581)" in r and "550.0 km" in r
    track = orbitlink.as_track(shell.select(range(50)), duration="2h", step="60s")
    r = _short(repr(track))                                   # was 35 k characters
    assert "50 satellites x 121 steps of 60 s" in r and "arrays (3, 50, 121)" in r and "(+47)" in r
    gw = load_catalog("starlink-gateways")
    r = _short(repr(gw + gw + gw))
    assert r.count("starlink-gateways") == 1 and "594 stations" in r
    r = _short(repr(orbitlink.load_elements(STARLINK)))
    assert "200 satellites" in r and "STARLINK-1008" in r and "epochs 2025-01-" in r
    r = _short(repr(passes))
    assert f"{len(passes)} passes of 40 satellites over 11 stations" in r and "Doppler at 12 GHz" in r
    r = _short(repr(report))
    assert "6 satellites, conical shadow" in r and "illumination" in r and "(+3)" in r
    _short(repr(report.intervals))
    _short(repr(report.orbit_table))
    assert repr(passes.select(np.zeros(len(passes), bool))).endswith("Doppler at 12 GHz)")


def test_passes_to_pandas(passes):
    pd = pytest.importorskip("pandas")
    df = passes.to_pandas()
    assert isinstance(df, pd.DataFrame) and len(df) == len(passes)
    rows = passes.rows()
    for k in (0, len(df) // 2, len(df) - 1):
        for key, value in rows[k].items():
            got = df[key].iloc[k]
            if key in ("aos", "tca", "los"):
                assert got == pd.Timestamp(value)
            elif isinstance(value, float):
                assert got == pytest.approx(value, abs=10 ** -3)
            else:
                assert got == value
    assert str(df["aos"].dt.tz) == "UTC"


def test_eclipse_tables_to_pandas(report):
    pd = pytest.importorskip("pandas")
    iv = report.intervals.to_pandas()
    assert len(iv) == len(report.intervals) and set(iv["kind"]) == {"eclipse", "umbra", "penumbra"}
    np.testing.assert_allclose(iv["duration_s"], report.intervals.duration.to_value(u.s))
    assert (iv["end"] - iv["start"]).dt.total_seconds().sub(iv["duration_s"]).abs().max() < 2e-3
    per = report.to_pandas()
    assert list(per["satellite"]) == list(report.names)
    np.testing.assert_allclose(per[["sunlit_fraction", "penumbra_fraction", "umbra_fraction"]].sum(axis=1), 1.0,
                               atol=1e-12)
    orbits_df = report.orbit_table.to_pandas()
    assert len(orbits_df) == len(report.orbit_table) and isinstance(orbits_df, pd.DataFrame)


def test_to_pandas_without_pandas_names_the_extra(passes, report, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)        # import pandas -> ImportError
    for call in (passes.to_pandas, report.intervals.to_pandas, report.to_pandas, report.orbit_table.to_pandas):
        with pytest.raises(MissingExtraError, match=r'orbitlink\[pandas\]') as err:
            call()
        assert err.value.extra == "pandas"


def test_contact_statistics_repr_and_tables(passes):
    from orbitlink.errors import QuantityError
    from orbitlink.visibility import contact_statistics

    stats = contact_statistics(passes)
    _short(repr(stats))
    pd = pytest.importorskip("pandas")
    sat = stats.to_pandas()
    d = stats.to_dict()
    assert isinstance(sat, pd.DataFrame) and list(sat["satellite"]) == list(passes.satellites)
    for k, row in enumerate(d["satellites"]):
        assert sat["passes"].iloc[k] == row["passes"]
        assert sat["coverage_fraction"].iloc[k] == pytest.approx(row["coverage_fraction"], abs=1e-6)
    sta = stats.to_pandas(by="station")
    assert [int(x) for x in sta["passes"]] == [row["passes"] for row in d["stations"]]
    with pytest.raises(QuantityError, match="by"):
        stats.to_pandas(by="orbit")
