"""Rule and term-list data files (TOML) shipped with the package.

Every list a pattern is built from lives in one of these files, so an analyst can
extend the extractor without touching code. Each file is validated at load against
its struct in :mod:`kg.rules.schema`: a missing, misspelt or mistyped key is a
:class:`~kg.errors.DataError` naming the file and the key.
"""

from __future__ import annotations

import difflib
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import DataError

_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict[str, Any]:
    """Load ``kg/rules/<name>.toml`` (parsed and validated once per process)."""
    return load_file(_DIR / f"{name}.toml", name)


def load_file(path: Path, name: str) -> dict[str, Any]:
    """Parse the rule file at ``path`` and check it against the struct of rule file ``name``."""
    import msgspec

    from kg.rules.schema import SCHEMAS

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: rule file missing; reinstall safety-kg") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc}); fix the file") from exc
    schema = SCHEMAS[name]
    try:
        msgspec.convert(data, schema)
    except msgspec.ValidationError as exc:
        raise DataError(f"{path}: {_explain(str(exc), schema)}") from exc
    return data


def _explain(message: str, schema: type) -> str:
    """msgspec's message, with the fix: the key's expected spelling or type."""
    import msgspec

    where = message.split(" - at ", 1)[1] if " - at " in message else ""
    inside = f" in {where}" if where else ""
    if message.startswith("Object contains unknown field"):
        key = message.split("`")[1]
        known = [f.name for f in msgspec.structs.fields(schema)] if not where else []
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "remove it or add it to kg/rules/schema.py"
        return f"unknown key `{key}`{inside}; {hint}"
    if message.startswith("Object missing required field"):
        key = message.split("`")[1]
        return f"missing key `{key}`{inside}; add it"
    return f"{message}; fix the value"


def words(name: str, key: str) -> list[str]:
    """A word list from a rule file, longest first (so alternations prefer long forms)."""
    values = load(name)[key]
    return sorted(set(values), key=lambda w: (-len(w), w))
