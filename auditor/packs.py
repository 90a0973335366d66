"""Knowledge packs: the YAML files of rules/ and a user's own pack folders, validated on load.

The built-in packs ship inside the wheel as `auditor.rules`. A user adds folders of their own
(`--packs DIR`, `packs = [...]` in the config, like Vale's StylesPath): a file there with a
built-in pack's name extends it: mappings merge (a user entry adds to or replaces the
built-in one), lists are appended. So a commune's own wording ("thụ lý" for "tiếp nhận") is one
line in a user's `concepts.yaml` under `synonyms:`, never a code change.

Every pack is checked when first loaded: a concept id that no pack defines, an identity or a
bound listed twice, a unit no pack knows, a pattern that does not compile is a clear error
naming the file and the entry (exit 2), not a rule that silently goes quiet.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from auditor.errors import UsageError

NAMES = ("units", "concepts", "identities", "scopes", "booleans")
_EXTRA: list[Path] = []


class PackError(UsageError):
    """A pack that cannot be used as written."""


def use(folders) -> None:
    """Read user packs from these folders too (in order, after the built-in ones)."""
    folders = [Path(f) for f in folders or ()]
    for f in folders:
        if not f.is_dir():
            raise PackError(f"--packs {f}: không phải thư mục (not a folder)")
    if folders == _EXTRA:
        return
    _EXTRA[:] = folders
    clear_caches()


def clear_caches() -> None:
    """Forget everything read from the packs (after `use`)."""
    from auditor import concepts, frames, lexicon, scope

    _sources.cache_clear()
    _checked.cache_clear()
    load_pack.cache_clear()
    for f in (concepts.lexicon, concepts._unit_ok, lexicon.units, scope._patterns, scope._period_patterns,
              getattr(frames, "_narrowing", None)):
        if f is not None and hasattr(f, "cache_clear"):
            f.cache_clear()
    concepts._MATCH_CACHE.clear()


def _builtin(name: str) -> tuple[str, str]:
    try:
        base = resources.files("auditor.rules")
    except ModuleNotFoundError:  # a source tree that was not installed
        base = Path(__file__).resolve().parent.parent / "rules"
    return f"rules/{name}.yaml", base.joinpath(f"{name}.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _sources(name: str) -> tuple[tuple[str, dict], ...]:
    """(file, data) of the built-in pack and of every user pack of this name."""
    out = []
    for where, text in [_builtin(name)] + [(str(d / f"{name}.yaml"), (d / f"{name}.yaml").read_text(encoding="utf-8"))
                                           for d in _EXTRA if (d / f"{name}.yaml").is_file()]:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise PackError(f"{where}: YAML không hợp lệ (invalid YAML): {exc}") from None
        if not isinstance(data, dict):
            raise PackError(f"{where}: gói phải là một ánh xạ khóa → giá trị (a pack must be a mapping)")
        out.append((where, data))
    return tuple(out)


def _merge(base, extra):
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


@lru_cache(maxsize=None)
def load_pack(name: str) -> dict:
    """A pack with the user's packs merged in, after every pack has been checked."""
    _checked()
    data: dict = {}
    for _, d in _sources(name):
        data = _merge(data, d)
    return data


# --- validation ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _checked() -> bool:
    merged = {n: {} for n in NAMES}
    for n in NAMES:
        for _, d in _sources(n):
            merged[n] = _merge(merged[n], d)
    concepts = set((merged["concepts"].get("concepts") or {}))
    units = set()
    for section in ("units", "money"):
        for canon, spec in (merged["units"].get(section) or {}).items():
            units.add(canon)
            units.update((spec or {}).get("aliases", []))
    for n in NAMES:
        for where, d in _sources(n):
            _CHECKS.get(n, lambda *a: None)(where, d, concepts, units)
    _duplicates(merged["identities"])
    return True


def _fail(where: str, entry: str, problem: str) -> None:
    raise PackError(f"{where}: {entry}: {problem}")


def _ids(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = []
    for v in value:
        out.extend(_ids(v) if isinstance(v, (list, tuple)) else [v])
    return out


def _known(where, entry, ids, concepts) -> None:
    for cid in ids:
        if not isinstance(cid, str) or cid not in concepts:
            _fail(where, entry, f"khái niệm không có trong gói nào «{cid}» (unknown concept id)")


def _check_concepts(where, d, concepts, units) -> None:
    for cid, spec in (d.get("concepts") or {}).items():
        entry = f"concepts.{cid}"
        if not isinstance(spec, dict):
            _fail(where, entry, "phải là một ánh xạ (must be a mapping)")
        groups = spec.get("all", [])
        if not isinstance(groups, list) or not all(isinstance(g, list) and g and all(isinstance(p, str) for p in g)
                                                    for g in groups):
            _fail(where, entry, "«all» phải là danh sách các nhóm cụm từ (a list of phrase lists)")
        if not all(isinstance(p, str) for p in spec.get("none", [])):
            _fail(where, entry, "«none» phải là danh sách cụm từ (a list of phrases)")
        unit = spec.get("unit")
        if unit is not None and unit != "%" and unit not in units:
            _fail(where, entry, f"đơn vị không có trong units.yaml «{unit}» (unknown unit)")
        _known(where, entry + ".base", _ids(spec.get("base")), concepts)
    syn = d.get("synonyms") or {}
    if not isinstance(syn, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in syn.items()):
        _fail(where, "synonyms", "phải là ánh xạ cụm từ → cụm từ (a mapping phrase → phrase)")
    ratio = (d.get("fuzzy") or {}).get("header_ratio", 88)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 < ratio <= 100:
        _fail(where, "fuzzy.header_ratio", "phải là số trong (0, 100] (a number in (0, 100])")


def _check_identities(where, d, concepts, units) -> None:
    for k, ident in enumerate(d.get("identities") or []):
        entry = f"identities[{k}] {ident.get('name', '')}".strip()
        for key in ("total", "parts", "alternatives", "extent", "only_when_missing", "only_when_present"):
            _known(where, entry, _ids(ident.get(key)), concepts)
        for z in ident.get("zero_when") or []:
            _known(where, entry + ".zero_when", _ids([z.get("part"), z.get("rate")]), concepts)
        if not ident.get("parts"):
            _fail(where, entry, "thiếu «parts» (no parts)")
    for k, r in enumerate(d.get("rates") or []):
        entry = f"rates[{k}] {r.get('name', '')}".strip()
        _known(where, entry, _ids([r.get("rate")]) + _ids(r.get("numerators")) + _ids(r.get("denominators")),
               concepts)
    for k, b in enumerate(d.get("bounds") or []):
        _known(where, f"bounds[{k}]", _ids([b.get("part"), b.get("whole")]), concepts)


def _duplicates(merged: dict) -> None:
    seen = set()
    for ident in merged.get("identities") or []:
        key = ident.get("name") or repr(ident)
        if key in seen:
            raise PackError(f"identities: «{key}» được khai báo hai lần (listed twice)")
        seen.add(key)
    seen = set()
    for b in merged.get("bounds") or []:
        key = (b.get("part"), b.get("whole"))
        if key in seen:
            raise PackError(f"bounds: «{key[0]} ≤ {key[1]}» được khai báo hai lần (listed twice)")
        seen.add(key)


def _check_scopes(where, d, concepts, units) -> None:
    patterns = [(f"scopes.{name}.{part}", p) for name, spec in (d.get("scopes") or {}).items()
                for part, ps in (spec or {}).items() for p in ps]
    patterns += [(key, p) for key in ("period_year", "title_period") for p in d.get(key, [])]
    for entry, p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            _fail(where, entry, f"biểu thức chính quy không hợp lệ «{p}»: {exc} (invalid pattern)")


def _check_units(where, d, concepts, units) -> None:
    for section in ("units", "money"):
        for canon, spec in (d.get(section) or {}).items():
            if not isinstance(spec, dict) or not isinstance(spec.get("aliases", []), list):
                _fail(where, f"{section}.{canon}", "cần «aliases» là danh sách (aliases must be a list)")
            fam = spec.get("family")
            if fam is not None and fam not in units:
                _fail(where, f"{section}.{canon}", f"họ đơn vị không có «{fam}» (unknown unit family)")


_CHECKS = {"concepts": _check_concepts, "identities": _check_identities, "scopes": _check_scopes,
           "units": _check_units}
