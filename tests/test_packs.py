"""Knowledge packs: built-in ones valid, a user's pack extends them (--packs, packs = [...]),
and a pack that cannot be used is a clear error naming the file and the entry (exit 2)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import packs

ROOT = Path(__file__).resolve().parents[1]
REPORT = ("Trong kỳ, UBND xã đã thụ lý 598 hồ sơ.\n\n"
          "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n1\tTổng số hồ sơ TTHC đã tiếp nhận\tHồ sơ\t590\n")


@pytest.fixture
def user_packs(tmp_path):
    """A folder for user packs; the built-in packs alone again after the test."""
    folder = tmp_path / "packs"
    folder.mkdir()
    yield folder
    packs.use([])


def _audit(tmp_path, *args, cwd=None):
    report = tmp_path / "bao-cao.txt"
    report.write_text(REPORT, encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "auditor", "audit", str(report), "--format", "json", *args],
                       capture_output=True, text=True, cwd=cwd or ROOT,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return p.returncode, p.stdout, p.stderr


def test_the_built_in_packs_are_valid_and_list_each_identity_once():
    packs.use([])
    names = [i["name"] for i in packs.load_pack("identities")["identities"]]
    assert len(names) == len(set(names))


def test_a_user_synonym_changes_a_finding(tmp_path, user_packs):
    (user_packs / "concepts.yaml").write_text("synonyms:\n  thụ lý: tiếp nhận\n", encoding="utf-8")
    _, out, _ = _audit(tmp_path)
    assert json.loads(out)["findings"] == []  # "thụ lý" is no phrase of the built-in lexicon
    rc, out, _ = _audit(tmp_path, "--packs", str(user_packs))
    found = json.loads(out)["findings"]
    assert [f["rule"] for f in found] == ["AUD101"] and "598" in found[0]["message"] and "590" in found[0]["message"]


def test_packs_from_the_config_file(tmp_path, user_packs):
    (user_packs / "concepts.yaml").write_text("synonyms:\n  thụ lý: tiếp nhận\n", encoding="utf-8")
    (tmp_path / "auditor.toml").write_text(f'packs = ["{user_packs}"]\n', encoding="utf-8")
    _, out, _ = _audit(tmp_path, cwd=tmp_path)
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["AUD101"]


@pytest.mark.parametrize("name, text, says", [
    ("identities.yaml", "bounds:\n  - {part: files.recieved.online, whole: files.received}\n",
     ["identities.yaml", "bounds[0]", "files.recieved.online"]),
    ("identities.yaml", "identities:\n  - {name: identity.pending-by-deadline, total: files.pending, "
                        "parts: [files.pending.within, files.pending.overdue]}\n",
     ["identity.pending-by-deadline", "hai lần"]),
    ("concepts.yaml", "concepts:\n  files.thu_ly:\n    name: Hồ sơ thụ lý\n    unit: bộ giấy\n    all: [[thụ lý]]\n",
     ["concepts.yaml", "concepts.files.thu_ly", "bộ giấy"]),
    ("scopes.yaml", "scopes:\n  target:\n    before: ['(chỉ tiêu']\n", ["scopes.yaml", "scopes.target.before"]),
    ("concepts.yaml", "concepts: [1, 2\n", ["concepts.yaml", "YAML"]),
])
def test_a_pack_that_cannot_be_used_is_a_usage_error_naming_file_and_entry(tmp_path, user_packs, name, text, says):
    (user_packs / name).write_text(text, encoding="utf-8")
    rc, out, err = _audit(tmp_path, "--packs", str(user_packs))
    assert rc == 2 and out == "" and "Traceback" not in err
    for s in says:
        assert s in err, err
    with pytest.raises(packs.PackError):
        packs.use([user_packs])
        packs.load_pack("concepts")


def test_packs_must_be_a_folder(tmp_path):
    rc, _, err = _audit(tmp_path, "--packs", str(tmp_path / "missing"))
    assert rc == 2 and "missing" in err
