"""TEST-ONLY failure injection for the sweep's workers. Not for production use.

XXGK_TEST_CRASH="agency:year[:how][,agency:year[:how]...]" makes the forked worker of that report
fail while its notebook runs (engine xxgk), in the third code cell; "parent.rollup:year[:how]" does
the same to the roll-up of that parent's units:

    raise  the cell raises RuntimeError (a notebook error, the sweep records the failing cell)
    exit   the worker process calls os._exit(70)            (default)
    kill   the worker process gets SIGKILL
    hang   the cell sleeps for an hour (the sweep's --timeout must stop it)
    pollute the cell first changes process-wide state (matplotlib rcParams, os.environ, a dict
           of helpers.format.schema) and then
           runs normally: for the test that one report cannot affect the next
    linger the report is rendered and published, then the worker sleeps for an hour before it
           reports back (for the test that a sweep stopped then still records it)

Read only inside the worker, after the fork; without the variable nothing is patched.
"""
from __future__ import annotations

import os
import signal

ENV = "XXGK_TEST_CRASH"
POLLUTION = ("import dataclasses, matplotlib, os\n"
             "import helpers.format.schema as _schema\n"
             "matplotlib.rcParams['axes.facecolor'] = '#ffe0e0'\n"
             "matplotlib.rcParams['axes.grid'] = True\n"
             "os.environ['XXGK_POLLUTED'] = '1'\n"
             "_schema.SECTION_BY_KEY['other'] = dataclasses.replace(_schema.SECTION_BY_KEY['other'], "
             "title='污染')\n")
CELL = 2   # index among code cells, counted from 0 (after the injected parameters and imports)


def wanted(agency: str, year: int) -> str | None:
    for spec in filter(None, (s.strip() for s in os.environ.get(ENV, "").split(","))):
        parts = spec.split(":")
        if len(parts) >= 2 and parts[0] == agency and parts[1] == str(year):
            return parts[2] if len(parts) > 2 else "exit"
    return None


def install(agency: str, year: int) -> None:
    how = wanted(agency, year)
    if not how:
        return
    if how == "linger":
        _linger_after_publishing()
        return
    from ..render.engine import InProcessEngine

    original = InProcessEngine._run_cell
    seen = {"n": 0}

    def run_cell(shell, cell, *args, **kwargs):
        n = seen["n"]
        seen["n"] += 1
        if n == CELL:
            if how == "exit":
                os._exit(70)
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if how == "hang":
                cell.source = "import time\ntime.sleep(3600)"
            if how == "pollute":
                cell.source = POLLUTION + cell.source
            if how == "raise":
                cell.source = f"raise RuntimeError('{ENV}: 测试用故障 (injected failure)')"
        return original(shell, cell, *args, **kwargs)

    InProcessEngine._run_cell = staticmethod(run_cell)


def _linger_after_publishing() -> None:
    import time

    from ..render import pipeline

    original = pipeline.render_report

    def render_report(*args, **kwargs):
        summary = original(*args, **kwargs)
        time.sleep(3600)
        return summary

    pipeline.render_report = render_report
