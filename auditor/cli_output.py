"""The output side of the command line, kept apart from cli.py's input handling: the language
of the interface, --version, the output options (--format, -o, --color …), the help epilog
with the exit codes, the batch progress bar and `auditor init`."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from auditor import __version__
from auditor.errors import UsageError
from auditor.i18n import LANGS, argparse_language, get_lang, set_lang, t
from auditor.render import BINARY, Format, RenderOptions

EPILOG = {
    "vi": """mã thoát:
  0  không có phát hiện nào từ mức --fail-on trở lên (mặc định: error)
  1  có phát hiện từ mức --fail-on trở lên
  2  lỗi cách dùng hoặc lỗi cấu hình
  3  có tệp không đọc được (các tệp khác vẫn được kiểm tra)""",
    "en": """exit codes:
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  usage or configuration error
  3  an input could not be read (the others are still audited)""",
}


def _h(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def requested_lang(argv: list[str] | None) -> str:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = os.environ.get("AUDITOR_LANG", "vi")
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    return lang if lang in LANGS else "vi"


def parse_args(factory, argv, stdout):
    """Parse in the requested language; help and --version go to `stdout` and return None."""
    lang = requested_lang(argv)
    set_lang(lang)
    with argparse_language(lang), contextlib.redirect_stdout(stdout):
        parser = factory(lang)
        try:
            return parser.parse_args(argv)
        except SystemExit as exc:
            if exc.code in (0, None):
                return None
            raise UsageError(str(exc)) from None


def add_global_options(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--version", action="version", version=f"auditor {__version__}",
                   help=_h(lang, "in phiên bản rồi thoát", "print the version and exit"))
    _add_lang(p, lang)


def _add_lang(p, lang: str) -> None:
    p.add_argument("--lang", choices=LANGS, default=lang,
                   help=_h(lang, "ngôn ngữ giao diện và báo cáo (mặc định: vi; biến môi trường AUDITOR_LANG)",
                           "language of the interface and outputs (default: vi; env AUDITOR_LANG)"))


def add_output_options(a: argparse.ArgumentParser, lang: str) -> None:
    g = a.add_argument_group(_h(lang, "đầu ra", "output"))
    g.add_argument("--format", choices=[f.value for f in Format], default="rich",
                   help=_h(lang, "rich: màn hình; json, jsonl: máy đọc; markdown: danh sách cần sửa; "
                                 "docx: phiếu đề nghị chỉnh sửa; xlsx: bảng theo dõi; html: trang xem offline "
                                 "(mặc định: %(default)s)",
                           "rich: terminal; json, jsonl: for programs; markdown: checklist; docx: correction "
                           "request; xlsx: tracking sheet; html: offline page (default: %(default)s)"))
    g.add_argument("-o", "--output", metavar=_h(lang, "TỆP", "FILE"), default=None,
                   help=_h(lang, "ghi ra tệp; bắt buộc với docx và xlsx (mặc định: màn hình)",
                           "write to FILE; required for docx and xlsx (default: standard output)"))
    g.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help=_h(lang, "tô màu trên màn hình; NO_COLOR cũng tắt màu (mặc định: %(default)s)",
                           "colour in the terminal; NO_COLOR also turns it off (default: %(default)s)"))
    g.add_argument("--show-codes", action="store_true",
                   help=_h(lang, "hiện mã quy tắc (AUD…) trong các bản cho người đọc (mặc định: ẩn)",
                           "show rule codes (AUD…) in the human views (default: hidden)"))
    g.add_argument("--warnings", dest="include_warnings", action=argparse.BooleanOptionalAction, default=None,
                   help=_h(lang, "docx: đưa cả cảnh báo vào phiếu (mặc định: có)",
                           "docx: include warnings in the request (default: yes)"))
    g.add_argument("--notes", dest="include_notes", action="store_true",
                   help=_h(lang, "docx: đưa cả lưu ý vào phiếu (mặc định: không)",
                           "docx: include notes too (default: no)"))
    g.add_argument("--reviewer", default=None, metavar=_h(lang, "HỌ_TÊN", "NAME"), help=_h(lang, "họ tên người kiểm tra (mặc định: [review] trong cấu hình)",
                                                       "reviewer's name (default: [review] in the config)"))
    g.add_argument("--office", default=None, metavar=_h(lang, "CƠ_QUAN", "OFFICE"), help=_h(lang, "cơ quan kiểm tra (mặc định: Phòng Nội vụ)",
                                                     "reviewing office (default: the Home Affairs office)"))
    g.add_argument("--recipient", default=None, metavar=_h(lang, "NƠI_NHẬN", "TO"),
                   help=_h(lang, "nơi nhận phiếu (mặc định: đơn vị ghi ở đầu báo cáo)",
                           "addressee of the request (default: the unit named in the report's header)"))
    g.add_argument("--deadline", default=None, metavar=_h(lang, "NGÀY", "DATE"), help=_h(lang, "hạn gửi lại báo cáo, ví dụ 20/7/2024 (mặc định: không ghi)",
                                                       "resubmission deadline, e.g. 20/7/2024 (default: none)"))
    _add_lang(a, lang)


def render_options(args, conf: dict, stdout) -> RenderOptions:
    review = conf.get("review", {}) if isinstance(conf.get("review", {}), dict) else {}
    pick = lambda name, key=None: (getattr(args, name, None) if getattr(args, name, None) is not None  # noqa: E731
                                   else review.get(key or name.replace("_", "-")))
    include_w = pick("include_warnings")
    return RenderOptions(lang=args.lang, show_codes=args.show_codes,
                         include_warnings=True if include_w is None else bool(include_w),
                         include_notes=bool(args.include_notes or review.get("include-notes", False)),
                         reviewer=pick("reviewer"), office=pick("office"), recipient=pick("recipient"),
                         deadline=pick("deadline"), color=args.color)


@contextlib.contextmanager
def open_output(args, stdout):
    fmt = Format(args.format)
    if not args.output:
        if fmt in BINARY:
            raise UsageError(t("needs_output", fmt=fmt.value))
        yield stdout
        return
    path = Path(args.output)
    try:
        fh = open(path, "wb" if fmt in BINARY else "w", **({} if fmt in BINARY else {"encoding": "utf-8"}))
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    with fh:
        yield fh


@contextlib.contextmanager
def progress(files: list[str], stderr, fmt: str):
    """A progress bar on stderr for a batch on a terminal; a no-op otherwise."""
    try:
        tty = stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if len(files) < 2 or not tty or os.environ.get("AUDITOR_NO_PROGRESS"):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # Redrawn at each finished file, not by rich's refresh thread: workers are forked from
    # this process (auditor/runner.py), and a fork must not copy a thread holding a lock.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(file=stderr), transient=True, auto_refresh=False) as bar:
        task = bar.add_task(_h(get_lang(), "Đang kiểm tra", "Auditing"), total=len(files))
        bar.refresh()
        yield lambda: bar.update(task, advance=1, refresh=True)


# --- auditor init ---------------------------------------------------------------------------

INIT_TEMPLATE = {"vi": '''# Cấu hình auditor (tạo bởi `auditor init`). Mọi dòng đều có thể bỏ; giá trị ghi
# ở đây là mặc định. Đặt tệp này ở thư mục chạy lệnh, hoặc chỉ ra bằng --config.
# Cũng có thể chép các khóa vào bảng [tool.auditor] của pyproject.toml.

# Quy tắc được chạy: mã hoặc tiền tố (AUD1 = đối chiếu số liệu, AUD2 = phép tính,
# AUD3 = phân số, AUD4 = mẫu biểu, ngày tháng). `auditor rules` liệt kê tất cả.
select = ["AUD"]
ignore = []

# Mức thấp nhất làm lệnh trả mã thoát 1: error, warning, info hoặc none.
fail-on = "error"

# Kiểm tra nhiều tệp: số tiến trình chạy song song (--jobs), và thời gian tối đa cho mỗi
# tệp tính bằng giây (--timeout; 0 là không giới hạn). Tệp quá thời gian được báo lỗi,
# các tệp khác vẫn được kiểm tra.
jobs = 1
timeout = 120

# Thông tin cho phiếu đề nghị chỉnh sửa (--format docx) và bảng theo dõi (--format xlsx).
[review]
# reviewer = "Nguyễn Văn A"                 # người kiểm tra
# office = "Phòng Nội vụ huyện …"           # cơ quan kiểm tra
# deadline = "20/7/2024"                    # hạn gửi lại báo cáo
# recipient = "UBND xã …"                   # mặc định: đơn vị ghi ở đầu báo cáo
include-warnings = true                     # đưa cả cảnh báo vào phiếu
include-notes = false                       # đưa cả lưu ý vào phiếu

# Tùy chọn riêng của từng quy tắc, theo mã, ví dụ:
# [rules.AUD203]
# extra_tolerance = 0.5   # điểm phần trăm cho phép ngoài khoảng làm tròn
''', "en": '''# auditor configuration (written by `auditor init`). Every line may be dropped; the values
# shown are the defaults. Keep this file in the folder you run from, or pass --config.
# The same keys also work in pyproject.toml under [tool.auditor].

# Rules to run: codes or prefixes (AUD1 = narrative vs appendix, AUD2 = arithmetic,
# AUD3 = fractions, AUD4 = template, dates). `auditor rules` lists them all.
select = ["AUD"]
ignore = []

# Lowest severity that makes the exit code 1: error, warning, info or none.
fail-on = "error"

# Several files: how many are audited in parallel (--jobs), and the time limit per file in
# seconds (--timeout; 0 means none). A file over the limit is reported, the others go on.
jobs = 1
timeout = 120

# For the correction request (--format docx) and the tracking sheet (--format xlsx).
[review]
# reviewer = "Nguyen Van A"
# office = "Home Affairs office of …"
# deadline = "20/7/2024"
# recipient = "People's Committee of …"     # default: the unit named in the report's header
include-warnings = true
include-notes = false

# Options of single rules, by code, e.g.:
# [rules.AUD203]
# extra_tolerance = 0.5   # percentage points beyond the rounding interval
'''}


def add_init_parser(sub, lang: str) -> None:
    i = sub.add_parser("init", help=_h(lang, "tạo tệp cấu hình auditor.toml có chú thích",
                                       "write a commented auditor.toml"))
    i.add_argument("path", nargs="?", default="auditor.toml",
                   help=_h(lang, "tệp cần tạo; - để in ra màn hình (mặc định: %(default)s)",
                           "file to write; - for standard output (default: %(default)s)"))
    i.add_argument("--force", action="store_true", help=_h(lang, "ghi đè nếu tệp đã có", "overwrite an existing file"))
    _add_lang(i, lang)


def cmd_init(args, stdout) -> int:
    text = INIT_TEMPLATE[get_lang()]
    if args.path == "-":
        stdout.write(text)
        return 0
    path = Path(args.path)
    if path.exists() and not args.force:
        raise UsageError(_h(get_lang(), f"{path} đã có; thêm --force để ghi đè", f"{path} exists; add --force"))
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    print(t("written", path=path), file=stdout)
    return 0


__all__ = ["EPILOG", "parse_args", "add_global_options", "add_output_options", "add_init_parser", "render_options",
           "open_output", "progress", "cmd_init"]
