"""把值写进给编辑看的消息：看不见的字符（零宽字符、方向控制字符、BOM）转义显示并写出名称。

编号里混进一个零宽连字，消息照原样写出时“看起来是对的”，编辑找不到问题；所以每条消息都经过 escape_invisible，
说明问题时用 describe_invisible 点出是哪几个字符。
"""

from __future__ import annotations

# 看不见的字符和改变文字方向的控制字符：在消息中写成 \u200d（名称）的形式，编辑才知道问题在哪里
INVISIBLE = {
    **{chr(c): n for c, n in zip(range(0x200B, 0x2010), ("零宽空格", "零宽不连字", "零宽连字", "从左到右标记", "从右到左标记"))},
    **{chr(c): n for c, n in zip(range(0x202A, 0x202F), ("从左到右嵌入", "从右到左嵌入", "方向格式结束", "从左到右覆盖", "从右到左覆盖"))},
    **{chr(c): n for c, n in zip(range(0x2066, 0x206A), ("从左到右隔离", "从右到左隔离", "首字强隔离", "方向隔离结束"))},
    "\ufeff": "零宽不换行空格（BOM）",
}


def escape_invisible(text: str) -> str:
    """把看不见的字符换成 \\u200d 这样的转义（消息中照原样写出会让编号“看起来是对的”）。"""
    if not any(ch in INVISIBLE for ch in text):
        return text
    return "".join(f"\\u{ord(ch):04x}" if ch in INVISIBLE else ch for ch in text)


def invisible_in(text: str) -> list[str]:
    """text 中出现的看不见的字符（按出现顺序，不重复）。"""
    return list(dict.fromkeys(ch for ch in text if ch in INVISIBLE))


def shown(text: str, limit: int = 60) -> str:
    """把值写进消息：看不见的字符和控制字符转义成 \\uXXXX，过长的截断。"""
    out = []
    for ch in text[:limit]:
        if ch in INVISIBLE or (ord(ch) < 0x20 and ch != " ") or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(text) > limit else "")


def describe_invisible(text: str) -> str:
    """“\\u200d（零宽连字）、\\u202e（从右到左覆盖）”。"""
    return "、".join(f"\\u{ord(ch):04x}（{INVISIBLE[ch]}）" for ch in invisible_in(text))
