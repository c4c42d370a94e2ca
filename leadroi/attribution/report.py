"""Attribution of a report's cohort: everything the attribution subsection shows.

:func:`analyse` builds the cohort's journeys from the touchpoints (leads created in the
report period, outcomes as of the cut-off, conversion value = the won deal amount), runs
every model, the bootstrap and the verdict. The section only presents the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from leadroi.attribution.bootstrap import bootstrap_shares
from leadroi.attribution.credit import Credit, attribute
from leadroi.attribution.paths import journeys_from_leads
from leadroi.attribution.registry import MODELS, Settings
from leadroi.attribution.verdict import roi_by_model, verdict
from leadroi.intake.dataset import Dataset
from leadroi.params import Params

__all__ = ["AttributionResults", "analyse", "NO_TOUCHPOINTS", "NO_CONVERSIONS"]

NO_TOUCHPOINTS, NO_CONVERSIONS = "no_touchpoints", "no_conversions"


@dataclass
class AttributionResults:
    """The attribution of one report.

    Attributes
    ----------
    reason : str or None
        Why there is no attribution (:data:`NO_TOUCHPOINTS`, :data:`NO_CONVERSIONS`), or
        None when there is.
    credit : Credit or None
    intervals : DataFrame
        :func:`~leadroi.attribution.bootstrap.bootstrap_shares` output.
    roi : DataFrame
        :func:`~leadroi.attribution.verdict.roi_by_model` output.
    verdict : DataFrame
        :func:`~leadroi.attribution.verdict.verdict` output (empty without spend).
    lookback_days, resamples : int
    has_spend : bool
    period : str
        Label of the report period (the cohort).
    as_of : datetime.date or None
        Data cut-off.
    """

    reason: str | None
    credit: Credit | None = None
    intervals: pd.DataFrame = field(default_factory=pd.DataFrame)
    roi: pd.DataFrame = field(default_factory=pd.DataFrame)
    verdict: pd.DataFrame = field(default_factory=pd.DataFrame)
    lookback_days: int = 90
    resamples: int = 0
    has_spend: bool = False
    period: str = ""
    as_of: dt.date | None = None

    @property
    def available(self) -> bool:
        return self.reason is None


def analyse(data: Dataset, params: Params, *, spend: pd.DataFrame | None = None
            ) -> AttributionResults:
    """Attribute the report cohort's conversions and revenue to channels.

    Parameters
    ----------
    data : Dataset
    params : Params
        ``params.attribution`` holds the models, lookback, half-life, resamples and seed.
    spend : DataFrame, optional
        ``channel, spend`` of the report period (e.g. the channel scorecard); needed for
        ROI, CAC and the verdict.

    Returns
    -------
    AttributionResults
        With ``reason`` set, and nothing else, when there is no touchpoints table or no
        conversion in the cohort.
    """
    cfg = params.attribution
    where = {"lookback_days": cfg.lookback_days, "period": params.window.label,
             "as_of": data.as_of}
    if data.touchpoints is None:
        return AttributionResults(NO_TOUCHPOINTS, **where)
    settings = Settings(half_life=cfg.half_life_days, seed=cfg.seed)
    journeys = journeys_from_leads(data.leads, data.touchpoints, as_of=data.as_of,
                                   lookback_days=cfg.lookback_days, period=params.window)
    journeys = journeys.materialize(data.engine)
    credit = attribute(journeys, cfg.models, settings)
    if credit.totals["conversions"] <= 0:
        return AttributionResults(NO_CONVERSIONS, credit, **where)
    chained = [m for m in credit.models if MODELS[m].kind == "chain"]
    intervals = bootstrap_shares(journeys, models=chained, resamples=cfg.resamples,
                                 seed=cfg.seed, settings=settings)
    has_spend = spend is not None and "spend" in spend and bool(spend["spend"].notna().any())
    costs = spend.set_index("channel")["spend"] if has_spend else None
    roi = roi_by_model(credit, costs)
    judged = pd.DataFrame()
    if has_spend:
        baseline = "last_touch"
        if baseline not in credit.models:  # measure the change against it all the same
            base = roi_by_model(attribute(journeys, [baseline], settings), costs)
            baseline = base[base["model"] == "last_touch"].set_index("channel")["roi"]
        judged = verdict(roi, agreement=cfg.agreement, baseline=baseline)
    return AttributionResults(None, credit, intervals, roi, judged, resamples=cfg.resamples,
                              has_spend=has_spend, **where)
