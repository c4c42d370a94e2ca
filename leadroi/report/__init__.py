"""The report: results assembled once, then shown section by section.

:mod:`.quarterly` (:func:`~leadroi.report.quarterly.analyse`) and :mod:`.campaign` compute
everything a report shows; :mod:`.sections` turn it into HTML blocks through the
:class:`~leadroi.report.view.ReportView`, with :mod:`.charts`, :mod:`.tables`,
:mod:`.narrative`, :mod:`.decisions` (wording of decisions), :mod:`.formats` (numbers per
language), :mod:`.privacy` (masking) and :mod:`.fonts` (CJK in charts).
"""
