"""The uploader (INV-6, SEC-7) against the embedded simulated insurer: every record
reaches the insurer's book once, in order; refusals wait for a manager; corrections go
through 3507 and a resend; the insurer being down loses nothing."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from pharmacy_pos.db.models import OutboxMessage, Product, UploadLogEntry, UploadQueueItem
from pharmacy_pos.domain.errors import DomainError, PermissionDenied
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.insurance.protocol import load_profile
from pharmacy_pos.paths import resource
from pharmacy_pos.services.uploads import UploadService, UploadWorker
from tests.till_world import COLD_GRANULES, MASKS

NATIONAL = load_profile(resource("insurer", "national.toml"))


def _uploader(uow_factory, clock, sim, store, *, terminal="T01", profile=NATIONAL,
              **options) -> UploadService:
    sim._profile = profile  # the embedded insurer checks the same required fields
    return UploadService(uow_factory, clock, sim, profile, store_id=store.id,
                         terminal_id=terminal, **options)


def _sell(sales, cashier, *codes):
    cart = sales.new_cart(cashier)
    for code in codes:
        sales.scan(cashier, cart, code)
    return sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=None)


def _states(uow_factory) -> dict[str, int]:
    with uow_factory(readonly=True) as uow:
        items = uow.session.scalars(select(UploadQueueItem)).all()
        counts: dict[str, int] = {}
        for item in items:
            counts[item.state] = counts.get(item.state, 0) + 1
        return counts


def _item(uow_factory, infno: str, doc_no: str) -> SimpleNamespace:
    with uow_factory(readonly=True) as uow:
        item = uow.session.scalars(select(UploadQueueItem).where(
            UploadQueueItem.infno == infno, UploadQueueItem.doc_no == doc_no)
            .order_by(UploadQueueItem.id)).first()
        return SimpleNamespace(id=item.id, state=item.state, outbox_id=item.outbox_id,
                               fixmedins_bchno=item.fixmedins_bchno,
                               last_error=item.last_error)


def test_sec_7_every_record_reaches_the_insurer_once(uow_factory, clock, sim, store, sales,
                                                    cashier, staff):
    sold = _sell(sales, cashier, COLD_GRANULES, MASKS)
    uploader = _uploader(uow_factory, clock, sim, store)
    first = uploader.run_pass()
    assert first.stopped == "" and first.refused == 0 and first.remaining == 0
    assert first.sent == _states(uow_factory)["done"] > 1   # the world's purchases too
    record = _item(uow_factory, "3505", sold.doc_no)
    booked = sim.uploaded(record.fixmedins_bchno, "4")
    assert booked is not None and booked["fixmedins_hilist_id"] == "P002"
    assert booked["sel_retn_cnt"] == "1" and booked["mdtrt_sn"] == sold.doc_no
    # Nothing is sent twice: a second pass finds nothing to do.
    again = uploader.run_pass()
    assert (again.sent, again.remaining) == (0, 0)
    with uow_factory(readonly=True) as uow:
        tries = uow.session.scalars(select(UploadLogEntry).where(
            UploadLogEntry.queue_id == record.id)).all()
        assert [(t.outcome, t.infno) for t in tries] == [("ok", "3505")]
        assert record.fixmedins_bchno in tries[0].request
    overview = uploader.overview(staff[Role.STORE_MANAGER])
    assert overview.pending == 0 and overview.done == first.sent
    assert overview.last_success_at is not None and overview.holder == "T01"


def test_sec_7_the_insurer_down_loses_nothing_and_the_pass_stops(uow_factory, clock, sim,
                                                                store, sales, cashier):
    _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(uow_factory, clock, sim, store)
    sim.set_online(False)
    down = uploader.run_pass()
    assert down.sent == 0 and "无响应" in down.stopped and down.remaining > 0
    with uow_factory(readonly=True) as uow:
        [failed] = uow.session.scalars(select(UploadLogEntry)).all()
        assert failed.outcome == "unavailable"
    sim.set_online(True)
    up = uploader.run_pass()
    assert up.stopped == "" and up.remaining == 0 and up.sent == down.remaining


def test_sec_7_a_record_sent_again_after_a_lost_answer_is_not_booked_twice(
        uow_factory, clock, sim, store, sales, cashier):
    sold = _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(uow_factory, clock, sim, store)
    uploader.run_pass()
    record = _item(uow_factory, "3505", sold.doc_no)
    # As if the process had died after the insurer booked it but before our commit.
    with uow_factory() as uow:
        uow.session.get(UploadQueueItem, record.id).state = "pending"
        uow.commit()
    again = uploader.run_pass()
    assert (again.sent, again.duplicates) == (1, 1)
    with uow_factory(readonly=True) as uow:
        outcomes = [t.outcome for t in uow.session.scalars(select(UploadLogEntry).where(
            UploadLogEntry.queue_id == record.id))]
    assert outcomes == ["ok", "duplicate"]


def _drop_national_code(uow_factory, item_code: str) -> str:
    with uow_factory() as uow:
        product = uow.session.scalars(select(Product).where(
            Product.item_code == item_code)).one()
        code, product.med_list_codg = product.med_list_codg, None
        uow.commit()
        return code


def test_inv_6_a_record_missing_a_required_field_is_refused_visible_and_fixable(
        uow_factory, clock, sim, store, sales, cashier, staff):
    manager = staff[Role.STORE_MANAGER]
    national = _drop_national_code(uow_factory, "P002")   # a catalogue drug, code lost
    sold = _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(uow_factory, clock, sim, store)
    result = uploader.run_pass()
    assert result.refused == 1 and result.stopped == "" and result.remaining == 0
    refused = _item(uow_factory, "3505", sold.doc_no)
    assert refused.state == "refused" and "med_list_codg" in refused.last_error
    assert sim.uploaded(refused.fixmedins_bchno, "4") is None
    # Everything else went through: one bad record stops nothing.
    assert _states(uow_factory) == {"done": result.sent, "refused": 1}
    assert [i.id for i in uploader.items(manager, states=("refused",))] == [refused.id]
    detail = uploader.detail(manager, refused.id)
    assert detail.record["med_list_codg"] == "" and "med_list_codg" in detail.required
    assert [a.outcome for a in detail.attempts] == ["refused"]
    # A cashier may look but not correct; a correction needs a reason.
    with pytest.raises(PermissionDenied):
        uploader.correct(cashier, refused.id, reason="补全编码")
    with pytest.raises(DomainError, match="原因"):
        uploader.correct(manager, refused.id, reason=" ")
    # Refreshing from the catalogue does not help while the catalogue lacks the code.
    with pytest.raises(DomainError, match="med_list_codg"):
        uploader.correct(manager, refused.id, reason="补全编码")
    [resent] = uploader.correct(manager, refused.id, reason="补全国家医保编码",
                                changes={"med_list_codg": national})
    assert _item(uow_factory, "3505", sold.doc_no).state == "superseded"
    fixed = uploader.run_pass()
    assert (fixed.sent, fixed.refused) == (1, 0)
    booked = sim.uploaded(refused.fixmedins_bchno, "4")
    assert booked is not None and booked["med_list_codg"] == national
    with uow_factory(readonly=True) as uow:
        assert uow.session.get(OutboxMessage, resent).corrects_id == refused.outbox_id
        assert [json.loads(r.detail)["was"] for r in uow.audit.by_action("upload.correct")] \
            == ["refused"]


def test_inv_6_an_accepted_record_is_corrected_by_3507_delete_and_resend(
        uow_factory, clock, sim, store, sales, cashier, staff):
    manager = staff[Role.STORE_MANAGER]
    sold = _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(uow_factory, clock, sim, store)
    uploader.run_pass()
    record = _item(uow_factory, "3505", sold.doc_no)
    with pytest.raises(DomainError, match="不同"):
        # Sending a changed record under the same number is refused by the insurer...
        sim_answer = sim.upload("3505", [{**sim.uploaded(record.fixmedins_bchno, "4"),
                                          "memo": "x"}])
        raise DomainError(sim_answer.answer.err_msg)
    written = uploader.correct(manager, record.id, reason="备注更正",
                               changes={"memo": "顾客要求开具发票"})
    assert len(written) == 2     # ...so the correction deletes first (3507), then resends
    result = uploader.run_pass()
    assert (result.sent, result.refused) == (2, 0)
    assert sim.uploaded(record.fixmedins_bchno, "4")["memo"] == "顾客要求开具发票"
    with pytest.raises(DomainError, match="已更正"):
        uploader.correct(manager, record.id, reason="再改一次")


def test_sec_7_pending_records_cannot_be_corrected(uow_factory, clock, sim, store, sales,
                                                  cashier, staff):
    sold = _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(uow_factory, clock, sim, store)
    uploader.take_new()
    record = _item(uow_factory, "3505", sold.doc_no)
    with pytest.raises(DomainError, match="尚未上传"):
        uploader.correct(staff[Role.STORE_MANAGER], record.id, reason="x")


def test_sec_7_one_terminal_uploads_for_the_store(uow_factory, clock, sim, store, sales,
                                                 cashier):
    _sell(sales, cashier, COLD_GRANULES)
    first = _uploader(uow_factory, clock, sim, store, terminal="T01")
    second = _uploader(uow_factory, clock, sim, store, terminal="T02")
    first.run_pass()
    _sell(sales, cashier, COLD_GRANULES)
    held = second.run_pass()
    assert held.sent == 0 and "T01" in held.stopped and held.remaining == 0
    # The lease runs out when its holder stops renewing it (a dead terminal).
    clock.advance(minutes=5)
    taken = second.run_pass()
    assert taken.stopped == "" and taken.sent == 1


def test_batch_variant_sends_many_records_per_call_and_isolates_a_refused_one(
        uow_factory, clock, sim, store, sales, cashier):
    province = load_profile(Path(resource("insurer", "example-province.toml")))
    for _ in range(3):
        _sell(sales, cashier, COLD_GRANULES)
    _drop_national_code(uow_factory, "P002")
    sold = _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(uow_factory, clock, sim, store, profile=province)
    result = uploader.run_pass()
    assert result.refused == 1 and result.remaining == 0
    assert _item(uow_factory, "3505", sold.doc_no).state == "refused"
    with uow_factory(readonly=True) as uow:
        tries = [(t.infno, t.outcome, t.msgid)
                 for t in uow.session.scalars(select(UploadLogEntry))]
    # The three good sales went in one call (one msgid), the refused one on its own.
    batch = [t for t in tries if t[0] == "3505A"]
    assert len(batch) == 3 and len({t[2] for t in batch}) == 1
    assert [t[1] for t in tries if t[0] == "3505"] == ["refused"]


def test_the_worker_keeps_the_interval_within_sec_7(uow_factory, clock, sim, store):
    uploader = _uploader(uow_factory, clock, sim, store)
    with pytest.raises(ValueError, match="SEC-7"):
        UploadWorker(uploader, interval=21 * 60)
    worker = UploadWorker(uploader, interval=60)
    worker.run_once()
    assert worker.last is not None and worker.last.stopped == ""


def test_inv_6_a_sale_with_nothing_to_report_is_taken_once(uow_factory, clock, sim, store,
                                                          sales, cashier, staff):
    uploader = _uploader(uow_factory, clock, sim, store)
    uploader.run_pass()
    _sell(sales, cashier, MASKS)          # daily goods only: an empty 3505 message
    for _ in range(2):
        result = uploader.run_pass()
        assert (result.sent, result.remaining, result.stopped) == (0, 0, "")
    assert uploader.overview(staff[Role.STORE_MANAGER]).untaken == 0
    _sell(sales, cashier, COLD_GRANULES)
    assert uploader.run_pass().sent == 1
