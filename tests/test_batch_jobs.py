"""Batch runs in worker processes (auditor/runner.py): --jobs N gives the same output as
--jobs 1, a file past --timeout is stopped and reported while the others are audited, a
crashing file costs only itself, jsonl streams, Ctrl-C keeps what jsonl already wrote.

Hangs and crashes are simulated by tests/batch_hooks.py (test-only; workers are forked
from the test process and inherit its patched per-file function)."""
import io
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys

import pytest

from auditor.cli import main
from tests import batch_hooks
from tests.conftest import CORPORA, ROOT


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Reports in every format the corpora hold: txt, md, docx, docx + xlsx appendix, html."""
    d = tmp_path_factory.mktemp("batch")
    for p in sorted((CORPORA / "blind7" / "reports").iterdir()):
        shutil.copy(p, d / p.name)
    shutil.copy(CORPORA / "reports" / "bac-son-2024-h1.txt", d / "bac-son-2024-h1.txt")
    return d


@pytest.fixture()
def faulty(tmp_path, monkeypatch):
    """A small folder and a way to name the files that hang, raise or kill their worker."""
    for name in ("a-bac-son.txt", "b-tho-xuong.txt", "c-cat-thanh.txt"):
        src = {"a": "bac-son-2024-h1", "b": "tho-xuong-2024-h1", "c": "cat-thanh-2024-q3"}[name[0]]
        shutil.copy(CORPORA / "reports" / f"{src}.txt", tmp_path / name)
    batch_hooks.install(monkeypatch)

    def with_faults(*faults):  # "hang:a-bac-son.txt", "raise:…", "die:…"
        monkeypatch.setenv(batch_hooks.ENV, ",".join(faults))
        return tmp_path

    return with_faults


def test_jobs_2_gives_the_same_output_in_the_same_order(folder):
    code1, json1, err1 = run("audit", str(folder), "--format", "json", "--jobs", "1")
    code2, json2, err2 = run("audit", str(folder), "--format", "json", "--jobs", "2")
    assert json1 == json2 and (code1, err1) == (code2, err2)
    docs = json.loads(json1)
    paths = [d["source"]["path"] for d in docs]
    assert paths == sorted(paths) and len(docs) == 7  # the .xlsx goes with its report
    assert {d["source"]["format"] for d in docs} >= {"txt", "md", "docx", "html"}
    assert any("appendix" in d["source"] for d in docs) and all("findings" in d for d in docs)
    # the views written at the end (rich, markdown, docx …) get the reports in input order too
    assert run("audit", str(folder), "-j", "1")[1] == run("audit", str(folder), "-j", "2")[1]


def test_jobs_and_timeout_from_the_config(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text("jobs = 2\ntimeout = 60\n", encoding="utf-8")
    code, out, _ = run("audit", str(folder), "--format", "json")
    assert code == 1 and len(json.loads(out)) == 7
    for bad in ("jobs = 0\n", "jobs = true\n", 'timeout = "1"\n', "timeout = -1\n"):
        (tmp_path / "auditor.toml").write_text(bad, encoding="utf-8")
        assert run("audit", str(folder), "--format", "json")[0] == 2, bad
    assert run("audit", str(folder), "--jobs", "0")[0] == 2
    assert run("audit", str(folder), "--timeout", "soon")[0] == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_hangs_is_stopped_and_the_others_are_audited(faulty, jobs):
    folder = faulty("hang:a-bac-son.txt")
    # 8 s: far above a normal audit even on a loaded machine; the hanging file never ends
    code, out, err = run("audit", str(folder), "--format", "json", "--timeout", "8", "--jobs", jobs)
    docs = json.loads(out)
    assert [os.path.basename(d["source"]["path"]) for d in docs] == ["a-bac-son.txt", "b-tho-xuong.txt",
                                                                    "c-cat-thanh.txt"]
    hung, *rest = docs
    assert "findings" not in hung and "a-bac-son.txt" in hung["error"]
    assert "giới hạn thời gian 8 giây" in hung["error"]
    assert all("findings" in d for d in rest)
    assert code == 3 and "a-bac-son.txt" in err and "Traceback" not in err
    assert multiprocessing.active_children() == []  # the hung worker was killed, none left


def test_the_time_limit_message_in_english(faulty):
    folder = faulty("hang:b-tho-xuong.txt")
    code, out, err = run("audit", str(folder), "--format", "json", "--timeout", "0.5", "--lang", "en")
    hung = json.loads(out)[1]
    assert code == 3 and hung["error"].startswith("auditing ") and "b-tho-xuong.txt" in hung["error"]
    assert "time limit of 0.5 s" in hung["error"]


def test_a_crashing_file_is_reported_and_the_others_succeed(faulty):
    # "raise": an exception inside the audit; "die": the worker process is killed (a crash
    # in native code) and must be replaced for the files after it, with one worker.
    folder = faulty("die:a-bac-son.txt", "raise:b-tho-xuong.txt")
    code, out, err = run("audit", str(folder), "--format", "json", "--jobs", "1")
    died, raised, ok = json.loads(out)
    assert "a-bac-son.txt" in died["error"] and "SIGKILL" in died["error"]
    assert "internal error" in raised["error"] and "RuntimeError" in raised["error"]
    assert ok["findings"] is not None and ok["summary"]
    assert code == 3 and "Traceback" not in err


def test_jsonl_streams_each_file_as_it_finishes(faulty):
    # The first file hangs until the limit; with two workers the others finish first and
    # are written before it, one line each, while json keeps the input order.
    folder = faulty("hang:a-bac-son.txt")
    code, out, _ = run("audit", str(folder), "--format", "jsonl", "--timeout", "8", "--jobs", "2")
    lines = out.splitlines()
    names = [os.path.basename(json.loads(x)["source"]["path"]) for x in lines]
    assert names[-1] == "a-bac-son.txt" and sorted(names[:2]) == ["b-tho-xuong.txt", "c-cat-thanh.txt"]
    assert code == 3


def test_ctrl_c_keeps_the_jsonl_lines_already_written(faulty):
    # b prints to stdout inside its worker: the jsonl lines on stdout stay clean
    folder = faulty("noisy:b-tho-xuong.txt", "hang:c-cat-thanh.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.batch_hooks", "audit", str(folder), "--format", "jsonl",
                             "--timeout", "0"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = [proc.stdout.readline(), proc.stdout.readline()]  # a and b are done; c hangs
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err
    assert [os.path.basename(json.loads(x)["source"]["path"]) for x in first] == ["a-bac-son.txt",
                                                                                 "b-tho-xuong.txt"]
    assert rest == ""
