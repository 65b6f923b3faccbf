"""The settlement gateway port and its adapters (simulated insurer, national platform)."""
