"""Bad input never costs unbounded memory, a traceback or a batch (issue 12, items 6-10).

Each hostile file is made here, small, and each command runs in a process of its own so that its
peak memory can be measured (hostile_files.measure). The figures the issue reported for the code
before the bounds are in the comments."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import limits
from helpers.cli import main
from helpers.config import project_root, samples_dir
from helpers.format import schema
from helpers.store import Store
from helpers.synth.hostile import pdf_bomb, pdf_with_pages, xlsx_with_rows, yaml_alias_bomb

XXGK = str(Path(sys.executable).with_name("xxgk"))
SAMPLES = samples_dir()
HUAIAN = SAMPLES / "huaian-2024.expected.csv"


MEASURE = """
import json, sys, time
from helpers.cli import main
t0 = time.perf_counter()
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
# VmHWM, the peak of this program's own memory (ru_maxrss would count the forking parent's too)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"status": status, "seconds": round(time.perf_counter() - t0, 2),
                  "maxrss_mb": round(peak / 1024, 1)}), file=sys.stderr)
"""


def measure(args: list[str], *, env=None, timeout: float = 120) -> tuple[dict, str]:
    """Run `xxgk ARGS` in a process of its own; (status, seconds, peak memory in MB), and its
    standard error without the measurement. A run past `timeout` counts as failed."""
    try:
        res = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True,
                             timeout=timeout, env=env, cwd=project_root())
    except subprocess.TimeoutExpired:
        return {"status": None, "seconds": timeout, "maxrss_mb": None}, "timeout"
    lines = res.stderr.rstrip().splitlines()
    try:
        figures = json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"status": res.returncode, "seconds": None, "maxrss_mb": None}, res.stderr
    return figures, "\n".join(lines[:-1])


def project(tmp_path: Path, agencies_yaml: str | bytes | None = None) -> dict:
    """An environment whose project root (params/) is a fresh folder."""
    root = tmp_path / "project"
    (root / "params").mkdir(parents=True)
    if agencies_yaml is not None:
        path = root / "params" / "agencies.yaml"
        if isinstance(agencies_yaml, bytes):
            path.write_bytes(agencies_yaml)
        else:
            path.write_text(agencies_yaml, encoding="utf-8")
    return dict(os.environ, XXGK_ROOT=str(root), XXGK_DB=f"sqlite:///{tmp_path / 'x.sqlite'}")


# --- item 6: bounds before the work -----------------------------------------------------------
def test_pdf_decompression_bomb_is_refused_within_bounded_memory(tmp_path):
    # before: 2.15 GB RSS for this file
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bomb(1 << 30))
    assert bomb.stat().st_size < 2 * limits.MB
    figures, err = measure(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(bomb)], timeout=60)
    assert figures["status"] == 1, err
    assert "解压后超过" in err and "bomb.pdf" in err and "Traceback" not in err
    assert figures["maxrss_mb"] < 400, figures


def test_pdf_of_504_pages_is_refused_before_its_pages_are_read(tmp_path):
    # before: 54 s and 659 MB before it was refused
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_with_pages(504))
    figures, err = measure(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(pdf)], timeout=60)
    assert figures["status"] == 1 and "504 页" in err and f"{limits.PDF_PAGES} 页" in err, err
    assert figures["seconds"] < 10 and figures["maxrss_mb"] < 250, figures


def test_million_row_spreadsheet_is_refused_while_streaming(tmp_path):
    # before: refused after 20 s and 559 MB
    template = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(template)]) == 0
    big = xlsx_with_rows(template, tmp_path / "big.xlsx", 1_000_000)
    figures, err = measure(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(big)], timeout=60)
    assert figures["status"] == 1 and "行" in err and str(limits.XLSX_SHEET_ROWS) in err, err
    assert figures["seconds"] < 10 and figures["maxrss_mb"] < 250, figures


def test_yaml_alias_bomb_is_refused_at_once(tmp_path):
    # before: every `xxgk import` hung reading params/agencies.yaml
    env = project(tmp_path, yaml_alias_bomb())
    res = subprocess.run([XXGK, "import", str(HUAIAN)], env=env, capture_output=True, text=True, timeout=30)
    assert res.returncode == 2 and "别名" in res.stderr and "agencies.yaml" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("text, message", [
    ("agencies:\n  - id: a\n    name: A\n    name: B\n", "重复"),                 # duplicate key: last won
    ("agencies:\n  - id: a\n    name: {x: 1}\n", "应为文字"),                     # a mapping reached SQL
    ("agencies:\n  - id: a\n    name: [A, B]\n", "应为文字"),
    ("agencies:\n\t- id: a\n\t  name: A\n", "Tab"),                                # tab-indented
    ("agencies:\n  - id: a\n    name: &n A\n  - id: b\n    name: *n\n", "别名"),
    ("agencies: x\n", "机构列表"),
])
def test_agencies_yaml_must_be_plain_text_values(tmp_path, text, message):
    env = project(tmp_path, text)
    res = subprocess.run([XXGK, "agencies", "--sync"], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and message in res.stderr and "agencies.yaml" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


def test_gbk_agencies_yaml_is_named_not_a_traceback(tmp_path):
    env = project(tmp_path, "agencies:\n  - id: a\n    name: 淮安市\n".encode("gbk"))
    res = subprocess.run([XXGK, "agencies", "--sync"], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "UTF-8" in res.stderr and "agencies.yaml:3" in res.stderr, res.stderr


def test_sweep_years_are_checked_before_a_range_is_made(tmp_path):
    # before: `--years 1-999999999 --dry-run` reached 17.7 GB
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["--db", db, "import", str(HUAIAN)]) == 0
    figures, err = measure(["--db", db, "sweep", "--years", "1-999999999", "--dry-run", "--out", str(tmp_path / "o")])
    assert figures["status"] == 2 and "年度" in err and str(schema.FIRST_YEAR) in err, err
    assert figures["maxrss_mb"] < 250 and figures["seconds"] < 10, figures
    for years in ("2024-2021", "-5", "2021-99999"):
        assert main(["--db", db, "sweep", "--years", years, "--dry-run", "--out", str(tmp_path / "o")]) == 2


# --- item 7: counts the renderer cannot handle ----------------------------------------------------
@pytest.mark.parametrize("value", ["9" * 20, "9" * 5000, "1000000001"])
def test_huge_counts_are_refused_at_import_naming_the_cell(tmp_path, value, capsys):
    text = HUAIAN.read_text(encoding="utf-8")
    bad = tmp_path / "huge.csv"
    bad.write_text(text.replace("t3,new_received,natural_person,3001", f"t3,new_received,natural_person,{value}"),
                   encoding="utf-8")
    assert f"t3,new_received,natural_person,{value}\n" in bad.read_text(encoding="utf-8")
    assert main(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "huge.csv:12" in err and "表三 · new_received · natural_person" in err and "超过上限" in err
    assert "Traceback" not in err
    assert len(err) < 2000                       # the 5000 digits are not echoed
    assert Store(f"sqlite:///{tmp_path / 'x.sqlite'}").report_keys() == []


def test_1e308_in_the_spreadsheet_is_refused_naming_the_cell(tmp_path, capsys):
    from openpyxl import load_workbook

    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["--db", db, "import", str(HUAIAN)]) == 0
    filled = tmp_path / "filled.xlsx"
    assert main(["--db", db, "template", "-o", str(filled), "--agency", "huaian", "--year", "2024",
                 "--prefill"]) == 0
    wb = load_workbook(filled)
    ws = wb["表二"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value == 1)
    cell.value = 1e308
    wb.save(filled)
    assert main(["--db", db, "import", "--replace", str(filled)]) == 1
    err = capsys.readouterr().err
    assert f"表二!{cell.coordinate}" in err and "超过上限" in err, err


# --- item 8: a folder import goes on -----------------------------------------------------------
def test_folder_import_goes_on_past_a_file_that_breaks_a_reader(tmp_path, monkeypatch, capsys):
    """A reader failing with an error that is not an input error (a bug, a library's surprise)
    costs that file only: the others are imported and the summary is printed."""
    from helpers.importers import text as text_reader

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a-huaian-2024.expected.csv", "b-report.txt", "c-shuyang-2025.expected.csv"):
        src = SAMPLES / (name[2:] if name.endswith(".csv") else "qianjindao-2023.txt")
        shutil.copy(src, folder / name)

    def broken(path, **kw):
        raise RuntimeError("reader bug")
    monkeypatch.setattr(text_reader, "read", broken)
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["--db", db, "import", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "b-report.txt" in err and "RuntimeError" in err and "程序错误" in err
    assert "2 个文件已导入，1 个失败" in out
    assert sorted(Store(db).report_keys()) == [("huaian", 2024), ("shuyang", 2025)]


# --- item 9: the machine's errors are messages ------------------------------------------------
def test_locked_database_during_import_is_a_message_and_the_batch_goes_on(tmp_path):
    import sqlite3

    path = tmp_path / "x.sqlite"
    db = f"sqlite:///{path}"
    Store(db)                                       # the tables
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")               # another writer, in the middle of its work
    holder.execute("INSERT INTO agencies (id, name, level, region, address, postcode, telephone)"
                   " VALUES ('x', 'x', '', '', '', '', '')")
    try:
        res = subprocess.run([XXGK, "--db", db, "import", str(HUAIAN), str(SAMPLES / "shuyang-2025.expected.csv")],
                             env=dict(os.environ, XXGK_DB_BUSY_SECONDS="1"), capture_output=True, text=True,
                             timeout=60)
    finally:
        holder.rollback()
        holder.close()
    assert res.returncode == 1, res.stderr
    assert res.stderr.count("正被另一个程序写入") == 2 and str(path) in res.stderr, res.stderr
    assert "SQL" not in res.stderr and "Traceback" not in res.stderr
    assert "0 个文件已导入，2 个失败" in res.stdout


def test_locked_database_during_a_sweep_is_a_message(tmp_path):
    """A writer holding the store (SQLite's exclusive lock, as during another import's commit):
    the sweep says which database and what to do, no raw SQL."""
    import sqlite3

    path = tmp_path / "x.sqlite"
    db = f"sqlite:///{path}"
    assert main(["--db", db, "import", str(HUAIAN)]) == 0
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = subprocess.run([XXGK, "--db", db, "sweep", "--out", str(tmp_path / "out"), "--no-pdf", "-q"],
                             env=dict(os.environ, XXGK_DB_BUSY_SECONDS="1"), capture_output=True, text=True,
                             timeout=120)
    finally:
        holder.rollback()
        holder.close()
    assert res.returncode == 2 and "正被另一个程序写入" in res.stderr and str(path) in res.stderr, res.stderr
    assert "SQL" not in res.stderr and "Traceback" not in res.stderr


def test_a_file_that_is_no_database_at_the_store_path(tmp_path, capsys):
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    assert main(["--db", f"sqlite:///{path}", "agencies"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "不是 SQLite 数据库" in err and "SQL:" not in err


def test_out_and_output_pointing_at_the_wrong_kind_of_thing(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["--db", db, "import", str(HUAIAN)]) == 0
    capsys.readouterr()
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for command in (["sweep", "--out", str(a_file), "--no-pdf", "-q"],
                    ["run", "--agency", "huaian", "--year", "2024", "--out", str(a_file)]):
        assert main(["--db", db, *command]) == 2
        err = capsys.readouterr().err
        assert str(a_file) in err and "文件" in err and "目录" in err and "Traceback" not in err
    assert main(["--db", db, "export", "--agency", "huaian", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "是一个目录" in err and str(tmp_path) in err and "Traceback" not in err


def test_broken_pipe_ends_quietly(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["--db", db, "synth", "--agencies", "400", "--years", "2023"]) == 0
    proc = subprocess.Popen([XXGK, "--db", db, "agencies"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()          # the reader is gone before the first line (`| head -0`): every write fails
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert proc.returncode == 141


@pytest.mark.parametrize("content", ['[1, 2]', '{"version": 1, "reports": []}',
                                     '{"version": 1, "reports": {"2024/huaian": "x"}}', '"text"',
                                     '{"version": 1, "reports": {"2024/huaian": {"agency": 5, "year": "x"}}}'])
def test_an_old_manifest_of_another_shape_is_taken_as_none(tmp_path, content, capsys):
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["--db", db, "import", str(HUAIAN)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(content, encoding="utf-8")
    assert main(["--db", db, "sweep", "--out", str(out), "--dry-run"]) == 0
    assert "新报告" in capsys.readouterr().out


# --- item 10 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("year", ["99999", "-5", "1"])
def test_narrative_year_out_of_range_creates_nothing(tmp_path, year):
    env = project(tmp_path)
    subprocess.run([XXGK, "import", str(HUAIAN)], env=env, check=True, capture_output=True, timeout=60)
    res = subprocess.run([XXGK, "narrative", "--agency", "huaian", "--year", year], env=env, capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 2 and "2008" in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert not list((Path(env["XXGK_ROOT"]) / "params").rglob("*.md"))


@pytest.mark.parametrize("records, message", [
    ("  - id: a\n    name: A\n    parent_id: a\n", "a → a"),
    ("  - id: a\n    name: A\n    parent_id: b\n  - id: b\n    name: B\n    parent_id: a\n", "a → b → a"),
])
def test_parent_cycles_and_self_parents_are_refused(tmp_path, records, message):
    env = project(tmp_path, "agencies:\n" + records)
    res = subprocess.run([XXGK, "agencies", "--sync"], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "成环" in res.stderr and message in res.stderr, res.stderr
    assert Store(env["XXGK_DB"]).agencies() == []


def test_a_self_parent_through_the_templates_agency_sheet_is_refused(tmp_path, capsys):
    """The store refuses it whichever way the parent comes in: here the spreadsheet's agency
    sheet names the agency as its own parent."""
    from openpyxl import load_workbook

    from helpers.format.schema import Agency
    from helpers.xlsx import layout as xl

    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    store = Store(db)
    store.upsert_agencies([Agency("jiangsu", "江苏省人民政府")])
    filled = tmp_path / "filled.xlsx"
    assert main(["--db", db, "template", "-o", str(filled), "--agency", "jiangsu", "--year", "2024"]) == 0
    wb = load_workbook(filled)
    ws = wb[xl.SHEET_AGENCY]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == schema.AGENCY_FIELD_LABELS["parent_id"])
    ws.cell(row, 2).value = "jiangsu"
    wb.save(filled)
    assert main(["--db", db, "import", "--partial", str(filled)]) == 1
    assert "jiangsu → jiangsu" in capsys.readouterr().err
    assert store.agency("jiangsu").parent_id is None and store.report_keys() == []


def test_password_protected_spreadsheet_is_named_as_such(tmp_path, capsys):
    from msoffcrypto.format.ooxml import OOXMLFile

    template = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(template)]) == 0
    locked = tmp_path / "locked.xlsx"
    with open(template, "rb") as src, open(locked, "wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    assert main(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(locked)]) == 1
    err = capsys.readouterr().err
    assert "密码" in err and "旧版" not in err


@pytest.mark.slow
def test_control_characters_never_reach_an_html_page_or_the_word_document(tmp_path, capsys):
    from helpers import importers
    from helpers.format.schema import Agency
    from helpers.sweep.manifest import Manifest
    from helpers.sweep.site import write_site

    import zipfile

    controls = "\x1b\x07\x08\x0b\x0c\x00\x7f\x9b"        # ESC BEL BS VT FF NUL DEL CSI
    controls += "\u202e\u202d\u202b\u2066\u2067\u2068\u2069"  # bidi overrides, embeddings, isolates
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    rep = importers.read(HUAIAN)[0]
    rep.narrative = {"overview": f"总体{controls}情况良好。", "problems": f"问题{controls}。", "other": "无。"}
    Store(db).save_reports([rep], source="test", agencies=[Agency("huaian", f"淮安市{controls}人民政府")])
    assert main(["--db", db, "run", "--agency", "huaian", "--year", "2024", "--out", str(tmp_path / "out"),
                 "--draft", "--no-pdf"]) == 0
    html = (tmp_path / "out" / "2024" / "huaian" / "report.html").read_text(encoding="utf-8")
    assert "总体" in html and "淮安市" in html
    assert not [c for c in controls if c in html]
    with zipfile.ZipFile(tmp_path / "out" / "2024" / "huaian" / "report.docx") as docx:
        word = docx.read("word/document.xml").decode("utf-8")
    assert "总体" in word and not [c for c in controls if c in word]
    m = Manifest(tmp_path / "site")
    m.put(dict(agency="huaian", year=2024, status="failed", result="failed", error=f"出错{controls}"))
    index, _ = write_site(m, {"huaian": Store(db).agency("huaian")})
    text = index.read_text(encoding="utf-8")
    assert "淮安市" in text and not [c for c in controls if c in text]


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_text_longer_than_any_report_is_refused_before_it_is_read(tmp_path, capsys, suffix, samples_dir):
    """A converter's text is read in time linear in its length; a crafted one of 50 MB (the size
    bound of any file) would take minutes. The text of a report is some 30 000 characters: beyond
    limits.REPORT_CHARS the file is refused with a message, before any table is looked for."""
    from helpers import limits
    row = "| | 8.属于行政查询事项 | 121 | 0 0 | 0 | 0 |\n不适用\n"
    body = row * (limits.REPORT_CHARS // len(row) + 1)
    path = tmp_path / f"long-2023{suffix}"
    path.write_text(body if suffix == ".md" else f"<html><body><pre>{body}</pre></body></html>", encoding="utf-8")
    assert main(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(path), "--partial"]) == 1
    err = capsys.readouterr().err
    assert "超过上限" in err and "text too long" in err and str(path) in err and "Traceback" not in err
    # a report's own text is far below the bound
    texts = [p for p in samples_dir.iterdir() if p.suffix in (".txt", ".md", ".html")]
    assert texts and all(len(p.read_text(encoding="utf-8")) < limits.REPORT_CHARS // 20 for p in texts)
