"""The data model: plain frozen dataclasses that flow one way through the pipeline.

Every object that stands for something in the report carries the character span
(`start`, `end`) of the text that was read, so a finding can always point back to
the exact place. Rules see only these classes; no NLP model is needed to build them
in tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """What a number in the text is. The first group are quantities; the rest are not."""

    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    FRACTION = "fraction"
    RANGE = "range"
    DECIMAL = "decimal"  # a measured non-count value (area, index score …)
    # --- not quantities -------------------------------------------------------
    DATE = "date"
    YEAR = "year"
    DOC_ID = "doc_id"
    SECTION = "section"
    STANDARD = "standard"
    TIME = "time"
    PHONE = "phone"
    ORDINAL = "ordinal"  # "thứ 2", "mức độ 3", "Đề án 06": a name or rank, not an amount
    CODE = "code"  # "Có = 1" legend codes in indicator units

    @property
    def is_quantity(self) -> bool:
        return self in _QUANTITY_KINDS


_QUANTITY_KINDS = {Kind.COUNT, Kind.PERCENT, Kind.MONEY, Kind.FRACTION, Kind.RANGE, Kind.DECIMAL}


@dataclass(frozen=True)
class Quantity:
    """One number mention with its meaning.

    `value` is the parsed value (for a fraction the numerator, for a range the low end);
    `denominator`/`high` complete fractions and ranges. `decimals` is the number of
    digits after the decimal mark as written, which fixes the rounding interval.
    `bound` is the comparison word in front of it ("trên" → ">") or None.
    `ambiguous` is set when the separator could be read two ways and nothing in the
    shape, unit or context decided it; `alt_value` is then the other reading.
    """

    value: float
    raw: str
    kind: Kind
    start: int
    end: int
    decimals: int = 0
    unit: str | None = None  # canonical unit noun ("hồ sơ", "triệu đồng", "%")
    noun: str | None = None  # the words after the number as written
    denominator: float | None = None
    high: float | None = None
    bound: str | None = None
    ambiguous: bool = False
    alt_value: float | None = None
    note: str | None = None  # why the reading was chosen, for `auditor numbers`

    @property
    def is_quantity(self) -> bool:
        return self.kind.is_quantity

    def interval(self) -> tuple[float, float]:
        """The rounding interval of the stated value: 99,8 means [99,75; 99,85)."""
        half = 0.5 * 10 ** (-self.decimals)
        return (self.value - half, self.value + half)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int  # index of the paragraph (block of non-blank lines) it belongs to
    section: str | None = None  # the heading path it sits under, e.g. "II.2"


@dataclass(frozen=True)
class Cell:
    """One table cell: raw text, its parsed number (if any), and where it sits."""

    text: str
    start: int
    end: int
    row: int  # 0-based data-row index inside the table
    col: int
    quantity: Quantity | None = None
    row_label: str = ""
    row_code: str = ""  # STT: "1", "1.1", "I", "-"
    col_path: tuple[str, ...] = ()
    unit: str = ""
    role: str = ""  # the column's role (see COLUMN_ROLES); rules read cells by role, never by number

    @property
    def value(self) -> float | None:
        return None if self.quantity is None else self.quantity.value


# What a table column holds. Indicator tables: code (STT) | label | unit | value | plan | note;
# results tables: code | label | data (one column per header path).
COLUMN_ROLES = ("code", "label", "unit", "value", "plan", "note", "data")


@dataclass(frozen=True)
class Row:
    index: int
    code: str
    label: str
    cells: tuple[Cell, ...]
    unit: str = ""
    note: str = ""
    is_total: bool = False
    parent: int | None = None  # index of the parent row in an indicator hierarchy
    start: int = 0
    end: int = 0

    def cell(self, role: str) -> Cell | None:
        """The first cell of this row in a column of the given role that holds a number."""
        return next((c for c in self.cells if c.role == role and c.quantity is not None), None)

    def cells_of(self, role: str) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.role == role)

    @property
    def value_cell(self) -> Cell | None:
        """The row's stated value (indicator tables), whatever column it sits in."""
        return self.cell("value")

    @property
    def value(self) -> float | None:
        c = self.value_cell
        return None if c is None else c.value


class TableKind(str, Enum):
    INDICATOR = "indicator"  # STT | label | unit | value | note
    RESULTS = "results"  # files by field: received / resolved / pending columns
    GENERIC = "generic"


@dataclass(frozen=True)
class Table:
    index: int  # 1-based, in reading order
    kind: TableKind
    layout: str  # "tab", "pipe", "pdf-lines"
    columns: tuple[tuple[str, ...], ...]  # column paths from the header tree
    rows: tuple[Row, ...]
    start: int
    end: int
    roles: tuple[str, ...] = ()  # one per column, from COLUMN_ROLES

    def column(self, role: str) -> int | None:
        """Index of the first column with this role, for display; rules use `Row.cell(role)`."""
        return self.roles.index(role) if role in self.roles else None


@dataclass(frozen=True)
class Header:
    number: str | None  # "36/BC-UBND" (None when left blank)
    number_span: tuple[int, int] | None
    place_date: str | None
    date: tuple[int | None, int | None, int | None] | None  # day, month, year
    date_span: tuple[int, int] | None
    issuer: str | None = None


@dataclass(frozen=True)
class Heading:
    code: str  # "II", "3", "7.1", "a"
    title: str
    level: int
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Document:
    """The text that was read and what ingest learned about it."""

    path: str
    format: str  # txt, md, docx, pdf, html, xlsx
    text: str
    warnings: tuple[str, ...] = ()
    formula_checks: tuple = ()  # xlsx: auditor.ingest.xlsx.FormulaCheck, cached value ≠ its formula


@dataclass(frozen=True)
class Evidence:
    role: str  # total, part, cell, claim, numerator, denominator, rate, …
    text: str
    value: float | None
    start: int
    end: int
    where: str  # narrative | table | appendix | header
    table: int | None = None
    row: int | None = None
    col: int | None = None
    label: str | None = None
    # Where a person finds it in the original (DESIGN §6); filled by the rule or by
    # auditor.render.locate when left None. `column_header` is the table column's header
    # path ("Kết quả thống kê / Số liệu"): the JSON key `column` already means the 1-based
    # character column of the line, so the header path gets a key of its own.
    section: str | None = None  # "II.2.b"
    table_title: str | None = None  # "Phụ lục – Thống kê số liệu …", "Biểu mẫu số 01"
    stt: str | None = None  # the row's STT as printed ("1.4", "III")
    row_label: str | None = None  # the row's own label ("Bồi thường nhà nước"); `label` may name the column
    column_header: str | None = None
    page: int | None = None  # PDF page (1-based), docx has none


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Verdict(str, Enum):
    INCONSISTENT = "inconsistent"
    WITHIN_ROUNDING = "within_rounding"
    INDETERMINATE = "indeterminate"


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    verdict: Verdict
    message: str
    evidence: tuple[Evidence, ...]
    kind: str  # the gold taxonomy: sum, identity, rate, fraction, …
    stated: float | None = None
    expected: float | None = None
    suggestion: str | None = None
    culprit: str | None = None  # which number is most likely wrong, in words
    confidence: float | None = None
