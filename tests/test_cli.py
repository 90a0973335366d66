"""The command line end to end: JSON contract, exit codes, batch behaviour."""
import io
import json
import shutil
import subprocess
import sys

import pytest

from auditor.cli import main
from tests.conftest import CORPORA

BAC = str(CORPORA / "reports" / "bac-son-2024-h1.txt")
THO = str(CORPORA / "reports" / "tho-xuong-2024-h1.txt")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_contract_and_offsets():
    code, out, _ = run("audit", BAC, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["schema"] == "auditor/findings@1"
    assert doc["source"] == {"path": BAC, "format": "txt"}
    text = open(BAC, encoding="utf-8").read()
    assert doc["summary"]["error"] == sum(f["severity"] == "error" for f in doc["findings"])
    for f in doc["findings"]:
        assert f["severity"] in ("error", "warning", "info") and f["evidence"]
        for e in f["evidence"]:
            assert text[e["start"]:e["end"]] == e["text"]
            line = text.count("\n", 0, e["start"]) + 1
            col = e["start"] - (text.rfind("\n", 0, e["start"]) + 1) + 1
            assert (e["line"], e["column"]) == (line, col)
            assert e["where"] in ("narrative", "table", "header")


def test_exit_codes():
    assert run("audit", THO, "--format", "json")[0] == 0
    assert run("audit", BAC, "--format", "json", "--fail-on", "none")[0] == 0
    assert run("audit", THO, "--format", "json", "--fail-on", "info")[0] == 1
    assert run("audit", "--bogus")[0] == 2
    code, _, err = run("audit", "/nonexistent/report.txt")
    assert code == 3 and "/nonexistent/report.txt" in err


def test_batch_keeps_going_past_an_unreadable_file(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip at all")
    shutil.copy(THO, tmp_path / "tho.txt")
    code, out, err = run("audit", str(tmp_path), "--format", "json")
    docs = json.loads(out)
    assert isinstance(docs, list) and len(docs) == 2
    assert "error" in docs[0] and docs[0]["source"]["path"].endswith("broken.docx")
    assert docs[1]["findings"] is not None
    assert code == 3 and "broken.docx" in err


def test_text_numbers_tables_rules_commands():
    code, out, _ = run("text", BAC)
    assert code == 0 and out == open(BAC, encoding="utf-8").read()
    code, out, _ = run("numbers", BAC, "--format", "json")
    rows = json.loads(out)
    assert any(r["raw"] == "88/8" and r["kind"] == "fraction" for r in rows)
    code, out, _ = run("tables", BAC, "--format", "json")
    assert [t["kind"] for t in json.loads(out)] == ["results", "indicator"]
    code, out, _ = run("rules")
    assert "AUD201" in out
    code, out, _ = run("rule", "aud301")
    assert "## Ví dụ có lỗi" in out  # Vietnamese by default; tests/test_rule_docs.py: --lang en
    assert run("rule", "AUD999")[0] == 2


def test_rich_output_is_vietnamese_and_prints_each_finding_once():
    # issue 10: the panel and a second checklist printed every finding twice; now once.
    code, out, _ = run("audit", BAC)
    assert "LỖI" in out and "88/8" in out and "Danh sách cần kiểm tra" not in out


def test_baseline_accepts_known_findings(tmp_path):
    base = tmp_path / "baseline.json"
    run("audit", BAC, "--format", "json", "--write-baseline", str(base))
    code, out, _ = run("audit", BAC, "--format", "json", "--baseline", str(base))
    assert code == 0 and json.loads(out)["findings"] == []


def test_select_and_ignore():
    code, out, _ = run("audit", BAC, "--format", "json", "--select", "AUD3")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"AUD301"}
    code, out, _ = run("audit", BAC, "--format", "json", "--ignore", "AUD1,AUD2,AUD3")
    assert all(f["rule"].startswith("AUD4") for f in json.loads(out)["findings"])


def test_python_dash_m_entry_point():
    r = subprocess.run([sys.executable, "-m", "auditor", "audit", THO, "--format", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and json.loads(r.stdout)["schema"] == "auditor/findings@1"


def test_eval_command(corpora):
    code, out, _ = run("eval", str(corpora), "--format", "json")
    res = json.loads(out)
    assert code == 0 and res["recall"] == 1.0 and res["unmatched"] == 0


def test_configuration_file_select_fail_on_and_rule_options(tmp_path):
    conf = tmp_path / "auditor.toml"
    conf.write_text('select = ["AUD2"]\nfail-on = "warning"\n[rules.AUD203]\nextra_tolerance = 60\n',
                    encoding="utf-8")
    code, out, _ = run("audit", BAC, "--format", "json", "--config", str(conf))
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert rules and all(r.startswith("AUD2") for r in rules)
    # 100% against 15/30 = 50% is inside a 60-point tolerance: no rate error is left.
    assert not any(f["rule"] == "AUD203" and f["severity"] == "error" for f in json.loads(out)["findings"])
    assert code == 1
    conf.write_text('[rules.AUD203]\nno_such_option = 1\n', encoding="utf-8")
    assert run("audit", BAC, "--format", "json", "--config", str(conf))[0] == 2
    conf.write_text('fail-on = "sometimes"\n', encoding="utf-8")
    assert run("audit", BAC, "--config", str(conf))[0] == 2
    conf.write_text('this is not toml', encoding="utf-8")
    assert run("audit", BAC, "--config", str(conf))[0] == 2


def test_pyproject_tool_auditor_section(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\nignore = ["AUD4"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("audit", BAC, "--format", "json")
    assert not any(f["rule"].startswith("AUD4") for f in json.loads(out)["findings"])


@pytest.mark.parametrize("name, content", [
    ("empty.txt", b""),
    ("random.docx", bytes(range(256)) * 4),
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"),
    ("notes.odt", b"whatever"),
])
def test_unreadable_input_gives_one_line_and_exit_3(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run("audit", str(path), "--format", "json")
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in err


def test_directory_without_reports_and_missing_path(tmp_path):
    code, _, err = run("audit", str(tmp_path))
    assert code == 3 and str(tmp_path) in err
    code, _, err = run("text", str(tmp_path / "nope.docx"))
    assert code == 3 and "nope.docx" in err and len(err.strip().splitlines()) == 1


def test_decomposed_unicode_is_read_and_offsets_point_into_the_file(tmp_path):
    import unicodedata

    text = open(BAC, encoding="utf-8").read()
    nfd = unicodedata.normalize("NFD", text)
    path = tmp_path / "nfd.txt"
    path.write_text(nfd, encoding="utf-8")
    code, out, _ = run("audit", str(path), "--format", "json")
    doc = json.loads(out)
    _, out_nfc, _ = run("audit", BAC, "--format", "json")
    assert [f["rule"] for f in doc["findings"]] == [f["rule"] for f in json.loads(out_nfc)["findings"]]
    for f in doc["findings"]:
        for e in f["evidence"]:
            assert nfd[e["start"]:e["end"]] == e["text"]
