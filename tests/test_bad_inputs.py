"""The bad-input matrix (issue 10, items 6 and 7): every kind of bad input the issue and
the README name, in one folder with good pages, through ``kg extract`` (to a file and to
stdout) and ``kg build``.

Bars: no traceback, no "internal error", no hang; every good page is in the output; every
bad path is reported on one line of its own (names printed escaped, so a newline or an
ANSI code in a name cannot forge a line); exit code 1. The kinds are a table: one row per
kind, with what must happen to it.

Permission cases need a process that file modes stop: as root the commands run with
CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped (``setpriv``), as anyone else as they are.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ._util import ROOT, unbroken

#: A made-up local news page: places, bodies, industries, a campaign, a measure.
PAGE = (
    "长子县开展危险化学品安全检查\n\n"
    "本报讯 近日，长子县应急管理局联合县消防救援大队，对全县危险化学品企业、加油站开展"
    "安全隐患排查整治，扎实推进“春夏九防·敲门行动”。检查组要求企业落实安全生产责任制。\n"
)
#: Names every good text page must give (the page's own, whatever its encoding).
MUST_FIND = {"长子县", "危险化学品", "加油站", "春夏九防·敲门行动"}

_SETPRIV = (
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
)


@dataclass(frozen=True)
class Kind:
    """One kind of input: how to make it in folder ``d``, and what must happen to it.

    ``shown`` is the path as messages and JSON print it (relative to the folder);
    ``ok`` kinds must be in the output under ``name``; the others reported on one line
    holding ``shown`` and ``problem``. ``texty`` pages must give :data:`MUST_FIND`.
    """

    id: str
    make: Callable[[Path], None]
    ok: bool
    shown: str
    problem: str = ""
    name: str = ""
    texty: bool = True
    arg: bool = False  # passed on the command line itself (not found by walking the folder)


def _w(name: str | bytes, data: bytes | str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        raw = name if isinstance(name, bytes) else os.fsencode(name)
        with open(os.path.join(os.fsencode(d), raw), "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))

    return make


def _random(n: int, seed: int, nul: bool) -> bytes:
    rng = random.Random(seed)
    out = bytes(rng.randrange(256) for _ in range(n))
    return out if nul else out.replace(b"\x00", b"\x01")


def _nested_html(depth: int, tag: str = "div", close: bool = True) -> str:
    inner = "<p>" + PAGE.replace("\n", "") + "</p>"
    return (
        "<html><body>"
        + f"<{tag}>" * depth
        + inner
        + (f"</{tag}>" * depth if close else "")
        + "</body></html>"
    )


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda d: os.mkfifo(d / name)


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda d: os.symlink(target, d / name)


def _socket(name: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(d / name))
        s.close()

    return make


def _locked_dir(name: str, mode: int) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).mkdir()
        (d / name / "inside.txt").write_text(PAGE, encoding="utf-8")
        (d / name).chmod(mode)

    return make


def _locked_file(name: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).write_text(PAGE, encoding="utf-8")
        (d / name).chmod(0)

    return make


def _link_outside(name: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        target = d.parent / f"{d.name}-target.txt"
        target.write_text(PAGE, encoding="utf-8")
        os.symlink(target, d / name)

    return make


def _linked_dir(name: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        target = d.parent / f"{d.name}-elsewhere"
        target.mkdir()
        (target / "far.txt").write_text(PAGE, encoding="utf-8")
        os.symlink(target, d / name)

    return make


U8 = PAGE.encode("utf-8")
PNG = b"\x89PNG\r\n\x1a\n"
CONTROLLED = "推进“\x01护航\x7f行动”和“\x1b[1m安全\x0c月”。"  # control characters in quoted names
GBK_NAME = "中文名.txt".encode("gbk")  # a name from a Chinese Windows archive: not UTF-8
LIMIT = "3MB"  # the commands run with --max-file-size 3MB
OVER = 3_200_000  # bytes

KINDS: list[Kind] = [
    # -- contents that are no page: reported
    Kind("empty", _w("empty.txt", b""), False, "empty.txt", "file is empty"),
    Kind("blank", _w("blank.txt", b"  \n\t\r\n "), False, "blank.txt", "file is empty"),
    Kind("ideographic-space", _w("ideo.txt", "\u3000\u3000\n"), False, "ideo.txt", "file is empty"),
    Kind("bom-only", _w("bom.txt", codecs.BOM_UTF8), False, "bom.txt", "file is empty"),
    Kind("binary-nul", _w("bin.txt", _random(9000, 1, True)), False, "bin.txt", "binary"),
    Kind("binary-no-nul", _w("bin2.txt", _random(9000, 2, False)), False, "bin2.txt", "binary"),
    Kind("zeros", _w("zeros.txt", b"\x00" * 5000), False, "zeros.txt", "binary"),
    Kind("png-as-txt", _w("photo.txt", PNG + bytes(range(256)) * 8), False, "photo.txt", "binary"),
    Kind("controls", _w("ctl.txt", bytes(range(1, 32)) * 64), False, "ctl.txt", "binary"),
    Kind("html-no-text", _w("script.html", "<html><script>var a=1;</script></html>"), False, "script.html",
         "no article text"),
    Kind("oversized", _w("huge.txt", "安全生产。" * (OVER // 15)), False, "huge.txt", "--max-file-size"),
    # -- encodings and text shapes that are pages: extracted
    Kind("utf-8", _w("utf8.txt", U8), True, "utf8.txt"),
    Kind("utf-8-bom", _w("utf8bom.txt", codecs.BOM_UTF8 + U8), True, "utf8bom.txt"),
    Kind("gb18030", _w("gb18030.txt", PAGE.encode("gb18030")), True, "gb18030.txt"),
    Kind("gbk-cut", _w("gbkcut.txt", PAGE.encode("gbk") + "安".encode("gbk")[:1]), True, "gbkcut.txt"),
    Kind("utf-16-le-bom", _w("u16le.txt", PAGE.encode("utf-16")), True, "u16le.txt"),
    Kind("utf-16-be-bom", _w("u16be.txt", codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be")), True, "u16be.txt"),
    Kind("utf-16-le", _w("u16le-nobom.txt", PAGE.encode("utf-16-le")), True, "u16le-nobom.txt"),
    Kind("utf-16-be", _w("u16be-nobom.txt", PAGE.encode("utf-16-be")), True, "u16be-nobom.txt"),
    Kind("utf-16-le-ascii", _w("u16ascii.txt", ("Safety check. " * 20 + PAGE).encode("utf-16-le")), True,
         "u16ascii.txt"),
    Kind("utf-32-bom", _w("u32.txt", PAGE.encode("utf-32")), True, "u32.txt"),
    Kind("one-nul", _w("nul.txt", U8[:60] + b"\x00" + U8[60:]), True, "nul.txt"),
    Kind("nul-at-start", _w("nul0.txt", b"\x00" + U8), True, "nul0.txt"),
    Kind("few-nuls", _w("nuls.txt", U8.replace("。".encode(), "。\x00".encode())), True, "nuls.txt"),
    Kind("crlf", _w("crlf.txt", PAGE.replace("\n", "\r\n")), True, "crlf.txt"),
    Kind("cr", _w("cr.txt", PAGE.replace("\n", "\r")), True, "cr.txt"),
    Kind("bad-utf-8-byte", _w("badbyte.txt", U8 + b"\xff" + U8), True, "badbyte.txt"),
    Kind("ansi-in-text", _w("ansi.txt", "\x1b[31m" + PAGE + "\x1b[0m"), True, "ansi.txt"),
    Kind("controls-in-a-name", _w("ctlname.txt", PAGE + CONTROLLED), True, "ctlname.txt"),
    Kind("emoji", _w("emoji.txt", "🚒🔥" + PAGE + "👍\U0001f9ef"), True, "emoji.txt"),
    Kind("bidi-and-zero-width", _w("bidi.txt", "\u202e\u200b" + PAGE + "\u2066\u200d"), True, "bidi.txt"),
    Kind("markdown", _w("page.md", "# 长子县\n\n" + PAGE), True, "page.md"),
    Kind("upper-suffix", _w("UPPER.TXT", U8), True, "UPPER.TXT"),
    Kind("unclosed-quote", _w("quote.txt", PAGE + "开展“春季安全大检查行动，聚焦煤矿。"), True, "quote.txt"),
    Kind("unclosed-title", _w("title.txt", PAGE + "为落实《关于做好安全生产工作的通知，开展检查。"), True,
         "title.txt"),
    Kind("no-punctuation", _w("nopunct.txt", (PAGE.replace("，", "").replace("。", "") * 400)), True,
         "nopunct.txt"),
    Kind("one-long-line", _w("oneline.txt", PAGE.replace("\n", "") * 1000), True, "oneline.txt"),
    Kind("one-repeated-char", _w("repeat.txt", PAGE + "安" * 200_000), True, "repeat.txt"),
    Kind("english-only", _w("english.txt", "Safety inspection of chemical plants.\n"), True, "english.txt",
         texty=False),
    # -- HTML
    Kind("html", _w("page.html", f"<html><body><nav>首页</nav><p>{PAGE}</p></body></html>"), True,
         "page.html"),
    Kind("html-gbk-meta", _w("gbk.html", f'<meta charset="gbk"><p>{PAGE}</p>'.encode("gbk")), True,
         "gbk.html"),
    Kind("html-nested-200k", _w("deep.html", _nested_html(200_000)), True, "deep.html"),
    Kind("html-unclosed-200k", _w("deep2.html", _nested_html(200_000, close=False)), True, "deep2.html"),
    Kind("html-nested-sections", _w("deep3.html", _nested_html(50_000, "section")), True, "deep3.html"),
    Kind("html-nested-spans", _w("deep4.html", _nested_html(100_000, "span")), True, "deep4.html"),
    Kind("html-20k-siblings", _w("wide.html", "<p>x</p>" * 20_000 + f"<p>{PAGE}</p>"), True, "wide.html"),
    # -- names
    Kind("gbk-name", _w(GBK_NAME, U8), True, "\\xd6\\xd0\\xce\\xc4\\xc3\\xfb.txt"),
    Kind("newline-name", _w("forged\nkg: error: fake.txt", U8), True, "forged\\nkg: error: fake.txt",
         name="forged\\nkg: error: fake.txt"),
    Kind("ansi-name", _w("\x1b[2Jansi.txt", U8), True, "\\x1b[2Jansi.txt"),
    Kind("bidi-name", _w("evil\u202etxt.exe.txt", U8), True, "evil\\u202etxt.exe.txt"),
    Kind("space-name", _w("a page (1).txt", U8), True, "a page (1).txt"),
    # -- files that are not regular files, links: reported, never read
    Kind("fifo", _fifo("pipe.txt"), False, "pipe.txt", "FIFO"),
    Kind("socket", _socket("sock.txt"), False, "sock.txt", "socket"),
    Kind("link-to-dev-zero", _symlink("zero.txt", "/dev/zero"), False, "zero.txt", "character device"),
    Kind("link-to-dev-null", _symlink("null.txt", "/dev/null"), False, "null.txt", "character device"),
    Kind("broken-link", _symlink("broken.txt", "nowhere.txt"), False, "broken.txt", "broken symbolic link"),
    Kind("link-loop", _symlink("loop.txt", "loop.txt"), False, "loop.txt", "symbolic links"),
    Kind("link-to-page", _link_outside("alias.txt"), True, "alias.txt"),
    Kind("linked-folder", _linked_dir("linked"), False, "linked", "link to a folder"),
    # -- permissions
    Kind("unreadable-file", _locked_file("secret.txt"), False, "secret.txt", "permission denied"),
    Kind("unreadable-folder", _locked_dir("locked", 0), False, "locked", "permission denied"),
    Kind("unsearchable-folder", _locked_dir("noexec", 0o644), False, "noexec", "permission denied"),
    # -- given on the command line
    Kind("missing-arg", lambda d: None, False, "missing.txt", "no such file", arg=True),
    Kind("glob-no-match", lambda d: None, False, "*.doc", "matched no files", arg=True),
    Kind("file-in-unreadable-folder", _locked_dir("vault", 0), False, "vault/inside.txt", "permission denied",
         arg=True),
    Kind("fifo-arg", _fifo("pipe-arg"), False, "pipe-arg", "FIFO", arg=True),
    Kind("dev-urandom-arg", lambda d: None, False, "/dev/urandom", "character device", arg=True),
]  # fmt: skip
KINDS = [k if k.name or not k.ok else Kind(**{**k.__dict__, "name": Path(k.shown).name}) for k in KINDS]
BY_ID = {k.id: k for k in KINDS}
assert len(BY_ID) == len(KINDS)


def _dropped_privileges() -> tuple[str, ...]:
    """The prefix that makes file modes apply to this process's children (root ignores them)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.fail("running as root needs setpriv (util-linux) to test permission errors")
    return _SETPRIV


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    records: dict[str, dict]  # output name -> JSON record (extract) or page summary (build)
    out: Path | None = None  # the build's output folder


@pytest.fixture(scope="module")
def matrix() -> Iterator[Path]:
    """The folder of every kind (made world-readable where it must be: not under pytest's
    0700 tmp, so the privilege-dropped commands reach it)."""
    base = Path(tempfile.mkdtemp(prefix="kg-bad-inputs-"))
    d = base / "pages"
    d.mkdir()
    for k in KINDS:
        k.make(d.parent if k.arg else d)  # what is named on the command line is not in the folder
    yield d
    for root, dirs, _files in os.walk(base):
        for x in dirs:
            p = Path(root) / x
            if not p.is_symlink():
                p.chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


def _args(d: Path) -> list[str]:
    out = [str(d)]
    for k in KINDS:
        if k.arg:
            out.append(k.shown if k.shown.startswith("/") else str(d.parent / k.shown))
    return out


def _run(cmd: list[str], tmp: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAFETY_KG_CACHE": str(tmp / "cache"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*_dropped_privileges(), sys.executable, "-m", "kg", *cmd],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def extract_file(matrix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("extract")
    out = tmp / "out.jsonl"
    p = _run(["extract", *_args(matrix), "--max-file-size", LIMIT, "-o", str(out)], tmp)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    records = {r["file"]: r for r in map(json.loads, text.splitlines())}
    return Run(p.returncode, p.stdout, p.stderr, records)


@pytest.fixture(scope="module")
def extract_stdout(matrix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("stdout")
    p = _run(["extract", *_args(matrix), "--max-file-size", LIMIT], tmp)
    records = {r["file"]: r for r in map(json.loads, p.stdout.splitlines())}
    return Run(p.returncode, p.stdout, p.stderr, records)


@pytest.fixture(scope="module")
def build(matrix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("build")
    out = tmp / "graph"
    args = ["build", *_args(matrix), "--max-file-size", LIMIT, "-o", str(out), "--no-cache", "-q"]
    p = _run([*args, "--formats", "all"], tmp)
    summary = (
        json.loads((out / "summary.json").read_text(encoding="utf-8")) if out.exists() else {"pages": []}
    )
    return Run(p.returncode, p.stdout, p.stderr, {page["name"]: page for page in summary["pages"]}, out)


def test_build_outputs_are_well_formed(build: Run) -> None:
    """What the build wrote parses: control characters in a page (ctlname.txt) made
    graph.graphml invalid XML."""
    import xml.dom.minidom

    import pyoxigraph as ox

    out = build.out
    assert out is not None
    xml.dom.minidom.parse(str(out / "graph.graphml"))
    for name, fmt in (("graph.nq", ox.RdfFormat.N_QUADS), ("graph.trig", ox.RdfFormat.TRIG)):
        assert list(ox.parse(path=str(out / name), format=fmt))
    assert list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def views(matrix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("views")
    p = _run(["views", str(tmp / "html"), *_args(matrix), "--max-file-size", LIMIT], tmp)
    return Run(p.returncode, p.stdout, p.stderr, {})


@pytest.fixture(scope="module")
def evaluate(matrix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("eval")
    gold = tmp / "gold.jsonl"
    gold.write_text('{"file": "utf8.txt", "entities": [], "relations": []}\n', encoding="utf-8")
    p = _run(["eval", "--gold", str(gold), *_args(matrix), "--max-file-size", LIMIT], tmp)
    return Run(p.returncode, p.stdout, p.stderr, {})


#: The runs whose records are checked kind by kind.
RUNS = ("extract_file", "extract_stdout", "build")
#: kg views and kg eval read the pages too: the same messages, the same exit code.
ALL_RUNS = (*RUNS, "views", "evaluate")


@pytest.mark.parametrize("run", ALL_RUNS)
def test_no_traceback_no_internal_error_exit_1(run: str, request: pytest.FixtureRequest) -> None:
    r: Run = request.getfixturevalue(run)
    assert "Traceback" not in r.stderr
    assert "internal error" not in r.stderr
    assert r.code == 1, r.stderr[-2000:]


@pytest.mark.parametrize("run", ALL_RUNS)
def test_every_message_is_one_line_of_its_own(run: str, request: pytest.FixtureRequest) -> None:
    """Each stderr line is a message of kg (no line forged by a name, no stray output), and
    each reported problem names one input."""
    r: Run = request.getfixturevalue(run)
    skipped = [ln for ln in r.stderr.splitlines() if ln.startswith("kg: skipped ")]
    others = [ln for ln in r.stderr.splitlines() if ln and not ln.startswith("kg: skipped ")]
    assert all(not ln.startswith("kg:") or ln.startswith("kg: wrote ") for ln in others), others
    assert not any("\x1b" in ln or "\u202e" in ln for ln in r.stderr.splitlines())
    assert len(skipped) == sum(1 for k in KINDS if not k.ok), "\n".join(skipped)


@pytest.mark.parametrize("kind", KINDS, ids=[k.id for k in KINDS])
@pytest.mark.parametrize("run", RUNS)
def test_kind(kind: Kind, run: str, request: pytest.FixtureRequest) -> None:
    r: Run = request.getfixturevalue(run)
    if kind.ok:
        assert kind.name in r.records, f"good page {kind.name!r} lost; stderr:\n{r.stderr[-3000:]}"
        if kind.texty and run != "build":
            names = {e["name"] for e in r.records[kind.name]["entities"]}
            assert names >= MUST_FIND, MUST_FIND - names
        assert not any(kind.shown in ln for ln in r.stderr.splitlines() if ln.startswith("kg: skipped"))
    else:
        lines = [ln for ln in r.stderr.splitlines() if ln.startswith("kg: skipped") and kind.shown in ln]
        assert len(lines) == 1, f"{kind.shown}: {lines}\n{r.stderr[-3000:]}"
        assert kind.problem in lines[0]


def test_the_table_covers_the_issue(matrix: Path) -> None:
    """56 kinds or more, each made as described (a FIFO is a FIFO …)."""
    assert len(KINDS) >= 56
    assert stat.S_ISFIFO(os.lstat(matrix / "pipe.txt").st_mode)
    assert stat.S_ISSOCK(os.lstat(matrix / "sock.txt").st_mode)
    assert os.readlink(matrix / "zero.txt") == "/dev/zero"
    assert os.fsencode(matrix / os.fsdecode(GBK_NAME)).endswith(GBK_NAME)


GOLD_KINDS = [
    ("fifo", lambda p: os.mkfifo(p), "FIFO"),
    ("dev-zero", lambda p: os.symlink("/dev/zero", p), "character device"),
    ("folder", lambda p: p.mkdir(), "is a directory"),
    ("gbk", lambda p: p.write_bytes('{"file": "安全生产.txt"}'.encode("gbk")), "not UTF-8"),
    ("binary", lambda p: p.write_bytes(bytes(range(256))), "not UTF-8"),
]


@pytest.mark.parametrize(("kind", "make", "problem"), GOLD_KINDS, ids=[g[0] for g in GOLD_KINDS])
@pytest.mark.parametrize("role", ["gold", "pred"])
def test_kg_eval_reads_its_jsonl_files_safely(
    tmp_path: Path, kind: str, make: Callable[[Path], None], problem: str, role: str
) -> None:
    """kg eval reads a gold JSONL (and a prediction JSONL): a FIFO, a device, a folder or
    bytes that are not UTF-8 there are one-line errors too, not a hang or a traceback."""
    bad = tmp_path / "bad.jsonl"
    make(bad)
    good = tmp_path / "good.jsonl"
    good.write_text('{"file": "a.txt", "entities": [], "relations": []}\n', encoding="utf-8")
    gold, pred = (bad, good) if role == "gold" else (good, bad)
    p = _run(["eval", "--gold", str(gold), str(pred)], tmp_path, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "internal error" not in p.stderr
    if (role, kind) == ("gold", "folder"):  # click checks --gold itself (a usage message)
        assert "is a directory" in p.stderr
        return
    (line,) = p.stderr.strip().splitlines()
    assert str(bad) in line and problem in line


#: Text shapes that made extraction super-linear (hostile or broken pages: repeated
#: names, quotes and spaced characters with no sentence end), 60,000-480,000 characters
#: each. A guard against hangs, not a speed target: each must finish within a minute.
PATHOLOGICAL = {
    "quote-chain": "“安全”" * 20_000,  # _chain_start/_chain_end walked the whole chain per quote
    "quote-chain-dun": "“安全”、" * 16_000,
    "mixed-quote-chain": "“‘「『安全』」’”" * 16_000,
    "ascii-quote-chain": '"安全"' * 20_000,
    "spaced-characters": " 安" * 40_000,  # the photo-credit pattern backtracked exponentially
    "chief-systems": "河长制" * 60_000,  # every lexicon name compared with every other one
    "events": "长子县旅游节" * 80_000,  # each campaign walked back over all campaigns before it
    "titles": "《安全》" * 20_000,
    "open-titles": "《" * 80_000,
    "open-quotes": "“" * 80_000,
    "dun": "、" * 80_000,
    "org-heads": "局" * 80_000,
    "surnames": "王" * 80_000,
    "place-list": "、".join(["长子县应急管理局"] * 10_000),
    "joint-orgs": "长子县应急管理局联合" * 8_000,
    "posts-and-names": "副市长张锐" * 16_000,
    "headlines": "长子县开展检查\n\n" * 8_000,
}


@pytest.fixture
def minute() -> Iterator[None]:
    import signal

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("extraction took over a minute")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("shape", list(PATHOLOGICAL))
def test_pathological_text_shapes_do_not_hang(shape: str, minute: None) -> None:
    from kg.pipeline import extract_text

    text = PATHOLOGICAL[shape]
    r = extract_text(text)
    for rel in r.relations:
        for ev in rel.evidence:
            assert unbroken(text[ev.start : ev.end]) == ev.text
