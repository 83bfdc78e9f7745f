"""Plots (needs the ``plot`` extra: matplotlib): the shared toolkit and the plot functions.

This package module holds what every plot shares: :func:`require_matplotlib`
(the one check for the extra; figures get their own Agg canvas, the session's backend is
left alone), the figure helpers every plot uses (:func:`figure_axes`, :func:`figure_panels`,
:func:`save_png`: each plot returns its Figure and accepts ``ax=``),
the figure style (:data:`DPI`, :data:`FIGSIZE_IN`, colours) and the world map
(:func:`draw_world`, :func:`load_coastline`, :func:`load_land`).  Each plot
lives in its own module and calls :func:`require_matplotlib` before drawing:

- :mod:`.groundtrack`: :func:`plot_ground_track` (``orbitlink track --plot``);
- :mod:`.eclipse`: :func:`plot_eclipse` (``orbitlink eclipse --plot``);
- :mod:`.latency`: :func:`plot_latency` (``orbitlink latency --plot``);
- :mod:`.coverage`: :func:`plot_coverage_map` (``orbitlink coverage --plot``);
- :mod:`.feasibility`: the data-center report's figures (``orbitlink datacenter --report``).
- :mod:`.schedule`: :func:`plot_schedule`, a contact plan's Gantt chart (``orbitlink schedule --plot``).

No module here imports matplotlib at import time: a plot is imported only when
it is asked for (``orbitlink.plot.plot_ground_track``, its old address, loads
on first use).

The map background is the Natural Earth 1:110m coastline bundled in
``ephemeris/coastline/`` (public domain; see its README): plots never download.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from ..data import ephemeris_path
from ..errors import MissingExtraError, OrbitlinkError

COASTLINE_FILE = ("coastline", "ne_110m_coastline.geojson")

DPI = 120
FIGSIZE_IN = (10.0, 5.6)      # world maps

OCEAN = "#eef4fa"
LAND = "#e2e0d4"
COAST = "#6b6b6b"


def require_matplotlib():
    """matplotlib; MissingExtraError naming ``orbitlink[plot]`` without it.

    The session's backend is left alone (a notebook keeps its inline backend): every figure
    made here carries its own Agg canvas and no plot uses pyplot, so none opens a window.
    """
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", "--plot") from exc
    return matplotlib


def new_figure(figsize, **kw):
    """A Figure on its own Agg canvas (no pyplot state), :data:`DPI` and a constrained layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=kw.pop("dpi", DPI), layout=kw.pop("layout", "constrained"), **kw)
    FigureCanvasAgg(fig)
    return fig


def _is_axes(ax) -> bool:
    from matplotlib.axes import Axes

    return isinstance(ax, Axes)


def figure_axes(ax, figsize, **kw):
    """``(fig, ax)``: the given Axes and its figure, or a new figure (:func:`new_figure`) with one Axes."""
    if ax is not None:
        if not _is_axes(ax):
            raise OrbitlinkError(f"ax: expected a matplotlib Axes, got {type(ax).__name__}")
        return ax.figure, ax
    fig = new_figure(figsize, **kw)
    return fig, fig.add_subplot()


def figure_panels(ax, n: int, figsize, panels: str, *, columns: bool = False, **subplots_kw):
    """``(fig, axes)`` for an ``n``-panel plot: ``ax`` a sequence of ``n`` Axes to draw into (the
    panels, in the order ``panels`` names them), or None for a new figure of ``n`` rows
    (``columns``: side by side)."""
    if ax is None:
        fig = new_figure(figsize)
        shape = (1, n) if columns else (n, 1)
        return fig, list(np.atleast_1d(fig.subplots(*shape, **subplots_kw)))
    axes = [ax] if _is_axes(ax) or not np.iterable(ax) else list(np.ravel(np.asarray(ax, dtype=object)))
    if len(axes) != n or not all(_is_axes(a) for a in axes):
        raise OrbitlinkError(f"ax: expected a sequence of {n} matplotlib Axes ({panels}), "
                             f"got {type(ax).__name__}")
    return axes[0].figure, axes


def save_png(fig, file_or_path, **kw) -> None:
    """Save ``fig`` as a PNG to a path or binary file object; nothing when ``file_or_path`` is None."""
    if file_or_path is not None:
        fig.savefig(file_or_path, format="png", **kw)


@lru_cache(maxsize=1)
def _coastline_features() -> dict:
    with ephemeris_path(*COASTLINE_FILE).open(encoding="utf-8") as f:
        fc = json.load(f)
    return {feat["properties"]["name"]: feat["geometry"] for feat in fc["features"]}


def _frozen(coords) -> np.ndarray:
    a = np.asarray(coords, dtype=np.float64)
    a.setflags(write=False)  # cached and shared: nobody may edit it in place
    return a


@lru_cache(maxsize=1)
def _coastline() -> tuple[np.ndarray, ...]:
    geom = _coastline_features()["coastline"]
    return tuple(_frozen(line) for line in geom["coordinates"])


@lru_cache(maxsize=1)
def _land() -> tuple[tuple[np.ndarray, ...], ...]:
    geom = _coastline_features()["land"]
    return tuple(tuple(_frozen(ring) for ring in poly) for poly in geom["coordinates"])


def load_coastline() -> list[np.ndarray]:
    """World coastline as (N, 2) lon/lat degree arrays (read-only; cached after the first call).

    Natural Earth 1:110m, rounded to 0.01 deg.  Pieces never cross the
    antimeridian; the map-frame edges of the source polygons (along +-180 deg
    longitude and the south pole) are left out.
    """
    return list(_coastline())


def load_land() -> list[list[np.ndarray]]:
    """Land polygons, each ``[exterior, *holes]`` of (N, 2) lon/lat degree arrays (cached)."""
    return [list(poly) for poly in _land()]


def _land_path():
    from matplotlib.path import Path

    verts, codes = [], []
    for poly in _land():
        for k, ring in enumerate(poly):
            # Exterior counter-clockwise, holes clockwise: the nonzero fill rule then cuts holes.
            area2 = np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
            if (area2 > 0) != (k == 0):
                ring = ring[::-1]
            c = np.full(len(ring), Path.LINETO, dtype=Path.code_type)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(ring)
            codes.append(c)
    return Path(np.concatenate(verts), np.concatenate(codes))


def draw_world(ax) -> None:
    """Equirectangular world map on ``ax``: ocean, land, coastline, 30 deg graticule."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import PathPatch

    ax.set_facecolor(OCEAN)
    ax.add_patch(PathPatch(_land_path(), facecolor=LAND, edgecolor="none", zorder=0.5))
    ax.add_collection(LineCollection(_coastline(), colors=COAST, linewidths=0.5, zorder=1))
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(-180, 181, 30))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.xaxis.set_major_formatter(_degree_formatter("E", "W"))
    ax.yaxis.set_major_formatter(_degree_formatter("N", "S"))
    ax.tick_params(labelsize=8)
    ax.grid(True, color="#9aa7b4", linewidth=0.4, linestyle=":", zorder=1.5)
    ax.set_axisbelow(False)


def _degree_formatter(pos: str, neg: str):
    from matplotlib.ticker import FuncFormatter

    def fmt(x, _):
        if x == 0 or abs(x) == 180:
            return f"{abs(x):.0f}°"
        return f"{abs(x):.0f}°{pos if x > 0 else neg}"

    return FuncFormatter(fmt)


def __getattr__(name):
    # `orbitlink.plot.plot_ground_track`, from when this module was also the ground-track plot:
    # loaded on first use, so that plot/groundtrack.py can import this toolkit without a circle.
    if name != "plot_ground_track":
        raise AttributeError(f"module 'orbitlink.plot' has no attribute {name!r}")
    import importlib

    return importlib.import_module(f"{__name__}.groundtrack").plot_ground_track


__all__ = ["COASTLINE_FILE", "DPI", "FIGSIZE_IN", "draw_world", "figure_axes", "figure_panels",
           "load_coastline", "load_land", "new_figure", "plot_ground_track", "require_matplotlib",
           "save_png"]
