"""Adapters behind the settlement gateway port."""
