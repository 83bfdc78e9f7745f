"""Plots of the data-center report (needs the ``plot`` extra: matplotlib).

Each function draws one figure and returns it: into ``ax`` (a matplotlib Axes)
when given, else a new figure, and saves a PNG to ``file_or_path`` (a path or
binary file object) when given (``orbitlink datacenter --report``, through
:data:`PLOTS`).  Each checks for matplotlib
first (:func:`orbitlink.plot.require_matplotlib`: a MissingExtraError naming
``orbitlink[plot]``, not a raw ModuleNotFoundError).
"""

from __future__ import annotations

import numpy as np

from . import DPI, figure_axes, new_figure, require_matplotlib, save_png

FIGSIZE_IN = (7.0, 3.8)
COLORS = ("#2c6fbb", "#e0a100", "#c0392b", "#7d3c98", "#7f8c8d")


def _figure(ax):
    """``(fig, ax)`` after the matplotlib check: the given Axes, or a new figure (Agg canvas, no
    pyplot state, laid out by :func:`_save`) with one."""
    require_matplotlib()
    if ax is None:
        fig = new_figure(FIGSIZE_IN, layout=None)
        return fig, fig.add_subplot()
    return figure_axes(ax, FIGSIZE_IN)


def _save(fig, file_or_path, own: bool):
    """Lay out a figure made here (a caller's figure is left as it is), save it if asked; the Figure."""
    if own:
        fig.tight_layout()
    save_png(fig, file_or_path, dpi=DPI)
    return fig


def plot_eclipse_season(report, file_or_path=None, *, ax=None):
    """Longest eclipse per day over the span: the eclipse season the battery is sized for."""
    own = ax is None
    fig, ax = _figure(ax)
    import matplotlib.dates as mdates

    orbit = report.orbit
    days = np.array([np.datetime64(t.rstrip("Z")) for t in orbit.day_start], dtype="datetime64[ms]")
    minutes = np.asarray(orbit.daily_max_eclipse_s, dtype=float) / 60.0
    if days.size:
        ax.fill_between(days.astype("O"), minutes, step="post", color=COLORS[0], alpha=0.35, linewidth=0)
        ax.step(days.astype("O"), minutes, where="post", color=COLORS[0], linewidth=1.0)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_ylabel("longest eclipse that day (min)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{orbit.description}: sunlit {orbit.sunlit_fraction:.1%} of the span, "
                 f"longest eclipse {orbit.max_eclipse_s / 60:.1f} min", fontsize=9)
    ax.grid(True, linestyle=":", linewidth=0.5)
    for label in ax.get_xticklabels():  # (not fig.autofmt_xdate: it would turn a caller's other axes too)
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return _save(fig, file_or_path, own)


def plot_mass_breakdown(report, file_or_path=None, *, ax=None):
    """Mass of each part (tonnes)."""
    own = ax is None
    fig, ax = _figure(ax)
    m = report.mass
    labels = ["compute racks", "solar arrays", "radiators", "batteries", "structure"]
    tonnes = np.array([m.compute_kg, m.solar_array_kg, m.radiator_kg, m.battery_kg, m.structure_kg]) / 1e3
    bars = ax.barh(labels[::-1], tonnes[::-1], color=COLORS[::-1])
    for bar, t in zip(bars, tonnes[::-1]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {t:,.0f} t",
                va="center", fontsize=8)
    ax.set_xlabel("mass (t)")
    ax.set_xlim(0, tonnes.max() * 1.25 if tonnes.max() > 0 else 1)
    ax.set_title(f"Total {m.total_mass_kg / 1e3:,.0f} t for {report.it_power_w / 1e6:g} MW of IT "
                 f"({m.racks} racks)", fontsize=9)
    ax.grid(True, axis="x", linestyle=":", linewidth=0.5)
    return _save(fig, file_or_path, own)


def plot_launch_cost(report, file_or_path=None, *, ax=None):
    """Launch cost against price per kg (log-log), with the scenarios marked."""
    own = ax is None
    fig, ax = _figure(ax)
    m = report.mass
    prices = np.geomspace(10.0, 30_000.0, 100)
    ax.loglog(prices, prices * m.total_mass_kg, color=COLORS[0], linewidth=1.2)
    for key, cost in m.launch_cost_usd.items():
        p = float(key)
        ax.plot([p], [cost], "o", color=COLORS[2])
        # "\\$" keeps matplotlib from reading the dollar signs as mathtext.
        ax.annotate(f"\\${p:,.0f}/kg: \\${cost / 1e9:,.2f} billion", (p, cost), textcoords="offset points",
                    xytext=(6, -12), fontsize=8)
    ax.set_xlabel("launch price (US\\$/kg)")
    ax.set_ylabel("launch cost (US\\$)")
    ax.set_title(f"Launching {m.total_mass_kg / 1e3:,.0f} t", fontsize=9)
    ax.grid(True, which="both", linestyle=":", linewidth=0.5)
    return _save(fig, file_or_path, own)


def plot_radiator_temperature(report, file_or_path=None, *, ax=None):
    """Radiator area against panel temperature, everything else as in the report."""
    from ..feasibility.thermal import size_radiator
    from ..errors import FeasibilityError

    own = ax is None
    fig, ax = _figure(ax)
    t = report.thermal
    temps_c = np.linspace(-20.0, 120.0, 141)
    areas = []
    for tc in temps_c:
        try:
            areas.append(size_radiator(
                heat_w=t.heat_w, temperature_k=tc + 273.15, emissivity=t.emissivity,
                absorptivity=t.absorptivity, sides=t.sides, altitude_m=report.orbit.altitude_m,
                areal_density_kg_m2=t.radiator_mass_kg / t.radiator_area_m2 if t.radiator_area_m2 else 1.0,
                albedo_cos_factor=t.albedo_cos_factor).radiator_area_m2)
        except FeasibilityError:  # below the sink temperature: no area suffices
            areas.append(np.nan)
    ax.semilogy(temps_c, np.array(areas) / 1e3, color=COLORS[0], linewidth=1.2)
    ax.plot([t.temperature_k - 273.15], [t.radiator_area_m2 / 1e3], "o", color=COLORS[2])
    ax.annotate(f"{t.temperature_k - 273.15:.0f} °C: {t.radiator_area_m2 / 1e3:,.1f} thousand m²",
                (t.temperature_k - 273.15, t.radiator_area_m2 / 1e3), textcoords="offset points",
                xytext=(6, 6), fontsize=8)
    ax.set_xlabel("radiator panel temperature (°C)")
    ax.set_ylabel("radiator area (thousand m²)")
    ax.set_title(f"Rejecting {t.heat_w / 1e6:,.1f} MW ({t.sides}-sided, ε = {t.emissivity:g})", fontsize=9)
    ax.grid(True, which="both", linestyle=":", linewidth=0.5)
    return _save(fig, file_or_path, own)


PLOTS = (
    ("eclipse", "Eclipse season", plot_eclipse_season),
    ("mass", "Mass breakdown", plot_mass_breakdown),
    ("launch-cost", "Launch cost", plot_launch_cost),
    ("radiator", "Radiator area against temperature", plot_radiator_temperature),
)
