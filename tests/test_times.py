"""Direct tests of orbitlink.times: parse_time, time_grid / TimeGrid, utc_times and iso_utc.

References: astropy Time (UTC, TAI and TT scales and its leap-second table) and
skyfield's own Timescale built from calendar UTC (``ts.utc``), which is a
separate code path from the two-part TT Julian dates the grid uses.  The leap
second at the end of 2016 (IERS Bulletin C 52: TAI-UTC from 36 s to 37 s after
2016-12-31T23:59:60) checks the UTC labels across a leap.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from astropy.time import Time, TimeDelta

from orbitlink.errors import QuantityError, TimeGridError
from orbitlink.times import (
    BYTES_PER_STEP,
    BYTES_PER_SATELLITE_STEP,
    MAX_TRACK_BYTES,
    TimeGrid,
    check_size,
    iso_utc,
    parse_time,
    time_grid,
    timescale,
    utc_times,
)

from .conftest import ONE_MILLISECOND

ONE_MICROSECOND = 1e-6


# --- parse_time ------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "2026-01-01T12:30:00Z", "2026-01-01T12:30:00", " 2026-01-01 12:30:00z ", "2026-01-01T12:30:00.000Z",
    dt.datetime(2026, 1, 1, 12, 30), Time("2026-01-01T12:30:00", scale="utc"),
    Time("2026-01-01T12:31:09.184", scale="tt"),  # the same instant on TT (TT - UTC = 69.184 s in 2026)
])
def test_parse_time_reads_every_form_as_the_same_utc_instant(value):
    t = parse_time(value)
    assert t.scale == "utc"
    ref = Time("2026-01-01T12:30:00", scale="utc")
    assert abs((t - ref).to_value("s")) < ONE_MICROSECOND


def test_parse_time_now():
    assert abs((parse_time("now") - Time.now()).to_value("s")) < 60.0


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "", 12345, None])
def test_parse_time_refuses_with_the_field_named(value):
    with pytest.raises(TimeGridError) as info:
        parse_time(value, "start")
    assert str(info.value).startswith("start:")


def test_parse_time_refuses_arrays():
    with pytest.raises(TimeGridError, match="^epoch: expected one time"):
        parse_time(Time(["2026-01-01", "2026-01-02"], scale="utc"), "epoch")


# --- time_grid and TimeGrid -------------------------------------------------------------------

@pytest.mark.parametrize("duration, step, n, last_s", [
    ("1h", "60s", 61, 3600.0),
    ("100s", "30s", 4, 90.0),           # the last sample is at or before start + duration
    ("1d", "0.1s", 864_001, 86400.0),   # 1 / 0.1 is not exact in binary; the end still counts
    ("10s", "10s", 2, 10.0),            # a step equal to the duration: both ends
])
def test_time_grid_samples(duration, step, n, last_s):
    g = time_grid("2026-01-01T00:00:00Z", duration, step)
    assert g.size == n and g.t_s.shape == (n,)
    assert g.t_s[0] == 0.0 and g.t_s[-1] == pytest.approx(last_s, abs=ONE_MICROSECOND)
    if n > 1:
        assert np.allclose(np.diff(g.t_s), g.step_s, rtol=0, atol=1e-9)
    assert g.step_s == (float(np.diff(g.t_s[:2])[0]) if n > 1 else 0.0)


@pytest.mark.parametrize("duration, step, field", [
    ("0s", "10s", "duration"), ("-1h", "10s", "duration"), ("1h", "0s", "step"), ("1h", "10", "step"),
    ("1h", "10km", "step"), ("one hour", "10s", "duration"),
])
def test_time_grid_refuses_bad_spans(duration, step, field):
    with pytest.raises(QuantityError) as info:
        time_grid("2026-01-01", duration, step)
    assert str(info.value).startswith(f"{field}:")


def test_time_grid_refuses_a_grid_that_does_not_fit_in_memory():
    per_step = 1000 * BYTES_PER_SATELLITE_STEP + BYTES_PER_STEP   # positions + rotations per step
    steps = MAX_TRACK_BYTES // per_step + 1
    check_size(1000, steps - 1)  # just fits
    with pytest.raises(TimeGridError, match="^duration/step: 1000 satellites"):
        check_size(1000, steps)
    with pytest.raises(TimeGridError, match="--step"):
        time_grid("2026-01-01", "365d", "1s", satellites=2000)


@pytest.mark.filterwarnings("ignore:ERFA function")  # 2050 is past the leap-second table ("dubious year")
def test_grid_skyfield_times_match_skyfields_own_utc_calendar():
    # The grid builds skyfield times from a two-part TT Julian date; skyfield's ts.utc
    # starts from the calendar instead.  Both must name the same TT instants.
    g = time_grid("2026-03-01T12:00:00Z", "30d", "7.5s")
    ref = timescale().utc(2026, 3, 1, 12, 0, g.t_s)
    assert np.max(np.abs(g.sf.tt - ref.tt)) * 86400.0 < ONE_MICROSECOND
    # The two-part date keeps sub-microsecond resolution over decades (one float JD would not: ~40 us).
    g2 = TimeGrid(parse_time("2050-06-01"), np.array([0.0, 1e-6, 2e-6]))
    assert np.allclose(np.diff((g2.sf.whole - g2.sf.whole[0]) + (g2.sf.tt_fraction - g2.sf.tt_fraction[0]))
                       * 86400.0, 1e-6, rtol=0, atol=1e-8)


def test_grid_is_uniform_in_tt_across_a_leap_second():
    g = time_grid("2016-12-31T23:59:00Z", "120s", "30s")
    tt = g.times.tt
    assert np.allclose(np.diff((tt - tt[0]).to_value("s")), 30.0, rtol=0, atol=ONE_MICROSECOND)
    # ... so the UTC labels step over 23:59:60: 30 s after 23:59:30 is the leap second itself.
    assert g.iso()[:4] == ["2016-12-31T23:59:00.000Z", "2016-12-31T23:59:30.000Z",
                           "2016-12-31T23:59:60.000Z", "2017-01-01T00:00:29.000Z"]


# --- utc_times and iso_utc ------------------------------------------------------------------

def test_utc_times_against_astropy_tai_arithmetic():
    start = parse_time("2016-12-31T23:58:00Z")
    seconds = np.array([0.0, 59.5, 120.0, 121.25, 3600.0])
    ref = (start.tai + TimeDelta(seconds, format="sec")).utc  # TAI and TT tick together
    got = utc_times(start, seconds)
    assert got.scale == "utc"
    assert np.all(np.abs((got - ref).to_value("s")) < ONE_MICROSECOND)


def test_iso_utc_matches_astropy_to_the_millisecond_label():
    # The fast numpy path must write exactly what astropy writes at millisecond precision.
    rng = np.random.default_rng(2026)
    seconds = rng.uniform(0.0, 20 * 86400.0, 3000)
    start = parse_time("2026-01-01T00:00:00Z")
    ref = utc_times(start, seconds)
    ref.precision = 3
    assert iso_utc(start, seconds) == [x + "Z" for x in ref.isot]


def test_iso_utc_against_skyfield():
    # skyfield's utc_iso is an independent formatter (it rounds a float day fraction, so
    # labels may differ in the last digit near a half millisecond: compare within 1 ms).
    rng = np.random.default_rng(7)
    seconds = np.sort(rng.uniform(0.0, 5 * 86400.0, 500))
    start = parse_time("2026-07-01T06:00:00Z")
    ours = Time([x[:-1] for x in iso_utc(start, seconds)], scale="utc")
    theirs = timescale().from_astropy(start) + seconds / 86400.0
    ref = Time([x[:-1] for x in theirs.utc_iso(places=3)], scale="utc")
    assert np.max(np.abs((ours - ref).to_value("s"))) <= ONE_MILLISECOND * 1.0001


@pytest.mark.parametrize("start", ["2016-12-31T23:59:00Z", "2016-12-31T12:00:00Z"])
def test_iso_utc_writes_the_leap_second(start):
    # The leap second of 2016-12-31 lies inside the span; every label after it is
    # one UTC second earlier than a count that ignores it.
    t0 = parse_time(start)
    to_leap = (Time("2017-01-01T00:00:00", scale="utc").tai - t0.tai).to_value("s") - 1.0
    seconds = to_leap + np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    labels = iso_utc(t0, seconds)
    assert labels == ["2016-12-31T23:59:59.000Z", "2016-12-31T23:59:60.000Z", "2016-12-31T23:59:60.500Z",
                      "2017-01-01T00:00:00.000Z", "2017-01-01T00:00:01.000Z"]
    # skyfield names the same instant the same way.
    assert (timescale().from_astropy(t0) + seconds[1] / 86400.0).utc_iso(places=3) == labels[1]


def test_iso_utc_keeps_the_order_and_handles_empty_input():
    start = parse_time("2026-01-01")
    assert iso_utc(start, []) == []
    assert iso_utc(start, [5.0, 0.0, 2.5]) == ["2026-01-01T00:00:05.000Z", "2026-01-01T00:00:00.000Z",
                                               "2026-01-01T00:00:02.500Z"]
    assert iso_utc(start, 1.5) == ["2026-01-01T00:00:01.500Z"]
    assert time_grid(start, "2s", "1s").iso() == ["2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z",
                                                  "2026-01-01T00:00:02.000Z"]


@pytest.mark.parametrize("duration, step", [("1s", "10s"), ("1h", "2h"), ("59min", "1h")])
def test_step_longer_than_duration_is_refused(duration, step):
    # issue 19: a --step longer than --duration gave a one-sample grid; every command now refuses it.
    with pytest.raises(TimeGridError, match="^step: .* longer than the duration"):
        time_grid("2026-01-01", duration, step)


@pytest.mark.parametrize("satellites", [-1, 0, 1.5, True, "3"])
def test_time_grid_satellites_must_be_a_count(satellites):
    with pytest.raises(TimeGridError, match="^satellites:"):
        time_grid("2026-01-01", "1h", "60s", satellites=satellites)


def test_size_check_counts_the_per_step_rotation_matrices():
    # 1000 d at 1 s for one satellite: 7.7 GiB of positions passed the old check, but the
    # two (3, 3, T) rotation arrays and their intermediates add ~31 GiB (issue 19).
    with pytest.raises(TimeGridError, match="Earth-rotation matrices"):
        time_grid("2026-01-01", "1000d", "1s", satellites=1)


def test_bulk_iso_labels_equal_numpys():
    """iso_utc's fast formatter (one ASCII array) writes exactly what numpy's datetime_as_string
    writes plus "Z": across midnight, before 1970, at the ends of year 9999, and on its fallback
    path for spans of more than 100,000 days."""
    import numpy as np

    from orbitlink.times import _iso_ms_z

    def numpy_labels(t_ms):
        return [x + "Z" for x in np.datetime_as_string(t_ms.astype("datetime64[ms]"), unit="ms").tolist()]

    rng = np.random.default_rng(18)
    day = 86_400_000
    one_year = rng.integers(1_780_000_000_000, 1_780_000_000_000 + 366 * day, 20_000)
    edges = np.array([0, -1, day - 1, day, -day, 253_402_300_799_999, -62_135_596_800_000])  # 0001-01-01
    before_1970 = rng.integers(-40 * 365 * day, 0, 5_000)
    wide = rng.integers(-62_135_596_800_000, 253_402_300_799_999, 5_000)                     # > 100,000 days
    for t_ms in (one_year, edges, before_1970, wide, np.concatenate([one_year, edges])):
        assert _iso_ms_z(t_ms) == numpy_labels(t_ms)
