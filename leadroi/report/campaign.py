"""The campaign retrospective's results (``report: campaign``), assembled once: the
campaign measured against its benchmarks (:mod:`leadroi.compare.campaign`), then the
campaign rules' recommendations (:mod:`leadroi.decide.campaign_rules`)."""

from __future__ import annotations

from leadroi.compare.campaign import CampaignResults, measure_campaign
from leadroi.decide.campaign_rules import recommend_campaign
from leadroi.intake.dataset import Dataset
from leadroi.params import Params

__all__ = ["analyse_campaign", "CampaignResults"]


def analyse_campaign(data: Dataset, params: Params) -> CampaignResults:
    """Compute the campaign retrospective of ``params.campaign`` at ``data.as_of``."""
    result = measure_campaign(data, params)
    result.recommendations = recommend_campaign(result, params)
    return result
