"""Physical constants, one source for the whole package (SI units).

Values and sources:
- ``MU_EARTH_M3_S2``, ``R_EARTH_M``, ``J2``: WGS-84 / EGM-96 as used by
  Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Table D-1
  (mu = 398600.4418 km^3/s^2, R = 6378.137 km, J2 = 0.0010826267).
- ``F_EARTH``: WGS-84 flattening 1/298.257223563 (NIMA TR8350.2).
- ``C_M_S``: speed of light, exact by SI definition.
- ``OMEGA_EARTH_RAD_S``: mean sidereal rotation rate, IERS Conventions 2010.
- ``TROPICAL_YEAR_S``: 365.2421897 d (Astronomical Almanac), the period a
  sun-synchronous orbit's node must follow.
- ``R_SUN_M``: IAU 2015 Resolution B3 nominal solar radius.
- ``AU_M``: IAU 2012 Resolution B2.
"""

MU_EARTH_M3_S2 = 3.986004418e14
R_EARTH_M = 6_378_137.0
F_EARTH = 1.0 / 298.257223563
J2 = 1.0826267e-3
C_M_S = 299_792_458.0
OMEGA_EARTH_RAD_S = 7.292115e-5
DAY_S = 86_400.0
TROPICAL_YEAR_S = 365.2421897 * DAY_S
R_SUN_M = 6.957e8
AU_M = 149_597_870_700.0
