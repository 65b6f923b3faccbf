"""Qt table model over ``AuditRow`` DTOs for the audit log screen."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtGui import QColor

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.services.audit import AuditRow
from pharmacy_pos.ui.table_model import RIGHT, Column, DtoTableModel

_CONTEXT = "AuditModel"
WARNING_COLOUR = QColor("#c0392b")

# Known actions in plain Chinese; unknown ones (added by later features) show raw.
ACTION_LABELS: dict[str, str] = {
    "login.ok": QT_TRANSLATE_NOOP("AuditModel", "登录成功"),
    "login.failed": QT_TRANSLATE_NOOP("AuditModel", "登录失败"),
    "login.locked": QT_TRANSLATE_NOOP("AuditModel", "登录锁定"),
    "user.add": QT_TRANSLATE_NOOP("AuditModel", "新增用户"),
    "user.freeze": QT_TRANSLATE_NOOP("AuditModel", "冻结用户"),
    "store.create": QT_TRANSLATE_NOOP("AuditModel", "创建药店"),
    "supplier.add": QT_TRANSLATE_NOOP("AuditModel", "新增供应商"),
    "catalogue.import": QT_TRANSLATE_NOOP("AuditModel", "导入商品目录"),
    "demo.load": QT_TRANSLATE_NOOP("AuditModel", "载入演示数据"),
    "product.update": QT_TRANSLATE_NOOP("AuditModel", "修改商品"),
    "product.price_change": QT_TRANSLATE_NOOP("AuditModel", "调价"),
    "logout": QT_TRANSLATE_NOOP("AuditModel", "注销"),
    "unlock.ok": QT_TRANSLATE_NOOP("AuditModel", "解锁屏幕"),
    "unlock.failed": QT_TRANSLATE_NOOP("AuditModel", "解锁失败"),
    "card.refused": QT_TRANSLATE_NOOP("AuditModel", "拒绝社保卡"),
    "incident.lost_card": QT_TRANSLATE_NOOP("AuditModel", "挂失卡事件"),
    "incident.identity_mismatch": QT_TRANSLATE_NOOP("AuditModel", "人证卡不一致"),
    "identity.proxy_purchase": QT_TRANSLATE_NOOP("AuditModel", "代购登记"),
    "blacklist.add": QT_TRANSLATE_NOOP("AuditModel", "加入挂失卡名单"),
    "blacklist.lift": QT_TRANSLATE_NOOP("AuditModel", "解除挂失"),
    "blacklist.import": QT_TRANSLATE_NOOP("AuditModel", "导入挂失卡名单"),
    "terminal.register": QT_TRANSLATE_NOOP("AuditModel", "登记终端"),
    "policy.install": QT_TRANSLATE_NOOP("AuditModel", "安装政策版本"),
    "prescription.submit": QT_TRANSLATE_NOOP("AuditModel", "提交处方审核"),
    "prescription.approved": QT_TRANSLATE_NOOP("AuditModel", "处方审核通过"),
    "prescription.refused": QT_TRANSLATE_NOOP("AuditModel", "处方审核拒绝"),
    "sale.complete": QT_TRANSLATE_NOOP("AuditModel", "销售结算"),
    "sale.return": QT_TRANSLATE_NOOP("AuditModel", "退货退款"),
    "print.reprint": QT_TRANSLATE_NOOP("AuditModel", "重打小票"),
    "print.dismiss": QT_TRANSLATE_NOOP("AuditModel", "取消打印"),
    "print.shift_report": QT_TRANSLATE_NOOP("AuditModel", "打印交班报表"),
    "receiving.receive": QT_TRANSLATE_NOOP("AuditModel", "采购收货"),
    "receiving.accept": QT_TRANSLATE_NOOP("AuditModel", "质量验收"),
    "purchase_return.add": QT_TRANSLATE_NOOP("AuditModel", "采购退货"),
    "stocktake.start": QT_TRANSLATE_NOOP("AuditModel", "开始盘点"),
    "stocktake.approve": QT_TRANSLATE_NOOP("AuditModel", "盘点审批"),
    "stocktake.cancel": QT_TRANSLATE_NOOP("AuditModel", "取消盘点"),
    "maintenance.start": QT_TRANSLATE_NOOP("AuditModel", "开始月度养护"),
    "maintenance.check": QT_TRANSLATE_NOOP("AuditModel", "养护检查"),
    "batch.release": QT_TRANSLATE_NOOP("AuditModel", "解除锁定"),
    "batch.destroy": QT_TRANSLATE_NOOP("AuditModel", "销毁"),
    "stock.expire": QT_TRANSLATE_NOOP("AuditModel", "过期锁定"),
    "stock.split": QT_TRANSLATE_NOOP("AuditModel", "拆零"),
}

WARNING_ACTIONS = frozenset({
    "login.failed", "login.locked", "unlock.failed", "card.refused", "incident.lost_card",
    "incident.identity_mismatch", "prescription.refused", "sale.return", "print.dismiss",
    "batch.destroy", "stocktake.cancel",
})


def action_text(action: str) -> str:
    """The action's Chinese name followed by its code, e.g. "登录失败 (login.failed)"."""
    label = ACTION_LABELS.get(action)
    if label is None:
        return action
    return f"{QCoreApplication.translate(_CONTEXT, label)} ({action})"


class AuditModel(DtoTableModel):
    """Newest first: time (Asia/Shanghai), actor, terminal, action, target, detail."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        warn = self._warning_red
        self.set_columns([
            Column(self.tr("序号"), lambda r: str(r.seq), RIGHT),
            Column(self.tr("时间"), lambda r: local_text(r.occurred_at)),
            Column(self.tr("操作人"), lambda r: r.actor_name),
            Column(self.tr("终端"), lambda r: r.terminal_id),
            Column(self.tr("操作"), lambda r: action_text(r.action), foreground=warn),
            Column(self.tr("对象"), self.target_text),
            Column(self.tr("详情"), lambda r: r.detail, tooltip=lambda r: r.detail),
        ])

    def target_text(self, row: AuditRow) -> str:
        """E.g. "user #3"; empty when the action has no target."""
        if not row.target_type:
            return ""
        return f"{row.target_type} #{row.target_id}" if row.target_id else row.target_type

    @staticmethod
    def _warning_red(row: AuditRow) -> QColor | None:
        return WARNING_COLOUR if row.action in WARNING_ACTIONS else None
