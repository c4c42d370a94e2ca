"""Lead facts: the period's cohort, one row per lead, with every derived column the
metrics need, materialised once on the engine.

Every cohort metric (drill-downs, quality, lost reasons, stale leads, the executive
panel) then runs one small grouped query on this table instead of re-deriving the
cohort each time.

Derived columns
---------------
``seniority``
    From the title (:func:`leadroi.metrics.quality.seniority`).
``_won``, ``_lost``, ``_open``
    Outcome at the cut-off; a lead won and later marked lost counts as won.
``_revenue``, ``_value``
    Deal amount of a won lead (else 0); ``_value`` is the gross margin (amount × margin)
    when a margin is set, else the amount. ROI and the value metrics use ``_value``.
``_mql``, ``_sql``
    The lead reached MQL (``mql_at`` or ``sql_at``) / SQL (``sql_at``).
``_stage``
    Index of the furthest funnel stage reached (0: only created). A skipped stage counts
    as passed when a later one was reached.
``_last_change``
    The latest stage timestamp up to the cut-off (creation included).
``_score``, ``_r_<rule>``, ``_exec``
    Rule-based lead score and whether each score rule matched; C-suite or VP.
``_cost``, ``_mcost``
    The lead's share of the period's spend (all cost types / marketing only): spend rows
    with a campaign are shared among that campaign's leads, the others (and campaigns
    without leads) among the channel's leads. Spend of a channel without leads stays
    unallocated (:attr:`Facts.unallocated`).
``_stale``, ``_idle_days``
    Open and without a stage change for more than ``stale_days``; days since the last
    change.
``_p_win``, ``_deal``, ``_pipeline``, ``_expected``, ``_lost_value``
    Historical win rate from the lead's furthest stage (leads of the
    ``history_quarters`` before the period, outcomes at the cut-off); the expected value
    of a deal in its channel (historical average, else the overall one); an open lead's
    weighted pipeline value ``_p_win × _deal``; the expected value at maturity (won:
    ``_value``; open and not stale: ``_pipeline``; stale or lost: 0); and for a lost lead
    the pipeline value lost (``_p_win × (amount or _deal)``, margin applied).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import ibis
import pandas as pd
from ibis.expr.types import Table, Value

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import cohort, cutoff, days_between, in_period, reached, spend_in
from leadroi.metrics.quality import EXEC_LEVELS, rule_flags, score_expr, seniority
from leadroi.params import DIMENSIONS, FunnelSettings, ScoringSettings, ValueSettings
from leadroi.periods import Period

__all__ = ["Facts", "lead_facts", "stage_names", "furthest_stage", "history_window"]

_TEXT = ("lead_id", "lead_name", "title", "lost_reason", "rating") + tuple(
    d for d in DIMENSIONS if d != "seniority")


@dataclass
class Facts:
    """The stored lead-facts table of one period and what was learnt building it.

    Attributes
    ----------
    table : ibis Table
        One row per cohort lead (see the module docstring for the columns).
    period : Period
    as_of : datetime.date
    stages : list of str
        Funnel stage names present in the data, after ``created``.
    stage_win : pandas.DataFrame
        Historical ``stage, reached, won, win_rate`` (stage 0 is ``created``).
    unallocated : pandas.DataFrame
        ``channel, spend, marketing_spend`` of spend whose channel had no leads.
    history_leads : int
        Leads in the history window.
    margin : float or None
    """

    table: Table
    period: Period
    as_of: dt.date
    stages: list[str]
    stage_win: pd.DataFrame
    unallocated: pd.DataFrame = field(default_factory=pd.DataFrame)
    history_leads: int = 0
    margin: float | None = None


def stage_names(columns: list[str], stages: tuple[str, ...]) -> list[str]:
    """The configured stage columns that the leads have, in funnel order."""
    return [s for s in stages if s in columns]


def furthest_stage(t: Table, present: list[str], as_of: dt.date) -> Value:
    """Index of the furthest stage of ``present`` reached by the cut-off (0: none)."""
    steps = [ibis.ifelse(reached(t, s, as_of), k + 1, 0) for k, s in enumerate(present)]
    return ibis.greatest(ibis.literal(0), *steps) if steps else ibis.literal(0)


def history_window(period: Period, quarters: int) -> Period:
    """The ``quarters`` quarters (as months) just before ``period``."""
    index = period.start.year * 12 + period.start.month - 1 - 3 * quarters
    start = dt.date(index // 12, index % 12 + 1, 1)
    return Period(f"history-{period.label}", "range", start, period.start)


def _value_of(amount: Value, margin: float | None) -> Value:
    return amount * margin if margin else amount


def _stage_win(data: Dataset, period: Period, as_of: dt.date, present: list[str],
               value: ValueSettings) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Historical win rate by furthest stage, and the average deal value by channel."""
    leads = data.leads
    hist = leads.filter(in_period(leads.created_at, history_window(period,
                                                                    value.history_quarters)))
    # as columns, even when the data lacks stage or won columns and these are literals
    hist = hist.mutate(_stage=furthest_stage(hist, present, as_of),
                       _won=reached(hist, "won_at", as_of))
    stage, won = hist._stage, hist._won
    counts = {}
    for k in range(len(present) + 1):
        counts[f"r{k}"] = (stage >= k).sum().cast("int64").fill_null(0)
        counts[f"w{k}"] = ((stage >= k) & won).sum().cast("int64").fill_null(0)
    row = collect(hist.aggregate(n=hist.count(), **counts)).iloc[0]
    win = pd.DataFrame({"stage": ["created"] + [s.removesuffix("_at") for s in present],
                        "reached": [int(row[f"r{k}"]) for k in range(len(present) + 1)],
                        "won": [int(row[f"w{k}"]) for k in range(len(present) + 1)]})
    win["win_rate"] = (win["won"] / win["reached"]).where(win["reached"] > 0)
    deals = pd.DataFrame(columns=["channel", "deal", "n"])
    if "amount" in hist.columns:
        w = hist.filter(won & hist.amount.notnull())
        deals = collect(w.group_by(channel=w.channel).aggregate(
            deal=_value_of(w.amount, value.margin).mean(), n=w.count()))
        overall = collect(w.aggregate(deal=_value_of(w.amount, value.margin).mean(),
                                      n=w.count()))
        deals = pd.concat([deals, overall.assign(channel=None)], ignore_index=True)
    return win, deals, int(row["n"])


def _cases(key: Value, mapping: dict, default) -> Value:
    if not mapping:
        return default
    return ibis.cases(*[(key == k, v) for k, v in mapping.items()], else_=default)


def _allocation(data: Dataset, co: Table, period: Period):
    """Per-lead spend shares (campaign and channel level) and the unallocated spend."""
    spend = spend_in(data, period)
    empty = pd.DataFrame({"channel": pd.Series(dtype=str), "spend": pd.Series(dtype=float),
                          "marketing_spend": pd.Series(dtype=float)})
    if spend is None:
        return None, None, empty
    mkt = ibis.ifelse(spend.cost_type == "marketing", spend.amount, 0.0) \
        if "cost_type" in spend.columns else spend.amount
    sp = spend.select(channel=spend.channel, amount=spend.amount, mkt=mkt,
                      campaign=spend.campaign if "campaign" in spend.columns
                      else ibis.null().cast("string"))
    by_c = co.group_by("channel").aggregate(n=co.count())
    camp = None
    if "campaign" in co.columns and "campaign" in spend.columns:
        cc = co.filter(co.campaign.notnull())
        by_cc = cc.group_by(["channel", "campaign"]).aggregate(n=cc.count())
        per = sp.filter(sp.campaign.notnull()).group_by(["channel", "campaign"]).aggregate(
            amount=sp.amount.sum(), mkt=sp.mkt.sum())
        j = per.left_join(by_cc, ["channel", "campaign"])
        camp = j.filter(j.n.notnull()).select(
            "channel", "campaign", _c_cost=j.amount / j.n, _c_mcost=j.mkt / j.n)
        rest = ibis.union(j.filter(j.n.isnull()).select("channel", "amount", "mkt"),
                          sp.filter(sp.campaign.isnull()).select("channel", "amount", "mkt"),
                          distinct=False)
    else:
        rest = sp.select("channel", "amount", "mkt")
    pool = rest.group_by("channel").aggregate(amount=rest.amount.sum(), mkt=rest.mkt.sum())
    j = pool.left_join(by_c, "channel")
    chan = j.filter(j.n.notnull()).select("channel", _h_cost=j.amount / j.n,
                                          _h_mcost=j.mkt / j.n)
    lost = collect(j.filter(j.n.isnull()).select(
        "channel", spend=j.amount, marketing_spend=j.mkt))
    return camp, chan, lost if len(lost) else empty


def _store_name(period: Period, as_of: dt.date, tag: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"facts_{period.label}_{as_of:%Y%m%d}_{tag}")


def lead_facts(data: Dataset, period: Period, as_of: dt.date, *,
               funnel: FunnelSettings | None = None, scoring: ScoringSettings | None = None,
               value: ValueSettings | None = None, stale_days: int = 30,
               tag: str = "all", history: bool = True) -> Facts:
    """Build and store the lead facts of ``period``'s cohort at ``as_of``.

    Parameters
    ----------
    data : Dataset
    period : Period
    as_of : datetime.date
    funnel, scoring, value : settings, optional
        Defaults of :mod:`leadroi.params`.
    stale_days : int
        Open leads without a stage change for longer are stale (no expected value).
    history : bool
        Learn the stage win rates and deal values from the previous quarters; without
        (a comparison period that only needs counts, spend and revenue), ``_p_win`` and
        the expected values are NULL.
    tag : str
        Distinguishes stored tables of different segments.

    Returns
    -------
    Facts
    """
    funnel, scoring = funnel or FunnelSettings(), scoring or ScoringSettings()
    value = value or ValueSettings()
    present = stage_names(list(data.leads.columns), funnel.stages)
    if history:
        stage_win, deals, n_hist = _stage_win(data, period, as_of, present, value)
    else:
        stage_win, deals, n_hist = pd.DataFrame({"win_rate": []}), pd.DataFrame(
            {"channel": [], "deal": []}), 0
    name = _store_name(period, as_of, tag)
    co = cohort(data.leads, period, as_of)
    camp, chan, unallocated = _allocation(data, co, period)
    base = {name: (co[name].cast("string") if name in co.columns
                   else ibis.null().cast("string")) for name in _TEXT}
    base["nps"] = co.nps.cast("float64") if "nps" in co.columns else ibis.null().cast("float64")
    base["amount"] = co.amount if "amount" in co.columns else ibis.null().cast("float64")
    base["created_at"] = co.created_at
    lost = reached(co, "lost_at", as_of) & ~co._won
    stamps = [co[c] for c in ("created_at", "assigned_at", "first_contact_at", "mql_at",
                              "sql_at", "needs_confirmed_at", "proposal_at", "negotiation_at",
                              "won_at", "lost_at") if c in co.columns]
    cut = ibis.timestamp(cutoff(as_of))
    last = ibis.greatest(*[ibis.ifelse(s < cut, s, ibis.null()) for s in stamps]) \
        if len(stamps) > 1 else co.created_at
    title = co.title if "title" in co.columns else ibis.null().cast("string")
    level = seniority(title)
    t = data.engine.store(name + "_base", co.select(
        **base, seniority=level, _exec=level.isin(EXEC_LEVELS["vp_plus"]), _won=co._won,
        _lost=lost, _open=~co._won & ~lost, _revenue=co._revenue,
        _value=_value_of(co._revenue, value.margin),
        _mql=reached(co, "mql_at", as_of) | reached(co, "sql_at", as_of),
        _sql=reached(co, "sql_at", as_of), _stage=furthest_stage(co, present, as_of),
        _last_change=last, _idle_days=days_between(last, cut),
        _stale=~co._won & ~lost & (days_between(last, cut) > stale_days),
        **rule_flags(co, scoring)))
    t = _finish(t, camp, chan, stage_win, deals, value.margin, scoring)
    stored = data.engine.store(name, t)
    return Facts(stored, period, as_of, [s.removesuffix("_at") for s in present], stage_win,
                 unallocated, n_hist, value.margin)


def _with_cost(t: Table, camp: Table | None, chan: Table | None) -> tuple[Table, dict]:
    """``t`` joined to the spend shares, and the expressions of ``_cost``/``_mcost``."""
    if chan is None:
        none = ibis.null().cast("float64")
        return t, {"_cost": none, "_mcost": none}
    if camp is not None:
        t = t.left_join(camp, ["channel", "campaign"])
        c_cost, c_mcost = t._c_cost.fill_null(0.0), t._c_mcost.fill_null(0.0)
    else:
        c_cost = c_mcost = ibis.literal(0.0)
    t = t.left_join(chan, "channel")
    return t, {"_cost": c_cost + t._h_cost.fill_null(0.0),
               "_mcost": c_mcost + t._h_mcost.fill_null(0.0)}


def _finish(base: Table, camp: Table | None, chan: Table | None, stage_win: pd.DataFrame,
            deals: pd.DataFrame, margin: float | None, scoring: ScoringSettings) -> Table:
    """The base facts plus spend shares and expected values, in one select."""
    cols = list(base.columns)
    t, cost = _with_cost(base, camp, chan)
    rates = {int(k): float(r) for k, r in zip(stage_win.index, stage_win["win_rate"])
             if pd.notna(r)}
    p_win = _cases(t._stage, rates, ibis.null().cast("float64"))
    overall = deals[deals["channel"].isna()]["deal"]
    fallback = float(overall.iloc[0]) if len(overall) and pd.notna(overall.iloc[0]) \
        else None
    by_channel = {c: float(d) for c, d in zip(deals["channel"], deals["deal"])
                  if c is not None and pd.notna(c) and pd.notna(d)}
    default = ibis.literal(fallback, type="float64") if fallback is not None \
        else ibis.null().cast("float64")
    deal = _cases(t.channel, by_channel, default)
    lost_deal = ibis.coalesce(_value_of(t.amount, margin), deal)
    return t.select(
        *[t[c] for c in cols], **cost, _score=score_expr(base, scoring), _p_win=p_win,
        _deal=deal,
        _pipeline=ibis.ifelse(t._open, p_win * deal, 0.0),
        _expected=ibis.cases((t._won, t._value), (t._open & ~t._stale, p_win * deal),
                             else_=0.0),
        _lost_value=ibis.ifelse(t._lost, p_win * lost_deal, 0.0))
