"""RF link budgets: path loss, antennas, EIRP, G/T, C/N0, Es/N0, adaptive MODCOD, Shannon.

The chain, every term in decibels (``_db`` names) or SI units::

    EIRP      = 10 log10(P_tx / 1 W) + G_tx - L_line                    [dBW]
    FSPL      = 20 log10(4 pi d f / c)                                  [dB]  (ITU-R P.525-4 eq. 4:
                = 92.45 + 20 log10(f / GHz) + 20 log10(d / km))
    L_path    = FSPL + A_atmosphere + L_pointing + L_polarization + L_other
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

Inputs are read by :mod:`orbitlink.units` (decibels such as "10dBW", "30dBi",
"31dB/K", symbol rates such as "500MBd", fractions as 0.65 or "65%"); the old
``parse_*`` names of this module are aliases of those readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import astropy.units as u
import numpy as np

from ..constants import C_M_S, R_EARTH_M
from .. import units
from ..errors import BudgetError, QuantityError
from .budget_result import LinkBudget
from .modcod import load_table

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
    "check_budget_inputs",
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



# Old names of the readers, which now live in orbitlink.units (kept for callers of this module).
parse_db = units.db
parse_power_w = units.power_w
parse_g_over_t_dbk = units.g_over_t_dbk
parse_temperature_k = units.temperature_k
parse_symbol_rate_hz = units.symbol_rate_hz
parse_fraction = units.fraction
parse_percent = units.percent
parse_data_bits = units.data_bits
parse_data_rate_bps = units.data_rate_bps
parse_positive = units.positive_si


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


# Inputs a budget cannot do without: (the message when it is the only one missing, the hint
# in the one message that lists several).
_MISSING = {
    "frequency": ("frequency: no frequency given (e.g. --frequency 26GHz or --band Ka)",
                  "--frequency 26GHz or --band Ka"),
    "tx_power": ("tx_power: no transmitter power given (e.g. --tx-power 10W or 10dBW)", "--tx-power 10W"),
    "tx_gain": ("tx_gain: no transmit antenna given (e.g. --tx-gain 30dBi or --tx-dish 0.5m)",
                "--tx-gain 30dBi or --tx-dish 0.5m"),
    "g_over_t": ("g_over_t: no receiver given (e.g. --g-over-t 31dB/K, or --rx-dish 1.2m with --system-temp 290K)",
                 "--g-over-t 31dB/K, or --rx-dish 1.2m with --system-temp 290K"),
    "system_temperature": ("system_temperature: the receiver needs a system noise temperature "
                           "(e.g. --system-temp 290K) with --rx-dish/--rx-gain", "--system-temp 290K"),
    "rx_dish": ("rx_dish: a system temperature needs the receive antenna (--rx-dish 1.2m or --rx-gain 40dBi)",
                "--rx-dish 1.2m or --rx-gain 40dBi"),
    "symbol_rate": ("symbol_rate: no symbol rate given (e.g. --symbol-rate 500MBd or --band Ka)",
                    "--symbol-rate 500MBd or --band Ka"),
    "distance": ("distance: no geometry given (--distance 1123.4km, or --orbit 550km with --elevation 25deg)",
                 "--distance 1123.4km, or --orbit 550km with --elevation 25deg"),
    "elevation": ("elevation: --orbit needs --elevation for one budget (e.g. --elevation 25deg)",
                  "--elevation 25deg"),
}


def _missing_geometry(distance, altitude, elevation) -> list[str]:
    if distance is None and altitude is None:
        return ["distance"]
    if distance is None and elevation is None:
        return ["elevation"]
    return []


class _MissingInputs(BudgetError):
    """A :class:`~orbitlink.errors.BudgetError` that knows which inputs were missing, so a caller
    that checks more inputs (the geometry) can name them all in one message."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = list(missing)


def _raise_missing(missing: list[str]) -> None:
    """One message for everything missing: the old one-input message when only one is."""
    if not missing:
        return
    if len(missing) == 1:
        raise _MissingInputs(_MISSING[missing[0]][0], missing)
    hints = "; ".join(_MISSING[m][1] for m in missing)
    raise _MissingInputs(f"link_budget: missing {', '.join(missing)} (give {hints})", missing)


def check_budget_inputs(radio: dict, *, distance=None, orbit=None, altitude=None, elevation=None) -> LinkParameters:
    """The radio of ``radio`` (:func:`link_parameters` keywords) read, and the geometry checked for presence.

    Raises one :class:`~orbitlink.errors.BudgetError` naming *every* missing
    input, the distance (or ``orbit``/``altitude`` with ``elevation``) included:
    one missing input keeps its own message (``tx_power: no transmitter power
    given ...``); several give ``link_budget: missing frequency, tx_power,
    g_over_t (give --frequency 26GHz or --band Ka; ...)``.  A value that does
    not read is reported first, as itself.
    """
    geometry = _missing_geometry(distance, orbit if altitude is None else altitude, elevation)
    try:
        params = link_parameters(**radio)
    except _MissingInputs as exc:
        _raise_missing(exc.missing + geometry)
        raise
    _raise_missing(geometry)
    return params


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
    missing = []       # reported together, after every value given has been read
    if frequency is not None:
        f = units.positive_si(frequency, "frequency", "frequency", "26GHz")
    elif preset is not None:
        f = preset.frequency_hz
    else:
        f = math.nan
        missing.append("frequency")
    p_w = math.nan
    if tx_power is None:
        missing.append("tx_power")
    else:
        p_w = units.power_w(tx_power, "tx_power")
    eta_tx = units.fraction(tx_efficiency, "tx_efficiency", lo=0.0, lo_inclusive=False)
    eta_rx = units.fraction(rx_efficiency, "rx_efficiency", lo=0.0, lo_inclusive=False)
    _one_of("tx_gain", tx_gain, "tx_dish", tx_dish)
    tx_d = g_tx = math.nan
    if tx_gain is not None:
        g_tx = units.db(tx_gain, "tx_gain")
    elif tx_dish is not None:
        tx_d = units.positive_si(tx_dish, "length", "tx_dish", "0.5m")
        g_tx = float(dish_gain_db(tx_d, f, eta_tx))
    else:
        missing.append("tx_gain")
    l_tx = units.db(tx_loss, "tx_loss", kind="loss", nonnegative=True)

    _one_of("rx_gain", rx_gain, "rx_dish", rx_dish)
    rx_d = math.nan
    g_rx = math.nan
    if rx_gain is not None:
        g_rx = units.db(rx_gain, "rx_gain")
    elif rx_dish is not None:
        rx_d = units.positive_si(rx_dish, "length", "rx_dish", "1.2m")
        g_rx = float(dish_gain_db(rx_d, f, eta_rx))
    t_sys = math.nan if system_temperature is None else units.temperature_k(system_temperature)
    if g_over_t is not None:
        if not math.isnan(g_rx) or not math.isnan(t_sys):
            raise BudgetError("g_over_t: give --g-over-t or the receiver (--rx-dish/--rx-gain with "
                              "--system-temp), not both")
        gt = units.g_over_t_dbk(g_over_t)
    elif (rx_gain is not None or rx_dish is not None) and not math.isnan(t_sys):
        gt = float(g_over_t_dbk(g_rx, t_sys))
    else:
        gt = math.nan
        rx = rx_gain is not None or rx_dish is not None
        missing.append("system_temperature" if rx else "rx_dish" if not math.isnan(t_sys) else "g_over_t")

    if symbol_rate is not None:
        rs = units.symbol_rate_hz(symbol_rate)
    elif preset is not None and preset.symbol_rate_hz is not None:
        rs = preset.symbol_rate_hz
    else:
        rs = math.nan
        missing.append("symbol_rate")
    if roll_off is not None:
        alpha = units.fraction(roll_off, "roll_off", example="0.1, 0.2 or 0.35")
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
    _raise_missing(missing)
    return LinkParameters(
        frequency_hz=f, tx_power_w=p_w, tx_gain_db=g_tx, tx_loss_db=l_tx, g_over_t_dbk=gt,
        rx_gain_db=g_rx, system_temperature_k=t_sys,
        pointing_loss_db=units.db(pointing_loss, "pointing_loss", kind="loss", nonnegative=True),
        polarization_loss_db=units.db(polarization_loss, "polarization_loss", kind="loss", nonnegative=True),
        other_losses_db=units.db(losses, "losses", kind="loss", nonnegative=True),
        implementation_loss_db=units.db(implementation_loss, "implementation_loss", kind="loss",
                                        nonnegative=True),
        symbol_rate_hz=rs, roll_off=alpha, margin_db=units.db(margin, "margin", kind="loss"),
        downlink=downlink, ground_diameter_m=1.0 if math.isnan(ground_d) else ground_d,
        ground_efficiency=ground_eta, modcods=str(modcods).lower().replace("-", ""),
        band=None if preset is None else preset.name, notes=tuple(notes))


# --- one budget ---------------------------------------------------------------------------

def _distance_from(distance, altitude, elevation):
    """(distance_m, elevation_rad or NaN) from a distance or an altitude + elevation."""
    el = math.nan
    if elevation is not None:
        el = units.to_si(elevation, "angle", "elevation")
        if not 0.0 <= el <= math.pi / 2 + 1e-12:
            raise QuantityError(f"elevation: {math.degrees(el):g} deg is out of range (0 to 90 deg)")
    if distance is not None:
        if altitude is not None:
            raise BudgetError("distance: give --distance or --orbit with --elevation, not both")
        return units.positive_si(distance, "length", "distance", "1123.4km"), el
    if altitude is None:
        raise BudgetError("distance: no geometry given (--distance 1123.4km, or --orbit 550km with --elevation 25deg)")
    h = units.positive_si(altitude, "length", "altitude", "550km")
    if math.isnan(el):
        raise BudgetError("elevation: --orbit needs --elevation for one budget (e.g. --elevation 25deg)")
    return float(slant_range_m(h, el)), el


def link_budget(*, distance=None, orbit=None, altitude=None, elevation=None, atmospheric_loss=None,
                station=None, availability=None, polarization_tilt="45deg",
                params: LinkParameters | None = None, system_temp=None, **radio) -> LinkBudget:
    """One link budget (Quantities or strings such as "26GHz", "10dBW" at the boundary).

    The keywords are the options of ``orbitlink budget`` (``--tx-power`` is
    ``tx_power``, ``--system-temp`` is ``system_temp``, also spelled
    ``system_temperature``).  Geometry: ``distance``, or a circular ``orbit``
    (``"550km"``, ``"sso:650km"``, a one-satellite OrbitSet: its altitude; or
    ``altitude`` itself) with the ``elevation`` at the station.  Atmosphere:
    nothing (clear vacuum), ``atmospheric_loss`` ("2dB" or an
    :class:`~orbitlink.link.atmosphere.AtmosphericAttenuation`), or ``station``
    with ``availability`` ("99.9%", the default) and ``elevation``: ITU-R P.618
    through ``itur`` at the station's latitude, longitude and altitude.
    ``station`` is one place in any form :func:`orbitlink.places.place` reads:
    ``"London"``, ``"SvalSat"``, ``"51.5,-0.12"``, ``(51.5, -0.12)``,
    ``(lat, lon, alt)`` Quantities or a one-station GroundStations.
    The radio is ``params`` (from :func:`link_parameters`) or its keyword
    arguments (``band``, ``frequency``, ``tx_power``, ``tx_gain`` ...).
    Every missing input is named in one :class:`~orbitlink.errors.BudgetError`.

    A link that closes no MODCOD is a result, not an error: ``modcod`` is None
    and ``message`` reads "no MODCOD closes; short by X dB".
    """
    if system_temp is not None:
        if radio.get("system_temperature") is not None:
            raise BudgetError("system_temp: give system_temp or system_temperature, not both")
        radio["system_temperature"] = system_temp
    if "wavelength" in radio:
        raise BudgetError("wavelength: optical links use orbitlink.link.optical.optical_budget "
                          "(link_budget is the RF budget)")
    if params is not None and any(v is not None for v in radio.values()):
        raise BudgetError(f"{next(k for k, v in radio.items() if v is not None)}: give the radio as params "
                          "or as keywords, not both")
    if orbit is not None:
        if altitude is not None:
            raise BudgetError("orbit: give orbit or altitude, not both")
        altitude = _orbit_altitude(orbit)
    if params is not None:
        _raise_missing(_missing_geometry(distance, altitude, elevation))
        p = params
    else:       # every missing input, radio and geometry, in one message
        p = check_budget_inputs(radio, distance=distance, altitude=altitude, elevation=elevation)
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
            atm_db = units.db(atmospheric_loss, "atmospheric_loss", kind="loss", nonnegative=True)
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


def _orbit_altitude(orbit) -> u.Quantity:
    """The altitude of one circular orbit: a spec (``"550km"``, ``"sso:650km"``) or a one-satellite OrbitSet."""
    from ..errors import OrbitSpecError
    from ..orbits import OrbitSet, parse_orbit

    if isinstance(orbit, str):
        try:
            orbit = parse_orbit(orbit)
        except OrbitSpecError as exc:
            raise BudgetError(str(exc)) from None
    if not isinstance(orbit, OrbitSet):
        raise BudgetError(f"orbit: expected a circular orbit (550km, sso:650km or a one-satellite OrbitSet), "
                          f"not {type(orbit).__name__}")
    if len(orbit) != 1 or float(orbit.e[0]) > 1e-3:
        raise BudgetError("orbit: one budget takes one circular orbit (550km or sso:650km); "
                          "for a constellation use data_volume or orbitlink budget's network mode")
    return float(orbit.altitude_m[0]) * u.m


def _station_coordinates(station):
    """(lat, lon, alt or None) Quantities of one station, in any form :func:`orbitlink.places.place` reads.

    A station whose altitude is exactly 0 m (a ``LAT,LON`` spec without
    altitude) gets None: the ITU-R P.1511 topographic height is used instead,
    which matters for rain attenuation at inland sites.
    """
    from ..places import place, stations

    one = stations(station, "station")
    if len(one) != 1:
        raise BudgetError(f"station: one station needed for one budget, got {len(one)} (a name, "
                          "'LAT,LON[,ALT_M]' or a (lat, lon[, alt]) tuple)")
    one = place(one, "station")
    alt = float(one.alt_m[0])
    return (float(one.lat_rad[0]) * u.rad, float(one.lon_rad[0]) * u.rad,
            None if alt == 0.0 else alt * u.m)
