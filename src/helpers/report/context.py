"""Everything one annual report notebook reads, gathered in one place, and the publish gate.

The notebook calls `validate` (what papermill passed; the agency has data for the year), `load`
(data, comparison years, agency record, narrative, check findings, provenance), `record_checks`
(the findings handed to the pipeline, which writes checks.json from them) and `refuse_unpublishable`.
The data are read and checked here only: the pipeline runs `validate` alone, before it makes a folder.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..checks.findings import is_error
from ..config import resolve_db
from ..errors import InvalidAgencyId, XxgkError
from ..format.ids import check_agency_id, check_year
from ..render import provenance
from .closing import check_date, report_title
from .mode import Mode
from .narrative import missing_sections, narrative_for, require_complete


@dataclass(frozen=True)
class Parameters:
    """The notebook's parameters, checked: what papermill injected (from
    render.options.RenderOptions.notebook_parameters when the pipeline runs the notebook)."""
    agency: str
    year: int
    db: str
    mode: Mode
    allow_errors: bool
    date: _dt.date | None = None     # the 落款 date; None: the day the data last changed


# papermill's `-p agency 029` passes the int 29: the leading zero is lost, so say how to avoid it.
_NUMBER_HINT = ("；papermill 的 -p 会把数字样的标识读成整数（029 变成 29），请改用 -r agency <标识> "
                "(use -r to pass the id as raw text)")


def check_parameters(agency, year, db=None, mode=Mode.PUBLISH, allow_errors=False, date=None) -> Parameters:
    """Validate and normalise the notebook parameters, with messages an analyst can act on."""
    if isinstance(agency, bool) or not isinstance(agency, (str, int)):
        raise XxgkError(f"参数 agency 应为机构标识（文本），读到的是 {agency!r} (agency must be a string)")
    hint = _NUMBER_HINT if isinstance(agency, int) else ""
    agency = str(agency).strip()
    try:
        check_agency_id(agency, "参数 agency")
    except InvalidAgencyId as exc:
        raise InvalidAgencyId(f"{exc}{hint}") from None
    year = check_year(year, "参数 year")
    if mode not in tuple(Mode):
        raise XxgkError(f"参数 mode 只能是 {' 或 '.join(Mode)}，读到的是 {mode!r} "
                        f"(mode must be publish or draft)")
    if not isinstance(allow_errors, bool):
        raise XxgkError(f"参数 allow_errors 应为 True 或 False，读到的是 {allow_errors!r}")
    return Parameters(agency, year, resolve_db(db), Mode(mode), allow_errors, check_date(date, year))


class ModeView:
    """year, mode and draft of a context holding `params` (the annual report's and the roll-up's)."""

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def mode(self) -> Mode:
        return self.params.mode

    @property
    def draft(self) -> bool:
        return self.params.mode == Mode.DRAFT


@dataclass
class ReportContext(ModeView):
    params: Parameters
    agency: object                      # schema.Agency
    report: object                      # model.Report of the report year
    previous: object | None             # model.Report of the year before, if stored
    title: str = ""
    reports: list = field(default_factory=list)   # every stored year up to the report year (trend)
    narrative: dict = field(default_factory=dict)  # section key -> text
    missing: list = field(default_factory=list)    # narrative sections that are missing
    findings: list = field(default_factory=list)   # checks.Finding
    provenance: dict = field(default_factory=dict)
    date: _dt.date | None = None                   # the publication date (落款)

    @property
    def marked_findings(self) -> list:
        """Findings to mark in the tables: all of them in a draft, none in a published report."""
        return list(self.findings) if self.draft else []

    @property
    def has_requests(self) -> bool:
        """Charts of requests only make sense when there were any (a street office often has none)."""
        from ..format.derived import has_requests
        return has_requests(self.report)

    @property
    def has_trend(self) -> bool:
        """A trend chart needs at least two years of the agency, and some requests in them."""
        from ..format.derived import has_requests
        return len(self.reports) >= 2 and any(has_requests(r) for r in self.reports)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if is_error(f)]

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if not is_error(f)]


def _open_store(params: Parameters, existing=None):
    from ..store import Store
    return existing or Store(params.db)


def require_data(store, params: Parameters):
    """The agency record, if the agency is known and has data for the year; else a clear error."""
    agency = store.require_agency(params.agency)
    years = store.years(params.agency)
    if params.year not in years:
        have = "、".join(str(y) for y in years) or "无"
        raise XxgkError(f"{agency.name}（{agency.id}）没有 {params.year} 年的数据 (no data for this year)；"
                        f"已有年度：{have}")
    return agency


def validate(agency, year, db=None, mode=Mode.PUBLISH, allow_errors=False, date=None) -> Parameters:
    """The notebook's first step: the parameters are well-formed, the agency is known and has data
    for the year."""
    params = check_parameters(agency, year, db, mode, allow_errors, date)
    try:
        require_data(_open_store(params), params)
    except XxgkError as exc:
        if isinstance(agency, int) and not isinstance(agency, bool):
            raise XxgkError(f"{exc}{_NUMBER_HINT}") from None
        raise
    return params


def load(params: Parameters, store=None) -> ReportContext:
    """Read the report, its comparison years, the agency record and narrative; run the checks."""
    from ..checks import run_checks
    from .preamble import title_text

    store = _open_store(params, store)
    agency = require_data(store, params)
    report = store.load_report(params.agency, params.year)
    reports = [report if y == params.year else store.load_report(params.agency, y)
               for y in provenance.compared_years(params.agency, params.year, store.fingerprints())]
    previous = next((r for r in reports if r.year == params.year - 1), None)
    narrative = narrative_for(report, agency=agency)   # the preamble is generated if not written
    title = report_title(title_text(agency, params.year), params.mode)
    ctx = ReportContext(params, agency, report, previous, title=title, reports=reports,
                        narrative=narrative, missing=list(missing_sections(narrative, params.mode)),
                        findings=list(run_checks(report, previous)),
                        date=provenance.publication_date(store, params.agency, params.year, params.date))
    key = provenance.report_input_key(store, params.agency, params.year, params.mode, ctx.date)
    ctx.provenance = provenance.provenance_record(
        agency=params.agency, year=params.year, mode=params.mode, allow_errors=params.allow_errors,
        data_fingerprint=report.fingerprint(), key=key, layout=report.layout, title=ctx.title,
        date=ctx.date.isoformat(), agency_name=agency.name)
    return ctx


def record_checks(ctx: ReportContext) -> None:
    """Display the number of errors and warnings, carrying every finding as output metadata
    (render.records.CHECKS): the pipeline writes checks.json from the executed notebook, or from
    the partial one when the next step refuses to publish. The count is for the analyst in Jupyter;
    the gate cell is tagged no-report, so it is not on the report page."""
    from html import escape

    from ..render import records
    from .page import Html

    count = f"核对结果：错误 {len(ctx.errors)} 个，提示 {len(ctx.warnings)} 个 (check findings: errors, warnings)"
    Html(f'<p class="checks-count">{escape(count)}</p>', {records.CHECKS: [f.as_dict() for f in ctx.findings]}).display()


def refuse_unpublishable(ctx: ReportContext) -> None:
    """In publish mode, stop before anything is displayed if a narrative section is missing or the
    data break a hard rule (unless allow_errors), naming every problem. Draft mode shows them instead."""
    if ctx.params.mode != Mode.PUBLISH:
        return
    problems = []
    try:
        require_complete(ctx.report, ctx.narrative, ctx.params.mode)
    except XxgkError as exc:
        problems.append(str(exc))
    if ctx.errors and not ctx.params.allow_errors:
        from ..checks.listing import finding_lines
        lines = "\n".join(f"  {line}" for line in finding_lines(ctx.errors, with_report=False))
        problems.append(f"{ctx.agency.name}（{ctx.agency.id}）{ctx.year} 年数据有 {len(ctx.errors)} 个错误，"
                        f"发布模式拒绝生成；请改正数据，或用草稿模式查看，或用 allow_errors 强制生成 "
                        f"(hard errors: publish refused)：\n{lines}")
    if problems:
        raise XxgkError("\n".join(problems))
