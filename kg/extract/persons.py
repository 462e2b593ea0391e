"""Persons: named people, found through their posts, roles and speech verbs."""

from __future__ import annotations

from kg.extract import Context, register
from kg.model import Mention


@register("persons")
def extract_persons(ctx: Context) -> list[Mention]:
    return []
