"""Small helpers shared by the UI tests."""

from __future__ import annotations

from pharmacy_pos.bootstrap import AppContext


def audit_actions(ctx: AppContext) -> list[tuple[str, str]]:
    """(action, detail) of every audit record of the store, oldest first."""
    assert ctx.store is not None
    with ctx.uow(readonly=True) as uow:
        return [(r.action, r.detail) for r in reversed(uow.audit.recent(ctx.store.id, 100_000))]
