"""Coverage-map PNG (needs the ``plot`` extra: matplotlib)."""

from __future__ import annotations

import numpy as np

from . import FIGSIZE_IN, draw_world, figure_axes, require_matplotlib, save_png


def plot_coverage_map(cov, file_or_path=None, *, stations=None, title: str | None = None, ax=None):
    """Draw ``cov`` (a :class:`~orbitlink.visibility.CoverageMap`) as a world map; returns the Figure.

    Cells are coloured by the fraction of time they see at least one
    satellite; ``stations`` (GroundStations), if given, are marked.  Draws into
    ``ax`` (a matplotlib Axes) when given, else a new figure; saves a PNG to
    ``file_or_path`` (a path or binary file object) when given.
    """
    require_matplotlib()
    fig, ax = figure_axes(ax, FIGSIZE_IN)
    draw_world(ax)
    h = cov.resolution_deg / 2.0
    lon_edges = np.r_[cov.lon_deg - h, cov.lon_deg[-1] + h]
    lat_edges = np.r_[cov.lat_deg - h, cov.lat_deg[-1] + h]
    # Cells never covered stay transparent so the map shows through.
    shown = np.ma.masked_where(cov.fraction <= 0.0, 100.0 * cov.fraction)
    mesh = ax.pcolormesh(lon_edges, lat_edges, shown, cmap="viridis", vmin=0.0,
                         vmax=100.0, alpha=0.75, zorder=1.2, shading="flat")
    fig.colorbar(mesh, ax=ax, shrink=0.8, label="time with at least one satellite in view (%)")
    if stations is not None and len(stations):
        ax.scatter(stations.longitude.value, stations.latitude.value, s=18, c="#c0392b",
                   edgecolors="white", linewidths=0.6, zorder=3, label="stations")
        ax.legend(loc="lower left", fontsize=7, framealpha=0.85)
    if title is None:
        title = (f"Coverage: {cov.n_satellites} satellite{'s' if cov.n_satellites != 1 else ''}, "
                 f"min elevation {cov.min_elevation_deg:g}°, mean {100 * cov.mean_fraction:.1f} % "
                 f"(area-weighted)")
    ax.set_title(title, fontsize=10)
    save_png(fig, file_or_path)
    return fig
