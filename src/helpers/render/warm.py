"""Warm-up before a sweep forks its workers: export, once, a report made in memory.

A forked worker starts from its parent's state, so whatever the parent has loaded and compiled
once, no report pays again: the exporters and every template they use (the Jinja environment
compiles templates on first use), WeasyPrint with each font face, table, image and border the
page has, the Word document's base and chart images, the draft's watermark. The surest way to
touch all of it is to export a real page: `warm_up_notebook()` builds the executed notebook of a
synthetic report with the same page pieces the report notebook shows (report.page, narrative,
tables, paragraphs, charts), without executing anything, so no state of a report run is left
in the parent.
"""
from __future__ import annotations

import datetime as _dt
import random

from ..report.mode import Mode
from . import records

AGENCY = "warm-up"
YEAR = 2024


def warm_up_notebook(mode: Mode = Mode.DRAFT):
    """The executed notebook of a synthetic report of every section, table and chart."""
    import nbformat

    from ..format import schema
    from ..report import page
    from ..report.charts import applicants_chart, outcomes_chart
    from ..report.narrative import section_html
    from ..report.paragraphs import appeals_paragraph, requests_paragraph
    from ..report.tables import check_panel_html, table_html
    from ..synth.series import consistent_report

    # scale 4: numbers as wide as the format allows, so their sizes (table_grid.number_size) appear
    rep = consistent_report(random.Random(0), AGENCY, YEAR, scale=4)
    text = rep.narrative
    title = f"{AGENCY}{YEAR}年{schema.REPORT_TITLE}"
    parts = [
        [page.title_block(title, text[schema.PREAMBLE], agency_name=AGENCY)],
        [page.section_heading("overview"), section_html(rep, text, "overview", mode)],
        [page.section_heading("proactive"), section_html(rep, text, "proactive", mode), table_html(rep, "t2", mode=mode)],
        [page.section_heading("requests"), section_html(rep, text, "requests", mode), table_html(rep, "t3", mode=mode),
         requests_paragraph(rep)],
        [page.section_heading("appeals"), section_html(rep, text, "appeals", mode), table_html(rep, "t4", mode=mode),
         appeals_paragraph(rep)],
        [page.figure(outcomes_chart(rep)), page.figure(applicants_chart(rep))],
        [page.section_heading("problems"), section_html(rep, text, "problems", mode)],
        [check_panel_html((), rep)],
    ]
    outputs = [nbformat.v4.new_output("display_data", data={"text/html": "\n".join(map(page.fragment, p))})
               for p in parts]
    record = {"agency": AGENCY, "year": YEAR, "mode": mode.value, "title": title, "date": f"{YEAR + 1}-01-01"}
    closing = page.closing(AGENCY, _dt.date(YEAR + 1, 1, 1), record)
    outputs.append(nbformat.v4.new_output("display_data", data={"text/html": closing.html},
                                          metadata=closing.metadata))
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[out]) for out in outputs])


def warm_up() -> None:
    """Export the warm-up report as a report is exported: HTML for the screen and for print, PDF,
    Word document. A draft, so that the watermark is made too."""
    from .export.docx import html_to_docx
    from .export.html import notebook_to_html
    from .export.pdf import html_to_pdf

    nb = warm_up_notebook()
    html = notebook_to_html(nb)
    notebook_to_html(nb, records.PRINT)
    html_to_pdf(html)
    html_to_docx(html)
