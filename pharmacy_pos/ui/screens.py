"""The registry of screens the main window can show.

A later issue adds its screen by appending one ``ScreenSpec`` to ``SCREENS``. The main
window lists only the specs whose permission the logged-in actor holds (SEC-1; the
services check again). Factories import their view lazily, so start-up to the login
window loads none of them. A screen may define ``refresh()``: the main window calls it
whenever the screen is shown again, so coming back to it shows current data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

#: Builds a screen: (context, actor, parent) -> widget.
ScreenFactory = Callable[["AppContext", Actor, QWidget | None], QWidget]

_CONTEXT = "screens"


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    """One entry of the navigation.

    Attributes:
        key: stable identifier (used by tests and to switch screens in code).
        title: source-language (Chinese) title, translated when shown.
        permission: what the actor must hold to see the entry.
        factory: builds the screen the first time it is opened.
    """

    key: str
    title: str
    permission: Permission
    factory: ScreenFactory

    @property
    def display_title(self) -> str:
        """The title in the interface language."""
        return QCoreApplication.translate(_CONTEXT, self.title)


def _till(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.till_view import TillView

    return TillView(ctx, actor, parent)


def _returns(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.return_view import ReturnView

    return ReturnView(ctx, actor, parent)


def _history(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.history_view import HistoryView

    return HistoryView(ctx, actor, parent)


def _about(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.about_view import AboutView

    return AboutView(ctx, actor, parent)


def _catalogue(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.catalogue_view import CatalogueView

    return CatalogueView(ctx, actor, parent)


def _users(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.users_view import UsersView

    return UsersView(ctx, actor, parent)


def _audit(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.audit_view import AuditView

    return AuditView(ctx, actor, parent)


def _policy(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.policy_view import PolicyView

    return PolicyView(ctx, actor, parent, service=ctx.policy_service)


def _review(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.review_view import ReviewView

    return ReviewView(ctx, actor, parent)


def _stockkeeping(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.services.stockkeeping import StockkeepingService
    from pharmacy_pos.ui.stockkeeping_view import StockkeepingView

    terminal = ctx.settings.terminal_id
    service = StockkeepingService(
        ctx.uow, ctx.clock, lambda: ctx.policy.stock,
        lambda username, password: ctx.users.authenticate(username, password,
                                                          terminal_id=terminal),
        store_code=ctx.settings.store_code)
    return StockkeepingView(service, actor, parent)


def _stocktake(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.services.stocktake import StocktakeService
    from pharmacy_pos.ui.stocktake_view import StocktakeView

    terminal = ctx.settings.terminal_id
    service = StocktakeService(
        ctx.uow, ctx.clock,
        lambda username, password: ctx.users.authenticate(username, password,
                                                          terminal_id=terminal))
    return StocktakeView(service, actor, parent)


def _receiving(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.services.receiving import ReceivingService
    from pharmacy_pos.ui.receiving_view import ReceivingView

    service = ReceivingService(ctx.uow, ctx.clock, store_code=ctx.settings.store_code)
    return ReceivingView(ctx, actor, parent, service=service)


def _acceptance(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.services.receiving import ReceivingService
    from pharmacy_pos.ui.acceptance_view import AcceptanceView

    service = ReceivingService(ctx.uow, ctx.clock, store_code=ctx.settings.store_code)
    return AcceptanceView(service, actor, parent)


def _reports(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.reports_view import ReportsView

    return ReportsView(ctx, actor, parent)


def _dashboard(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.dashboard_view import DashboardView

    return DashboardView(ctx, actor, parent)


def _uploads(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from pharmacy_pos.ui.uploads_view import UploadsView

    return UploadsView(ctx, actor, parent)


# Titles are marked for lupdate here and translated in ScreenSpec.display_title.
SCREENS: list[ScreenSpec] = [
    # The till's people first: cashier, pharmacist, then the back office.
    ScreenSpec("till", QT_TRANSLATE_NOOP("screens", "收银"), Permission.SELL, _till),
    ScreenSpec("review", QT_TRANSLATE_NOOP("screens", "处方审核"),
               Permission.REVIEW_PRESCRIPTION, _review),
    ScreenSpec("returns", QT_TRANSLATE_NOOP("screens", "退货"), Permission.SELL, _returns),
    ScreenSpec("history", QT_TRANSLATE_NOOP("screens", "销售记录"), Permission.SELL, _history),
    ScreenSpec("catalogue", QT_TRANSLATE_NOOP("screens", "商品目录"),
               Permission.VIEW_STOCK, _catalogue),
    ScreenSpec("receiving", QT_TRANSLATE_NOOP("screens", "收货"),
               Permission.RECEIVE_GOODS, _receiving),
    ScreenSpec("acceptance", QT_TRANSLATE_NOOP("screens", "质量验收"),
               Permission.ACCEPT_QUALITY, _acceptance),
    ScreenSpec("stockkeeping", QT_TRANSLATE_NOOP("screens", "养护与效期"),
               Permission.MAINTAIN_STOCK, _stockkeeping),
    ScreenSpec("stocktake", QT_TRANSLATE_NOOP("screens", "盘点"),
               Permission.COUNT_STOCK, _stocktake),
    ScreenSpec("users", QT_TRANSLATE_NOOP("screens", "用户管理"),
               Permission.MANAGE_USERS, _users),
    ScreenSpec("reports", QT_TRANSLATE_NOOP("screens", "报表"),
               Permission.VIEW_REPORTS, _reports),
    ScreenSpec("dashboard", QT_TRANSLATE_NOOP("screens", "经营概况"),
               Permission.VIEW_REPORTS, _dashboard),
    ScreenSpec("audit", QT_TRANSLATE_NOOP("screens", "审计日志"),
               Permission.VIEW_AUDIT, _audit),
    ScreenSpec("policy", QT_TRANSLATE_NOOP("screens", "政策参数"),
               Permission.CHANGE_POLICY, _policy),
    ScreenSpec("about", QT_TRANSLATE_NOOP("screens", "系统状态"),
               Permission.VIEW_STATUS, _about),
    ScreenSpec("uploads", QT_TRANSLATE_NOOP("screens", "医保上传"),
               Permission.VIEW_STATUS, _uploads),
]


def screens_for(actor: Actor, screens: Sequence[ScreenSpec] | None = None) -> list[ScreenSpec]:
    """The specs ``actor`` may open, in registry order."""
    return [spec for spec in (SCREENS if screens is None else screens)
            if actor.can(spec.permission)]
