"""Every command the README shows works as written right after `make demo`: the commands (and the
Python examples) are read from the README itself and run, in order, in a copy of the project
(XXGK_ROOT) that `xxgk demo` (what `make demo` runs) has just filled."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.config import project_root

ROOT = project_root()
README = ROOT / "README.md"
# README lines run by something else: CI runs `make test`, this test what `make demo` runs,
# tests/render/test_lab.py runs `make lab`.
ELSEWHERE = {"make demo", "make test", "make lab"}


def readme_commands() -> list[str]:
    """The command of every line of the README's ```sh blocks, in order, comments removed."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)
    lines = (re.sub(r"\s+#\s.*$", "", line).strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line]


def readme_python() -> list[str]:
    """The README's ```python examples."""
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)


def test_the_readme_shows_commands_and_make_demo_is_xxgk_demo():
    commands = readme_commands()
    assert {c for c in commands if c.startswith("make ")} == ELSEWHERE
    assert sum(c.startswith(".venv/bin/") for c in commands) >= 10
    recipe = re.search(r"^demo: venv\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert recipe.strip() == "$(BIN)/xxgk demo"


def _project_copy(tmp_path: Path) -> Path:
    """A project folder as a fresh checkout has it: the code and the bundled data (linked), its own
    params/, no store, no outputs."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    for name in (".venv", "notebooks", "src"):
        (root / name).symlink_to(ROOT / name)
    (root / "data" / "samples").symlink_to(ROOT / "data" / "samples")
    shutil.copytree(ROOT / "params", root / "params")
    for written in (root / "params" / "narratives").iterdir():   # narrative files someone wrote here
        if written.is_dir():
            shutil.rmtree(written)
    return root


@pytest.mark.slow
def test_every_readme_command_works_as_written_after_make_demo(tmp_path):
    root = _project_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("XXGK_DB", "XXGK_ROOT")}
    env["XXGK_ROOT"] = str(root)

    def run(command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True,
                              timeout=900)

    demo = run(".venv/bin/xxgk demo")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    for command in readme_commands():
        if command in ELSEWHERE:
            continue
        res = run(command)
        assert res.returncode == 0, f"{command}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    for example in readme_python():        # the Python examples, in the same project
        res = run(".venv/bin/python -c " + shlex.quote(example))
        assert res.returncode == 0, f"{example}\n{res.stderr[-3000:]}"
    for made in ("huaian.csv", "huaian.json", "填报模板.xlsx", "params/narratives/huaian/2025.md",
                 "outputs/2024/huaian/report.html", "outputs/huaian-2024.ipynb", "outputs/index.html"):
        assert (root / made).is_file(), made
