"""index.html at scale: its size, write time, and how soon it is usable in Chromium.

    python benchmarks/bench_index.py [--entities 100000] [--compare /work/main] [--keep DIR]
    python benchmarks/bench_index.py --focused [--entities 100000]

Builds the synthetic corpus of ``bench_views.py`` (real names over real places; at 100,000
entities mostly people, organizations, campaigns and mechanisms) and writes the index alone
(index.html, its data files index/*.js and assets/; no focused views: the index's links to
them are not followed). Prints the write time and the sizes, then opens it in headless
Chromium (/usr/bin/chromium, networking off, a fresh profile each time) and times, from
navigation start:

- first rows: the first table's rows on screen;
- interactive: the page parsed and its scripts run (the search box live) and, for the paged
  index, the four open tables' rows loaded (paging, sorting, filters live);
- search: typing a person's name (the last type's file) until that entity is the first
  result, the first time (every type's rows loaded) and again with another name;
- in the table of places: next page, sort by name, sort by relations, the city filter; the
  table of people (folded, the largest): open it, sort it by name; each until redrawn.

``--focused`` writes all the views instead (render_views, one process) and samples the
process's RSS and the number of focused views written every 3 s: a flat RSS while the
entity/ folder grows by a gigabyte shows the pages are written one at a time, not held.

``--lookup`` writes the index's data files, overview.html and resolve.html (with its shards
resolve/*.js where the checkout writes them) instead, prints their sizes, and times in Chromium:
the overview's script run and its layout frozen; its search for a person it does not draw (the
value typed, Find clicked) until the link to the person's view shows; resolve.html#<IRI> of a
person until the page asks for the person's view.

``--compare DIR`` runs the same on the index of another checkout (e.g. main's one-page index)
in the same run, for the ratio. Bar (issue 12, item 5): at 100,000 entities the index is
interactive in ≤ 2 s and a search answers in ≤ 1 s, with index.html under 2 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: run in a fresh process with the checkout to measure first on sys.path: writes the index of
#: the synthetic corpus into OUT and prints its timings as JSON
_WRITE = r"""
import json, sys, time
root, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, root)
sys.path.insert(0, root + "/benchmarks")
from pathlib import Path
from bench_views import synthetic_corpus
from kg.export.views.assets import asset_files
from kg.export.views.data import ViewIndex
from kg.export.views import index as index_mod
out = Path(out)
t = time.perf_counter()
corpus = synthetic_corpus(n)
corpus_s = time.perf_counter() - t
t = time.perf_counter()
ix = ViewIndex.build(corpus)
ix_s = time.perf_counter() - t
t = time.perf_counter()
(out / "assets").mkdir(parents=True, exist_ok=True)
for name, blob in asset_files().items():
    (out / "assets" / name).write_bytes(blob)
(out / "index.html").write_text(index_mod.render_index(ix), encoding="utf-8")
for rel, text in getattr(index_mod, "index_data_files", lambda ix: ())(ix):
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    (out / rel).write_text(text, encoding="utf-8")
write_s = time.perf_counter() - t
person = [e.name for e in ix.entities if e.type == "Person"]
print(json.dumps({
    "entities": len(ix.entities), "relations": len(ix.relations), "corpus_s": corpus_s,
    "index_s": ix_s, "write_s": write_s, "people": [person[len(person) // 3], person[2 * len(person) // 3]],
    "types": {t: sum(1 for e in ix.entities if e.type == t) for t in ("Place", "Organization", "Person")},
}, ensure_ascii=False))
"""


#: ``--focused``: every view of the synthetic corpus, RSS sampled while the focused views are written
_FOCUSED = r"""
import os, resource, sys, threading, time
root, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, root)
sys.path.insert(0, root + "/benchmarks")
from pathlib import Path
from bench_views import synthetic_corpus
from kg.export.views import render_views
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
corpus = synthetic_corpus(n)
print(f"corpus built: RSS {rss():.0f} MB", flush=True)
out = Path(out)
samples, done = [], []
def watch():
    while not done:
        d = out / "entity"
        samples.append((time.perf_counter(), sum(1 for _ in os.scandir(d)) if d.exists() else 0, rss()))
        time.sleep(3)
threading.Thread(target=watch, daemon=True).start()
t = time.perf_counter()
def progress(m):
    print(f"{time.perf_counter() - t:7.1f} s  RSS {rss():5.0f} MB  {m}", flush=True)
render_views(corpus, out, jobs=1, progress=progress)
done.append(1)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
print(f"render_views {time.perf_counter() - t:.1f} s, peak RSS {peak:.0f} MB; as it wrote focused views:")
for ts, k, r in samples[:: max(1, len(samples) // 12)] + samples[-1:]:
    print(f"{ts - t:7.1f} s  RSS {r:5.0f} MB  {k:>8,} focused views")
size = sum(f.stat().st_size for f in (out / "entity").iterdir())
print(f"entity/: {size / 1e6:,.0f} MB in {sum(1 for _ in (out / 'entity').iterdir()):,} pages")
"""


#: ``--lookup``: the index's data files, overview.html and resolve.html (and its shards)
_LOOKUP = r"""
import json, sys, time
root, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, root)
sys.path.insert(0, root + "/benchmarks")
from pathlib import Path
from urllib.parse import unquote
from bench_views import synthetic_corpus
from kg.export.rdf.iri import entity_iri
from kg.export.views.assets import asset_files
from kg.export.views.data import ViewIndex
from kg.export.views import index as index_mod, overview as overview_mod, resolve as resolve_mod
out = Path(out)
corpus = synthetic_corpus(n)
ix = ViewIndex.build(corpus)
def put(rel, text):
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    (out / rel).write_text(text, encoding="utf-8")
for name, blob in asset_files().items():
    (out / "assets").mkdir(parents=True, exist_ok=True)
    (out / "assets" / name).write_bytes(blob)
for rel, text in index_mod.index_data_files(ix):
    put(rel, text)
t = time.perf_counter()
put("overview.html", overview_mod.render_overview(ix, max_nodes=1500))
overview_s = time.perf_counter() - t
t = time.perf_counter()
put("resolve.html", resolve_mod.render_resolve(ix))
for rel, text in getattr(resolve_mod, "resolve_data_files", lambda ix: ())(ix):
    put(rel, text)
resolve_s = time.perf_counter() - t
drawn = set(overview_mod.choose_nodes(ix, 1500))
people = [e for e in ix.entities if e.type == "Person" and e.id not in drawn]
person = people[len(people) // 2]
print(json.dumps({
    "entities": len(ix.entities), "overview_s": overview_s, "resolve_s": resolve_s,
    "person": person.name, "page": ix.pages[person.id], "iri": entity_iri(person),
}, ensure_ascii=False))
"""


def _write(root: Path, n: int, out: Path, script: str = _WRITE) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(root), str(n), str(out)],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def _until(page: Any, js: str, t0: float, limit: float = 120.0) -> float:
    """Poll ``js`` until true; seconds since ``t0``."""
    while not page.evaluate(js):
        if time.perf_counter() - t0 > limit:
            raise TimeoutError(js)
        time.sleep(0.005)
    return time.perf_counter() - t0


def _q(table: str, tail: str) -> str:
    return f"document.querySelector('{table}'){tail}"


def _tables(page: Any, res: dict[str, float | int | None]) -> None:
    """Page, sort and filter the places (open); open the people (folded: the largest) and sort them."""
    table = "#type-Place table.paged"
    t = time.perf_counter()
    page.click("#type-Place .page-next")
    res["next_page_s"] = _until(page, _q(table, ".dataset.page === '1'"), t)
    for key, col in (("sort_name_s", 0), ("sort_relations_s", 3)):
        t = time.perf_counter()
        page.click(f"{table} button.sort[data-col='{col}']")
        res[key] = _until(page, _q(f'{table} button.sort[data-col="{col}"][data-dir]', " !== null"), t)
    t = time.perf_counter()
    page.select_option("#city-filter", index=1)
    res["city_s"] = _until(page, "+" + _q(table, ".dataset.shown < +") + _q(table, ".dataset.total"), t)
    people = "#type-Person table.paged"
    t = time.perf_counter()
    page.click("#type-Person summary")
    res["open_people_s"] = _until(page, _q(people, ".dataset.state === 'ready'"), t)
    t = time.perf_counter()
    page.click(f"{people} button.sort[data-col='0']")
    res["sort_people_s"] = _until(page, _q(f'{people} button.sort[data-col="0"][data-dir]', " !== null"), t)


def _open(html: Path, people: list[str], paged: bool) -> dict[str, float | int | None]:
    from playwright.sync_api import sync_playwright

    first_row = "document.querySelector('table.entities tbody tr td a') !== null"
    # the page parsed and its scripts run (they are at the end of the body); for the paged index
    # also the open tables' rows loaded
    live = "document.readyState !== 'loading'" + (
        " && Array.from(document.querySelectorAll('table.paged')).filter(t => !t.closest('details'))"
        ".every(t => t.getAttribute('data-state') === 'ready')"
        if paged
        else ""
    )

    def found(name: str) -> str:
        return (
            "(() => { const a = document.querySelector('#results a');"
            f" return a !== null && a.textContent.endsWith({json.dumps(name)}); }})()"
        )

    res: dict[str, float | int | None] = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        page = ctx.new_page()
        outside: list[str] = []
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def route(r: Any) -> None:  # networking off: only the folder itself
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        t0 = time.perf_counter()
        page.goto(html.as_uri(), wait_until="commit", timeout=600_000)
        res["first_rows_s"] = _until(page, first_row, t0)
        res["interactive_s"] = _until(page, live, t0)
        for key, name in zip(("search_s", "search_again_s"), people, strict=True):
            t = time.perf_counter()
            page.fill("#q", name)
            res[key] = _until(page, found(name), t)
        res["search_hits"] = int(page.get_attribute("#results", "data-count") or 0)
        if paged:
            _tables(page, res)
        res["outside"] = len(outside)
        res["errors"] = len(errors)
        ctx.close()
    return res


def _lookup(out: Path, w: dict[str, Any]) -> dict[str, float | int | None]:
    """The overview's search for a person not drawn, and resolve.html#<the person's IRI>."""
    from playwright.sync_api import sync_playwright

    res: dict[str, float | int | None] = {}
    name, page_rel = w["person"], w["page"]
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        page = ctx.new_page()
        outside: list[str] = []
        errors: list[str] = []
        asked: list[float] = []  # when the person's view was asked for
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def route(r: Any) -> None:  # networking off: only the folder itself
            url = r.request.url
            if url.endswith("/" + page_rel):
                asked.append(time.perf_counter())
                r.abort()  # the view is not written: what counts is that it is opened
            elif url.startswith(("file:", "data:")):
                r.continue_()
            else:
                outside.append(url)
                r.abort()

        page.route("**/*", route)
        t0 = time.perf_counter()
        page.goto((out / "overview.html").as_uri(), wait_until="commit", timeout=600_000)
        res["script_s"] = _until(page, "window.kgView !== undefined", t0)
        res["layout_s"] = _until(page, "window.kgView.state === 'ready'", t0)
        t = time.perf_counter()
        page.evaluate(f"document.getElementById('search').value = {json.dumps(name)}")
        page.click("#search-form button")
        found = (
            "(() => { const a = document.querySelector('#search-msg a');"
            f" return a !== null && a.getAttribute('href') === {json.dumps(page_rel)}; }})()"
        )
        res["find_s"] = _until(page, found, t)
        t = time.perf_counter()
        page.fill("#search", name[:-1])  # suggestions while typing (the names are loaded now)
        res["suggest_s"] = _until(page, "document.querySelectorAll('#suggest li').length > 0", t)
        page.close()
        page = ctx.new_page()
        page.route("**/*", route)
        t0 = time.perf_counter()
        page.goto((out / "resolve.html").as_uri() + "#" + w["iri"], wait_until="commit", timeout=600_000)
        _until(page, "true", t0)
        while not asked:
            if time.perf_counter() - t0 > 120:
                raise TimeoutError("resolve.html did not open the view")
            page.wait_for_timeout(5)  # lets playwright deliver the request to route()
        res["resolve_s"] = asked[0] - t0
        res["outside"] = len(outside)
        res["errors"] = len([e for e in errors if "ERR_FAILED" not in e])  # the aborted view
        ctx.close()
    return res


def lookup(runs: list[tuple[str, Path]], n: int, work: Path) -> None:
    """``--lookup``: overview.html and resolve.html side by side."""
    rows = []
    for label, root in runs:
        out = work / label
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        w = _write(root, n, out, _LOOKUP)
        rows.append((label, out, w))
        shards = list((out / "resolve").glob("*.js"))
        print(
            f"{label} ({root}): {w['entities']:,} entities; overview.html "
            f"{(out / 'overview.html').stat().st_size / 1e6:.2f} MB (written in {w['overview_s']:.1f} s), "
            f"resolve.html {(out / 'resolve.html').stat().st_size / 1e6:.3f} MB + resolve/ "
            f"{_size(out / 'resolve') / 1e6:.2f} MB in {len(shards)} files (largest "
            f"{max((f.stat().st_size for f in shards), default=0) / 1e3:.0f} kB; "
            f"written in {w['resolve_s']:.1f} s); "
            f"index/ {_size(out / 'index') / 1e6:.2f} MB"
        )
    if not CHROMIUM.exists():
        print("no /usr/bin/chromium: browser figures skipped (bash .ci/install-browser.sh)")
        return
    print(
        "\nheadless Chromium, networking off, seconds from navigation start (find, suggest: from the action):"
    )
    keys = ("script_s", "layout_s", "find_s", "suggest_s", "resolve_s")
    print(f"{'views':<8} " + " ".join(f"{k.removesuffix('_s'):>9}" for k in keys) + "  outside errors")
    for label, out, w in rows:
        r = _lookup(out, w)
        cells = " ".join(f"{r[k]:>9.2f}" for k in keys)
        print(f"{label:<8} {cells}  {r['outside']:>7} {r['errors']:>6}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--compare", type=Path, help="another checkout whose index to measure alongside")
    ap.add_argument("--keep", type=Path, help="write the indexes here and keep them (default: a temp folder)")
    ap.add_argument("--focused", action="store_true", help="write every view and sample RSS (see above)")
    ap.add_argument("--lookup", action="store_true", help="overview.html and resolve.html (see above)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_index_"))
    if args.lookup:
        lookup(
            [("this", ROOT)] + ([("compare", args.compare.resolve())] if args.compare else []),
            args.entities,
            work,
        )
        if not args.keep:
            shutil.rmtree(work)
        return 0
    if args.focused:
        out = work / "views"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, "-c", _FOCUSED, str(ROOT), str(args.entities), str(out)]
        subprocess.run(cmd, cwd=ROOT, check=True)
        if not args.keep:
            shutil.rmtree(work)
        return 0
    runs = [("this", ROOT)] + ([("compare", args.compare.resolve())] if args.compare else [])
    rows = []
    for label, root in runs:
        out = work / label
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        w = _write(root, args.entities, out)
        rows.append((label, root, out, w))
        files = list((out / "index").glob("*.js"))
        print(
            f"{label} ({root}): {w['entities']:,} entities, {w['relations']:,} relations "
            f"(Place {w['types']['Place']:,}, Organization {w['types']['Organization']:,}, "
            f"Person {w['types']['Person']:,}); ViewIndex.build {w['index_s']:.1f} s; "
            f"index written in {w['write_s']:.1f} s: "
            f"index.html {(out / 'index.html').stat().st_size / 1e6:.2f} MB, "
            f"index/ {_size(out / 'index') / 1e6:.2f} MB in {len(files)} files "
            f"(largest {max((f.stat().st_size for f in files), default=0) / 1e6:.2f} MB)"
        )
    if not CHROMIUM.exists():
        print("no /usr/bin/chromium: browser figures skipped (bash .ci/install-browser.sh)")
        return 0
    print("\nheadless Chromium, networking off, seconds from navigation start (then from each action):")
    keys = ("first_rows_s", "interactive_s", "search_s", "search_again_s", "next_page_s", "sort_name_s",
            "sort_relations_s", "city_s", "open_people_s", "sort_people_s")  # fmt: skip
    print(f"{'index':<8} " + " ".join(f"{k.removesuffix('_s'):>11}" for k in keys) + "  hits outside errors")
    for label, _root, out, w in rows:
        paged = (out / "index").exists()
        r = _open(out / "index.html", w["people"], paged)
        cells = " ".join(f"{r[k]:>11.2f}" if r.get(k) is not None else f"{'-':>11}" for k in keys)
        print(f"{label:<8} {cells}  {r['search_hits']:>4} {r['outside']:>7} {r['errors']:>6}")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
