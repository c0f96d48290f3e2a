from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import CHROMIUM, CHROMIUM_ARGS, REPO, build  # noqa: E402


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """用仓库当前源码严格构建一次的站点（整个测试会话共用）。"""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build(REPO, out)
    assert result.returncode == 0, f"严格构建失败：\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"没有找到 {CHROMIUM}；请运行 make test（它会安装 Debian chromium）。")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_terminal_summary(terminalreporter) -> None:
    """测试用 record_property("figures", 文字) 记下的数字（如站内搜索的 recall@3 和 MRR）在结尾打印。

    并行（-n 2）时测试输出留在工作进程里，record_property 的内容会随测试报告传回来。
    """
    lines = [
        str(value)
        for key in ("passed", "failed")
        for rep in terminalreporter.stats.get(key, [])
        for name, value in getattr(rep, "user_properties", [])
        if name == "figures"
    ]
    if lines:
        terminalreporter.section("测试记下的数字")
        for text in lines:
            for line in text.splitlines():
                terminalreporter.write_line(line)
