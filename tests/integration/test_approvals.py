"""Special operations need a second authorised person with their own credentials (SEC-2).

Refunds (SALE-7), price changes (a catalogue import changing a retail price), stock
adjustments (stock-take differences INV-4, release and destruction INV-7, split
packages) are each tried with: a proper approver (done, the approver on record), the
operator approving themself, a person who may not approve, a frozen account, a manager
of another store, a wrong password (counted towards the approver's lockout, SEC-3) and
no approver at all. Every refusal leaves the business tables as they were.

Runs on copies of the access matrix's prepared store (real SQLite files).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from pharmacy_pos.cli import EXIT_OK, EXIT_REFUSED
from pharmacy_pos.db.models import AuditRecord, User
from pharmacy_pos.domain.catalogue import COLUMNS
from pharmacy_pos.domain.errors import AuthenticationFailed, DomainError, PermissionDenied
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.setup import ensure_store
from tests.conftest import STAFF_PASSWORD
from tests.integration.test_access_matrix import (
    Facts,
    Shop,
    _snapshot,
    prepare_store,
    store_copy,
)
from tests.integration.test_cli import data_dir, load_demo_copy, run  # noqa: F401 (fixture)
from tests.till_world import AMOXICILLIN, MASKS

BOSS = "boss"            # store manager who also sells, counts and keeps stock
GONE = "gone.manager"    # a manager who left: frozen
ELSEWHERE = "other.manager"  # a manager of another store
#: Tables an approval attempt may touch: the approver's log-in is recorded either way.
LOGIN_TABLES = {"audit_log", "chain_heads", "users"}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Facts]:
    """The access matrix's prepared store, built once for this module."""
    return prepare_store(tmp_path_factory.mktemp("approvals"))


@pytest.fixture
def shop(prepared: tuple[Path, Facts], tmp_path: Path) -> Iterator[Shop]:
    """This test's own copy of it."""
    with store_copy(*prepared, tmp_path) as built:
        yield built


@pytest.fixture
def people(shop: Shop) -> dict[str, Actor]:
    """Operators and approvers besides the prepared staff."""
    system = Actor.system(shop.facts.store.id, "T01", "cli:test")
    shop.users.add_user(system, username=BOSS, display_name="店长兼药师", password=STAFF_PASSWORD,
                        roles=[Role.STORE_MANAGER, Role.CASHIER, Role.PHARMACIST,
                               Role.QUALITY_INSPECTOR], qualification_no="ZY0009")
    shop.users.add_user(system, username=GONE, display_name="离职店长", password=STAFF_PASSWORD,
                        roles=[Role.STORE_MANAGER])
    shop.users.freeze(system, GONE, reason="离职")
    other, _ = ensure_store(shop.uow, shop.clock, code="H11010500099", name="另一家药房",
                            operator="test", terminal_id="T09")
    shop.users.add_user(Actor.system(other.id, "T09", "cli:test"), username=ELSEWHERE,
                        display_name="别店店长", password=STAFF_PASSWORD,
                        roles=[Role.STORE_MANAGER])
    return {BOSS: shop.authenticate(BOSS, STAFF_PASSWORD)}


def _price_file(shop: Shop) -> Path:
    """The store's 医用口罩 at 6.00 instead of 5.00."""
    row = {zh: "" for zh, _, _ in COLUMNS} | {
        "商品编码": "P003", "通用名": "医用口罩", "规格": "10只", "生产企业": "测试药业",
        "条形码": MASKS, "处方药": "否", "商品类别": "日用品", "包装单位": "包", "最小单位": "包",
        "包装数量": "1", "允许拆零": "否", "零售价": "6.00"}
    path = shop.files / "prices.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[zh for zh, _, _ in COLUMNS])
        writer.writeheader()
        writer.writerow(row)
    return path


@dataclass(frozen=True)
class Operation:
    """A special operation: who usually does it, who approves, how to run it."""

    operator: Role
    approver: str
    rule_id: str
    run: Callable[[Shop, Actor, str, str], object]


def _refund(s: Shop, op: Actor, user: str, password: str) -> object:
    sale = s.returns.find(op, s.facts.sale_doc_no)
    return s.returns.return_items(op, sale.doc_no, {sale.lines[0].line_id: 1}, reason="顾客退货",
                                  approver=user, approver_password=password)


OPERATIONS = {
    "refund": Operation(Role.CASHIER, "store.manager", "SALE-7", _refund),
    "price_change": Operation(
        Role.STORE_MANAGER, BOSS, "SEC-2", lambda s, op, u, p: s.catalogue.import_file(
            op, _price_file(s), approver=u, approver_password=p)),
    "stocktake_differences": Operation(
        Role.QUALITY_INSPECTOR, "store.manager", "INV-4", lambda s, op, u, p: s.stocktake.approve(
            op, s.facts.stocktake_id, approver=u, approver_password=p)),
    "release": Operation(
        Role.PHARMACIST, "store.manager", "INV-7", lambda s, op, u, p: s.stockkeeping.release(
            op, s.facts.locked_batch_id, reason="复查合格", approver=u, approver_password=p)),
    "destroy": Operation(
        Role.PHARMACIST, "store.manager", "INV-7", lambda s, op, u, p: s.stockkeeping.destroy(
            op, s.facts.locked_batch_id, reason="破损", approver=u, approver_password=p)),
    "split_package": Operation(
        Role.PHARMACIST, "store.manager", "SEC-2", lambda s, op, u, p: s.stockkeeping.split_package(
            op, s.facts.world.batches[AMOXICILLIN][0], 1, checker=u, checker_password=p)),
}


def _business(shop: Shop) -> dict[str, list[tuple]]:
    return {t: rows for t, rows in _snapshot(shop.path).items() if t not in LOGIN_TABLES}


def _refused(shop: Shop, op: Operation, operator: Actor, user: str, password: str,
             error: type[Exception]) -> DomainError:
    before = _business(shop)
    with pytest.raises(error) as refused:
        op.run(shop, operator, user, password)
    assert _business(shop) == before, "a refused approval wrote business records"
    return refused.value


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_2_a_second_authorised_person_approves_and_is_on_record(shop, people, name):
    op = OPERATIONS[name]
    op.run(shop, shop.facts.staff[op.operator], op.approver, STAFF_PASSWORD)
    with shop.uow(readonly=True) as uow:
        approver_id = uow.users.by_username(op.approver).id
        actor_id, detail = uow.session.execute(select(
            AuditRecord.actor_id, AuditRecord.detail).where(
            AuditRecord.action != "login.ok").order_by(AuditRecord.id.desc())).first()
    # The record names the approver: as its actor (stock-take) or in its detail.
    assert actor_id == approver_id or op.approver in json.loads(detail).values()


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_2_the_operator_cannot_approve_their_own_operation(shop, people, name):
    op = OPERATIONS[name]
    refused = _refused(shop, op, people[BOSS], BOSS, STAFF_PASSWORD, DomainError)
    assert not isinstance(refused, PermissionDenied)
    assert "不能自己" in refused.message and refused.rule_id in (op.rule_id, "INV-4", "INV-7")


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_2_someone_who_may_not_approve_is_refused(shop, people, name):
    op = OPERATIONS[name]
    refused = _refused(shop, op, shop.facts.staff[op.operator], "auditor", STAFF_PASSWORD,
                       PermissionDenied)
    assert refused.rule_id == op.rule_id or op.rule_id == "INV-4"


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_3_a_frozen_account_cannot_approve(shop, people, name):
    op = OPERATIONS[name]
    refused = _refused(shop, op, shop.facts.staff[op.operator], GONE, STAFF_PASSWORD,
                       AuthenticationFailed)
    assert "冻结" in refused.message


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_2_a_manager_of_another_store_cannot_approve(shop, people, name):
    op = OPERATIONS[name]
    # The other store's manager cannot sign in at this store's terminal at all (SALE-9);
    # an approver's actor of another store obtained otherwise is refused below (SEC-2).
    refused = _refused(shop, op, shop.facts.staff[op.operator], ELSEWHERE, STAFF_PASSWORD,
                       AuthenticationFailed)
    assert refused.rule_id == "SALE-9"
    assert "另一家门店" in refused.message


def test_sec_2_an_approver_actor_of_another_store_is_refused(shop, people):
    """The check behind the log-in, for an approver's actor obtained elsewhere."""
    from pharmacy_pos.services.actor import check_second_person

    elsewhere = shop.users.authenticate(ELSEWHERE, STAFF_PASSWORD, terminal_id="T09")
    with pytest.raises(PermissionDenied, match="本店"):
        check_second_person(shop.facts.staff[Role.CASHIER], elsewhere, what="退货")


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_3_a_wrong_approver_password_counts_towards_lockout(shop, people, name):
    op = OPERATIONS[name]
    operator = shop.facts.staff[op.operator]
    tries = SecurityPolicy().max_failed_logins
    for _ in range(tries):
        _refused(shop, op, operator, op.approver, "wrong-password", AuthenticationFailed)
    # Locked now: even the right password is refused until the lockout ends.
    refused = _refused(shop, op, operator, op.approver, STAFF_PASSWORD, AuthenticationFailed)
    assert "锁定" in refused.message
    with shop.uow(readonly=True) as uow:
        assert uow.users.by_username(op.approver).locked_until is not None


@pytest.mark.parametrize("name", OPERATIONS)
def test_sec_2_no_approver_typed_is_refused(shop, people, name):
    op = OPERATIONS[name]
    refused = _refused(shop, op, shop.facts.staff[op.operator], "", "", DomainError)
    assert not isinstance(refused, AuthenticationFailed | PermissionDenied)


def test_sec_2_a_price_change_without_approver_names_the_rule_and_imports_nothing(shop, people):
    manager = shop.facts.staff[Role.STORE_MANAGER]
    before = _snapshot(shop.path)
    with pytest.raises(DomainError) as refused:
        shop.catalogue.import_file(manager, _price_file(shop))
    assert refused.value.rule_id == "SEC-2" and "医用口罩" in refused.value.message
    assert _snapshot(shop.path) == before
    changes = shop.catalogue.price_changes(manager, _price_file(shop))
    assert [(c.item_code, str(c.new_price)) for c in changes] == [("P003", "6.00")]


def test_sec_2_an_import_changing_no_price_needs_no_approver(shop, people):
    manager = shop.facts.staff[Role.STORE_MANAGER]
    path = _price_file(shop)
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",6.00", ",5.00"),
                    encoding="utf-8-sig")
    assert shop.catalogue.price_changes(manager, path) == []
    result = shop.catalogue.import_file(manager, path)
    assert result.updated == 1
    with shop.uow(readonly=True) as uow:
        assert uow.audit.by_action("product.price_change") == []


def test_sec_3_a_frozen_users_open_session_cannot_be_unlocked(shop):
    """Freezing takes effect at the idle lock: the leaver's password no longer unlocks."""
    assert shop.users.verify_credentials(shop.facts.leaver, STAFF_PASSWORD) is False
    with shop.uow(readonly=True) as uow:
        assert uow.session.scalars(select(User.frozen_at).where(
            User.username == "leaver")).one() is not None


def test_sec_2_the_command_line_import_asks_for_an_approver_only_when_a_price_changes(
        data_dir, capsys, cli_demo_template):  # noqa: F811 - the CLI test's data folder
    load_demo_copy(cli_demo_template, data_dir)
    lines = resource("demo", "catalogue.csv").read_text(encoding="utf-8").splitlines()
    same = data_dir / "same.csv"
    same.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    changed = data_dir / "changed.csv"
    first = lines[1].rsplit(",", 1)[0] + ",13.00"  # P000001 was 12.50
    changed.write_text("\n".join([lines[0], first, lines[2]]) + "\n", encoding="utf-8")

    assert run(capsys, "import-catalogue", str(same))[0] == EXIT_OK

    code, _, err = run(capsys, "import-catalogue", str(changed))
    assert code == EXIT_REFUSED and "SEC-2" in err and "P000001" in err
    code, _, err = run(capsys, "import-catalogue", str(changed), "--approver", "manager",
                       "--password-stdin", stdin="wrong-password\n")
    assert code == EXIT_REFUSED and "密码" in err
    code, out, _ = run(capsys, "import-catalogue", str(changed), "--approver", "manager",
                       "--password-stdin", stdin=f"{DEMO_PASSWORD}\n")
    assert code == EXIT_OK and "更新 1" in out


def test_sec_2_the_catalogue_screen_imports_a_price_change_once_a_manager_approves(
        shop, people, qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    from pharmacy_pos.ui import errors as ui_errors
    from pharmacy_pos.ui.catalogue_view import CatalogueView

    shown: list[str] = []
    monkeypatch.setattr(ui_errors, "exec_message_box", lambda box: shown.append(box.text()))
    ctx = SimpleNamespace(uow=shop.uow, clock=shop.clock, users=shop.users,
                          settings=SimpleNamespace(terminal_id="T01"))
    manager = shop.facts.staff[Role.STORE_MANAGER]
    view = CatalogueView(ctx, manager)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    assert not view.import_button.isHidden()
    assert view.import_file(_price_file(shop)) is None
    dialog = view.approval_dialog
    assert dialog is not None and "¥5.00 → ¥6.00" in dialog.findChild(
        QLabel, "summary_label").text()

    # The importer's own credentials are refused in the dialog; nothing is imported.
    qtbot.keyClicks(dialog.username_edit, manager.username)
    qtbot.keyClicks(dialog.password_edit, STAFF_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "SEC-2" in dialog.error_label.text() and shown
    assert view.approval_dialog is dialog and _masks_price(shop) == "5.00"

    dialog.username_edit.setText(BOSS)
    qtbot.keyClicks(dialog.password_edit, STAFF_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.approval_dialog is None)
    assert _masks_price(shop) == "6.00" and "更新 1" in view.count_label.text()


def test_sec_1_the_import_button_is_only_for_catalogue_maintainers(shop, qtbot):
    from pharmacy_pos.ui.catalogue_view import CatalogueView

    ctx = SimpleNamespace(uow=shop.uow, clock=shop.clock, users=shop.users,
                          settings=SimpleNamespace(terminal_id="T01"))
    view = CatalogueView(ctx, shop.facts.staff[Role.CASHIER])  # type: ignore[arg-type]
    qtbot.addWidget(view)
    assert view.import_button.isHidden()


def _masks_price(shop: Shop) -> str:
    with shop.uow(readonly=True) as uow:
        return f"{uow.products.by_barcode(MASKS).retail_price:.2f}"


def _policy_text(version: str) -> str:
    return resource("policy", "default.toml").read_text(encoding="utf-8").replace(
        'version = "', f'version = "{version}-', 1)


def test_sec_2_a_policy_change_approved_by_its_installer_is_refused(shop, people):
    manager = shop.facts.staff[Role.STORE_MANAGER]
    before = _business(shop)
    with pytest.raises(DomainError) as refused:
        shop.policies.install(manager, _policy_text("self"), source="self.toml",
                              approver=manager)
    assert refused.value.rule_id == "SEC-2" and "不能自己" in refused.value.message
    assert _business(shop) == before
    done = shop.policies.install(manager, _policy_text("two"), source="two.toml",
                                 approver=people[BOSS])
    with shop.uow(readonly=True) as uow:
        detail = json.loads(uow.audit.by_action("policy.install")[-1].detail)
    assert done.version.startswith("two-") and detail["approver"] == BOSS


def test_sec_3_an_approver_frozen_after_logging_in_cannot_approve_a_policy(shop, people):
    system = Actor.system(shop.facts.store.id, "T01", "cli:test")
    shop.users.freeze(shop.facts.staff[Role.ADMINISTRATOR], BOSS, reason="离职")
    before = _business(shop)
    with pytest.raises(PermissionDenied) as refused:
        shop.policies.install(system, _policy_text("late"), source="late.toml",
                              approver=people[BOSS])
    assert refused.value.rule_id == "SEC-3" and "冻结" in refused.value.message
    assert _business(shop) == before
