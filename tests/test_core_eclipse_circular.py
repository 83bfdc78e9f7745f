"""orbitlink.core.eclipse_circular: the closed-form source against the textbook eclipse fraction.

With the Sun fixed far along +x and an equatorial orbit (beta = 0), every eclipse of the
cylindrical model lasts ``acos(sqrt(h^2 + 2 R h) / (R + h)) / pi`` of the period (the
closed form of core.shadow.eclipse_fraction_circular); the conical umbra is shorter and the
penumbra longer, their dark time in between.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitlink.constants import AU_M, MU_EARTH_M3_S2, R_EARTH_M
from orbitlink.core import shadow
from orbitlink.core.eclipse_circular import CircularOrbits, table_pad_s

ALT_M = 550e3


def _source(model, days=1.0, step_s=60.0):
    a = np.array([R_EARTH_M + ALT_M])
    n = np.sqrt(MU_EARTH_M3_S2 / a**3)
    t_s = np.arange(0.0, days * 86400.0 + step_s / 2, step_s)

    def sun(tt):
        tt = np.asarray(tt, dtype=float)
        return np.stack([np.full(tt.shape, AU_M), np.zeros(tt.shape), np.zeros(tt.shape)])

    return CircularOrbits(("sat",), a, np.zeros(1), np.zeros(1), n, np.zeros(1), np.zeros(1), t_s=t_s,
                          step_s=step_s, sun_gcrs_m=sun, sun_span_s=(-1e9, 1e9), model=model)


def test_cylindrical_eclipses_match_the_closed_form():
    src = _source("cylindrical")
    chunk = src.chunk(0, src.t_s.size - 1, 0)
    ecl = chunk.intervals.eclipse
    full = ~(ecl.cut_start | ecl.cut_end)
    assert full.sum() >= 14
    expected = float(shadow.eclipse_fraction_circular(ALT_M, 0.0)) * src.period_s[0]
    np.testing.assert_allclose(ecl.duration_s[full], expected, atol=1e-6)
    np.testing.assert_allclose(ecl.dark_s, ecl.duration_s)          # no penumbra: all dark
    assert chunk.intervals.penumbra.sat.size == 0
    np.testing.assert_allclose(chunk.beta_rad, 0.0, atol=1e-12)


def test_conical_umbra_and_penumbra_bracket_the_cylinder():
    cyl = _source("cylindrical").chunk(0, 1440, 0).intervals.eclipse
    con = _source("conical").chunk(0, 1440, 0).intervals
    full = ~(con.eclipse.cut_start | con.eclipse.cut_end)
    umbra = con.umbra.duration_s[~(con.umbra.cut_start | con.umbra.cut_end)]
    cyl_s = cyl.duration_s[~(cyl.cut_start | cyl.cut_end)][0]
    assert np.all(umbra < cyl_s) and np.all(con.eclipse.duration_s[full] > cyl_s)
    # Penumbra about 8-9 s each side in LEO; the dark time is umbra + half the penumbra.
    pen = con.eclipse.duration_s[full] - con.eclipse.umbra_s[full]
    assert np.all((pen > 14.0) & (pen < 20.0))
    np.testing.assert_allclose(con.eclipse.dark_s[full], con.eclipse.umbra_s[full] + 0.5 * pen, atol=0.01)
    # Same light as the cylinder within 0.1 s (measured 0.078 s: the cones follow the Sun at its
    # real distance, the cylinder assumes it infinitely far).
    np.testing.assert_allclose(con.eclipse.dark_s[full], cyl_s, atol=0.1)


def test_chunks_give_the_same_eclipses_as_one_pass():
    one = _source("conical").chunk(0, 1440, 0).intervals.eclipse
    src = _source("conical")
    parts = [src.chunk(max(k0 - 1, 0), min(k0 + 240, 1440), k0).intervals.eclipse for k0 in range(0, 1440, 240)]
    t0 = np.concatenate([p.t0_s for p in parts])
    np.testing.assert_allclose(np.sort(t0), np.sort(one.t0_s), atol=1e-9)


def test_nodes_and_pad():
    src = _source("conical")
    chunk = src.chunk(0, 1440, 0)
    # Ascending nodes every period, starting one period after u = 0 at t = 0.
    np.testing.assert_allclose(np.diff(chunk.node_t_s), src.period_s[0], rtol=1e-12)
    assert chunk.node_t_s[0] == pytest.approx(0.0, abs=1e-6)
    assert table_pad_s(R_EARTH_M + ALT_M) == pytest.approx(1.1 * src.period_s[0] + 7200.0)
