"""The insurer interface (issue 8): a 50,000-record upload backlog, and the settlement
round trip, through the loopback simulator over HTTP.

    .venv/bin/python benchmarks/bench_uploads.py [--records 50000] [--round-trips 300]
        [--profiles national,example-province] [--no-json]
    .venv/bin/python benchmarks/bench_uploads.py --quick     # 2,000 records, no JSON

Set-up, as a store runs it: the simulator is its own process
(``python -m pharmacy_pos.insurance.simulator``, book in a fresh SQLite file), the till's
database is a fresh SQLite file migrated to head with the store, and the client is the
app's own code: :class:`~pharmacy_pos.services.uploads.UploadService` over
:class:`~pharmacy_pos.insurance.adapters.platform.PlatformGateway` (one keep-alive
connection, sign-in, msgids from the database counter).

1. ``backlog``: ``--records`` 3505 records (5 per sale message, realistic fields: products
   of the shipped catalogue with their national codes, lots, expiry dates, prices, trace
   codes on some lines; about 1.2 KB each on the wire) are written as outbox messages, as
   days offline would leave them. Timed: one ``run_pass()`` from the first record taken
   into the queue to the last one acknowledged and committed (queue, log with request and
   answer, lease). Target: **<= 30 s for 50,000 records**. Per profile: ``national``
   (one record per call, as the national interface has it) and ``example-province`` (the
   province's batch variant, 100 records per call). The simulator's own time per call is
   read from its ``/sim/state``. Each is run one request at a time (``pipeline`` 1) and
   with ``--pipeline`` requests on the wire at once (default 8; the simulator answers
   them in order on the one connection, so the insurer's book gets them in order).
2. ``round_trip``: a 5-line insured cart (甲/乙 lines of the catalogue): ``pre_settle``
   (2101) then ``settle`` (2102) with a fresh msgid, timed together per sale,
   ``--round-trips`` times after 20 warm-up sales. Target: **p95 <= 50 ms**.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchlib import latency_summary, sqlite_url, write_result
from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.models import OutboxMessage
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.clock import SystemClock
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.domain.uploads import SaleFacts, SoldItem, sale_payload
from pharmacy_pos.insurance.adapters.platform import PlatformGateway
from pharmacy_pos.insurance.adapters.simulated import DEMO_HOLDER_SSN
from pharmacy_pos.insurance.ports import SettlementRequest
from pharmacy_pos.insurance.protocol import Caller, load_profile
from pharmacy_pos.paths import resource
from pharmacy_pos.services.msgids import MsgidSource
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.services.uploads import UploadService
from tests.insurer_sim import SimProcess

STORE_CODE = "H11010500001"
TARGET_BACKLOG_S = 30.0
TARGET_ROUND_TRIP_MS = 50.0
CLASSES = {"甲": InsuranceClass.A, "乙": InsuranceClass.B, "丙": InsuranceClass.C}


def catalogue() -> list[dict[str, str]]:
    """The shipped demo catalogue's rows that have a national code."""
    with resource("demo", "catalogue.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["医保编码"]]


def write_backlog(uow: UnitOfWorkFactory, store_id: int, records: int,
                  rng: random.Random) -> None:
    """``records`` 3505 records in outbox messages of 5, committed in chunks."""
    products = catalogue()
    start = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    seq = 1_000_000
    written = 0
    message_no = 0
    while written < records:
        with uow() as unit:
            for _ in range(min(1000, (records - written + 4) // 5)):
                count = min(5, records - written)
                if count <= 0:
                    break
                message_no += 1
                at = start + timedelta(seconds=37 * message_no)
                doc_no = f"XS{STORE_CODE}{at:%Y%m%d}{message_no:05d}"
                items = []
                for _ in range(count):
                    seq += 1
                    row = rng.choice(products)
                    per_pack = int(row["包装数量"])
                    items.append(SoldItem(
                        store_id=store_id, seq=seq, item_code=row["商品编码"],
                        name=row["通用名"], national_code=row["医保编码"],
                        barcode=row["条形码"], is_prescription=row["处方药"] == "是",
                        units=per_pack * rng.randint(1, 3), units_per_pack=per_pack,
                        unit_price=Decimal(row["零售价"]), batch_id=rng.randint(1, 60_000),
                        lot_no=f"{rng.randint(2024, 2026)}{rng.randint(1, 99999):05d}",
                        manufacture_date=date(2025, rng.randint(1, 12), 1),
                        expiry_date=date(2028, rng.randint(1, 12), 1),
                        trace_codes=(f"8{rng.randrange(10**19):019d}",)
                        if rng.random() < 0.3 else ()))
                facts = SaleFacts(doc_no=doc_no, at=at, operator="收银员",
                                  setl_id=f"SIMSETL{message_no:012d}", psn_no="SIM0000000001",
                                  certno=DEMO_HOLDER_SSN, psn_name="张三丰")
                unit.session.add(OutboxMessage(
                    store_id=store_id, created_at=at, infno="3505", doc_no=doc_no,
                    msgid=f"{doc_no}:3505",
                    payload=json.dumps(sale_payload("3505", facts, items), ensure_ascii=False)))
                written += count
            unit.commit()


def gateway(url: str, profile_key: str, uow: UnitOfWorkFactory, clock, *,
            pipeline: int = 1) -> PlatformGateway:
    """The app's client, as bootstrap builds it."""
    caller = Caller(fixmedins_code=STORE_CODE, fixmedins_name="基准测试大药房", opter="T01",
                    opter_name="T01", dev_no="T01")
    return PlatformGateway(url, load_profile(resource("insurer", f"{profile_key}.toml")), caller,
                           clock=clock, msgids=MsgidSource(uow, clock, STORE_CODE, block=1000),
                           pipeline=pipeline)


def fresh_store(folder: Path, name: str) -> tuple[UnitOfWorkFactory, int, object]:
    """A migrated SQLite database with the store."""
    engine = make_engine(sqlite_url(folder / f"{name}.sqlite3"))
    upgrade_on_start(engine, backup_dir=None)
    uow = UnitOfWorkFactory(engine)
    info, _ = ensure_store(uow, SystemClock(), code=STORE_CODE, name="基准测试大药房",
                           operator="bench", terminal_id="T01")
    return uow, info.id, engine


def bench_backlog(folder: Path, profile_key: str, records: int, rng: random.Random, *,
                  pipeline: int) -> dict[str, object]:
    """Upload a backlog of ``records`` through a fresh simulator."""
    label = f"{profile_key}, pipeline {pipeline}"
    clock = SystemClock()
    uow, store_id, engine = fresh_store(folder, f"till-{profile_key}-{pipeline}")
    started = time.perf_counter()
    write_backlog(uow, store_id, records, rng)
    print(f"  [{label}] backlog of {records:,} records written in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    sim = SimProcess(folder / f"book-{profile_key}-{pipeline}.sqlite3",
                     resource("insurer", f"{profile_key}.toml"), ()).start()
    client = gateway(sim.url, profile_key, uow, clock, pipeline=pipeline)
    try:
        client.sign_in()
        service = UploadService(uow, clock, client, client.profile, store_id=store_id,
                                terminal_id="T01")
        marks: list[tuple[float, int]] = []
        started = time.perf_counter()
        result = service.run_pass(progress=lambda done, total: marks.append(
            (time.perf_counter() - started, done)))
        elapsed = time.perf_counter() - started
        state = sim.state()
        booked = sum(state["uploads"].values())
    finally:
        client.close()
        sim.stop()
        engine.dispose()
    if result.remaining or result.refused or booked != records:
        raise SystemExit(f"backlog not uploaded whole: {result}, booked {booked}")
    calls = state.get("calls") or 0
    figures = {
        "records": records, "pipeline": pipeline, "seconds": round(elapsed, 2),
        "records_per_s": round(records / elapsed),
        "ms_per_record": round(elapsed * 1000 / records, 4),
        "calls": calls, "sim_call_ms": round(state.get("call_seconds", 0) * 1000 / calls, 4)
        if calls else None,
        "first_10pct_s": next((round(t, 2) for t, d in marks if d >= records / 10), None),
        "target_met": elapsed <= TARGET_BACKLOG_S,
    }
    print(f"  [{label}] {records:,} records in {elapsed:.1f} s "
          f"({figures['records_per_s']:,}/s, {figures['ms_per_record']} ms each, "
          f"{calls:,} calls, simulator {figures['sim_call_ms']} ms per call) — target "
          f"<= {TARGET_BACKLOG_S:g} s: {'met' if figures['target_met'] else 'NOT met'}",
          flush=True)
    return figures


def cart_lines(rng: random.Random) -> tuple[CartLine, ...]:
    """Five 甲/乙 lines of the catalogue."""
    rows = [r for r in catalogue() if r["医保类别"] in ("甲", "乙")]
    lines = []
    for row in rng.sample(rows, 5):
        per_pack = int(row["包装数量"])
        price = Decimal(row["零售价"])
        lines.append(CartLine(
            item_code=row["商品编码"], name=row["通用名"], category=ProductCategory.DRUG,
            insurance_class=CLASSES[row["医保类别"]], is_prescription=False,
            quantity=per_pack, unit_price=price, retail_price=price, units_per_pack=per_pack,
            national_code=row["医保编码"]))
    return tuple(lines)


def bench_round_trip(folder: Path, count: int, rng: random.Random) -> dict[str, object]:
    """2101 + 2102 of a 5-line cart, timed together."""
    clock = SystemClock()
    uow, _, engine = fresh_store(folder, "till-round-trip")
    sim = SimProcess(folder / "book-round-trip.sqlite3", resource("insurer", "national.toml"),
                     ()).start()
    sim.control(person={"psn_no": "SIM0000000001", "balc": "99999999.00"})
    client = gateway(sim.url, "national", uow, clock)
    msgids = MsgidSource(uow, clock, STORE_CODE)
    samples: list[int] = []
    pre: list[int] = []
    try:
        person = client.person_info(DEMO_HOLDER_SSN)
        for number in range(count + 20):
            request = SettlementRequest(psn_no=person.psn_no, insutype=person.insutype,
                                        lines=cart_lines(rng))
            msgid = msgids()
            started = time.perf_counter_ns()
            split = client.pre_settle(request)
            middle = time.perf_counter_ns()
            booked = client.settle(request, msgid)
            ended = time.perf_counter_ns()
            if booked.split.medfee_sumamt != split.medfee_sumamt:
                raise SystemExit("2102 differs from 2101")
            if number >= 20:
                samples.append(ended - started)
                pre.append(middle - started)
    finally:
        client.close()
        sim.stop()
        engine.dispose()
    both = latency_summary(samples)
    figures = {"pre_settle_and_settle": both, "pre_settle": latency_summary(pre),
               "target_met": both["p95_ms"] <= TARGET_ROUND_TRIP_MS}
    print(f"  2101 + 2102 (5 lines): median {both['p50_ms']} ms, p95 {both['p95_ms']} ms, "
          f"p99 {both['p99_ms']} ms — target p95 <= {TARGET_ROUND_TRIP_MS:g} ms: "
          f"{'met' if figures['target_met'] else 'NOT met'}", flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the figures go to results/latest.json unless --no-json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--round-trips", type=int, default=300)
    parser.add_argument("--profiles", default="national,example-province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pipeline", type=int, default=8,
                        help="requests on the wire at once (also measured with 1)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-json", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.records, args.round_trips, args.no_json = 2_000, 50, True
    rng = random.Random(args.seed)
    result: dict[str, object] = {"records": args.records}
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as name:
        folder = Path(name)
        print(f"backlog of {args.records:,} 3505 records through the loopback simulator:",
              flush=True)
        result["backlog"] = {
            f"{key}/pipeline-{depth}": bench_backlog(folder, key, args.records, rng,
                                                     pipeline=depth)
            for key in args.profiles.split(",") for depth in (1, args.pipeline)}
        print("settlement round trip through the loopback simulator:", flush=True)
        result["round_trip"] = bench_round_trip(folder, args.round_trips, rng)
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (1 min)")
    if args.no_json:
        print("figures not recorded" + (" (quick run)" if args.quick else ""))
    else:
        write_result("uploads", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
