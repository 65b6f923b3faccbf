"""The loopback insurer simulator: the national platform's JSON protocol over HTTP on
127.0.0.1, its book kept in a SQLite file (docs/insurer-simulator.md).

``book`` holds the rules and the persistence (usable in-process), ``server`` the HTTP
side and the fault injection; ``python -m pharmacy_pos.insurance.simulator`` runs it.
"""
