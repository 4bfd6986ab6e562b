"""A papermill engine that runs a notebook's code cells in this process, without a Jupyter kernel.

Registered as papermill engine ``xxgk`` (entry point group ``papermill.engine``). papermill still
injects the parameters, keeps the per-cell bookkeeping (``NotebookExecutionManager``: start/end
times, status, autosave of the output notebook) and raises ``PapermillExecutionError`` naming the
failing cell; this engine only replaces the kernel by an IPython ``InteractiveShell`` whose display
machinery writes nbformat outputs, the same ones a kernel would send:

- ``display()`` and figures -> ``display_data`` (every MIME type the formatters produce),
- the value of a cell's last expression -> ``execute_result``,
- ``print`` / warnings -> ``stream`` (consecutive writes to one stream form one output),
- exceptions -> ``error`` with the formatted traceback.

Saves the kernel start (~1 s), the imports in the kernel and its shutdown per report. It gives no
isolation between notebooks run one after the other in one process: the sweep runs each report in
a freshly forked process for that (helpers.sweep.pool).
"""
from __future__ import annotations

import io
import os
import platform
import signal
import sys
import threading
from contextlib import contextmanager
from functools import cache

import nbformat
from papermill.engines import Engine

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# What ipykernel reports as the notebook's language_info (nbconvert uses it to pick the lexer).
LANGUAGE_INFO = {
    "name": "python",
    "version": platform.python_version(),
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}


class CellTimeout(Exception):
    """A cell ran longer than ``execution_timeout`` seconds."""


class _Outputs:
    """Collects the outputs of the cell being run."""

    def __init__(self):
        self.items: list = []
        self.clear_pending = False   # clear_output(wait=True): clear when the next output comes

    def _before_output(self) -> None:
        if self.clear_pending:
            self.items.clear()
            self.clear_pending = False

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        self._before_output()
        last = self.items[-1] if self.items else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.items.append(nbformat.v4.new_output("stream", name=name, text=text))

    def add(self, output) -> None:
        self._before_output()
        self.items.append(output)


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr while a cell runs: text becomes stream outputs."""

    def __init__(self, outputs: _Outputs, name: str):
        self._outputs, self.name = outputs, name

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        self._outputs.stream(self.name, str(text))
        return len(text)

    def flush(self):
        pass


@cache
def _make_shell_class():
    # IPython is imported lazily: `import helpers.render.engine` stays cheap for papermill's
    # entry-point scan.
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
            shell = self.shell
            output = nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})
            if update:  # update_display(): replace earlier outputs with that display id
                display_id = (transient or {}).get("display_id")
                for i, old in enumerate(shell.outputs.items):
                    if display_id and shell.display_ids.get(id(old)) == display_id:
                        shell.outputs.items[i] = output
                        shell.display_ids[id(output)] = display_id
                return
            shell.outputs.add(output)
            if transient and transient.get("display_id"):
                shell.display_ids[id(output)] = transient["display_id"]

        def clear_output(self, wait=False):
            if wait:
                self.shell.outputs.clear_pending = True
            else:
                self.shell.outputs.items.clear()

    class ResultHook(DisplayHook):
        def start_displayhook(self):
            self._data, self._metadata = None, None

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self._data, self._metadata = format_dict, md_dict or {}

        def finish_displayhook(self):
            if self._data is not None:
                self.shell.outputs.add(nbformat.v4.new_output(
                    "execute_result", data=self._data, metadata=self._metadata,
                    execution_count=self.shell.cell_execution_count))

    class CapturingShell(InteractiveShell):
        display_pub_class = Publisher
        displayhook_class = ResultHook

        def __init__(self, **kw):
            self.outputs = _Outputs()
            self.display_ids: dict[int, str] = {}
            self.cell_execution_count = None
            super().__init__(**kw)

        def _showtraceback(self, etype, evalue, stb):
            self.outputs.add(nbformat.v4.new_output(
                "error", ename=str(etype.__name__), evalue=str(evalue), traceback=list(stb)))

        def enable_gui(self, gui=None):  # no event loop here; matplotlib uses the inline backend
            pass

    return CapturingShell


@contextmanager
def _redirected(shell):
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(shell.outputs, "stdout"), _Stream(shell.outputs, "stderr")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def _alarm(seconds):
    """Raise CellTimeout in the running cell after `seconds` (main thread only, as with SIGALRM)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise CellTimeout(f"cell ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_spare: list = []      # a started shell no notebook has run in (warm_up): the next notebook's


def _start_shell():
    if _spare:
        return _spare.pop()
    from traitlets.config import Config

    cls = _make_shell_class()
    cfg = Config()
    cfg.HistoryManager.enabled = False     # no sqlite history file per report
    shell = cls.instance(config=cfg)
    # The kernel's default: figures left open at the end of a cell are displayed by the inline
    # backend (same calls as matplotlib_inline does when a kernel imports it via MPLBACKEND).
    from IPython.core.pylabtools import activate_matplotlib
    from matplotlib_inline.backend_inline import configure_inline_support
    from matplotlib_inline.config import InlineBackend

    # InlineBackend is a process-wide singleton holding a reference to "its" shell; a fresh one per
    # notebook, like a fresh kernel, so %config InlineBackend... applies to this shell.
    InlineBackend.clear_instance()
    activate_matplotlib(INLINE_BACKEND)
    configure_inline_support(shell, INLINE_BACKEND)
    return shell


def _stop_shell(shell) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close("all")
        from matplotlib_inline.config import InlineBackend

        InlineBackend.clear_instance()
    except ImportError:  # pragma: no cover
        pass
    shell.clear_instance()


def warm_up() -> None:
    """Start a shell before a sweep forks its workers and keep it, unused, for the next notebook
    this process runs: IPython imports most of its core (magics, completer, inspector, ...) when
    the first shell starts, and the inline backend is loaded. Each forked worker gets its own copy
    of that untouched shell and starts its notebook in it, as in a shell of its own (~0.01 s a
    report); a process that runs several notebooks starts a new shell for each after the first."""
    if not _spare:
        _spare.append(_start_shell())


class InProcessEngine(Engine):
    """papermill engine: ``papermill.execute_notebook(..., engine_name="xxgk")``."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, execution_timeout=None,
                                 allow_errors=False, **kwargs):
        shell = _start_shell()
        old_mpl_env = os.environ.get("MPLBACKEND")
        os.environ["MPLBACKEND"] = INLINE_BACKEND   # as in a kernel; seen by code that reads it
        try:
            nb_man.nb.metadata["language_info"] = dict(LANGUAGE_INFO)
            for index, cell in enumerate(nb_man.nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue
                    failed = cls._run_cell(shell, cell, execution_timeout, log_output)
                    if failed and not (allow_errors or "raises-exception" in cell.metadata.get("tags", [])):
                        nb_man.cell_exception(cell, cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(cell, cell_index=index)
        finally:
            if old_mpl_env is None:
                os.environ.pop("MPLBACKEND", None)
            else:
                os.environ["MPLBACKEND"] = old_mpl_env
            _stop_shell(shell)
        return nb_man.nb

    @staticmethod
    def _run_cell(shell, cell, execution_timeout, log_output) -> bool:
        """Run one code cell; its outputs go into the cell. True if it raised."""
        shell.outputs = _Outputs()
        shell.display_ids = {}
        cell.outputs = shell.outputs.items
        cell.execution_count = shell.cell_execution_count = shell.execution_count
        with _redirected(shell), _alarm(execution_timeout):
            result = shell.run_cell(cell.source, store_history=True)
        cell.outputs = shell.outputs.items
        if log_output:
            for out in cell.outputs:
                if out.output_type == "stream":
                    (sys.stdout if out.name == "stdout" else sys.stderr).write(out.text)
        return not result.success

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        return name or nb.metadata.get("kernelspec", {}).get("name") or "python3"

    @classmethod
    def nb_language(cls, nb, language=None):
        return language or nb.metadata.get("kernelspec", {}).get("language") or "python"
