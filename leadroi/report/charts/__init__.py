"""Charts of the report, one function each: data in, ``ax`` in, ``Axes`` out.

Functions never call ``plt.show()`` or ``savefig``; the view renders figures under a
caption that states the chart's takeaway. Channels keep one colour across every chart
(:func:`channel_palette`, seaborn's colour-blind-safe palette). Labels come from the
catalogue ``t`` and numbers from the formatter ``fmt``, so a chart speaks the report's
language; the CJK font is set by :func:`leadroi.report.fonts.configure_matplotlib`.

Modules follow the report: :mod:`.inputs` (spend, leads by month), :mod:`.output`
(funnel, stage timeline, score), :mod:`.value` (revenue, ROI, bridge, LTV/CAC, lost
reasons, trend), :mod:`.matrix` (cost vs quality), :mod:`.attribution`.
"""

from leadroi.report.charts._base import FIGSIZE, channel_palette
from leadroi.report.charts.attribution import plot_attribution_models, plot_roi_by_model
from leadroi.report.charts.inputs import plot_leads_heatmap, plot_spend_by_month
from leadroi.report.charts.matrix import plot_cost_quality
from leadroi.report.charts.output import (
    plot_funnel,
    plot_model_calibration,
    plot_model_effects,
    plot_score_calibration,
    plot_stage_timeline,
)
from leadroi.report.charts.value import (
                                          plot_lost_pareto,
                                          plot_ltv_cac,
                                          plot_retention_curve,
                                          plot_revenue_spend,
                                          plot_roi,
                                          plot_roi_bridge,
                                          plot_trend,
)

__all__ = ["channel_palette", "plot_spend_by_month", "plot_leads_heatmap", "plot_funnel",
           "plot_revenue_spend", "plot_roi", "plot_roi_bridge", "plot_cost_quality",
           "plot_trend", "plot_stage_timeline", "plot_score_calibration", "plot_model_calibration",
           "plot_model_effects",
           "plot_lost_pareto",
           "plot_ltv_cac", "plot_retention_curve", "plot_attribution_models",
           "plot_roi_by_model", "FIGSIZE"]
