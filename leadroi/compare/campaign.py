"""Campaign retrospective (``report: campaign``): one campaign against its benchmarks.

The campaign is one or several campaign ids and a date window: its leads are those of
the ids created in the window; a lead counts as a customer (and its deal as revenue)
when it is won within ``attribution_days`` of its creation and by the cut-off. Every
benchmark campaign is measured the same way over all of its leads. The benchmarks are
the campaigns listed in the params, or else every campaign of the same channel (or
strategy) whose first lead came before the campaign's window.

Input (the spend booked on the campaign ids) → output (leads, customers, revenue,
conversion, CPL, CAC, ROI, sales cycle) → comparison (against the pooled benchmark,
rates with the significance test of :mod:`leadroi.compare`) → recommendation (the rules
of :mod:`leadroi.decide.campaign_rules`). All aggregation runs on the engine; only one row per
campaign comes back.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table

from leadroi.compare import rate_test
from leadroi.engine import collect
from leadroi.errors import DataError, ParamsError
from leadroi.intake.dataset import Dataset
from leadroi.metrics import funnel as funnel_mod
from leadroi.metrics.cohort import column_or_null, cutoff, days_between
from leadroi.params import CampaignSettings, Params
from leadroi.stats import safe_div, wilson_interval

__all__ = ["CampaignResults", "measure_campaign", "campaign_leads", "campaign_metrics",
           "select_benchmarks", "METRICS"]

#: per-campaign columns of :func:`campaign_metrics` (besides the stage counts)
METRICS = ("leads", "customers", "revenue", "spend", "conversion_rate", "cpl", "cac", "roi",
           "roas", "avg_deal", "cycle_median", "cycle_p75", "high_rated_open", "too_few")


@dataclass
class CampaignResults:
    """Everything a campaign retrospective shows (see
    :func:`leadroi.report.campaign.analyse_campaign`).

    ``summary`` and ``benchmark`` are :func:`campaign_metrics` rows of the campaign and of
    the pooled benchmark campaigns; ``campaigns`` has one row per benchmark campaign
    (``is_this`` marks the campaign's own row, first); ``funnel`` is the campaign's funnel
    with ``previous_conversion`` = the benchmark's and a significance test per stage;
    ``tests`` compares the headline rates.
    """

    ids: tuple[str, ...]
    start: dt.date
    end: dt.date
    as_of: dt.date
    days: int
    summary: pd.Series
    benchmark: pd.Series
    campaigns: pd.DataFrame
    funnel: pd.DataFrame
    tests: pd.DataFrame
    bottleneck: dict | None
    benchmark_mode: str
    benchmark_by: str
    benchmark_ids: tuple[str, ...]
    immature_share: float = 0.0
    recommendations: list = field(default_factory=list)

    @property
    def medians(self) -> pd.Series:
        """Median of each metric over the benchmark campaigns that are not too few to
        judge (NaN without any)."""
        rows = self.campaigns[~self.campaigns["is_this"] & ~self.campaigns["too_few"]]
        cols = ["spend", "leads", "cpl", "customers", "conversion_rate", "revenue",
                "avg_deal", "cac", "roi", "cycle_median"]
        return rows[cols].median() if len(rows) else pd.Series(np.nan, index=cols)

    @property
    def judged_benchmarks(self) -> int:
        """Benchmark campaigns that are not too few to judge."""
        return int((~self.campaigns["is_this"] & ~self.campaigns["too_few"]).sum())

    @property
    def label(self) -> str:
        """The campaign id(s), joined for display."""
        return " + ".join(self.ids)


def campaign_leads(data: Dataset, *, days: int, as_of: dt.date,
                   stages: tuple[str, ...]) -> Table:
    """Every lead with a campaign, with its outcome inside the attribution window.

    Returns
    -------
    ibis Table
        ``campaign, channel, strategy, created_at``, ``_horizon`` (creation + ``days``,
        at most the cut-off), ``_won``, ``_revenue``, ``_cycle`` (days to won), ``_rated``
        (rating given), one boolean ``_s_<stage>`` per stage (reached by the horizon,
        or a later stage reached), ``_lost`` (lost by the horizon) and ``_immature``
        (the attribution window ends after the cut-off).
    """
    t = data.leads
    t = t.filter(t.campaign.notnull() & (t.campaign != ""))
    horizon = ibis.least(t.created_at + ibis.interval(days=days), ibis.literal(cutoff(as_of)))
    t = t.mutate(_horizon=horizon)
    present = [s for s in stages if s in data.columns["leads"]]
    seen = [t[s].notnull() & (t[s] < t._horizon) for s in present]
    marks = {}
    for k, col in enumerate(present):
        any_later = seen[k]
        for later in seen[k + 1:]:
            any_later = any_later | later
        marks[f"_s_{funnel_mod.stage_name(col)}"] = any_later
    won = column_or_null(t, "won_at").notnull() & (column_or_null(t, "won_at") < t._horizon)
    lost = column_or_null(t, "lost_at").notnull() & (column_or_null(t, "lost_at") < t._horizon)
    amount = t.amount.fill_null(0.0) if "amount" in t.columns else ibis.literal(0.0)
    return t.mutate(
        _won=won, _revenue=ibis.ifelse(won, amount, 0.0),
        _cycle=ibis.ifelse(won, days_between(t.created_at, column_or_null(t, "won_at")),
                           ibis.null().cast("float64")),
        _rating=column_or_null(t, "rating", "string"), _lost=lost,
        _immature=t.created_at + ibis.interval(days=days) > ibis.literal(cutoff(as_of)),
        strategy=column_or_null(t, "strategy", "string"), **marks)


def _aggregate(t: Table, high_ratings: tuple[str, ...], by: str | None = None) -> pd.DataFrame:
    stage_cols = [c for c in t.columns if c.startswith("_s_")]
    metrics = dict(
        leads=t.count(), customers=t._won.sum().cast("int64").fill_null(0),
        revenue=t._revenue.sum().fill_null(0.0), cycle_median=t._cycle.median(),
        cycle_p75=t._cycle.quantile(0.75), first_created=t.created_at.min(),
        last_created=t.created_at.max(),
        high_rated_open=(t._rating.isin(list(high_ratings)) & ~t._won).sum()
        .cast("int64").fill_null(0),
        immature=t._immature.sum().cast("int64").fill_null(0),
        **{c: t[c].sum().cast("int64").fill_null(0) for c in stage_cols})
    if by is None:
        return collect(t.aggregate(**metrics))
    metrics.update(channel=t.channel.mode(), strategy=t.strategy.mode())
    return collect(t.group_by(t[by].name("campaign")).aggregate(**metrics))


def _spend(data: Dataset, ids: list[str] | None = None, start: dt.date | None = None,
           end: dt.date | None = None) -> pd.DataFrame:
    """Spend booked per campaign id (in the months of ``start``..``end`` when given)."""
    s = data.spend
    if s is None or "campaign" not in s.columns:
        return pd.DataFrame(columns=["campaign", "spend"])
    if ids is not None:
        s = s.filter(s.campaign.isin(ids))
    if start is not None:
        month = dt.datetime(start.year, start.month, 1)
        s = s.filter((s.date >= month) & (s.date < cutoff(end)))
    return collect(s.group_by("campaign").aggregate(spend=s.amount.sum()))


def campaign_metrics(agg: pd.DataFrame, *, min_leads: int) -> pd.DataFrame:
    """Derived metrics of aggregated campaign rows (``leads, customers, revenue, spend``
    ...): conversion (with its 95% interval), CPL, CAC, ROI, ROAS, average deal and
    ``too_few`` (fewer than ``min_leads`` leads)."""
    out = agg.copy()
    if "spend" not in out:
        out["spend"] = np.nan
    low, high = wilson_interval(out["customers"], out["leads"])
    spend = out["spend"].where(out["spend"] > 0)
    return out.assign(
        conversion_rate=safe_div(out["customers"], out["leads"]), conversion_rate_low=low,
        conversion_rate_high=high, cpl=safe_div(spend, out["leads"]),
        cac=safe_div(spend, out["customers"]), roi=safe_div(out["revenue"] - spend, spend),
        roas=safe_div(out["revenue"], spend), avg_deal=safe_div(out["revenue"],
                                                                out["customers"]),
        too_few=out["leads"] < min_leads)


def select_benchmarks(candidates: pd.DataFrame, settings: CampaignSettings, *,
                      key: str | None, start: dt.date) -> tuple[list[str], str]:
    """The benchmark campaign ids and how they were chosen (``listed``, ``auto``).

    Parameters
    ----------
    candidates : DataFrame
        One row per other campaign: ``campaign``, ``channel``, ``strategy``,
        ``first_created``.
    settings : CampaignSettings
        ``benchmarks`` listed there are taken as they are (an unknown id is an error);
        else the campaigns whose ``benchmark_by`` equals ``key`` and whose first lead is
        before ``start``.
    """
    if settings.benchmarks:
        known = set(candidates["campaign"])
        missing = [b for b in settings.benchmarks if b not in known]
        if missing:
            close = difflib.get_close_matches(missing[0], sorted(known), n=1, cutoff=0.5)
            raise ParamsError(f"benchmark campaign '{missing[0]}' has no leads in the data.",
                              key="campaign.benchmarks", hint=f"Did you mean '{close[0]}'?"
                              if close else "List campaign ids as in the leads' campaign "
                              "column, or leave `benchmarks` out.")
        return list(dict.fromkeys(settings.benchmarks)), "listed"
    first = pd.to_datetime(candidates["first_created"])
    mask = (candidates[settings.benchmark_by] == key) & (first < pd.Timestamp(start))
    return sorted(candidates.loc[mask, "campaign"]), "auto"


def _window(params: Params) -> tuple[dt.date, dt.date]:
    c = params.campaign
    return c.start or params.window.start, c.end or params.window.last_day


def _check_ids(ids: tuple[str, ...], known: list[str]) -> None:
    missing = [i for i in ids if i not in known]
    if missing:
        close = difflib.get_close_matches(missing[0], sorted(known), n=1, cutoff=0.5)
        raise ParamsError(f"campaign '{missing[0]}' has no leads in the data.",
                          key="campaign.ids", hint=f"Did you mean '{close[0]}'?" if close
                          else "Use the ids of the leads' campaign column.")


def _empty(agg: pd.DataFrame) -> pd.DataFrame:
    """An aggregate row of no leads (no benchmark campaigns)."""
    return pd.DataFrame([{c: (np.nan if c.startswith(("cycle", "first", "last")) else 0)
                          for c in agg.columns}])


def _funnel_and_tests(this: pd.Series, bench: pd.Series, stages: list[str], *,
                      min_leads: int, alpha: float) -> tuple[pd.DataFrame, dict | None]:
    names = ["created"] + stages
    cur = funnel_mod.funnel_from_counts(names, [this["leads"]] + [this[f"_s_{s}"]
                                                                  for s in stages])
    ref = funnel_mod.funnel_from_counts(names, [bench["leads"]] + [bench[f"_s_{s}"]
                                                                   for s in stages])
    neck = funnel_mod.bottleneck(cur, ref, min_leads=min_leads)
    out = funnel_mod.compare_stages(cur, ref)
    tests = [rate_test(ref["leads"][i], ref["leads"][i - 1], cur["leads"][i],
                       cur["leads"][i - 1], min_n=min_leads, alpha=alpha)
             if i else {"p_value": np.nan, "verdict": ""} for i in range(len(out))]
    out["p_value"] = [x["p_value"] for x in tests]
    out["verdict"] = [x["verdict"] for x in tests]
    return out, neck


def _rate_tests(this: pd.Series, bench: pd.Series, *, min_leads: int,
                alpha: float) -> pd.DataFrame:
    rows = []
    for rate, (k, n) in {"conversion_rate": ("customers", "leads")}.items():
        test = rate_test(bench[k], bench[n], this[k], this[n], min_n=min_leads, alpha=alpha)
        rows.append({"rate": rate, "campaign": test["rate_b"], "benchmark": test["rate_a"],
                     "diff": test["diff"], "p_value": test["p_value"],
                     "prob_better": test["prob_b_better"], "verdict": test["verdict"]})
    return pd.DataFrame(rows)


def measure_campaign(data: Dataset, params: Params) -> CampaignResults:
    """Measure the campaign of ``params.campaign`` at ``data.as_of`` against its
    benchmarks (no recommendations yet: :func:`leadroi.report.campaign.analyse_campaign`
    adds them)."""
    c = params.campaign
    if c is None:
        raise ParamsError("a campaign report needs `campaign:` with at least `ids:`",
                          key="campaign")
    if "campaign" not in data.columns["leads"]:
        raise DataError("the leads table has no campaign column; a campaign report needs it.",
                        column="campaign", hint="Map your export's campaign column to "
                        "`campaign` (data.leads.mapping) or use a preset that has it.")
    start, end = _window(params)
    as_of, n = data.as_of, params.min_leads
    t = campaign_leads(data, days=c.attribution_days, as_of=as_of, stages=params.funnel.stages)
    stages = [c_[3:] for c_ in t.columns if c_.startswith("_s_")]
    high = params.executive.high_ratings
    per = _aggregate(t, high, by="campaign")
    _check_ids(c.ids, list(per["campaign"]))
    created_in = (t.created_at >= dt.datetime.combine(start, dt.time())) & (
        t.created_at < cutoff(end))
    this_agg = _aggregate(t.filter(t.campaign.isin(list(c.ids)) & created_in), high)
    own = per[per["campaign"].isin(c.ids)]
    key = own.sort_values("leads", ascending=False)[c.benchmark_by].iloc[0]
    ids, mode = select_benchmarks(per[~per["campaign"].isin(c.ids)], c, key=key, start=start)
    bench_agg = _aggregate(t.filter(t.campaign.isin(ids)), high) if ids else _empty(this_agg)
    this_agg["spend"] = _spend(data, list(c.ids), start, end)["spend"].sum()
    spend_by = _spend(data, ids).set_index("campaign")["spend"] if ids else pd.Series()
    bench_agg["spend"] = spend_by.sum() if len(spend_by) else np.nan
    this = campaign_metrics(this_agg, min_leads=n).iloc[0]
    bench = campaign_metrics(bench_agg, min_leads=n).iloc[0]
    own_row = this_agg.assign(campaign=" + ".join(c.ids), channel=own.sort_values(
        "leads", ascending=False)["channel"].iloc[0], is_this=True)
    rows = per[per["campaign"].isin(ids)].assign(spend=lambda d: d["campaign"].map(spend_by))
    table = pd.concat([own_row, rows.sort_values("first_created").assign(is_this=False)],
                      ignore_index=True)
    funnel, neck = _funnel_and_tests(this, bench, stages, min_leads=n, alpha=params.compare
                                     .alpha)
    return CampaignResults(
        ids=c.ids, start=start, end=end, as_of=as_of, days=c.attribution_days, summary=this,
        benchmark=bench, campaigns=campaign_metrics(table, min_leads=n), funnel=funnel,
        tests=_rate_tests(this, bench, min_leads=n, alpha=params.compare.alpha),
        bottleneck=neck, benchmark_mode=mode if ids else "none",
        benchmark_by=c.benchmark_by, benchmark_ids=tuple(ids),
        immature_share=float(safe_div(this["immature"], this["leads"])))
