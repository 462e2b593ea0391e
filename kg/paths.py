"""Where the project's data lives: the ontology folder and the compiled cache."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def package_dir() -> Path:
    """The ``kg`` package folder: its code and the data files shipped in it (``data/``, ``rules/``)."""
    return _PKG


def ontology_dir() -> Path:
    """The ``ontology/`` folder: the repo's own in a checkout, the packaged copy in a wheel."""
    env = os.environ.get("SAFETY_KG_ONTOLOGY")
    if env:
        return Path(env)
    repo = _PKG.parent / "ontology"
    if repo.is_dir():
        return repo
    return _PKG / "_ontology"


def cache_dir() -> Path:
    """Per-user cache for compiled vocabularies (safe to delete)."""
    env = os.environ.get("SAFETY_KG_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safety-kg"
