"""Eclipse plot: beta angle and eclipse minutes per orbit over the span (needs matplotlib).

Imported only when ``orbitlink eclipse --plot`` (or :func:`plot_eclipse`) runs.
"""

from __future__ import annotations

import numpy as np

from . import DPI, figure_panels, require_matplotlib, save_png

FIGSIZE_IN = (10.0, 6.4)
FEW_SATELLITES = 8  # at most this many: one line each; more: an envelope over the satellites


def _dates(times):
    return np.array(times.utc.datetime64, dtype="datetime64[ms]")


def plot_eclipse(report, file_or_path=None, *, title: str | None = None, ax=None):
    """Two panels: beta angle (deg) and eclipse duration per orbit (min) against the date;
    returns the Figure.  ``ax``: two Axes to draw into, ``(beta, eclipse)`` (default a new
    figure of two rows); ``file_or_path``: where to save a PNG (optional).

    Up to :data:`FEW_SATELLITES` satellites get one line each (per-orbit
    eclipses when the report has its per-orbit table, else daily maxima);
    a constellation gets the range over its satellites of the daily values.
    """
    require_matplotlib()
    fig, (ax_b, ax_e) = figure_panels(ax, 2, FIGSIZE_IN, "beta angle, eclipse per orbit", sharex=True)
    days = _dates(report.day_start) + np.timedelta64(12, "h")
    bmin = report.daily_beta_min.to_value("deg")
    bmax = report.daily_beta_max.to_value("deg")
    emax = report.daily_max_eclipse.to_value("min")
    n = report.n_satellites
    if n <= FEW_SATELLITES:
        colors = [f"C{k}" for k in range(n)]
        for k in range(n):
            ax_b.fill_between(days, bmin[k], bmax[k], color=colors[k], alpha=0.35, lw=0)
            ax_b.plot(days, 0.5 * (bmin[k] + bmax[k]), "-", color=colors[k], lw=1,
                      label=report.names[k] if n > 1 else None)
        table = report.orbit_table
        for k in range(n):
            if table is not None and len(table):
                m = table.satellite == k
                ax_e.plot(_dates(table.start[m]), table.eclipse_s[m] / 60.0, ".", ms=2, color=colors[k])
            else:
                ax_e.plot(days, emax[k], "-", color=colors[k])
    else:
        ax_b.fill_between(days, np.nanmin(bmin, axis=0), np.nanmax(bmax, axis=0), color="C0", alpha=0.35,
                          lw=0, label=f"range over {n} satellites")
        ax_e.fill_between(days, np.min(emax, axis=0), np.max(emax, axis=0), color="C3", alpha=0.35, lw=0,
                          label="daily longest eclipse, range over satellites")
        ax_e.plot(days, np.median(emax, axis=0), "-", color="C3", lw=1, label="median")
        ax_e.legend(loc="upper right", fontsize="small")
    ax_b.set_ylabel("beta angle (deg)")
    ax_b.axhline(0.0, color="0.6", lw=0.8)
    if n > 1:
        ax_b.legend(loc="upper right", fontsize="small", ncol=2)
    ax_e.set_ylabel("eclipse per orbit (min)")
    ax_e.set_ylim(bottom=0.0)
    ax_e.set_xlabel("date (UTC)")
    for panel in (ax_b, ax_e):
        panel.grid(True, color="0.9")
    ax_b.set_title(title or f"{report.names[0] if n == 1 else f'{n} satellites'}: "
                   f"{report.model} shadow, sunlit {100 * float(np.mean(report.sunlit_fraction)):.2f} %")
    for label in ax_e.get_xticklabels():  # (autofmt_xdate fights the constrained layout)
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    save_png(fig, file_or_path, dpi=DPI)
    return fig
