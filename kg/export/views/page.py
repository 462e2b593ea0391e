"""The HTML shell every view shares: head with a strict CSP, stylesheet, navigation.

Pages are self-contained folders: scripts and styles come from ``assets/`` next to
``index.html`` (relative URLs, so opening the folder from disk works), data from a
JSON block in the page. The CSP allows nothing but the page's own folder and
``data:`` images, and no inline script: even a string that escaped escaping could
not run.
"""

from __future__ import annotations

from typing import Any

from kg.export.views.escape import h, json_script

#: No external origin of any kind; scripts and styles only from files next to the page
#: ('self' covers file:// in Chromium; ``file:`` is listed for browsers that treat
#: every local file as its own origin).
CSP = (
    "default-src 'none'; script-src 'self' file:; style-src 'self' file:; "
    "img-src 'self' file: data:; connect-src 'none'; font-src 'none'; object-src 'none'; "
    "media-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'"
)

TITLE = "安全生产知识图谱 safety-kg"


def render(
    title: str,
    body: str,
    *,
    root: str,
    scripts: tuple[str, ...] = (),
    styles: tuple[str, ...] = (),
    data: Any = None,
    page_class: str = "",
) -> str:
    """A complete UTF-8 page. ``root`` is the relative path to the output folder ("" or "../").

    ``title`` and ``body`` must already be HTML (escaped by the caller); ``data``
    becomes a JSON block read by the page's scripts.
    """
    head_links = "".join(f'<link rel="stylesheet" href="{h(root + s)}">\n' for s in styles)
    head_links += f'<link rel="stylesheet" href="{h(root)}assets/views.css">\n'
    head_links += f'<link rel="stylesheet" href="{h(root)}assets/theme.css">\n'
    script_tags = "".join(f'<script src="{h(root + s)}"></script>\n' for s in scripts)
    data_block = json_script("kg-data", data) + "\n" if data is not None else ""
    cls = f' class="{h(page_class)}"' if page_class else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{h(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · {h(TITLE)}</title>\n"
        f"{head_links}</head>\n"
        f"<body{cls}>\n"
        f'<header class="top"><a class="brand" href="{h(root)}index.html">{h(TITLE)}</a>\n'
        f'<nav><a href="{h(root)}index.html">Index 索引</a> '
        f'<a href="{h(root)}overview.html">Overview graph 总览图</a></nav></header>\n'
        f"{body}\n"
        f"{data_block}"
        f"{script_tags}"
        "</body>\n</html>\n"
    )
