"""Sections 2 and 3 on the rich case: what they record for the workbook, and that
undefined values are shown as such."""

import pytest
from conftest import RICH_LEADS, RICH_SPEND, RICH_TARGETS

from leadroi import analyse
from leadroi.i18n import catalogue
from leadroi.metrics import DRILLDOWN_COLUMNS
from leadroi.report import sections
from leadroi.report.sections.comparison import _scorecard
from leadroi.report.view import ReportView


@pytest.fixture
def rendered(case):
    params, data = case(leads=RICH_LEADS, spend=RICH_SPEND, targets=RICH_TARGETS)
    r = analyse(data, params)
    view = ReportView(params, channels=data.channels())
    html = str(sections.output_section(view, r)) + str(sections.comparison_section(view, r))
    return r, view, html


def test_every_dimension_goes_to_the_workbook_with_the_same_columns(rendered):
    _, view, _ = rendered
    tables = {t.name: t for t in view.tables}
    by = {name: t for name, t in tables.items() if name.startswith("by_")}
    # the case has channel, campaign, content, industry, owner and seniority data
    assert set(by) == {"by_channel", "by_campaign", "by_content", "by_industry", "by_owner",
                       "by_seniority"}
    for name, table in by.items():
        assert list(table.to_excel_frame().columns) == DRILLDOWN_COLUMNS, name
        zh = list(table.to_excel_frame(catalogue("zh")).columns)
        assert zh == list(by["by_channel"].to_excel_frame(catalogue("zh")).columns), name
    for name in ("funnel", "funnel_rates", "cohort_vs_bookings", "time_by_channel",
                 "stale_by_owner", "stale_leads", "score_calibration", "score_rules",
                 "seniority_by_channel", "unit_economics", "budget_vs_actual",
                 "lost_reasons", "lost_reasons_by_channel", "spend_by_campaign"):
        assert name in tables, name


def test_undefined_values_show_as_a_dash_never_inf(rendered):
    r, view, html = rendered
    for table in view.tables:
        if table.kinds:
            cells = table.display_frame(view.t, view.fmt).to_numpy().ravel()
            assert not [c for c in cells if c.lower() in ("inf", "nan", "-inf")], table.name
    shown = _scorecard(view, r).display_frame(view.t, view.fmt)
    d = shown[shown["Channel"] == "D"].iloc[0]           # no spend row: ROI undefined
    assert d["ROI (range)"] == "—" and d["ROAS"] == "—"
    c = shown[shown["Channel"] == "C"].iloc[0]           # spend, no leads
    assert c["Leads"] == "0" and c["Conversion (95% range)"] == "—"
    assert c["ROI (range)"].startswith("-100%")
