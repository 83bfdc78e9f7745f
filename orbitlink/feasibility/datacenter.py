"""The whole orbital data-center report: orbit -> sunlight -> power, thermal, mass, cost, link.

:func:`datacenter` ties the physics of a real orbit to the engineering of a data
center in it:

1. the eclipse engine (:func:`orbitlink.eclipse.eclipses`, conical shadow, Sun
   from DE421) gives the sunlit fraction over the span (default a year), the
   longest eclipse, the orbit period and the beta-angle range;
2. :mod:`.power` sizes the solar array (SMAD eq. 11-5 on the longest-eclipse
   orbit, end-of-life degradation, margin) and the battery (SMAD eq. 11-6), and
   compares the same panel on the ground;
3. :mod:`.thermal` sizes the radiator for the waste heat at the orbit's altitude;
4. :mod:`.mass` adds racks, arrays, radiators, batteries and structure and prices
   the launch per $/kg scenario;
5. the link modules (:mod:`orbitlink.link`) give the latency and bandwidth
   verdicts for the same orbit and a ground network, when they are available.

Every input is a field of :class:`DataCenterInputs` with a default and its
source in :data:`SOURCES`; the report echoes them all, so every number can be
traced to an input or a cited constant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

import astropy.units as u
import numpy as np

from ..constants import MU_EARTH_M3_S2, R_EARTH_M
from ..errors import FeasibilityError, OrbitlinkError, QuantityError
from ..report import Progress, no_progress
from ..report import rounded as _r
from . import mass as mass_mod
from . import power as power_mod
from . import separations as separations_mod
from . import thermal as thermal_mod
from . import units as un  # orbitlink.units, with the data-center wording of fractions

#: Launch price scenarios ($/kg) used when none is given.
DEFAULT_LAUNCH_PRICES_USD_PER_KG = (3000.0, 200.0)

#: Where each default comes from (rendered in docs/datacenter.md and echoed in the report).
SOURCES = {
    "overhead": "assumption: pumps, avionics, attitude control and comms as a share of IT power; "
                "terrestrial analogue: Google fleet PUE 1.10",
    "cell_efficiency": "Spectrolab XTJ triple-junction cells average 29.8 % at AM0, BOL "
                       "(Fetzer et al., IEEE PVSC 2010)",
    "packing_factor": "assumption: share of array area covered by cells",
    "inherent_degradation": "SMAD 3rd ed. Table 11-35: design and assembly 0.85 x shadowing 1.00 (the "
                            "table's nominal I_d 0.77 also holds a temperature element 0.91, computed here "
                            "from the orbit instead)",
    "cell_temperature_coefficient": "relative loss of maximum power per kelvin above the 28 C rating, "
                                    "order of GaInP/GaAs/Ge cells (Siefer & Bett 2014, Prog. Photovolt. 22, 515); "
                                    "assumption",
    "sun_incidence": "ideal two-axis sun tracking; the cosine loss of an error theta is cos(theta)",
    "degradation_per_year": "SMAD 3rd ed. sec. 11.4: GaAs cells about 2.75 %/yr in LEO (silicon 3.75 %/yr)",
    "mission_life": "assumption: accelerator service life (servers are depreciated over 5-6 years)",
    "design_margin": "assumption: end-of-life contingency of preliminary design",
    "x_eclipse": "SMAD 3rd ed. eq. 11-5, direct energy transfer: array -> battery -> loads 0.65",
    "x_daylight": "SMAD 3rd ed. eq. 11-5, direct energy transfer: array -> loads 0.85",
    "array_areal_density": "assumption: flexible blanket array with booms and mechanisms "
                           "(order of the ISS roll-out arrays, ~340 kg per ~20 kW wing)",
    "eclipse_load": "the data center keeps running through eclipses (lower it to throttle compute)",
    "depth_of_discharge": "Saft VES180 Li-ion qualification: 5 years in LEO at 30 % DoD (ESA ARTES)",
    "battery_efficiency": "SMAD 3rd ed. eq. 11-6: battery-to-load transmission efficiency ~0.9",
    "battery_specific_energy": "Saft VES180 space cell 160 Wh/kg (ESA ARTES), less battery packaging",
    "capacity_factor": "LBNL Utility-Scale Solar 2024 edition: median plant capacity factor 24 % (AC)",
    "radiator_temp": "assumption: panel at 20 C, warm-water liquid cooling; "
                     "the issue's check value (837.5 W/m^2 two-sided black plate)",
    "emissivity": "AZ-93 white thermal-control paint: eps = 0.91 +- 0.02",
    "absorptivity": "AZ-93 white thermal-control paint: alpha = 0.15 +- 0.02 (beginning of life)",
    "radiator_sides": "a deployed panel radiates from both faces",
    "radiator_attitude": "edge-on: panel plane holds the Sun and nadir directions (yaw steering), the "
                         "lowest load without a shade; nadir: one face to the Earth, the other to zenith",
    "radiator_areal_density": "NASA SBIR 91-1 09.08-6551B (Thermacore): conventional radiator 7 kg/m^2 "
                              "(the same project targets 0.43 kg/m^2 for an unfurlable heat-pipe radiator)",
    "rack_power": "NVIDIA DGX GB200 NVL72: ~120 kW per rack (GTC 2024)",
    "rack_mass": "NVIDIA DGX GB200 NVL72: ~1.36 t (3,000 lb) per rack (GTC 2024)",
    "structure_fraction": "assumption: primary and secondary structure as a share of total mass",
    "launch_prices": "3000 $/kg: Falcon 9 list price ~$67-70M for up to 22.8 t to LEO, the commonly "
                     "quoted figure; 200 $/kg: Google Project Suncatcher (2025), 'below $200/kg by "
                     "the mid-2030s'",
    "payload_capacity": "none: cost pro rata by mass; give e.g. 100t to count whole launches",
}


@dataclass(frozen=True)
class DataCenterInputs:
    """Every engineering input, as the user gives it (Quantity or text; see :data:`SOURCES`)."""

    overhead: object = "10%"                  # non-IT load as a fraction of IT power
    cell_efficiency: object = "30%"           # AM0, beginning of life
    packing_factor: object = "90%"
    inherent_degradation: object = 0.85       # SMAD I_d without its temperature element
    cell_temperature_coefficient: object = "0.2%"   # per kelvin above 28 C
    sun_incidence: object = "0deg"            # sun-tracking error (cosine loss)
    degradation_per_year: object = "2.75%"
    mission_life: object = "5yr"
    design_margin: object = "10%"             # on the end-of-life array power
    x_eclipse: object = 0.65                  # SMAD path efficiency via the battery
    x_daylight: object = 0.85                 # SMAD path efficiency direct to loads
    array_areal_density: object = "3kg/m2"
    eclipse_load: object = "100%"             # load carried through eclipse, fraction of the total load
    depth_of_discharge: object = "30%"
    battery_efficiency: object = "90%"
    battery_specific_energy: object = "150Wh/kg"
    capacity_factor: object = "24%"           # ground solar farm
    radiator_temp: object = "20C"
    emissivity: object = 0.91
    absorptivity: object = 0.15
    radiator_sides: object = 2
    radiator_attitude: object = "edge-on"     # or "nadir"
    radiator_areal_density: object = "7kg/m2"
    rack_power: object = "120kW"
    rack_mass: object = "1360kg"
    structure_fraction: object = "20%"
    launch_prices: object = DEFAULT_LAUNCH_PRICES_USD_PER_KG
    payload_capacity: object = None

    def resolve(self) -> dict:
        """The inputs as SI floats (names carry units).

        A value that cannot be read or is out of range raises
        :class:`~orbitlink.errors.QuantityError` naming the field (as every reader of
        :mod:`orbitlink.units`); no launch price at all is a :class:`FeasibilityError`.
        """
        prices = self.launch_prices
        if isinstance(prices, (str, int, float)):
            prices = (prices,)
        prices = tuple(dict.fromkeys(un.price_usd_per_kg(p, "launch price") for p in prices))
        if not prices:
            raise FeasibilityError("launch price: give at least one price in $/kg (e.g. 3000)")
        sides = self.radiator_sides
        try:
            sides_i = int(str(sides).strip())
        except ValueError:
            sides_i = -1
        if sides_i not in (1, 2):
            raise QuantityError(f"radiator sides: {sides!r} is out of range (1 or 2)")
        attitude = str(self.radiator_attitude).strip().lower()
        if attitude not in RADIATOR_ATTITUDES:
            raise QuantityError(f"radiator attitude: {self.radiator_attitude!r} is not known "
                                "(edge-on or nadir)")
        return {
            "overhead": un.fraction(self.overhead, "overhead", lo_inclusive=True, hi=10.0),
            "cell_efficiency": un.fraction(self.cell_efficiency, "cell efficiency"),
            "packing_factor": un.fraction(self.packing_factor, "packing factor"),
            "inherent_degradation": un.fraction(self.inherent_degradation, "inherent degradation"),
            "cell_temperature_coefficient_per_k": un.fraction(self.cell_temperature_coefficient,
                                                              "cell temperature coefficient",
                                                              lo_inclusive=True, hi=0.05),
            "sun_incidence_rad": un.angle_rad(self.sun_incidence, "sun incidence", hi_deg=90.0,
                                              hi_inclusive=False),
            "degradation_per_year": un.fraction(self.degradation_per_year, "degradation per year",
                                                lo_inclusive=True, hi_inclusive=False),
            "mission_life_years": un.duration_s(self.mission_life, "mission life",
                                                allow_zero=True) / power_mod.YEAR_S,
            "design_margin": un.fraction(self.design_margin, "design margin", lo_inclusive=True, hi=10.0),
            "x_eclipse": un.fraction(self.x_eclipse, "x eclipse"),
            "x_daylight": un.fraction(self.x_daylight, "x daylight"),
            "array_areal_density_kg_m2": un.areal_density_kg_m2(self.array_areal_density,
                                                                "array areal density"),
            "eclipse_load": un.fraction(self.eclipse_load, "eclipse load", lo_inclusive=True),
            "depth_of_discharge": un.fraction(self.depth_of_discharge, "depth of discharge"),
            "battery_efficiency": un.fraction(self.battery_efficiency, "battery efficiency"),
            "battery_specific_energy_j_kg": un.specific_energy_j_kg(self.battery_specific_energy,
                                                                    "battery specific energy"),
            "capacity_factor": un.fraction(self.capacity_factor, "capacity factor"),
            "radiator_temp_k": un.temperature_k(self.radiator_temp, "radiator temperature"),
            "emissivity": un.fraction(self.emissivity, "emissivity"),
            "absorptivity": un.fraction(self.absorptivity, "absorptivity", lo_inclusive=True),
            "radiator_sides": sides_i,
            "radiator_attitude": attitude,
            "radiator_areal_density_kg_m2": un.areal_density_kg_m2(self.radiator_areal_density,
                                                                   "radiator areal density"),
            "rack_power_w": un.power_w(self.rack_power, "rack power"),
            "rack_mass_kg": un.mass_kg(self.rack_mass, "rack mass"),
            "structure_fraction": un.fraction(self.structure_fraction, "structure fraction",
                                              lo_inclusive=True, hi_inclusive=False),
            "launch_prices_usd_per_kg": prices,
            "payload_capacity_kg": (None if self.payload_capacity is None
                                    else un.mass_kg(self.payload_capacity, "payload capacity")),
        }


INPUT_NAMES = tuple(f.name for f in fields(DataCenterInputs))
RADIATOR_ATTITUDES = ("edge-on", "nadir")
#: The span every spacecraft is sized on, whatever the link-analysis span: a full year of the
#: orbit, so eclipse seasons are in (the circular closed form does a year in well under a second).
SIZING_SPAN = "365d"


@dataclass(frozen=True)
class OrbitSunlight:
    """What the eclipse engine says about the orbit over the span (worst satellite if several)."""

    description: str
    satellites: int
    altitude_m: float                 # lowest perigee altitude (largest Earth view factor)
    inclination_deg: float
    period_s: float
    start: str
    end: str
    duration_s: float
    step_s: float
    sunlit_fraction: float
    max_eclipse_s: float
    eclipses: int
    beta_min_deg: float
    beta_max_deg: float
    min_abs_beta_deg: float
    seasons: tuple = ()
    source: str = "eclipse engine: conical shadow, apparent Sun from DE421"
    # Per day of the span, for plots (the darkest satellite): start of the day (ISO UTC)
    # and the longest eclipse that began that day (s).
    day_start: tuple = ()
    daily_max_eclipse_s: tuple = ()
    # The dates that set the battery: days whose longest eclipse (any satellite) is within
    # 1 % of the year's longest, as (first day, day of the longest, last day), ISO dates.
    battery_dates: tuple = ()

    def __repr__(self) -> str:
        # One line: the dataclass repr printed a year of daily eclipse maxima (20 k characters).
        return (f"OrbitSunlight({self.description!r}, {self.start[:16]}Z + {self.duration_s / 86400:g} d: "
                f"sunlit {100 * self.sunlit_fraction:.3f} %, longest eclipse {self.max_eclipse_s / 60:.1f} min, "
                f"{self.eclipses} eclipses, beta {self.beta_min_deg:.1f} to {self.beta_max_deg:.1f} deg)")

    def to_dict(self) -> dict:
        return {
            "description": self.description,
            "satellites": self.satellites,
            "altitude_km": _r(self.altitude_m / 1e3, 3),
            "inclination_deg": _r(self.inclination_deg, 4),
            "period_s": _r(self.period_s, 3),
            "start": self.start,
            "end": self.end,
            "duration_s": _r(self.duration_s, 3),
            "step_s": _r(self.step_s, 3),
            "sunlit_fraction": _r(self.sunlit_fraction),
            "max_eclipse_s": _r(self.max_eclipse_s, 3),
            "eclipses": self.eclipses,
            "beta_deg": {"min": _r(self.beta_min_deg, 4), "max": _r(self.beta_max_deg, 4)},
            "min_abs_beta_deg": _r(self.min_abs_beta_deg, 4),
            "seasons": list(self.seasons),
            "battery_set_by": (None if not self.battery_dates else
                               {"first_day": self.battery_dates[0], "longest_day": self.battery_dates[1],
                                "last_day": self.battery_dates[2],
                                "rule": "days whose longest eclipse is within 1 % of the year's longest"}),
            "source": self.source,
        }


@dataclass(frozen=True)
class DataCenterReport:
    """Feasibility of one orbital data center (SI floats; units in the names).

    ``to_dict()`` is the ``--json`` output: the headline figures at the top
    level (``sunlit_fraction``, ``solar_array_area_m2``, ``battery_energy_kwh``,
    ``radiator_area_m2``, ``total_mass_kg``, ``launch_cost_usd`` keyed by the
    $/kg price) and the sections ``orbit``, ``power``, ``thermal``, ``mass``,
    ``link`` and ``inputs`` (every input with its SI value and source).
    """

    it_power_w: float
    load_w: float
    heat_w: float
    orbit: OrbitSunlight
    power: power_mod.PowerSizing
    thermal: thermal_mod.RadiatorSizing
    mass: mass_mod.MassBudget
    inputs: dict
    given: dict
    link: dict = field(default_factory=dict)
    satellites: int = 1               # compute satellites sharing it_power_w (identical spacecraft)
    separations: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        # A few lines for notebooks: the headline figures and the verdict, not every input.
        verdict = (self.link or {}).get("verdict") or {}
        link = "" if "workable" not in verdict else \
            f"; link {'workable' if verdict['workable'] else 'not workable'}"
        cost = ", ".join(f"${v / 1e9:,.2f} B at ${float(k):g}/kg" for k, v in self.launch_cost_usd.items())
        return (f"DataCenterReport({self.it_power_w / 1e6:g} MW of IT on {self.satellites} satellite"
                f"{'s' if self.satellites != 1 else ''}, {self.orbit.description}: sunlit "
                f"{100 * self.sunlit_fraction:.2f} %, arrays {self.solar_array_area_m2:,.0f} m2, radiators "
                f"{self.radiator_area_m2:,.0f} m2, mass {self.total_mass_kg / 1e3:,.0f} t, launch {cost}{link})")

    # Headline figures (totals over the satellites) ----------------------------
    @property
    def sunlit_fraction(self) -> float:
        return self.orbit.sunlit_fraction

    @property
    def solar_array_area_m2(self) -> float:
        return self.power.solar_array_area_m2 * self.satellites

    @property
    def battery_energy_kwh(self) -> float:
        return self.power.battery_energy_kwh * self.satellites

    @property
    def radiator_area_m2(self) -> float:
        return self.thermal.radiator_area_m2 * self.satellites

    @property
    def total_mass_kg(self) -> float:
        return self.mass.total_mass_kg * self.satellites

    @property
    def launch_cost_usd(self) -> dict:
        return {k: v * self.satellites for k, v in self.mass.launch_cost_usd.items()}

    @property
    def per_satellite(self) -> dict:
        """One satellite's share and spacecraft (SI floats)."""
        return {"it_power_w": self.it_power_w / self.satellites,
                "solar_array_area_m2": self.power.solar_array_area_m2,
                "radiator_area_m2": self.thermal.radiator_area_m2,
                "battery_energy_kwh": self.power.battery_energy_kwh,
                "total_mass_kg": self.mass.total_mass_kg}

    def to_dict(self) -> dict:
        p, t, m = self.power, self.thermal, self.mass
        return {
            "it_power_w": _r(self.it_power_w, 3),
            "load_w": _r(self.load_w, 3),
            "heat_w": _r(self.heat_w, 3),
            "satellites": self.satellites,
            "totals": "top-level figures are totals over the satellites; power, thermal and mass "
                      "sections are per satellite",
            "per_satellite": {k: _r(v, 3) for k, v in self.per_satellite.items()},
            "sunlit_fraction": _r(self.sunlit_fraction),
            "solar_array_area_m2": _r(self.solar_array_area_m2, 3),
            "battery_energy_kwh": _r(self.battery_energy_kwh, 3),
            "radiator_area_m2": _r(self.radiator_area_m2, 3),
            "total_mass_kg": _r(self.total_mass_kg, 3),
            "launch_cost_usd": {k: _r(v, 2) for k, v in self.launch_cost_usd.items()},
            "orbit": self.orbit.to_dict(),
            "separations": self.separations,
            "power": {
                "load_w": _r(p.load_w, 3),
                "eclipse_load_w": _r(p.eclipse_load_w, 3),
                "sizing_eclipse_s": _r(p.sizing_eclipse_s, 3),
                "sizing_period_s": _r(p.sizing_period_s, 3),
                "array_power_required_w": _r(p.array_power_required_w, 3),
                "array_design_power_w": _r(p.array_design_power_w, 3),
                "array_areal_power_bol_w_m2": _r(p.array_areal_power_bol_w_m2, 4),
                "array_areal_power_eol_w_m2": _r(p.array_areal_power_eol_w_m2, 4),
                "bare_cell_areal_power_w_m2": _r(p.bare_cell_areal_power_w_m2, 4),
                "inherent_degradation": _r(p.inherent_degradation),
                "cell_temperature_c": _r(p.cell_temperature_k - 273.15, 3),
                "cell_temperature_factor": _r(p.temperature_factor),
                "solar_array_area_m2": _r(p.solar_array_area_m2, 3),
                "array_power_bol_w": _r(p.array_power_bol_w, 3),
                "solar_array_mass_kg": _r(p.solar_array_mass_kg, 3),
                "battery_energy_kwh": _r(p.battery_energy_kwh, 3),
                "battery_mass_kg": _r(p.battery_mass_kg, 3),
                "orbit_average_array_power_w": _r(p.orbit_average_array_power_w, 3),
                "ground_comparison": {
                    "capacity_factor": _r(p.ground_capacity_factor),
                    "energy_per_panel_ratio": _r(p.energy_per_panel_ratio),
                    "ground_array_area_m2": _r(p.ground_array_area_m2, 3),
                },
            },
            "thermal": {k: (_r(v, 4) if isinstance(v, float) else v) for k, v in t.to_dict().items()},
            "mass": {
                "racks": m.racks,
                "compute_kg": _r(m.compute_kg, 3),
                "solar_array_kg": _r(m.solar_array_kg, 3),
                "radiator_kg": _r(m.radiator_kg, 3),
                "battery_kg": _r(m.battery_kg, 3),
                "structure_fraction": _r(m.structure_fraction),
                "structure_kg": _r(m.structure_kg, 3),
                "total_mass_kg": _r(m.total_mass_kg, 3),
                "payload_capacity_kg": None if m.payload_capacity_kg is None else _r(m.payload_capacity_kg, 3),
                "launches": m.launches,
                "launch_cost_full_flights_usd": (None if m.launch_cost_full_flights_usd is None else
                                                 {k: _r(v, 2) for k, v in m.launch_cost_full_flights_usd.items()}),
            },
            "link": self.link,
            "inputs": {name: {"given": _jsonable(self.given[name]), "si": _jsonable(self.inputs[key]),
                              "source": SOURCES[name]}
                       for name, key in _INPUT_KEYS.items()},
        }


# Field name -> key of the resolved SI dict.
_INPUT_KEYS = {
    "overhead": "overhead", "cell_efficiency": "cell_efficiency", "packing_factor": "packing_factor",
    "inherent_degradation": "inherent_degradation",
    "cell_temperature_coefficient": "cell_temperature_coefficient_per_k",
    "radiator_attitude": "radiator_attitude",
    "sun_incidence": "sun_incidence_rad", "degradation_per_year": "degradation_per_year",
    "mission_life": "mission_life_years", "design_margin": "design_margin", "x_eclipse": "x_eclipse",
    "x_daylight": "x_daylight", "array_areal_density": "array_areal_density_kg_m2",
    "eclipse_load": "eclipse_load", "depth_of_discharge": "depth_of_discharge",
    "battery_efficiency": "battery_efficiency", "battery_specific_energy": "battery_specific_energy_j_kg",
    "capacity_factor": "capacity_factor", "radiator_temp": "radiator_temp_k", "emissivity": "emissivity",
    "absorptivity": "absorptivity", "radiator_sides": "radiator_sides",
    "radiator_areal_density": "radiator_areal_density_kg_m2", "rack_power": "rack_power_w",
    "rack_mass": "rack_mass_kg", "structure_fraction": "structure_fraction",
    "launch_prices": "launch_prices_usd_per_kg", "payload_capacity": "payload_capacity_kg",
}


def _jsonable(v):
    if isinstance(v, u.Quantity):
        return v.to_string()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, float):
        return _r(v, 9)
    return v


# =============================================================================
# Human-readable summary (shared by the rich table and the Markdown report)
# =============================================================================

def _money(x: float) -> str:
    if x >= 1e9:
        return f"${x / 1e9:,.2f} billion"
    if x >= 1e6:
        return f"${x / 1e6:,.1f} million"
    return f"${x:,.0f}"


def _area(m2: float) -> str:
    return f"{m2:,.0f} m² ({m2 / 1e4:,.1f} ha)"


def _length(m: float) -> str:
    return f"{m:,.0f} m" if m < 10e3 else f"{m / 1e3:,.0f} km"


def _t(kg: float) -> str:
    return f"{kg / 1e3:,.1f} t"


def summary_sections(report: "DataCenterReport") -> list[tuple[str, list[tuple[str, str]]]]:
    """The one-page report as (section title, [(quantity, value text)]) rows."""
    o, p, t, m = report.orbit, report.power, report.thermal, report.mass
    si = report.inputs
    orbit_rows = [
        ("orbit", o.description),
        ("sizing span (UTC)", f"{o.start[:10]} to {o.end[:10]}, step {o.step_s:g} s "
                              "(a full year whatever --duration says)"),
        ("altitude / inclination", f"{o.altitude_m / 1e3:,.1f} km / {o.inclination_deg:.2f}°"),
        ("orbit period", f"{o.period_s / 60:.2f} min"),
        ("sunlit fraction", f"{o.sunlit_fraction:.2%}"),
        ("longest eclipse", f"{o.max_eclipse_s / 60:.1f} min ({o.eclipses} eclipses)"),
        ("beta angle", f"{o.beta_min_deg:.1f}° to {o.beta_max_deg:.1f}°"),
    ]
    if o.battery_dates:
        first, longest, last = o.battery_dates
        orbit_rows.append(("battery set by", f"eclipses of {first} to {last} (longest on {longest})"))
    else:
        orbit_rows.append(("battery set by", "no eclipse in the year: no battery for eclipses"))
    sep = report.separations
    if sep:
        orbit_rows.append(("satellite separations", f"closest {_length(sep['min_pair_m'])}, nearest "
                                                    f"neighbour {_length(sep['nearest_neighbour_m'])}, extent "
                                                    f"{_length(sep['max_pair_m'])} (over one orbit)"))
    n = report.satellites
    each = f" per satellite (x {n})" if n > 1 else ""
    power_rows = [
        ("IT load + overhead" + (" (total)" if n > 1 else ""),
         f"{report.it_power_w / 1e6:,.2f} MW + {si['overhead']:.0%} = {report.load_w / 1e6:,.2f} MW"),
    ]
    if n > 1:
        power_rows.append(("IT load per satellite", f"{report.it_power_w / n / 1e6:,.3f} MW on each of {n} "
                                                     "satellites, all sized on the darkest one's year"))
    power_rows += [
        ("array power needed (SMAD 11-5)", f"{p.array_power_required_w / 1e6:,.2f} MW "
                                           f"(+{si['design_margin']:.0%} margin: {p.array_design_power_w / 1e6:,.2f} MW)"),
        ("array output per m² BOL / EOL", f"{p.array_areal_power_bol_w_m2:,.1f} / {p.array_areal_power_eol_w_m2:,.1f} W/m² "
                                          f"(after {si['mission_life_years']:g} yr)"),
        ("flown-array losses", f"bare cells {p.bare_cell_areal_power_w_m2:,.1f} W/m² x inherent degradation "
                               f"{p.inherent_degradation:g} x cell temperature {p.temperature_factor:.3f} "
                               f"({p.cell_temperature_k - 273.15:.0f} °C)"),
        ("solar array area" + each, _area(p.solar_array_area_m2)),
        ("solar array mass", _t(p.solar_array_mass_kg)),
        ("battery energy / mass" + each, f"{p.battery_energy_kwh / 1e3:,.1f} MWh / {_t(p.battery_mass_kg)} "
                                  f"(DoD {si['depth_of_discharge']:.0%})"),
        ("same panel: orbit vs ground", f"{p.energy_per_panel_ratio:.2f}x the energy per m² "
                                        f"(ground capacity factor {p.ground_capacity_factor:.0%})"),
        ("ground farm, same cells and energy", _area(p.ground_array_area_m2)),
    ]
    thermal_rows = [
        ("waste heat", f"{t.heat_w / 1e6:,.2f} MW"),
        ("radiator", f"{t.temperature_k - 273.15:.1f} °C, ε {t.emissivity:g}, α {t.absorptivity:g}, "
                     f"{t.sides}-sided"),
        ("radiator attitude", {"nadir": "nadir-facing (one face to the Earth)"}.get(
            si.get("radiator_attitude", "edge-on"), "edge-on to the Sun, normal horizontal")),
        ("radiated / absorbed per m²", f"{t.sides * t.emitted_per_side_w_m2:,.1f} / {t.absorbed_w_m2:,.1f} W/m² "
                                       f"(Earth view factor {t.earth_view_factor:.3f}, side 1)"),
        ("absorbed: Earth IR / albedo / Sun", f"{t.earth_ir_w_m2:,.1f} / {t.albedo_w_m2:,.1f} / "
                                              f"{t.sun_w_m2:,.1f} W/m² (all sides)"),
        ("net rejection per m²", f"{t.net_w_m2:,.1f} W/m² (sink {t.sink_temperature_k:.0f} K)"),
        ("radiator area" + each, _area(t.radiator_area_m2)),
        ("radiator mass", _t(t.radiator_mass_kg)),
    ]
    mass_rows = [
        ("compute racks", f"{m.racks} x {si['rack_power_w'] / 1e3:g} kW: {_t(m.compute_kg)}"),
        ("arrays / radiators / batteries", f"{_t(m.solar_array_kg)} / {_t(m.radiator_kg)} / {_t(m.battery_kg)}"),
        ("structure", f"{m.structure_fraction:.0%} of total: {_t(m.structure_kg)}"),
        ("total mass" + each, _t(m.total_mass_kg)),
    ]
    if n > 1:
        mass_rows.append((f"total mass, {n} satellites", _t(report.total_mass_kg)))
    for key, cost in report.launch_cost_usd.items():
        mass_rows.append((f"launch at ${float(key):,.0f}/kg" + (" (total)" if n > 1 else ""), _money(cost)))
    if m.launches is not None:
        mass_rows.append(("launches", f"{m.launches} x {m.payload_capacity_kg / 1e3:,.1f} t"))
        for key, cost in m.launch_cost_full_flights_usd.items():
            mass_rows.append((f"  whole flights at ${float(key):,.0f}/kg", _money(cost)))
    sections = [("Orbit and sunlight", orbit_rows), ("Power", power_rows), ("Thermal", thermal_rows),
                ("Mass and launch cost", mass_rows)]
    if report.link:
        sections.append(("Link (orbitlink.link)", link_rows(report.link)))
    return sections


def to_markdown(report: "DataCenterReport", plots: list[tuple[str, str]] | None = None) -> str:
    """The report as Markdown; ``plots`` is a list of (caption, relative image path)."""
    lines = [f"# Orbital data center: {report.it_power_w / 1e6:g} MW on {report.orbit.description}", ""]
    lines.append("Generated by `orbitlink datacenter`. Every figure follows from the inputs below and the "
                 "cited constants (see docs/datacenter.md).")
    lines.append("")
    for title, rows in summary_sections(report):
        lines += [f"## {title}", "", "| quantity | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in rows]
        lines.append("")
    if plots:
        lines += ["## Plots", ""]
        for caption, path in plots:
            lines += [f"![{caption}]({path})", ""]
    lines += ["## Inputs", "", "| input | value | source |", "|---|---|---|"]
    for name in INPUT_NAMES:
        given = report.given.get(name)
        lines.append(f"| {name} | {_jsonable(given)} | {SOURCES[name]} |")
    lines.append("")
    return "\n".join(lines)


# =============================================================================
# The orbit: sunlight from the eclipse engine
# =============================================================================

def resolve_orbit(orbit):
    """An :class:`~orbitlink.orbits.OrbitSet` or element set from a spec (``"sso:650km"``) or object."""
    from .. import orbits as orbit_specs

    if isinstance(orbit, str):
        return orbit_specs.parse_orbit(orbit)
    if isinstance(orbit, orbit_specs.OrbitSet) or hasattr(orbit, "satrecs"):
        return orbit
    raise FeasibilityError(f"orbit: {orbit!r} is not an orbit (a spec such as sso:650km or 550km, "
                           "an OrbitSet or an ElementSet)")


def _geometry(source) -> tuple[float, float, float]:
    """(lowest perigee altitude m, inclination deg, mean period s) of the source."""
    if hasattr(source, "satrecs"):
        # SGP4 elements: semi-major axis in Earth radii (WGS-72 in sgp4), mean motion in rad/min.
        a = np.array([s.a for s in source.satrecs]) * R_EARTH_M
        e = np.array([s.ecco for s in source.satrecs])
        inc = np.degrees([s.inclo for s in source.satrecs])
    else:
        a, e, inc = source.a_m, source.e, np.degrees(source.i_rad)
    perigee_alt = a * (1.0 - e) - R_EARTH_M
    period = 2 * np.pi * np.sqrt(a**3 / MU_EARTH_M3_S2)
    return float(np.min(perigee_alt)), float(np.max(inc)), float(np.mean(period))


def orbit_sunlight(source, *, start=None, duration="365d", step="60s", propagator="auto") -> OrbitSunlight:
    """Run the eclipse engine on ``source`` and keep what the sizing needs (worst satellite)."""
    from ..eclipse import eclipses

    rep = eclipses(source, start=start, duration=duration, step=step, propagator=propagator, detail=False)
    alt_m, inc_deg, _ = _geometry(source)
    # The darkest satellite sizes the power system; the array's energy follows the
    # power-weighted illumination (penumbra by its visible part), not the full-Sun time.
    k = int(np.argmin(rep.illumination_fraction))
    max_ecl = rep.max_eclipse.to_value(u.s)
    max_ecl = float(np.nanmax(max_ecl)) if np.any(np.isfinite(max_ecl)) else 0.0
    period = float(np.nanmean(rep.period.to_value(u.s)))
    bmin = rep.beta_min.to_value(u.deg)
    bmax = rep.beta_max.to_value(u.deg)
    # Smallest |beta| of any satellite: 0 where beta changes sign over the span.
    abs_min = np.where((bmin <= 0) & (bmax >= 0), 0.0, np.minimum(np.abs(bmin), np.abs(bmax)))
    d = rep.to_dict(per_satellite=False)
    label = getattr(source, "description", "")
    return OrbitSunlight(
        description=(" + ".join(dict.fromkeys(rep.names)) if len(rep.names) <= 3
                     else (f"{label} ({len(rep.names)} satellites)" if label
                           else f"{len(rep.names)} satellites")),
        satellites=rep.n_satellites,
        altitude_m=alt_m,
        inclination_deg=inc_deg,
        period_s=period,
        start=d["start"],
        end=d["end"],
        duration_s=float(d["duration_s"]),
        step_s=float(d["step_s"]),
        sunlit_fraction=float(rep.illumination_fraction[k]),
        max_eclipse_s=max_ecl,
        eclipses=int(np.sum(rep.eclipses)),
        beta_min_deg=float(np.nanmin(bmin)),
        beta_max_deg=float(np.nanmax(bmax)),
        min_abs_beta_deg=float(np.nanmin(abs_min)),
        seasons=tuple(d.get("seasons", [])),
        day_start=tuple(t + "Z" for t in np.atleast_1d(rep.day_start.utc.isot)),
        daily_max_eclipse_s=tuple(float(x) for x in
                                  np.nan_to_num(rep.daily_max_eclipse.to_value(u.s)[k], nan=0.0)),
        battery_dates=_battery_dates(rep),
    )


def _battery_dates(rep) -> tuple:
    """(first, longest, last) ISO day of the days whose longest eclipse is within 1 % of the span's."""
    daily = np.nan_to_num(np.atleast_2d(rep.daily_max_eclipse.to_value(u.s)), nan=0.0).max(axis=0)
    if daily.size == 0 or daily.max() <= 0.0:
        return ()
    days = np.atleast_1d(rep.day_start.utc.isot)
    near = np.flatnonzero(daily >= 0.99 * daily.max())
    return (days[near[0]][:10], days[int(np.argmax(daily))][:10], days[near[-1]][:10])


from .service import LINK_DEFAULTS, link_rows, link_section  # noqa: E402  (kept importable from here)
from .service import SERVICE_KEYS, WORKLOAD_KEYS  # noqa: E402

#: Keywords of datacenter() that go to the link analysis (:func:`link_section`), as the CLI names them.
_LINK_KEYWORDS = ("gateways", *SERVICE_KEYS, *WORKLOAD_KEYS, "dataset_size", "upload_time",
                  "checkpoint_size_per_day")


# =============================================================================
# The report
# =============================================================================

#: The stages :func:`datacenter` reports to its ``progress`` callback.
STAGE_ECLIPSES = "eclipses over a year (sizing)"
STAGE_LINK = "latency and data volume over the link span"


def datacenter(orbit="sso:650km", it_power="40MW", *, start=None, duration=None, step=None,
               sizing_step="60s", propagator: str = "auto", link: bool = True,
               link_options: dict | None = None, progress: Progress | None = None,
               **inputs) -> DataCenterReport:
    """Feasibility report of an ``it_power`` data center on ``orbit``.

    ``orbit`` is a spec (``"sso:650km"``, ``"550km"``), an
    :class:`~orbitlink.orbits.OrbitSet` (a Walker shell or a cluster: ``it_power``
    is then the total, shared evenly by the satellites) or an element set;
    ``it_power`` a power (``"40MW"`` or a Quantity).  Power, battery, thermal and
    mass are sized on the worst case of a full year of the orbit from ``start``
    (:data:`SIZING_SPAN`, sampled at ``sizing_step``), whatever the link span is, so
    eclipse seasons are always in; ``duration``/``step`` set only the link-analysis
    span (default 24 h at 10 s).  Give ``start`` for reproducible numbers.  Every
    other input is a keyword of :class:`DataCenterInputs` (defaults and sources in
    :data:`SOURCES`).  ``link=False`` leaves out the latency and bandwidth verdicts;
    ``link_options`` are keywords of :func:`link_section` (every service option of
    :func:`orbitlink.link.latency.round_trip`, and the served workload); they may also be
    given flat, as the CLI takes them (``users="cities"``, ``slo="100ms"``).
    ``progress(stage, fraction)``, if given, is called with 0.0 as each stage starts
    and 1.0 as it ends (:data:`orbitlink.report.Progress`).
    """
    # The service and workload options may also be given flat, as the CLI takes them
    # (datacenter(..., users="cities", slo="100ms")); link_options is the grouped form.
    flat = {k: inputs.pop(k) for k in list(inputs) if k in _LINK_KEYWORDS}
    unknown = sorted(set(inputs) - set(INPUT_NAMES))
    if unknown:
        raise FeasibilityError(f"{unknown[0]}: not an input of datacenter() (engineering inputs: see "
                               f"DataCenterInputs; service options: {', '.join(_LINK_KEYWORDS)})")
    twice = sorted(set(flat) & set(link_options or {}))
    if twice:
        raise FeasibilityError(f"{twice[0]}: given both as a keyword and in link_options (give it once)")
    link_options = {**(link_options or {}), **flat}
    given = DataCenterInputs(**inputs)
    si = given.resolve()
    it_power_w = un.power_w(it_power, "it power")
    source = resolve_orbit(orbit)
    link_opts = _read_places(dict(link_options or {}))      # read before the year of eclipses
    if start is None:
        from ..propagators import default_start

        start = default_start(source)
    say = progress or no_progress
    say(STAGE_ECLIPSES, 0.0)
    sun = orbit_sunlight(source, start=start, duration=SIZING_SPAN, step=sizing_step, propagator=propagator)
    say(STAGE_ECLIPSES, 1.0)
    report = size(it_power_w, sun, si, given={name: getattr(given, name) for name in INPUT_NAMES})
    if 2 <= sun.satellites <= separations_mod.MAX_SATELLITES:
        report = replace(report, separations=separations_mod.separations(
            source, start=sun.start, propagator=propagator).to_dict())
    if link:
        say(STAGE_LINK, 0.0)
        opts = link_opts
        opts.setdefault("duration", duration)
        opts.setdefault("step", step)
        section = link_section(source, start=sun.start, propagator=propagator, **opts)
        report = replace(report, link=section)
        say(STAGE_LINK, 1.0)
    return report


def _read_places(opts: dict) -> dict:
    """``gateways`` and ``users`` of ``link_options`` in every form :func:`orbitlink.places.stations`
    reads (``"SvalSat"``, ``"London"``, ``["London", "Tokyo"]``, ``(51.5, -0.12)``, ``"cities"``);
    a bundled catalog stays a name, so the report names it."""
    from ..places import CITIES, stations
    from ..stations import CATALOGS

    for key in ("gateways", "users"):
        value = opts.get(key)
        if isinstance(value, str) and value.strip().lower() == "cities":
            opts[key] = CITIES
        elif value is not None and not (isinstance(value, str) and value.strip() in CATALOGS):
            opts[key] = stations(value, key)
    return opts


def size(it_power_w: float, sun: OrbitSunlight, si: dict, *, given: dict | None = None) -> DataCenterReport:
    """Size power, thermal and mass from the orbit's sunlight and the SI inputs (no I/O, no propagation).

    ``it_power_w`` is the total; with ``sun.satellites`` satellites each carries an
    equal share and every satellite is the same spacecraft, sized on the darkest
    one's year (the sections of the report are per satellite, the headline figures
    totals).  ``si`` is :meth:`DataCenterInputs.resolve`'s dict (or a report's
    ``inputs``, edited for a what-if); ``given`` the inputs as the user wrote them.
    """
    if not (it_power_w > 0 and math.isfinite(it_power_w)):
        raise FeasibilityError(f"it power: {it_power_w!r} W is out of range (more than 0 W)")
    n = max(1, int(sun.satellites))
    per_sat_w = it_power_w / n
    load_w = per_sat_w * (1.0 + si["overhead"])
    beta_rad = math.radians(min(90.0, sun.min_abs_beta_deg))
    albedo_cos = max(0.0, math.cos(beta_rad))
    # The array's back face at the orbit's hot point (nearest the sub-solar point) is
    # |beta| from nadir: it sees the Earth's infrared and albedo there.
    inherent = si.get("inherent_degradation", 1.0)
    cell_t, t_factor = power_mod.array_cell_temperature_k(
        cell_efficiency=si["cell_efficiency"], packing_factor=si["packing_factor"],
        inherent_degradation=inherent,
        earth_view_factor=thermal_mod.earth_view_factor(sun.altitude_m, beta_rad),
        albedo_cos_factor=albedo_cos,
        temperature_coefficient_per_k=si.get("cell_temperature_coefficient_per_k", 0.0))
    pw = power_mod.size_power(
        load_w=load_w, sunlit_fraction=sun.sunlit_fraction, max_eclipse_s=sun.max_eclipse_s,
        period_s=sun.period_s, cell_efficiency=si["cell_efficiency"],
        packing_factor=si["packing_factor"], incidence_rad=si["sun_incidence_rad"],
        degradation_per_year=si["degradation_per_year"], mission_years=si["mission_life_years"],
        design_margin=si["design_margin"], array_areal_density_kg_m2=si["array_areal_density_kg_m2"],
        x_eclipse=si["x_eclipse"], x_daylight=si["x_daylight"], eclipse_load_fraction=si["eclipse_load"],
        depth_of_discharge=si["depth_of_discharge"],
        battery_discharge_efficiency=si["battery_efficiency"],
        battery_specific_energy_j_kg=si["battery_specific_energy_j_kg"],
        ground_capacity_factor=si["capacity_factor"], inherent_degradation=inherent,
        temperature_factor=t_factor, cell_temperature_k=cell_t)
    # Waste heat: every watt the loads draw, plus the power-conditioning losses on the
    # direct path (1/X_d - 1), ends as heat on the vehicle; the array sheds its own.
    heat_w = load_w / si["x_daylight"]
    if si.get("radiator_attitude", "edge-on") == "nadir":
        # One face to the Earth, the other to zenith, lit at the hot point from |beta| off zenith.
        geometry = dict(normal_from_nadir_rad=0.0, sun_angle_rad=math.pi - beta_rad)
    else:
        geometry = dict(normal_from_nadir_rad=math.pi / 2, sun_angle_rad=math.pi / 2)
    th = thermal_mod.size_radiator(
        heat_w=heat_w, temperature_k=si["radiator_temp_k"], emissivity=si["emissivity"],
        absorptivity=si["absorptivity"], sides=si["radiator_sides"], altitude_m=sun.altitude_m,
        areal_density_kg_m2=si["radiator_areal_density_kg_m2"], albedo_cos_factor=albedo_cos, **geometry)
    ms = mass_mod.mass_budget(
        it_power_w=per_sat_w, rack_power_w=si["rack_power_w"], rack_mass_kg=si["rack_mass_kg"],
        solar_array_kg=pw.solar_array_mass_kg, radiator_kg=th.radiator_mass_kg,
        battery_kg=pw.battery_mass_kg, structure_fraction=si["structure_fraction"],
        prices_usd_per_kg=si["launch_prices_usd_per_kg"], payload_capacity_kg=si["payload_capacity_kg"])
    if given is None:
        defaults = DataCenterInputs()
        given = {name: getattr(defaults, name) for name in INPUT_NAMES}
    return DataCenterReport(it_power_w=it_power_w, load_w=load_w * n, heat_w=heat_w * n, orbit=sun,
                            power=pw, thermal=th, mass=ms, inputs=si, given=given, satellites=n)


__all__ = ["DataCenterInputs", "DataCenterReport", "OrbitSunlight", "SOURCES", "INPUT_NAMES",
           "DEFAULT_LAUNCH_PRICES_USD_PER_KG", "datacenter", "orbit_sunlight", "resolve_orbit", "size",
           "FeasibilityError", "OrbitlinkError", "summary_sections", "to_markdown", "link_section", "LINK_DEFAULTS"]
