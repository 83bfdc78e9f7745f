"""orbitlink.core.eclipse_kernels: crossings, pairing and dark time on functions with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from orbitlink.core.eclipse_kernels import Carry, Crossings, Intervals, crossings, dark_time, pair

ONE_MS = 1e-3


def _cosine(t, sat, depth):
    """A shadow function with roots where cos(2 pi t / 1000) = depth (negative inside)."""
    return np.cos(2 * np.pi * t / 1000.0) - depth[sat]


def test_crossings_are_refined_to_a_millisecond_and_alternate():
    depth = np.array([0.3, -0.5])
    t = np.arange(0.0, 3000.0 + 1, 60.0)
    g = _cosine(t[None, :], np.arange(2)[:, None], depth)
    found = crossings(g, t, None, np.full(2, 1e-9), lambda sat, tt: _cosine(tt, sat, depth), 0)
    for sat in (0, 1):
        mine = found.t_s[found.sat == sat]
        order = np.argsort(mine)
        phase = np.arccos(depth[sat]) / (2 * np.pi) * 1000.0
        exact = np.sort(np.r_[phase + 1000.0 * np.arange(3), 1000.0 - phase + 1000.0 * np.arange(3)])
        np.testing.assert_allclose(mine[order], exact, atol=ONE_MS)
        dirs = found.direction[found.sat == sat][order]
        assert list(dirs) == [1, -1] * 3        # entry, exit, entry ...
    assert not found.cut.any()


def test_grazing_passage_shorter_than_a_step_is_found():
    # A dip 10 s wide between samples 60 s apart: no sample is inside.
    t = np.arange(0.0, 600.0 + 1, 60.0)
    centre = 330.0

    def g_at(sat, tt):
        return (tt - centre) ** 2 / 25.0 - 1.0        # roots at centre +/- 5 s

    g = g_at(None, t)[None, :]
    assert (g > 0).all()
    found = crossings(g, t, None, np.array([1e9]), g_at, 0)
    np.testing.assert_allclose(np.sort(found.t_s), [centre - 5.0, centre + 5.0], atol=ONE_MS)
    assert sorted(found.direction.tolist()) == [-1, 1]
    # Not found when the margin says the function cannot dip that far below its samples.
    assert crossings(g, t, None, np.array([1e-3]), g_at, 0).sat.size == 0


def test_invalid_samples_give_cut_crossings_at_the_valid_sample():
    t = np.arange(0.0, 600.0 + 1, 60.0)
    g = np.full((1, t.size), -1.0)                   # inside throughout
    valid = np.ones((1, t.size), bool)
    valid[0, 4:6] = False
    found = crossings(g, t, valid, np.zeros(1), lambda sat, tt: np.full(tt.shape, -1.0), 0)
    assert found.cut.all()
    assert list(zip(found.t_s, found.direction)) == [(180.0, -1), (360.0, 1)]


def test_pair_closes_in_order_and_carries_the_open_entry():
    carry = Carry.empty(2, 1)
    carry.t_s[1], carry.values[0, 1] = -5.0, 42.0      # satellite 1 entered in an earlier chunk
    events = Crossings(np.array([0, 0, 1, 0]), np.array([10.0, 20.0, 3.0, 30.0]),
                       np.array([1, -1, -1, 1], np.int8), np.zeros(4, bool))
    paired = pair(2, events, carry)
    closed = paired.closed
    assert closed.sat.tolist() == [0, 1]
    assert closed.t0_s.tolist() == [10.0, -5.0] and closed.t1_s.tolist() == [20.0, 3.0]
    assert closed.from_carry.tolist() == [False, True] and closed.carried[0, 1] == 42.0
    assert paired.open_t_s[0] == 30.0 and np.isnan(paired.open_t_s[1])
    assert paired.still_open.sat.tolist() == [0] and not paired.still_open.from_carry[0]


def test_dark_time_integrates_across_samples():
    # nu(t) = t / 100 on [0, 100]: the dark time of [a, b] is (b - a) - (b^2 - a^2) / 200.
    t = np.arange(0.0, 101.0, 10.0)
    a, b = np.array([0.0, 15.0, 33.3]), np.array([100.0, 15.0, 71.9])
    dark = dark_time(lambda sat, tt: tt / 100.0, t, np.arange(3), a, b)
    np.testing.assert_allclose(dark, (b - a) - (b**2 - a**2) / 200.0, rtol=1e-12, atol=1e-12)
    assert dark_time(lambda sat, tt: tt, t, np.zeros(0, np.int64), np.zeros(0), np.zeros(0)).size == 0


def test_intervals_helpers():
    empty = Intervals.empty(dark=True)
    assert empty.sat.dtype == np.int64 and empty.dark_s.size == 0 and empty.umbra_s is None
    iv = Intervals(np.array([0]), np.array([1.0]), np.array([4.5]), np.array([False]), np.array([True]))
    assert iv.duration_s.tolist() == [3.5]
    assert Crossings.concat([]).sat.size == 0


@pytest.mark.parametrize("n_sat", [1, 3])
def test_carry_open_at(n_sat):
    carry = Carry.empty(n_sat)
    mask = np.zeros(n_sat, bool)
    mask[-1] = True
    carry.open_at(mask, 0.0)
    assert carry.open_sats().tolist() == [n_sat - 1] and carry.cut[-1]
