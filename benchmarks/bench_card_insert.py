"""Card insertion to holder record available, through pcscd, vpcd, a virtual card, the watcher.

    .venv/bin/python benchmarks/bench_card_insert.py [--cycles 200] [--seed 2026]
        [--warm-up 5] [--no-json]

Starts a private pcscd (``tests/devices/pcscd.py``: own socket in a mount namespace
when root, own vpcd port) and a :class:`PcscCardWatcher` on its first reader, then
repeats: wait a random 0–400 ms (a cashier inserts at any moment), insert a ``valid``
:class:`VirtualCard` (its TCP connection to vpcd = the card in the slot), wait for the
watcher's READ event, pull the card, wait for REMOVED. Per cycle, timed with
``perf_counter_ns`` in this one process:

- ``insert_to_record``: card connected → READ event delivered with the record. The
  figure judged against the target (median ≤ 150 ms, p95 ≤ 250 ms).
- ``pcscd_detection``: card connected → pcscd's first message to it. pcscd polls
  drivers without their own event thread (vpcd is one) every 400 ms
  (``PCSCLITE_STATUS_POLL_RATE``), so this is uniform over 0–400 ms whatever the
  application does; USB CCID readers signal insertion through the driver instead.
- ``pcscd_contact_to_record``: pcscd's first contact → READ event: power-up, pcscd
  telling the watcher, and the watcher's read (everything after detection).
- ``watcher_seen_to_record``: the event's own ``elapsed_ms`` (status change seen → record
  parsed): connect, 16 APDUs, parsing.

The random pause matters: inserting right after a removal was noticed would always land
just after a poll and measure ~400 ms every time.
"""

from __future__ import annotations

import argparse
import queue
import random
import sys
import time
from typing import Any

from benchlib import REPO, latency_summary, write_result

# The private-pcscd helper lives with the device tests; the repository root makes it
# importable when this script runs as benchmarks/bench_card_insert.py.
sys.path.insert(0, str(REPO))

from pharmacy_pos.devices.adapters.card_watch import PcscCardWatcher
from pharmacy_pos.devices.adapters.virtual_card import VirtualCard
from pharmacy_pos.devices.ports import CardEvent, CardEventKind
from tests.devices.pcscd import PcscdUnavailable, PrivatePcscd

TARGET_P50_MS = 150.0
TARGET_P95_MS = 250.0
POLL_S = 0.4
EVENT_TIMEOUT_S = 3.0


def _next(events: queue.Queue[tuple[int, CardEvent]], kind: CardEventKind) -> tuple[int, CardEvent]:
    at, event = events.get(timeout=EVENT_TIMEOUT_S)
    if event.kind is not kind:
        raise SystemExit(f"expected {kind}, got {event}")
    return at, event


def run(daemon: PrivatePcscd, cycles: int, warm_up: int, seed: int) -> dict[str, list[int]]:
    events: queue.Queue[tuple[int, CardEvent]] = queue.Queue()
    watcher = PcscCardWatcher(daemon.reader)
    watcher.start(lambda event: events.put((time.perf_counter_ns(), event)))
    rng = random.Random(seed)
    samples: dict[str, list[int]] = {
        "insert_to_record": [], "pcscd_detection": [], "pcscd_contact_to_record": [],
        "watcher_seen_to_record": [],
    }
    try:
        for cycle in range(warm_up + cycles):
            time.sleep(rng.uniform(0, POLL_S))
            card = VirtualCard("valid", port=daemon.port)
            card.insert()
            delivered, read = _next(events, CardEventKind.READ)
            if read.record is None or read.record.card_number != "A10000001":
                raise SystemExit(f"wrong record in cycle {cycle}: {read}")
            card.remove()
            _next(events, CardEventKind.REMOVED)
            connected, contact = card.log.connected_ns, card.log.first_contact_ns
            assert connected is not None and contact is not None
            if cycle < warm_up:
                continue
            samples["insert_to_record"].append(delivered - connected)
            samples["pcscd_detection"].append(contact - connected)
            samples["pcscd_contact_to_record"].append(delivered - contact)
            samples["watcher_seen_to_record"].append(round(read.elapsed_ms * 1e6))
            if (cycle - warm_up + 1) % 50 == 0:
                print(f"  {cycle - warm_up + 1}/{cycles} cycles", flush=True)
    finally:
        watcher.stop()
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="card insertion → record latency")
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    try:
        daemon = PrivatePcscd()
        daemon.start()
    except PcscdUnavailable as exc:
        print(f"cannot start pcscd: {exc}", file=sys.stderr)
        return 2
    isolation = ("private socket (mount namespace) and private vpcd port"
                 if daemon.isolated else
                 f"default socket, private vpcd port ({daemon.isolation_problem})")
    print(f"{args.cycles} insert/remove cycles through pcscd + vpcd ({isolation}), "
          f"reader {daemon.reader!r}", flush=True)
    try:
        samples = run(daemon, args.cycles, args.warm_up, args.seed)
    finally:
        daemon.close()
    results: dict[str, Any] = {name: latency_summary(values) for name, values in samples.items()}
    for name, summary in results.items():
        print(f"  {name:<24} p50 {summary['p50_ms']:8.2f}  p95 {summary['p95_ms']:8.2f}  "
              f"p99 {summary['p99_ms']:8.2f}  max {summary['max_ms']:8.2f} ms", flush=True)
    main_figure = results["insert_to_record"]
    met = main_figure["p50_ms"] <= TARGET_P50_MS and main_figure["p95_ms"] <= TARGET_P95_MS
    print(f"target p50 <= {TARGET_P50_MS:g} ms, p95 <= {TARGET_P95_MS:g} ms "
          f"(insert_to_record): {'met' if met else 'NOT met'}")
    if not met:
        print("  pcscd polls the vpcd driver every 400 ms (pcscd_detection above); after "
              "pcscd has seen the card the record is ready in "
              f"{results['pcscd_contact_to_record']['p50_ms']:.1f} ms (median)")
    if not args.no_json:
        write_result("card_insert", {
            "cycles": args.cycles, "warm_up": args.warm_up, "seed": args.seed,
            "holder": "valid", "isolation": isolation,
            "target_p50_ms": TARGET_P50_MS, "target_p95_ms": TARGET_P95_MS,
            "target_met": met, **results,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
