"""The policy in force is versioned in the database; changing it needs two persons (SEC-2)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, func, select, update

from pharmacy_pos.db.models import PolicyVersion
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.errors import DomainError, PermissionDenied, ValidationFailed
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.policy import (
    INSTALL_ACTION,
    PolicyService,
    changed_rows,
    text_sha256,
)
from pharmacy_pos.services.setup import StoreInfo
from tests.conftest import STAFF_PASSWORD

DEFAULT_TEXT = resource("policy", "default.toml").read_text(encoding="utf-8")


def revised(version: str = "2026.2", general_days: int = 5, *,
            effective_from: str = "2026-10-01") -> str:
    """The default document with a new version, general supply days and effective date."""
    text = DEFAULT_TEXT.replace('version = "2026.1"', f'version = "{version}"')
    text = text.replace("general_max_days = 7", f"general_max_days = {general_days}")
    text = text.replace("effective_from = 2026-01-01", f"effective_from = {effective_from}")
    assert text != DEFAULT_TEXT
    return text


@pytest.fixture
def service(uow_factory: UnitOfWorkFactory, clock: FixedClock, store: StoreInfo) -> PolicyService:
    return PolicyService.for_store(uow_factory, clock, store.id, None)


def _rows(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str, str]]:
    with uow_factory(readonly=True) as uow:
        return [tuple(r) for r in uow.session.execute(
            select(PolicyVersion.version, PolicyVersion.sha256, PolicyVersion.installed_by)
            .order_by(PolicyVersion.id)).all()]


def _install_audits(uow_factory: UnitOfWorkFactory) -> list[dict]:
    with uow_factory(readonly=True) as uow:
        return [json.loads(r.detail) for r in uow.audit.by_action(INSTALL_ACTION)]


def test_default_is_in_force_before_anything_is_installed(service, uow_factory):
    active = service.current()
    assert active.version == "2026.1"
    assert active.installed_at is None
    assert active.sha256 == text_sha256(DEFAULT_TEXT)
    assert _rows(uow_factory) == []


def test_default_is_installed_once(service, system_actor, uow_factory, clock):
    first = service.ensure_installed(system_actor)
    second = service.ensure_installed(system_actor)
    assert first.installed_at == clock.now() and first.installed_by == "cli:test"
    assert second == first
    assert _rows(uow_factory) == [("2026.1", text_sha256(DEFAULT_TEXT), "cli:test")]
    assert len(_install_audits(uow_factory)) == 1
    assert service.current().installed_at == clock.now()


def test_manager_installs_a_new_version_and_it_is_audit_logged(
    service, staff, uow_factory, clock,
):
    manager = staff[Role.STORE_MANAGER]
    service.ensure_installed(manager)
    clock.advance(hours=1)
    active = service.install(manager, revised(), source="2026.2.toml",
                             approver=staff[Role.ADMINISTRATOR])
    assert active.version == "2026.2" and active.policy.prescription.general_max_days == 5
    assert active.installed_by == manager.username and active.installed_at == clock.now()
    assert service.current() == active
    # Another service (another terminal) reads the same from the database.
    other = PolicyService.for_store(uow_factory, clock, manager.store_id, None)
    assert other.current().sha256 == text_sha256(revised())
    detail = _install_audits(uow_factory)[-1]
    assert detail["old_version"] == "2026.1"
    assert detail["old_sha256"] == text_sha256(DEFAULT_TEXT)
    assert detail["new_version"] == "2026.2"
    assert detail["new_sha256"] == text_sha256(revised())
    assert detail["source"] == "2026.2.toml"
    assert detail["approver"] == staff[Role.ADMINISTRATOR].username
    history = service.history(manager)
    assert [h.version for h in history] == ["2026.2", "2026.1"]
    assert history[0].region == "默认统筹区" and str(history[0].effective_from) == "2026-10-01"
    assert len(history[0].short_sha) == 12


def test_sec_2_a_store_manager_alone_cannot_change_the_policy(service, staff, uow_factory):
    manager = staff[Role.STORE_MANAGER]
    with pytest.raises(PermissionDenied) as refused:
        service.install(manager, revised(), source="x.toml")
    assert refused.value.rule_id == "SEC-2" and "第二人审批" in refused.value.message
    assert "[SEC-2]" in str(refused.value)
    with pytest.raises(DomainError) as refused:  # approving one's own change is none
        service.install(manager, revised(), source="x.toml", approver=manager)
    assert refused.value.rule_id == "SEC-2" and "不能自己" in refused.value.message
    for role in (Role.CASHIER, Role.PHARMACIST, Role.AUDITOR):  # not approvers
        with pytest.raises(PermissionDenied) as refused:
            service.install(manager, revised(), source="x.toml", approver=staff[role])
        assert refused.value.rule_id == "SEC-2" and "审批人" in refused.value.message
    assert _rows(uow_factory) == []
    assert _install_audits(uow_factory) == []
    assert service.current().version == "2026.1"


def test_sec_2_another_store_manager_may_approve(
    service, staff, user_service, system_actor, uow_factory,
):
    manager = staff[Role.STORE_MANAGER]
    user_service.add_user(system_actor, username="deputy", display_name="副店长",
                          password=STAFF_PASSWORD, roles=[Role.STORE_MANAGER])
    deputy = user_service.authenticate("deputy", STAFF_PASSWORD, terminal_id="T01")
    active = service.install(manager, revised(), source="x.toml", approver=deputy)
    assert active.installed_by == manager.username
    assert _install_audits(uow_factory)[-1]["approver"] == "deputy"
    assert [r[0] for r in _rows(uow_factory)] == ["2026.2"]


def test_sec_2_an_approver_of_another_store_is_refused(service, staff, uow_factory):
    admin = staff[Role.ADMINISTRATOR]
    stranger = Actor(admin.user_id, admin.username, admin.display_name, admin.roles,
                     admin.store_id + 1, "T09")
    with pytest.raises(PermissionDenied) as refused:
        service.install(staff[Role.STORE_MANAGER], revised(), source="x.toml",
                        approver=stranger)
    assert refused.value.rule_id == "SEC-2" and "不是本店人员" in refused.value.message
    assert _rows(uow_factory) == []


def test_sec_3_a_frozen_administrator_cannot_approve(
    service, staff, user_service, system_actor, uow_factory,
):
    admin = staff[Role.ADMINISTRATOR]  # signed in before the freeze
    user_service.freeze(system_actor, admin.username, reason="离职")
    with pytest.raises(PermissionDenied) as refused:
        service.install(staff[Role.STORE_MANAGER], revised(), source="x.toml", approver=admin)
    assert refused.value.rule_id == "SEC-3" and "冻结" in refused.value.message
    assert _rows(uow_factory) == []
    assert _install_audits(uow_factory) == []


def test_install_without_a_prior_row_records_the_default_as_old(service, staff, uow_factory):
    manager = staff[Role.STORE_MANAGER]
    # The default's version is taken even before it is recorded: it was in force.
    with pytest.raises(DomainError, match="新的版本号"):
        service.install(manager, revised("2026.1"), source="x.toml",
                        approver=staff[Role.ADMINISTRATOR])
    service.install(manager, revised(), source="x.toml", approver=staff[Role.ADMINISTRATOR])
    detail = _install_audits(uow_factory)[-1]
    assert (detail["old_version"], detail["new_version"]) == ("2026.1", "2026.2")


@pytest.mark.parametrize("role", [Role.CASHIER, Role.PHARMACIST, Role.ADMINISTRATOR,
                                  Role.AUDITOR])
def test_sec_1_only_a_store_manager_may_change_the_policy(service, staff, uow_factory, role):
    with pytest.raises(PermissionDenied) as refused:
        service.install(staff[role], revised(), source="x.toml")
    assert refused.value.rule_id == "SEC-1" and "政策参数维护" in refused.value.message
    assert _rows(uow_factory) == []
    assert service.current().version == "2026.1"


def test_sec_1_command_line_needs_a_manager_approving(service, system_actor, staff, uow_factory):
    with pytest.raises(PermissionDenied, match="店长"):
        service.install(system_actor, revised(), source="x.toml")
    with pytest.raises(PermissionDenied, match="审批人"):
        service.install(system_actor, revised(), source="x.toml",
                        approver=staff[Role.CASHIER])
    assert _rows(uow_factory) == []
    manager = staff[Role.STORE_MANAGER]
    active = service.install(system_actor, revised(), source="x.toml", approver=manager)
    assert active.installed_by == manager.username
    detail = _install_audits(uow_factory)[-1]
    assert detail["approver"] == manager.username
    with uow_factory(readonly=True) as uow:
        operator = uow.audit.by_action(INSTALL_ACTION)[-1].actor_name
    assert operator == "cli:test"


def test_same_content_as_in_force_is_refused(service, staff, uow_factory):
    manager = staff[Role.STORE_MANAGER]
    with pytest.raises(DomainError, match="与现行政策相同，无需重新安装"):
        service.install(manager, DEFAULT_TEXT, source="default.toml",
                        approver=staff[Role.ADMINISTRATOR])
    service.install(manager, revised(), source="x.toml", approver=staff[Role.ADMINISTRATOR])
    with pytest.raises(DomainError, match="与现行政策相同，无需重新安装"):
        service.install(manager, revised(), source="x.toml", approver=staff[Role.ADMINISTRATOR])
    assert [r[0] for r in _rows(uow_factory)] == ["2026.2"]


def test_reused_version_with_other_content_is_refused(service, staff, uow_factory):
    manager = staff[Role.STORE_MANAGER]
    service.ensure_installed(manager)
    service.install(manager, revised("2026.2", 5), source="a.toml",
                    approver=staff[Role.ADMINISTRATOR])
    with pytest.raises(DomainError, match=r"“2026\.2”.*（2026-11-01）.*新的版本号"):
        service.install(manager, revised("2026.2", 6), source="b.toml",
                        approver=staff[Role.ADMINISTRATOR])
    with pytest.raises(DomainError, match="新的版本号"):
        service.install(manager, revised("2026.1", 6), source="c.toml",
                        approver=staff[Role.ADMINISTRATOR])
    assert [r[0] for r in _rows(uow_factory)] == ["2026.1", "2026.2"]
    # Going back to an earlier document (same version, same content) is allowed.
    assert service.install(manager, DEFAULT_TEXT, source="default.toml",
                           approver=staff[Role.ADMINISTRATOR]).version == "2026.1"


def test_future_effective_date_is_refused_for_now(service, staff, uow_factory, clock):
    assert str(clock.today()) == "2026-11-01"
    with pytest.raises(DomainError, match=r"2026-11-02.*晚于今天"):
        service.install(staff[Role.STORE_MANAGER], revised(effective_from="2026-11-02"),
                        source="x.toml", approver=staff[Role.ADMINISTRATOR])
    assert _rows(uow_factory) == []
    today = service.install(staff[Role.STORE_MANAGER], revised(effective_from="2026-11-01"),
                            source="x.toml", approver=staff[Role.ADMINISTRATOR])
    assert today.version == "2026.2"


def test_invalid_document_lists_problems_and_writes_nothing(service, staff, uow_factory):
    manager = staff[Role.STORE_MANAGER]
    bad = revised(general_days=500).replace('fund_ratio_class_a = "0.70"',
                                            'fund_ratio_class_a = "1.5"')
    with pytest.raises(ValidationFailed) as refused:
        service.install(manager, bad, source="bad.toml", approver=staff[Role.ADMINISTRATOR])
    fields = {p.field for p in refused.value.problems}
    assert {"prescription.general_max_days", "insurer.fund_ratio_class_a"} <= fields
    assert "bad.toml" in refused.value.message
    with pytest.raises(ValidationFailed, match="格式错误"):
        service.install(manager, "version = ", source="broken.toml",
                        approver=staff[Role.ADMINISTRATOR])
    assert _rows(uow_factory) == []
    assert _install_audits(uow_factory) == []


def test_sec_4_installed_versions_cannot_be_changed_or_deleted(service, system_actor,
                                                               uow_factory):
    service.ensure_installed(system_actor)
    with pytest.raises(DomainError) as refused, uow_factory() as uow:
        uow.session.execute(update(PolicyVersion).values(content="version = \"x\""))
        uow.commit()
    assert refused.value.rule_id == "SEC-4" and "只能追加" in refused.value.message
    with pytest.raises(DomainError), uow_factory() as uow:
        uow.session.execute(delete(PolicyVersion))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(PolicyVersion)) == 1
        assert uow.session.scalar(select(PolicyVersion.content)) == DEFAULT_TEXT


def test_current_is_cached_until_refresh(service, staff, uow_factory, clock):
    manager = staff[Role.STORE_MANAGER]
    reader = PolicyService.for_store(uow_factory, clock, manager.store_id, None)
    assert reader.current().version == "2026.1"
    service.install(manager, revised(), source="x.toml", approver=staff[Role.ADMINISTRATOR])
    assert reader.current().version == "2026.1"
    assert reader.refresh().version == "2026.2"
    assert reader.current().version == "2026.2"


def test_history_needs_the_change_policy_permission(service, staff):
    with pytest.raises(PermissionDenied):
        service.history(staff[Role.CASHIER])
    assert service.history(staff[Role.STORE_MANAGER]) == []


def test_other_stores_actor_is_refused(service, staff):
    manager = staff[Role.STORE_MANAGER]
    stranger = Actor(manager.user_id, manager.username, manager.display_name, manager.roles,
                     manager.store_id + 1, "T09")
    with pytest.raises(PermissionDenied, match="不属于本药店"):
        service.install(stranger, revised(), source="x.toml")


def test_describe_and_changes_show_the_numbers(service):
    old = service.current()
    rows = dict(service.describe(old))
    assert rows["一般处方用药天数上限"] == "7 天"
    assert rows["急诊处方用药天数上限"] == "3 天"
    assert rows["慢性病处方用药天数上限"] == "30 天"
    assert rows["长期处方用药天数上限"] == "84 天"
    assert rows["每张处方药品种数上限"] == "5 种"
    assert rows["处方有效期"] == "1 天"
    assert rows["库存近效期预警窗口"] == "30、60、90 天"
    assert rows["含麻黄碱类复方制剂无处方限购"] == "2 个最小包装"
    assert rows["甲类统筹基金支付比例"] == "70%"
    assert rows["乙类先行自付比例"] == "10%"
    assert rows["起付线"] == "¥0.00"
    assert rows["门诊统筹年度支付限额"] == "¥250.00"
    new = service.preview(revised(), source="x.toml")
    assert changed_rows(service, old, new) == [
        ("版本", "2026.1", "2026.2"),
        ("生效日期", "2026-01-01", "2026-10-01"),
        ("一般处方用药天数上限", "7 天", "5 天"),
    ]


def test_unreadable_default_file_is_reported(uow_factory, clock, store, tmp_path):
    with pytest.raises(ValidationFailed, match="无法读取政策文件"):
        PolicyService.for_store(uow_factory, clock, store.id, tmp_path / "missing.toml")
