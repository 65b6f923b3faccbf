"""Where shipped files live, the same way from a checkout and from an installed wheel.

``resources/`` and ``migrations/`` sit at the top of the repository and are mapped into
the package as ``pharmacy_pos.resources`` and ``pharmacy_pos.migrations`` by
pyproject.toml, so importlib.resources finds them in an editable install and in a wheel.
Running straight from a checkout without installing falls back to the repository tree.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _package_dir(name: str, fallback: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return _REPO_ROOT / fallback


def resources_dir() -> Path:
    """Folder of shipped resources (policy, demo data, translations, icons)."""
    return _package_dir("pharmacy_pos.resources", "resources")


def migrations_dir() -> Path:
    """Folder of the Alembic environment and its versions."""
    return _package_dir("pharmacy_pos.migrations", "migrations")


def resource(*parts: str) -> Path:
    """Path of one shipped resource file."""
    return resources_dir().joinpath(*parts)
