"""The interface language for the labels the domain writes in Chinese (``.label``).

The domain has no Qt (DESIGN.md), so its enums carry Chinese labels for receipts and the
statutory records; screens show them through :func:`label`, which looks them up in the
``labels`` translation context. The table below only marks them for lupdate;
tests/unit/test_translations.py fails when a member's label is missing from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: Every label of Role, PaymentMethod, ReviewDecision, RefusalReason, ProductCategory,
#: InsuranceClass, OtcClass, ControlledCategory, BatchStatus, LedgerEntryType, Action and
#: DeviceState.
LABELS = (
    # roles.Role
    QT_TRANSLATE_NOOP("labels", "收银员"),
    QT_TRANSLATE_NOOP("labels", "药师"),
    QT_TRANSLATE_NOOP("labels", "质量验收员"),
    QT_TRANSLATE_NOOP("labels", "店长"),
    QT_TRANSLATE_NOOP("labels", "审计员"),
    QT_TRANSLATE_NOOP("labels", "系统管理员"),
    # sale.PaymentMethod
    QT_TRANSLATE_NOOP("labels", "统筹基金"),
    QT_TRANSLATE_NOOP("labels", "个人账户"),
    QT_TRANSLATE_NOOP("labels", "现金"),
    QT_TRANSLATE_NOOP("labels", "微信"),
    QT_TRANSLATE_NOOP("labels", "支付宝"),
    QT_TRANSLATE_NOOP("labels", "银行卡"),
    QT_TRANSLATE_NOOP("labels", "购物卡/礼券"),
    # sale.ReviewDecision
    QT_TRANSLATE_NOOP("labels", "待审核"),
    QT_TRANSLATE_NOOP("labels", "审核通过"),
    QT_TRANSLATE_NOOP("labels", "审核拒绝"),
    # sale.RefusalReason
    QT_TRANSLATE_NOOP("labels", "配伍禁忌"),
    QT_TRANSLATE_NOOP("labels", "超剂量"),
    QT_TRANSLATE_NOOP("labels", "处方不规范"),
    QT_TRANSLATE_NOOP("labels", "患者与处方不符"),
    QT_TRANSLATE_NOOP("labels", "其他"),
    # product.ProductCategory
    QT_TRANSLATE_NOOP("labels", "药品"),
    QT_TRANSLATE_NOOP("labels", "医疗器械"),
    QT_TRANSLATE_NOOP("labels", "保健食品"),
    QT_TRANSLATE_NOOP("labels", "化妆品"),
    QT_TRANSLATE_NOOP("labels", "日用品"),
    # product.InsuranceClass
    QT_TRANSLATE_NOOP("labels", "非医保"),
    QT_TRANSLATE_NOOP("labels", "甲类"),
    QT_TRANSLATE_NOOP("labels", "乙类"),
    QT_TRANSLATE_NOOP("labels", "丙类"),
    # product.OtcClass
    QT_TRANSLATE_NOOP("labels", "甲类OTC"),
    QT_TRANSLATE_NOOP("labels", "乙类OTC"),
    # product.ControlledCategory
    QT_TRANSLATE_NOOP("labels", "含麻黄碱类复方制剂"),
    # product.BatchStatus
    QT_TRANSLATE_NOOP("labels", "待验收"),
    QT_TRANSLATE_NOOP("labels", "合格可售"),
    QT_TRANSLATE_NOOP("labels", "锁定"),
    QT_TRANSLATE_NOOP("labels", "已过期"),
    QT_TRANSLATE_NOOP("labels", "已销毁"),
    # product.LedgerEntryType
    QT_TRANSLATE_NOOP("labels", "采购入库"),
    QT_TRANSLATE_NOOP("labels", "采购退货"),
    QT_TRANSLATE_NOOP("labels", "销售出库"),
    QT_TRANSLATE_NOOP("labels", "销售退货"),
    QT_TRANSLATE_NOOP("labels", "盘盈"),
    QT_TRANSLATE_NOOP("labels", "盘亏"),
    QT_TRANSLATE_NOOP("labels", "销毁"),
    QT_TRANSLATE_NOOP("labels", "拆零转换"),
    QT_TRANSLATE_NOOP("labels", "冲正"),
    # identity.Action
    QT_TRANSLATE_NOOP("labels", "禁止"),
    QT_TRANSLATE_NOOP("labels", "需审批"),
    QT_TRANSLATE_NOOP("labels", "提示"),
    QT_TRANSLATE_NOOP("labels", "记录"),
    # devices.ports.DeviceState
    QT_TRANSLATE_NOOP("labels", "正常"),
    QT_TRANSLATE_NOOP("labels", "模拟"),
    QT_TRANSLATE_NOOP("labels", "未连接"),
    QT_TRANSLATE_NOOP("labels", "故障"),
)


def label(member: Enum) -> str:
    """``member.label`` in the interface language (Chinese when no translation exists)."""
    text: str = member.label  # type: ignore[attr-defined]
    return QCoreApplication.translate("labels", text) if text else text


def joined(members: Iterable[Enum]) -> str:
    """Several members' labels, listed as the language lists things (、 in Chinese)."""
    return QCoreApplication.translate("labels", "、", "list separator").join(
        label(m) for m in members)
