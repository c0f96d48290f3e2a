"""典型案例的分类索引：排序，按年份、地区、违法违规类别、矿山类型分组，统计数字和相关案例。

索引页（docs/cases/by-*.md）和案例页的“相关案例”都由这里的纯函数算出；怎样写成页面在 pages.py。
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
from collections import defaultdict
from collections.abc import Iterable

from ..site import PROVINCES
from .model import REAL, Case, CaseFile, Vocab

# 省级行政区的 ASCII 编号，用作索引页的锚点（#region-shanxi）
PROVINCE_SLUGS: dict[str, str] = {
    "北京市": "beijing", "天津市": "tianjin", "河北省": "hebei", "山西省": "shanxi",
    "内蒙古自治区": "neimenggu", "辽宁省": "liaoning", "吉林省": "jilin", "黑龙江省": "heilongjiang",
    "上海市": "shanghai", "江苏省": "jiangsu", "浙江省": "zhejiang", "安徽省": "anhui",
    "福建省": "fujian", "江西省": "jiangxi", "山东省": "shandong", "河南省": "henan",
    "湖北省": "hubei", "湖南省": "hunan", "广东省": "guangdong", "广西壮族自治区": "guangxi",
    "海南省": "hainan", "重庆市": "chongqing", "四川省": "sichuan", "贵州省": "guizhou",
    "云南省": "yunnan", "西藏自治区": "xizang", "陕西省": "shaanxi", "甘肃省": "gansu",
    "青海省": "qinghai", "宁夏回族自治区": "ningxia", "新疆维吾尔自治区": "xinjiang",
    "台湾省": "taiwan", "香港特别行政区": "xianggang", "澳门特别行政区": "aomen",
}


# ---- 分类索引 -------------------------------------------------------------------------


def sort_cases(files: Iterable[CaseFile]) -> list[CaseFile]:
    """新的在前；同一天按编号。没有日期的（教学示例）排在最后。"""
    return sorted(files, key=lambda f: (-_day(f.case), f.case.id))


def _day(case: Case) -> int:
    """日期的序数（相关案例按日期远近排序）；没有日期的教学示例记为 0。"""
    return case.event.date.toordinal() if case.event.date else 0


def real_cases(files: Iterable[CaseFile]) -> list[CaseFile]:
    """只要真实案例：按地区、按年份、最新案例和本地区案例的列表不收教学示例。"""
    return [f for f in files if not f.case.is_teaching]


@dataclasses.dataclass
class Group:
    key: str  # ASCII 锚点
    label: str
    files: list[CaseFile]
    parent: str = ""  # 上一级分组（矿山类型的大类）


def by_year(files: Iterable[CaseFile]) -> list[Group]:
    groups: dict[int, list[CaseFile]] = defaultdict(list)
    for f in real_cases(files):
        groups[f.case.year].append(f)  # type: ignore[index]
    return [Group(f"year-{y}", f"{y}年", sort_cases(groups[y])) for y in sorted(groups, reverse=True)]


def by_region(files: Iterable[CaseFile]) -> list[Group]:
    groups: dict[str, list[CaseFile]] = defaultdict(list)
    for f in real_cases(files):
        groups[f.case.region.province].append(f)
    return [Group(region_key(p), p, sort_cases(groups[p])) for p in PROVINCES if p in groups]


def region_key(province: str) -> str:
    return "region-" + PROVINCE_SLUGS[province]


UNCATEGORIZED = Group("cat-none", "调查结论未掌握", [])


def by_category(files: Iterable[CaseFile], vocab: Vocab) -> list[Group]:
    groups: dict[str, list[CaseFile]] = defaultdict(list)
    none: list[CaseFile] = []
    for f in files:
        cats = f.case.categories
        if not cats:
            none.append(f)
        for c in cats:
            groups[c].append(f)
    out = [Group(category_key(c.id), c.label, sort_cases(groups[c.label])) for c in vocab.categories if c.label in groups]
    if none:
        out.append(Group(UNCATEGORIZED.key, UNCATEGORIZED.label, sort_cases(none)))
    return out


def category_key(category_id: str) -> str:
    return "cat-" + category_id


def by_mine_type(files: Iterable[CaseFile], vocab: Vocab) -> list[Group]:
    groups: dict[str, list[CaseFile]] = defaultdict(list)
    for f in files:
        groups[f.case.mine_type].append(f)
    return [Group(mine_key(m.id), m.label, sort_cases(groups[m.label]), parent=m.group) for m in vocab.mine_types if m.label in groups]


def mine_key(mine_id: str) -> str:
    return "mine-" + mine_id


def mine_group_key(group: str, vocab: Vocab) -> str:
    """矿山类型大类的锚点：取该类第一个类型编号的前缀，如 煤矿 → group-coal。"""
    first = next(m for m in vocab.mine_types if m.group == group)
    return "group-" + first.id.split("-")[0]


@dataclasses.dataclass
class Counts:
    total: int
    real: int
    teaching: int
    pending: int
    verified: int
    provinces: int
    years: tuple[int, int] | None


def counts(files: Iterable[CaseFile]) -> Counts:
    fl = list(files)
    real = [f for f in fl if f.case.kind == REAL]
    years = [f.case.year for f in real if f.case.year is not None]
    return Counts(
        total=len(fl),
        real=len(real),
        teaching=len(fl) - len(real),
        pending=sum(1 for f in real if f.case.is_pending),
        verified=sum(1 for f in real if not f.case.is_pending),
        provinces=len({f.case.region.province for f in real}),
        years=(min(years), max(years)) if years else None,
    )


# ---- 相关案例 ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Related:
    file: CaseFile
    reasons: tuple[str, ...]


_Entry = tuple[str, int, "CaseFile"]  # (案例编号, 发生日期的序数, 案例文件)


class RelatedFinder:
    """相关案例：同一来源（例如同一份通报）优先，其次同类违法违规行为，再次同一省份。

    用倒排表计算：每个案例只看与它有共同点的案例，每一组（同一来源、同类、同省）只看日期最近的 60 个，
    所以每个案例的计算量与案例总数无关。
    """

    def __init__(self, files: Iterable[CaseFile]):
        self.files = list(files)
        # 每个案例记成 (编号, 日期序数, 案例)：候选循环中不再逐个经过 pydantic 模型取 case.id、换算日期
        self._by_url: dict[str, list[_Entry]] = defaultdict(list)
        self._by_cat: dict[str, list[_Entry]] = defaultdict(list)
        self._by_province: dict[str, list[_Entry]] = defaultdict(list)
        for f in self.files:
            entry = (f.case.id, _day(f.case), f)
            for url in {s.url for s in f.case.sources if s.url}:
                self._by_url[url].append(entry)
            for c in f.case.categories:
                self._by_cat[c].append(entry)
            if not f.case.is_teaching:  # “同在示例省”不是相关的理由
                self._by_province[f.case.region.province].append(entry)
        # 每组按日期排好一次：取“日期最近的 pool 个”时二分查找后向两边取，不必每次整组排序
        self._sorted: dict[int, tuple[list[int], list[_Entry]]] = {}
        for group in (*self._by_url.values(), *self._by_cat.values(), *self._by_province.values()):
            ordered = sorted(group, key=lambda e: e[1])
            self._sorted[id(group)] = ([e[1] for e in ordered], ordered)

    def _nearest(self, group: list[_Entry], day: int, pool: int) -> list[_Entry]:
        """group 中日期离 day 最近的 pool 个案例（O(pool)，与组的大小无关）。"""
        days, ordered = self._sorted[id(group)]
        right = bisect.bisect_left(days, day)
        left = right - 1
        out: list[_Entry] = []
        while len(out) < pool and (left >= 0 or right < len(days)):
            if right >= len(days) or (left >= 0 and day - days[left] <= days[right] - day):
                out.append(ordered[left])
                left -= 1
            else:
                out.append(ordered[right])
                right += 1
        return out

    def related(self, cf: CaseFile, limit: int = 5, pool: int = 60) -> list[Related]:
        # 大站点上每个案例页要看一两百个候选：先只算得分和日期差（整数字典，几乎不新建要垃圾回收跟踪的对象），
        # 选出前 limit 个之后，才为它们列出理由
        day = _day(cf.case)
        groups: list[tuple[list[_Entry], int, str]] = [
            (self._by_url[url], 4, "同一来源") for url in {s.url for s in cf.case.sources if s.url}
        ]
        groups += [(self._by_cat[c], 2, c) for c in cf.case.categories]
        province = cf.case.region.province
        if not cf.case.is_teaching:
            groups.append((self._by_province[province], 1, f"同在{province}"))
        score: dict[str, int] = {}
        gap: dict[str, int] = {}
        files: dict[str, CaseFile] = {}
        members: list[set[str]] = []
        same_source: set[str] = set()  # 同一份来源只算一次
        for group, points, _ in groups:
            # 大的分组只看日期最近的一部分，保证规模大时仍然很快
            near = group if len(group) <= pool else self._nearest(group, day, pool)
            ids = {e[0] for e in near}
            members.append(ids)
            for cid, d, f in near:
                if points == 4:
                    if cid in same_source:
                        continue
                    same_source.add(cid)
                if cid in score:
                    score[cid] += points
                else:
                    score[cid] = points
                    gap[cid] = abs(d - day)
                    files[cid] = f
        score.pop(cf.case.id, None)
        # 只要前 limit 个：堆选择，不必把几百个候选全部排序
        ranked = heapq.nsmallest(limit, score, key=lambda cid: (-score[cid], gap[cid], cid))
        out = []
        for cid in ranked:
            reasons: list[str] = []
            for (_, _, reason), ids in zip(groups, members, strict=True):
                if cid in ids and reason not in reasons:
                    reasons.append(reason)
            out.append(Related(files[cid], tuple(reasons)))
        return out


