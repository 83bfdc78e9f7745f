"""Visibility kernels, re-exported from the modules that now hold them (old import path).

- :mod:`orbitlink.core.topocentric`: ``enu_basis``, ``look_angles``,
  ``look_angles_grid``, ``Sites``, ``MASK_TABLE_STEP_RAD``, ``cone_angles``;
- :mod:`orbitlink.core.passes`: ``find_passes``, ``PassArrays`` (the search,
  with :mod:`~orbitlink.core.pass_screen`, :mod:`~orbitlink.core.pass_scan`,
  :mod:`~orbitlink.core.pass_segments` and :mod:`~orbitlink.core.pass_refine`);
- :mod:`orbitlink.core.pass_threads`: ``find_passes_parallel``,
  ``concat_pass_arrays``, ``PARALLEL_MIN_PAIR_STEPS``;
- :mod:`orbitlink.core.coverage`: ``coverage_counts``, ``grid_coverage_counts``;
- :mod:`orbitlink.core.hermite`: ``hermite_positions``.
"""

from __future__ import annotations

from .coverage import coverage_counts, grid_coverage_counts
from .hermite import hermite_positions
from .pass_refine import (CROSSING_TOL_S, GOLDEN_ITERATIONS, ILLINOIS_ITERATIONS, PEAK_NEWTON_ITERATIONS,
                          REFINE_BLOCK, ROOT_NEWTON_ITERATIONS)
from .pass_scan import GRAZE_SIN
from .pass_threads import PARALLEL_MIN_PAIR_STEPS, concat_pass_arrays, find_passes_parallel
from .passes import LONG_PASS_S, PassArrays, find_passes
from .topocentric import MASK_TABLE_STEP_RAD, Sites, cone_angles, enu_basis, look_angles, look_angles_grid

__all__ = ["CROSSING_TOL_S", "GOLDEN_ITERATIONS", "GRAZE_SIN", "ILLINOIS_ITERATIONS", "LONG_PASS_S",
           "MASK_TABLE_STEP_RAD", "PARALLEL_MIN_PAIR_STEPS", "PEAK_NEWTON_ITERATIONS", "REFINE_BLOCK",
           "ROOT_NEWTON_ITERATIONS", "PassArrays", "Sites", "concat_pass_arrays", "cone_angles",
           "coverage_counts", "enu_basis", "find_passes", "find_passes_parallel", "grid_coverage_counts",
           "hermite_positions", "look_angles", "look_angles_grid"]
