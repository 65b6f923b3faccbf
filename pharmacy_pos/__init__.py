"""pharmacy_pos: point-of-sale terminal for a designated retail pharmacy (定点零售药店)."""

__version__ = "0.1.0"
