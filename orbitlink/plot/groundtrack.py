"""Ground-track plot: the tracks of a Track on the world map (``orbitlink track --plot``)."""

from __future__ import annotations

import math

import numpy as np

from ..visibility.groundtrack import ground_track, split_antimeridian
from . import DPI, FIGSIZE_IN, draw_world, figure_axes, require_matplotlib, save_png

MANY_SATELLITES = 50          # above this: thin, translucent, one colour, no legend
MAX_TRACK_POINTS = 400_000    # above this many samples in all: stride in time
LEGEND_MAX = 8

MANY_COLOR = "#c0392b"
MANY_START_COLOR = "#5b0f08"


def _default_title(track) -> str:
    iso = [t.replace(".000Z", "Z") for t in track.grid.iso()]
    who = track.names[0] if track.n_satellites == 1 else f"{track.n_satellites} satellites"
    return f"Ground track: {who}, {iso[0]} to {iso[-1]}, step {track.grid.step_s:g} s"


def plot_ground_track(track, file_or_path=None, *, title: str | None = None, ax=None):
    """Draw the ground tracks of ``track`` on a world map; returns the Figure.

    Draws into ``ax`` (a matplotlib Axes) when given, else a new figure; saves a
    PNG to ``file_or_path`` (a path or binary file object) when given.  Each track is split at
    the antimeridian (no lines across the map); a dot marks each satellite's
    first valid position.  Above ``MANY_SATELLITES`` the tracks are thin,
    translucent and one colour, and very long runs are drawn every n-th sample
    so that a whole constellation still draws in about a second.
    """
    matplotlib = require_matplotlib()
    from matplotlib.collections import LineCollection

    lat, lon, _alt = ground_track(track)
    n_sat, n_t = lat.shape
    stride = max(1, math.ceil(n_sat * n_t / MAX_TRACK_POINTS))
    if stride > 1:
        keep = np.unique(np.r_[np.arange(0, n_t, stride), n_t - 1])
        lat, lon = lat[:, keep], lon[:, keep]

    fig, ax = figure_axes(ax, FIGSIZE_IN)
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
    save_png(fig, file_or_path, dpi=DPI)
    return fig
