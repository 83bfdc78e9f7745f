"""Old home of station selection; it now lives in :mod:`orbitlink.visibility.selection`.

Kept so that ``from orbitlink.selection import select_stations`` keeps working.
"""

from __future__ import annotations

from .visibility.selection import (OBJECTIVES, SampledSets, Selection, evaluate, exact_selection, sampled_sets,
                                   select_stations)

__all__ = ["OBJECTIVES", "SampledSets", "Selection", "evaluate", "exact_selection", "sampled_sets",
           "select_stations"]
