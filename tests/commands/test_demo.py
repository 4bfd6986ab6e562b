"""`xxgk demo` sweeps with the demo definition exactly as `xxgk sweep demo` does."""
from __future__ import annotations

from helpers.cli import build_parser
from helpers.commands import demo
from helpers.commands.sweep import options_from


def _both(*options):
    parser = build_parser()
    return (demo.sweep_options(parser.parse_args(["demo", *options])),
            options_from(parser.parse_args(["sweep", "demo", *options])))


def test_demo_options_are_those_of_the_demo_sweep():
    for options in ((), ("--no-pdf", "--workers", "1", "--out", "elsewhere")):
        ours, sweeps = _both(*options)
        assert ours == sweeps


def test_every_key_of_the_demo_definition_applies(tmp_path, monkeypatch):
    (tmp_path / "params" / "sweeps").mkdir(parents=True)
    (tmp_path / "params" / "sweeps" / "demo.yaml").write_text(
        "agencies: [qianjindao, demo-0002]\nworkers: 1\nyears: 2023\npdf: false\nout: site\n", encoding="utf-8")
    monkeypatch.setenv("XXGK_ROOT", str(tmp_path))
    ours, sweeps = _both()
    assert ours == sweeps
    assert (ours.agencies, ours.workers, ours.years, ours.render.pdf) == (["qianjindao", "demo-0002"], 1, {2023}, False)
    assert ours.out_dir == tmp_path / "site"
