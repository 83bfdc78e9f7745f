"""Earth-rotation matrices: the interpolated fast path against skyfield's exact per-step ones."""

from __future__ import annotations

import numpy as np
import pytest

from orbitlink import times
from orbitlink.earth import gcrs_to_itrs, teme_to_gcrs


@pytest.mark.parametrize("start,duration,step", [
    ("2025-03-01T00:00:00Z", "24h", "10s"),
    ("2026-06-30T12:00:00Z", "3d", "60s"),
])
def test_interpolated_rotation_within_a_nanoradian(start, duration, step):
    grid = times.time_grid(start, duration, step)
    R_fast, W_fast = gcrs_to_itrs(grid)
    R, W = gcrs_to_itrs(grid, exact=True)
    assert np.max(np.abs(R_fast - R)) < 1e-9   # 7 mm at LEO radius
    assert np.max(np.abs(W_fast - W)) < 1e-15


@pytest.mark.parametrize("start,duration,step", [
    ("2025-03-01T00:00:00Z", "24h", "10s"),
    ("2026-06-30T12:00:00Z", "10d", "60s"),    # spans a 5.6-day nutation period
])
def test_interpolated_teme_rotation_within_ten_picoradians(start, duration, step):
    # Reference: skyfield's TEME.rotation_at (IAU 2000A) at every step.
    grid = times.time_grid(start, duration, step)
    assert np.max(np.abs(teme_to_gcrs(grid) - teme_to_gcrs(grid, exact=True))) < 1e-11  # 70 um at LEO


def test_short_and_uneven_grids_are_exact():
    grid = times.time_grid("2026-01-01", "10min", "10s")
    assert np.array_equal(gcrs_to_itrs(grid)[0], gcrs_to_itrs(grid, exact=True)[0])
    assert np.array_equal(teme_to_gcrs(grid), teme_to_gcrs(grid, exact=True))
    uneven = times.TimeGrid(grid.start, np.r_[0.0, np.cumsum(np.linspace(1, 50, 500))])
    assert np.array_equal(gcrs_to_itrs(uneven)[0], gcrs_to_itrs(uneven, exact=True)[0])
    assert np.array_equal(teme_to_gcrs(uneven), teme_to_gcrs(uneven, exact=True))


@pytest.mark.parametrize("start,span_s", [
    ("2026-01-01T00:00:00", 86_400.0),
    ("2016-12-31T12:00:00", 86_400.0),   # spans the leap second of 2016-12-31
    ("2030-06-01T00:00:00.0004", 3_600.0),
])
def test_fast_iso_labels_equal_astropy(start, span_s):
    from astropy.time import Time, TimeDelta

    rng = np.random.default_rng(5)
    t0 = Time(start, scale="utc")
    seconds = np.sort(rng.uniform(0.0, span_s, 2000))
    expected = (t0.tt + TimeDelta(seconds, format="sec")).utc
    expected.precision = 3
    assert times.iso_utc(t0, seconds) == [x + "Z" for x in expected.isot]
