"""Audit the files of a run in worker processes, each file under a time limit.

Every file of `auditor audit` is read and audited in a worker process, with `--jobs 1` too:
a file that runs past `--timeout` is stopped by killing its worker, which is replaced, and a
worker that dies (a crash in native code, the kernel's memory killer) costs only its own
file. The parent loads the models once (`warm_up`) and the workers are forked from it where
the platform forks, so they start warm and a replacement costs milliseconds; the models are
shared copy-on-write, not loaded again per worker.

`run()` reports each file's `Outcome` to its caller as the file finishes; the caller puts
them back in input order where the format needs it (json, rich, markdown …) and writes them
at once where it streams (jsonl). The per-file work is `audit_file`, one plain function the
workers look up when they call it.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Callable

DEFAULT_TIMEOUT = 120.0  # seconds per file; 0 means no limit
DEFAULT_JOBS = 1


@dataclass(frozen=True)
class Job:
    """One file to audit. `index` is its place among the run's entries."""

    index: int
    path: str
    appendix: str | None = None  # the appendix file audited with it (--appendix, or paired)
    find_appendix: bool = False  # look for the one .xlsx beside it named after it


@dataclass(frozen=True)
class Settings:
    """What every file of a run is audited with; handed to each worker once."""

    config: object  # auditor.engine.Config
    limits: dict = field(default_factory=dict)  # read_document's max_bytes / max_chars
    accepted: frozenset = frozenset()  # baseline fingerprints to leave out
    min_confidence: float = 0.0  # pairing findings below this confidence are left out (--min-confidence)


@dataclass
class Outcome:
    """A finished file: its view, or the reason it has none."""

    index: int
    view: object = None  # auditor.render.ReportView
    fingerprints: tuple[str, ...] = ()  # of its findings, for --write-baseline
    error: str | None = None  # the file's "error": unreadable, crashed, timed out
    usage: str | None = None  # a bad rule option in the configuration: exit 2 for the run


def audit_file(job: Job, settings: Settings) -> Outcome:
    """Read one report (with its appendix), audit it and locate its findings."""
    from auditor.cli import _internal, _source_note, fingerprint
    from auditor.engine import audit_text
    from auditor.errors import InputError, UsageError, display_path
    from auditor.ingest import read_document
    from auditor.ingest.bundle import appendix_beside, join
    from auditor.render import build_view

    path = job.path
    try:
        appendix = job.appendix
        if appendix is None and job.find_appendix:
            appendix = appendix_beside(path)
        try:
            doc = read_document(path, **settings.limits)
            extra_doc = read_document(appendix, **settings.limits) if appendix else None
        except InputError as exc:
            return Outcome(job.index, error=exc.reason if exc.path == display_path(path)
                           else f"phụ lục {exc.path}: {exc.reason}")
        bundle = join(doc, extra_doc)
        doc = bundle.document
        findings = [f for f in audit_text(doc.text, settings.config, formula_checks=doc.formula_checks)
                    if fingerprint(f) not in settings.accepted
                    and (f.confidence is None or f.confidence >= settings.min_confidence)]
        view = build_view(doc.path, doc.format, doc.text, findings, warnings=doc.warnings,
                          page_starts=getattr(doc, "page_starts", None))
        view.extra = {"source": _source_note(path)}
        if bundle.appendix is not None:
            view.extra["source"]["appendix"] = bundle.appendix.path
            view.appendix = (bundle.offset, bundle.appendix.path)
        return Outcome(job.index, view, tuple(fingerprint(f) for f in findings))
    except UsageError as exc:
        return Outcome(job.index, usage=str(exc))
    except (MemoryError, RecursionError, Exception) as exc:  # noqa: BLE001 - DESIGN §7: the file's "error"
        return Outcome(job.index, error=_internal(exc))


_WARM_TEXT = ("Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ, đang giải quyết 4 hồ sơ.\n"
              "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n1.\tTổng số hồ sơ tiếp nhận\tHồ sơ\t597\n")


# The libraries a format's reader imports when it first reads one (0.05–0.4 s each).
_READER_LIBRARIES = {".pdf": "pdfplumber", ".docx": "docx", ".xlsx": "openpyxl", ".html": "lxml.html",
                     ".htm": "lxml.html"}


def warm_up(paths=()) -> None:
    """Import the pipeline and load the tokenizer and tagger models once, in this process,
    and the readers' libraries for the formats among `paths`, so that the workers forked
    from it start with them (what is done already is not done again)."""
    global _warm
    import importlib

    for suffix in sorted({os.path.splitext(p)[1].lower() for p in paths if p} & set(_READER_LIBRARIES)):
        try:
            importlib.import_module(_READER_LIBRARIES[suffix])
        except ImportError:  # the reader reports it for the file that needs it
            pass
    if _warm:
        return
    from auditor.engine import audit_text

    audit_text(_WARM_TEXT)
    _warm = True


_warm = False


def _context():
    """fork where there is one: the workers inherit the loaded models (and, in the tests, a
    patched `audit_file`); elsewhere spawn, where each worker warms up on its own."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _serve(conn, settings: Settings) -> None:
    """A worker: audit the jobs that arrive on `conn` until None or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    try:
        # Standard output is the parent's report (JSON, jsonl …): nothing a library prints
        # in a worker may land in it.
        sink = open(os.devnull, "w")
        os.dup2(sink.fileno(), 1)
        sys.stdout = sink
        if not _warm:
            warm_up()
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                break
            if job is None:
                break
            try:
                out = audit_file(job, settings)
            except BaseException as exc:  # noqa: BLE001 - even a patched audit_file must answer
                from auditor.cli import _internal

                out = Outcome(job.index, error=_internal(exc))
            try:
                conn.send(out)
            except (EOFError, OSError):
                break
            except Exception as exc:  # noqa: BLE001 - a result that does not pickle
                from auditor.cli import _internal

                conn.send(Outcome(job.index, error=_internal(exc)))
    finally:
        # No interpreter shutdown: a forked worker holds copies of the parent's unflushed
        # buffers (an -o file, stdout), which a normal exit would write a second time.
        os._exit(0)


def _die_with_parent() -> None:
    """On Linux, the kernel kills the worker when the parent dies (kill -9 included)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Worker:
    def __init__(self, ctx, settings: Settings):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, settings), daemon=True)
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.deadline: float | None = None

    def give(self, job: Job, timeout: float | None) -> None:
        self.job = job
        self.deadline = time.monotonic() + timeout if timeout else None
        self.conn.send(job)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=2)
        self.kill()

    def exit_reason(self) -> str:
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return signal.Signals(-code).name
            except ValueError:
                return f"signal {-code}"
        return f"exit {code}"


def run(jobs: list[Job], settings: Settings, on_done: Callable[[Outcome], None], *,
        workers: int = DEFAULT_JOBS, timeout: float | None = DEFAULT_TIMEOUT,
        timed_out: Callable[[Job, float], str], died: Callable[[Job, str], str]) -> None:
    """Audit `jobs` in `workers` processes, calling `on_done` as each file finishes.

    A file still running `timeout` seconds after it was handed out becomes an Outcome with
    the error `timed_out(job, timeout)` and its worker is killed; a worker that dies takes
    its file with it as `died(job, why)`. Either way a new worker takes the next file."""
    if not jobs:
        return
    warm_up([j.path for j in jobs] + [j.appendix for j in jobs])
    ctx = _context()
    queue = deque(jobs)
    pool: list[_Worker] = []
    idle: list[_Worker] = []
    busy: list[_Worker] = []

    def start() -> _Worker:
        w = _Worker(ctx, settings)
        pool.append(w)
        return w

    def retire(w: _Worker) -> None:
        w.kill()
        pool.remove(w)
        if queue:
            idle.append(start())

    orderly = False
    try:
        for _ in range(max(1, min(workers, len(jobs)))):
            idle.append(start())
        while queue or busy:
            while queue and idle:
                w = idle.pop(0)
                w.give(queue.popleft(), timeout)
                busy.append(w)
            deadlines = [w.deadline for w in busy if w.deadline is not None]
            left = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=left))
            for w in sorted(busy, key=lambda w: w.job.index):
                if w.conn not in ready and w.process.sentinel not in ready:
                    continue
                out = None
                try:
                    if w.conn.poll():
                        out = w.conn.recv()
                except (EOFError, OSError):
                    out = None
                busy.remove(w)
                if out is not None:
                    idle.append(w)
                    on_done(out)
                    continue
                w.process.join(timeout=1)
                job = w.job
                reason = w.exit_reason()
                retire(w)
                on_done(Outcome(job.index, error=died(job, reason)))
            now = time.monotonic()
            for w in sorted(busy, key=lambda w: w.job.index):
                if w.deadline is not None and now >= w.deadline and not w.conn.poll():
                    busy.remove(w)
                    job = w.job
                    retire(w)
                    on_done(Outcome(job.index, error=timed_out(job, timeout)))
        orderly = True
    finally:
        for w in pool:
            w.stop() if orderly else w.kill()
