"""Old home of :mod:`orbitlink.plot.feasibility`; kept so ``orbitlink.plot_feasibility`` still imports.

A re-export only: matplotlib is still imported only when a plot is drawn.
"""

from .plot.feasibility import (
    COLORS,
    FIGSIZE_IN,
    PLOTS,
    plot_eclipse_season,
    plot_launch_cost,
    plot_mass_breakdown,
    plot_radiator_temperature,
)

__all__ = ["COLORS", "FIGSIZE_IN", "PLOTS", "plot_eclipse_season", "plot_launch_cost",
           "plot_mass_breakdown", "plot_radiator_temperature"]
