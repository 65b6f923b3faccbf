"""The role guides in ``docs/guides`` (issue 10): there, in Chinese, and true to the code.

A guide is read by a cashier or a manager who trusts it, so every checkable fact it
states is checked against the code: the keys it names are bound in the screens that
role opens, the Alt+n table is the role's navigation in order, every rule id is one the
code names, every ``pharmacy-pos-cli`` command and option exists, every
``PHARMACY_POS_*`` variable is a setting, and every link resolves. A change to the keys,
the screens or the commands that leaves a guide behind fails here.
"""

from __future__ import annotations

import argparse
import inspect
import re
from functools import cache
from pathlib import Path

import pytest

from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor

ROOT = Path(__file__).resolve().parents[2]
GUIDES_DIR = ROOT / "docs" / "guides"
UI_DIR = ROOT / "pharmacy_pos" / "ui"
CODE_DIR = ROOT / "pharmacy_pos"

#: Each guide, the role whose screens it lists (Alt+n), and the roles whose screens it
#: describes: the store manager approves at the others' terminals, the administrator
#: tells the cashier what to press after a repair.
GUIDES: dict[str, tuple[Role, tuple[Role, ...]]] = {
    "cashier.md": (Role.CASHIER, ()),
    "pharmacist.md": (Role.PHARMACIST, ()),
    "quality-inspector.md": (Role.QUALITY_INSPECTOR, ()),
    "store-manager.md": (Role.STORE_MANAGER,
                         (Role.CASHIER, Role.PHARMACIST, Role.QUALITY_INSPECTOR)),
    "administrator.md": (Role.ADMINISTRATOR, (Role.CASHIER,)),
}

#: Keys Qt itself gives every widget of a kind, bound by no line of ours.
QT_BUILT_IN = frozenset({"Ctrl+Tab", "Shift+Tab"})

RULE_ID = re.compile(r"(?<![\w-])(?:ID|RX|SALE|INV|REP|SEC)-\d+(?!\d)")
# A key as a guide writes it: F1…F12 alone, or any key with Ctrl/Shift/Alt before it.
KEY = re.compile(
    r"(?<![\w+])(?:(?P<mods>(?:(?:Ctrl|Shift|Alt)\+)+)(?P<key>F\d{1,2}|Enter|Return|Tab|Esc|"
    r"Delete|Del|[A-Z0-9])|(?P<fkey>F\d{1,2}))(?![\w+])")
ALT_ROW = re.compile(r"^\|\s*Alt\+(\d)\s*\|\s*([^|]+?)\s*\|", re.MULTILINE)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
UI_IMPORT = re.compile(r"pharmacy_pos\.ui(?:\.(\w+)| import (\w+))")
# Bindings in the code: a Qt key constant, or a key sequence written as text.
BOUND_KEY = re.compile(r"Key_(F\d{1,2})\b")
BOUND_TEXT = re.compile(r"(?:QKeySequence|setShortcut)\(\s*\"([^\"]+)\"")
MNEMONIC = re.compile(r"\(&([A-Za-z0-9])\)")


def _text(name: str) -> str:
    return (GUIDES_DIR / name).read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """The text a person reads as sentences: no code blocks, code spans or link targets."""
    text = FENCE.sub("", text)
    text = CODE_SPAN.sub("", text)
    return LINK.sub("", text)


def _actor(role: Role) -> Actor:
    return Actor(1, "guide", "指南", frozenset({role}), 1, "T01")


@cache
def _module_source(name: str) -> str:
    return (UI_DIR / f"{name}.py").read_text(encoding="utf-8")


def _factory_modules(spec: object) -> set[str]:
    # Factories import their view lazily; the import names the module.
    source = inspect.getsource(spec.factory)  # type: ignore[attr-defined]
    return {a or b for a, b in UI_IMPORT.findall(source)}


@cache
def _role_modules(role: Role) -> frozenset[str]:
    """The ui modules a person of ``role`` works with: the main window with what it
    opens (login, lock, key table, status bar), the screens of the role's navigation,
    and every dialog these import. Another role's screen counts only when this one
    opens it too, and the screen registry does not lead to every screen."""
    from pharmacy_pos.ui.screens import SCREENS, screens_for

    every_screen = set().union(*(_factory_modules(spec) for spec in SCREENS))
    own = set().union(*(_factory_modules(spec) for spec in screens_for(_actor(role))))
    closed = (every_screen - own) | {"screens"}
    seen: set[str] = set()
    todo = ["main_window", "session", "login_view", *own]
    while todo:
        name = todo.pop()
        if name in seen or name in closed or not (UI_DIR / f"{name}.py").exists():
            continue
        seen.add(name)
        for match in UI_IMPORT.finditer(_module_source(name)):
            todo.append(match.group(1) or match.group(2))
    return frozenset(seen)


def _bindings(modules: frozenset[str]) -> tuple[set[str], set[str]]:
    """(key sequences bound, mnemonic letters) in ``modules``, normalised."""
    bound: set[str] = set()
    mnemonics: set[str] = set()
    for name in modules:
        source = _module_source(name)
        bound |= set(BOUND_KEY.findall(source))
        bound |= {_normal(text) for text in BOUND_TEXT.findall(source)}
        mnemonics |= {letter.upper() for letter in MNEMONIC.findall(source)}
    return bound, mnemonics


def _normal(sequence: str) -> str:
    return sequence.replace("Return", "Enter").replace("Delete", "Del")


@cache
def _code_rule_ids() -> frozenset[str]:
    found: set[str] = set()
    for path in CODE_DIR.rglob("*.py"):
        found |= set(RULE_ID.findall(path.read_text(encoding="utf-8")))
    return frozenset(found)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


guides = pytest.mark.parametrize("name", sorted(GUIDES))


@guides
def test_guide_exists_and_the_index_links_it(name):
    assert (GUIDES_DIR / name).is_file(), f"docs/guides/{name} is missing"
    index = _text("README.md")
    assert f"]({name})" in index, f"docs/guides/README.md does not link {name}"


def test_index_lists_one_line_per_guide_and_nothing_else():
    linked = {target for target in LINK.findall(_text("README.md")) if target.endswith(".md")}
    assert linked - {"../../README.md"} == set(GUIDES)


@guides
def test_guide_is_written_in_chinese(name):
    prose = _prose(_text(name))
    cjk, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
    assert cjk > 1000, f"{name}: only {cjk} Chinese characters"
    assert cjk / (cjk + latin) > 0.7, f"{name}: {latin} Latin letters against {cjk} Chinese"


@guides
def test_guide_names_only_keys_bound_in_the_roles_screens(name):
    role, others = GUIDES[name]
    modules = frozenset().union(*(_role_modules(r) for r in (role, *others)))
    bound, mnemonics = _bindings(modules)
    screens = _screen_titles(role)
    wrong = []
    for match in KEY.finditer(_prose(_text(name))):
        if match.group("fkey"):
            key = match.group("fkey")
            ok = key in bound
        else:
            key = _normal(match.group("mods") + match.group("key"))
            if key in QT_BUILT_IN:
                continue
            letter = match.group("key")
            if match.group("mods") == "Alt+" and letter.isdigit():
                # The main window binds Alt+1 to Alt+n for the role's n screens.
                ok = 1 <= int(letter) <= len(screens)
            elif match.group("mods") == "Alt+" and len(letter) == 1:
                ok = letter in mnemonics or key in bound
            else:
                ok = key in bound
        if not ok:
            wrong.append(key)
    assert not wrong, (f"{name} names keys no screen of {role.label} binds: "
                       f"{sorted(set(wrong))}")


def _screen_titles(role: Role) -> list[str]:
    from pharmacy_pos.ui.screens import screens_for

    return [spec.title for spec in screens_for(_actor(role))]


@guides
def test_guide_screen_table_is_the_roles_navigation(name):
    role, _ = GUIDES[name]
    rows = [(int(number), title) for number, title in ALT_ROW.findall(_text(name))]
    expected = list(enumerate(_screen_titles(role), start=1))[:9]
    assert rows == expected, f"{name}: the Alt+n table is not {role.label}'s navigation"


@guides
def test_guide_names_only_rule_ids_the_code_names(name):
    named = set(RULE_ID.findall(_text(name)))
    assert named, f"{name} names no rule id"
    unknown = named - _code_rule_ids()
    assert not unknown, f"{name} names rule ids no code names: {sorted(unknown)}"


@guides
def test_guide_commands_and_options_exist(name):
    from pharmacy_pos.cli import _parser as cli_parser
    from pharmacy_pos.ui.app import _parser as app_parser

    problems = []
    for span in CODE_SPAN.findall(_text(name)):
        words = span.split()
        if "pharmacy-pos-cli" in words:
            parser = cli_parser()
            options = _options(parser)
            rest = words[words.index("pharmacy-pos-cli") + 1:]
            while rest and (choices := _subparsers(parser)) and not rest[0].startswith("-"):
                if rest[0] not in choices:
                    problems.append(f"{span}: no command {rest[0]!r}")
                    break
                parser = choices[rest.pop(0)]
                options |= _options(parser)
            problems += [f"{span}: no option {word}" for word in rest
                         if word.startswith("--") and word not in options]
        elif "pharmacy-pos" in words:
            options = _options(app_parser())
            rest = words[words.index("pharmacy-pos") + 1:]
            problems += [f"{span}: no option {word}" for word in rest
                         if word.startswith("--") and word not in options]
    assert not problems, f"{name}: " + "; ".join(problems)


@guides
def test_guide_names_only_existing_settings(name):
    from pharmacy_pos.settings import Settings

    known = {f"PHARMACY_POS_{field.upper()}" for field in Settings.model_fields}
    named = set(re.findall(r"PHARMACY_POS_[A-Z_]+", _text(name)))
    assert not named - known, f"{name} names unknown settings: {sorted(named - known)}"


@pytest.mark.parametrize("name", [*sorted(GUIDES), "README.md"])
def test_guide_links_resolve(name):
    broken = []
    for target in LINK.findall(_text(name)):
        if re.match(r"[a-z]+:", target):
            continue
        path = (GUIDES_DIR / target.split("#")[0]).resolve()
        if not path.exists():
            broken.append(target)
    assert not broken, f"{name}: broken links {broken}"
