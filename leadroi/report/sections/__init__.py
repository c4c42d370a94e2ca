"""The sections of the quarterly report, one module each, in the order of the story:
summary → 1 input → 2 output → 3 comparison → 4 recommendations → appendix.

Each function turns computed results into HTML blocks through the view; tables shown
are recorded by the view for the workbook, a few go to the workbook only
(``view.record``).
"""

from leadroi.report.sections.appendix import QUARANTINE_SHOWN, appendix
from leadroi.report.sections.comparison import comparison_section
from leadroi.report.sections.inputs import input_section
from leadroi.report.sections.output import output_section
from leadroi.report.sections.recommendations import recommendations_section
from leadroi.report.sections.summary import summary

__all__ = ["summary", "input_section", "output_section", "comparison_section",
           "recommendations_section", "appendix", "QUARANTINE_SHOWN"]
