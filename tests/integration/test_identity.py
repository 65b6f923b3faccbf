"""Person = card = document: rules ID-1 to ID-9 through the identity use cases."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from pharmacy_pos.domain.errors import DomainError, PermissionDenied, ValidationFailed
from pharmacy_pos.domain.identity import ProxyPurchase
from pharmacy_pos.domain.policy import IdentityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.identity import IdentityService
from tests.cards import BUYER_SSN, HOLDER_SSN, OTHER_SSN, card, id_number

# The holder's number with its check digit changed.
BROKEN_SSN = HOLDER_SSN[:-1] + ("0" if HOLDER_SSN[-1] != "0" else "1")


@pytest.fixture
def identity(uow_factory, clock) -> IdentityService:
    return IdentityService(uow_factory, clock, IdentityPolicy())


@pytest.fixture
def cashier(staff):
    return staff[Role.CASHIER]


def _audit(uow_factory, action: str) -> list[dict]:
    with uow_factory(readonly=True) as uow:
        return [json.loads(r.detail) for r in uow.audit.by_action(action)]


def _ready(identity, cashier, record=None):
    """A card read and checked against a matching document."""
    record = record or card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    assert identity.verify_document(cashier, check.read_id, id_number=record.ssn,
                                    name=record.name, record=record) == []
    return check


def test_id_1_a_card_read_with_a_matching_document_can_settle(identity, cashier):
    check = _ready(identity, cashier)
    settled = identity.settlement_identity(cashier, read_id=check.read_id)
    assert (settled.ssn, settled.name, settled.card_number) == (HOLDER_SSN, "张三丰", "A12345678")
    assert settled.masked_ssn == HOLDER_SSN[:3] + "*" * 11 + HOLDER_SSN[-4:]


def test_id_1_typed_social_security_number_never_enables_settlement(identity, cashier):
    with pytest.raises(DomainError, match="手工输入社会保障号码不能结算") as refused:
        identity.settlement_identity(cashier, read_id=None, typed_ssn=HOLDER_SSN)
    assert refused.value.rule_id == "ID-1"
    assert HOLDER_SSN not in str(refused.value)  # masked even in the refusal


def test_id_1_a_read_from_another_terminal_cannot_settle(identity, cashier):
    check = _ready(identity, cashier)
    other_terminal = replace(cashier, terminal_id="T02")
    with pytest.raises(DomainError, match="不是在本终端读取") as refused:
        identity.settlement_identity(other_terminal, read_id=check.read_id)
    assert refused.value.rule_id == "ID-1"


def test_id_1_an_old_read_must_be_repeated(identity, cashier, clock):
    check = _ready(identity, cashier)
    clock.advance(minutes=IdentityPolicy().card_read_valid_minutes + 1)
    with pytest.raises(DomainError, match="读卡已超时"):
        identity.settlement_identity(cashier, read_id=check.read_id)


def test_id_1_third_generation_card_without_personal_data_cannot_settle(identity, cashier):
    record = card(ssn="", name="", spec_version="3.00", sex="", birth_date=None)
    check = identity.record_card_read(cashier, record, source="pcsc")
    assert not check.accepted
    assert any(f.rule_id == "ID-1" and "厂商读卡驱动" in f.message for f in check.findings)
    with pytest.raises(DomainError, match="不能医保结算"):
        identity.settlement_identity(cashier, read_id=check.read_id)


def test_id_2_document_number_mismatch_refuses_settlement_and_is_recorded(
        uow_factory, identity, cashier):
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    findings = identity.verify_document(cashier, check.read_id, id_number=OTHER_SSN,
                                        name="张三丰", record=record)
    assert [f.rule_id for f in findings] == ["ID-2"]
    assert "人证卡不一致" in findings[0].message
    with pytest.raises(DomainError, match="证件与社保卡不一致") as refused:
        identity.settlement_identity(cashier, read_id=check.read_id)
    assert refused.value.rule_id == "ID-2"
    incidents = _audit(uow_factory, "incident.identity_mismatch")
    assert len(incidents) == 1 and OTHER_SSN not in json.dumps(incidents)


def test_id_2_document_name_mismatch_is_refused(identity, cashier):
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    findings = identity.verify_document(cashier, check.read_id, id_number=HOLDER_SSN,
                                        name="张三峰", record=record)
    assert len(findings) == 1 and "姓名" in findings[0].message


def test_id_2_names_are_compared_as_people_write_them(identity, cashier):
    record = card(name="阿依古丽·买买提")
    check = identity.record_card_read(cashier, record, source="pcsc")
    assert identity.verify_document(cashier, check.read_id, id_number=HOLDER_SSN.lower(),
                                    name="阿依古丽 买买提", record=record) == []


def test_id_2_settlement_waits_for_the_document_check(identity, cashier):
    check = identity.record_card_read(cashier, card(), source="pcsc")
    with pytest.raises(DomainError, match="尚未核对身份证件"):
        identity.settlement_identity(cashier, read_id=check.read_id)


def test_id_2_a_policy_without_document_check_settles_on_the_card(uow_factory, clock, cashier):
    relaxed = IdentityService(uow_factory, clock, IdentityPolicy(require_document_check=False))
    check = relaxed.record_card_read(cashier, card(), source="pcsc")
    assert relaxed.settlement_identity(cashier, read_id=check.read_id).ssn == HOLDER_SSN


def test_id_4_invalid_typed_document_number_is_refused(identity, cashier):
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    with pytest.raises(DomainError, match="校验位") as refused:
        identity.verify_document(cashier, check.read_id, id_number=BROKEN_SSN, name="张三丰",
                                 record=record)
    assert refused.value.rule_id == "ID-4"


def test_id_3_blacklisted_card_is_refused_with_retain_instruction_and_incident(
        uow_factory, identity, cashier, staff):
    identity.blacklist_add(staff[Role.STORE_MANAGER], "A12345678", reason="本人挂失",
                           ssn=HOLDER_SSN)
    check = identity.record_card_read(cashier, card(), source="pcsc")
    assert not check.accepted
    id3 = [f for f in check.findings if f.rule_id == "ID-3"]
    assert id3 and "扣留" in id3[0].message and "通知医保经办机构" in id3[0].message
    incidents = _audit(uow_factory, "incident.lost_card")
    assert incidents[0]["blacklist_reason"] == "本人挂失"
    assert _audit(uow_factory, "blacklist.add")[0]["reason"] == "本人挂失"
    with pytest.raises(DomainError, match="ID-3"):
        identity.settlement_identity(cashier, read_id=check.read_id)


def test_id_3_lifting_keeps_the_entry_and_accepts_the_card_again(identity, cashier, staff):
    manager = staff[Role.STORE_MANAGER]
    identity.blacklist_add(manager, "A12345678", reason="挂失")
    identity.blacklist_lift(manager, "A12345678", reason="卡已找回")
    assert identity.record_card_read(cashier, card(), source="pcsc").accepted
    entries = identity.blacklist(manager, include_lifted=True)
    assert [(e.card_number, e.lifted) for e in entries] == [("A12345678", True)]


def test_id_3_only_a_manager_maintains_the_blacklist(identity, cashier):
    with pytest.raises(PermissionDenied):
        identity.blacklist_add(cashier, "A12345678", reason="x")


def test_id_3_blacklist_import_is_all_or_nothing(identity, staff, tmp_path):
    manager = staff[Role.STORE_MANAGER]
    bad = tmp_path / "bad.csv"
    bad.write_text("卡号,社会保障号码,原因\nA1,,挂失\nB-2!,,冒用\nC3,,\nA1,,重复\n",
                   encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        identity.blacklist_import(manager, bad)
    assert {(p.row, p.field) for p in failed.value.problems} == {
        (3, "卡号"), (4, "原因"), (5, "卡号")}
    assert identity.blacklist(manager) == []
    good = tmp_path / "good.csv"
    good.write_text("卡号,原因\nA1,挂失\nB2,冒用\n", encoding="utf-8")
    assert identity.blacklist_import(manager, good) == 2
    assert identity.blacklist_import(manager, good) == 0  # already listed: not twice
    assert {e.card_number for e in identity.blacklist(manager)} == {"A1", "B2"}


def test_id_4_expired_card_is_refused(identity, cashier, clock):
    check = identity.record_card_read(cashier, card(expiry_date=date(2026, 10, 31)),
                                      source="pcsc")
    assert not check.accepted
    assert any(f.rule_id == "ID-4" and "过期" in f.message for f in check.findings)


def test_id_4_card_with_bad_check_digit_is_refused_and_not_remembered(uow_factory, identity,
                                                                       cashier):
    check = identity.record_card_read(cashier, card(ssn=BROKEN_SSN), source="pcsc")
    assert [f.rule_id for f in check.findings if f.blocks] == ["ID-4"]
    with uow_factory(readonly=True) as uow:
        assert uow.identity.person_by_ssn(BROKEN_SSN) is None
        assert uow.identity.read(check.read_id).rule_ids == "ID-4"


def test_id_5_proxy_purchase_needs_both_numbers_and_is_recorded(uow_factory, identity,
                                                                cashier):
    check = _ready(identity, cashier)
    with pytest.raises(ValidationFailed) as refused:
        identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
            buyer_id_number="123", buyer_name="", insured_id_number=HOLDER_SSN))
    assert len(refused.value.problems) == 2
    assert all(str(p).startswith("[ID-5] ") for p in refused.value.problems)
    identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
        buyer_id_number=BUYER_SSN, buyer_name="张小明", insured_id_number=HOLDER_SSN))
    settled = identity.settlement_identity(cashier, read_id=check.read_id)
    assert settled.proxy_buyer_id_number == BUYER_SSN
    assert len(_audit(uow_factory, "identity.proxy_purchase")) == 1


def test_id_5_a_purchase_marked_as_proxy_cannot_settle_before_the_declaration(identity,
                                                                               cashier):
    check = _ready(identity, cashier)
    with pytest.raises(DomainError, match="代购须先登记") as refused:
        identity.settlement_identity(cashier, read_id=check.read_id, proxy_expected=True)
    assert refused.value.rule_id == "ID-5"
    identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
        buyer_id_number=BUYER_SSN, buyer_name="张小明", insured_id_number=HOLDER_SSN))
    settled = identity.settlement_identity(cashier, read_id=check.read_id, proxy_expected=True)
    assert settled.proxy_buyer_id_number == BUYER_SSN


def test_id_5_bedridden_holder_needs_a_certificate_reference(identity, cashier):
    check = _ready(identity, cashier)
    proxy = ProxyPurchase(buyer_id_number=BUYER_SSN, buyer_name="张小明",
                          insured_id_number=HOLDER_SSN, bedridden=True)
    with pytest.raises(ValidationFailed) as refused:
        identity.declare_proxy(cashier, check.read_id, proxy)
    assert "诊断证明" in str(refused.value.problems[0])
    identity.declare_proxy(cashier, check.read_id,
                           replace(proxy, certificate_ref="门诊病历 MZ20261101-88"))


def test_id_5_declared_insured_person_must_be_the_card_holder(identity, cashier):
    check = _ready(identity, cashier)
    with pytest.raises(ValidationFailed, match="代购登记不完整"):
        identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
            buyer_id_number=BUYER_SSN, buyer_name="张小明", insured_id_number=OTHER_SSN))


def test_id_6_prescription_patient_must_be_the_card_holder(identity):
    assert identity.check_prescription_patient(card(), patient_name="张三丰") == []
    findings = identity.check_prescription_patient(card(), patient_name="李四",
                                                   patient_id_number=OTHER_SSN)
    assert [f.rule_id for f in findings] == ["ID-6", "ID-6"]
    assert all(f.blocks for f in findings)


def test_id_8_same_day_repeat_is_flagged_and_counted_once(identity, cashier, staff, clock):
    first = identity.record_card_read(cashier, card(), source="pcsc")
    clock.advance(hours=2)
    second = identity.record_card_read(cashier, card(), source="pcsc")
    assert first.repeat_visits_today == 0 and second.repeat_visits_today == 1
    assert any(f.rule_id == "ID-8" and not f.blocks for f in second.findings)
    clock.advance(days=1)
    third = identity.record_card_read(cashier, card(), source="pcsc")
    assert third.repeat_visits_today == 0
    flags = identity.card_use_flags(staff[Role.STORE_MANAGER], date(2026, 11, 1),
                                    date(2026, 11, 2))
    assert [(f.rule_id, f.subject, f.count) for f in flags] == [("ID-8", "A12345678", 2)]
    assert "计 1 人次" in flags[0].detail


def test_id_9_one_card_many_buyers_and_one_buyer_many_cards(identity, cashier, staff, clock):
    other_buyer = OTHER_SSN
    for buyer in (BUYER_SSN, other_buyer):
        check = _ready(identity, cashier)
        identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
            buyer_id_number=buyer, buyer_name="代购人", insured_id_number=HOLDER_SSN))
        clock.advance(minutes=5)
    second_holder = card(card_number="B87654321", ssn=id_number("44030619851212456"))
    check = _ready(identity, cashier, second_holder)
    identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
        buyer_id_number=other_buyer, buyer_name="代购人", insured_id_number=second_holder.ssn))
    flags = identity.card_use_flags(staff[Role.STORE_MANAGER], date(2026, 11, 1),
                                    date(2026, 11, 1))
    id9 = [(f.subject, f.count) for f in flags if f.rule_id == "ID-9"]
    assert ("A12345678", 2) in id9
    assert (other_buyer[:3] + "*" * 11 + other_buyer[-4:], 2) in id9


def test_sec_5_only_what_settlement_needs_is_kept_about_the_person(uow_factory, identity,
                                                                   cashier):
    identity.record_card_read(cashier, card(), source="pcsc")
    with uow_factory(readonly=True) as uow:
        person = uow.identity.person_by_ssn(HOLDER_SSN)
        kept = {c.name for c in person.__table__.columns}
    assert kept == {"id", "ssn", "name", "sex", "birth_date", "first_seen_at", "last_seen_at"}


def test_sec_1_a_quality_inspector_cannot_read_cards_for_sale(identity, staff):
    with pytest.raises(PermissionDenied):
        identity.record_card_read(staff[Role.QUALITY_INSPECTOR], card(), source="pcsc")
