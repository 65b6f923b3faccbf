from datetime import date

from pharmacy_pos.domain.identity import (
    Action,
    ProxyPurchase,
    check_card,
    match_document,
    normalise_name,
    repeat_visit_finding,
)
from tests.cards import BUYER_SSN, HOLDER_SSN, card

TODAY = date(2026, 11, 1)


def test_a_valid_card_has_no_findings():
    assert check_card(card(), today=TODAY, blacklisted_reason=None) == []


def test_id_4_card_expiring_today_is_still_valid():
    assert check_card(card(expiry_date=TODAY), today=TODAY, blacklisted_reason=None) == []


def test_id_3_and_id_4_findings_stack():
    findings = check_card(card(expiry_date=date(2020, 1, 1)), today=TODAY,
                          blacklisted_reason="冒用")
    assert [f.rule_id for f in findings] == ["ID-3", "ID-4"]
    assert all(f.action is Action.BLOCK for f in findings)


def test_id_2_full_width_and_case_do_not_matter():
    full_width = HOLDER_SSN.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert normalise_name("张　三丰") == "张三丰"
    assert match_document(card(), id_number=HOLDER_SSN.lower(), name=" 张三丰 ") == []
    assert normalise_name(full_width) == HOLDER_SSN
    assert match_document(card(), id_number=full_width, name="张三丰") == []


def test_id_5_complete_declaration_has_no_problems():
    assert ProxyPurchase(BUYER_SSN, "张小明", HOLDER_SSN).problems() == []
    same = ProxyPurchase(HOLDER_SSN, "张三丰", HOLDER_SSN).problems()
    assert [f.message for f in same] == ["代购人与参保人是同一人，无需登记代购"]


def test_id_8_first_read_is_not_a_repeat():
    assert repeat_visit_finding(0) is None
    finding = repeat_visit_finding(2)
    assert finding is not None and finding.action is Action.RECORD and "2 次" in finding.message
