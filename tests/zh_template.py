"""The lead tracking table of seed 002 (表1 销售线索转化跟踪总表), twice: as Chinese Excel
and a CRM export write it (GBK, ``5万``, ``2023年10月1日``, Excel serial dates, ``-``, ``无``,
full-width letters, padded channel names) and as clean UTF-8 with the same meaning.

Every messy value has its clean twin written by hand here, so loading both must give the
same canonical tables and the same numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

COLUMNS = ["线索编号", "线索名称", "来源渠道", "推广策略", "内容素材", "获取时间", "负责人",
           "客户类型", "客户行业", "初次接触时间", "需求确认时间", "方案提交时间",
           "商务谈判时间", "成交时间", "流失时间", "流失原因", "成交金额(元)", "获客成本(元)",
           "转化时长(天)", "备注"]

_CHANNELS = ["抖音信息流", "行业展会", "SEO", "转介绍", "百度搜索"]
#: messy spellings of each channel, used in turn
_CHANNEL_MESS = {"抖音信息流": [" 抖音信息流 ", "抖音信息流"], "SEO": ["ＳＥＯ", "seo", "SEO"],
                 "行业展会": ["行业展会\u3000", "行业展会"], "转介绍": ["转介绍"],
                 "百度搜索": ["百度搜索"]}
_COMPANIES = ["教育科技有限公司", "华信制造集团", "启明医疗", "蓝海零售", "中科软件"]
_OWNERS = ["张伟", "李娜", "王强", "-"]
_REASONS = ["预算不足", "决策链长", "竞品低价", "需求消失"]
_AMOUNTS = [(50000.0, "5万"), (50000.0, "￥50,000"), (12000.0, "1.2万元"),
            (85000.0, "85,000.00"), (150000.0, "15万"), (30000.0, "3万元")]
_COSTS = [(3000.0, "3,000"), (3000.0, "0.3万"), (2500.0, "2500"), (4200.0, "￥4,200")]
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _messy_time(ts: dt.datetime, i: int) -> str:
    style = i % 5
    if style == 0:
        return f"{ts.year}/{ts.month}/{ts.day} {ts.hour}:{ts.minute:02d}"
    if style == 1:
        return f"{ts.year}年{ts.month}月{ts.day}日 {ts.hour:02d}:{ts.minute:02d}"
    if style == 2:
        return f"{(ts - EXCEL_EPOCH).total_seconds() / 86400:.6f}"   # Excel serial
    if style == 3:
        return ts.strftime("%Y-%m-%d %H:%M")
    return f"{ts.month}/{ts.day}/{ts.year} {(ts.hour - 1) % 12 + 1}:{ts.minute:02d} " \
        f"{'PM' if ts.hour >= 12 else 'AM'}"


def _clean_time(ts: dt.datetime | None) -> str:
    return "" if ts is None else ts.strftime("%Y-%m-%d %H:%M")


def rows(n: int = 60) -> list[dict]:
    """``n`` leads: each a dict with ``clean`` and ``messy`` rows (column -> text) and the
    datetimes behind them (``times``), for writing XLSX cells as real dates."""
    out = []
    start = dt.datetime(2023, 10, 1, 9, 5)
    for i in range(n):
        created = start + dt.timedelta(days=i % 80, hours=i % 7, minutes=(i * 13) % 60)
        contact = created + dt.timedelta(hours=5 + i % 30) if i % 6 != 5 else None
        needs = contact + dt.timedelta(days=2) if contact and i % 3 != 2 else None
        proposal = needs + dt.timedelta(days=4) if needs and i % 4 != 3 else None
        nego = proposal + dt.timedelta(days=3) if proposal and i % 5 != 4 else None
        won = nego + dt.timedelta(days=5) if nego and i % 2 == 0 else None
        lost = (contact + dt.timedelta(days=9)) if contact and not won and i % 3 == 0 else None
        channel = _CHANNELS[i % len(_CHANNELS)]
        mess = _CHANNEL_MESS[channel]
        amount, amount_text = _AMOUNTS[(i // 2) % len(_AMOUNTS)]
        cost, cost_text = _COSTS[i % len(_COSTS)]
        owner = _OWNERS[i % len(_OWNERS)]
        times = {"获取时间": created, "初次接触时间": contact, "需求确认时间": needs,
                 "方案提交时间": proposal, "商务谈判时间": nego, "成交时间": won,
                 "流失时间": lost}
        clean = {
            "线索编号": str(20231001000 + i), "线索名称": _COMPANIES[i % len(_COMPANIES)],
            "来源渠道": channel, "推广策略": f"{channel}-行业广告",
            "内容素材": "《2023教育行业白皮书》",
            "负责人": "" if owner == "-" else owner, "客户类型": "企业客户",
            "客户行业": ["教育", "医疗", "制造"][i % 3],
            "流失原因": _REASONS[i % 4] if lost else "",
            "成交金额(元)": f"{amount}" if won else "", "获客成本(元)": f"{cost}",
            "转化时长(天)": str((won - created).days) if won else "",
            "备注": "决策人为CEO" if i % 7 == 0 else "",
            **{k: _clean_time(v) for k, v in times.items()},
        }
        messy = dict(clean)
        messy.update({
            "来源渠道": mess[i % len(mess)], "负责人": owner,
            "成交金额(元)": amount_text if won else "-", "获客成本(元)": cost_text,
            "流失原因": clean["流失原因"] or "无", "备注": clean["备注"] or "无",
            **{k: _messy_time(v, i + j) if v else ["", "-", "—", "N/A"][(i + j) % 4]
               for j, (k, v) in enumerate(times.items())},
        })
        out.append({"clean": clean, "messy": messy, "times": times, "won": won,
                    "amount": amount, "cost": cost})
    return out


def write_csv(path: Path, data: list[dict], which: str, encoding: str) -> Path:
    """``which`` = ``clean`` or ``messy`` rows as CSV in ``encoding``."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        for row in data:
            writer.writerow(row[which])
    return path


def write_xlsx(path: Path, data: list[dict], *, sheet: str = "线索跟踪") -> Path:
    """The messy rows as Chinese Excel saves them: a title row above the header, dates
    as real date cells (a few as text), ids and amounts as numbers where they are."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本表为线索跟踪模板"
    ws = wb.create_sheet(sheet)
    ws.append(["销售线索转化跟踪总表"])
    ws.append(COLUMNS)
    for i, row in enumerate(data):
        cells = []
        for col in COLUMNS:
            value = row["messy"][col]
            if col in row["times"] and row["times"][col] is not None and i % 3 != 1:
                value = row["times"][col]                # a real date cell
            elif col == "线索编号":
                value = int(value)                       # a number cell
            elif col == "成交金额(元)" and row["won"] is not None and i % 4 == 0:
                value = row["amount"]                    # a number cell
            cells.append(value if value != "" else None)
        ws.append(cells)
    wb.save(path)
    return path
