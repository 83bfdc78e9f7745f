"""Latency plots (needs the ``plot`` extra): the RTT distribution and the RTT time series.

Imported only when ``orbitlink latency --plot`` asks for a figure.
"""

from __future__ import annotations

import numpy as np

from . import DPI, figure_panels, require_matplotlib, save_png

FIGSIZE_IN = (10.0, 7.0)
MAX_LINES = 8             # users drawn individually; the pooled CDF is always drawn
MAX_POINTS = 200_000      # time-series samples per figure before striding


def plot_latency(result, file_or_path=None, *, title: str | None = None, ax=None):
    """Two panels: the empirical CDF of RTT (pooled over users, and per user for a
    few users) with the SLO marked, and RTT against time (gaps where no path).

    Returns the Figure.  ``ax``: two Axes to draw into, ``(cdf, time series)``
    (default a new figure of two rows); ``file_or_path``: where to save a PNG (optional).
    """
    matplotlib = require_matplotlib()

    s = result.series
    rtt_ms = s.rtt_s * 1e3
    slo_ms = result.scenario.get("slo_ms")
    fig, (ax_cdf, ax_t) = figure_panels(ax, 2, FIGSIZE_IN, "RTT distribution, RTT against time")
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    U = rtt_ms.shape[0]
    shown = range(min(U, MAX_LINES)) if U > 1 else range(0)

    def cdf(ax, values, **kw):
        v = np.sort(values[np.isfinite(values)])
        if v.size:
            ax.step(v, np.arange(1, v.size + 1) / v.size, where="post", **kw)

    cdf(ax_cdf, rtt_ms.reshape(-1), color="black", lw=1.6, label="all users" if U > 1 else s.users[0])
    for i in shown:
        cdf(ax_cdf, rtt_ms[i], color=cycle[i % len(cycle)], lw=0.9, alpha=0.8, label=s.users[i])
    if slo_ms is not None:
        ax_cdf.axvline(slo_ms, color="#c0392b", ls="--", lw=1.0, label=f"SLO {slo_ms:g} ms")
    ax_cdf.set_xlabel("round-trip time (ms)")
    ax_cdf.set_ylabel("fraction of steps with a path")
    ax_cdf.set_ylim(0, 1.02)
    ax_cdf.grid(alpha=0.3)
    ax_cdf.legend(fontsize=7, loc="lower right")
    ax_cdf.set_title(title or f"orbitlink latency: availability {result.availability * 100:.3f} %, "
                     f"p99 {_ms(result.rtt.p99_ms)}", fontsize=10)

    t_h = s.t_s / 3600.0
    lines = list(range(min(U, MAX_LINES)))
    stride = max(1, int(np.ceil(len(lines) * t_h.size / MAX_POINTS)))
    for i in lines:
        ax_t.plot(t_h[::stride], rtt_ms[i, ::stride], lw=0.8, color=cycle[i % len(cycle)],
                  label=s.users[i] if U > 1 else None)
    if slo_ms is not None:
        ax_t.axhline(slo_ms, color="#c0392b", ls="--", lw=1.0)
    ax_t.set_xlabel(f"hours from {result.scenario.get('start', 'start')}")
    ax_t.set_ylabel("round-trip time (ms)")
    ax_t.grid(alpha=0.3)
    if U > MAX_LINES:
        ax_t.text(0.0, -0.16, f"first {MAX_LINES} of {U} users shown", transform=ax_t.transAxes,
                  fontsize=7, color="#777777")
    save_png(fig, file_or_path, dpi=DPI)
    return fig


def _ms(x) -> str:
    return "-" if x is None else f"{x:.1f} ms"
