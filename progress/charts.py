"""Server-rendered SVG charts with text alternatives. Pure: data in, markup out.

Colours come from CSS classes (site.css), so the charts follow dark mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from learners.mastery import LABELS, SectionMastery

WEEKDAYS = "一二三四五六日"


def score_chart(points: list[tuple[datetime, int]], *, chart_id: str, label: str) -> SafeString:
    """Quiz scores (percent) over time as a line with dots, oldest on the left."""
    width, height, pad_x, pad_y = 320, 140, 34, 14
    inner_w, inner_h = width - pad_x - 8, height - 2 * pad_y
    n = len(points)
    coords = []
    for i, (_when, percent) in enumerate(points):
        x = pad_x + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        y = pad_y + inner_h * (1 - percent / 100)
        coords.append((round(x, 1), round(y, 1)))
    grid = "".join(
        f'<line class="chart__grid" x1="{pad_x}" x2="{width - 8}" y1="{pad_y + inner_h * (1 - v / 100)}" '
        f'y2="{pad_y + inner_h * (1 - v / 100)}"/>'
        f'<text class="chart__axis" x="{pad_x - 6}" y="{pad_y + inner_h * (1 - v / 100) + 4}" text-anchor="end">{v}%</text>'
        for v in (0, 50, 100)
    )
    line = (
        f'<polyline class="chart__line" points="{" ".join(f"{x},{y}" for x, y in coords)}"/>'
        if n > 1
        else ""
    )
    dots = "".join(
        f'<circle class="chart__dot" cx="{x}" cy="{y}" r="{3.5 if n > 1 else 5}"><title>{escape(f"{when:%m-%d %H:%M}")}\uff1a{p}%</title></circle>'
        for (x, y), (when, p) in zip(coords, points, strict=True)
    )
    labels = ""
    if points:
        # The latest score in words by its dot, so one quiz is a point with its value.
        (x, y), (_when, p) = coords[-1], points[-1]
        anchor = "middle" if n == 1 else "end"
        label_y = y - 8 if y > pad_y + 12 else y + 16
        labels = (
            f'<text class="chart__value" x="{x}" y="{label_y}" text-anchor="{anchor}">{p}%</text>'
        )
        dates = [(coords[0][0], points[0][0], "middle" if n == 1 else "start")]
        if n > 1:
            dates.append((coords[-1][0], points[-1][0], "end"))
        labels += "".join(
            f'<text class="chart__axis" x="{x}" y="{height - 1}" text-anchor="{anchor}">{when:%m-%d}</text>'
            for x, when, anchor in dates
        )
    if points:
        first, last = points[0][1], points[-1][1]
        summary = f"共 {n} 次测验\uff0c得分从 {first}% 到 {last}%\uff0c最高 {max(p for _, p in points)}%。"
    else:
        summary = "还没有完成的测验。"
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}{}</svg>',
        width, height, chart_id, chart_id, chart_id, label, chart_id, summary,
        mark_safe(grid), mark_safe(line), mark_safe(dots), mark_safe(labels),  # numbers, escaped text
    )  # fmt: skip


def heatmap(counts: dict[date, int], today: date, *, chart_id: str = "heatmap") -> SafeString:
    """A year of study days, a column per week (Monday on top), like a contribution graph."""
    calendar = _calendar(today)
    rects = list(calendar.empty_days)
    active = 0
    for day, n in counts.items():
        cell = calendar.cells.get(day)
        if cell is not None and n:
            active += 1
            rects[cell.index] = _day_rect(cell, day, n)
    return format_html(
        '<svg class="chart chart--heatmap" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">过去一年的学习日历</title><desc id="{}-desc">过去一年有 {} 天学习。</desc>{}{}</svg>',
        calendar.width, calendar.height, chart_id, chart_id, chart_id, chart_id, active,
        mark_safe(calendar.axes), mark_safe("".join(rects)),  # numbers and dates only
    )  # fmt: skip


MASTERY_BAR_WIDTH = 190  # the bar of 100% recall, in the viewBox
MASTERY_TITLE_CHARS = 7  # longer titles are shortened; the whole one is in the bar's <title>


def mastery_chart(sections: Sequence[SectionMastery], *, chart_id: str, label: str) -> SafeString:
    """Mean predicted recall per section as horizontal bars, in the order given;
    a section not met yet has no bar, only 未学. Bars are coloured by level
    (site.css) and every value is also in words."""
    row, title_w, top = 24, 96, 4
    width, height = title_w + MASTERY_BAR_WIDTH + 34, top + row * max(1, len(sections))
    parts = []
    for i, section in enumerate(sections):
        y = top + i * row
        title = section.title
        short = (
            title if len(title) <= MASTERY_TITLE_CHARS else title[: MASTERY_TITLE_CHARS - 1] + "…"
        )
        words = section.label if section.percent is None else f"{section.label} {section.percent}%"
        parts.append(
            format_html(
                '<g><title>{}\uff1a{}</title><text class="chart__label" x="0" y="{}">{}</text>',
                title,
                words,
                y + 15,
                short,
            )  # fmt: skip
        )
        if section.recall is None:
            parts.append(
                format_html(
                    '<text class="chart__axis" x="{}" y="{}">未学</text></g>', title_w, y + 15
                )
            )
            continue
        bar = round(MASTERY_BAR_WIDTH * min(1.0, max(0.0, section.recall)), 1)
        percent = round(100 * min(1.0, max(0.0, section.recall)))
        parts.append(
            format_html(
                '<rect class="chart__track" x="{}" y="{}" width="{}" height="14" rx="3"/>'
                '<rect class="chart__bar chart__bar--{}" x="{}" y="{}" width="{}" height="14" rx="3"/>'
                '<text class="chart__axis" x="{}" y="{}">{}%</text></g>',
                title_w,
                y + 4,
                MASTERY_BAR_WIDTH,
                section.level,
                title_w,
                y + 4,
                bar,
                title_w + MASTERY_BAR_WIDTH + 4,
                y + 15,
                percent,
            )  # fmt: skip
        )
    counts = dict.fromkeys(LABELS, 0)
    for section in sections:
        counts[section.level] += 1
    summary = (
        f"共 {len(sections)} 个章节\uff1a"
        + "\uff0c".join(f"{LABELS[level]} {n} 个" for level, n in counts.items())
        + "。"
    )
    return format_html(
        '<svg class="chart chart--mastery" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width, height, chart_id, chart_id, chart_id, label, chart_id, summary,
        mark_safe("".join(parts)),  # built with format_html above
    )  # fmt: skip


HEAT_CELL, HEAT_GAP, HEAT_LEFT, HEAT_TOP = 11, 2, 18, 14


@dataclass(frozen=True)
class _Cell:
    index: int  # in the calendar's rects, in drawing order
    x: int
    y: int


@dataclass(frozen=True)
class _Calendar:
    """What a year's calendar up to one day looks like before any study: the same
    for every learner that day, so drawn once and kept (lru_cache below)."""

    width: int
    height: int
    axes: str  # month and weekday labels
    cells: dict[date, _Cell]
    empty_days: tuple[str, ...]


def _day_rect(cell: _Cell, day: date, n: int) -> str:
    level = 0 if n == 0 else 1 if n < 5 else 2 if n < 15 else 3 if n < 40 else 4
    return (
        f'<rect class="heat heat--{level}" x="{cell.x}" y="{cell.y}" '
        f'width="{HEAT_CELL}" height="{HEAT_CELL}" rx="2"><title>{day:%Y-%m-%d}\uff1a{n} 次</title></rect>'
    )


@lru_cache(maxsize=4)
def _calendar(today: date) -> _Calendar:
    cell, gap, left, top = HEAT_CELL, HEAT_GAP, HEAT_LEFT, HEAT_TOP
    start = today - timedelta(days=364)
    start -= timedelta(days=start.weekday())  # back to a Monday
    weeks = (today - start).days // 7 + 1
    cells: dict[date, _Cell] = {}
    months: list[str] = []
    last_month, last_label = None, -3
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        if monday.month != last_month:
            last_month = monday.month
            if week - last_label < 3:  # a partial first month would overlap the next label
                months.pop()
            last_label = week
            months.append(
                f'<text class="chart__axis" x="{left + week * (cell + gap)}" y="10">{monday.month}月</text>'
            )
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > today:
                continue
            cells[day] = _Cell(len(cells), left + week * (cell + gap), top + weekday * (cell + gap))
    labels = "".join(
        f'<text class="chart__axis" x="0" y="{top + i * (cell + gap) + 9}">{WEEKDAYS[i]}</text>'
        for i in (0, 2, 4)
    )
    return _Calendar(
        width=left + weeks * (cell + gap),
        height=top + 7 * (cell + gap),
        axes="".join(months) + labels,
        cells=cells,
        empty_days=tuple(_day_rect(c, day, 0) for day, c in cells.items()),
    )
