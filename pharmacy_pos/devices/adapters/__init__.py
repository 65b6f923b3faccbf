"""Adapters behind the device ports. Only the composition root imports these."""
