"""The report view: turns tables, charts and sentences into HTML blocks for the notebook.

Every block is rendered from a Jinja2 template with autoescaping, so text from the CRM
can never become markup; tables go through pandas Styler with escaping on. The view
also records each table it shows, so the Excel workbook holds exactly the report's
tables.
"""

from __future__ import annotations

import base64
import dataclasses
import io
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from leadroi.i18n import catalogue
from leadroi.params import Params
from leadroi.report.charts import channel_palette
from leadroi.report.fonts import configure_matplotlib
from leadroi.report.formats import Formatter
from leadroi.report.privacy import mask_frame
from leadroi.report.tables import NUMERIC_KINDS, ReportTable

__all__ = ["Html", "ReportView", "WIDE_COLUMNS", "LANDSCAPE_COLUMNS", "SHORT_ROWS"]

#: Tables with more columns print in a smaller type ...
WIDE_COLUMNS = 7
#: ... and with more than this, on a landscape A4 page of their own.
LANDSCAPE_COLUMNS = 11
#: Tables up to this many rows are kept on one page when the layout allows.
SHORT_ROWS = 30
#: Resolution of the charts' PNGs.
CHART_DPI = 150

_ENV = Environment(loader=PackageLoader("leadroi", "templates/fragments"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)


def _tight_box(fig: Figure):
    """The box ``savefig(bbox_inches="tight")`` would crop to, measured without drawing.

    ``"tight"`` draws the whole figure once to find its extent and then again to save it;
    the artists' extents need only a renderer at the output resolution to measure text,
    so this measures them and the figure is drawn once (the PNG is the same). A figure
    with a layout engine lays itself out while drawing: it keeps ``"tight"``.
    """
    if fig.get_layout_engine() is not None:
        return "tight"
    dpi = fig.dpi
    fig.set_dpi(CHART_DPI)
    try:
        box = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.set_dpi(dpi)
    return box.padded(matplotlib.rcParams["savefig.pad_inches"])


class Html:
    """Markup produced by the view; displayed as ``text/html`` in a notebook."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + "\n" + other.markup)

    def __str__(self) -> str:
        return self.markup


def render(template: str, **values: Any) -> Html:
    """Render a fragment template (autoescaped) into :class:`Html`."""
    return Html(_ENV.get_template(f"{template}.html.j2").render(**values))


class ReportView:
    """Presentation state of one report: language, formats, palette, tables shown.

    Parameters
    ----------
    params : Params
    channels : iterable of str
        Every channel of the data, so each keeps one colour in every chart.
    """

    def __init__(self, params: Params, channels=()) -> None:
        self.params = params
        self.t = catalogue(params.language)
        self.fmt = Formatter(params.language, params.currency)
        self.tables: list[ReportTable] = []
        matplotlib.use("Agg")
        sns.set_theme(style="whitegrid", context="paper")
        self.cjk_font = configure_matplotlib(params.language)
        self.palette = channel_palette(channels)

    @property
    def title(self) -> str:
        return self.params.title or self.t("report.title")

    def section(self, key: str, intro: str | None = None) -> Html:
        """A numbered section heading (``section.<key>`` in the catalogue)."""
        return render("section", anchor=key, title=self.t(f"section.{key}"), intro=intro)

    def subsection(self, key: str) -> Html:
        return render("subsection", title=self.t(f"subsection.{key}"))

    def paragraph(self, text: str, css_class: str = "text") -> Html:
        return render("paragraph", text=text, css_class=css_class)

    def note(self, text: str) -> Html:
        return self.paragraph(text, "note")

    def table(self, table: ReportTable, *, title_key: str | None = None,
              takeaway: str | None = None, note: str | None = None,
              record: bool = True) -> Html:
        """Return ``table`` as an HTML block; ``record`` it for the workbook too.

        With ``mask_pii`` (the default) names, e-mail addresses and phone numbers are
        masked in both."""
        table = self._private(table)
        if record:
            self.record(table)
        kinds = list(table.kinds.values())
        # a label column then numbers only: the widths are known, so the PDF lays the
        # table out in fixed columns instead of measuring every cell
        numbers = len(kinds) > 2 and all(k in NUMERIC_KINDS and not k.endswith("_range")
                                         for k in kinds[1:])  # a range does not wrap
        classes = [name for name, yes in (("wide", len(table.kinds) > WIDE_COLUMNS),
                                          ("fixed", numbers),
                                          ("xwide", len(table.kinds) > LANDSCAPE_COLUMNS),
                                          ("short", len(table.data) <= SHORT_ROWS)) if yes]
        return render("table", title=self.t(f"subsection.{title_key}") if title_key else None,
                      takeaway=takeaway, note=note, classes=" ".join(classes),
                      table_html=table.to_html(self.t, self.fmt))

    def record(self, table: ReportTable) -> None:
        """Keep ``table`` for the workbook (replacing one of the same name)."""
        table = self._private(table)
        self.tables = [x for x in self.tables if x.name != table.name] + [table]

    def _private(self, table: ReportTable) -> ReportTable:
        if not self.params.mask_pii or getattr(table, "_masked", False):
            return table
        masked = dataclasses.replace(table, data=mask_frame(table.data))
        masked._masked = True
        return masked

    def chart(self, ax: Axes | Figure, takeaway: str, *, alt: str = "") -> Html:
        """Render a chart to PNG, close it, and return it under its takeaway sentence."""
        fig = ax if isinstance(ax, Figure) else ax.figure
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=CHART_DPI, bbox_inches=_tight_box(fig),
                    metadata={"Software": None})
        plt.close(fig)
        png = base64.b64encode(buf.getvalue()).decode("ascii")
        return render("figure", png=png, takeaway=takeaway, alt=alt or takeaway)

    def preformatted(self, text: str, css_class: str = "") -> Html:
        return render("preformatted", text=text, css_class=css_class)

    def cover(self, *, subtitle: str, tiles: list[dict], findings: list[str],
              actions: list[dict], note: str, kicker: str = "") -> Html:
        """Page 1: title, KPI tiles, findings and the top actions; then the contents
        (filled in with page numbers when the report is exported). The cover carries the
        title, period, language and cut-off date as data attributes, which the export
        (also ``jupyter nbconvert --to leadroi``) reads."""
        t = self.t
        as_of = self.params.as_of
        return render("cover", title=self.title, subtitle=subtitle, kicker=kicker,
                      period=self.params.period, lang=self.params.language,
                      date=as_of.isoformat() if as_of else None,
                      summary_heading=t("section.summary"), tiles=tiles,
                      profile_note=t(f"kpi.profile.{self.params.kpi_profile}"),
                      findings_heading=t("subsection.findings"), findings=findings,
                      actions_heading=t("subsection.top_actions"), actions=actions,
                      no_actions=t("rec.none"), note=note,
                      privacy=t("privacy.masked") if self.params.mask_pii else None,
                      contents_heading=t("cover.contents"))

    def recommendations(self, texts: list[dict]) -> Html:
        t = self.t
        return render("recommendations", recs=texts, evidence_label=t("rec.evidence_label"),
                      confidence_label=t("rec.confidence_label"), no_recs=t("rec.none"))
