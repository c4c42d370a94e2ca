"""Masking personal data in exported tables (``mask_pii``).

Lead names are masked whole (first character kept), and e-mail addresses and phone
numbers are masked wherever they appear in text: a CRM note, a quarantined value, a
lost reason. Numbers, dates and ids are left alone, so every figure of the report is
unchanged.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["PII_COLUMNS", "mask_text", "mask_name", "mask_frame"]

#: Columns whose whole value identifies a person or company.
PII_COLUMNS = frozenset({"lead_name", "name", "contact", "contact_name", "email", "phone",
                         "mobile", "company"})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# a run of digits with phone separators: +86 138 0013 8000, 010-6552-9988, (021) 5555 1234
_PHONE = re.compile(r"(?<![\w.])(\+?\(?\d[\d\s().-]{5,}\d)(?![\w.])")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
MASK = "***"


def _is_phone(text: str) -> bool:
    """A phone number, not a date, an amount or an id: starts with ``+``, or has 10+
    digits with separators, or is a bare Chinese mobile number (11 digits, 1[3-9]...)."""
    digits = re.sub(r"\D", "", text)
    if _DATE.search(text) or len(digits) < 7:
        return False
    if text.startswith("+"):
        return True
    if digits == text:
        return bool(_MOBILE.fullmatch(text))
    return len(digits) >= 10


def _phone(match: re.Match) -> str:
    text = match.group(1).strip()
    if not _is_phone(text):
        return match.group(0)
    return match.group(0).replace(text, MASK + re.sub(r"\D", "", text)[-2:])


def mask_name(value) -> object:
    """``Golden Retail Co., Ltd.`` -> ``G***``; missing values stay missing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    return text[:1] + MASK if text else text


def mask_text(value) -> object:
    """Mask e-mail addresses and phone numbers inside a text value."""
    if not isinstance(value, str):
        return value
    text = _EMAIL.sub(lambda m: m.group(0)[:1] + MASK + "@" + MASK, value)
    return _PHONE.sub(_phone, text)


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with personal data masked.

    Columns in :data:`PII_COLUMNS` are masked whole; other text columns have e-mail
    addresses and phone numbers masked. A quarantine-style frame (``column`` and
    ``value``) has ``value`` masked whole where ``column`` names a PII column.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype != object and not pd.api.types.is_string_dtype(out[col]):
            continue
        if str(col) in PII_COLUMNS:
            out[col] = out[col].map(mask_name)
        else:
            out[col] = out[col].map(mask_text)
    if {"column", "value"} <= set(out.columns):
        pii = out["column"].astype(str).isin(PII_COLUMNS)
        out.loc[pii, "value"] = out.loc[pii, "value"].map(mask_name)
    return out
