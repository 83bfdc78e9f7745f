"""The design search's frontier (needs the ``plot`` extra): launch cost against availability and p99 RTT.

Imported only when ``orbitlink design --plot`` (or a user) asks for the figure.
"""

from __future__ import annotations

import math

from . import figure_panels, require_matplotlib, save_png

FIGSIZE_IN = (11.0, 4.8)
WORKABLE = "#1e8449"
NOT_WORKABLE = "#7f8c8d"
FRONTIER = "#2e86c1"
TARGET = "#c0392b"


def plot_design(result, file_or_path=None, *, ax=None, title: str | None = None):
    """Two panels: launch cost (x, $M) against availability and against p99 RTT, one point per
    candidate (filled: workable; hollow: not), the Pareto frontier ringed, the best starred,
    the availability target and the SLO drawn.  ``ax``: two Axes to draw on (default a new
    figure); ``file_or_path``: where to save a PNG (optional).  Returns the Figure."""
    require_matplotlib()
    fig, (ax_a, ax_p) = figure_panels(ax, 2, FIGSIZE_IN, "availability, p99 RTT", columns=True)
    rows = result.candidates
    sc = result.scenario
    frontier = set(result.frontier)
    cost = [r["launch_cost_usd"] / 1e6 for r in rows]
    avail = [r["availability"] * 100 for r in rows]
    p99 = [math.nan if r["rtt_ms"]["p99"] is None else r["rtt_ms"]["p99"] for r in rows]
    for panel, ys in ((ax_a, avail), (ax_p, p99)):
        for i, r in enumerate(rows):
            color = WORKABLE if r["workable"] else NOT_WORKABLE
            panel.scatter(cost[i], ys[i], s=28, marker="o", zorder=3,
                          facecolors=color if r["workable"] else "none", edgecolors=color)
        f_idx = sorted(frontier, key=lambda i: cost[i])
        panel.scatter([cost[i] for i in f_idx], [ys[i] for i in f_idx], s=110, facecolors="none",
                      edgecolors=FRONTIER, lw=1.2, zorder=4, label="Pareto frontier")
        if result.best is not None:
            panel.scatter([cost[result.best]], [ys[result.best]], s=220, marker="*", color="#f1c40f",
                          edgecolors="black", lw=0.6, zorder=5, label=f"best (#{result.best})")
        panel.scatter([], [], s=28, color=WORKABLE, label="workable")
        panel.scatter([], [], s=28, facecolors="none", edgecolors=NOT_WORKABLE, label="not workable")
        panel.set_xlabel(f"launch cost (\\$M at \\${sc['launch_price_usd_per_kg']:g}/kg)")  # \\$: not mathtext
        panel.grid(alpha=0.3)
    ax_a.axhline(sc["availability_target"] * 100, color=TARGET, ls="--", lw=1.0,
                 label=f"target {sc['availability_target'] * 100:g} %")
    ax_a.set_ylabel("availability (%)")
    ax_p.axhline(sc["slo_ms"], color=TARGET, ls="--", lw=1.0, label=f"SLO {sc['slo_ms']:g} ms")
    ax_p.set_ylabel("p99 round-trip time (ms)")
    ax_a.legend(fontsize=7, loc="lower right")
    ax_p.legend(fontsize=7, loc="upper right")
    ax_a.set_title(title or f"orbitlink design: {len(rows)} candidates, "
                   + ("best #%d" % result.best if result.best is not None else "none workable"), fontsize=10)
    save_png(fig, file_or_path)
    return fig


__all__ = ["plot_design"]
