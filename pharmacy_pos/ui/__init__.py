"""The PySide6 front end: login, the role-aware main window and its screens.

Only this package imports PySide6 (import-linter contract in pyproject.toml). Views call
services (never SQL or repositories: an import-linter contract); services never import Qt.
Start-up is ``pharmacy_pos.ui.app:main`` (the ``pharmacy-pos`` command).
"""
