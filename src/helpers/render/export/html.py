"""Executed notebook -> the report's HTML page (nbconvert with the project's own template).

The page is self-contained: no scripts, CSS inlined, charts as inline SVG; inputs, prompts,
markdown notes for analysts and the parameter cells are left out. Only a finished report is
exported: a notebook never executed, or one that stopped in a cell, is refused (check_report).
"""
from __future__ import annotations

import re
from functools import cache

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbconvert.utils.exceptions import ConversionException
from traitlets import Unicode, default

from ...config import REPORT_TEMPLATE_DIR, TEMPLATES_DIR
from ...errors import XxgkError, is_user_error
from ...format import schema
from ...report.html_fragment import content_policy, without_controls
from ...report.mode import Mode
from .. import provenance, records

TEMPLATE_NAME = REPORT_TEMPLATE_DIR.name
CSS_FILE = REPORT_TEMPLATE_DIR / "report.css"
SORT_SCRIPT = REPORT_TEMPLATE_DIR / "sort.js"
SCRIPTED_KINDS = {"rollup"}   # pages with sortable tables (the annual report has none: no script)
# Cells of the notebook that are not part of the report page.
HIDDEN_TAGS = {"parameters", "injected-parameters", "no-report"}
# What nbconvert's closing BeautifulSoup pass would change: a picture without alt text, cells of a
# `.jp-Notebook` (XxgkHTMLExporter._page).
_NEEDS_SOUP = re.compile(r"<img\b(?![^>]*\balt=)|jp-Notebook(?![-\w])", re.I)


@cache
def report_css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


@cache
def sort_script() -> str:
    return SORT_SCRIPT.read_text(encoding="utf-8")


def document_date(record: dict) -> str:
    """The date written into the page, the PDF and the Word document (created/modified): the
    publication date of the 落款, so that the same inputs give the same bytes. Notebooks made by
    earlier versions carry no date: 1 January after the report year (the first day it can be
    published)."""
    from ...report.closing import earliest_date
    when = record.get("date") or earliest_date(record["year"]).isoformat()
    return f"{when}T00:00:00Z"


def page_title(record: dict) -> str:
    """The <title> of the page: the report title the notebook recorded in its provenance."""
    if record.get("title"):
        return record["title"]
    return f"{record.get('agency', '')} {record.get('year', '')} {schema.REPORT_TITLE}".strip()


class MediumPreprocessor(Preprocessor):
    """Leaves out the outputs meant for the other medium (records.MEDIUM)."""

    medium = Unicode(records.SCREEN)

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = [out for out in cell.outputs if records.for_medium(out, self.medium)]
        return cell, resources


class XxgkHTMLExporter(HTMLExporter):
    """HTMLExporter with the report template, the inputs hidden and the provenance in the head."""

    export_from_notebook = "xxgk report (HTML)"
    medium = Unicode(records.SCREEN, help="screen: the HTML page; print: the page the PDF is printed from").tag(
        config=True)

    @default("template_name")
    def _template_name_default(self):
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("exclude_markdown")
    def _exclude_markdown_default(self):
        # Markdown cells explain the steps to the analyst; they are not part of the report.
        return True

    @default("exclude_raw")
    def _exclude_raw_default(self):
        return True

    @default("optimistic_validation")
    def _optimistic_validation_default(self):
        # validate the notebook once, after the preprocessors, not after each of them
        return True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from nbconvert.preprocessors import TagRemovePreprocessor
        self.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS), enabled=True)
        self.register_preprocessor(MediumPreprocessor(medium=self.medium), enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        check_report(nb, resources)
        record = provenance.from_notebook(nb)
        resources.setdefault("xxgk", record)
        resources.setdefault("xxgk_title", page_title(record))
        resources.setdefault("xxgk_css", report_css())
        if record.get("kind") in SCRIPTED_KINDS:
            resources.setdefault("xxgk_script", sort_script())
        resources.setdefault("xxgk_csp", content_policy(resources.get("xxgk_script")))
        if record.get("year"):
            resources.setdefault("xxgk_date", document_date(record))
        if record.get("mode") == Mode.DRAFT:
            from .watermark import data_uri
            resources.setdefault("xxgk_watermark", data_uri())
        html, resources = self._page(nb, resources, **kw)
        return without_controls(html), resources

    def _page(self, nb, resources, **kw):
        """HTMLExporter.from_notebook_node without its last step when that step has nothing to do.

        nbconvert parses its own page again with BeautifulSoup to give an <img> without alt text a
        generic one and the cells of a `.jp-Notebook` a tabindex, and writes the parsed tree back:
        ~0.02 s of a report's ~0.025 s. Our template has no `.jp-Notebook` and the report's
        pictures carry their titles as alt texts, so the page is nbconvert's template output as
        it is (the same elements, attributes and text; BeautifulSoup only re-serialises them).
        A page with a picture without alt text gets nbconvert's whole treatment."""
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        # what HTMLExporter.from_notebook_node does before rendering its template
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, out = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if _NEEDS_SOUP.search(html):
            return super().from_notebook_node(nb, resources, **kw)
        return html, out


class NotAReport(XxgkError, ConversionException):
    """The notebook given to the exporter is not a finished report (not executed, or stopped)."""


def _failure(nb) -> str | None:
    """What stopped the notebook, from its first error output; None if no cell failed."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                ename, evalue = out.get("ename", ""), out.get("evalue", "")
                if is_user_error(ename):      # a refusal explains itself
                    return f"笔记本拒绝生成报告 (the notebook refused to publish)：\n{evalue}"
                return (f"笔记本在单元格 {cell.get('id', '?')!r} 出错，报告不完整 (the notebook failed in a cell)："
                        f"{ename}: {evalue}")
    return None


def check_report(nb, resources: dict | None = None) -> None:
    """Refuse a notebook that is not a finished report: one never executed (no provenance record:
    it would print an empty page) or one that stopped in a cell (it would print the traceback).
    Under `jupyter nbconvert` the message is printed and the command exits 1; elsewhere NotAReport."""
    name = ((resources or {}).get("metadata") or {}).get("name") or "笔记本"
    problem = _failure(nb)
    if problem is None and not provenance.from_notebook(nb):
        problem = ("这个笔记本还没有执行，没有可转换的报告 (the notebook has not been executed)。"
                   "先执行：xxgk run --agency 机构 --year 年度（输出中的 report.ipynb 可以再转换），或用 papermill 执行后再转换")
    if problem is None:
        return
    message = f"{name}：{problem}"
    from nbconvert.nbconvertapp import NbConvertApp
    if NbConvertApp.initialized():
        # the command prints this and exits 1, without nbconvert's traceback around it
        app = NbConvertApp.instance()
        app.log.error(message)
        app.exit(1)
    raise NotAReport(message)


@cache
def html_exporter(medium: str = records.SCREEN) -> XxgkHTMLExporter:
    """One exporter per process and medium: building it (templates, Jinja environment) costs ~0.4 s."""
    return XxgkHTMLExporter(medium=medium)


def notebook_to_html(nb, medium: str = records.SCREEN) -> str:
    html, _ = html_exporter(medium).from_notebook_node(nb)
    return html
