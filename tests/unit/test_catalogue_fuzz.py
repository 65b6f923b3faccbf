"""Whatever a catalogue cell holds, parsing answers with a spec or problems, never a crash."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pharmacy_pos.domain.catalogue import COLUMNS, ProductSpec, parse_catalogue_row
from pharmacy_pos.domain.errors import Problem

cells = st.one_of(st.text(max_size=30), st.sampled_from(["是", "否", "甲", "乙类", "药品", "-1",
                                                         "1e9", "NaN", "0.001", "6901234567892"]))


@settings(max_examples=300)
@given(st.fixed_dictionaries({zh: cells for zh, _, _ in COLUMNS}))
def test_any_row_gives_a_spec_or_row_numbered_problems(raw):
    parsed = parse_catalogue_row(raw, 9)
    if isinstance(parsed, ProductSpec):
        assert parsed.retail_price > 0
    else:
        assert parsed and all(isinstance(p, Problem) and p.row == 9 for p in parsed)
