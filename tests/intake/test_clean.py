"""Quarantine rules on raw rows (tidy → parse → flag), run in DuckDB through Ibis:
exactly one reason per row set aside, rows in = rows used + rows quarantined."""

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from leadroi.engine import Engine, collect
from leadroi.intake import clean

_ENGINE = Engine()


def _flag(frame: pd.DataFrame, table: str = "leads") -> pd.DataFrame:
    """Raw text rows through tidy → parse → flag, as :func:`load_data` runs them."""
    raw = pa.table({"_row": pa.array(range(1, len(frame) + 1), pa.int64()),
                    **{c: pa.array([None if pd.isna(v) else str(v) for v in frame[c]],
                                   pa.string()) for c in frame.columns}})
    stored = _ENGINE.store("raw", raw)
    mapping = {c: c for c in frame.columns}
    tidy = _ENGINE.store("tidy", clean.tidy_text(stored, table, mapping))
    parsed = _ENGINE.store("parsed", clean.clean_table(tidy, table, mapping))
    return collect(clean.flag_rows(parsed, table, mapping)).sort_values("_row")


_messy = st.one_of(st.none(), st.text(max_size=12),
                   st.sampled_from(["¥5万", "-1", "2023/10/1", "#N/A", "", " ", "45200",
                                    "2026-07-01 10:00", "Select", "(3)", "1.2万元"]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "lead_id": st.one_of(st.none(), st.sampled_from(["a", "b", "c", " a", "A"])),
    "created_at": _messy, "channel": _messy, "won_at": _messy, "amount": _messy,
}), min_size=1, max_size=25))
def test_rows_in_equal_used_plus_quarantined(rows):
    frame = pd.DataFrame(rows)
    flagged = _flag(frame)
    used = int(flagged["_reason"].isna().sum())
    assert len(flagged) == len(frame)            # one outcome per raw row
    assert used + int(flagged["_reason"].notna().sum()) == len(frame)
    ids = flagged.loc[flagged["_reason"].isna(), "lead_id"]
    assert ids.notna().all() and ids.is_unique   # what is used has unique ids


def test_rules_pick_first_reason_and_keep_first_duplicate():
    frame = pd.DataFrame([
        {"lead_id": "1", "created_at": "2026-07-01", "channel": "SEO", "won_at": "",
         "amount": ""},
        {"lead_id": "1", "created_at": "2026-07-02", "channel": "SEO", "won_at": "",
         "amount": ""},
        {"lead_id": "2", "created_at": "2026-07-05", "channel": "SEO",
         "won_at": "2026-07-01", "amount": "5万"},
        {"lead_id": "3", "created_at": "#N/A", "channel": "", "won_at": "", "amount": "-1"},
        {"lead_id": "4", "created_at": "2026-07-05", "channel": "SEO", "won_at": "",
         "amount": "-5"},
    ])
    out = _flag(frame)
    assert [None if pd.isna(x) else x for x in out["_reason"]] == [
        None, "duplicate lead_id (first row kept)", "won_at before created_at",
        "created_at missing or unreadable", "negative amount"]
    assert out["_value"].tolist()[1:] == ["1", "2026-07-01", "#N/A", "-5"]
