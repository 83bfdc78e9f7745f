"""Eclipses: a Walker shell 1584/72/1 (550 km, 53 deg) over one year at 60 s.

Compares, in one run on this machine:
- orbitlink's :func:`orbitlink.eclipse.eclipses` on the whole shell (analytic
  J2 propagation, conical shadow, entry/exit refined to a millisecond, seasons
  and statistics; ``detail=False`` keeps only the per-satellite statistics);
- skyfield's ``EarthSatellite.at(t).is_sunlit(eph)`` (a yes/no per sample) on a
  sample of the same satellites with one reused Time for the whole span,
  extrapolated to the shell.  skyfield propagates with SGP4 (the satellites
  are built with ``sgp4init`` from the Walker elements), so its time includes
  propagation, as orbitlink's does;
- the same two on real element sets (the bundled Starlink sample, SGP4 in both),
  where orbitlink takes its sampled path (SGP4 chunk by chunk, Hermite
  interpolation between samples).

Run: ``python -m benchmarks.eclipse [--quick]``.  Target: the shell-year under
30 s and >= 100x skyfield (which costs ~2 s per satellite-year: ~52 min).
"""

from __future__ import annotations

import sys
import time

from benchmarks._harness import ROOT, case_main, print_table, run_case

N_SAT = 1584
START = "2026-01-01T00:00:00Z"


def _shell():
    from orbitlink import orbits

    return orbits.walker(N_SAT, 72, 1, "550km", "53deg", epoch=START)


def case_orbitlink_shell(days=365):
    from orbitlink import eclipse
    from orbitlink.times import planets

    planets()  # open the ephemeris file (once per process, not part of the work)
    shell = _shell()
    eclipse.eclipses(_one(shell), start=START, duration="1h", step="60s")  # first-call imports, untimed
    t0 = time.perf_counter()
    report = eclipse.eclipses(shell, start=START, duration=f"{days}d", step="60s", detail=False)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "eclipses": int(report.eclipses.sum()),
            "sunlit": float(report.sunlit_fraction.mean())}


def _one(shell):
    """The first satellite of an OrbitSet."""
    from dataclasses import replace

    return replace(shell, names=shell.names[:1], a_m=shell.a_m[:1], e=shell.e[:1], i_rad=shell.i_rad[:1],
                   raan_rad=shell.raan_rad[:1], argp_rad=shell.argp_rad[:1], m_rad=shell.m_rad[:1])


def _walker_satellites(sample):
    """skyfield satellites with the shell's first elements (SGP4 mean elements)."""
    import numpy as np
    from sgp4.api import WGS72, Satrec
    from skyfield.api import EarthSatellite

    from orbitlink.constants import MU_EARTH_M3_S2
    from orbitlink.times import timescale

    shell = _shell().at_epoch(START)
    ts = timescale()
    epoch = ts.from_astropy(shell.epoch)
    sats = []
    for k in np.linspace(0, N_SAT - 1, sample).astype(int):
        n_rad_min = np.sqrt(MU_EARTH_M3_S2 / shell.a_m[k] ** 3) * 60.0
        rec = Satrec()
        rec.sgp4init(WGS72, "i", k, epoch.tdb - 2433281.5, 0.0, 0.0, 0.0, 1e-7, 0.0,
                     shell.i_rad[k], float(shell.m_rad[k]), n_rad_min, float(shell.raan_rad[k]))
        sats.append(EarthSatellite.from_satrec(rec, ts))
    return sats


def case_skyfield_shell(days=365, sample=4):
    import numpy as np

    from orbitlink.times import planets, timescale

    eph, ts = planets(), timescale()
    sats = _walker_satellites(sample)
    t = ts.utc(2026, 1, 1, 0, 0, np.arange(0.0, days * 86400.0 + 1.0, 60.0))  # one Time, reused
    sats[0].at(t)  # builds the Time's cached rotation matrices once, untimed (reused by all)
    t0 = time.perf_counter()
    dark = [1.0 - sat.at(t).is_sunlit(eph).mean() for sat in sats]
    seconds = (time.perf_counter() - t0) * N_SAT / len(sats)
    return {"seconds": seconds, "sampled": len(sats), "dark": float(np.mean(dark))}


def _starlink():
    from orbitlink import load_elements

    return load_elements(ROOT / "ephemeris" / "tle" / "starlink-sample.tle")


def case_orbitlink_tle(hours=24):
    from orbitlink import eclipse
    from orbitlink.times import planets

    planets()
    elements = _starlink()
    eclipse.eclipses(elements.select([0]), start="2025-01-23T00:00:00Z", duration="1h", step="60s")  # imports
    t0 = time.perf_counter()
    report = eclipse.eclipses(elements, start="2025-01-23T00:00:00Z", duration=f"{hours}h", step="60s")
    return {"seconds": time.perf_counter() - t0, "satellites": len(elements),
            "eclipses": int(report.eclipses.sum())}


def case_skyfield_tle(hours=24, sample=40):
    import numpy as np
    from skyfield.api import EarthSatellite

    from orbitlink.times import planets, timescale

    eph, ts = planets(), timescale()
    elements = _starlink()
    sats = [EarthSatellite.from_satrec(s, ts) for s in elements.satrecs[:sample]]
    t = ts.utc(2025, 1, 23, 0, 0, np.arange(0.0, hours * 3600.0 + 1.0, 60.0))
    sats[0].at(t)  # the Time's cached rotations, untimed
    t0 = time.perf_counter()
    for sat in sats:
        sat.at(t).is_sunlit(eph)
    return {"seconds": (time.perf_counter() - t0) * len(elements) / len(sats), "sampled": len(sats)}


CASES = {
    "orbitlink_shell": case_orbitlink_shell,
    "skyfield_shell": case_skyfield_shell,
    "orbitlink_tle": case_orbitlink_tle,
    "skyfield_tle": case_skyfield_tle,
}


def run(quick: bool = False) -> list[dict]:
    days = 30 if quick else 365
    hours = 2 if quick else 24
    ours = run_case("eclipse", "orbitlink_shell", days=days)
    peer = run_case("eclipse", "skyfield_shell", days=days, sample=2 if quick else 4)
    ours_tle = run_case("eclipse", "orbitlink_tle", hours=hours)
    peer_tle = run_case("eclipse", "skyfield_tle", hours=hours, sample=10 if quick else 40)
    return [
        {"work": f"eclipses, Walker {N_SAT}/72/1, {days} d at 60 s", "orbitlink_s": ours["seconds"],
         "peer": f"skyfield is_sunlit (x{N_SAT}/{peer['sampled']})", "peer_s": peer["seconds"],
         "ratio": peer["seconds"] / ours["seconds"], "peak_mib": ours["peak_mib"]},
        {"work": f"eclipses, {ours_tle['satellites']} Starlink TLEs (SGP4), {hours} h at 60 s",
         "orbitlink_s": ours_tle["seconds"],
         "peer": f"skyfield is_sunlit (x{ours_tle['satellites']}/{peer_tle['sampled']})",
         "peer_s": peer_tle["seconds"], "ratio": peer_tle["seconds"] / ours_tle["seconds"],
         "peak_mib": ours_tle["peak_mib"]},
    ]


if __name__ == "__main__":
    if not case_main(CASES):
        rows = run(quick="--quick" in sys.argv)
        print_table(rows)
        print("target: the shell-year in under 30 s and >= 100x skyfield is_sunlit")
