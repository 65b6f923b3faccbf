"""The till and the uploader against the loopback insurer simulator over real HTTP, in a
real process that is killed and restarted (INTERFACES.md; INV-6, SEC-7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from pharmacy_pos.db.models import Product, UploadLogEntry, UploadQueueItem
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.policy import IdentityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.insurance.adapters.platform import PlatformGateway
from pharmacy_pos.insurance.ports import InsurerRefused, InsurerUnavailable, RefusalCode
from pharmacy_pos.insurance.protocol import Caller, MalformedAnswer, load_profile
from pharmacy_pos.paths import resource
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.msgids import MsgidSource
from pharmacy_pos.services.returns import ReturnService
from pharmacy_pos.services.sales import SaleService
from pharmacy_pos.services.uploads import UploadService
from tests.cards import HOLDER_SSN, card
from tests.conftest import STAFF_PASSWORD
from tests.insurer_sim import SimProcess, start_simulator
from tests.till_world import COLD_GRANULES, HOLDER_PSN_NO, MASKS

NATIONAL = load_profile(resource("insurer", "national.toml"))
pytestmark = pytest.mark.usefixtures("world")


_OPEN: list[PlatformGateway] = []


@pytest.fixture
def platform(tmp_path) -> SimProcess:
    """The loopback simulator in its own process, knowing the world's catalogue codes."""
    sim = start_simulator(tmp_path)
    sim.control(catalogue=[{"med_list_codg": "ZA01BAG0001010100000000", "chrgitm_lv": "02"},
                           {"med_list_codg": "XJ01CAA040E001010100000", "chrgitm_lv": "01"}])
    yield sim
    while _OPEN:
        _OPEN.pop().close()
    sim.stop()


def _gateway(sim: SimProcess, uow_factory, clock, store) -> PlatformGateway:
    caller = Caller(fixmedins_code=store.code, fixmedins_name=store.name, opter="T01",
                    opter_name="收银员", dev_no="T01")
    gateway = PlatformGateway(sim.url, NATIONAL, caller, clock=clock,
                              msgids=MsgidSource(uow_factory, clock, store.code))
    _OPEN.append(gateway)
    return gateway


def _insured(uow_factory, clock, cashier):
    identity = IdentityService(uow_factory, clock, IdentityPolicy())
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    identity.verify_document(cashier, check.read_id, id_number=record.ssn, name=record.name,
                             record=record)
    return identity.settlement_identity(cashier, read_id=check.read_id)


def test_settlement_round_trip_over_http_matches_the_embedded_insurer(
        platform, uow_factory, clock, policy, store, cashier, user_service, sales):
    gateway = _gateway(platform, uow_factory, clock, store)
    till = SaleService(uow_factory, clock, lambda: (policy, policy.version), gateway,
                       store_code=store.code)
    carts = []
    for service in (till, sales):           # over HTTP, and the embedded insurer
        cart = service.new_cart(cashier)
        service.scan(cashier, cart, COLD_GRANULES)
        service.scan(cashier, cart, MASKS)
        service.attach_insured(cashier, cart, _insured(uow_factory, clock, cashier))
        carts.append((service, cart, service.pre_settle(cashier, cart)))
    (_, cart, over_http), (_, _, embedded) = carts
    # The same split to the fen: 乙类 self-pay share and the masks in cash.
    assert over_http.display_rows() == embedded.display_rows()
    assert (over_http.fund_pay_sumamt + over_http.acct_pay, over_http.psn_cash_pay) == (
        Decimal("10.80"), Decimal("6.20"))
    assert platform.state()["settlements"] == 0            # 2101 books nothing
    sold = till.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True,
                         tendered=Decimal("10"))
    assert sold.setl_id.startswith("SIMSETL") and sold.tender.change == Decimal("3.80")
    assert platform.state()["settlements"] == 1
    person = gateway.person_info(HOLDER_SSN)
    assert person.psn_no == HOLDER_PSN_NO and person.balc == Decimal("1200.00") - sold.acct_pay
    # The return cancels the settlement (2103 with the visit id kept on the sale).
    returns = ReturnService(uow_factory, clock, gateway,
                            lambda u, p: user_service.authenticate(u, p, terminal_id="T01"),
                            store_code=store.code)
    found = returns.find(cashier, sold.doc_no)
    back = returns.return_items(cashier, sold.doc_no, {line.line_id: line.sold_units
                                                       for line in found.lines},
                                reason="顾客退货", approver="store.manager",
                                approver_password=STAFF_PASSWORD)
    assert back.fund_returned + back.acct_returned == sold.fund_pay + sold.acct_pay
    assert gateway.person_info(HOLDER_SSN).balc == Decimal("1200.00")
    assert platform.state()["cancelled"] == 1


def test_a_settlement_whose_answer_is_lost_is_reversed_and_never_booked_twice(
        platform, uow_factory, clock, policy, store, cashier):
    gateway = _gateway(platform, uow_factory, clock, store)
    till = SaleService(uow_factory, clock, lambda: (policy, policy.version), gateway,
                       store_code=store.code)
    cart = till.new_cart(cashier)
    till.scan(cashier, cart, COLD_GRANULES)
    till.attach_insured(cashier, cart, _insured(uow_factory, clock, cashier))
    pre_settle = gateway.pre_settle

    def then_lose_the_next_answer(request):
        split = pre_settle(request)
        platform.control(drop_after_book_next=1)     # 2102 booked, its answer lost
        gateway.pre_settle = pre_settle
        return split

    gateway.pre_settle = then_lose_the_next_answer
    with pytest.raises(InsurerUnavailable, match="已冲正"):
        till.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True,
                      tendered=Decimal("5"))
    state = platform.state()
    assert (state["settlements"], state["cancelled"]) == (1, 1)
    assert gateway.person_info(HOLDER_SSN).balc == Decimal("1200.00")
    sold = till.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True,
                         tendered=Decimal("5"))
    assert sold.setl_id and platform.state()["settlements"] == 2
    assert platform.state()["cancelled"] == 1    # one live settlement for one sale
    assert gateway.person_info(HOLDER_SSN).balc == Decimal("1200.00") - sold.acct_pay


def test_refusals_come_back_with_the_platforms_message_and_code(platform, uow_factory,
                                                                clock, store):
    gateway = _gateway(platform, uow_factory, clock, store)
    with pytest.raises(InsurerRefused) as unknown:
        gateway.person_info("110105199001011234")
    assert unknown.value.code == RefusalCode.PERSON_NOT_FOUND
    assert unknown.value.message.startswith("[1101]")
    platform.control(malformed_next=1)
    with pytest.raises(MalformedAnswer):
        gateway.person_info(HOLDER_SSN)
    # The next call opens a new connection and works.
    assert gateway.person_info(HOLDER_SSN).psn_name == "张三丰"
    platform.control(fail_next=1)
    with pytest.raises(InsurerUnavailable, match="HTTP 503"):
        gateway.person_info(HOLDER_SSN)


def _sell(sales, cashier, *codes):
    cart = sales.new_cart(cashier)
    for code in codes:
        sales.scan(cashier, cart, code)
    return sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=None)


def _uploader(platform, uow_factory, clock, store) -> UploadService:
    return UploadService(uow_factory, clock, _gateway(platform, uow_factory, clock, store),
                         NATIONAL, store_id=store.id, terminal_id="T01")


def test_sec_7_killed_mid_upload_and_restarted_nothing_lost_nothing_duplicated(
        platform, uow_factory, clock, store, sales, cashier):
    for _ in range(3):
        _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(platform, uow_factory, clock, store)
    uploader.take_new()
    with uow_factory(readonly=True) as uow:
        total = len(uow.session.scalars(select(UploadQueueItem)).all())
    first = uploader.run_pass(limit=1)
    assert (first.sent, first.stopped) == (1, "")
    # The insurer books the second record, then the answer is lost.
    platform.control(drop_after_book_next=1)
    lost = uploader.run_pass()
    assert lost.sent == 0 and lost.stopped and lost.remaining == total - 1
    platform.kill()
    down = uploader.run_pass()
    assert down.sent == 0 and "无响应" in down.stopped
    platform.restart()
    after = uploader.run_pass()
    assert after.stopped == "" and after.remaining == 0 and after.sent == total - 1
    assert after.duplicates == 1               # the record whose answer was lost
    booked = platform.state()
    assert sum(booked["uploads"].values()) == total   # each record on the book once
    with uow_factory(readonly=True) as uow:
        outcomes = [t.outcome for t in uow.session.scalars(
            select(UploadLogEntry).order_by(UploadLogEntry.id))]
    assert outcomes.count("unavailable") == 2 and outcomes.count("duplicate") == 1


def test_sec_7_a_malformed_answer_is_retried_not_lost(platform, uow_factory, clock, store,
                                                      sales, cashier):
    _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(platform, uow_factory, clock, store)
    platform.control(malformed_next=1)
    bad = uploader.run_pass()
    assert bad.sent == 0 and "JSON" in bad.stopped
    good = uploader.run_pass()
    assert good.stopped == "" and good.remaining == 0 and good.duplicates == 0


def test_inv_6_missing_required_field_refused_visible_and_fixable_over_http(
        platform, uow_factory, clock, store, sales, cashier, staff):
    manager = staff[Role.STORE_MANAGER]
    with uow_factory() as uow:
        product = uow.session.scalars(select(Product).where(Product.item_code == "P002")).one()
        national, product.med_list_codg = product.med_list_codg, None
        uow.commit()
    sold = _sell(sales, cashier, COLD_GRANULES)
    uploader = _uploader(platform, uow_factory, clock, store)
    result = uploader.run_pass()
    assert result.refused == 1 and result.remaining == 0
    [refused] = uploader.items(manager, states=("refused",))
    assert refused.doc_no == sold.doc_no
    assert refused.last_error.startswith("[3505]") and "med_list_codg" in refused.last_error
    assert platform.state(bchno=refused.fixmedins_bchno)["records"] == []
    # The manager completes the catalogue; the correction takes the code from there.
    with uow_factory() as uow:
        uow.session.scalars(select(Product).where(Product.item_code == "P002")).one() \
            .med_list_codg = national
        uow.commit()
    uploader.correct(manager, refused.id, reason="商品目录补全国家医保编码")
    fixed = uploader.run_pass()
    assert (fixed.sent, fixed.refused) == (1, 0)
    [record] = platform.state(bchno=refused.fixmedins_bchno)["records"]
    assert record["record"]["med_list_codg"] == national
    with pytest.raises(DomainError):
        uploader.correct(manager, refused.id, reason="again")


def test_the_app_settles_and_uploads_through_the_configured_platform(tmp_path):
    from pharmacy_pos.bootstrap import build_context
    from pharmacy_pos.domain.errors import ValidationFailed
    from pharmacy_pos.services.demo import prepare_demo_store
    from pharmacy_pos.settings import Settings

    platform = start_simulator(tmp_path / "insurer", profile="example-province")
    settings = Settings(data_dir=tmp_path / "till", insurer_url=platform.url,
                        insurer_profile="example-province", insurer_pipeline=4)
    ctx = build_context(settings)
    try:
        prepare_demo_store(ctx.uow, ctx.clock, store_code=settings.store_code,
                           terminal_id="T01", operator="test",
                           catalogue=resource("demo", "catalogue.csv"))
        ctx.refresh_store()
        assert isinstance(ctx.insurer, PlatformGateway)
        assert ctx.insurer_profile.name.startswith("示例")
        assert ctx.upload_gateway is not ctx.insurer       # its own connection
        # The demo card holder is known to the simulator; the demo purchases upload
        # through the province's batch variant.
        assert ctx.insurer.person_info(HOLDER_SSN).psn_name == "张三丰"
        result = ctx.uploads.run_pass()
        assert result.sent > 100 and result.stopped == "" and result.remaining == 0
        assert sum(platform.state()["uploads"].values()) == result.sent
    finally:
        ctx.close()
        platform.stop()
    with pytest.raises(ValidationFailed, match="找不到"):
        broken = build_context(Settings(data_dir=tmp_path / "till",
                                        insurer_profile="no-such-province"))
        try:
            assert broken.insurer_profile is None
        finally:
            broken.close()


def test_sec_7_two_terminals_never_upload_the_same_backlog_twice(
        platform, uow_factory, clock, store, sales, cashier):
    import threading

    for _ in range(20):
        _sell(sales, cashier, COLD_GRANULES)
    terminals = [UploadService(uow_factory, clock, _gateway(platform, uow_factory, clock, store),
                               NATIONAL, store_id=store.id, terminal_id=name, chunk=5)
                 for name in ("T01", "T02")]
    results = {}
    start = threading.Barrier(2)

    def upload(service):
        start.wait()
        results[service] = service.run_pass()

    threads = [threading.Thread(target=upload, args=(t,)) for t in terminals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    passes = list(results.values())
    assert len(passes) == 2
    # One terminal holds the lease and sends everything; the other stands aside.
    assert sorted(bool(p.stopped) for p in passes) == [False, True]
    [held] = [p for p in passes if p.stopped]
    assert "负责上传" in held.stopped and held.sent == 0
    [sent] = [p for p in passes if not p.stopped]
    assert sent.remaining == 0 and sent.duplicates == 0
    assert sum(platform.state()["uploads"].values()) == sent.sent
