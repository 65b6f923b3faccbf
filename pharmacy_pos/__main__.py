"""``python -m pharmacy_pos`` runs the command-line interface."""

from pharmacy_pos.cli import main

raise SystemExit(main())
