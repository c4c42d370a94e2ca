"""Executive-lead reports (seed 000): the same report on C-suite (or VP-and-up) leads
only, and the non-monetary panel shown beside ROI — never added into it.

:func:`segment_dataset` restricts the leads to the segment and gives it its share of the
spend: each spend row is scaled by the segment's share of the leads of its channel (and
campaign, when the row names one that has leads) created in the same month, falling back
to the channel's share over all months. Touchpoints are restricted to the segment's leads.
"""

from __future__ import annotations

import dataclasses

import ibis
import pandas as pd
from ibis.expr.types import Table

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import UNKNOWN
from leadroi.metrics.facts import Facts
from leadroi.metrics.quality import EXEC_LEVELS, seniority
from leadroi.params import ExecSettings
from leadroi.stats import safe_div, wilson_interval

__all__ = ["segment_dataset", "nonmonetary", "high_rated_unconverted", "NONMONETARY_COLUMNS"]

NONMONETARY_COLUMNS = ["channel", "leads", "customers", "nps_responses", "nps", "mean_nps",
                       "rated", "high_rated", "high_rated_share", "high_rated_share_low",
                       "high_rated_share_high", "unconverted_high_rated"]


def _in_segment(leads: Table, segment: str):
    title = leads.title if "title" in leads.columns else ibis.null().cast("string")
    return seniority(title).isin(EXEC_LEVELS[segment])


def _scaled_spend(spend: Table, leads: Table, keep) -> Table:
    marked = leads.mutate(_m=leads.created_at.truncate("M"), _s=keep.cast("int64"))
    by_cm = marked.group_by(channel=marked.channel, _m=marked._m).aggregate(
        _n2=marked.count(), _s2=marked._s.sum())
    by_c = marked.group_by(channel=marked.channel).aggregate(_n3=marked.count(),
                                                             _s3=marked._s.sum())
    cols = list(spend.columns)
    sp = spend.mutate(_m=spend.date.truncate("M"))
    extra: list[str] = []
    if "campaign" in spend.columns and "campaign" in leads.columns:
        named = marked.filter(marked.campaign.notnull())
        by_ccm = named.group_by(channel=named.channel, campaign=named.campaign,
                                _m=named._m).aggregate(_n1=named.count(), _s1=named._s.sum())
        sp = sp.left_join(by_ccm, ["channel", "campaign", "_m"]).select(*cols, "_m", "_n1",
                                                                        "_s1")
        extra = ["_n1", "_s1"]
    sp = sp.left_join(by_cm, ["channel", "_m"]).select(*cols, "_m", *extra, "_n2", "_s2")
    sp = sp.left_join(by_c, "channel").select(*cols, *extra, "_n2", "_s2", "_n3", "_s3")
    shares = [sp._s1 / sp._n1] if extra else []
    share = ibis.coalesce(*shares, sp._s2 / sp._n2, sp._s3 / sp._n3, ibis.literal(0.0))
    return sp.mutate(amount=sp.amount * share).select(*cols)


def segment_dataset(data: Dataset, segment: str) -> Dataset:
    """``data`` restricted to the executive ``segment`` (``c_suite`` or ``vp_plus``).

    Returns
    -------
    Dataset
        A copy whose leads are the segment's (stored on the engine), whose spend is the
        segment's share, whose touchpoints are the segment leads' touches, and without
        targets (they are set for all leads); ``all`` returns ``data`` itself. Its
        cache status names the segment, so results kept beside the load cache under the
        load's key (the fitted score) are the segment's own.
    """
    if segment == "all":
        return data
    leads = data.leads
    keep = _in_segment(leads, segment)
    tables = {k: v for k, v in data.tables.items() if k != "targets"}  # set for all leads
    tables["leads"] = data.engine.store(f"segment_{segment}_leads", leads.filter(keep))
    if data.spend is not None:
        tables["spend"] = data.engine.store(f"segment_{segment}_spend",
                                            _scaled_spend(data.spend, leads, keep))
    if data.touchpoints is not None:
        tp = data.touchpoints
        ids = tables["leads"].select(_id=tables["leads"].lead_id)
        tables["touchpoints"] = data.engine.store(
            f"segment_{segment}_touchpoints", tp.semi_join(ids, tp.lead_id == ids._id))
    status = getattr(data, "cache", None)
    if status is not None and status.keyed:  # results kept by the load's key are per segment
        status = dataclasses.replace(status, key=f"{status.key}-{segment}")
    return dataclasses.replace(data, tables=tables, cache=status)


def _high(f: Table, settings: ExecSettings):
    return f.rating.upper().isin([r.upper() for r in settings.high_ratings]).fill_null(False)


def nonmonetary(facts: Facts, settings: ExecSettings | None = None) -> pd.DataFrame:
    """The non-monetary returns of the cohort's leads by channel: NPS and sales rating.

    NPS = % promoters (NPS ≥ ``promoter_nps``) − % detractors (≤ 6) among the leads who
    answered, from −100 to 100. ``unconverted_high_rated`` counts leads with a high sales
    rating that have not been won.

    Returns
    -------
    pandas.DataFrame
        :data:`NONMONETARY_COLUMNS`, channels by unconverted high-rated leads; last row
        all channels (``channel`` None).
    """
    settings = settings or ExecSettings()
    f = facts.table
    high = _high(f, settings)
    answered = f.nps.notnull()

    def agg(grouped) -> Table:
        return grouped.aggregate(
            leads=f.count(), customers=f._won.sum().cast("int64"),
            nps_responses=answered.sum().cast("int64"),
            promoters=(f.nps >= settings.promoter_nps).fill_null(False).sum().cast("int64"),
            detractors=(f.nps <= 6).fill_null(False).sum().cast("int64"),
            mean_nps=f.nps.mean(), rated=f.rating.notnull().sum().cast("int64"),
            high_rated=high.sum().cast("int64"),
            unconverted_high_rated=(high & ~f._won).sum().cast("int64"))
    out = collect(ibis.union(agg(f.group_by(channel=f.channel)),
                             agg(f.group_by(channel=ibis.null().cast("string"))),
                             distinct=False))
    out["nps"] = 100 * safe_div(out["promoters"] - out["detractors"], out["nps_responses"])
    out["high_rated_share"] = safe_div(out["high_rated"], out["rated"])
    out["high_rated_share_low"], out["high_rated_share_high"] = wilson_interval(
        out["high_rated"], out["rated"])
    body = out[out["channel"].notna()].sort_values(["unconverted_high_rated", "channel"],
                                                   ascending=[False, True])
    return pd.concat([body, out[out["channel"].isna()]], ignore_index=True)[
        NONMONETARY_COLUMNS]


def high_rated_unconverted(facts: Facts, settings: ExecSettings | None = None
                           ) -> pd.DataFrame:
    """Cohort leads with a high sales rating that were not won — candidates for a
    strategic nurture pool (seed 000).

    Returns
    -------
    pandas.DataFrame
        ``lead_id, lead_name, title, channel, owner, stage, status`` (``open``/``lost``),
        ``rating, nps, pipeline_value`` (0 once lost); furthest stage first, then highest
        NPS.
    """
    settings = settings or ExecSettings()
    f = facts.table
    rows = f.filter(_high(f, settings) & ~f._won)
    out = collect(rows.select(
        "lead_id", "lead_name", "title", "channel", owner=rows.owner.fill_null(UNKNOWN),
        stage=rows._stage, status=ibis.ifelse(rows._lost, "lost", "open"), rating=rows.rating,
        nps=rows.nps, pipeline_value=rows._pipeline).order_by(
        [ibis.desc("stage"), ibis.desc("nps"), "lead_id"]))
    names = ["created"] + facts.stages
    out["stage"] = [names[int(i)] for i in out["stage"]]
    return out
