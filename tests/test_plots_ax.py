"""Every plot function returns its matplotlib Figure and draws into a given ``ax`` (issue 18).

Figures are drawn on the Agg canvas (no pyplot, no window); "draws into ax" means the given
Axes hold data afterwards (lines, collections, patches or images) and no other figure is made.
"""

from __future__ import annotations

import io

import pytest

pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import orbitlink  # noqa: E402
from orbitlink.errors import OrbitlinkError  # noqa: E402
from orbitlink.stations import load_catalog  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
START = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def track():
    return orbitlink.propagate(orbitlink.walker(6, 3, 1, orbit="550km"), start=START, duration="3h", step="60s")


@pytest.fixture(scope="module")
def latency(track):
    users = load_catalog("cities-top100").select(["London", "Tokyo"])
    return orbitlink.round_trip(track, load_catalog("starlink-gateways"), users=users, max_backhaul="3000km")


@pytest.fixture(scope="module")
def datacenter():
    return orbitlink.datacenter("sso:650km", "40MW", link=False)


def _canvas(n=1):
    fig = Figure()
    FigureCanvasAgg(fig)
    return fig, fig.subplots(1, n) if n > 1 else fig.subplots()


@pytest.fixture(scope="module")
def single_axis_plots(track, latency, datacenter):
    from orbitlink.plot.coverage import plot_coverage_map
    from orbitlink.plot.feasibility import PLOTS
    from orbitlink.plot.groundtrack import plot_ground_track

    cov = orbitlink.coverage_map(track, resolution="15deg")
    calls = [("ground track", lambda **kw: plot_ground_track(track, **kw)),
             ("coverage", lambda **kw: plot_coverage_map(cov, stations=load_catalog("ksat"), **kw))]
    calls += [(key, (lambda draw: lambda **kw: draw(datacenter, **kw))(draw)) for key, _, draw in PLOTS]
    from orbitlink.plot.schedule import plot_schedule

    plan = orbitlink.schedule(track, load_catalog("starlink-gateways").select(["Ikire", "Lekki"]), objective="contact")
    calls.append(("schedule", lambda **kw: plot_schedule(plan, **kw)))
    return calls


@pytest.fixture(scope="module")
def two_panel_plots(track, latency):
    from orbitlink.plot.eclipse import plot_eclipse
    from orbitlink.plot.latency import plot_latency

    from orbitlink.plot.design import plot_design

    report = orbitlink.eclipses(track, detail=True)
    design = orbitlink.design(satellites="24,48", duration="1h", step="60s", verify=None, refine=False, start=START)
    return [("eclipse", lambda **kw: plot_eclipse(report, **kw)),
            ("latency", lambda **kw: plot_latency(latency, **kw)),
            ("design", lambda **kw: plot_design(design, **kw))]


def test_single_axes_plots_return_a_figure_and_draw_into_ax(single_axis_plots):
    for name, draw in single_axis_plots:
        fig = draw()
        assert isinstance(fig, Figure) and len(fig.axes) >= 1, name
        mine, ax = _canvas()
        assert draw(ax=ax) is mine, name
        assert ax.has_data(), name                        # the plot landed in the given Axes
        buf = io.BytesIO()
        mine.savefig(buf, format="png")                   # and the caller's figure still renders
        assert buf.getvalue()[:8] == PNG, name


def test_two_panel_plots_take_two_axes(two_panel_plots):
    for name, draw in two_panel_plots:
        fig = draw()
        assert isinstance(fig, Figure) and len(fig.axes) == 2, name
        mine, axes = _canvas(2)
        assert draw(ax=axes) is mine, name
        assert all(a.has_data() for a in axes), name
        assert len(mine.axes) == 2, name                  # nothing added beside the given panels
        with pytest.raises(OrbitlinkError, match=r"^ax: expected a sequence of 2 matplotlib Axes"):
            draw(ax=axes[0])


def test_a_wrong_ax_names_the_argument(track):
    from orbitlink.plot.groundtrack import plot_ground_track

    with pytest.raises(OrbitlinkError, match=r"^ax: expected a matplotlib Axes, got Figure"):
        plot_ground_track(track, ax=Figure())


def test_file_output_still_works_with_the_returned_figure(single_axis_plots, two_panel_plots, tmp_path):
    # The CLI's --plot/--report paths call these functions with a path or a binary file object.
    for name, draw in single_axis_plots + two_panel_plots:
        path = tmp_path / f"{name}.png"
        with path.open("wb") as f:
            fig = draw(file_or_path=f)
        assert isinstance(fig, Figure) and path.read_bytes()[:8] == PNG, name


def test_old_module_paths_are_the_same_functions():
    import orbitlink.plot as plot
    import orbitlink.plot_coverage as oc
    import orbitlink.plot_eclipse as oe
    import orbitlink.plot_feasibility as of
    import orbitlink.plot_latency as ol
    from orbitlink.plot import coverage, eclipse, feasibility, groundtrack, latency

    assert oc.plot_coverage_map is coverage.plot_coverage_map and oe.plot_eclipse is eclipse.plot_eclipse
    assert ol.plot_latency is latency.plot_latency and of.plot_mass_breakdown is feasibility.plot_mass_breakdown
    assert plot.plot_ground_track is groundtrack.plot_ground_track


def test_cli_plots_still_write_pngs(run_cli, tmp_path):
    out = tmp_path / "e.png"
    r = run_cli("eclipse", "--orbit", "550km", "--start", START, "--duration", "2d", "--plot", str(out))
    assert r.code == 0, r.err
    assert out.read_bytes()[:8] == PNG
    out = tmp_path / "c.png"
    r = run_cli("coverage", "--walker", "6/3/1", "--start", START, "--duration", "3h", "--resolution", "15deg",
                "--plot", str(out))
    assert r.code == 0, r.err
    assert out.read_bytes()[:8] == PNG
