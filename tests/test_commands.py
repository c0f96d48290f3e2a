"""README 中的命令在一份新克隆里通过 make 本身运行（不是测试自己拼出的等价命令）。

只克隆一次（git clone 本仓库的 HEAD：测的是已提交的版本，改完先提交），克隆里的 .venv 和 node_modules
也只装一次，之后各条命令共用。测 make offline（解压 zip，从 file:// 在 Chromium 中打开首页）、
make release（先打印发布清单；没填身份信息等阻止发布时拒绝，填了就构建）、make check、make fix、make ids、make serve PORT=、
make new-case（从终端逐项回答）。
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from helpers import REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("commands")]

JIEBA_CHATTER = ("Building prefix dict", "Loading model", "Prefix dict has been built")
# 部署单位身份：测试用的虚构值（示例局），只用于这份临时配置，不发布
RELEASE_CONFIG = """\
INHERIT: mkdocs.yml
site_url: https://www.example.gov.cn/column/
extra:
  column:
    operator: 示例局
    undertaker: 示例局办公室
    region: 全国
    contact: "010-00000000"
    site_id_code: "0000000000"
    icp: 示例ICP备00000000号
    police_beian: 示例公网安备00000000000000号
    police_beian_url: https://beian.example.invalid/
    site_domain: www.example.invalid
    report:
      phone: "010-00000000"
    publish_unverified: true
    release_waivers:
      hard_measures: true
"""


def make(clone: Path, *args: str, timeout: int = 300, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("RELEASE", "OFFLINE", "SITE_URL", "MAKEFLAGS", "MFLAGS")}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=timeout, **kw)


def _out(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.fail("需要 make 和 git")
    dest = tmp_path_factory.mktemp("clone") / "repo"
    done = subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(dest)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    installed = make(dest, "install", timeout=600)
    assert installed.returncode == 0, _out(installed)[-3000:]
    return dest


def test_offline_zip_opens_from_file_url(clone: Path, tmp_path: Path, browser):
    result = make(clone, "offline")
    out = _out(result)
    assert result.returncode == 0, out[-3000:]
    assert not any(s in out for s in JIEBA_CHATTER), "jieba 的词典加载消息又出现在构建输出中"
    archive = clone / "dist" / "column-offline.zip"
    assert archive.is_file() and "dist/column-offline.zip" in out
    unpacked = tmp_path / "usb"
    with zipfile.ZipFile(archive) as zf:
        assert zf.testzip() is None
        zf.extractall(unpacked)
    index = unpacked / "index.html"
    assert index.is_file()

    page = browser.new_page(viewport={"width": 375, "height": 800})
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(index.as_uri())
        page.wait_for_load_state("load")
        heading = page.locator("article h1").first
        assert heading.is_visible() and heading.inner_text().strip()
        assert page.locator(".md-header").is_visible()
        search = page.locator("input.md-search__input")
        assert search.count() == 1
        assert search.get_attribute("aria-label") or search.get_attribute("placeholder")
        # 站内链接在 file:// 下指向磁盘上的 index.html
        href = page.locator('a[href$="notice/index.html"]').first.get_attribute("href")
        assert href and (unpacked / "index.html").parent.joinpath(href).resolve().is_file()
    finally:
        page.close()
    assert foreign == [], foreign
    assert errors == [], errors


def test_release_refuses_without_identity_and_builds_with_it(clone: Path):
    refused = make(clone, "release")
    out = _out(refused)
    assert refused.returncode != 0
    # 发布清单先于构建：每个阻止发布的项目写明怎么改，构建没有开始
    for title in ("页脚信息", "《硬措施》正文", "举报渠道", "网站地址", "待核实内容"):
        assert f"[阻止] {title}" in out, title
    assert "主办单位" in out and "ICP备案号" in out and "怎么改" in out
    assert "RELEASE=1" not in out
    assert "Traceback" not in out

    (clone / "release-test.yml").write_text(RELEASE_CONFIG, encoding="utf-8")
    try:
        built = make(clone, "release", "CONFIG=release-test.yml")
        assert built.returncode == 0, _out(built)[-3000:]
        assert "没有阻止发布的项目" in _out(built)
        assert not (clone / "site" / "guide").exists()  # 编辑页面不进发布稿
        home = (clone / "site" / "index.html").read_text(encoding="utf-8")
        assert "示例局办公室" in home and "示例ICP备00000000号" in home
        assert (clone / "site-headers.conf").is_file()
    finally:
        (clone / "release-test.yml").unlink()


def test_check_fix_and_ids(clone: Path):
    checked = make(clone, "check")
    assert checked.returncode == 0, _out(checked)[-3000:]
    assert "排版检查通过" in checked.stdout and "题库核对通过" in checked.stdout
    fixed = make(clone, "fix")
    assert fixed.returncode == 0, _out(fixed)[-3000:]
    assert "已自动修正 0 处" in fixed.stdout
    ids = make(clone, "ids")
    assert ids.returncode == 0, _out(ids)[-3000:]
    assert "已发布编号清单" in ids.stdout
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=clone,
                            capture_output=True, text=True)
    assert status.stdout == "", "make fix / make ids 在干净的克隆里改动了文件：\n" + status.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_on_chosen_port(clone: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("RELEASE", "OFFLINE", "MAKEFLAGS", "MFLAGS")}
    proc = subprocess.Popen(["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=clone, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        body = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    body = resp.read().decode("utf-8")
                break
            except OSError:
                time.sleep(1)
        assert proc.poll() is None, proc.stdout.read().decode("utf-8", "replace")[-3000:]
        assert "《硬措施》" in body
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdout.close()


def _run_in_terminal(clone: Path, args: list[str], answers: list[str], timeout: float = 120) -> tuple[int, str]:
    """在伪终端中运行 make，把 answers 逐行送进去（像有人在终端里逐项回答），返回退出码和终端上的全部输出。"""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    proc = subprocess.Popen(["make", "--no-print-directory", *args], cwd=clone, env=env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    os.write(master, "".join(a + "\n" for a in answers).encode("utf-8"))
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                try:
                    data = os.read(master, 4096)
                except OSError:  # 子进程都退出后，读伪终端主端得到 EIO
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        rc = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        os.close(master)
    return rc, b"".join(chunks).decode("utf-8", "replace")


def test_new_case_answers_in_a_terminal(clone: Path):
    # 教学示例：虚构的示例省示例煤矿，只在这份克隆里新建、检查，然后删掉
    answers = [
        "2",                          # 性质：教学示例
        "1",                          # 适用范围：全国（教学示例不问日期和省份，省份写“示例省”）
        "shili-ceshi",                # 文件名中的英文部分
        "示例省示例煤矿测试用事故（教学示例）",
        "示例煤矿测试用（教学示例）",
        "1",                          # 矿山类型：第 1 项
        "示例省示例煤矿的测试用情节，全部是虚构的。",
        "测试用的启示。",
    ]
    name = f"{dt.date.today().year}-shili-ceshi.md"  # 教学示例没有日期：文件名用新建的年份
    target = clone / "docs" / "cases" / name
    try:
        rc, screen = _run_in_terminal(clone, ["new-case"], answers)
        assert rc == 0, screen[-3000:]
        assert f"已新建 docs/cases/{name}" in screen
        assert "性质（1.真实案例 2.教学示例）" in screen and "事故日期（YYYY-MM-DD）" not in screen
        text = target.read_text(encoding="utf-8")
        assert "kind: 教学示例" in text and "province: 示例省" in text and "示例省示例煤矿" in text and "event: {}" in text
        checked = make(clone, "check-content")
        assert checked.returncode == 0, _out(checked)[-3000:]
    finally:
        target.unlink(missing_ok=True)

    # 输入不是终端（脚本、管道）时不逐项询问，而是列出缺少的参数，不写文件
    piped = make(clone, "new-case", input="\n".join(answers) + "\n")
    assert piped.returncode != 0
    assert "缺少必填项：--kind" in piped.stderr and "make new-case 会逐项询问" in piped.stderr
    assert not target.exists()


def test_new_post_and_import_through_make(clone: Path):
    """make new-post（用 ARGS 传全部字段）和 make import（导入虚构的示例公文）在新克隆里通过 make 本身运行；
    写出的文件只留在这份克隆里，检查后删去。"""
    post = clone / "docs" / "news" / "2099-01-01-shili-ceshi.md"
    gongwen_dir = clone / "data" / "gongwen"
    hints = gongwen_dir / "hints" / "doc-shili-ceshi.yml"
    sums = clone / "data" / "source" / "SHA256SUMS"
    sums_before = sums.read_text(encoding="utf-8")
    try:
        args = ('--date 2099-01-01 --slug shili-ceshi --category 本地区动态 --title 示例局测试用动态 '
                '--description 测试用的虚构摘要，只在克隆中使用 --body 测试用的虚构正文。 --publisher 示例局 '
                '--source-title 示例局测试用文件 --source-date 2099-01-01')
        made = make(clone, "new-post", f"ARGS={args}")
        # 日期在将来：动态的检查拒绝写入，并说明原因
        assert made.returncode != 0 and "Traceback" not in _out(made) and not post.exists(), _out(made)[-2000:]
        made = make(clone, "new-post", "ARGS=" + args.replace("2099-01-01", "2024-01-22"))
        post = clone / "docs" / "news" / "2024-01-22-shili-ceshi.md"
        assert made.returncode == 0, _out(made)[-2000:]
        assert "已新建 docs/news/2024-01-22-shili-ceshi.md" in made.stdout and "示例局测试用动态" in post.read_text(encoding="utf-8")

        usage = make(clone, "import")
        assert usage.returncode != 0 and "用法：make import SRC=文件 ID=doc-编号" in _out(usage)
        hints.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(clone / "tests" / "fixtures" / "gongwen" / "shili-tongzhi.hints.yml", hints)
        imported = make(clone, "import", "SRC=tests/fixtures/gongwen/shili-tongzhi.txt", "ID=doc-shili-ceshi", "PREFIX=shilic")
        assert imported.returncode == 0, _out(imported)[-2000:]
        doc = (gongwen_dir / "doc-shili-ceshi.yml").read_text(encoding="utf-8")
        assert "id: shilic0-1-1" in doc and "id: shilic1-1-1" in doc and "doc-shili-ceshi.txt" in sums.read_text(encoding="utf-8")
        checked = make(clone, "check-content")
        assert checked.returncode == 0, _out(checked)[-3000:]
    finally:
        for path in (post, clone / "docs" / "news" / "2099-01-01-shili-ceshi.md", gongwen_dir / "doc-shili-ceshi.yml", hints):
            path.unlink(missing_ok=True)
        for copied in (clone / "data" / "source").glob("*shili*"):
            copied.unlink()
        sums.write_text(sums_before, encoding="utf-8")
