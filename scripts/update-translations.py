#!/usr/bin/env python3
"""Refresh the English translation: lupdate, optional JSON merge, lrelease.

Usage (from anywhere; paths are resolved from the repository root)::

    .venv/bin/python scripts/update-translations.py [--check] [TRANSLATIONS.json ...]

1. ``pyside6-lupdate`` scans ``pharmacy_pos/`` (Python files) into
   ``resources/translations/pharmacy_pos_en.ts``: new strings are added as unfinished,
   existing translations are kept, strings no longer in the code are dropped
   (``-no-obsolete``). Locations are relative to the .ts file, so the file is the same
   on every checkout.
2. Each JSON file given, shaped ``{"<context>": {"<Chinese source>": "<English>"}}``,
   fills in the translations it has (finished). A source not found under its context is
   matched by its source text alone when every JSON translation of that text agrees
   (strings that moved to another context keep their English).
3. ``pyside6-lrelease`` compiles the .ts into ``pharmacy_pos_en.qm`` (unfinished
   messages are left out, so they show in Chinese).

``--check`` exits 1 when any message is still unfinished or empty (for CI or before a
commit). Needs the project's virtual environment (PySide6 brings both tools).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = Path("resources/translations/pharmacy_pos_en.ts")
QM = TS.with_suffix(".qm")
SOURCES = Path("pharmacy_pos")


def _tool(name: str) -> str:
    """The PySide6 tool next to this interpreter (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: run with the project's venv (.venv/bin/python)")
    return found


def lupdate(ts: Path = TS, sources: Path = SOURCES, *, cwd: Path = ROOT) -> None:
    """Scan ``sources`` into ``ts`` (relative to ``cwd``), keeping existing translations."""
    subprocess.run(
        [_tool("pyside6-lupdate"), "-extensions", "py", "-no-obsolete", "-locations",
         "absolute", "-source-language", "zh_CN", "-target-language", "en", "-silent",
         str(sources), "-ts", str(ts)],
        cwd=cwd, check=True,
    )


def lrelease(ts: Path = TS, qm: Path = QM, *, cwd: Path = ROOT) -> None:
    """Compile ``ts`` into ``qm``."""
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   cwd=cwd, check=True)


def load_json(paths: list[Path]) -> dict[str, dict[str, str]]:
    """The union of the JSON files' translations, by context then source."""
    merged: dict[str, dict[str, str]] = defaultdict(dict)
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for context, messages in data.items():
            merged[context].update(messages)
    return merged


def merge(ts: Path, translations: dict[str, dict[str, str]]) -> tuple[int, int]:
    """Write the JSON translations into ``ts``; returns (by context, by source text)."""
    by_source: dict[str, set[str]] = defaultdict(set)
    for messages in translations.values():
        for source, english in messages.items():
            if english:  # a separator may translate to spaces
                by_source[source].add(english)
    tree = ET.parse(ts)  # noqa: S314 - the repository's own .ts
    exact = moved = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or message.get("numerus") == "yes":
                continue
            english = translations.get(name, {}).get(source, "")
            if english:
                exact += 1
            elif len(by_source.get(source, ())) == 1:
                english = next(iter(by_source[source]))
                moved += 1
            else:
                continue
            translation.text = english
            translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return exact, moved


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished, non-empty translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314 - our own .ts
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if (translation is None or translation.get("type") in ("unfinished", "vanished",
                                                                    "obsolete")
                    or not translation.text):
                missing.append((name, message.findtext("source") or ""))
    return missing


def main(argv: list[str] | None = None) -> int:
    """Run the three steps; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="*", type=Path,
                        help='translations {"<context>": {"<source>": "<English>"}}')
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if any message is unfinished")
    args = parser.parse_args(argv)
    json_files = [path.resolve() for path in args.json]

    lupdate()
    if json_files:
        exact, moved = merge(ROOT / TS, load_json(json_files))
        print(f"merged {exact} translations by context, {moved} by source text")
        lupdate()  # back into lupdate's own layout, so diffs stay small
    lrelease()
    missing = unfinished(ROOT / TS)
    total = sum(1 for _ in ET.parse(ROOT / TS).getroot().iter("message"))  # noqa: S314
    print(f"{TS}: {total} messages, {len(missing)} unfinished; compiled {QM}")
    for context, source in missing:
        print(f"  unfinished [{context}] {source!r}")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
