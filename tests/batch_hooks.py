"""Test-only faults for the batch runner: chosen files hang, raise or kill their worker.

Nothing under auditor/ imports this module, and it is not packaged, so no user of the
installed auditor can reach it. `install()` replaces `auditor.runner.audit_file` in this
process; the workers are forked from it and inherit the replacement. The faults are named
in the environment variable AUDITOR_TEST_FAULTS, read here and only here, when a worker
audits a file:

    AUDITOR_TEST_FAULTS="hang:slow.txt,raise:bad.txt,die:worse.txt"

`hang` sleeps for ever (the per-file time limit must stop it), `raise` raises inside the
audit (the file's "error", the others go on), `die` ends the worker process the way a crash
in native code would (SIGKILL; the worker must be replaced), `noisy` prints to standard
output before auditing the file normally (the report on stdout must stay clean).

`python -m tests.batch_hooks audit DIR …` runs the command line with the faults installed
(scripts/benchmark.py --batch uses it).
"""
from __future__ import annotations

import os
import signal
import sys
import time

ENV = "AUDITOR_TEST_FAULTS"


def faults() -> dict[str, str]:
    out = {}
    for item in os.environ.get(ENV, "").split(","):
        if ":" in item:
            kind, name = item.split(":", 1)
            out[name.strip()] = kind.strip()
    return out


def install(monkeypatch=None) -> None:
    import auditor.runner as runner

    real = getattr(runner.audit_file, "__wrapped__", runner.audit_file)

    def audit_file(job, settings):
        kind = faults().get(os.path.basename(job.path))
        if kind == "hang":
            while True:
                time.sleep(3600)
        if kind == "raise":
            raise RuntimeError("test fault: raise")
        if kind == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        if kind == "noisy":  # a library that prints: must not reach the report on stdout
            print("noise from print")
            os.write(1, b"noise on fd 1\n")
        return real(job, settings)

    audit_file.__wrapped__ = real
    if monkeypatch is not None:
        monkeypatch.setattr(runner, "audit_file", audit_file)
    else:
        runner.audit_file = audit_file


if __name__ == "__main__":
    install()
    from auditor.cli import main

    sys.exit(main(sys.argv[1:]))
