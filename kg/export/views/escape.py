"""The one place where text from articles becomes HTML or JavaScript data.

Every string that comes from a page (names, aliases, evidence, headlines, file
names) reaches the HTML through :func:`h` (text and quoted attribute values) or
through :func:`json_script` (data for the page's JavaScript, which builds the DOM
with ``textContent``, never ``innerHTML``). Nothing is concatenated into script.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from kg.text import without_breaks


def h(value: object) -> str:
    """Escape for HTML text and double- or single-quoted attribute values (most text of an
    article has none of the five characters: it is returned as it is, without five scans)."""
    s = value if type(value) is str else str(value)
    if "&" in s or "<" in s or ">" in s or '"' in s or "'" in s:
        return html.escape(s, quote=True)
    return s


def display_text(text: str) -> str:
    """A span of a page as one line: line breaks (column wraps in the source) removed
    (:func:`kg.text.without_breaks`), and the ends trimmed."""
    return without_breaks(text).strip()


def to_json(data: Any) -> str:
    """Compact, deterministic JSON (keys in insertion order, UTF-8 kept)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


_SCRIPT_UNSAFE = {
    "<": "\\u003c",  # covers </script> and <!--
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",  # line separators end a JavaScript string in older engines
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c`` … so no ``</script>`` or ``<!--`` can
    end or alter the element; U+2028/2029 are escaped as well. JSON.parse restores
    the original text.
    """
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], to_json(data))


def json_script(element_id: str, data: Any) -> str:
    """A non-executed data block the page's script reads with ``JSON.parse``."""
    return f'<script type="application/json" id="{h(element_id)}">{json_for_script(data)}</script>'
