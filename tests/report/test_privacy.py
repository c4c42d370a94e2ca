"""mask_pii: names, e-mail addresses and phone numbers masked; figures untouched."""

import pandas as pd
import pytest

from leadroi.report.privacy import mask_frame, mask_text


@pytest.mark.parametrize("text, expected", [
    ("call +86 138 0013 8000 today", "call ***00 today"),
    ("13800138000", "***00"),
    ("010-6552-9988", "***88"),
    ("(021) 5555 1234", "***34"),
    ("mail li.wei@example.com.cn please", "mail l***@*** please"),
    ("2024-12-07 15:21", "2024-12-07 15:21"),      # a date is not a phone number
    ("202410010001", "202410010001"),              # nor is a lead id
    ("¥50,000", "¥50,000"),
    ("1.2万元", "1.2万元"),
    ("Bad timing", "Bad timing"),
])
def test_mask_text(text, expected):
    assert mask_text(text) == expected


def test_mask_frame_names_free_text_and_quarantine_values():
    frame = pd.DataFrame({
        "lead_id": ["202607010007", "202607010036"],
        "lead_name": ["Golden Retail Co., Ltd.", None],
        "notes": ["ask for wang@corp.cn", "no note"],
        "pipeline_value": [5817.6, 7440.5]})
    out = mask_frame(frame)
    assert out["lead_name"].tolist()[0] == "G***" and out["lead_name"].isna().tolist()[1]
    assert out["notes"].tolist() == ["ask for w***@***", "no note"]
    assert out["lead_id"].tolist() == frame["lead_id"].tolist()
    assert out["pipeline_value"].tolist() == frame["pipeline_value"].tolist()
    assert frame["lead_name"].iloc[0] == "Golden Retail Co., Ltd."  # input untouched
    q = pd.DataFrame({"column": ["lead_name", "created_at"],
                      "value": ["Acme Ltd", "2024-13-01"]})
    assert mask_frame(q)["value"].tolist() == ["A***", "2024-13-01"]
