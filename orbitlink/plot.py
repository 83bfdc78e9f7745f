"""Plots (needs the ``plot`` extra: matplotlib). Imported only when a plot is asked for.

The map background is the Natural Earth 1:110m coastline bundled in
``ephemeris/coastline/`` (public domain; see its README): plots never download.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np

from .data import ephemeris_path
from .errors import MissingExtraError

COASTLINE_FILE = ("coastline", "ne_110m_coastline.geojson")

DPI = 120
FIGSIZE_IN = (10.0, 5.6)
MANY_SATELLITES = 50          # above this: thin, translucent, one colour, no legend
MAX_TRACK_POINTS = 400_000    # above this many samples in all: stride in time
LEGEND_MAX = 8

OCEAN = "#eef4fa"
LAND = "#e2e0d4"
COAST = "#6b6b6b"
MANY_COLOR = "#c0392b"
MANY_START_COLOR = "#5b0f08"


def require_matplotlib():
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", "--plot") from exc
    matplotlib.use("Agg")  # files only; never open a window
    return matplotlib


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


def _default_title(track) -> str:
    iso = [t.replace(".000Z", "Z") for t in track.grid.iso()]
    who = track.names[0] if track.n_satellites == 1 else f"{track.n_satellites} satellites"
    return f"Ground track: {who}, {iso[0]} to {iso[-1]}, step {track.grid.step_s:g} s"


def plot_ground_track(track, file_or_path, *, title: str | None = None) -> None:
    """Draw the ground tracks of ``track`` on a world map and save a PNG.

    ``file_or_path`` is a path or a binary file object.  Each track is split at
    the antimeridian (no lines across the map); a dot marks each satellite's
    first valid position.  Above ``MANY_SATELLITES`` the tracks are thin,
    translucent and one colour, and very long runs are drawn every n-th sample
    so that a whole constellation still draws in about a second.
    """
    matplotlib = require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from .groundtrack import ground_track, split_antimeridian

    lat, lon, _alt = ground_track(track)
    n_sat, n_t = lat.shape
    stride = max(1, math.ceil(n_sat * n_t / MAX_TRACK_POINTS))
    if stride > 1:
        keep = np.unique(np.r_[np.arange(0, n_t, stride), n_t - 1])
        lat, lon = lat[:, keep], lon[:, keep]

    fig = Figure(figsize=FIGSIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    draw_world(ax)

    many = n_sat > MANY_SATELLITES
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]

    segments, seg_colors = [], []
    starts, start_colors = [], []
    for s in range(n_sat):
        color = MANY_COLOR if many else cycle[s % len(cycle)]
        pieces = split_antimeridian(lon[s], lat[s])
        segments.extend(pieces)
        seg_colors.extend([color] * len(pieces))
        ok = np.flatnonzero(np.isfinite(lon[s]) & np.isfinite(lat[s]))
        if ok.size:
            starts.append((lon[s, ok[0]], lat[s, ok[0]]))
            start_colors.append(color)

    if segments:
        ax.add_collection(LineCollection(
            segments, colors=seg_colors, zorder=2,
            linewidths=0.3 if many else 1.2, alpha=0.15 if many else 0.95))
    if starts:
        xy = np.asarray(starts)
        ax.scatter(xy[:, 0], xy[:, 1], s=2.5 if many else 28,
                   c=MANY_START_COLOR if many else start_colors, zorder=3,
                   edgecolors="none" if many else "white", linewidths=0.6,
                   label="start")
    if not many and 1 < n_sat <= LEGEND_MAX:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=cycle[s % len(cycle)], lw=1.2, marker="o", ms=4,
                          label=track.names[s]) for s in range(n_sat)]
        ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.85)
    else:
        ax.text(0.005, 0.01, "● start position", transform=ax.transAxes, fontsize=7,
                va="bottom", ha="left", color="#333333",
                bbox=dict(facecolor="white", alpha=0.8, edgecolor="none", pad=1.5))

    ax.set_title(title if title is not None else _default_title(track), fontsize=10)
    ax.text(1.0, -0.08, "Coastline: Natural Earth 1:110m (public domain)",
            transform=ax.transAxes, fontsize=6, ha="right", va="top", color="#777777")
    if stride > 1:
        ax.text(0.0, -0.08, f"tracks drawn every {stride} samples", transform=ax.transAxes,
                fontsize=6, ha="left", va="top", color="#777777")
    fig.savefig(file_or_path, format="png", dpi=DPI)
