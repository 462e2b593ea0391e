"""Rule and term-list data files (TOML) shipped with the package.

Every list a pattern is built from lives in one of these files, so an analyst can
extend the extractor without touching code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import DataError

_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict[str, Any]:
    """Load ``kg/rules/<name>.toml`` (parsed once per process)."""
    path = _DIR / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: rule file missing; reinstall safety-kg") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc}); fix the file") from exc


def words(name: str, key: str) -> list[str]:
    """A word list from a rule file, longest first (so alternations prefer long forms)."""
    values = load(name)[key]
    return sorted(set(values), key=lambda w: (-len(w), w))
