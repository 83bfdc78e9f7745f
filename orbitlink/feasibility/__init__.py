"""Orbital data-center feasibility: power (arrays, batteries), thermal (radiators), mass and launch cost.

- :mod:`.power`: SMAD array and battery sizing, and the same panel on the ground;
- :mod:`.thermal`: radiator area by Stefan-Boltzmann with Earth infrared, albedo and sunlight;
- :mod:`.mass`: racks, arrays, radiators, batteries, structure and launch cost per $/kg;
- :mod:`.separations`: distances between the satellites of a cluster or small constellation;
- :mod:`.service`: the link side (latency through ``round_trip``, data volume, workload verdicts);
- :mod:`.datacenter`: the whole report for an orbit, with the eclipse engine and the link verdicts.

The pure functions of the first three take SI floats with the unit in the name;
:func:`datacenter` takes Quantities or text (``"40MW"``, ``"20C"``, ``"30%"``).
"""

from ..errors import FeasibilityError
from .datacenter import (
    DEFAULT_LAUNCH_PRICES_USD_PER_KG,
    INPUT_NAMES,
    SOURCES,
    DataCenterInputs,
    DataCenterReport,
    OrbitSunlight,
    datacenter,
    orbit_sunlight,
    size,
)
from .mass import MassBudget, launch_cost_usd, launches_needed, mass_budget
from .power import (
    SOLAR_CONSTANT_W_M2,
    STC_IRRADIANCE_W_M2,
    PowerSizing,
    INHERENT_DEGRADATION,
    array_areal_power_eol_w_m2,
    array_cell_temperature_k,
    array_power_required_w,
    battery_energy_j,
    energy_per_panel_ratio,
    size_power,
)
from .separations import Separations, separations
from .thermal import (
    EARTH_ALBEDO,
    EARTH_OLR_W_M2,
    STEFAN_BOLTZMANN_W_M2_K4,
    RadiatorSizing,
    blackbody_flux_w_m2,
    earth_view_factor,
    size_radiator,
)

__all__ = [
    "DEFAULT_LAUNCH_PRICES_USD_PER_KG", "EARTH_ALBEDO", "EARTH_OLR_W_M2", "INPUT_NAMES",
    "SOLAR_CONSTANT_W_M2", "SOURCES", "STC_IRRADIANCE_W_M2", "STEFAN_BOLTZMANN_W_M2_K4",
    "DataCenterInputs", "DataCenterReport", "FeasibilityError", "MassBudget", "OrbitSunlight",
    "INHERENT_DEGRADATION", "PowerSizing", "RadiatorSizing", "Separations", "array_areal_power_eol_w_m2",
    "array_cell_temperature_k", "array_power_required_w", "separations",
    "battery_energy_j", "blackbody_flux_w_m2", "datacenter", "earth_view_factor",
    "energy_per_panel_ratio", "launch_cost_usd", "launches_needed", "mass_budget", "orbit_sunlight",
    "size", "size_power", "size_radiator",
]
