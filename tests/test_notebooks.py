"""The notebooks under notebooks/ run from top to bottom, on this interpreter.

The kernel is the interpreter running the tests: a "python3" kernelspec whose argv starts
with sys.executable is written to a temporary JUPYTER_PATH, which Jupyter searches before
the user's and the environment's kernel directories, so neither a stray user-level spec nor
a missing one in a fresh venv changes which Python runs the cells. Jupyter's runtime, data
and config dirs and IPython's dir also go to the temporary folder: nothing depends on, or
writes to, the home directory. Marked slow (about a minute) but part of the default run.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("jupyter")
    spec = base / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (test interpreter)",
        "language": "python",
    }), encoding="utf-8")
    env = {
        "JUPYTER_PATH": str(base),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "IPYTHONDIR": str(base / "ipython"),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(base / "matplotlib"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        yield base


def _run(nb, timeout=180):
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=timeout,
                                     resources={"metadata": {"path": str(NB_DIR)}})
    client.execute()
    return nb


def test_the_kernel_is_this_interpreter(kernel_env):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    out = _run(nb, timeout=60).cells[0].outputs[0]["text"].strip()
    assert Path(out).resolve() == Path(sys.executable).resolve()


def test_committed_notebooks_match_their_generator_and_hold_no_outputs():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_notebooks", NB_DIR / "build_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert [p.name for p in NOTEBOOKS] == sorted(mod.NOTEBOOKS)
    for path in NOTEBOOKS:
        assert path.read_text(encoding="utf-8") == mod.render(path.name), f"{path.name}: rerun build_notebooks.py"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    _run(nb)
    elapsed = time.perf_counter() - t
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert elapsed < 90, f"{path.name} took {elapsed:.0f} s"
    if os.environ.get("AUDITOR_NOTEBOOK_TIMES"):
        print(f"\n{path.name}: {elapsed:.1f} s")
