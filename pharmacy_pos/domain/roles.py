"""Roles and what each may do, with least privilege (SEC-1).

System maintenance (users, backups, settings) is separate from business operation:
the administrator sells nothing and the cashier maintains nothing.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's job in the store. A person may hold several roles."""

    CASHIER = "cashier"
    PHARMACIST = "pharmacist"
    QUALITY_INSPECTOR = "quality_inspector"
    STORE_MANAGER = "store_manager"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """Chinese name shown to staff."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.CASHIER: "收银员",
    Role.PHARMACIST: "药师",
    Role.QUALITY_INSPECTOR: "质量验收员",
    Role.STORE_MANAGER: "店长",
    Role.AUDITOR: "审计员",
    Role.ADMINISTRATOR: "系统管理员",
}


class Permission(StrEnum):
    """Use cases guarded by role. Services check these, not only the UI (SEC-1)."""

    SELL = "sell"
    REVIEW_PRESCRIPTION = "review_prescription"
    RECEIVE_GOODS = "receive_goods"
    ACCEPT_QUALITY = "accept_quality"
    COUNT_STOCK = "count_stock"
    MAINTAIN_STOCK = "maintain_stock"
    APPROVE = "approve"
    VIEW_STOCK = "view_stock"
    VIEW_REPORTS = "view_reports"
    EXPORT_REPORTS = "export_reports"
    MANAGE_CATALOGUE = "manage_catalogue"
    MANAGE_BLACKLIST = "manage_blacklist"
    CHANGE_POLICY = "change_policy"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MAINTAIN_SYSTEM = "maintain_system"
    VIEW_STATUS = "view_status"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset({Permission.SELL, Permission.VIEW_STOCK, Permission.VIEW_STATUS}),
    Role.PHARMACIST: frozenset(
        {
            Permission.REVIEW_PRESCRIPTION,
            Permission.SELL,
            Permission.VIEW_STOCK,
            Permission.MAINTAIN_STOCK,
            Permission.VIEW_STATUS,
        }
    ),
    Role.QUALITY_INSPECTOR: frozenset(
        {
            Permission.ACCEPT_QUALITY,
            Permission.RECEIVE_GOODS,
            Permission.COUNT_STOCK,
            Permission.MAINTAIN_STOCK,
            Permission.VIEW_STOCK,
            Permission.VIEW_STATUS,
        }
    ),
    Role.STORE_MANAGER: frozenset(
        {
            Permission.APPROVE,
            Permission.RECEIVE_GOODS,
            Permission.COUNT_STOCK,
            Permission.VIEW_STOCK,
            Permission.VIEW_REPORTS,
            Permission.EXPORT_REPORTS,
            Permission.MANAGE_CATALOGUE,
            Permission.MANAGE_BLACKLIST,
            Permission.CHANGE_POLICY,
            Permission.VIEW_AUDIT,
            Permission.VIEW_STATUS,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Permission.VIEW_STOCK,
            Permission.VIEW_REPORTS,
            Permission.VIEW_AUDIT,
            Permission.VIEW_STATUS,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MAINTAIN_SYSTEM,
            Permission.VIEW_AUDIT,
            Permission.VIEW_STATUS,
        }
    ),
}

PERMISSION_LABELS: dict[Permission, str] = {
    Permission.SELL: "收银",
    Permission.REVIEW_PRESCRIPTION: "处方审核",
    Permission.RECEIVE_GOODS: "采购收货",
    Permission.ACCEPT_QUALITY: "质量验收",
    Permission.COUNT_STOCK: "盘点",
    Permission.MAINTAIN_STOCK: "养护",
    Permission.APPROVE: "审批",
    Permission.VIEW_STOCK: "查看库存",
    Permission.VIEW_REPORTS: "查看报表",
    Permission.EXPORT_REPORTS: "导出报表",
    Permission.MANAGE_CATALOGUE: "商品目录维护",
    Permission.MANAGE_BLACKLIST: "挂失卡名单维护",
    Permission.CHANGE_POLICY: "政策参数维护",
    Permission.VIEW_AUDIT: "查看审计日志",
    Permission.MANAGE_USERS: "用户管理",
    Permission.MAINTAIN_SYSTEM: "系统维护",
    Permission.VIEW_STATUS: "查看状态",
}


def permissions_of(roles: frozenset[Role] | set[Role]) -> frozenset[Permission]:
    """Union of the permissions of every role held."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
