"""orbitlink.eclipse.eclipses (the engine end to end): every number against an independent reference.

The closed forms and sample-wise helpers are in test_eclipse_geometry.py, the result
classes and power in test_eclipse_report.py, the command in test_cli_eclipse.py, the
kernels in test_core_eclipse_kernels.py / test_core_eclipse_circular.py.

References (cited beside each tolerance):
- the closed-form eclipse fraction of a circular orbit (per revolution);
- skyfield's ``is_sunlit`` (skyfield/positionlib.py) for the ISS TLE of skyfield's
  documentation (documentation/earth-satellites.rst), sampled every 5 s and with its
  state changes refined by skyfield's own ``find_discrete``;
- hapsira's ``UmbraEvent``/``PenumbraEvent`` shadow functions with Cowell propagation
  (only where hapsira is installed);
- the sampled Track path against the closed-form circular path (two implementations).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import astropy.units as u
import numpy as np
import pytest

from orbitlink import eclipse, orbits
from orbitlink.elements import parse_tle_text
from orbitlink.errors import EclipseError, OrbitlinkError, OrbitSpecError, TimeGridError
from orbitlink.propagators import propagate
from orbitlink.sun import DE421_SPAN, EphemerisSpanError, sun_gcrs_m
from orbitlink.times import planets, time_grid, timescale
from orbitlink.track import Track

from .conftest import EPHEMERIS, ONE_SECOND

ISS_TLE = EPHEMERIS / "tle" / "iss-skyfield-doc.tle"
ONE_MINUTE = 60.0 * ONE_SECOND


# --- the closed form ------------------------------------------------------------

@pytest.mark.parametrize("inclination, start", [("53deg", "2026-03-01"), ("97.6deg", "2026-03-20")])
def test_cylindrical_orbits_match_the_closed_form(inclination, start):
    # Each revolution's numeric eclipse fraction (cylindrical shadow, two-body) against the
    # closed form at that revolution's beta: measured 6.8e-5 (0.39 s) at beta 9.5 deg,
    # 2.0e-5 at beta 0.5 deg; the residual is the Sun moving 0.07 deg during an orbit.
    rep = eclipse.eclipses(orbits.circular("550km", inclination), start=start, duration="1d", step="60s",
                           model="cylindrical", propagator="two-body")
    table = rep.orbit_table
    assert len(table) >= 14
    closed = np.array([eclipse.analytic_eclipse_fraction("550km", b * u.rad) for b in table.beta_rad])
    np.testing.assert_allclose(table.eclipse_fraction, closed, atol=2e-4)


# --- the Sun ----------------------------------------------------------------------

def test_sun_table_matches_direct_ephemeris_and_is_apparent():
    grid = time_grid("2026-01-01", "20d", "10min")
    table = sun_gcrs_m(grid)
    exact = sun_gcrs_m(grid, exact=True)
    assert np.abs(table - exact).max() < 0.01  # metres, at 1 AU (measured 2 mm)
    eph = planets()
    geometric = (eph["sun"] - eph["earth"]).at(grid.sf).xyz.m
    cos = np.sum(geometric * exact, axis=0) / np.linalg.norm(geometric, axis=0) / np.linalg.norm(exact, axis=0)
    aberration_arcsec = np.degrees(np.arccos(np.minimum(cos, 1.0))) * 3600
    # Annual aberration 20.49552 arcsec x (1 +/- e cos) (Astronomical Almanac): 20.1-20.9.
    assert 20.1 < aberration_arcsec.min() and aberration_arcsec.max() < 20.9


# --- skyfield is_sunlit: the ISS of skyfield's documentation, 2014-01-20 ------------

@pytest.fixture(scope="module")
def iss():
    elements = parse_tle_text(ISS_TLE.read_text(), str(ISS_TLE))
    ts, eph = timescale(), planets()
    from skyfield.api import EarthSatellite
    from skyfield.searchlib import find_discrete

    sat = EarthSatellite.from_satrec(elements.satrecs[0], ts)
    t5 = ts.utc(2014, 1, 20, 0, 0, np.arange(0.0, 86400.0, 5.0))
    sunlit5 = sat.at(t5).is_sunlit(eph)

    def is_sunlit(t):
        return sat.at(t).is_sunlit(eph)

    is_sunlit.step_days = 5.0 / 86400.0
    t_change, _ = find_discrete(ts.utc(2014, 1, 20), ts.utc(2014, 1, 21), is_sunlit)  # 1 ms precision
    change_s = (t_change.tt - ts.utc(2014, 1, 20).tt) * 86400.0
    return SimpleNamespace(elements=elements, dark5=1.0 - sunlit5.mean(), change_s=change_s)


def _edges(iv, kind):
    x = iv.select(kind=kind)
    return np.sort(np.r_[x.t0_s[~x.cut_start], x.t1_s[~x.cut_end]])


def test_iss_fractions_vs_skyfield(iss):
    rep = eclipse.eclipses(iss.elements, start="2014-01-20", duration="1d", step="60s")
    assert rep.propagator == "sgp4"
    # Issue 3: umbra fraction within 0.002 of is_sunlit every 5 s (measured -0.0016: skyfield
    # tests the Sun's centre, which the satellite passes half-way through the ~8.4 s penumbra).
    assert rep.umbra_fraction[0] == pytest.approx(iss.dark5, abs=0.002)
    # The dark time with the penumbra weighted by the hidden solar fraction is the
    # point-Sun dark time: measured 1.3e-4 (the 5 s sampling of skyfield's fraction).
    # (issue 18: that power-weighted mean is illumination_fraction; sunlit_fraction is full-Sun time)
    assert 1.0 - rep.illumination_fraction[0] == pytest.approx(iss.dark5, abs=5e-4)
    assert rep.umbra_fraction[0] < iss.dark5 < rep.eclipse_fraction[0]


def test_iss_entry_exit_vs_skyfield_state_changes(iss):
    # skyfield's is_sunlit is the cylindrical test of a point Sun, with the geometric Sun.
    cyl = eclipse.eclipses(iss.elements, start="2014-01-20", duration="1d", step="60s",
                           model="cylindrical", apparent_sun=False)
    edges = _edges(cyl.intervals, "eclipse")
    assert edges.size == iss.change_s.size == 31
    # Issue 3 asks for 2 s; measured 0.039 s (the Sun's parallax across the Earth).
    np.testing.assert_allclose(edges, iss.change_s, atol=0.2 * ONE_SECOND)
    # Conical (apparent Sun): every skyfield change lies inside one of our penumbra
    # passages, at its middle within 2 s (measured 0.043 s; the umbra edges themselves
    # are half a penumbra, 4.2 s, from skyfield's change).
    con = eclipse.eclipses(iss.elements, start="2014-01-20", duration="1d", step="60s")
    pen, umb = _edges(con.intervals, "eclipse"), _edges(con.intervals, "umbra")
    lo, hi = np.minimum(pen, umb), np.maximum(pen, umb)
    assert np.all((lo <= iss.change_s) & (iss.change_s <= hi))
    np.testing.assert_allclose(0.5 * (pen + umb), iss.change_s, atol=2 * ONE_SECOND)
    assert np.abs(0.5 * (pen + umb) - iss.change_s).max() < 0.2 * ONE_SECOND
    assert np.all((hi - lo > 7.0) & (hi - lo < 10.0))  # penumbra passage, s
    # Refined to well under a second: a 10 s grid gives the same times.
    fine = eclipse.eclipses(iss.elements, start="2014-01-20", duration="1d", step="10s")
    np.testing.assert_allclose(_edges(fine.intervals, "eclipse"), pen, atol=0.01 * ONE_SECOND)


# --- the two implementations agree ---------------------------------------------------

@pytest.mark.parametrize("start, model", [("2026-03-01", "conical"), ("2026-08-05", "conical"),
                                          ("2026-08-05", "cylindrical")])
def test_closed_form_path_matches_sampled_track_path(start, model):
    # 2026-08-05 is the end of the SSO's season: grazing passages, one 0.55 s long.
    src = (orbits.walker(12, 3, 1, "550km", "53deg") if start == "2026-03-01"
           else orbits.sun_synchronous("650km", epoch="2026-01-01"))
    grid = time_grid(start, "3d", "60s")
    sampled = eclipse.eclipses(propagate(src, grid), model=model)
    closed = eclipse.eclipses(src, start=start, duration="3d", step="60s", model=model)
    kinds = ("eclipse", "umbra", "penumbra") if model == "conical" else ("eclipse", "umbra")
    for kind in kinds:
        a, b = sampled.intervals.select(kind=kind), closed.intervals.select(kind=kind)
        assert len(a) == len(b) > 0
        np.testing.assert_array_equal(a.satellite, b.satellite)
        # measured <= 7 ms
        np.testing.assert_allclose(a.t0_s, b.t0_s, atol=0.02 * ONE_SECOND)
        np.testing.assert_allclose(a.t1_s, b.t1_s, atol=0.02 * ONE_SECOND)
    np.testing.assert_allclose(sampled.sunlit_fraction, closed.sunlit_fraction, atol=1e-5)


@pytest.mark.parametrize("source", ["circular", "track"])
def test_chunking_does_not_change_results(source):
    src = orbits.walker(6, 2, 1, "550km", "53deg")
    if source == "track":
        src = propagate(src, time_grid("2026-03-01", "2d", "60s"))
    kw = {} if source == "track" else dict(start="2026-03-01", duration="2d", step="60s")
    one = eclipse.eclipses(src, chunk_elements=10_000_000, **kw)
    many = eclipse.eclipses(src, chunk_elements=500, **kw)
    for kind in ("eclipse", "umbra", "penumbra"):
        a, b = one.intervals.select(kind=kind), many.intervals.select(kind=kind)
        assert len(a) == len(b)
        np.testing.assert_allclose(a.t0_s, b.t0_s, atol=0.01 * ONE_SECOND)
    np.testing.assert_allclose(one.sunlit_fraction, many.sunlit_fraction, atol=1e-7)
    np.testing.assert_array_equal(one.eclipses, many.eclipses)
    assert [len(s) for s in one.seasons] == [len(s) for s in many.seasons]


def test_chunk_boundaries_inside_long_penumbra_passages_do_not_change_the_dark_time():
    """Grazing eclipses at the edge of a dawn-dusk orbit's season have penumbra passages of
    minutes, so short chunks end inside them; the dark time is integrated step by step and
    carried, so any chunking gives the same numbers (to float rounding)."""
    sso = orbits.sun_synchronous("650km", epoch="2026-05-01")
    track = propagate(sso, time_grid("2026-05-05", "4d", "60s"))
    one = eclipse.eclipses(track, chunk_elements=10_000_000)
    pen = one.intervals.select(kind="penumbra")
    assert (pen.t1_s - pen.t0_s).max() > 120.0            # passages longer than two steps
    for size in (8, 13, 97):
        many = eclipse.eclipses(track, chunk_elements=size)
        np.testing.assert_allclose(many.sunlit_fraction, one.sunlit_fraction, rtol=0, atol=1e-12)
        np.testing.assert_allclose(many.orbit_table.dark_s, one.orbit_table.dark_s, rtol=0,
                                   atol=1e-6 * ONE_SECOND)
        np.testing.assert_array_equal(many.eclipses, one.eclipses)


def test_a_satellite_decaying_mid_run_gets_one_message_whatever_the_chunking():
    """SGP4 reports per propagated chunk; the report says it once per satellite, with the first
    error and the samples masked over the whole run - the same words as the whole run's Track."""
    from orbitlink.elements import parse_tle_text

    from .test_faults import DECAYING

    el = parse_tle_text(DECAYING, "decaying")             # Vallado's 28872: error 6 after ~1 h
    kw = dict(start="2005-11-29T00:30:00Z", duration="3h", step="60s")
    whole = propagate(el, time_grid(kw["start"], kw["duration"], kw["step"]))
    assert len(whole.messages) == 1
    for size in (10_000_000, 7):
        rep = eclipse.eclipses(el, **kw, chunk_elements=size)
        assert list(rep.messages) == list(whole.messages)


# --- dawn-dusk SSO 650 km through 2026 --------------------------------------------------

@pytest.fixture(scope="module")
def sso_2026():
    return eclipse.eclipses(orbits.sun_synchronous("650km"), start="2026-01-01", duration="365d", step="60s")


def test_sso_dawn_dusk_has_one_summer_season(sso_2026):
    rep = sso_2026
    # Issue 3: one season of about three months around the June solstice (measured
    # 2026-05-06 to 2026-08-07, 92.3 d), longest eclipse about 20 min (measured 20.17),
    # sunlit fraction near 96 % (measured 95.99 %).
    (season,) = rep.seasons[0]
    assert 80 < season.days < 100
    solstice = (np.datetime64("2026-06-21T08:24") - np.datetime64("2026-01-01")) / np.timedelta64(1, "s")
    assert season.t0_s < solstice < season.t1_s
    assert not season.cut_start and not season.cut_end
    assert 19 * ONE_MINUTE < rep.max_eclipse[0].to_value(u.s) < 21.5 * ONE_MINUTE
    assert rep.sunlit_fraction[0] == pytest.approx(0.96, abs=0.005)
    # LTAN 18:00: beta stays high (58.6-87.3 deg measured); eclipses only at its minimum.
    assert 55 < rep.beta_min[0].to_value(u.deg) < 62 and rep.beta_max[0].to_value(u.deg) > 85
    assert rep.orbits[0] == pytest.approx(365 * 86400 / rep.period[0].to_value(u.s), abs=1.0)


def test_sso_longest_eclipse_matches_the_closed_form_at_minimum_beta():
    # Cylindrical model: the longest eclipse is the closed form at the year's minimum beta
    # (times the nodal period); measured 0.02 s apart.
    rep = eclipse.eclipses(orbits.sun_synchronous("650km"), start="2026-01-01", duration="365d",
                           step="60s", model="cylindrical")
    closed = eclipse.analytic_eclipse_fraction("650km", rep.beta_min[0]) * rep.period[0].to_value(u.s)
    assert rep.max_eclipse[0].to_value(u.s) == pytest.approx(closed, abs=ONE_SECOND)
    assert rep.penumbra_fraction[0] == 0.0


def test_geostationary_equinox_seasons():
    # GEO sees eclipses only around the equinoxes, ~45 days each, the longest ~72 min
    # (E. M. Soop, Handbook of Geostationary Orbits, 1994, sec. 3.5; measured 46.0 d,
    # 26 Feb-13 Apr and 31 Aug-16 Oct 2026, 71.7 min).
    rep = eclipse.eclipses(orbits.circular("35786km", "0deg"), start="2026-01-01", duration="365d")
    spring, autumn = rep.seasons[0]
    for season, equinox in ((spring, "2026-03-20T14:46"), (autumn, "2026-09-23T00:05")):
        t_eq = (np.datetime64(equinox) - np.datetime64("2026-01-01")) / np.timedelta64(1, "s")
        assert 40 < season.days < 50
        assert abs(0.5 * (season.t0_s + season.t1_s) - t_eq) < 2 * 86400  # centred within 2 days
    assert 69 < rep.max_eclipse[0].to_value(u.min) < 73
    assert rep.orbits[0] in (365, 366)  # 366.24 sidereal days a year; complete revolutions


def test_conical_brackets_cylindrical(sso_2026):
    cyl = eclipse.eclipses(orbits.sun_synchronous("650km"), start="2026-01-01", duration="365d",
                           step="60s", model="cylindrical")
    assert sso_2026.umbra_fraction[0] < cyl.eclipse_fraction[0] < sso_2026.eclipse_fraction[0]
    # Penumbra counted by its visible fraction: same light as the cylinder within 2e-5.
    assert sso_2026.illumination_fraction[0] == pytest.approx(cyl.illumination_fraction[0], abs=2e-5)
    # The cylinder has no penumbra: its full-Sun time is its illumination.
    assert cyl.sunlit_fraction[0] == cyl.illumination_fraction[0] and cyl.penumbra_fraction[0] == 0


# --- windows, invalid samples, constellations -----------------------------------------------

def test_window_cuts_are_flagged_and_left_out_of_durations():
    src = orbits.circular("550km", "53deg", epoch="2026-03-21")
    day = eclipse.eclipses(src, start="2026-03-21", duration="1d", step="60s")
    ecl = day.intervals.select(kind="eclipse")
    # Start again in the middle of the third eclipse and stop in the middle of the sixth.
    t0 = 0.5 * (ecl.t0_s[2] + ecl.t1_s[2])
    t1 = 0.5 * (ecl.t0_s[5] + ecl.t1_s[5])
    start = day.start + t0 * u.s
    part = eclipse.eclipses(src, start=start, duration=f"{t1 - t0}s", step="60s")
    cut = part.intervals.select(kind="eclipse")
    assert len(cut) == 4 and cut.cut_start[0] and cut.cut_end[-1]
    assert not cut.cut_start[1:].any() and not cut.cut_end[:-1].any()
    assert cut.t0_s[0] == 0.0
    assert cut.t1_s[0] == pytest.approx(ecl.t1_s[2] - t0, abs=0.01 * ONE_SECOND)
    # Cut passages count in the fractions but not in the complete eclipses.
    assert part.eclipses[0] == 2
    assert part.mean_eclipse[0].to_value(u.s) == pytest.approx(np.mean(ecl.duration.to_value(u.s)[3:5]))
    assert part.seasons[0][0].cut_start and part.seasons[0][0].cut_end


def test_invalid_samples_cut_intervals():
    grid = time_grid("2026-03-01", "1d", "60s")
    tr = propagate(orbits.walker(4, 2, 1, "550km", "53deg"), grid)
    valid = tr.valid.copy()
    valid[1, 200:260] = False
    r, v = tr.r_gcrs_m.copy(), tr.v_gcrs_m_s.copy()
    r[:, ~valid], v[:, ~valid] = np.nan, np.nan
    broken = Track(tr.grid, tr.names, r, v, tr.r_itrs_m, tr.v_itrs_m_s, valid, tr.propagator, ("gap",))
    a, b = eclipse.eclipses(broken), eclipse.eclipses(tr)
    np.testing.assert_allclose(a.sunlit_fraction[[0, 2, 3]], b.sunlit_fraction[[0, 2, 3]], atol=1e-12)
    sat1 = a.intervals.select(satellite=1, kind="eclipse")
    assert sat1.cut_end.any() or sat1.cut_start.any()
    assert a.eclipses[1] < b.eclipses[1]
    assert a.messages == ("gap",)


def test_shell_without_detail_keeps_only_statistics():
    rep = eclipse.eclipses(orbits.walker(144, 12, 1, "550km", "53deg"), start="2026-01-01",
                           duration="10d", step="60s", detail=False)
    assert rep.intervals is None and rep.orbit_table is None
    assert rep.daily_max_eclipse.shape == (144, 10)
    d = rep.to_dict()
    assert len(d["per_satellite"]) == 144
    # 550 km, 53 deg: the longest eclipse is the beta-0 one, 35.61 min (closed form),
    # plus the conical penumbra on both sides (~9 s).
    assert 35.61 * ONE_MINUTE < d["max_eclipse_s"] < 35.61 * ONE_MINUTE + 20 * ONE_SECOND


# --- bad input -----------------------------------------------------------------------

def test_start_outside_de421_names_the_span():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # erfa: "dubious year" far from the leap-second table
        with pytest.raises(EphemerisSpanError, match=DE421_SPAN) as exc:
            eclipse.eclipses(orbits.circular("550km"), start="1890-01-01", duration="1d")
        with pytest.raises(EphemerisSpanError, match="1899-07-29 to 2053-10-09"):
            eclipse.eclipses(orbits.circular("550km"), start="2053-10-01", duration="30d")
    assert isinstance(exc.value, OrbitlinkError) and isinstance(exc.value, ValueError)
    assert isinstance(exc.value, TimeGridError)


def test_api_bad_input():
    src = orbits.circular("550km")
    assert eclipse.EclipseError is EclipseError  # the old import path names the one class
    with pytest.raises(EclipseError, match="shadow.*conical"):
        eclipse.eclipses(src, start="2026-01-01", duration="1d", model="spherical")
    with pytest.raises(TimeGridError, match="duration"):
        eclipse.eclipses(src, start="2026-01-01", duration="30s", step="60s")
    with pytest.raises(TimeGridError, match="two time steps"):
        eclipse.eclipses(Track(*_one_sample(src)))
    with pytest.raises(OrbitSpecError, match="source.*OrbitSet, ElementSet or Track"):
        eclipse.eclipses(550)
    with pytest.raises(OrbitSpecError, match="source: cannot read '550'"):
        eclipse.eclipses("550")
    # An orbit spec string is a source, as in every analysis.
    assert eclipse.eclipses("550km", start="2026-01-01", duration="1d").n_satellites == 1
    # Propagator choice is orbitlink.propagators.resolve's, with its messages.
    with pytest.raises(OrbitSpecError, match="sgp4 needs TLE/OMM"):
        eclipse.eclipses(src, start="2026-01-01", duration="1d", propagator="sgp4")
    with pytest.raises(OrbitSpecError, match="propagator.*not one of"):
        eclipse.eclipses(src, start="2026-01-01", duration="1d", propagator="euler")


def _one_sample(src):
    """A Track's fields cut to its first sample."""
    tr = propagate(src, time_grid("2026-01-01", "120s", "60s"))
    grid = type(tr.grid)(tr.grid.start, tr.grid.t_s[:1])
    cut = slice(0, 1)
    return (grid, tr.names, tr.r_gcrs_m[:, :, cut], tr.v_gcrs_m_s[:, :, cut], tr.r_itrs_m[:, :, cut],
            tr.v_itrs_m_s[:, :, cut], tr.valid[:, cut], tr.propagator)


def test_progress_is_called_with_stage_and_fraction():
    calls = []
    track = propagate(orbits.walker(6, 2, 1, "550km", "53deg"), time_grid("2026-01-01", "1d", "60s"))
    eclipse.eclipses(track, chunk_elements=500, progress=lambda stage, fraction: calls.append((stage, fraction)))
    assert len(calls) > 2 and {stage for stage, _ in calls} == {"eclipses"}
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions) and 0.0 < fractions[0] and fractions[-1] == 1.0


# --- hapsira (optional): UmbraEvent / PenumbraEvent with Cowell propagation ----------------

def _hapsira_events(epoch):
    """hapsira's umbra and penumbra event functions, as its CowellPropagator calls them.

    With astropy >= 7, hapsira 0.18's ``Orbit`` (and so ``hapsira.twobody.events``) does not
    import; the events are then rebuilt from the same kernel exactly as
    ``EclipseEvent.__call__`` does (Sun and Earth from astropy's ``get_body_barycentric_posvel``,
    Escobal's shadow function ``hapsira.core.events.eclipse_function``).
    """
    from hapsira.bodies import Earth, Sun

    try:
        from hapsira.twobody.events import PenumbraEvent, UmbraEvent

        stand_in = SimpleNamespace(attractor=Earth, epoch=epoch)
        return [UmbraEvent(stand_in), PenumbraEvent(stand_in)]
    except ImportError:
        from astropy.coordinates import get_body_barycentric_posvel
        from hapsira.core.events import eclipse_function

        r_sun, r_earth = Sun.R.to_value(u.km), Earth.R.to_value(u.km)

        def event(umbra):
            def f(t, y, k):
                (pe, _), (ps, _) = (get_body_barycentric_posvel(b, epoch + t * u.s) for b in ("Earth", "Sun"))
                return eclipse_function(k, y, ((ps - pe).xyz << u.km).value, r_sun, r_earth, umbra=umbra)
            return f

        return [event(True), event(False)]


@pytest.mark.slow
@pytest.mark.parametrize("ecc, inclination", [(0.0, 53.0), (0.01, 53.0), (0.0, 97.8)])
def test_umbra_penumbra_vs_hapsira_cowell(ecc, inclination):
    pytest.importorskip("hapsira")
    from astropy.time import Time
    from hapsira.bodies import Earth
    from hapsira.core.propagation import func_twobody
    from scipy.integrate import DOP853, solve_ivp

    from orbitlink.core.kepler import propagate as kepler_propagate
    from orbitlink.sun import sun_table

    epoch = Time("2026-03-01T00:00:00", scale="utc")
    hours = 6
    src = orbits.keplerian("6928.137km", ecc, f"{inclination}deg", "40deg", "30deg", "10deg", epoch=epoch)
    r0, v0 = kepler_propagate(src.a_m, src.e, src.i_rad, src.raan_rad, src.argp_rad, src.m_rad,
                              np.zeros(1), j2=False)
    k = Earth.k.to_value(u.km**3 / u.s**2)
    # hapsira's CowellPropagator: DOP853, rtol 1e-11, atol 1e-12, events on the dense solution.
    sol = solve_ivp(func_twobody, (0.0, hours * 3600.0), np.r_[r0[:, 0, 0], v0[:, 0, 0]] / 1e3,
                    args=(k,), method=DOP853, rtol=1e-11, atol=1e-12, dense_output=True,
                    events=_hapsira_events(epoch))
    sun = sun_table(epoch, -3600.0, (hours + 1) * 3600.0)
    if ecc == 0.0:  # the closed-form circular path; the eccentric orbit takes the sampled path
        src = orbits.circular("550km", f"{inclination}deg", "40deg", "40deg", epoch=epoch)
    rep = eclipse.eclipses(src, start=epoch, duration=f"{hours}h", step="60s", propagator="two-body")
    for t_events, kind in zip(sol.t_events, ("umbra", "eclipse")):
        # Escobal's function also vanishes on the day side (performance notes: 30 of 61
        # roots in a day); keep the roots where the satellite is behind the Earth.
        r = sol.sol(t_events)[:3] * 1e3
        night = np.sum(r * sun.gcrs_m(t_events), axis=0) < 0.0
        assert (~night).sum() >= 1
        ours = _edges(rep.intervals, kind)
        theirs = np.sort(t_events[night])
        assert ours.size == theirs.size == 8
        # Measured: within 0.15 s for every entry and exit (hapsira: astropy's geometric
        # Sun; orbitlink: DE421 apparent, 20 arcsec of aberration apart).
        np.testing.assert_allclose(ours, theirs, atol=0.5 * ONE_SECOND)
