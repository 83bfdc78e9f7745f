"""Eclipse seasons of a dawn-dusk sun-synchronous orbit, and what they mean for power.

A 650 km orbit with its ascending node at 18:00 local time rides the
terminator: it is in sunlight all year except one season around the June
solstice, when the Sun sits far enough south of its orbit plane for Earth's
shadow to reach it.  A 53 deg orbit at 550 km, for comparison, sees eclipses
on almost every orbit.
"""

import astropy.units as u

from orbitlink import eclipses, orbits

designs = {
    "dawn-dusk SSO 650 km": orbits.sun_synchronous("650km", "18:00"),
    "53 deg, 550 km": orbits.circular("550km", "53deg"),
}
for label, design in designs.items():
    report = eclipses(design, start="2026-01-01", duration="365d", step="60s")
    print(f"{label}: sunlit {100 * report.sunlit_fraction[0]:.2f} % of the year, "
          f"longest eclipse {report.max_eclipse[0].to_value(u.min):.1f} min, "
          f"beta {report.beta_min[0].to_value(u.deg):.1f} to {report.beta_max[0].to_value(u.deg):.1f} deg")
    for season in report.seasons[0]:
        days = (season.end - season.start).to_value(u.day)
        print(f"    eclipse season {season.start.iso[:10]} to {season.end.iso[:10]} ({days:.0f} days)")
    # Orbit-average power of 10 m2 of 30 % cells, and the battery for a 2 kW load.
    power = report.power("10 m2", 0.30, "2kW").to_dict()
    print(f"    10 m2 at 30 %: {power['mean_power_w']:.0f} W orbit average "
          f"({power['worst_orbit_power_w']:.0f} W in the darkest orbit); "
          f"battery for 2 kW through the longest eclipse: {power['battery_energy_wh']:.0f} Wh")
