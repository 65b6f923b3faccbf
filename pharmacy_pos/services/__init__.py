"""Use cases. Each takes a unit-of-work factory and narrow ports; none imports Qt or SQL."""
