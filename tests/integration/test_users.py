"""Staff accounts: roles, freezing, lockout, audit (SEC-1, SEC-3, SEC-4)."""

from __future__ import annotations

import json

import pytest

from pharmacy_pos.domain.errors import AuthenticationFailed, DomainError, PermissionDenied
from pharmacy_pos.domain.roles import Role
from tests.conftest import STAFF_PASSWORD


def _actions(uow_factory) -> list[str]:
    with uow_factory(readonly=True) as uow:
        return [r.action for r in reversed(uow.audit.recent(1, 500))]


def test_sec_1_only_an_administrator_adds_users(user_service, staff):
    for role in (Role.CASHIER, Role.STORE_MANAGER, Role.AUDITOR, Role.PHARMACIST):
        with pytest.raises(PermissionDenied) as refused:
            user_service.add_user(staff[role], username="newbie", display_name="新人",
                                  password="Newbie2026x", roles=[Role.CASHIER])
        assert refused.value.rule_id == "SEC-1"
    created = user_service.add_user(staff[Role.ADMINISTRATOR], username="newbie",
                                    display_name="新人", password="Strong2026x",
                                    roles=[Role.CASHIER])
    assert created.roles == (Role.CASHIER,)


def test_sec_4_adding_a_user_is_audit_logged_without_the_password(uow_factory, user_service,
                                                                  staff):
    user_service.add_user(staff[Role.ADMINISTRATOR], username="li.na", display_name="李娜",
                          password="Strong2026x", roles=[Role.PHARMACIST],
                          qualification_no="ZY123")
    with uow_factory(readonly=True) as uow:
        record = uow.audit.by_action("user.add")[-1]
        detail, actor_name = json.loads(record.detail), record.actor_name
    assert detail["username"] == "li.na" and detail["roles"] == ["pharmacist"]
    assert "Strong2026x" not in json.dumps(detail)
    assert actor_name == "administrator"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"username": "王芳"}, "用户名"),
        ({"password": "short1"}, "至少 8 位"),
        ({"password": "onlyletters"}, "字母和数字"),
        ({"roles": []}, "至少指定一个角色"),
        ({"roles": [Role.PHARMACIST]}, "RX-2"),
        ({"display_name": " "}, "姓名"),
    ],
)
def test_sec_3_bad_accounts_are_refused_and_nothing_is_created(user_service, staff, changes,
                                                             fragment):
    values = {"username": "zhang.san", "display_name": "张三", "password": "Strong2026x",
              "roles": [Role.CASHIER]} | changes
    with pytest.raises(DomainError, match=fragment):
        user_service.add_user(staff[Role.ADMINISTRATOR], **values)
    names = [u.username for u in user_service.list_users(staff[Role.ADMINISTRATOR])]
    assert "zhang.san" not in names


def test_duplicate_username_is_refused(user_service, staff):
    with pytest.raises(DomainError, match="已存在"):
        user_service.add_user(staff[Role.ADMINISTRATOR], username="cashier",
                              display_name="重名", password="Strong2026x", roles=[Role.CASHIER])


def test_sec_3_frozen_account_cannot_log_in_and_is_kept(user_service, staff):
    admin = staff[Role.ADMINISTRATOR]
    user_service.freeze(admin, "cashier", reason="离职")
    with pytest.raises(AuthenticationFailed, match="账号已冻结"):
        user_service.authenticate("cashier", STAFF_PASSWORD, terminal_id="T01")
    listed = {u.username: u for u in user_service.list_users(admin)}
    assert listed["cashier"].frozen and listed["cashier"].frozen_reason == "离职"
    with pytest.raises(DomainError, match="已于"):
        user_service.freeze(admin, "cashier", reason="again")


def test_sec_3_freezing_needs_a_reason_and_a_known_user(user_service, staff):
    admin = staff[Role.ADMINISTRATOR]
    with pytest.raises(DomainError, match="原因"):
        user_service.freeze(admin, "cashier", reason=" ")
    with pytest.raises(DomainError, match="没有用户"):
        user_service.freeze(admin, "nobody", reason="x")


def test_sec_3_wrong_password_and_unknown_user_say_the_same(user_service, staff):
    with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
        user_service.authenticate("cashier", "Wrong2026x", terminal_id="T01")
    with pytest.raises(AuthenticationFailed, match=r"^\[SEC-3\] 用户名或密码错误$"):
        user_service.authenticate("ghost", "Wrong2026x", terminal_id="T01")


def test_sec_3_too_many_failures_lock_the_account_for_a_while(uow_factory, user_service, staff,
                                                            clock, security):
    for _ in range(security.max_failed_logins - 1):
        with pytest.raises(AuthenticationFailed, match="再错"):
            user_service.authenticate("cashier", "Wrong2026x", terminal_id="T01")
    with pytest.raises(AuthenticationFailed, match="锁定"):
        user_service.authenticate("cashier", "Wrong2026x", terminal_id="T01")
    with pytest.raises(AuthenticationFailed, match="锁定至"):
        user_service.authenticate("cashier", STAFF_PASSWORD, terminal_id="T01")
    clock.advance(minutes=security.lockout_minutes + 1)
    actor = user_service.authenticate("cashier", STAFF_PASSWORD, terminal_id="T01")
    assert actor.roles == frozenset({Role.CASHIER})
    actions = _actions(uow_factory)
    assert actions.count("login.failed") == security.max_failed_logins - 1
    assert "login.locked" in actions and actions[-1] == "login.ok"


def test_idle_unlock_checks_the_same_users_password(user_service, staff):
    cashier = staff[Role.CASHIER]
    assert user_service.verify_credentials(cashier, STAFF_PASSWORD)
    assert not user_service.verify_credentials(cashier, "Wrong2026x")


def test_sec_4_unlock_attempts_and_log_out_are_audit_logged(uow_factory, user_service, staff):
    cashier = staff[Role.CASHIER]
    user_service.verify_credentials(cashier, "Wrong2026x")
    user_service.verify_credentials(cashier, STAFF_PASSWORD)
    user_service.log_out(cashier, reason="切换用户")
    assert _actions(uow_factory)[-3:] == ["unlock.failed", "unlock.ok", "logout"]
