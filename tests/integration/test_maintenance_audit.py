"""Every data maintenance is logged with operator, time and content (SEC-4).

Each maintenance use case (accounts, catalogue and prices, suppliers, policy, the lost-card
list, backups and restore, upload corrections, stock keeping) runs once on a copy of the
access matrix's prepared store, at a known time, by a known person. Its audit record must
name that person (id and user name) and terminal, carry that time, say what was done
(action) and on what (target or detail holding the content typed), and keep the hash
chain intact. A refused attempt at the same maintenance adds no record of a change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pharmacy_pos.db.models import AuditRecord
from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.verify import verify_database
from tests.conftest import STAFF_PASSWORD
from tests.integration.test_access_matrix import (
    Facts,
    Shop,
    prepare_store,
    store_copy,
)
from tests.integration.test_approvals import _price_file
from tests.till_world import MASKS


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Facts]:
    """The access matrix's prepared store, built once for this module."""
    return prepare_store(tmp_path_factory.mktemp("maintenance"))


@pytest.fixture
def shop(prepared: tuple[Path, Facts], tmp_path: Path) -> Iterator[Shop]:
    """This test's own copy of it, its clock moved on so new records stand out."""
    with store_copy(*prepared, tmp_path) as built:
        built.clock.advance(hours=1, minutes=7)
        yield built


@dataclass(frozen=True)
class Maintenance:
    """A maintenance use case: who does it, the action logged, the content to find."""

    who: Role
    action: str
    content: str
    run: Callable[[Shop, Actor], object]


def _policy_text() -> str:
    return resource("policy", "default.toml").read_text(encoding="utf-8").replace(
        'version = "', 'version = "sec4-', 1)


def _backup_then_restore(s: Shop, actor: Actor) -> object:
    copy = s.backups.backup(actor)
    return s.backups.restore(actor, copy.path)


MAINTENANCE = {
    "add user": Maintenance(
        Role.ADMINISTRATOR, "user.add", "newcomer", lambda s, a: s.users.add_user(
            a, username="newcomer", display_name="新人", password=STAFF_PASSWORD,
            roles=[Role.CASHIER])),
    "freeze user": Maintenance(Role.ADMINISTRATOR, "user.freeze", "离职交接完毕",
                               lambda s, a: s.users.freeze(a, "cashier", reason="离职交接完毕")),
    "catalogue import": Maintenance(
        Role.STORE_MANAGER, "catalogue.import", "prices.csv", lambda s, a: s.catalogue.import_file(
            a, _price_file(s), approver="boss", approver_password=STAFF_PASSWORD)),
    "price change": Maintenance(
        Role.STORE_MANAGER, "product.price_change", "6.00",
        lambda s, a: s.catalogue.import_file(a, _price_file(s), approver="boss",
                                             approver_password=STAFF_PASSWORD)),
    "add supplier": Maintenance(
        Role.STORE_MANAGER, "supplier.add", "京AA0000042", lambda s, a: s.receiving.add_supplier(
            a, name="新供应商", licence_no="京AA0000042", licence_expiry=date(2030, 1, 1))),
    "install policy": Maintenance(
        Role.STORE_MANAGER, "policy.install", "sec4-", lambda s, a: s.policies.install(
            a, _policy_text(), source="sec4.toml", approver=s.users.authenticate(
                "boss", STAFF_PASSWORD, terminal_id=a.terminal_id))),
    "blacklist add": Maintenance(
        Role.STORE_MANAGER, "blacklist.add", "B00000042",
        lambda s, a: s.identity.blacklist_add(a, "B00000042", reason="挂失")),
    "blacklist import": Maintenance(
        Role.STORE_MANAGER, "blacklist.import", "blacklist.csv",
        lambda s, a: s.identity.blacklist_import(a, _blacklist_file(s))),
    "blacklist lift": Maintenance(
        Role.STORE_MANAGER, "blacklist.lift", "找回",
        lambda s, a: s.identity.blacklist_lift(a, "B00000001", reason="找回")),
    "backup": Maintenance(Role.ADMINISTRATOR, "backup.create", "manual",
                          lambda s, a: s.backups.backup(a)),
    "restore": Maintenance(Role.ADMINISTRATOR, "backup.restore", ".sqlite3",
                           _backup_then_restore),
    "upload correction": Maintenance(
        Role.STORE_MANAGER, "upload.correct", "核对后重传", lambda s, a: _correct(s, a)),
    "maintenance check": Maintenance(
        Role.PHARMACIST, "maintenance.check", "包装完好", lambda s, a: s.stockkeeping.record_check(
            a, s.facts.check_id, s.facts.world.batches[MASKS][0], "ok", "包装完好")),
    "release batch": Maintenance(
        Role.PHARMACIST, "batch.release", "复查合格", lambda s, a: s.stockkeeping.release(
            a, s.facts.locked_batch_id, reason="复查合格", approver="store.manager",
            approver_password=STAFF_PASSWORD)),
}


def _blacklist_file(shop: Shop) -> Path:
    path = shop.files / "blacklist.csv"
    path.write_text("卡号,原因\nB00000043,挂失\n", encoding="utf-8")
    return path


def _correct(shop: Shop, actor: Actor) -> object:
    shop.uploads.run_pass()
    return shop.uploads.correct(actor, shop.facts.upload_item_id, reason="核对后重传")


def _records(shop: Shop) -> list[AuditRecord]:
    with shop.uow(readonly=True) as uow:
        rows = uow.session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
        uow.session.expunge_all()
        return list(rows)


@pytest.fixture
def boss(shop: Shop) -> None:
    """A second manager, to approve the price changes."""
    system = Actor.system(shop.facts.store.id, "T01", "cli:test")
    shop.users.add_user(system, username="boss", display_name="副店长", password=STAFF_PASSWORD,
                        roles=[Role.STORE_MANAGER])


@pytest.mark.parametrize("name", MAINTENANCE)
def test_sec_4_maintenance_is_logged_with_operator_time_and_content(shop, boss, name):
    case = MAINTENANCE[name]
    operator = shop.facts.staff[case.who]
    seen = {r.id for r in _records(shop)}
    case.run(shop, operator)
    new = [r for r in _records(shop) if r.id not in seen and r.action == case.action]
    assert new, f"{name}: no {case.action} record"
    record = new[-1]
    assert (record.actor_id, record.actor_name, record.terminal_id) == (
        operator.user_id, operator.username, "T01")
    assert abs(record.occurred_at - shop.clock.now()) < timedelta(seconds=1)
    content = record.target_id + json.dumps(json.loads(record.detail), ensure_ascii=False)
    assert case.content in content, f"{name}: the record does not say what was done"
    assert verify_database(shop.uow, workers=1).ok


@pytest.mark.parametrize("name", MAINTENANCE)
def test_sec_4_a_refused_maintenance_records_no_change(shop, boss, name):
    case = MAINTENANCE[name]
    intruder = shop.facts.staff[Role.AUDITOR]  # reads everything, maintains nothing
    before = {r.id for r in _records(shop)}
    with pytest.raises(PermissionDenied):
        case.run(shop, intruder)
    assert [r.action for r in _records(shop) if r.id not in before
            and r.action == case.action] == []
