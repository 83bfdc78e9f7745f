"""Old home of :mod:`orbitlink.plot.coverage`; kept so ``orbitlink.plot_coverage`` still imports.

A re-export only: matplotlib is still imported only when a plot is drawn.
"""

from .plot.coverage import plot_coverage_map

__all__ = ["plot_coverage_map"]
