"""Old home of :mod:`orbitlink.plot.eclipse`; kept so ``orbitlink.plot_eclipse`` still imports.

A re-export only: matplotlib is still imported only when a plot is drawn.
"""

from .plot.eclipse import FEW_SATELLITES, FIGSIZE_IN, plot_eclipse

__all__ = ["FEW_SATELLITES", "FIGSIZE_IN", "plot_eclipse"]
