"""What the sweep's parent loads before it forks (sweep.worker.preload): everything a report
needs, warmed up, and for a sweep of annual reports only, not the roll-ups' pandas."""
from __future__ import annotations

import subprocess
import sys

import pytest

CODE = """
import sys
from helpers.sweep import worker
worker.preload(rollups={rollups})
from helpers.render.export import html
print("pandas" in sys.modules, "helpers.rollup.context" in sys.modules,
      "weasyprint" in sys.modules, html.html_exporter.cache_info().currsize)
"""


@pytest.mark.slow
@pytest.mark.parametrize("rollups", [False, True])
def test_preload_warms_the_exporters_and_loads_pandas_only_for_rollups(rollups):
    out = subprocess.run([sys.executable, "-c", CODE.format(rollups=rollups)], capture_output=True, text=True,
                         check=True).stdout.split()
    # the warm-up made both exporters a report uses (the page and the print), pandas only with roll-ups
    assert out == [str(rollups), str(rollups), "True", "2"]
