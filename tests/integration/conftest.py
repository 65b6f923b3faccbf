"""Fixtures for the till's integration tests: a small store to sell from, an insurer.

Modules may define a fixture of the same name to override one of these.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from pharmacy_pos.cli import EXIT_OK, main
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.returns import ReturnService
from pharmacy_pos.services.sales import SaleService
from tests.till_world import World, build, insurer


@pytest.fixture
def policy() -> Policy:
    """The shipped default policy."""
    return Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))


@pytest.fixture
def cashier(staff) -> Actor:
    """The logged-in cashier."""
    return staff[Role.CASHIER]


@pytest.fixture
def pharmacist(staff) -> Actor:
    """The logged-in pharmacist (qualification ZY0001)."""
    return staff[Role.PHARMACIST]


@pytest.fixture
def world(uow_factory, clock, store, staff) -> World:
    """Products of each kind with stock received through the ledger."""
    return build(uow_factory, clock, store.id, staff[Role.STORE_MANAGER].user_id)


@pytest.fixture
def sim() -> SimulatedInsurer:
    """The simulated insurer knowing 张三丰."""
    return insurer()


@pytest.fixture
def sales(uow_factory, clock, policy, sim, store, world) -> SaleService:
    """The till's use cases over the small store."""
    return SaleService(uow_factory, clock, lambda: (policy, policy.version), sim,
                       store_code=store.code)


@pytest.fixture
def returns(uow_factory, clock, sim, store, user_service, world) -> ReturnService:
    """Returns, with approvers logging in at terminal T01."""
    return ReturnService(
        uow_factory, clock, sim,
        lambda u, p: user_service.authenticate(u, p, terminal_id="T01"),
        store_code=store.code)


@pytest.fixture(scope="session")
def cli_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder filled by ``pharmacy-pos-cli demo``, made once per session; tests
    that need the demo store copy it (``test_cli.py: load_demo_copy``) rather than load it
    again."""
    folder = tmp_path_factory.mktemp("cli_demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHARMACY_POS_DATA_DIR", str(folder))
        patch.delenv("PHARMACY_POS_DATABASE_URL", raising=False)
        patch.delenv("PHARMACY_POS_POLICY_FILE", raising=False)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        try:
            code = main(["demo"])
        finally:
            sys.stdout, sys.stderr = saved
    assert code == EXIT_OK
    return folder
