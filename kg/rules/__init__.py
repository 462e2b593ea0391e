"""Rule and term-list data files (TOML) shipped with the package, and an analyst's layered over them.

Every list a pattern is built from lives in one of these files, so an analyst can
extend the extractor without touching code. Each file is validated at load into its
typed struct in :mod:`kg.rules.schema`: a missing, misspelt or mistyped key is a
:class:`~kg.errors.DataError` naming the file and the key.

A :class:`RuleSet` is all the rule files of one run: the bundled ones, with the files
of a user rules folder (``--rules DIR``, ``KG_RULES``) layered over them key by key:
**a list extends** the bundled list (new items appended, in the user's order), **a
table merges** key by key, **a scalar** (a number, a regex string) **replaces** the
bundled value. Code reads the rules of the run being extracted through
:func:`active` (set by the pipeline for each page), typed: ``active().orgs.strong_heads``.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.errors import DataError

if TYPE_CHECKING:
    from kg.rules import schema

_DIR = Path(__file__).resolve().parent

#: environment variable naming a user rules folder (the CLI's ``--rules`` default)
RULES_ENV = "KG_RULES"

T = TypeVar("T")


def bundled_dir() -> Path:
    """The folder of the bundled rule files (``kg/rules``)."""
    return _DIR


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``: escaped, deduplicated, longest first (so a long form
    wins over its prefix at one position), ties by text (deterministic); ``(?!)`` (never
    matches) when there are none."""
    forms = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(map(re.escape, forms)) if forms else "(?!)"


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """``words`` deduplicated, longest first, ties by text: the order prefix tests need."""
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


class RuleSet:
    """All rule files of one run, typed and validated: the bundled ones with a user folder's
    ``*.toml`` layered over them (see the module docstring). Built once per run; the
    structs are frozen, and :meth:`compiled` keeps what a module derives from them."""

    def __init__(self, user_dir: str | Path | None = None) -> None:
        from kg.rules.schema import SCHEMAS

        self.user_dir = Path(user_dir) if user_dir else None
        self.user_files = user_rule_files(self.user_dir)
        self._structs: dict[str, Any] = {}
        self._compiled: dict[Callable[[RuleSet], Any], Any] = {}
        for name in SCHEMAS:
            self._structs[name] = _load_layered(name, self.user_files.get(name))

    # one typed property per rule file (kg/rules/<name>.toml)
    @property
    def common(self) -> schema.Common:
        return self._structs["common"]

    @property
    def documents(self) -> schema.Documents:
        return self._structs["documents"]

    @property
    def guideline_terms(self) -> schema.GuidelineTerms:
        return self._structs["guideline_terms"]

    @property
    def layout(self) -> schema.Layout:
        return self._structs["layout"]

    @property
    def meta(self) -> schema.Meta:
        return self._structs["meta"]

    @property
    def names(self) -> schema.Names:
        return self._structs["names"]

    @property
    def orgs(self) -> schema.Orgs:
        return self._structs["orgs"]

    @property
    def persons(self) -> schema.Persons:
        return self._structs["persons"]

    @property
    def places(self) -> schema.Places:
        return self._structs["places"]

    @property
    def relations(self) -> schema.Relations:
        return self._structs["relations"]

    @property
    def terms(self) -> schema.Terms:
        return self._structs["terms"]

    def struct(self, name: str) -> Any:
        """The struct of rule file ``name`` (for code that picks the file by name)."""
        return self._structs[name]

    def compiled(self, build: Callable[[RuleSet], T]) -> T:
        """``build(self)``, computed once per rule set: a module's regexes and word sets."""
        try:
            return self._compiled[build]
        except KeyError:
            out = self._compiled[build] = build(self)
            return out


def user_rule_files(folder: Path | None) -> dict[str, Path]:
    """Rule file name → path of the user folder's ``*.toml`` files; a file that names no rule
    file is a DataError (a misspelt file name would otherwise be ignored)."""
    from kg.rules.schema import SCHEMAS

    if folder is None:
        return {}
    if not folder.is_dir():
        raise DataError(
            f"{folder}: rules folder not found; give a folder of *.toml rule files and *.ttl vocabularies"
        )
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in SCHEMAS:
            close = difflib.get_close_matches(path.stem, list(SCHEMAS), n=1)
            hint = (
                f"did you mean {close[0]}.toml?" if close else f"rule files are {', '.join(sorted(SCHEMAS))}"
            )
            raise DataError(f"{path}: not a rule file; {hint}")
        out[path.stem] = path
    return out


def fingerprint(folder: str | Path | None) -> str:
    """A hash of a user rules folder's rule files and vocabularies ("" for none): part of the
    cache key, so a changed user rule re-extracts every page."""
    if not folder:
        return ""
    root = Path(folder)
    h = hashlib.sha256()
    for p in sorted([*root.glob("*.toml"), *root.glob("*.ttl")]):
        if p.is_file():
            h.update(p.name.encode() + b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: rule file missing; reinstall safety-kg") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc}); fix the file") from exc


def _load_layered(name: str, user: Path | None) -> Any:
    """The struct of rule file ``name``: the bundled file with ``user`` layered over it."""
    import msgspec

    from kg.rules.schema import SCHEMAS

    schema_ = SCHEMAS[name]
    path = _DIR / f"{name}.toml"
    data = _read(path)
    if user is not None:
        extra = _read(user)
        _check_keys(extra, schema_, user, "$")
        data = _layer(data, extra)
        path = user
    try:
        return msgspec.convert(data, schema_)
    except msgspec.ValidationError as exc:
        raise DataError(f"{path}: {_explain(str(exc), schema_)}") from exc


def _check_keys(data: dict[str, Any], struct: type, path: Path, where: str) -> None:
    """Every key of a user file (which may leave keys out) is a field of ``struct``."""
    import msgspec

    fields = {f.name: f.type for f in msgspec.structs.fields(struct)}
    for key, value in data.items():
        if key not in fields:
            close = difflib.get_close_matches(key, list(fields), n=1)
            hint = f"did you mean `{close[0]}`?" if close else "remove it or add it to kg/rules/schema.py"
            inside = f" in `{where}`" if where != "$" else ""
            raise DataError(f"{path}: unknown key `{key}`{inside}; {hint}")
        sub = fields[key]
        if isinstance(sub, type) and issubclass(sub, msgspec.Struct) and isinstance(value, dict):
            _check_keys(value, sub, path, f"{where}.{key}")


def _layer(base: Any, extra: Any) -> Any:
    """``extra`` over ``base``: lists extend (items not already there), tables merge, scalars
    replace."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _layer(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


def load_file(path: Path, name: str) -> dict[str, Any]:
    """Parse the rule file at ``path`` and check it against the struct of rule file ``name``."""
    import msgspec

    from kg.rules.schema import SCHEMAS

    data = _read(path)
    schema_ = SCHEMAS[name]
    try:
        msgspec.convert(data, schema_)
    except msgspec.ValidationError as exc:
        raise DataError(f"{path}: {_explain(str(exc), schema_)}") from exc
    return data


def _explain(message: str, schema_: type) -> str:
    """msgspec's message, with the fix: the key's expected spelling or type."""
    import msgspec

    where = message.split(" - at ", 1)[1] if " - at " in message else ""
    inside = f" in {where}" if where else ""
    if message.startswith("Object contains unknown field"):
        key = message.split("`")[1]
        known = [f.name for f in msgspec.structs.fields(schema_)] if not where else []
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "remove it or add it to kg/rules/schema.py"
        return f"unknown key `{key}`{inside}; {hint}"
    if message.startswith("Object missing required field"):
        key = message.split("`")[1]
        return f"missing key `{key}`{inside}; add it"
    return f"{message}; fix the value"


# -- the rule set of the run being extracted ----------------------------------------------------

_ACTIVE: ContextVar[RuleSet | None] = ContextVar("kg_rules_active", default=None)
_BUNDLED: list[RuleSet] = []


def bundled() -> RuleSet:
    """The bundled rules alone (read on first use; the files are package data)."""
    if not _BUNDLED:
        _BUNDLED.append(RuleSet())
    return _BUNDLED[0]


def active() -> RuleSet:
    """The rule set of the extraction running in this context (see :func:`using`), else the
    bundled rules."""
    return _ACTIVE.get() or bundled()


@contextlib.contextmanager
def using(ruleset: RuleSet) -> Iterator[RuleSet]:
    """Make ``ruleset`` the :func:`active` one inside the ``with`` block."""
    token = _ACTIVE.set(ruleset)
    try:
        yield ruleset
    finally:
        _ACTIVE.reset(token)


def load(name: str) -> dict[str, Any]:
    """Rule file ``name`` of the active rule set as plain data (dicts and lists): for code not
    yet reading the typed structs (``active().<name>``)."""
    import msgspec

    out: dict[str, Any] = msgspec.to_builtins(active().struct(name))
    return out


def words(name: str, key: str) -> list[str]:
    """A word list of the active rules, longest first (so alternations prefer long forms)."""
    return list(longest_first(getattr(active().struct(name), key)))
