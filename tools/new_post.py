#!/usr/bin/env python3
"""新建一条工作动态（docs/news/日期-英文名.md）：make new-post 调用它。

缺少的必填项：在终端中运行时逐项询问；在脚本中运行时报错并列出缺少的参数。生成的文件先用构建时的规则
（studycol/news.py）检查，不合格就不写。动态只写有来源的事实：来源（原发布单位、标题、日期）是必填项。

用法示例：
  python tools/new_post.py --date 2024-03-01 --slug xuexihui --category 本地区动态 --title "……" \\
      --description "……" --body "……" --publisher "……" --source-title "……" --source-date 2024-03-01
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studycol import news, scaffold  # noqa: E402
from studycol.yamlsrc import DataError  # noqa: E402

TEMPLATE = ROOT / "tools" / "templates" / "news-post.md.j2"
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def render(fields: dict[str, Any]) -> str:
    return scaffold.render(TEMPLATE, fields)


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"日期“{value}”格式不对，请写成 YYYY-MM-DD，例如 2024-03-01") from None


def _slug(value: str) -> str:
    value = value.strip()
    if not SLUG_RE.fullmatch(value):
        raise ValueError("只能用小写英文字母、数字和连字符，例如 xuexihui（汉语拼音或英文都可以）")
    return value


def _category(value: str) -> str:
    value = value.strip()
    options = list(news.CATEGORIES)
    if value.isdigit() and 1 <= int(value) <= len(options):
        return options[int(value) - 1]
    if value in options:
        return value
    raise ValueError("请从以下栏目中选择（可以输入序号）：" + "、".join(f"{i}.{o}" for i, o in enumerate(options, 1)))


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value.strip()


def _optional(value: str) -> str:
    return value.strip()


def ask(prompt: str, check: Callable[[str], str], read: Callable[[str], str]) -> str:
    while True:
        try:
            return check(read(prompt + "："))
        except ValueError as exc:
            print(f"  {exc}")


def main(argv: list[str] | None = None, read: Callable[[str], str] | None = None, interactive: bool | None = None,
         news_dir: Path | None = None, today: dt.date | None = None) -> int:
    p = argparse.ArgumentParser(prog="tools/new_post.py", description="新建一条工作动态（docs/news/日期-英文名.md）")
    p.add_argument("--date", help="动态的日期 YYYY-MM-DD")
    p.add_argument("--slug", help="文件名中的英文部分，如 xuexihui；文件名为 日期-英文部分.md")
    p.add_argument("--category", help="、".join(news.CATEGORIES))
    p.add_argument("--title", help="标题，末尾不加句号")
    p.add_argument("--description", help="一句话摘要（列表、搜索和订阅中显示）")
    p.add_argument("--body", help="正文第一段（之后可在文件中补充）")
    p.add_argument("--publisher", help="来源的原发布单位")
    p.add_argument("--source-title", help="来源的标题")
    p.add_argument("--source-date", help="来源的日期 YYYY-MM-DD")
    p.add_argument("--source-url", default=None, help="来源在政府网站上的原始地址（可不写）")
    args = p.parse_args(argv)

    interactive = sys.stdin.isatty() if interactive is None else interactive
    read = read or input
    news_dir = news_dir or ROOT / "docs" / news.NEWS_DIR
    today = today or dt.date.today()
    fields: list[tuple[str, str, Callable[[str], str]]] = [
        ("date", "动态的日期（YYYY-MM-DD）", _date),
        ("slug", "文件名中的英文部分（小写字母、数字、连字符）", _slug),
        ("category", "栏目（" + "、".join(f"{i}.{c}" for i, c in enumerate(news.CATEGORIES, 1)) + "）", _category),
        ("title", "标题（末尾不加句号）", _text),
        ("description", "一句话摘要", _text),
        ("body", "正文第一段（用自己的话写，只写来源中有的事实）", _text),
        ("publisher", "来源的原发布单位", _text),
        ("source_title", "来源的标题", _text),
        ("source_date", "来源的日期（YYYY-MM-DD）", _date),
        ("source_url", "来源在政府网站上的原始地址（https://….gov.cn/…；没有就直接回车）", _optional),
    ]
    values = vars(args)
    missing = []
    for name, prompt, check in fields:
        if values.get(name) is not None:
            try:
                values[name] = check(values[name])
            except ValueError as exc:
                print(f"--{name.replace('_', '-')}：{exc}", file=sys.stderr)
                return 2
        elif interactive:
            values[name] = ask(prompt, check, read)
        elif name == "source_url":
            values[name] = ""
        else:
            missing.append("--" + name.replace("_", "-"))
    if missing:
        print("缺少必填项：" + " ".join(missing) + "。在终端中直接运行 make new-post 会逐项询问。", file=sys.stderr)
        return 2

    name = f"{values['date']}-{values['slug']}.md"
    target = news_dir / name
    if target.exists():
        print(f"docs/news/{name} 已经存在；请换一个英文名（--slug），不要覆盖已有动态。", file=sys.stderr)
        return 1
    text = render({**values, "anchor": f"news-{values['slug']}"})
    rel = f"{news.NEWS_DIR}/{name}"
    try:
        news.parse_post(text, rel, today)
    except DataError as exc:
        print("生成的文件没有通过检查，未写入：\n" + str(exc), file=sys.stderr)
        return 1
    news_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"已新建 docs/{rel}。")
    print("下一步：在文件中补充正文，引用通知的要求时写句子编号（如 [[n2-1-5]]），然后运行 make check 检查、make serve 预览。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
