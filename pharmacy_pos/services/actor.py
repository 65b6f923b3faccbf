"""Who is acting: the logged-in user, or the local administrator at the command line."""

from __future__ import annotations

from dataclasses import dataclass

from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.domain.roles import PERMISSION_LABELS, Permission, Role, permissions_of


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated identity, passed to every use case (never a global)."""

    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]
    store_id: int
    terminal_id: str
    is_system: bool = False

    @classmethod
    def system(cls, store_id: int, terminal_id: str, name: str) -> Actor:
        """The operator of the command line (``pharmacy-pos-cli``), recorded by OS name.

        Whoever runs the CLI on the terminal's machine administers it; every action is
        still audit-logged under this name.
        """
        return cls(None, name, name, frozenset(), store_id, terminal_id, is_system=True)

    @property
    def permissions(self) -> frozenset[Permission]:
        """Everything this actor may do."""
        if self.is_system:
            return frozenset(Permission)
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        """Whether the actor holds ``permission``."""
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Refuse the use case unless the actor holds ``permission`` (SEC-1).

        Raises:
            PermissionDenied: naming the permission and the actor's roles.
        """
        if not self.can(permission):
            held = "、".join(r.label for r in sorted(self.roles)) or "无"
            raise PermissionDenied(
                f"{self.display_name}（{held}）无权执行“{PERMISSION_LABELS[permission]}”"
            )
