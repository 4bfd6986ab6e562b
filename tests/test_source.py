"""The package's source: every name it uses is defined (a NameError waits for the one input that
reaches the line: a leading comment longer than 4 KB once did)."""
from pathlib import Path

from pyflakes import api, messages
from pyflakes.reporter import Reporter

import helpers

PACKAGE = Path(helpers.__file__).parent


class _Collect(Reporter):
    def __init__(self):
        self.found = []

    def flake(self, message):
        self.found.append(message)

    def syntaxError(self, filename, msg, lineno, offset, text):
        self.found.append(f"{filename}:{lineno}: {msg}")

    def unexpectedError(self, filename, msg):
        self.found.append(f"{filename}: {msg}")


def test_no_undefined_names_in_the_package():
    rep = _Collect()
    api.checkRecursive([str(PACKAGE)], rep)
    bad = [str(m) for m in rep.found if not isinstance(m, (messages.UnusedImport, messages.RedefinedWhileUnused))]
    assert not bad, bad
