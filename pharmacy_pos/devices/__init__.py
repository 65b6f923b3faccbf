"""Device ports (Protocols) and their adapters: card readers, printers, scanners."""
