"""The in-process papermill engine `xxgk` against papermill's own `nbclient` engine."""
from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from helpers.render import pipeline
from helpers.render.options import RenderOptions

STANDIN = Path(__file__).parent.parent / "data" / "standin.ipynb"
pytestmark = pytest.mark.slow


def _execute(engine, tmp_path, nb_path=STANDIN, **params):
    out = tmp_path / f"{engine}.ipynb"
    return papermill.execute_notebook(str(nb_path), str(out), parameters=params, engine_name=engine,
                                      kernel_name="python3", progress_bar=False)


def test_engine_is_registered_under_papermill_entry_point():
    from papermill.engines import papermill_engines

    from helpers.render.engine import InProcessEngine

    assert papermill_engines.get_engine("xxgk") is InProcessEngine


def test_same_html_from_both_engines_for_the_real_report(tmp_path, synth_db):
    from helpers.render import provenance

    db = synth_db(tmp_path / "x.sqlite", n=1, years=(2022, 2023))
    # The kernel computes the static fingerprint afresh; so does this process (the cache may be
    # from an earlier test, before someone edited the code).
    provenance.static_fingerprint.cache_clear()
    html = {}
    for engine in ("xxgk", "nbclient"):
        summary = pipeline.render_report("demo-0001", 2023, out_dir=tmp_path / engine, db=db,
                                         options=RenderOptions(pdf=False, engine=engine))
        html[engine] = Path(summary["paths"]["html"]).read_bytes()
    assert len(html["xxgk"]) > 10_000
    assert html["xxgk"] == html["nbclient"]


def test_same_outputs_from_both_engines_cell_by_cell(tmp_path):
    """stream (coalesced per stream), display_data, execute_result, figures: same outputs."""
    nbs = {e: _execute(e, tmp_path, agency="甲", year=2024) for e in ("xxgk", "nbclient")}
    a, b = nbs["xxgk"], nbs["nbclient"]
    kinds = [[o.output_type for o in c.get("outputs", [])] for c in a.cells]
    assert ["stream", "stream"] in kinds                       # stdout then stderr
    assert ["display_data", "execute_result"] in kinds         # display(df) then df
    assert a.cells[-2].outputs[0].data["text/markdown"] == "second"   # update_display
    assert [o.text for o in a.cells[-1].outputs] == ["y\n"]           # clear_output(wait=True)
    for ca, cb in zip(a.cells, b.cells):
        assert ca.get("execution_count") == cb.get("execution_count")
        assert ca.get("outputs") == cb.get("outputs"), ca.source
    assert a.metadata.language_info == b.metadata.language_info


def test_failing_cell_is_named_by_both_engines(tmp_path):
    nb = nbformat.read(STANDIN, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("print('before')\n1/0", id="boom"))
    nb.cells.append(nbformat.v4.new_code_cell("print('never')", id="after"))
    path = tmp_path / "failing.ipynb"
    nbformat.write(nb, path)
    errors = {}
    for engine in ("xxgk", "nbclient"):
        with pytest.raises(PapermillExecutionError) as info:
            _execute(engine, tmp_path, nb_path=path)
        errors[engine] = info.value
        done = nbformat.read(tmp_path / f"{engine}.ipynb", as_version=4)
        boom = next(c for c in done.cells if c.get("id") == "boom")
        assert [o.output_type for o in boom.outputs] == ["stream", "error"]
        assert boom.metadata.papermill.status == "failed"
        assert next(c for c in done.cells if c.get("id") == "after").outputs == []
    assert errors["xxgk"].cell_index == errors["nbclient"].cell_index
    assert errors["xxgk"].ename == errors["nbclient"].ename == "ZeroDivisionError"


def test_no_state_leaks_between_notebooks_run_by_the_engine_in_one_process(tmp_path):
    """The engine starts a fresh shell each time: variables of one notebook are gone in the next
    (isolation of process-wide state is the sweep's fork, tested in test_sweep_pool)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell("print('leak' in dir())\nleak = 1")]
    path = tmp_path / "leak.ipynb"
    nbformat.write(nb, path)
    outs = [_execute("xxgk", tmp_path, nb_path=path).cells[0].outputs[0].text for _ in range(2)]
    assert outs == ["False\n", "False\n"]


def test_the_shell_warmed_up_before_forking_serves_one_notebook_untouched(tmp_path):
    """engine.warm_up keeps a started shell for the next notebook (a forked worker's): that
    notebook runs in it as in a fresh one (first cell In [1], nothing defined), and the notebook
    after it gets a new shell, not the one the first left behind."""
    from helpers.render import engine

    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell("print('leak' in dir())\nleak = 1")]
    path = tmp_path / "leak.ipynb"
    nbformat.write(nb, path)
    engine.warm_up()
    spare = engine._spare[0]
    engine.warm_up()                        # a second warm-up keeps the one spare
    assert engine._spare == [spare]
    runs = [_execute("xxgk", tmp_path, nb_path=path).cells[0] for _ in range(2)]
    assert not engine._spare
    assert [(c.execution_count, c.outputs[0].text) for c in runs] == [(1, "False\n"), (1, "False\n")]
