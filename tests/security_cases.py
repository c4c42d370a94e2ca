"""Crafted inputs for the security and failure tests (built on the fly, never committed).

``hostile_case(folder)`` writes a small but complete dataset whose every text column
carries an injection payload, and returns its params file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]

#: Payloads that would run, link or compute if any output treated them as code.
PAYLOADS = {
    "img": "<img src=x onerror=alert(1)>",
    "script": "<script>alert('xss')</script>",
    "svg": '"><svg onload=alert(2)>',
    "js": "javascript:alert(3)",
    "formula": '=HYPERLINK("http://evil.example/x","click")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "math": r"$\frac{a}{b}$ $x^2$",
    "badmath": r"$\undefinedcommand{$ and $",
}
#: The channel names (each one a payload) and the columns carrying the others.
CHANNELS = [PAYLOADS[k] for k in ("img", "script", "svg", "js", "formula", "math",
                                  "badmath")]
TEXT_COLUMNS = ("company", "notes", "utm_campaign", "strategy", "content", "owner",
                "region", "industry", "title", "lost_reason")


def hostile_leads(n_per_channel: int = 12) -> pd.DataFrame:
    rows = []
    payloads = list(PAYLOADS.values())
    for c, channel in enumerate(CHANNELS):
        for i in range(n_per_channel):
            k = c * n_per_channel + i
            created = dt.datetime(2026, 7, 1) + dt.timedelta(days=k % 80, hours=k % 9)
            row = {"lead_id": f"L{k:04d}", "utm_source": channel,
                   "created_at": created.strftime("%Y-%m-%d %H:%M"),
                   "first_contact_at": (created + dt.timedelta(hours=5)).strftime(
                       "%Y-%m-%d %H:%M")}
            for j, col in enumerate(TEXT_COLUMNS):
                row[col] = payloads[(k + j) % len(payloads)]
            if i % 3 == 0:
                row["won_at"] = (created + dt.timedelta(days=20)).strftime("%Y-%m-%d")
                row["amount"] = 10_000 + 1000 * c
                row["lost_reason"] = ""
            elif i % 3 == 1:
                row["lost_at"] = (created + dt.timedelta(days=10)).strftime("%Y-%m-%d")
            else:
                row["lost_reason"] = ""
            rows.append(row)
    return pd.DataFrame(rows)


def hostile_spend() -> pd.DataFrame:
    rows = []
    for c, channel in enumerate(CHANNELS):
        for month in (7, 8, 9):
            rows.append({"date": f"2026-{month:02d}-01", "channel": channel,
                         "campaign": PAYLOADS["script"] if month == 7 else PAYLOADS["at"],
                         "cost_type": "marketing", "amount": 5000 + 700 * c})
    return pd.DataFrame(rows)


LEAD_MAPPING = {"lead_name": "company", "campaign": "utm_campaign", "channel": "utm_source",
                "preset": "canonical"}


def hostile_case(folder: Path, **params) -> Path:
    """Write the hostile dataset and its params into ``folder``; return the params."""
    folder.mkdir(parents=True, exist_ok=True)
    hostile_leads().to_csv(folder / "leads.csv", index=False)
    hostile_spend().to_csv(folder / "spend.csv", index=False)
    doc = {"report": "quarterly", "id": "hostile", "period": "2026-Q3",
           "as_of": dt.date(2026, 10, 31), "language": "en", "min_leads": 1,
           "title": PAYLOADS["script"] + " report",
           "data": {"leads": {"path": "leads.csv", "mapping": LEAD_MAPPING},
                    "spend": {"path": "spend.csv"}},
           "attribution": {"resamples": 0}, **params}
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def notebook_with_cell(folder: Path, source: str, *, at: int = 3) -> Path:
    """A copy of the quarterly notebook with one extra code cell at index ``at`` (a
    test-only notebook folder for ``LEADROI_NOTEBOOKS``; the real notebook is untouched)."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = json.loads((ROOT / "notebooks" / "quarterly_report.ipynb").read_text())
    nb["cells"].insert(at, {"cell_type": "code", "execution_count": None, "id": "injected",
                            "metadata": {}, "outputs": [], "source": source})
    (folder / "quarterly_report.ipynb").write_text(json.dumps(nb))
    return folder
