import pytest

from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.domain.roles import ROLE_PERMISSIONS, Permission, Role, permissions_of
from pharmacy_pos.services.actor import Actor

WRITE_PERMISSIONS = set(Permission) - {
    Permission.VIEW_STOCK, Permission.VIEW_REPORTS, Permission.VIEW_AUDIT, Permission.VIEW_STATUS,
}


def _actor(*roles: Role) -> Actor:
    return Actor(1, "u", "某人", frozenset(roles), 1, "T01")


def test_sec_1_every_role_has_permissions():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_sec_1_auditor_reads_everything_and_changes_nothing():
    assert not ROLE_PERMISSIONS[Role.AUDITOR] & WRITE_PERMISSIONS
    assert Permission.VIEW_AUDIT in ROLE_PERMISSIONS[Role.AUDITOR]


def test_sec_1_maintenance_is_separate_from_business():
    admin = ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert Permission.SELL not in admin and Permission.APPROVE not in admin
    for role in (Role.CASHIER, Role.PHARMACIST, Role.QUALITY_INSPECTOR, Role.STORE_MANAGER):
        assert Permission.MANAGE_USERS not in ROLE_PERMISSIONS[role]
        assert Permission.MAINTAIN_SYSTEM not in ROLE_PERMISSIONS[role]


def test_sec_1_only_pharmacists_review_prescriptions():
    holders = {r for r, p in ROLE_PERMISSIONS.items() if Permission.REVIEW_PRESCRIPTION in p}
    assert holders == {Role.PHARMACIST}


def test_sec_1_refusal_names_the_permission_and_rule():
    with pytest.raises(PermissionDenied) as refused:
        _actor(Role.CASHIER).require(Permission.MANAGE_USERS)
    assert refused.value.rule_id == "SEC-1"
    assert "用户管理" in str(refused.value) and "收银员" in str(refused.value)


def test_roles_combine():
    both = permissions_of({Role.CASHIER, Role.PHARMACIST})
    assert Permission.SELL in both and Permission.REVIEW_PRESCRIPTION in both


def test_system_actor_may_do_everything_and_is_named():
    system = Actor.system(1, "T01", "cli:root")
    assert system.can(Permission.MANAGE_USERS) and system.user_id is None
