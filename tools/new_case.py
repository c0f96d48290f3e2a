#!/usr/bin/env python3
"""新建典型案例文件：make new-case 调用它。

缺少的必填项：在终端中运行时逐项询问；在脚本或流水线中运行时报错，列出缺少的参数。
写入之前用与构建相同的规则（studycol/cases/）校验生成的文件，不合格就不写。

用法示例（全部用参数给出）：
  python tools/new_case.py --kind 真实案例 --scope 本地区 --date 2024-05-06 --province 山西省 \\
      --slug example-mine --title "……" --short "……" --mine-type 井工煤矿 \\
      --narrative "……" --lesson "……" \\
      --source-title "……" --source-issuer "……" --source-url https://… --source-origin 媒体报道 --source-holds "……"
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

from studycol import cases as cases_mod  # noqa: E402
from studycol import scaffold  # noqa: E402
from studycol.site import PROVINCES  # noqa: E402
from studycol.yamlsrc import DataError  # noqa: E402

TEMPLATE = ROOT / "tools" / "templates" / "case.md.j2"


def render(fields: dict[str, Any]) -> str:
    return scaffold.render(TEMPLATE, fields)


# ---- 各项的询问和检查 -------------------------------------------------------------------


def _province(value: str) -> str:
    value = value.strip()
    if value in PROVINCES:
        return value
    matches = [p for p in PROVINCES if p.startswith(value)] if value else []
    if len(matches) == 1:
        return matches[0]
    raise ValueError(f"“{value}”不是省级行政区；请写全称，如“山西省”“内蒙古自治区”")


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"日期“{value}”格式不对，请写成 YYYY-MM-DD，例如 2024-05-06") from None


def _slug(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(cases_mod.SLUG_PATTERN, value):
        raise ValueError("只能用小写英文字母、数字和连字符，例如 xinjing-tanta（汉语拼音或英文都可以）")
    return value


def _choice(options: list[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if value.isdigit() and 1 <= int(value) <= len(options):
            return options[int(value) - 1]
        if value in options:
            return value
        raise ValueError("请从以下选项中选择（可以输入序号）：" + "、".join(f"{i}.{o}" for i, o in enumerate(options, 1)))
    return check


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value.strip()


def _https(value: str) -> str:
    value = value.strip()
    if value and not value.startswith("https://"):
        raise ValueError("网址必须以 https:// 开头；不知道网址就留空")
    return value


def ask(prompt: str, check: Callable[[str], str], read: Callable[[str], str], default: str | None = None) -> str:
    """在终端中询问一项，直到输入合格为止。"""
    while True:
        shown = f"{prompt}" + (f"（直接回车取“{default}”）" if default else "") + "："
        raw = read(shown)
        if not raw.strip() and default is not None:
            raw = default
        try:
            return check(raw)
        except ValueError as exc:
            print(f"  {exc}")


def main(argv: list[str] | None = None, read: Callable[[str], str] | None = None, interactive: bool | None = None,
         cases_dir: Path | None = None, today: dt.date | None = None) -> int:
    vocab = cases_mod.load_vocab(ROOT / "data" / "case-vocab.yml").vocab
    mine_types = [m.label for m in vocab.mine_types]
    p = argparse.ArgumentParser(prog="tools/new_case.py", description="新建典型案例文件（docs/cases/年份-英文名.md）")
    p.add_argument("--kind", choices=list(vocab.kinds))
    p.add_argument("--scope", choices=list(vocab.scopes))
    p.add_argument("--date", help="事故日期 YYYY-MM-DD")
    p.add_argument("--time", default="", help="事故时间 HH:MM（可选）")
    p.add_argument("--province", help="省级行政区全称")
    p.add_argument("--city", default="")
    p.add_argument("--county", default="")
    p.add_argument("--slug", help="文件名中的英文部分，如 xinjing-tanta；文件名为 年份-英文部分.md")
    p.add_argument("--title")
    p.add_argument("--short", help=f"简称，不超过{cases_mod.SHORT_MAX}个字")
    p.add_argument("--mine-type", help="、".join(mine_types))
    p.add_argument("--accident-type", default="", help="、".join(vocab.accident_types))
    p.add_argument("--deaths", type=int)
    p.add_argument("--injuries", type=int)
    p.add_argument("--loss", type=float, help="直接经济损失（万元）")
    p.add_argument("--violation", action="append", default=[], metavar="类别=说明", help="违法违规行为，可写多次")
    p.add_argument("--narrative", help="事故经过（一段话，之后可在文件中补充）")
    p.add_argument("--lesson", action="append", default=[], help="启示，可写多次")
    p.add_argument("--source-title")
    p.add_argument("--source-issuer")
    p.add_argument("--source-url", default=None)
    p.add_argument("--source-origin", choices=list(vocab.origins))
    p.add_argument("--source-holds", help="这个来源提供了哪些事实")
    p.add_argument("--source-note", default="", help="没有网址时说明原因")
    p.add_argument("--force-dir", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    interactive = sys.stdin.isatty() if interactive is None else interactive
    read = read or input
    cases_dir = cases_dir or args.force_dir or ROOT / "docs" / "cases"
    today = today or dt.date.today()

    # 必填项：(参数名, 询问时的提示, 检查函数, 默认值)
    # 教学示例是虚构的：不问日期和省份（省份写“示例省”），见 studycol/cases/rules.py 的 case_problems
    kind_fields: list[tuple[str, str, Callable[[str], str], str | None]] = [
        ("kind", "性质（1.真实案例 2.教学示例）", _choice(list(vocab.kinds)), None),
        ("scope", "适用范围（1.全国 2.本地区 3.本企业）", _choice(list(vocab.scopes)), None),
    ]
    real_fields: list[tuple[str, str, Callable[[str], str], str | None]] = [
        ("date", "事故日期（YYYY-MM-DD）", _date, None),
        ("province", "省级行政区全称", _province, None),
    ]
    required: list[tuple[str, str, Callable[[str], str], str | None]] = [
        ("slug", "文件名中的英文部分（小写字母、数字、连字符）", _slug, None),
        ("title", "标题（如“××煤矿‘8·21’重大瓦斯爆炸事故”）", _text, None),
        ("short", f"简称（不超过{cases_mod.SHORT_MAX}个字）", _text, None),
        ("mine_type", "矿山类型（" + "、".join(f"{i}.{m}" for i, m in enumerate(mine_types, 1)) + "）", _choice(mine_types), None),
        ("narrative", "事故经过（一段话，用自己的话写）", _text, None),
    ]
    source_fields: list[tuple[str, str, Callable[[str], str], str | None]] = [
        ("source_title", "来源标题", _text, None),
        ("source_issuer", "来源发布者（如“新华社”“××省应急管理厅”）", _text, None),
        ("source_url", "来源网址（https://…；不知道就直接回车）", _https, ""),
        ("source_origin", "来源类型（" + "、".join(f"{i}.{o}" for i, o in enumerate(vocab.origins, 1)) + "）", _choice(list(vocab.origins)), None),
        ("source_holds", "这个来源提供了哪些事实", _text, None),
    ]
    values = vars(args)
    for name in ("date", "province", "slug"):
        if values[name]:
            try:
                values[name] = {"date": _date, "province": _province, "slug": _slug}[name](values[name])
            except ValueError as exc:
                print(f"--{name.replace('_', '-')}：{exc}", file=sys.stderr)
                return 2

    def fill(fields) -> list[str]:
        missing = []
        for name, prompt, check, default in fields:
            if values.get(name) is not None and (values[name] != "" or default == ""):
                continue
            if interactive:
                values[name] = ask(prompt, check, read, default)
            else:
                missing.append("--" + name.replace("_", "-"))
        return missing

    missing = fill(kind_fields)
    if values.get("kind") == cases_mod.TEACHING:
        if values.get("date") or values.get("province"):
            print("教学示例是虚构的情节，不写日期和省份（--date、--province）；省份自动写成“示例省”。", file=sys.stderr)
            return 2
        values["date"], values["province"] = "", cases_mod.TEACHING_PROVINCE
    else:
        missing += fill(real_fields)
    missing += fill(required)
    if values.get("kind") == cases_mod.REAL:
        missing += fill(source_fields)
        if values.get("source_url") is None:
            values["source_url"] = ""
        if not values["source_url"] and not values["source_note"]:
            if interactive:
                values["source_note"] = ask("没有网址的原因", _text, read)
            else:
                missing.append("--source-note")
    if not values["lesson"]:
        if interactive:
            values["lesson"] = [ask("启示（一句话，之后可在文件中补充）", _text, read)]
        else:
            missing.append("--lesson")
    if missing:
        print("缺少必填项：" + " ".join(missing) + "。在终端中直接运行 make new-case 会逐项询问。", file=sys.stderr)
        return 2

    violations = []
    for item in values["violation"]:
        category, _, text = item.partition("=")
        if not text.strip():
            print(f"--violation“{item}”应写成 类别=说明，例如 隐蔽工作面作业=在图纸以外设置2个掘进工作面", file=sys.stderr)
            return 2
        violations.append((category.strip(), text.strip()))

    year = values["date"][:4] if values["date"] else str(today.year)  # 文件名和编号中的年份；教学示例用新建的年份
    name = f"{year}-{values['slug']}.md"
    target = cases_dir / name
    if target.exists():
        print(f"{target} 已经存在；请换一个英文名（--slug），不要覆盖已有案例。", file=sys.stderr)
        return 1
    fields = {
        **values,
        "id": f"case-{year}-{values['slug']}",
        "real": values["kind"] == cases_mod.REAL,
        "violations": violations,
        "lessons": values["lesson"],
        "loss": values["loss"],
    }
    text = render(fields)
    shown = f"docs/cases/{name}"
    try:
        cases_mod.parse_case(text, shown, vocab, today)
    except DataError as exc:
        print("生成的文件没有通过检查，未写入：\n" + str(exc), file=sys.stderr)
        return 1
    existing = cases_mod.load_cases(cases_dir, "docs/cases", vocab, today)
    clash = [cf.path for cf in existing.files if cf.case.id == fields["id"]]
    if clash:
        print(f"编号 {fields['id']} 已被 {clash[0]} 使用；请换一个英文名（--slug）。", file=sys.stderr)
        return 1
    cases_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"已新建 {shown}（编号 {fields['id']}）。")
    print("下一步：在文件中补充直接原因、违法违规行为、引用的通知句子（cites）和更多来源，然后运行 make check-content 检查，make serve 预览。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
