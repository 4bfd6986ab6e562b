"""One report, end to end: execute the notebook (papermill), export HTML, PDF and Word, and publish
the outputs as one set with the check results and the provenance record.

    render_report(agency, year, out_dir=..., db=None, options=RenderOptions()) -> summary dict
    render_rollup(parent, year, out_dir=..., db=None, options=RenderOptions()) -> summary dict
    warm_up()   load the exporter, template, WeasyPrint and fonts once (before forking workers)

Outputs in the report's folder (render.folder, `out_dir/<year>/<agency>/`): report.ipynb,
report.html, report.pdf, report.docx, checks.json, provenance.json. They are written into a staging
folder and published together at the end (ReportFolder.publish), so a render that fails, times out
or runs out of disk leaves the previous set as it was. The notebook reads and checks the data
(once); its findings ride out in the notebook (render.records), and checks.json is written from
them. When the notebook fails, the partial notebook is kept beside the published set as
report.failed.ipynb, with the findings it got to as checks.failed.json.
The roll-up notebook (notebooks/rollup.ipynb) goes the same way into the parent's folder
(render.folder.RollupFolder): rollup.ipynb, rollup.html, rollup.pdf and rollup.json (its
provenance and each unit's status, in place of provenance.json; no checks.json, no Word document).
"""
from __future__ import annotations

import dataclasses
import json
import os
import time

from .. import atomic
from ..environment import os_problem
from ..errors import NotebookFailed, is_user_error
from . import provenance, records
from .folder import ReportFolder, RollupFolder, Staging, remove
from .options import RenderOptions

KERNEL_NAME = "python3"
KERNEL_MANAGER = "helpers.render.kernel.EncryptedKernelManager"   # imported by nbclient only if it starts a kernel


def warm_up() -> None:
    """Pay once per process for what every report needs (before a sweep forks its workers):
    papermill, the exporters with their templates, WeasyPrint with the fonts, the Word document's
    base (render.warm), the static fingerprint."""
    import papermill  # noqa: F401  (import cost only)

    from . import warm
    warm.warm_up()
    provenance.static_fingerprint()


def _failed_cell(nb) -> tuple[str, object]:
    """(cell id, error output) of the first cell that failed."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                return cell.get("id", "?"), out
    return "?", None


def execute(params, options: RenderOptions, folder: ReportFolder, staging: Staging, *,
            notebook: str = provenance.NOTEBOOK_NAME, parameters: dict | None = None):
    """Run the notebook with papermill; on failure keep the partial notebook as the folder's failed
    notebook and raise NotebookFailed naming the cell. The roll-up passes its notebook and
    parameters (and its RollupFolder)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    # papermill writes the executed (or failed) notebook here; published with the set at the end.
    tmp = staging.new_notebook()
    try:
        kwargs = {"execution_timeout": options.timeout} if options.timeout else {}
        # a kernel, when the engine starts one, with encrypted connections (render.kernel); the xxgk engine
        # runs in-process and ignores it
        kwargs["kernel_manager_class"] = KERNEL_MANAGER
        nb = papermill.execute_notebook(
            str(provenance.notebook_path(notebook)), str(tmp), kernel_name=KERNEL_NAME, engine_name=options.engine,
            parameters=parameters or options.notebook_parameters(params.agency, params.year, params.db),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False, **kwargs)
    except PapermillExecutionError as exc:
        failed = folder.failed_notebook
        nb = nbformat.read(tmp, as_version=4)
        folder.write_trace(failed, tmp.read_bytes())
        cell, _ = _failed_cell(nb)
        refused = is_user_error(exc.ename)
        if refused:
            message = exc.evalue
        else:
            message = (f"笔记本在单元格 {cell!r} 出错 (notebook failed in cell {cell!r})："
                       f"{exc.ename}: {exc.evalue}；未完成的笔记本见 {failed}")
        counts = (write_checks(nb, folder.failed_checks, inside=folder.out_dir) if "checks" in folder.FILES
                  else {"errors": None, "warnings": None})
        raise NotebookFailed(message, cell=cell, ename=exc.ename, evalue=exc.evalue, notebook=failed,
                             refused=refused, counts=counts) from None
    except OSError as exc:
        remove(tmp)
        if exc.errno is None:       # nbclient's cell timeout is a TimeoutError
            raise _no_notebook(exc, notebook) from exc
        raise os_problem(exc) from None   # disk full, read-only, ...: the machine, not the notebook
    except Exception as exc:
        # a timeout or a dead kernel: papermill has no notebook to give back
        remove(tmp)
        raise _no_notebook(exc, notebook) from exc
    except BaseException:
        remove(tmp)
        raise
    return nb, tmp


def _no_notebook(exc: Exception, notebook: str = provenance.NOTEBOOK_NAME) -> NotebookFailed:
    cell = _cell_in_message(str(exc), notebook)
    return NotebookFailed(f"笔记本执行失败 (notebook failed){f'，单元格 {cell!r}' if cell != '?' else ''}："
                          f"{type(exc).__name__}: {exc}", cell=cell, ename=type(exc).__name__,
                          evalue=str(exc), notebook=None, refused=False)


def _cell_in_message(message: str, notebook: str = provenance.NOTEBOOK_NAME) -> str:
    """The id of the notebook cell whose source nbclient quotes in a timeout message, or '?'."""
    import nbformat
    nb = nbformat.read(provenance.notebook_path(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in message:
            return cell.get("id", "?")
    return "?"


def write_checks(nb, path, *, inside) -> dict:
    """checks.json (or, after a failure, checks.failed.json) at `path` from the findings the
    notebook recorded; {"errors": n, "warnings": n}. A notebook that stopped before checking
    recorded none: no file (an earlier one is removed), and the numbers are None."""
    from ..checks import Finding, count, findings_json

    found = records.read(nb, records.CHECKS) if nb is not None else None
    if found is None:
        remove(path)
        return {"errors": None, "warnings": None}
    findings = [Finding(**f) for f in found]
    atomic.write_text(path, findings_json(findings), inside=inside)
    errors, warnings = count(findings)
    return {"errors": errors, "warnings": warnings}


def _export(nb, options: RenderOptions) -> tuple[str, dict[str, bytes | None], dict]:
    """HTML and, if asked for, PDF and Word document of the executed notebook (both made from the
    same page), with the seconds each took."""
    from .export.html import notebook_to_html

    t0 = time.perf_counter()
    html = notebook_to_html(nb)
    times = {"html": round(time.perf_counter() - t0, 3)}
    made: dict[str, bytes | None] = {"pdf": None, "docx": None}
    if options.pdf:
        from .export.pdf import html_to_pdf
        t0 = time.perf_counter()
        # printed from its own page when some outputs are for one medium only (records.MEDIUM)
        made["pdf"] = html_to_pdf(notebook_to_html(nb, records.PRINT) if records.has_medium(nb) else html)
        times["pdf"] = round(time.perf_counter() - t0, 3)
    if options.docx:
        from .export.docx import html_to_docx
        t0 = time.perf_counter()
        made["docx"] = html_to_docx(html)
        times["docx"] = round(time.perf_counter() - t0, 3)
    return html, made, times


def _write_outputs(staging: Staging, tmp_nb, html: str, made: dict[str, bytes | None], record: dict) -> None:
    """The report's set in the staging folder (without report.pdf or report.docx when not made)."""
    record["files"] = {}
    atomic.write_text(staging.output("html"), html)
    record["files"][staging.output("html").name] = provenance.sha256_text(html)
    for kind, data in made.items():
        if data is not None:
            atomic.write_bytes(staging.output(kind), data)
            record["files"][staging.output(kind).name] = provenance.sha256_bytes(data)
    os.replace(tmp_nb, staging.output("ipynb"))
    atomic.write_text(staging.output("provenance"),
                      json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def render_report(agency, year, *, out_dir, db=None, options: RenderOptions = RenderOptions()) -> dict:
    """Render one report; returns a summary (paths, numbers of errors and warnings, input key,
    durations in seconds). Raises XxgkError (NotebookFailed when the notebook stopped)."""
    from ..report.context import validate

    t0 = time.perf_counter()
    # The notebook's own first step, run here too before anything is written: a mistyped agency or
    # a year without data makes no folder. Reading and checking the data is left to the notebook.
    params = validate(agency, year, db, options.mode, options.allow_errors, options.date)
    folder = ReportFolder(out_dir, params.agency, params.year)
    folder.prepare()
    staging = folder.stage()
    t1 = time.perf_counter()
    try:
        nb, tmp_nb = execute(params, options, folder, staging)
        t2 = time.perf_counter()
        counts = write_checks(nb, staging.output("checks"), inside=folder.out_dir)
        html, made, export_times = _export(nb, options)
        record = dict(provenance.from_notebook(nb), db=params.db, checks=counts)   # params.db has no password (dburl)
        _write_outputs(staging, tmp_nb, html, made, record)
        folder.publish(staging)            # the failure traces of an earlier run go with the old set
    finally:
        staging.discard()   # what did not get published, or (after publishing) the replaced set
    return {"agency": params.agency, "year": params.year, "mode": options.mode.value, **counts,
            "input_key": record.get("input_key", ""),
            "paths": {kind: str(path) for kind, path in folder.outputs(options.pdf, options.docx).items()},
            "durations": {"validate": round(t1 - t0, 3), "execute": round(t2 - t1, 3), **export_times,
                          "total": round(time.perf_counter() - t0, 3)}}


def rollup_record(nb) -> dict:
    """rollup.json: the summary the notebook's status cell carried, with its provenance."""
    return {**(records.read(nb, records.ROLLUP) or {}), "provenance": provenance.from_notebook(nb)}


def render_rollup(parent, year, *, out_dir, db=None, options: RenderOptions = RenderOptions()) -> dict:
    """Render the roll-up of `parent` (None: everything in the store) for `year` into its
    RollupFolder (out_dir/<year>/<parent or _all>/rollup.*), published as one set like a report;
    returns a summary (paths, unit counts, errors and warnings summed over the units, input key,
    durations). Missing units and unit errors are in the outputs, not failures."""
    from ..rollup.context import validate

    t0 = time.perf_counter()
    options = dataclasses.replace(options, docx=False)      # the Word document is the annual report's
    params = validate(parent, year, db, options.mode.value)
    folder = RollupFolder(out_dir, params.parent, params.year)
    folder.prepare()
    staging = folder.stage()
    parameters = {"parent": params.parent, "year": params.year, "db": params.db, "mode": params.mode}
    t1 = time.perf_counter()
    try:
        nb, tmp_nb = execute(params, options, folder, staging, notebook=provenance.ROLLUP_NOTEBOOK,
                             parameters=parameters)
        t2 = time.perf_counter()
        html, made, export_times = _export(nb, options)
        record = dict(rollup_record(nb), db=params.db)   # params.db has no password (dburl)
        _write_outputs(staging, tmp_nb, html, made, record)
        folder.publish(staging)
    finally:
        staging.discard()
    units = record.get("units", [])
    return {"parent": params.parent, "year": params.year, "mode": params.mode, "counts": record.get("counts", {}),
            "errors": sum(u.get("errors", 0) for u in units), "warnings": sum(u.get("warnings", 0) for u in units),
            "input_key": record.get("provenance", {}).get("input_key", ""),
            "paths": {kind: str(path) for kind, path in folder.outputs(options.pdf).items()},
            "durations": {"execute": round(t2 - t1, 3), **export_times, "total": round(time.perf_counter() - t0, 3)}}
