"""Lead quality: seniority from job titles, the rule-based lead score, and whether the
score works (conversion by score band).

Seniority reads English and Chinese titles. VP-level phrases are tested first, so
"Vice President" is not read as "President" nor 副总裁 as 总裁.
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import BooleanValue, NumericValue, StringValue, Table

from leadroi.engine import collect
from leadroi.params import ScoreRule, ScoringSettings
from leadroi.stats import Z95, safe_div, wilson_interval

__all__ = ["SENIORITY_LEVELS", "SENIORITY_PATTERNS", "EXEC_LEVELS", "seniority",
           "score_expr", "rule_flags", "score_rules", "score_band_labels",
           "score_calibration", "score_verdict", "score_auc", "seniority_mix",
           "rules_without_data"]

#: Seniority levels, most senior first; ``unknown`` when the title is missing.
SENIORITY_LEVELS = ("c_suite", "vp", "director", "other", "unknown")
#: Which levels each executive segment keeps.
EXEC_LEVELS = {"c_suite": ("c_suite",), "vp_plus": ("c_suite", "vp")}
#: Level -> regular expression on the lower-cased title, tested in this order.
SENIORITY_PATTERNS = {
    "vp": r"\b[sea]?vp\b|vice[\s-]*president|副总裁|副总经理",
    "c_suite": r"\bc[a-z]o\b|\bchief\b.*\bofficer\b|\bpresident\b|\bfounder\b|首席.*官"
               r"|总裁|董事长|总经理|创始人",
    "director": r"\bdirector\b|\bhead of\b|总监|负责人",
}


def seniority(title: StringValue) -> StringValue:
    """Seniority level of a job title: ``c_suite``, ``vp``, ``director``, ``other`` or
    ``unknown``.

    C-suite: CEO, CFO, CTO, COO, CMO, CIO (any C?O), Chief ... Officer, President,
    Founder, 首席…官, 总裁, 董事长, 总经理, 创始人. VP: VP, SVP, EVP, Vice President, 副总裁,
    副总经理. Director: Director, Head of, 总监, 负责人.

    Examples
    --------
    >>> import ibis
    >>> ibis.literal("Vice President, Marketing").pipe(seniority).execute()  # doctest: +SKIP
    'vp'
    """
    text = title.strip().lower()
    cases = [(text.re_search(pattern), level) for level, pattern in SENIORITY_PATTERNS.items()]
    return ibis.cases((text.isnull() | (text == ""), "unknown"), *cases, else_="other")


def _first_number(col) -> NumericValue:
    if col.type().is_numeric():
        return col.cast("float64")
    digits = col.cast("string").replace(",", "").re_extract(r"(\d+(\.\d+)?)", 1)
    return digits.nullif("").cast("float64")


def _rule_test(t: Table, rule: ScoreRule):
    if rule.column == "seniority":
        col = seniority(t.title) if "title" in t.columns else ibis.literal("unknown")
    elif rule.column in t.columns:
        col = t[rule.column]
    else:
        return ibis.literal(False)
    if rule.at_least is not None:
        return (_first_number(col) >= rule.at_least).fill_null(False)
    text = col.cast("string").lower()
    if rule.equals is not None:
        return text.isin([v.lower() for v in rule.equals]).fill_null(False)
    hits = [text.contains(v.lower()) for v in rule.contains]
    test = hits[0]
    for h in hits[1:]:
        test = test | h
    return test.fill_null(False)


def rule_flags(t: Table, settings: ScoringSettings) -> dict[str, BooleanValue]:
    """``{"_r_<rule name>": whether the row matches the rule}`` for every score rule."""
    return {f"_r_{rule.name}": _rule_test(t, rule) for rule in settings.rules}


def score_expr(t: Table, settings: ScoringSettings) -> NumericValue:
    """The rule-based lead score of each row of ``t``: the sum of the points of the rules
    it matches (seed 004: company over 500 people +10, CEO/VP +20, pricing page +15,
    white paper +10). Rules whose column the data lacks add nothing. Uses the stored
    ``_r_<name>`` flags when ``t`` has them."""
    total = ibis.literal(0.0)
    for rule in settings.rules:
        flag = t[f"_r_{rule.name}"] if f"_r_{rule.name}" in t.columns else _rule_test(t, rule)
        total = total + ibis.ifelse(flag, float(rule.points), 0.0)
    return total


def score_rules(facts: Table, settings: ScoringSettings, *,
                min_leads: int = 30) -> pd.DataFrame:
    """What each score rule is worth: conversion of the leads it matches against the rest.

    Parameters
    ----------
    facts : ibis Table
        Lead facts with the ``_r_<name>`` flags and ``_won``.
    settings : ScoringSettings
    min_leads : int

    Returns
    -------
    pandas.DataFrame
        ``rule, points, matched, share, conversion_matched`` (+ ``_low``/``_high``),
        ``conversion_other``, ``lift`` (matched / other), ``too_few`` (fewer than
        ``min_leads`` leads on either side); rules in params order.
    """
    names = [r.name for r in settings.rules]
    aggs = {"n": facts.count(), "won": facts._won.sum().cast("int64")}
    for name in names:
        flag = facts[f"_r_{name}"]
        aggs[f"m_{name}"] = flag.sum().cast("int64")
        aggs[f"w_{name}"] = (flag & facts._won).sum().cast("int64")
    row = collect(facts.aggregate(**aggs)).iloc[0] if names else None
    out = pd.DataFrame({"rule": names, "points": [r.points for r in settings.rules]})
    if row is None:
        return out.assign(matched=[], share=[], conversion_matched=[], conversion_other=[],
                          lift=[], too_few=[])
    n, won = int(row["n"]), int(row["won"])
    out["matched"] = [int(row[f"m_{x}"]) for x in names]
    matched_won = np.array([int(row[f"w_{x}"]) for x in names])
    out["share"] = safe_div(out["matched"], n)
    out["conversion_matched"] = safe_div(matched_won, out["matched"])
    out["conversion_matched_low"], out["conversion_matched_high"] = wilson_interval(
        matched_won, out["matched"])
    out["conversion_other"] = safe_div(won - matched_won, n - out["matched"])
    out["lift"] = safe_div(out["conversion_matched"], out["conversion_other"])
    out["too_few"] = (out["matched"] < min_leads) | (n - out["matched"] < min_leads)
    return out


def rules_without_data(columns: list[str], settings: ScoringSettings) -> list[str]:
    """Names of the score rules whose column is not in the leads."""
    have = set(columns) | ({"seniority"} if "title" in columns else set())
    return [r.name for r in settings.rules if r.column not in have]


def score_band_labels(bands: tuple[float, ...]) -> list[str]:
    """``[0, 15, 30]`` -> ``["0–14", "15–29", "30+"]`` (integer scores)."""
    out = []
    for lo, hi in zip(bands, list(bands[1:]) + [None]):
        out.append(f"{lo:g}+" if hi is None else f"{lo:g}–{hi - 1:g}"
                   if float(lo).is_integer() and float(hi).is_integer() else f"{lo:g}–{hi:g}")
    return out


def _band_index(score: NumericValue, bands: tuple[float, ...]):
    cases = [(score >= lo, i) for i, lo in reversed(list(enumerate(bands)))]
    return ibis.cases(*cases, else_=0)


def score_calibration(facts: Table, bands: tuple[float, ...], *,
                      min_leads: int = 30) -> pd.DataFrame:
    """Leads, customers and conversion (95% Wilson interval) by score band.

    Parameters
    ----------
    facts : ibis Table
        :func:`leadroi.metrics.facts.lead_facts` (columns ``_score``, ``_won``).
    bands : tuple of float
        Lower edges of the bands.
    min_leads : int
        Bands with fewer leads are ``too_few``.

    Returns
    -------
    pandas.DataFrame
        ``band, score_from, leads, share, customers, conversion_rate`` (+ ``_low``,
        ``_high``), ``too_few``; one row per band, lowest first (empty bands included).
    """
    agg = collect(facts.group_by(band=_band_index(facts._score, bands)).aggregate(
        leads=facts.count(), customers=facts._won.sum().cast("int64")))
    out = pd.DataFrame({"band": score_band_labels(bands), "score_from": list(bands)})
    out = out.join(agg.set_index("band"), how="left").fillna({"leads": 0, "customers": 0})
    out[["leads", "customers"]] = out[["leads", "customers"]].astype(int)
    out["share"] = safe_div(out["leads"], out["leads"].sum())
    out["conversion_rate"] = safe_div(out["customers"], out["leads"])
    out["conversion_rate_low"], out["conversion_rate_high"] = wilson_interval(
        out["customers"], out["leads"])
    out["too_few"] = out["leads"] < min_leads
    return out[["band", "score_from", "leads", "share", "customers", "conversion_rate",
                "conversion_rate_low", "conversion_rate_high", "too_few"]]


def score_auc(facts: Table) -> tuple[float, float, float]:
    """AUC of the score: the probability that a customer outscores a lead that did not
    convert (ties count half), with a 95% interval (Hanley & McNeil standard error).

    Returns
    -------
    (auc, low, high) : floats, NaN without both customers and non-customers
    """
    by = collect(facts.group_by(score=facts._score).aggregate(
        won=facts._won.sum().cast("int64"), lost=(~facts._won).sum().cast("int64")))
    by = by.sort_values("score")
    won, lost = by["won"].to_numpy(float), by["lost"].to_numpy(float)
    n1, n0 = won.sum(), lost.sum()
    if n1 == 0 or n0 == 0:
        return (float("nan"),) * 3
    below = np.concatenate([[0.0], np.cumsum(lost)[:-1]])
    auc = float((won * (below + lost / 2)).sum() / (n1 * n0))
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    se = np.sqrt((auc * (1 - auc) + (n1 - 1) * (q1 - auc**2) + (n0 - 1) * (q2 - auc**2))
                 / (n1 * n0))
    return auc, max(auc - Z95 * se, 0.0), min(auc + Z95 * se, 1.0)


def score_verdict(calibration: pd.DataFrame, facts: Table, *, good_auc: float = 0.65,
                  min_leads: int = 30) -> dict:
    """Does the score work? Read from its AUC, with the conversion of the lowest band
    against all the bands above it.

    Returns
    -------
    dict
        ``verdict``: ``works`` (AUC interval above 0.5 and AUC ≥ ``good_auc``), ``weak``
        (AUC interval above 0.5, AUC below ``good_auc``), ``fails`` (the interval reaches
        0.5: no better than chance) or ``too_few`` (fewer than ``min_leads`` customers, or
        fewer than ``min_leads`` leads in the lowest band or above it); ``auc``,
        ``auc_low``, ``auc_high``; ``low_band``, ``low_rate`` (the lowest band),
        ``high_band`` (``<edge>+``), ``high_rate`` (the bands above it, pooled).
    """
    auc, low, high = score_auc(facts)
    out = {"verdict": "too_few", "auc": auc, "auc_low": low, "auc_high": high,
           "low_band": None, "high_band": None, "low_rate": np.nan, "high_rate": np.nan}
    if len(calibration) < 2:
        return out
    first, rest = calibration.iloc[0], calibration.iloc[1:]
    n_rest, k_rest = int(rest["leads"].sum()), int(rest["customers"].sum())
    out.update(low_band=first["band"], low_rate=first["conversion_rate"],
               high_band=f"{rest['score_from'].iloc[0]:g}+",
               high_rate=safe_div(k_rest, n_rest))
    customers = int(calibration["customers"].sum())
    if min(int(first["leads"]), n_rest, customers) < min_leads or np.isnan(auc):
        return out
    if low <= 0.5:
        out["verdict"] = "fails"
    else:
        out["verdict"] = "works" if auc >= good_auc else "weak"
    return out


def seniority_mix(facts: Table, *, min_leads: int = 30) -> pd.DataFrame:
    """Leads by channel and seniority, with the executive (VP and up) share per channel.

    Returns
    -------
    pandas.DataFrame
        ``channel, leads, c_suite, vp, director, other, unknown`` (counts), their shares
        ``<level>_share``, ``exec_share`` (C-suite + VP, with ``_low``/``_high``) and
        ``too_few``; sorted by executive share, highest first; last row all channels
        (``channel`` None).
    """
    agg = collect(facts.group_by(channel=facts.channel, level=facts.seniority)
                  .aggregate(n=facts.count()))
    wide = agg.pivot_table(index="channel", columns="level", values="n", aggfunc="sum",
                           fill_value=0)
    wide = wide.reindex(columns=list(SENIORITY_LEVELS), fill_value=0)
    wide.loc["__all__"] = wide.sum()
    wide = wide.astype(int)
    wide.insert(0, "leads", wide.sum(axis=1))
    for level in SENIORITY_LEVELS:
        wide[f"{level}_share"] = safe_div(wide[level], wide["leads"])
    execs = wide["c_suite"] + wide["vp"]
    wide["exec_share"] = safe_div(execs, wide["leads"])
    wide["exec_share_low"], wide["exec_share_high"] = wilson_interval(execs, wide["leads"])
    wide["too_few"] = wide["leads"] < min_leads
    wide = wide.reset_index()
    body = wide[wide["channel"] != "__all__"].sort_values("exec_share", ascending=False)
    total = wide[wide["channel"] == "__all__"].assign(channel=None)
    return pd.concat([body, total], ignore_index=True)
