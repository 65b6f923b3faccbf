"""Cost of ID-number validation and card-record parsing, per call.

    .venv/bin/python benchmarks/bench_card_parse.py [--batches 2000] [--batch-size 100]
        [--seed 2026] [--no-json]

Measured, each on its own:
- ``id_number_parse``: ``IdNumber.parse`` of a valid 18-character number (ID-4: shape,
  birth date, MOD 11-2 check digit);
- ``record_from_files``: a full card's EF05/EF06 values (13 records: BCD dates, GBK name,
  one-byte codes) into a ``CardRecord``;
- ``record_from_vendor``: one ``iReadCardBas`` line (11 fields, dates, the number checked
  with ``IdNumber.parse`` for birth date and sex) into a ``CardRecord``.
For scale, not judged: ``apdu_answers_to_record`` (the 13 raw READ RECORD answers through
``parse_record`` and then ``record_from_files``, what the PC/SC back end does after the
card has answered) and ``vendor_bytes_to_record`` (the driver's GB18030 bytes decoded and
parsed, what the vendor-driver back end does after ``iReadCardBas`` returns).

Inputs are varied (seeded): valid ID numbers with different regions, birth dates and
serials; cards of the second generation with a holder and of the third generation with
empty personal fields. A call takes microseconds, shorter than the clock's resolution
matters for, so calls are timed in batches (``--batch-size`` calls between two
``time.perf_counter_ns`` readings) and each batch gives one per-call figure; median and
p95 are over the batches. 50 batches warm up first and are not counted.
Target: 50 µs or less per call (median and p95).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from benchlib import percentile, write_result

from pharmacy_pos.domain.card import (
    EF05_RECORDS,
    EF06_RECORDS,
    parse_record,
    record_from_files,
    record_from_vendor,
)
from pharmacy_pos.domain.ids import IdNumber, id_check_digit

TARGET_US = 50.0
WARM_UP_BATCHES = 50
NAMES = ["张三", "李四", "王小明", "欧阳娜娜", "阿依古丽·买买提", "刘䶮"]


def id_numbers(rng: random.Random, count: int) -> list[str]:
    """Valid citizen ID numbers (GB 11643) with varied regions, birth dates and serials."""
    out = []
    for _ in range(count):
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 90))
        body = f"{rng.choice([110105, 310104, 440304, 411602, 650102])}{born:%Y%m%d}" \
               f"{rng.randrange(1000):03d}"
        out.append(body + id_check_digit(body))
    return out


def card_files(ssn: str, name: str, third_generation: bool) -> tuple[dict, dict]:
    """EF05 and EF06 values of a card; a third-generation one withholds the holder."""
    ef05 = {
        0x01: bytes.fromhex("440300D156000005C38275EEFC9B9648"), 0x02: b"1",
        0x03: b"3.00" if third_generation else b"2.00", 0x04: b"440300000001",
        0x05: b"\x20\x21\x12\x03", 0x06: b"\x20\x31\x12\x02", 0x07: b"M12345678",
    }
    if third_generation:
        ef06 = {0x08: b"\x00" * 18, 0x09: b"\x00" * 30, 0x0A: b"\x00", 0x0B: b"\x00",
                0x0C: b"\x00" * 3, 0x0D: b"\x00" * 4}
    else:
        gbk = name.encode("gb18030")
        ef06 = {0x08: ssn.encode(), 0x09: gbk + b"\x00" * (30 - len(gbk)),
                0x0A: b"1", 0x0B: b"\x01", 0x0C: b"\x44\x03\x04",
                0x0D: bytes.fromhex(ssn[6:14])}
    return ef05, ef06


def vendor_line(ssn: str, name: str) -> str:
    """One ``iReadCardBas`` output line."""
    return (f"440300|{ssn}|M12345678|440300D156000005C38275EEFC9B9648|{name}|"
            f"008C544CB386844403018593CA|3.00|20211203|20311202|000000000001|SN20210001|")


def answers_of(ef05: dict, ef06: dict) -> dict[int, bytes]:
    """The raw READ RECORD answers ``[tag][len][value]`` a card would give."""
    return {tag: bytes([tag, len(value)]) + value for tag, value in {**ef05, **ef06}.items()}


def apdu_answers_to_record(answers: dict[int, bytes]) -> object:
    """What the PC/SC back end does with a card's answers."""
    ef05 = {t: parse_record(answers[t], t, EF05_RECORDS[t][1]) for t in EF05_RECORDS}
    ef06 = {t: parse_record(answers[t], t, EF06_RECORDS[t][1]) for t in EF06_RECORDS}
    return record_from_files(ef05, ef06)


def measure(call: Callable[[Any], object], inputs: list[Any], batches: int,
            batch_size: int) -> dict[str, Any]:
    """Per-call time in µs over ``batches`` batches of ``batch_size`` calls each."""
    clock = time.perf_counter_ns
    n = len(inputs)
    per_call: list[float] = []
    position = 0
    for batch in range(WARM_UP_BATCHES + batches):
        chunk = [inputs[(position + i) % n] for i in range(batch_size)]
        position += batch_size
        started = clock()
        for item in chunk:
            call(item)
        elapsed = clock() - started
        if batch >= WARM_UP_BATCHES:
            per_call.append(elapsed / batch_size / 1000)
    per_call.sort()
    return {
        "calls": batches * batch_size,
        "median_us": round(statistics.median(per_call), 2),
        "p95_us": round(percentile(per_call, 0.95), 2),
        "max_batch_us": round(per_call[-1], 2),
        "mean_us": round(statistics.fmean(per_call), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ID-number and card-record parsing benchmark")
    parser.add_argument("--batches", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    ids = id_numbers(rng, 1000)
    names = [rng.choice(NAMES) for _ in ids]
    files = [card_files(ssn, name, third_generation=i % 4 == 3)
             for i, (ssn, name) in enumerate(zip(ids, names, strict=True))]
    lines = [vendor_line(ssn, name) for ssn, name in zip(ids, names, strict=True)]
    answers = [answers_of(ef05, ef06) for ef05, ef06 in files]
    line_bytes = [line.encode("gb18030") for line in lines]

    # Every input must parse to what it encodes, or the timings would be of error paths.
    for ssn, (ef05, ef06), line, raw in zip(ids, files, lines, answers, strict=True):
        parsed = record_from_vendor(line)
        if IdNumber.parse(ssn).value != ssn or parsed.ssn != ssn or not parsed.birth_date:
            raise SystemExit(f"bad benchmark input for {ssn[:3]}…")
        if record_from_files(ef05, ef06) != apdu_answers_to_record(raw):
            raise SystemExit("the APDU path and the files path disagree")

    cases: dict[str, tuple[Callable[[Any], object], list[Any], bool]] = {
        "id_number_parse": (IdNumber.parse, ids, True),
        "record_from_files": (lambda f: record_from_files(*f), files, True),
        "record_from_vendor": (record_from_vendor, lines, True),
        "apdu_answers_to_record": (apdu_answers_to_record, answers, False),
        "vendor_bytes_to_record": (
            lambda b: record_from_vendor(b.decode("gb18030")), line_bytes, False),
    }
    print(f"{args.batches:,} batches of {args.batch_size} calls per case "
          f"(+{WARM_UP_BATCHES} warm-up batches)", flush=True)
    results: dict[str, Any] = {}
    met = True
    for name, (call, inputs, judged) in cases.items():
        summary = measure(call, inputs, args.batches, args.batch_size)
        results[name] = summary
        verdict = ""
        if judged:
            ok = summary["median_us"] <= TARGET_US and summary["p95_us"] <= TARGET_US
            met = met and ok
            verdict = "met" if ok else "NOT met"
        else:
            verdict = "(scale)"
        print(f"  {name:<24} median {summary['median_us']:7.2f}  p95 {summary['p95_us']:7.2f}"
              f"  max batch {summary['max_batch_us']:7.2f} µs/call  {verdict}", flush=True)
    print(f"target <= {TARGET_US:g} µs per call (median and p95): "
          f"{'met' if met else 'NOT met'}")
    if not args.no_json:
        write_result("card_parse", {
            "batches": args.batches, "batch_size": args.batch_size, "seed": args.seed,
            "warm_up_batches": WARM_UP_BATCHES, "target_us": TARGET_US, "target_met": met,
            **results,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
