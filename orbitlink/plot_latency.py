"""Old home of :mod:`orbitlink.plot.latency`; kept so ``orbitlink.plot_latency`` still imports.

A re-export only: matplotlib is still imported only when a plot is drawn.
"""

from .plot.latency import FIGSIZE_IN, MAX_LINES, MAX_POINTS, plot_latency

__all__ = ["FIGSIZE_IN", "MAX_LINES", "MAX_POINTS", "plot_latency"]
