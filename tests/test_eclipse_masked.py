"""A satellite without one valid step: the eclipse report gives NaN fractions for it and no
RuntimeWarning escapes (issue 19: ``frac()`` divided by zero outside any ``np.errstate``)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from orbitlink.eclipse import eclipses
from orbitlink.propagators import propagate
from orbitlink.times import time_grid


def _masked(track, rows):
    """``track`` with every sample of satellites ``rows`` invalid (NaN), as a failed SGP4 run gives."""
    valid = track.valid.copy()
    valid[rows] = False
    arrays = {}
    for name in ("r_gcrs_m", "v_gcrs_m_s", "r_itrs_m", "v_itrs_m_s"):
        a = getattr(track, name).copy()
        a[:, rows] = np.nan
        arrays[name] = a
    return dataclasses.replace(track, valid=valid, **arrays)


def test_fully_masked_satellite_warns_nothing_and_reports_nan():
    grid = time_grid("2026-03-01T00:00:00Z", "6h", "60s")
    track = propagate("550km", grid, propagator="analytic")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        report = eclipses(_masked(track, [0]))
    for name in ("sunlit_fraction", "eclipse_fraction", "umbra_fraction", "penumbra_fraction",
                 "illumination_fraction"):
        assert np.isnan(getattr(report, name)[0]), name


def test_masked_satellite_leaves_the_others_unchanged():
    from orbitlink.orbits import walker

    grid = time_grid("2026-03-01T00:00:00Z", "6h", "60s")
    track = propagate(walker(2, 2, 0, altitude="550km", inclination="53deg", epoch=grid.start), grid,
                      propagator="analytic")
    whole = eclipses(track)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        part = eclipses(_masked(track, [1]))
    assert np.isnan(part.sunlit_fraction[1])
    assert part.sunlit_fraction[0] == whole.sunlit_fraction[0]
    assert 0.5 < whole.sunlit_fraction[0] < 1.0      # a 550 km orbit is eclipsed part of each orbit
