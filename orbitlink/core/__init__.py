"""Pure-numpy kernels: SI float64 arrays, unit-suffixed names, no astropy/skyfield."""
