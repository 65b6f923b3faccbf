"""The composition root picks the card back end from the settings."""

from __future__ import annotations

import pytest

from pharmacy_pos.bootstrap import build_context, load_policy
from pharmacy_pos.domain.errors import EnvironmentFault, ValidationFailed
from pharmacy_pos.settings import Settings


@pytest.fixture
def make_context(tmp_path):
    contexts = []

    def make(**settings):
        ctx = build_context(Settings(data_dir=tmp_path, **settings))
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.mark.parametrize(("reader", "name", "source"), [
    ("auto", "", "pcsc"), ("pcsc", "ACS ACR39U 00 00", "pcsc"), ("virtual", "", "virtual"),
    ("auto", "Virtual PCD 00 00", "virtual"), ("vendor", "", "vendor")])
def test_card_source_follows_the_settings(make_context, reader, name, source):
    assert make_context(card_reader=reader, card_reader_name=name).card_source == source


def test_no_reader_and_vendor_driver_have_no_watcher(make_context):
    assert make_context(card_reader="none").card_watcher() is None
    assert make_context(card_reader="none").card_reader() is None
    assert make_context(card_reader="vendor").card_watcher() is None


def test_vendor_driver_without_a_library_path_says_what_to_configure(make_context):
    with pytest.raises(EnvironmentFault, match="PHARMACY_POS_VENDOR_LIBRARY"):
        make_context(card_reader="vendor").card_reader()


def test_an_invalid_policy_file_stops_the_start_with_every_problem(tmp_path):
    bad = tmp_path / "policy.toml"
    bad.write_text('version = ""\nregion = "r"\neffective_from = 2026-01-01\n', encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        load_policy(Settings(data_dir=tmp_path, policy_file=bad))
    assert [p.field for p in failed.value.problems] == ["version"]
    with pytest.raises(ValidationFailed, match="无法读取"):
        load_policy(Settings(data_dir=tmp_path, policy_file=tmp_path / "missing.toml"))
