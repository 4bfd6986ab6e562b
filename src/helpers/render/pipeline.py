"""One report, end to end: execute the notebook (papermill), export HTML and PDF, write the
outputs atomically next to each other with the check results and the provenance record.

    render_report(agency, year, out_dir=..., db=None, options=RenderOptions()) -> summary dict
    warm_up()   load the exporter, template, WeasyPrint and fonts once (before forking workers)

Outputs in `out_dir/<year>/<agency>/`: report.ipynb, report.html, report.pdf, checks.json,
provenance.json. When the notebook fails the partial notebook is kept as report.failed.ipynb and
the outputs of an earlier run are removed, so the folder always shows the last run.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from .. import atomic
from ..errors import NotebookFailed, is_user_error
from . import provenance
from .options import RenderOptions

OUTPUT_FILES = {"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf",
                "checks": "checks.json", "provenance": "provenance.json"}
FAILED_NOTEBOOK = "report.failed.ipynb"
# papermill writes the notebook being executed here (it wants the .ipynb ending); a worker that
# dies leaves it behind, so the sweep looks for it by this pattern.
TMP_NOTEBOOK_PREFIX, TMP_NOTEBOOK_SUFFIX = ".report.", ".tmp.ipynb"
TMP_NOTEBOOK_GLOB = f"{TMP_NOTEBOOK_PREFIX}*{TMP_NOTEBOOK_SUFFIX}"
KERNEL_NAME = "python3"


def report_dir(out_dir: Path | str, agency: str, year: int) -> Path:
    return Path(out_dir) / str(int(year)) / agency


def warm_up() -> None:
    """Pay once per process for what every report needs: exporter and template, WeasyPrint and
    fontconfig with the CJK fonts, the static fingerprint."""
    import nbformat
    import papermill  # noqa: F401  (import cost only)

    from .export.html import html_exporter
    from .export.pdf import warm_up as pdf_warm_up
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    html_exporter().from_notebook_node(nb)
    pdf_warm_up()
    provenance.static_fingerprint()


def _failed_cell(nb) -> tuple[str, object]:
    """(cell id, error output) of the first cell that failed."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                return cell.get("id", "?"), out
    return "?", None


def _remove(paths) -> None:
    for p in paths:
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass


def execute(params, options: RenderOptions, *, target: Path):
    """Run the notebook with papermill; on failure keep the partial notebook as report.failed.ipynb
    and raise NotebookFailed naming the cell."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    target.mkdir(parents=True, exist_ok=True)
    # papermill writes the executed (or failed) notebook here; renamed into place at the end.
    fd, tmp = tempfile.mkstemp(prefix=TMP_NOTEBOOK_PREFIX, suffix=TMP_NOTEBOOK_SUFFIX, dir=target)
    os.close(fd)
    try:
        kwargs = {"execution_timeout": options.timeout} if options.timeout else {}
        nb = papermill.execute_notebook(
            str(provenance.notebook_path()), tmp, kernel_name=KERNEL_NAME, engine_name=options.engine,
            parameters=options.notebook_parameters(params.agency, params.year, params.db),
            progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, **kwargs)
    except PapermillExecutionError as exc:
        failed = target / FAILED_NOTEBOOK
        nb = nbformat.read(tmp, as_version=4)
        os.replace(tmp, failed)
        cell, _ = _failed_cell(nb)
        refused = is_user_error(exc.ename)
        if refused:
            message = exc.evalue
        else:
            message = (f"笔记本在单元格 {cell!r} 出错 (notebook failed in cell {cell!r})："
                       f"{exc.ename}: {exc.evalue}；未完成的笔记本见 {failed}")
        raise NotebookFailed(message, cell=cell, ename=exc.ename, evalue=exc.evalue, notebook=failed,
                             refused=refused) from None
    except Exception as exc:
        # a timeout or a dead kernel: papermill has no notebook to give back
        _remove([tmp])
        cell = _cell_in_message(str(exc))
        raise NotebookFailed(f"笔记本执行失败 (notebook failed){f'，单元格 {cell!r}' if cell != '?' else ''}："
                             f"{type(exc).__name__}: {exc}", cell=cell, ename=type(exc).__name__,
                             evalue=str(exc), notebook=None, refused=False) from exc
    except BaseException:
        _remove([tmp])
        raise
    return nb, tmp


def _cell_in_message(message: str) -> str:
    """The id of the notebook cell whose source nbclient quotes in a timeout message, or '?'."""
    import nbformat
    nb = nbformat.read(provenance.notebook_path(), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in message:
            return cell.get("id", "?")
    return "?"


def render_report(agency, year, *, out_dir, db=None, options: RenderOptions = RenderOptions()) -> dict:
    """Render one report; returns a summary (paths, numbers of errors and warnings, input key,
    durations in seconds). Raises XxgkError (NotebookFailed when the notebook stopped)."""
    from ..checks import findings_json, run_checks
    from ..report.context import check_parameters, require_data
    from ..store import Store
    from .export.html import notebook_to_html

    t0 = time.perf_counter()
    params = check_parameters(agency, year, db, options.mode, options.allow_errors)
    store = Store(params.db)
    require_data(store, params)
    target = report_dir(out_dir, params.agency, params.year)
    paths = {k: target / v for k, v in OUTPUT_FILES.items()}
    report = store.load_report(params.agency, params.year)
    findings = run_checks(report, store.load_report(params.agency, params.year - 1))
    n_err = sum(f.is_error for f in findings)
    summary = {"agency": params.agency, "year": params.year, "mode": options.mode.value, "errors": n_err,
               "warnings": len(findings) - n_err, "durations": {}}
    # The check results are written whatever happens next: they explain a refusal.
    atomic.write_text(paths["checks"], findings_json(findings))

    t1 = time.perf_counter()
    try:
        nb, tmp_nb = execute(params, options, target=target)
    except NotebookFailed:
        _remove([paths["ipynb"], paths["html"], paths["pdf"], paths["provenance"]])
        raise
    t2 = time.perf_counter()
    try:
        html = notebook_to_html(nb)
        t3 = time.perf_counter()
        pdf_bytes = None
        if options.pdf:
            from .export.pdf import html_to_pdf
            pdf_bytes = html_to_pdf(html)
        t4 = time.perf_counter()
        record = dict(provenance.from_notebook(nb))
        record.update(db=provenance.redact_db_url(params.db), checks={"errors": n_err,
                      "warnings": len(findings) - n_err}, files={})
        atomic.write_text(paths["html"], html)
        record["files"]["report.html"] = provenance.sha256_text(html)
        if pdf_bytes is not None:
            atomic.write_bytes(paths["pdf"], pdf_bytes)
            record["files"]["report.pdf"] = provenance.sha256_bytes(pdf_bytes)
        else:
            _remove([paths["pdf"]])
        os.replace(tmp_nb, paths["ipynb"])
        atomic.write_text(paths["provenance"], json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    finally:
        _remove([tmp_nb])
    _remove([target / FAILED_NOTEBOOK])
    summary.update(
        input_key=record.get("input_key", ""),
        paths={k: str(p) for k, p in paths.items() if k != "pdf" or options.pdf},
        durations={"checks": round(t1 - t0, 3), "execute": round(t2 - t1, 3), "html": round(t3 - t2, 3),
                   "pdf": round(t4 - t3, 3), "total": round(time.perf_counter() - t0, 3)})
    return summary
