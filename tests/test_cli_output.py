"""The output side of the command line: -o for every format, --version, init, --lang,
Vietnamese argparse messages, exit codes in --help, colour and width."""
from __future__ import annotations

import io
import json
import os

import pytest

from auditor.cli import main

BAC = "corpora/reports/bac-son-2024-h1.txt"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    yield
    from auditor.i18n import set_lang

    set_lang("vi")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["rich", "json", "jsonl", "markdown", "html", "docx", "xlsx"])
def test_output_file_for_every_format(tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    code, out, err = run("audit", BAC, "--format", fmt, "-o", str(target))
    assert code == 1, err
    assert out == ""
    data = target.read_bytes()
    assert len(data) > 500
    if fmt in ("docx", "xlsx"):
        assert data[:2] == b"PK"
    if fmt == "json":
        assert json.loads(data)["schema"] == "auditor/findings@1"


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_binary_formats_need_output(fmt):
    code, out, err = run("audit", BAC, "--format", fmt)
    assert code == 2 and out == ""
    assert "cần -o/--output" in err


def test_version():
    from auditor import __version__

    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"auditor {__version__}"


def test_help_is_vietnamese_with_exit_codes_and_defaults():
    code, out, _ = run("audit", "--help")
    out = " ".join(out.split(" "))
    flat = " ".join(out.split())
    assert code == 0
    assert out.startswith("cách dùng:")
    assert "mã thoát:" in out and "3  có tệp không đọc được" in out
    assert "(mặc định: rich)" in flat and "tùy chọn:" in out
    assert "show this help" not in out and "usage:" not in out


def test_help_in_english():
    code, out, _ = run("--lang", "en", "audit", "--help")
    assert code == 0 and out.startswith("usage:") and "exit codes:" in out


def test_argparse_errors_in_vietnamese():
    code, _, err = run("audit", BAC, "--format", "pdf")
    assert code == 2
    assert "lựa chọn không hợp lệ" in err and "invalid choice" not in err
    code, _, err = run("audit")
    assert code == 2 and "thiếu tham số bắt buộc" in err
    code, _, err = run("audit", BAC, "--format", "pdf", "--lang", "en")
    assert code == 2 and "invalid choice" in err


def test_init_writes_commented_config_that_loads(tmp_path):
    import tomllib

    target = tmp_path / "auditor.toml"
    code, out, _ = run("init", str(target))
    assert code == 0 and target.exists()
    text = target.read_text(encoding="utf-8")
    assert text.count("#") > 10
    conf = tomllib.loads(text)
    assert conf["select"] == ["AUD"] and conf["fail-on"] == "error" and conf["review"]["include-warnings"] is True
    assert run("init", str(target))[0] == 2  # no overwrite without --force
    assert run("init", str(target), "--force")[0] == 0
    code, _, _ = run("audit", BAC, "--format", "json", "--config", str(target))
    assert code == 1


def test_review_details_from_config(tmp_path):
    import docx

    conf = tmp_path / "auditor.toml"
    conf.write_text('[review]\nreviewer = "Trần Văn Bình"\noffice = "Phòng Nội vụ huyện X"\ndeadline = "1/8/2024"\n',
                    encoding="utf-8")
    target = tmp_path / "r.docx"
    assert run("audit", BAC, "--format", "docx", "-o", str(target), "--config", str(conf))[0] == 1
    d = docx.Document(str(target))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert "Trần Văn Bình" in text and "1/8/2024" in text and "Phòng Nội vụ huyện X" in text


def test_color_and_width(monkeypatch):
    _, plain, _ = run("audit", BAC)
    assert "\x1b[" not in plain
    _, colored, _ = run("audit", BAC, "--color", "always")
    assert "\x1b[" in colored
    monkeypatch.setenv("NO_COLOR", "1")
    _, nocolor, _ = run("audit", BAC, "--color", "auto")
    assert "\x1b[" not in nocolor
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("COLUMNS", "72")
    _, narrow, _ = run("audit", BAC)
    assert max(len(line) for line in narrow.splitlines()) <= 72
    monkeypatch.setenv("COLUMNS", "160")
    _, wide, _ = run("audit", BAC)
    assert max(len(line) for line in wide.splitlines()) > 100


def test_batch_json_array_and_jsonl_stream(tmp_path):
    code, out, _ = run("audit", "corpora/reports", "--format", "json")
    assert code == 1 and len(json.loads(out)) == 3
    code, out, _ = run("audit", "corpora/reports", "--format", "jsonl")
    lines = out.strip().split("\n")
    assert len(lines) == 3 and all(json.loads(x)["schema"] == "auditor/findings@1" for x in lines)


def test_batch_rich_starts_with_summary():
    code, out, _ = run("audit", "corpora/reports", "/no/such/file.pdf")
    assert code == 3
    assert out.lstrip().startswith("Tổng hợp kết quả kiểm tra 4 báo cáo")
    assert "Không đọc được" in out
