"""A 40 MW orbital data center in two orbits (dawn-dusk SSO vs a 53 deg LEO shell), then as a cluster.

Runs offline in a few seconds (the Sun comes from the bundled DE421 ephemeris):

    python examples/datacenter_feasibility.py
"""

from orbitlink import orbits
from orbitlink.feasibility import datacenter, size

START = "2026-01-01T00:00:00Z"   # a fixed year, so the numbers are reproducible

rows = []
for orbit in ("sso:650km", "550km"):
    # link=False: power, thermal and mass only (the link verdicts add a 24 h latency run).
    r = datacenter(orbit, "40MW", start=START, link=False)
    rows.append((orbit, r))

print(f"{'':32}" + "".join(f"{o:>16}" for o, _ in rows))
lines = [
    ("sunlit fraction", lambda r: f"{r.sunlit_fraction:.1%}"),
    ("longest eclipse (min)", lambda r: f"{r.orbit.max_eclipse_s / 60:.1f}"),
    ("solar array (thousand m^2)", lambda r: f"{r.solar_array_area_m2 / 1e3:,.0f}"),
    ("battery (MWh)", lambda r: f"{r.battery_energy_kwh / 1e3:,.1f}"),
    ("radiator (thousand m^2)", lambda r: f"{r.radiator_area_m2 / 1e3:,.0f}"),
    ("total mass (t)", lambda r: f"{r.total_mass_kg / 1e3:,.0f}"),
    ("launch at $3,000/kg ($B)", lambda r: f"{r.launch_cost_usd['3000'] / 1e9:,.2f}"),
    ("launch at $200/kg ($B)", lambda r: f"{r.launch_cost_usd['200'] / 1e9:,.2f}"),
    ("energy per panel vs ground", lambda r: f"{r.power.energy_per_panel_ratio:.2f}x"),
]
for label, fmt in lines:
    print(f"{label:32}" + "".join(f"{fmt(r):>16}" for _, r in rows))

# What-if without another eclipse run: re-size the SSO design with a hotter radiator.
sso = rows[0][1]
for temp in ("20C", "40C", "60C", "80C"):
    si = dict(sso.inputs, radiator_temp_k=273.15 + float(temp[:-1]))
    hot = size(sso.it_power_w, sso.orbit, si)
    print(f"radiator at {temp:>4}: {hot.radiator_area_m2 / 1e3:6.1f} thousand m^2, "
          f"total {hot.total_mass_kg / 1e3:,.0f} t")

assert rows[0][1].sunlit_fraction > rows[1][1].sunlit_fraction   # dawn-dusk sees more Sun

# Designs as proposed: a Suncatcher-like cluster of 81 satellites 1 km apart in a dawn-dusk orbit.
# --it-power is the total; every satellite is the same spacecraft, sized on the darkest one's year.

c = datacenter(orbits.cluster(81, "1km", "sso:650km:18:00"), "40MW", start=START, link=False)
each = c.per_satellite
print(f"cluster of {c.satellites}: {each['it_power_w'] / 1e3:,.0f} kW, "
      f"{each['solar_array_area_m2']:,.0f} m^2 of array and {each['total_mass_kg'] / 1e3:,.1f} t per satellite; "
      f"total {c.total_mass_kg / 1e3:,.0f} t; closest pair {c.separations['min_pair_m']:,.0f} m, "
      f"battery set by {c.orbit.battery_dates[0]} to {c.orbit.battery_dates[2]}")
assert abs(c.total_mass_kg - 81 * each["total_mass_kg"]) < 1e-6 * c.total_mass_kg
