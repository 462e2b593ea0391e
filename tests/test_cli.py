"""The CLI on bad input: a result or a one-line error naming the file, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ._util import ROOT, SEEDS


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300
    )


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    seed = SEEDS[4].read_text(encoding="utf-8")
    (d / "ok.txt").write_text(seed, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "gbk.txt").write_bytes(seed.encode("gb18030"))
    (d / "page.html").write_text(
        "<html><head><script>var t='不要提取这里';</script></head><body><nav>首页 新闻 联系我们</nav>"
        "<h2>长子县开展隐患排查</h2><p>长子县紧盯煤矿、危化品等重点行业，扎实推进“春夏九防·敲门行动”。</p>"
        "<footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    (d / "unclosed.txt").write_text(
        "本报讯 为落实《关于做好安全生产工作的通知，开展“春季安全大检查行动，聚焦煤矿。", encoding="utf-8"
    )
    (d / "oneline.txt").write_text(seed.replace("\n", "") * 80, encoding="utf-8")  # ~1 MB, one line
    return d


def test_a_directory_with_bad_files_processes_the_others_and_exits_nonzero(bad_dir):
    p = run("extract", str(bad_dir))
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    errs = [ln for ln in p.stderr.splitlines() if ln]
    assert len(errs) == 2
    assert any("empty.txt" in ln and "empty" in ln for ln in errs)
    assert any("binary.txt" in ln and "binary" in ln for ln in errs)
    lines = {json.loads(ln)["file"]: json.loads(ln) for ln in p.stdout.splitlines()}
    assert set(lines) == {"ok.txt", "gbk.txt", "page.html", "unclosed.txt", "oneline.txt"}
    # the GB18030 copy gives exactly what the UTF-8 page gives
    assert lines["gbk.txt"]["entities"] == lines["ok.txt"]["entities"]
    html_names = {e["name"] for e in lines["page.html"]["entities"]}
    assert {"长子县", "煤矿", "危险化学品", "春夏九防·敲门行动"} <= html_names
    assert not any("不要提取" in n or "首页" in n for n in html_names)
    assert lines["unclosed.txt"]["entities"] and all(
        not e["name"].startswith(("《", "关于")) for e in lines["unclosed.txt"]["entities"]
    )
    assert len(lines["oneline.txt"]["entities"]) >= 50


def test_output_file_is_written_atomically_and_matches_stdout(tmp_path):
    out = tmp_path / "x.jsonl"
    p = run("extract", str(SEEDS[0]), "-o", str(out))
    assert p.returncode == 0 and p.stdout == ""
    q = run("extract", str(SEEDS[0]))
    assert out.read_text(encoding="utf-8") == q.stdout
    assert not list(tmp_path.glob(".*tmp"))
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # like a plain open(), not mkstemp's 0600


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["extract", "no/such/file.txt"], 1, "no/such/file.txt"),
        (["extract", "--home", "火星市", "seeds"], 2, "火星市"),
        (["eval", "--gold", "no/such/gold.jsonl", "seeds"], 2, "no/such/gold.jsonl"),
    ],
)
def test_usage_errors_are_one_line(args, code, message):
    p = run(*args)
    assert p.returncode == code
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in p.stderr


def test_home_override_changes_relative_names():
    p = run("extract", "--home", "晋城市", "-")
    assert p.returncode != 0  # "-" is not a file: a clear error
    text = ROOT / "seeds" / SEEDS[3].name
    q = run("extract", "--home", "运城市", str(text))
    assert "运城市应急管理局" in q.stdout


def test_every_command_has_help():
    p = run("--help")
    assert p.returncode == 0
    for cmd in ("extract", "eval"):
        h = run(cmd, "--help")
        assert h.returncode == 0 and len(h.stdout) > 100


def test_eval_extracts_each_file_with_its_gold_home(tmp_path):
    """县应急管理局 in a county article is the gold line's home's bureau: eval extracts each
    file as `kg extract --home` would."""
    page = tmp_path / "a.txt"
    evidence = "县应急管理局联合县消防救援大队检查加油站"
    page.write_text(f"我县开展燃气安全隐患排查整治。{evidence}。", encoding="utf-8")
    rel = {"s": "青龙满族自治县应急管理局", "p": "targets", "o": "加油站", "evidence": evidence}
    line = {"file": "a.txt", "home": "青龙满族自治县", "entities": [], "relations": [rel]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    p = run("eval", "--gold", str(gold), str(page))
    assert p.returncode == 0, p.stderr
    row = next(ln for ln in p.stdout.splitlines() if ln.startswith("targets"))
    assert row.split()[3] == "1"  # the one gold relation is found: 县 is the gold home
    # an explicit --home wins over the gold's
    q = run("eval", "--gold", str(gold), str(page), "--home", "长治市")
    row = next(ln for ln in q.stdout.splitlines() if ln.startswith("targets"))
    assert row.split()[3] == "0"
