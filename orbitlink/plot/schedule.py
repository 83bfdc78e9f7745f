"""The contact plan as a Gantt chart (needs the ``plot`` extra): one row per antenna.

Imported only when ``orbitlink schedule --plot`` (or the API) asks for it.
"""

from __future__ import annotations

import numpy as np

from . import figure_axes, require_matplotlib, save_png

MAX_ROWS = 60            # antennas drawn; a larger plan shows its busiest antennas


def plot_schedule(plan, file_or_path=None, *, ax=None, title: str | None = None):
    """Draw ``plan`` (a :class:`~orbitlink.schedule.ContactPlan`): a bar per contact on the row of
    its station's antenna, hours from the plan's start on x, coloured by satellite.

    Draws into ``ax`` when given, else a new figure; saves a PNG to ``file_or_path``
    when given.  Returns the Figure.
    """
    matplotlib = require_matplotlib()

    on = np.flatnonzero(plan.scheduled)
    sta, ant = plan.station_index[on], plan.antenna[on]
    # Rows: every (station, antenna) pair that exists, busiest first when there are too many.
    counts = plan.stations.antennas
    row_sta = np.repeat(np.arange(counts.size), counts)
    row_ant = np.arange(row_sta.size) - np.repeat(np.cumsum(counts) - counts, counts)
    row_of = np.cumsum(counts) - counts                       # first row of each station
    busy = np.bincount(row_of[sta] + ant, weights=plan.duration_s[on], minlength=row_sta.size)
    keep = np.sort(np.argsort(-busy, kind="stable")[:MAX_ROWS])
    new_row = np.full(row_sta.size, -1)
    new_row[keep] = np.arange(keep.size)
    r = new_row[row_of[sta] + ant]
    shown = r >= 0
    fig, ax = figure_axes(ax, (10.0, max(2.5, 0.28 * keep.size + 1.5)))
    cmap = matplotlib.colormaps["tab20"]
    colors = cmap((plan.sat_index[on][shown] % 20) / 19.0)
    start_h = plan.aos_s[on][shown] / 3600.0
    ax.barh(r[shown], plan.duration_s[on][shown] / 3600.0, left=start_h, height=0.7, color=colors,
            edgecolor="black", linewidth=0.3)
    names = plan.stations.names
    ax.set_yticks(np.arange(keep.size))
    ax.set_yticklabels([f"{names[row_sta[k]]} #{row_ant[k]}" for k in keep], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0.0, plan.window_s / 3600.0)
    ax.set_xlabel("hours from " + str(plan.start.utc.isot)[:16] + " UTC")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or f"contact plan ({plan.objective}, {plan.method}): {len(plan)} contacts, "
                 f"setup {plan.setup_s:g} s")
    save_png(fig, file_or_path)
    return fig
