"""resources/ and migrations/ are found from a checkout and from an installed wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pharmacy_pos.db.migrate import HEAD_REVISION
from pharmacy_pos.paths import migrations_dir, resources_dir

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_finds_resources_and_migrations():
    assert (resources_dir() / "policy" / "default.toml").is_file()
    assert (migrations_dir() / "env.py").is_file()
    assert list((migrations_dir() / "versions").glob("0001_*.py"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"building the wheel failed: {done.stderr[-2000:]}")
    return next(out.glob("pharmacy_pos-*.whl"))


def test_wheel_ships_resources_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "pharmacy_pos/resources/policy/default.toml",
        "pharmacy_pos/resources/demo/catalogue.csv",
        "pharmacy_pos/resources/translations/pharmacy_pos_en.qm",
        "pharmacy_pos/migrations/env.py",
        "pharmacy_pos/migrations/script.py.mako",
        "pharmacy_pos/migrations/versions/0001_initial_schema.py",
        "pharmacy_pos/migrations/versions/0002_identity.py",
        "pharmacy_pos/migrations/versions/0003_sales.py",
        "pharmacy_pos/migrations/versions/0004_printing.py",
        "pharmacy_pos/migrations/versions/0005_inventory.py",
        "pharmacy_pos/migrations/versions/0006_report_index.py",
        "pharmacy_pos/migrations/versions/0007_month_balances.py",
        "pharmacy_pos/migrations/versions/0008_uploads.py",
    ):
        assert expected in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    sources = {str(p.relative_to(ROOT)) for p in (ROOT / "pharmacy_pos").rglob("*.py")}
    assert sources <= names, f"modules missing from the wheel: {sorted(sources - names)}"


def test_installed_wheel_migrates_a_database_from_its_own_files(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import pharmacy_pos.paths as p, sys;"
        "from pharmacy_pos.db.engine import make_engine;"
        "from pharmacy_pos.db.migrate import upgrade_on_start;"
        f"r = upgrade_on_start(make_engine('sqlite:///{tmp_path / 'w.sqlite3'}'), backup_dir=None);"
        "print(p.__file__); print(p.resources_dir()); print(p.migrations_dir());"
        "print(r.to_revision)"
    )
    # Run from an unrelated folder with only the unpacked wheel (and the venv's
    # dependencies) on the path, so nothing can come from the checkout.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    module, resources, migrations, revision = done.stdout.split()
    assert module.startswith(str(target))
    assert resources.startswith(str(target)) and migrations.startswith(str(target))
    assert revision == HEAD_REVISION
