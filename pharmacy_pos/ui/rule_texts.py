"""Every business rule in one plain sentence, by rule id (``../shared/RULES.md``).

The refusals and findings the services raise name their rule id and say in Chinese what
happened with the case's own details. Under English, the interface puts the rule's
English sentence (this table, translated in ``resources/translations``) in front of that
detail, so a reader of either language knows which rule refused and why; the Chinese
sentence itself shows in the findings' tooltip and the F1 help.
"""

# ruff: noqa: E501 - the Chinese sentences are wide (ruff counts CJK at double width)

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT = "rules"

#: rule id -> its sentence in Chinese (the source text Qt translates).
RULE_TEXTS: dict[str, str] = {
    "ID-1": QT_TRANSLATE_NOOP("rules", "医保结算只凭实际读取的社保卡（或电子凭证），不能手输社会保障号码"),
    "ID-2": QT_TRANSLATE_NOOP("rules", "证、卡、人须一致：卡上持卡人须与所出示的身份证件相符，不符则不能医保结算"),
    "ID-3": QT_TRANSLATE_NOOP("rules", "伪造或已挂失的社保卡：扣留并报告经办机构，拒绝交易并记录"),
    "ID-4": QT_TRANSLATE_NOOP("rules", "身份证号须有效（18位、校验码、出生日期）；过期的社保卡不能使用"),
    "ID-5": QT_TRANSLATE_NOOP("rules", "代购须登记购药人和参保人的身份证号"),
    "ID-6": QT_TRANSLATE_NOOP("rules", "外配处方上的患者须是参保人本人"),
    "ID-7": QT_TRANSLATE_NOOP("rules", "读卡和结算完成前社保卡须留在读卡器中；中途拔卡则本单改为自费，不留半笔记录"),
    "ID-8": QT_TRANSLATE_NOOP("rules", "同一张卡同日多次刷卡计一人次，同日重复购药予以标记"),
    "ID-9": QT_TRANSLATE_NOOP("rules", "一卡多人使用或一人多卡予以标记"),
    "RX-1": QT_TRANSLATE_NOOP("rules", "处方药须凭处方销售"),
    "RX-2": QT_TRANSLATE_NOOP("rules", "每张处方须由在岗药师审核签名后才能调配；审核药师不能是本单收银员"),
    "RX-3": QT_TRANSLATE_NOOP("rules", "外配处方须来自定点医疗机构，有医师签名和医疗机构印章"),
    "RX-4": QT_TRANSLATE_NOOP("rules", "处方不得更改：不得替换药品，数量不得超过处方数量"),
    "RX-5": QT_TRANSLATE_NOOP("rules", "配伍禁忌或超剂量：药师应拒绝调配，除非医师更正并重新签字"),
    "RX-6": QT_TRANSLATE_NOOP("rules", "用药天数限制：一般不超过7天，急诊不超过3天，慢性病按政策放宽"),
    "RX-7": QT_TRANSLATE_NOOP("rules", "每张处方不超过5种药品"),
    "RX-8": QT_TRANSLATE_NOOP("rules", "处方当日有效，医师注明的最长3天"),
    "RX-9": QT_TRANSLATE_NOOP("rules", "被取消医保处方权的医师所开处方不能医保结算"),
    "RX-10": QT_TRANSLATE_NOOP("rules", "外配处方和购药清单至少保存2年，不得提前删除"),
    "RX-11": QT_TRANSLATE_NOOP("rules", "外配处方单独登记，按月统计外配处方费用"),
    "RX-12": QT_TRANSLATE_NOOP("rules", "含麻黄碱类复方制剂：登记购买人身份证号，每次不超过2个最小包装"),
    "RX-13": QT_TRANSLATE_NOOP("rules", "限定支付范围的药品只有诊断相符时才由医保支付，否则自费"),
    "RX-14": QT_TRANSLATE_NOOP("rules", "同一人上次所购药品未用完又购同一药品（超量配药）予以标记"),
    "SALE-1": QT_TRANSLATE_NOOP("rules", "只有医保目录内的品种可由医保支付；食品、日用品、化妆品、保健品一律不可"),
    "SALE-2": QT_TRANSLATE_NOOP("rules", "严禁套现：不得有负数行、不得从医保基金找零、不得以药易物"),
    "SALE-3": QT_TRANSLATE_NOOP("rules", "同药同价：现金和医保购药单价相同"),
    "SALE-4": QT_TRANSLATE_NOOP("rules", "医保购药不得返现或赠送购物卡"),
    "SALE-5": QT_TRANSLATE_NOOP("rules", "过期、失效药品不得销售；先到期先出；近效期予以提醒"),
    "SALE-6": QT_TRANSLATE_NOOP("rules", "每笔医保购药须打印购药清单，列明药品、金额、医保支付和账户余额，由参保人签字"),
    "SALE-7": QT_TRANSLATE_NOOP("rules", "退货退款须第二人授权；医保退款须冲正结算"),
    "SALE-8": QT_TRANSLATE_NOOP("rules", "医保协议中止或解除期间，不能医保结算"),
    "SALE-9": QT_TRANSLATE_NOOP("rules", "结算终端绑定本药店，不得外借或挪用"),
    "SALE-10": QT_TRANSLATE_NOOP("rules", "自费部分须向购药人说明并记录其同意"),
    "SALE-11": QT_TRANSLATE_NOOP("rules", "年度限额、基金比例、起付线以医保答复或政策文件为准"),
    "INV-1": QT_TRANSLATE_NOOP("rules", "进销存如实记录：每次库存变动都是一条台账记录，库存等于台账之和"),
    "INV-2": QT_TRANSLATE_NOOP("rules", "药品只能从有资质的供应商购进，经质量验收后方可销售"),
    "INV-3": QT_TRANSLATE_NOOP("rules", "每月养护检查在库药品，存疑药品锁定停售"),
    "INV-4": QT_TRANSLATE_NOOP("rules", "盘点：实盘与账面比较，盘盈盘亏由店长批准"),
    "INV-5": QT_TRANSLATE_NOOP("rules", "进销存记录不得篡改或删除，只能冲正；台账防篡改"),
    "INV-6": QT_TRANSLATE_NOOP("rules", "医保目录药品的进销存数据定期上传医保平台"),
    "INV-7": QT_TRANSLATE_NOOP("rules", "过期、破损或召回的药品须做销毁或退货出库，记录经手人和原因"),
    "REP-1": QT_TRANSLATE_NOOP("rules", "进销存月报：按品种和批次，期初 + 入库 − 出库 = 期末"),
    "REP-2": QT_TRANSLATE_NOOP("rules", "医保月度对账：本店结算合计与医保合计比对，逐笔列出差异"),
    "REP-3": QT_TRANSLATE_NOOP("rules", "外配处方费用月度统计"),
    "REP-4": QT_TRANSLATE_NOOP("rules", "医保购药分类台账，按月报送"),
    "REP-5": QT_TRANSLATE_NOOP("rules", "自查报告：一段时间内的全部标记事项"),
    "SEC-1": QT_TRANSLATE_NOOP("rules", "按角色最小授权：收银员、药师、质量负责人、店长、审计员、管理员"),
    "SEC-2": QT_TRANSLATE_NOOP("rules", "特殊操作（退款、改价、库存调整、政策变更）须第二人授权"),
    "SEC-3": QT_TRANSLATE_NOOP("rules", "离职人员冻结账号，不删除；连续输错密码锁定；离开时锁屏"),
    "SEC-4": QT_TRANSLATE_NOOP("rules", "每次数据维护都记录操作人、时间和内容"),
    "SEC-5": QT_TRANSLATE_NOOP("rules", "保护参保人隐私：屏幕和小票上的身份证号须遮掩"),
    "SEC-6": QT_TRANSLATE_NOOP("rules", "每日备份数据"),
    "SEC-7": QT_TRANSLATE_NOOP("rules", "医保数据持续上传（间隔不超过20分钟），待上传数据不丢失"),
}


def rule_text(rule_id: str) -> str | None:
    """The rule's sentence in the interface language (None: no such rule)."""
    source = RULE_TEXTS.get(rule_id)
    return None if source is None else QCoreApplication.translate(_CONTEXT, source)


def explained(rule_id: str | None, detail: str) -> str:
    """``detail`` (a service's Chinese message about this case) with the rule's sentence
    before it when the interface speaks another language than the detail; as it is
    under Chinese, where the detail already says it all."""
    sentence = rule_text(rule_id) if rule_id else None
    if sentence is None or sentence == RULE_TEXTS[rule_id]:
        return detail
    return f"{sentence}\n{detail}"


def with_rule(rule_id: str | None, detail: str) -> str:
    """``[RX-1] detail`` as the person reads it: :func:`explained` after the rule id."""
    return f"[{rule_id}] {explained(rule_id, detail)}" if rule_id else detail

