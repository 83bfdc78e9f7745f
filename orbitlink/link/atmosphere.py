"""Earth-space atmospheric attenuation from the ITU-R P-series models, through ``itur``.

``itur`` (ITU-Rpy, an optional extra: ``pip install "orbitlink[itur]"``)
implements ITU-R P.618-13 (rain, scintillation and their combination), P.676
(gases), P.840 (clouds) with the climate maps of P.837 (rain rate), P.839
(rain height), P.836 (water vapour), P.1510 (temperature) and P.1511
(topography).  It ships those maps inside the package and never touches the
network.  It is imported lazily: importing orbitlink stays fast (``itur``
takes about 2 s to import) and works without it.

The total follows P.618-13 section 2.5, as ``itur`` computes it::

    A(p) = A_gas + sqrt((A_rain + A_cloud)^2 + A_scintillation^2)

where ``p`` (%) is the exceedance probability, ``100 % - availability``.

Validity, enforced here before ``itur`` is called (``itur`` itself only warns):

- frequency 1 to 55 GHz: the P.618-13 rain method is stated "for frequencies
  up to 55 GHz" and the P-series climate inputs are not meant for HF/VHF;
- elevation 5 to 90 deg: the P.676 slant-path approximation ``itur`` uses is
  recommended from 5 deg up;
- availability 95 % to 99.999 % (p = 0.001 % to 5 %), the range of the
  P.618-13 rain-attenuation method.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .. import units
from ..errors import AtmosphereError, MissingExtraError
from ..report import rounded
from ..units import to_si

__all__ = [
    "AtmosphereError",
    "AtmosphericAttenuation",
    "FREQUENCY_RANGE_HZ",
    "ELEVATION_RANGE_RAD",
    "EXCEEDANCE_RANGE_PERCENT",
    "attenuation_db",
    "check_frequency",
    "itur_version",
    "require_itur",
    "slant_path_attenuation",
]

FREQUENCY_RANGE_HZ = (1e9, 55e9)
ELEVATION_RANGE_RAD = (math.radians(5.0), math.radians(90.0))
EXCEEDANCE_RANGE_PERCENT = (0.001, 5.0)
DEFAULT_POLARIZATION_TILT_RAD = math.radians(45.0)  # circular polarization (P.618 eq. for k, alpha)
DEFAULT_ANTENNA_EFFICIENCY = 0.5  # itur's default for the scintillation aperture averaging



@functools.lru_cache(maxsize=1)
def require_itur():
    """The ``itur`` module, or :class:`MissingExtraError` naming the extra."""
    try:
        import itur
    except ImportError as exc:
        raise MissingExtraError("itur", "itur", "atmospheric attenuation") from exc
    return itur


def itur_version() -> str:
    return str(getattr(require_itur(), "__version__", "unknown"))


def check_frequency(frequency_hz: float, field: str = "frequency") -> float:
    """Raise :class:`AtmosphereError` unless 1 GHz <= f <= 55 GHz."""
    lo, hi = FREQUENCY_RANGE_HZ
    f = float(frequency_hz)
    if not (lo <= f <= hi):
        raise AtmosphereError(
            f"{field}: {f / 1e9:g} GHz is outside the ITU-R P.618 range for atmospheric "
            f"attenuation ({lo / 1e9:g} to {hi / 1e9:g} GHz); leave out --station/--availability "
            "or give the loss with --atmospheric-loss")
    return f


def _check_elevation(elevation_rad, field: str = "elevation") -> np.ndarray:
    el = np.asarray(elevation_rad, dtype=np.float64)
    lo, hi = ELEVATION_RANGE_RAD
    bad = ~((el >= lo - 1e-12) & (el <= hi + 1e-12))
    if np.any(bad):
        worst = float(np.degrees(el[bad].flat[0]))
        raise AtmosphereError(f"{field}: {worst:g} deg is outside the ITU-R range for slant-path "
                              "attenuation (5 to 90 deg)")
    return np.clip(el, lo, hi)


def _check_exceedance(p_percent: float) -> float:
    lo, hi = EXCEEDANCE_RANGE_PERCENT
    if not (lo <= p_percent <= hi):
        raise AtmosphereError(
            f"availability: {100.0 - p_percent:.6g} % is outside the ITU-R P.618 range "
            f"({100.0 - hi:g} % to {100.0 - lo:g} %, i.e. exceeded {lo:g} % to {hi:g} % of the time)")
    return p_percent


def attenuation_db(lat_rad, lon_rad, alt_m, frequency_hz: float, elevation_rad,
                   exceedance_percent: float, *, diameter_m: float = 1.0,
                   efficiency: float = DEFAULT_ANTENNA_EFFICIENCY,
                   polarization_tilt_rad: float = DEFAULT_POLARIZATION_TILT_RAD) -> dict:
    """Gas, cloud, rain, scintillation and total attenuation (dB) exceeded ``exceedance_percent`` of the time.

    SI in, decibels out, vectorized: ``lat_rad``, ``lon_rad``, ``alt_m`` and
    ``elevation_rad`` broadcast together (NaN ``alt_m`` means "unknown": the
    P.1511 topographic height is used).  ``diameter_m`` and ``efficiency``
    describe the ground antenna, which averages scintillation over its
    aperture.  Returns a dict of float64 arrays ``gaseous_db``, ``cloud_db``,
    ``rain_db``, ``scintillation_db``, ``total_db``.
    """
    itur = require_itur()
    f_ghz = check_frequency(frequency_hz) / 1e9
    p = _check_exceedance(float(exceedance_percent))
    el = _check_elevation(elevation_rad)
    lat, lon, alt, el = np.broadcast_arrays(np.asarray(lat_rad, float), np.asarray(lon_rad, float),
                                            np.asarray(alt_m, float), el)
    shape = lat.shape
    lat_deg = np.degrees(lat).ravel()
    lon_deg = np.degrees(lon).ravel()
    el_deg = np.degrees(el).ravel()
    hs_km = alt.ravel() / 1000.0
    if np.any(np.isnan(hs_km)):
        topo = np.asarray(itur.topographic_altitude(lat_deg, lon_deg).to_value("km"), float).ravel()
        hs_km = np.where(np.isnan(hs_km), topo, hs_km)
    # The rain model is only defined for stations at or above sea level.
    hs_km = np.maximum(hs_km, 0.0)
    with warnings.catch_warnings():
        # Inputs were validated above; itur warns at el = 90 deg (it tests
        # el mod 90 < 5) and about internal method choices, which is noise here.
        warnings.simplefilter("ignore", RuntimeWarning)
        ag, ac, ar, as_, at = itur.atmospheric_attenuation_slant_path(
            lat_deg, lon_deg, f_ghz, el_deg, p, float(diameter_m), hs=hs_km,
            eta=float(efficiency), tau=math.degrees(polarization_tilt_rad),
            return_contributions=True)
    out = {}
    for key, q in (("gaseous_db", ag), ("cloud_db", ac), ("rain_db", ar),
                   ("scintillation_db", as_), ("total_db", at)):
        val = np.asarray(getattr(q, "value", q), dtype=np.float64)
        out[key] = np.broadcast_to(val.reshape(-1) if val.size > 1 else val, (lat_deg.size,)).reshape(shape).copy()
    return out


@dataclass(frozen=True)
class AtmosphericAttenuation:
    """Attenuation exceeded ``exceedance_percent`` of an average year on one slant path (dB)."""

    gaseous_db: float
    cloud_db: float
    rain_db: float
    scintillation_db: float
    total_db: float
    frequency_hz: float
    elevation_rad: float
    exceedance_percent: float
    lat_rad: float
    lon_rad: float
    alt_m: float
    polarization_tilt_rad: float
    model: str

    @property
    def availability_percent(self) -> float:
        return 100.0 - self.exceedance_percent

    @property
    def weather_db(self) -> float:
        """Rain plus cloud: the attenuation beyond clear sky that also raises sky noise."""
        return self.rain_db + self.cloud_db

    def to_dict(self) -> dict:
        r = rounded
        return {
            "gaseous_db": r(self.gaseous_db), "cloud_db": r(self.cloud_db),
            "rain_db": r(self.rain_db), "scintillation_db": r(self.scintillation_db),
            "atmospheric_db": r(self.total_db), "frequency_ghz": r(self.frequency_hz / 1e9),
            "elevation_deg": r(math.degrees(self.elevation_rad)),
            "availability_percent": r(self.availability_percent),
            "exceedance_percent": r(self.exceedance_percent),
            "lat_deg": r(math.degrees(self.lat_rad)), "lon_deg": r(math.degrees(self.lon_rad)),
            "alt_m": None if math.isnan(self.alt_m) else r(self.alt_m),
            "polarization_tilt_deg": r(math.degrees(self.polarization_tilt_rad)),
            "model": self.model,
        }


def model_name() -> str:
    return f"ITU-R P.618-13/P.676/P.840 via itur {itur_version()}"


def slant_path_attenuation(latitude, longitude, frequency, elevation, *, availability="99.9%",
                           altitude=None, diameter="1m", efficiency=DEFAULT_ANTENNA_EFFICIENCY,
                           polarization_tilt="45deg") -> AtmosphericAttenuation:
    """Atmospheric attenuation of one Earth-space path (Quantities or strings at the boundary).

    ``availability`` is the fraction of an average year the link must work
    ("99.9%"); the attenuation returned is exceeded the remaining
    ``100 % - availability`` of the time.  ``altitude`` is the station height
    above mean sea level (None: the ITU-R P.1511 topographic height).
    ``polarization_tilt`` is 45 deg for circular polarization, 0 deg for
    horizontal, 90 deg for vertical.  ``diameter`` and ``efficiency`` are the
    ground antenna's, for scintillation.
    """
    lat = to_si(latitude, "angle", "latitude")
    lon = to_si(longitude, "angle", "longitude")
    if not -math.pi / 2 <= lat <= math.pi / 2:
        raise AtmosphereError(f"latitude: {math.degrees(lat):g} deg is out of range (-90 to 90 deg)")
    f = to_si(frequency, "frequency", "frequency")
    el = to_si(elevation, "angle", "elevation")
    p = 100.0 - units.percent(availability, "availability")
    alt = math.nan if altitude is None else to_si(altitude, "length", "altitude")
    d = to_si(diameter, "length", "diameter")
    if d <= 0:
        raise AtmosphereError(f"diameter: {d:g} m must be positive (e.g. 1.2m)")
    eta = units.fraction(efficiency, "efficiency", lo=0.0, lo_inclusive=False, hi=1.0)
    tau = to_si(polarization_tilt, "angle", "polarization_tilt")
    parts = attenuation_db(lat, lon, alt, f, el, p, diameter_m=d, efficiency=eta,
                           polarization_tilt_rad=tau)
    return AtmosphericAttenuation(
        float(parts["gaseous_db"]), float(parts["cloud_db"]), float(parts["rain_db"]),
        float(parts["scintillation_db"]), float(parts["total_db"]), f, el, p, lat, lon, alt, tau,
        model_name())
