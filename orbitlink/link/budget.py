"""RF link budgets: path loss, antennas, EIRP, G/T, C/N0, Es/N0, adaptive MODCOD, Shannon.

The chain, every term in decibels (``_db`` names) or SI units::

    EIRP      = 10 log10(P_tx / 1 W) + G_tx - L_line                    [dBW]
    FSPL      = 20 log10(4 pi d f / c)                                  [dB]  (ITU-R P.525-4 eq. 4:
                = 92.45 + 20 log10(f / GHz) + 20 log10(d / km))
    L_path    = FSPL + A_atmosphere + L_pointing + L_polarisation + L_other
    G/T       = G_rx - 10 log10(T_sys / 1 K)                            [dB/K]
    C/N0      = EIRP - L_path + G/T - 10 log10(k)                       [dB-Hz], k = 1.380649e-23 J/K
    Es/N0     = C/N0 - 10 log10(R_s)
    MODCOD    = most efficient DVB-S2/S2X MODCOD with Es/N0 >= threshold + L_impl + margin
    R_b       = R_s * eta (information bit/symbol of the MODCOD);   Eb/N0 = C/N0 - 10 log10(R_b)
    B         = R_s (1 + roll-off);   Shannon bound B log2(1 + C / (N0 B))

Dish gain is ``10 log10(eta (pi D / lambda)^2)`` (the aperture gain 4 pi A_eff /
lambda^2).  On a downlink the weather that attenuates the signal also radiates
into the receiver: ``T_sys`` grows by ``T_m (1 - 10^(-(A_rain + A_cloud)/10))``
with the mean radiating temperature ``T_m = 275 K`` (ITU-R P.618-13 section 3;
Maral & Bousquet, *Satellite Communications Systems*, 5th ed., section 5.6);
this needs ``T_sys`` (give the receiver as dish + system temperature).

Layers: the functions in "core" take SI floats / numpy arrays and are
vectorized; :func:`link_parameters` parses Quantities or strings once into a
:class:`LinkParameters`; :func:`link_budget` evaluates one geometry and returns
a frozen :class:`LinkBudget` whose :meth:`~LinkBudget.to_dict` has the JSON keys
of the CLI.  The same :class:`LinkParameters` drives the per-step evaluation
along passes in :mod:`orbitlink.link.volume`.

This module also holds the parsers for the decibel-type inputs astropy does not
know ("10dBW", "30dBi", "31dB/K", "500MBd"), used by every ``orbitlink.link``
module.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import astropy.units as u
import numpy as np

from ..constants import C_M_S, R_EARTH_M
from ..errors import OrbitlinkError, QuantityError
from ..quantities import to_si
from .modcod import Modcod, load_table

__all__ = [
    "BANDS",
    "BOLTZMANN_DB",
    "BandPreset",
    "BudgetError",
    "LinkBudget",
    "LinkParameters",
    "cn0_dbhz",
    "dish_gain_db",
    "eirp_dbw",
    "esn0_db",
    "fspl_db",
    "g_over_t_dbk",
    "link_budget",
    "link_parameters",
    "shannon_bps",
    "sky_noise_k",
    "slant_range_m",
]

BOLTZMANN_J_K = 1.380649e-23  # exact (SI 2019)
BOLTZMANN_DB = 10.0 * math.log10(BOLTZMANN_J_K)  # -228.5991 dBW/(K Hz)
MEDIUM_TEMPERATURE_K = 275.0  # mean radiating temperature of rain/cloud, ITU-R P.618 section 3
DEFAULT_EFFICIENCY = 0.65  # parabolic reflectors: 0.55-0.70 is typical
DEFAULT_MARGIN = "3dB"


class BudgetError(OrbitlinkError):
    """The link-budget inputs are inconsistent (missing, conflicting or out of range)."""


# --- quantities with decibel and communication units -------------------------------------

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_SI_PREFIX = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
_BINARY_PREFIX = {"Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50}


def _split(value, field_name: str, accepted: str) -> tuple[float, str]:
    """``"10 dBW"`` -> ``(10.0, "dBW")``; the unit may be empty."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, np.floating, np.integer)):
        raise QuantityError(f"{field_name}: got {value!r} ({accepted})")
    m = _NUMBER.match(str(value))
    if not m:
        raise QuantityError(f"{field_name}: cannot read {value!r} ({accepted})")
    number = float(m.group(1))
    if not math.isfinite(number):
        raise QuantityError(f"{field_name}: {value!r} is not finite ({accepted})")
    return number, m.group(2)


def _finite(x: float, field_name: str, value, accepted: str) -> float:
    """``x`` if finite; a unit prefix can push a finite number to infinity ("1e308GBd")."""
    if not math.isfinite(x):
        raise QuantityError(f"{field_name}: {value!s} is out of range ({accepted})")
    return x


def _astropy_quantity(value):
    # Decibel quantities (u.dB(u.W)) are Quantity subclasses too.
    return value if isinstance(value, u.Quantity) else None


def _bad_unit(field_name: str, value, unit: str, accepted: str):
    got = "no unit" if not unit else f"unit {unit!r}"
    return QuantityError(f"{field_name}: {value!r} has {got} ({accepted})")


def _read(value, field_name: str, accepted: str, *, unit, what: str, text_scale, equivalencies=None) -> float:
    """The shared reader: a Quantity is converted to ``unit`` (else "is not {what}"); text is a
    number and a unit, multiplied by ``text_scale(unit_text)`` (None: that unit is refused;
    the string "percent" divides by 100 exactly)."""
    q = _astropy_quantity(value)
    if q is not None:
        try:
            return _scalar(q.to(unit, equivalencies=equivalencies or []), field_name, accepted)
        except u.UnitConversionError:
            raise QuantityError(f"{field_name}: {value!r} is not {what} ({accepted})") from None
    number, unit_text = _split(value, field_name, accepted)
    scale = text_scale(unit_text)
    if scale is None:
        raise _bad_unit(field_name, value, unit_text, accepted)
    return number / 100.0 if scale == "percent" else number * scale


def _scalar(q, field_name: str, accepted: str) -> float:
    v = np.asarray(q.value)
    if v.size != 1:
        raise QuantityError(f"{field_name}: expected one value, got {v.size} ({accepted})")
    x = float(v.reshape(-1)[0])
    if not math.isfinite(x):
        raise QuantityError(f"{field_name}: {q!r} is not finite ({accepted})")
    return x


def parse_db(value, field_name: str, *, kind: str = "gain", nonnegative: bool = False) -> float:
    """A gain ("30dBi", "30dB") or loss ("1dB") in decibels.

    Quantities in ``u.dB`` are accepted.  ``nonnegative`` refuses negative
    values (a negative loss would be a gain: almost always a sign slip).
    """
    units = ("dB", "dBi", "dBic") if kind == "gain" else ("dB",)
    accepted = f"{field_name} takes decibels, e.g. {'30dBi' if kind == 'gain' else '1dB'}"
    q = _astropy_quantity(value)
    if q is not None:
        if q.unit != u.dB:
            raise QuantityError(f"{field_name}: {value!r} is not in dB ({accepted})")
        number = _scalar(q, field_name, accepted)
    else:
        number, unit = _split(value, field_name, accepted)
        if unit.lower() not in tuple(x.lower() for x in units):
            raise _bad_unit(field_name, value, unit, accepted)
    if nonnegative and number < 0:
        raise QuantityError(f"{field_name}: {number:g} dB is negative (a loss is 0 dB or more)")
    return number


_POWER_LINEAR = {"W": 1.0, "mW": 1e-3, "uW": 1e-6, "µW": 1e-6, "kW": 1e3}
_POWER_LOG = {"dbw": 0.0, "dbm": -30.0}


def parse_power_w(value, field_name: str = "tx_power") -> float:
    """A power in watts from "10W", "500mW", "10dBW", "40dBm" or a Quantity; must be > 0."""
    accepted = f"{field_name} takes a power above 0, e.g. 10W, 500mW, 10dBW or 40dBm"
    q = _astropy_quantity(value)
    if q is not None:
        physical = getattr(q, "physical", q)  # dB(W) -> W
        if getattr(physical, "unit", None) is None or physical.unit.physical_type != "power":
            raise QuantityError(f"{field_name}: {value!r} is not a power ({accepted})")
        watts = _scalar(physical.to(u.W), field_name, accepted)
    else:
        number, unit = _split(value, field_name, accepted)
        if unit in _POWER_LINEAR:
            watts = number * _POWER_LINEAR[unit]
        elif unit.lower() in _POWER_LOG:
            try:
                watts = 10.0 ** ((number + _POWER_LOG[unit.lower()]) / 10.0)
            except OverflowError:
                watts = math.inf
        else:
            raise _bad_unit(field_name, value, unit, accepted)
    if not watts > 0:
        raise QuantityError(f"{field_name}: {value!s} is not positive ({accepted})")
    return _finite(watts, field_name, value, accepted)


def parse_g_over_t_dbk(value, field_name: str = "g_over_t") -> float:
    """A figure of merit from "31dB/K" (also "31 dB/K", "31dBK^-1") or a ``u.dB / u.K`` Quantity."""
    accepted = f"{field_name} takes dB/K, e.g. 31dB/K"
    q = _astropy_quantity(value)
    if q is not None:
        if q.unit != u.dB / u.K:
            raise QuantityError(f"{field_name}: {value!r} is not in dB/K ({accepted})")
        return _scalar(q, field_name, accepted)
    number, unit = _split(value, field_name, accepted)
    if unit.replace(" ", "").lower() not in ("db/k", "dbk^-1", "dbk-1", "dbi/k"):
        raise _bad_unit(field_name, value, unit, accepted)
    return number


def parse_temperature_k(value, field_name: str = "system_temperature") -> float:
    """A noise temperature in kelvin ("290K" or a Quantity); must be > 0."""
    accepted = f"{field_name} takes a temperature in kelvin above 0, e.g. 290K"
    kelvin = _read(value, field_name, accepted, unit=u.K, what="a temperature",
                   text_scale=lambda unit: 1.0 if unit == "K" else None, equivalencies=u.temperature())
    if not kelvin > 0:
        raise QuantityError(f"{field_name}: {kelvin:g} K is not positive ({accepted})")
    return kelvin


_SYMBOL_UNITS = ("Bd", "sps", "sym/s", "Sps")


def _symbol_scale(unit: str) -> float | None:
    for base in _SYMBOL_UNITS:
        if unit.endswith(base) and unit[: -len(base)] in _SI_PREFIX:
            return _SI_PREFIX[unit[: -len(base)]]
    return None


def parse_symbol_rate_hz(value, field_name: str = "symbol_rate") -> float:
    """Symbols per second from "500MBd", "500Msps", "500 Msym/s" or a Quantity in 1/s (Hz); > 0."""
    accepted = f"{field_name} takes a symbol rate above 0, e.g. 500MBd or 500Msym/s"
    rate = _read(value, field_name, accepted, unit=u.Hz, what="a rate", text_scale=_symbol_scale)
    if not rate > 0:
        raise QuantityError(f"{field_name}: {value!s} is not positive ({accepted})")
    return _finite(rate, field_name, value, accepted)


def parse_fraction(value, field_name: str, *, lo: float = 0.0, hi: float = 1.0,
                   lo_inclusive: bool = True, hi_inclusive: bool = True, example: str = "0.65 or 65%") -> float:
    """A dimensionless number ("0.65", 0.65 or "65%") checked against [lo, hi]."""
    rng = f"{'[' if lo_inclusive else '('}{lo:g}, {hi:g}{']' if hi_inclusive else ')'}"
    accepted = f"{field_name} takes a number in {rng}, e.g. {example}"
    x = _read(value, field_name, accepted, unit=u.dimensionless_unscaled, what="dimensionless",
              text_scale={"%": "percent", "": 1.0}.get)
    ok_lo = x > lo or (lo_inclusive and x == lo)
    ok_hi = x < hi or (hi_inclusive and x == hi)
    if not (ok_lo and ok_hi):
        raise QuantityError(f"{field_name}: {x:g} is outside {rng} ({accepted})")
    return x


def parse_percent(value, field_name: str = "availability") -> float:
    """A percentage ("99.9%" or a Quantity in percent) in [0, 100]; returned in percent."""
    accepted = f"{field_name} takes a percentage, e.g. 99.9%"
    pct = _read(value, field_name, accepted, unit=u.percent, what="a percentage",
                text_scale={"%": 1.0}.get)
    if not 0.0 <= pct <= 100.0:
        raise QuantityError(f"{field_name}: {pct:g} % is out of range (0 % to 100 %)")
    return pct


def _data_unit_bits(unit: str) -> float | None:
    """Bits per ``unit`` for kB, MB, GB, TB, PB, KiB.., bit, kbit, Gbit, Gb (bits)."""
    for base, bits in (("byte", 8.0), ("bit", 1.0), ("B", 8.0), ("b", 1.0)):
        if unit.endswith(base):
            prefix = unit[: -len(base)]
            if prefix in _SI_PREFIX:
                return bits * _SI_PREFIX[prefix]
            if prefix in _BINARY_PREFIX:
                return bits * _BINARY_PREFIX[prefix]
    return None


def parse_data_bits(value, field_name: str) -> float:
    """A data amount in bits from "5TB", "500 GB", "10Gbit", "1TiB" or an astropy bit/byte Quantity; >= 0."""
    accepted = f"{field_name} takes a data size, e.g. 500GB, 5TB or 10Gbit"
    bits = _read(value, field_name, accepted, unit=u.bit, what="a data size", text_scale=_data_unit_bits)
    if bits < 0:
        raise QuantityError(f"{field_name}: {value!s} is negative ({accepted})")
    return _finite(bits, field_name, value, accepted)


def _rate_scale(unit: str) -> float | None:
    """Bits per second per ``unit``: Gbps, GBps (bytes), Gbit/s, GB/s."""
    if (unit.endswith("ps") and len(unit) > 2) or unit.endswith("/s"):
        return _data_unit_bits(unit[:-2])
    return None


def parse_data_rate_bps(value, field_name: str) -> float:
    """A data rate in bit/s from "10Gbps", "10 Gbit/s", "1.25GB/s" or a Quantity; >= 0."""
    accepted = f"{field_name} takes a data rate, e.g. 10Gbps, 10Gbit/s or 1.25GB/s"
    bps = _read(value, field_name, accepted, unit=u.bit / u.s, what="a data rate", text_scale=_rate_scale)
    if bps < 0:
        raise QuantityError(f"{field_name}: {value!s} is negative ({accepted})")
    return _finite(bps, field_name, value, accepted)


def parse_positive(value, kind: str, field_name: str, example: str) -> float:
    """A length/frequency/time (orbitlink.quantities) that must be > 0, in SI."""
    si = to_si(value, kind, field_name)
    if not si > 0:
        raise QuantityError(f"{field_name}: {value!s} is not positive (a {kind} above 0, e.g. {example})")
    return si


# --- core: SI floats and numpy arrays in, decibels out ------------------------------------

def db10(x):
    """10 log10(x) for powers and ratios of powers."""
    return 10.0 * np.log10(x)


def wavelength_m(frequency_hz):
    return C_M_S / np.asarray(frequency_hz, dtype=np.float64)


def fspl_db(distance_m, frequency_hz):
    """Free-space (basic transmission) loss 20 log10(4 pi d f / c) in dB, ITU-R P.525-4 eq. 4."""
    d = np.asarray(distance_m, dtype=np.float64)
    f = np.asarray(frequency_hz, dtype=np.float64)
    return 20.0 * np.log10(4.0 * np.pi * d * f / C_M_S)


def dish_gain_db(diameter_m, frequency_hz, efficiency=DEFAULT_EFFICIENCY):
    """Boresight gain 10 log10(eta (pi D / lambda)^2) of a circular aperture, dBi."""
    d = np.asarray(diameter_m, dtype=np.float64)
    return db10(np.asarray(efficiency, dtype=np.float64) * (np.pi * d / wavelength_m(frequency_hz)) ** 2)


def eirp_dbw(tx_power_w, tx_gain_db, tx_loss_db=0.0):
    """Effective isotropic radiated power: transmitter power + antenna gain - line losses, dBW."""
    return db10(np.asarray(tx_power_w, dtype=np.float64)) + tx_gain_db - tx_loss_db


def g_over_t_dbk(rx_gain_db, system_temperature_k):
    """Receiver figure of merit G/T, dB/K."""
    return np.asarray(rx_gain_db, dtype=np.float64) - db10(system_temperature_k)


def cn0_dbhz(eirp, path_loss_db, g_over_t):
    """Carrier-to-noise-density ratio EIRP - L + G/T - 10 log10(k), dB-Hz."""
    return np.asarray(eirp, dtype=np.float64) - path_loss_db + g_over_t - BOLTZMANN_DB


def esn0_db(cn0, symbol_rate_hz):
    """Energy per symbol over N0: C/N0 - 10 log10(R_s), dB."""
    return np.asarray(cn0, dtype=np.float64) - db10(symbol_rate_hz)


def shannon_bps(bandwidth_hz, snr_db):
    """Shannon capacity B log2(1 + SNR) of an AWGN channel, bit/s."""
    return np.asarray(bandwidth_hz, dtype=np.float64) * np.log2(1.0 + 10.0 ** (np.asarray(snr_db) / 10.0))


def sky_noise_k(weather_db, medium_k: float = MEDIUM_TEMPERATURE_K):
    """Noise a lossy medium at ``medium_k`` adds to a receiver looking through it, K."""
    return medium_k * (1.0 - 10.0 ** (-np.asarray(weather_db, dtype=np.float64) / 10.0))


def slant_range_m(altitude_m, elevation_rad, earth_radius_m: float = R_EARTH_M):
    """Station-satellite distance for a satellite at ``altitude_m`` seen at ``elevation_rad``.

    Spherical Earth (law of cosines in the Earth-centre/station/satellite
    triangle): ``d = sqrt((R + h)^2 - R^2 cos^2 el) - R sin el``.  Against the
    WGS-84 ellipsoid this errs by less than 0.3 % (R varies by 0.34 %).
    """
    h = np.asarray(altitude_m, dtype=np.float64)
    el = np.asarray(elevation_rad, dtype=np.float64)
    r = earth_radius_m
    return np.sqrt((r + h) ** 2 - (r * np.cos(el)) ** 2) - r * np.sin(el)


# --- band presets --------------------------------------------------------------------

@dataclass(frozen=True)
class BandPreset:
    """Defaults a ``--band`` supplies; every one is overridden by its own option."""

    name: str
    frequency_hz: float
    symbol_rate_hz: float | None
    roll_off: float | None
    allocation: str


# Representative downlink channels inside the ITU Radio Regulations (Article 5)
# allocations named; the symbol rates are illustrative channel widths that fit
# in the allocation with the roll-off, not any operator's plan.
BANDS = {
    "S": BandPreset("S", 2.25e9, 5e6, 0.35, "2200-2290 MHz space research / EESS, space-to-Earth"),
    "X": BandPreset("X", 8.2e9, 150e6, 0.2, "8025-8400 MHz EESS, space-to-Earth"),
    "Ku": BandPreset("Ku", 12.0e9, 250e6, 0.1, "10.7-12.75 GHz FSS, space-to-Earth"),
    "Ka": BandPreset("Ka", 26.0e9, 500e6, 0.1, "25.5-27 GHz EESS, space-to-Earth"),
    "optical": BandPreset("optical", C_M_S / 1550e-9, None, None, "1550 nm (C-band telecom laser)"),
}


def band_preset(name: str) -> BandPreset:
    for key, preset in BANDS.items():
        if key.lower() == str(name).strip().lower():
            return preset
    raise BudgetError(f"band: {name!r} is not one of {', '.join(BANDS)}")


# --- parameters ------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkParameters:
    """Everything of a link but its geometry and weather, parsed once (SI units and dB).

    ``rx_gain_db`` and ``system_temperature_k`` are NaN when the receiver was
    given as G/T only; the weather noise increase then cannot be applied.
    ``downlink`` is True when the receiver is the ground station (weather adds
    sky noise to it, and its dish averages scintillation).
    """

    frequency_hz: float
    tx_power_w: float
    tx_gain_db: float
    tx_loss_db: float
    g_over_t_dbk: float
    rx_gain_db: float
    system_temperature_k: float
    pointing_loss_db: float
    polarization_loss_db: float
    other_losses_db: float
    implementation_loss_db: float
    symbol_rate_hz: float
    roll_off: float
    margin_db: float
    downlink: bool = True
    ground_diameter_m: float = 1.0
    ground_efficiency: float = DEFAULT_EFFICIENCY
    modcods: str = "dvbs2x"
    band: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def eirp_dbw(self) -> float:
        return float(eirp_dbw(self.tx_power_w, self.tx_gain_db, self.tx_loss_db))

    @property
    def fixed_losses_db(self) -> float:
        return self.pointing_loss_db + self.polarization_loss_db + self.other_losses_db

    @property
    def bandwidth_hz(self) -> float:
        return self.symbol_rate_hz * (1.0 + self.roll_off)

    @property
    def required_db(self) -> float:
        """What Es/N0 must exceed a MODCOD threshold by: implementation loss + margin."""
        return self.implementation_loss_db + self.margin_db

    @property
    def table(self):
        return load_table(self.modcods)

    def evaluate(self, distance_m, atmospheric_db=0.0, weather_db=0.0) -> dict:
        """The budget at any array of distances (and matching attenuations); arrays out.

        ``atmospheric_db`` is the total attenuation on the path, ``weather_db``
        the rain + cloud part of it that raises the receiver's noise on a
        downlink.  Keys: ``fspl_db, path_loss_db, sky_noise_k,
        system_temperature_k, g_over_t_dbk, cn0_dbhz, esn0_db, modcod_index,
        spectral_efficiency, data_rate_bps, shannon_bps``.
        """
        d, atm, wx = np.broadcast_arrays(np.asarray(distance_m, dtype=np.float64),
                                         np.asarray(atmospheric_db, dtype=np.float64),
                                         np.asarray(weather_db, dtype=np.float64))
        fspl = fspl_db(d, self.frequency_hz)
        path = fspl + atm + self.fixed_losses_db
        if self.downlink and math.isfinite(self.system_temperature_k):
            dt = sky_noise_k(wx)
            tsys = self.system_temperature_k + dt
            gt = self.g_over_t_dbk - db10(tsys / self.system_temperature_k)
        else:
            # Uplink (the receiver looks at the warm Earth either way) or T_sys unknown.
            dt = np.zeros_like(d)
            tsys = np.full_like(d, self.system_temperature_k)
            gt = np.full_like(d, self.g_over_t_dbk)
        cn0 = cn0_dbhz(self.eirp_dbw, path, gt)
        es = esn0_db(cn0, self.symbol_rate_hz)
        table = self.table
        idx = table.best(es, self.required_db)
        eff = table.efficiency_of(idx)
        b = self.bandwidth_hz
        return {
            "fspl_db": fspl, "path_loss_db": path, "sky_noise_k": dt, "system_temperature_k": tsys,
            "g_over_t_dbk": gt, "cn0_dbhz": cn0, "esn0_db": es, "modcod_index": idx,
            "spectral_efficiency": eff, "data_rate_bps": self.symbol_rate_hz * eff,
            "shannon_bps": shannon_bps(b, cn0 - db10(b)),
        }


def _one_of(field_a, a, field_b, b):
    if a is not None and b is not None:
        raise BudgetError(f"{field_a}: give {field_a} or {field_b}, not both")


def link_parameters(*, band=None, frequency=None, tx_power=None, tx_gain=None, tx_dish=None,
                    tx_efficiency=DEFAULT_EFFICIENCY, tx_loss="0dB", g_over_t=None, rx_gain=None,
                    rx_dish=None, rx_efficiency=DEFAULT_EFFICIENCY, system_temperature=None,
                    pointing_loss="0dB", polarization_loss="0dB", losses="0dB",
                    implementation_loss="0dB", symbol_rate=None, roll_off=None,
                    margin=DEFAULT_MARGIN, direction="downlink", modcods="dvbs2x") -> LinkParameters:
    """Parse and check the radio parameters of a link (Quantities or strings such as "10dBW").

    The transmitter is ``tx_power`` with ``tx_gain`` *or* a dish ``tx_dish``
    (with ``tx_efficiency``); the receiver is ``g_over_t`` *or* ``rx_gain`` /
    ``rx_dish`` with ``system_temperature``.  ``band`` ("S", "X", "Ku", "Ka")
    supplies ``frequency``, ``symbol_rate`` and ``roll_off`` when they are not
    given.  ``direction`` is "downlink" (receiver on the ground) or "uplink".
    """
    preset = None
    notes = []
    if band is not None:
        preset = band_preset(band)
        if preset.name == "optical":
            raise BudgetError("band: optical links use orbitlink.link.optical.optical_budget "
                              "(the RF budget needs S, X, Ku or Ka)")
    if frequency is not None:
        f = parse_positive(frequency, "frequency", "frequency", "26GHz")
    elif preset is not None:
        f = preset.frequency_hz
    else:
        raise BudgetError("frequency: no frequency given (e.g. --frequency 26GHz or --band Ka)")
    if tx_power is None:
        raise BudgetError("tx_power: no transmitter power given (e.g. --tx-power 10W or 10dBW)")
    p_w = parse_power_w(tx_power, "tx_power")
    eta_tx = parse_fraction(tx_efficiency, "tx_efficiency", lo=0.0, lo_inclusive=False)
    eta_rx = parse_fraction(rx_efficiency, "rx_efficiency", lo=0.0, lo_inclusive=False)
    _one_of("tx_gain", tx_gain, "tx_dish", tx_dish)
    tx_d = math.nan
    if tx_gain is not None:
        g_tx = parse_db(tx_gain, "tx_gain")
    elif tx_dish is not None:
        tx_d = parse_positive(tx_dish, "length", "tx_dish", "0.5m")
        g_tx = float(dish_gain_db(tx_d, f, eta_tx))
    else:
        raise BudgetError("tx_gain: no transmit antenna given (e.g. --tx-gain 30dBi or --tx-dish 0.5m)")
    l_tx = parse_db(tx_loss, "tx_loss", kind="loss", nonnegative=True)

    _one_of("rx_gain", rx_gain, "rx_dish", rx_dish)
    rx_d = math.nan
    g_rx = math.nan
    if rx_gain is not None:
        g_rx = parse_db(rx_gain, "rx_gain")
    elif rx_dish is not None:
        rx_d = parse_positive(rx_dish, "length", "rx_dish", "1.2m")
        g_rx = float(dish_gain_db(rx_d, f, eta_rx))
    t_sys = math.nan if system_temperature is None else parse_temperature_k(system_temperature)
    if g_over_t is not None:
        if not math.isnan(g_rx) or not math.isnan(t_sys):
            raise BudgetError("g_over_t: give --g-over-t or the receiver (--rx-dish/--rx-gain with "
                              "--system-temp), not both")
        gt = parse_g_over_t_dbk(g_over_t)
    elif not math.isnan(g_rx) and not math.isnan(t_sys):
        gt = float(g_over_t_dbk(g_rx, t_sys))
    elif not math.isnan(g_rx):
        raise BudgetError("system_temperature: the receiver needs a system noise temperature "
                          "(e.g. --system-temp 290K) with --rx-dish/--rx-gain")
    elif not math.isnan(t_sys):
        raise BudgetError("rx_dish: a system temperature needs the receive antenna "
                          "(--rx-dish 1.2m or --rx-gain 40dBi)")
    else:
        raise BudgetError("g_over_t: no receiver given (e.g. --g-over-t 31dB/K, or --rx-dish 1.2m "
                          "with --system-temp 290K)")

    if symbol_rate is not None:
        rs = parse_symbol_rate_hz(symbol_rate)
    elif preset is not None and preset.symbol_rate_hz is not None:
        rs = preset.symbol_rate_hz
    else:
        raise BudgetError("symbol_rate: no symbol rate given (e.g. --symbol-rate 500MBd or --band Ka)")
    if roll_off is not None:
        alpha = parse_fraction(roll_off, "roll_off", example="0.1, 0.2 or 0.35")
    elif preset is not None and preset.roll_off is not None:
        alpha = preset.roll_off
    else:
        alpha = 0.1
        notes.append("roll-off 0.1 assumed (DVB-S2X)")
    direction = str(direction).lower()
    if direction not in ("downlink", "uplink"):
        raise BudgetError(f"direction: {direction!r} is not downlink or uplink")
    downlink = direction == "downlink"
    ground_d = rx_d if downlink else tx_d
    ground_eta = eta_rx if downlink else eta_tx
    load_table(modcods)  # validates the name now rather than at the first evaluation
    return LinkParameters(
        frequency_hz=f, tx_power_w=p_w, tx_gain_db=g_tx, tx_loss_db=l_tx, g_over_t_dbk=gt,
        rx_gain_db=g_rx, system_temperature_k=t_sys,
        pointing_loss_db=parse_db(pointing_loss, "pointing_loss", kind="loss", nonnegative=True),
        polarization_loss_db=parse_db(polarization_loss, "polarization_loss", kind="loss", nonnegative=True),
        other_losses_db=parse_db(losses, "losses", kind="loss", nonnegative=True),
        implementation_loss_db=parse_db(implementation_loss, "implementation_loss", kind="loss",
                                        nonnegative=True),
        symbol_rate_hz=rs, roll_off=alpha, margin_db=parse_db(margin, "margin", kind="loss"),
        downlink=downlink, ground_diameter_m=1.0 if math.isnan(ground_d) else ground_d,
        ground_efficiency=ground_eta, modcods=str(modcods).lower().replace("-", ""),
        band=None if preset is None else preset.name, notes=tuple(notes))


# --- one budget ---------------------------------------------------------------------------

def _r(x, nd: int = 6):
    if x is None:
        return None
    x = float(x)
    # JSON has no NaN/inf: an absurd but accepted input (1e200 W) reports null, not a crash.
    return round(x, nd) if math.isfinite(x) else None


@dataclass(frozen=True)
class LinkBudget:
    """Every term of one link budget (SI units, decibels in ``_db``-type names).

    ``modcod`` is None when no MODCOD closes; :attr:`message` then says by how
    much the link is short.  ``margin_db`` is Es/N0 minus the chosen MODCOD's
    threshold and the implementation loss (or minus the most robust MODCOD's
    when none closes); the link closes when it is at least ``required_margin_db``.
    """

    params: LinkParameters
    distance_m: float
    elevation_rad: float
    fspl_db: float
    atmospheric_db: float
    atmosphere: object  # AtmosphericAttenuation | None
    path_loss_db: float
    sky_noise_k: float
    system_temperature_k: float
    g_over_t_dbk: float
    received_power_dbw: float
    cn0_dbhz: float
    esn0_db: float
    modcod: Modcod | None
    margin_db: float
    data_rate_bps: float
    ebn0_db: float
    shannon_bps: float

    @property
    def eirp_dbw(self) -> float:
        return self.params.eirp_dbw

    @property
    def closes(self) -> bool:
        return self.modcod is not None

    @property
    def shortfall_db(self) -> float:
        """How far Es/N0 is below what the most robust MODCOD needs with the margin (0 if it closes)."""
        return 0.0 if self.closes else self.params.margin_db - self.margin_db

    @property
    def required_esn0_db(self) -> float:
        m = self.modcod
        base = m.esn0_db if m is not None else self.params.table.lowest_threshold_db
        return base + self.params.required_db

    @property
    def message(self) -> str:
        if self.closes:
            return (f"closes with {self.modcod.name} ({self.modcod.standard}), margin "
                    f"{self.margin_db:.2f} dB ({self.params.margin_db:g} dB required)")
        return f"no MODCOD closes; short by {self.shortfall_db:.2f} dB"

    def to_dict(self) -> dict:
        p = self.params
        atm = self.atmosphere
        d = {
            "band": p.band,
            "frequency_ghz": _r(p.frequency_hz / 1e9, 9),
            "wavelength_m": _r(C_M_S / p.frequency_hz, 9),
            "distance_km": _r(self.distance_m / 1e3),
            "elevation_deg": _r(math.degrees(self.elevation_rad)),
            "tx_power_w": _r(p.tx_power_w, 9),
            "tx_power_dbw": _r(db10(p.tx_power_w)),
            "tx_gain_dbi": _r(p.tx_gain_db),
            "tx_loss_db": _r(p.tx_loss_db),
            "eirp_dbw": _r(self.eirp_dbw),
            "fspl_db": _r(self.fspl_db),
            "atmospheric_db": _r(self.atmospheric_db),
            "gaseous_db": None if atm is None else _r(atm.gaseous_db),
            "cloud_db": None if atm is None else _r(atm.cloud_db),
            "rain_db": None if atm is None else _r(atm.rain_db),
            "scintillation_db": None if atm is None else _r(atm.scintillation_db),
            "availability_percent": None if atm is None else _r(atm.availability_percent),
            "atmosphere_model": None if atm is None else atm.model,
            "pointing_loss_db": _r(p.pointing_loss_db),
            "polarization_loss_db": _r(p.polarization_loss_db),
            "other_losses_db": _r(p.other_losses_db),
            "path_loss_db": _r(self.path_loss_db),
            "rx_gain_dbi": _r(p.rx_gain_db),
            "system_temperature_k": _r(self.system_temperature_k),
            "sky_noise_k": None if math.isnan(p.system_temperature_k) else _r(self.sky_noise_k),
            "g_over_t_dbk": _r(self.g_over_t_dbk),
            "received_power_dbw": _r(self.received_power_dbw),
            "cn0_dbhz": _r(self.cn0_dbhz),
            "symbol_rate_mbd": _r(p.symbol_rate_hz / 1e6, 9),
            "roll_off": _r(p.roll_off),
            "bandwidth_mhz": _r(p.bandwidth_hz / 1e6, 9),
            "esn0_db": _r(self.esn0_db),
            "modcod": None if self.modcod is None else self.modcod.name,
            "modcod_standard": None if self.modcod is None else self.modcod.standard,
            "modcods": p.modcods,
            "required_esn0_db": _r(self.required_esn0_db),
            "implementation_loss_db": _r(p.implementation_loss_db),
            "required_margin_db": _r(p.margin_db),
            "margin_db": _r(self.margin_db),
            "spectral_efficiency_bit_per_symbol": None if self.modcod is None
            else self.modcod.spectral_efficiency,
            "ebn0_db": _r(self.ebn0_db),
            "data_rate_mbps": _r(self.data_rate_bps / 1e6),
            "shannon_mbps": _r(self.shannon_bps / 1e6),
            "direction": "downlink" if p.downlink else "uplink",
            "closes": self.closes,
            "shortfall_db": _r(self.shortfall_db),
            "message": self.message,
            "notes": list(p.notes) + self._notes(),
        }
        return d

    def _notes(self) -> list[str]:
        p = self.params
        if self.atmosphere is not None and p.downlink and math.isnan(p.system_temperature_k):
            return ["rain/cloud sky-noise increase not applied: give the receiver as "
                    "--rx-dish/--rx-gain with --system-temp to include it"]
        return []


def _distance_from(distance, altitude, elevation):
    """(distance_m, elevation_rad or NaN) from a distance or an altitude + elevation."""
    el = math.nan
    if elevation is not None:
        el = to_si(elevation, "angle", "elevation")
        if not 0.0 <= el <= math.pi / 2 + 1e-12:
            raise QuantityError(f"elevation: {math.degrees(el):g} deg is out of range (0 to 90 deg)")
    if distance is not None:
        if altitude is not None:
            raise BudgetError("distance: give --distance or --orbit with --elevation, not both")
        return parse_positive(distance, "length", "distance", "1123.4km"), el
    if altitude is None:
        raise BudgetError("distance: no geometry given (--distance 1123.4km, or --orbit 550km with --elevation 25deg)")
    h = parse_positive(altitude, "length", "altitude", "550km")
    if math.isnan(el):
        raise BudgetError("elevation: --orbit needs --elevation for one budget (e.g. --elevation 25deg)")
    return float(slant_range_m(h, el)), el


def link_budget(*, distance=None, altitude=None, elevation=None, atmospheric_loss=None,
                station=None, availability=None, polarization_tilt="45deg",
                params: LinkParameters | None = None, **radio) -> LinkBudget:
    """One link budget (Quantities or strings such as "26GHz", "10dBW" at the boundary).

    Geometry: ``distance``, or a circular-orbit ``altitude`` with the
    ``elevation`` at the station.  Atmosphere: nothing (clear vacuum),
    ``atmospheric_loss`` ("2dB" or an
    :class:`~orbitlink.link.atmosphere.AtmosphericAttenuation`), or ``station``
    (``(latitude, longitude[, altitude])`` or a one-station
    :class:`~orbitlink.stations.GroundStations`) with ``availability``
    ("99.9%", the default) and ``elevation``: ITU-R P.618 through ``itur``.
    The radio is ``params`` (from :func:`link_parameters`) or its keyword
    arguments (``band``, ``frequency``, ``tx_power``, ``tx_gain`` ...).

    A link that closes no MODCOD is a result, not an error: ``modcod`` is None
    and ``message`` reads "no MODCOD closes; short by X dB".
    """
    if params is not None and radio:
        raise BudgetError(f"{next(iter(radio))}: give the radio as params or as keywords, not both")
    p = params if params is not None else link_parameters(**radio)
    d, el = _distance_from(distance, altitude, elevation)
    atm = None
    atm_db = 0.0
    weather = 0.0
    if station is not None and atmospheric_loss is not None:
        raise BudgetError("atmospheric_loss: give --atmospheric-loss or --station, not both")
    if availability is not None and station is None:
        raise BudgetError("availability: the ITU-R atmosphere needs the station (--station LAT,LON)")
    if station is not None:
        from . import atmosphere

        atmosphere.check_frequency(p.frequency_hz)
        if math.isnan(el):
            raise BudgetError("elevation: the ITU-R atmosphere needs the elevation (e.g. --elevation 25deg)")
        lat, lon, alt = _station_coordinates(station)
        atm = atmosphere.slant_path_attenuation(
            lat, lon, p.frequency_hz * u.Hz, el * u.rad, availability=availability or "99.9%",
            altitude=alt, diameter=p.ground_diameter_m * u.m, efficiency=p.ground_efficiency,
            polarization_tilt=polarization_tilt)
        atm_db, weather = atm.total_db, atm.weather_db
    elif atmospheric_loss is not None:
        if hasattr(atmospheric_loss, "total_db"):
            atm = atmospheric_loss
            atm_db, weather = float(atm.total_db), float(atm.weather_db)
        else:
            atm_db = parse_db(atmospheric_loss, "atmospheric_loss", kind="loss", nonnegative=True)
            weather = atm_db  # conservative: all of it radiates as warm weather
    r = p.evaluate(d, atm_db, weather)
    idx = int(r["modcod_index"])
    table = p.table
    modcod = table.modcods[idx] if idx >= 0 else None
    es = float(r["esn0_db"])
    threshold = modcod.esn0_db if modcod is not None else table.lowest_threshold_db
    margin = es - threshold - p.implementation_loss_db
    rate = float(r["data_rate_bps"])
    ebn0 = float(r["cn0_dbhz"] - db10(rate)) if rate > 0 else math.nan
    rx_power = (p.eirp_dbw - float(r["path_loss_db"]) + p.rx_gain_db) if not math.isnan(p.rx_gain_db) else math.nan
    return LinkBudget(
        params=p, distance_m=d, elevation_rad=el, fspl_db=float(r["fspl_db"]), atmospheric_db=atm_db,
        atmosphere=atm, path_loss_db=float(r["path_loss_db"]), sky_noise_k=float(r["sky_noise_k"]),
        system_temperature_k=float(r["system_temperature_k"]), g_over_t_dbk=float(r["g_over_t_dbk"]),
        received_power_dbw=rx_power, cn0_dbhz=float(r["cn0_dbhz"]), esn0_db=es, modcod=modcod,
        margin_db=margin, data_rate_bps=rate, ebn0_db=ebn0, shannon_bps=float(r["shannon_bps"]))


def _station_coordinates(station):
    """(lat, lon, alt or None) Quantities from a GroundStations or a (lat, lon[, alt]) tuple.

    A station whose altitude is exactly 0 m (a ``LAT,LON`` spec without
    altitude) gets None: the ITU-R P.1511 topographic height is used instead,
    which matters for rain attenuation at inland sites.
    """
    if hasattr(station, "lat_rad"):
        if len(station) != 1:
            raise BudgetError(f"station: one station needed for one budget, got {len(station)}")
        alt = float(station.alt_m[0])
        return (float(station.lat_rad[0]) * u.rad, float(station.lon_rad[0]) * u.rad,
                None if alt == 0.0 else alt * u.m)
    items = tuple(station)
    if len(items) not in (2, 3):
        raise BudgetError("station: expected (latitude, longitude[, altitude])")
    return items[0], items[1], (items[2] if len(items) == 3 else None)
