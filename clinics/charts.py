"""The clinic report's pictures, drawn as SVG on the server (templates/clinics/_chart.html): no script, no style
attribute (the Content-Security-Policy allows neither), nothing loaded from another site.

Each function turns figures into shapes in a fixed coordinate space (the `viewBox`); the browser scales the picture to
the column. Every chart comes with its numbers as a table, for screen readers and for anyone who prefers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

WIDTH = 360  # viewBox units: about one unit per pixel on a phone, so 12-unit text stays readable there
FONT = 12
INK = "#1f2933"
BAR = "#17605f"  # the site's accent: 7.3:1 on white, well above the 3:1 a graphic needs
GRID = "#6b7280"
LABEL_CHARS = 52  # a lesson title longer than this is cut in the picture (the table has it whole)


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (a long lesson title is shortened)
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    value_anchor: str = "start"
    sublabel: str = ""  # a second line under a column's label (the month under a week's day)


@dataclass(frozen=True)
class Chart:
    slug: str  # unique on the page: ids for aria-labelledby
    title: str
    summary: str  # one sentence a screen reader hears instead of the picture
    height: int
    bars: list[Bar]
    columns: tuple[str, str]  # the data table's headings
    rows: list[tuple[str, str]]  # the data table: full labels and values
    horizontal: bool = True
    baseline: float | None = None  # y of the axis line under vertical bars
    width: int = WIDTH
    colours: dict = field(default_factory=lambda: {"bar": BAR, "ink": INK, "grid": GRID})


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _share(value: int, total: int) -> str:
    return f"{round(100 * value / total)}%" if total else "–"


def horizontal_bars(
    slug: str, title: str, items: list[tuple[str, int]], *, out_of: int, columns: tuple[str, str], summary: str
) -> Chart:
    """One bar per item, its label above it and its value after it; the longest possible bar is `out_of`."""
    row = 38
    longest = WIDTH - 70  # room for "1,234 (100%)" after a full bar
    scale = longest / max(out_of, *(v for _, v in items), 1)
    bars = []
    for i, (label, value) in enumerate(items):
        top = i * row
        width = value * scale
        bars.append(
            Bar(
                label=_short(label),
                value=value,
                x=0,
                y=top + 17,
                width=round(width, 1),
                height=14,
                label_x=0,
                label_y=top + 12,
                value_x=round(width + 4, 1),
                value_y=top + 28,
            )
        )
    rows = [(label, f"{value:,} ({_share(value, out_of)})") for label, value in items]
    return Chart(slug, title, summary, max(len(items) * row, row), bars, columns, rows)


def vertical_bars(
    slug: str,
    title: str,
    items: list[tuple[str, int]],
    *,
    columns: tuple[str, str],
    summary: str,
    sublabels: list[str] | None = None,
    table_labels: list[str] | None = None,
) -> Chart:
    """Columns side by side with their label underneath and value on top (for a few items: 12 weeks at most)."""
    top, plot = 18, 140
    slot = WIDTH / max(len(items), 1)
    scale = plot / max(max((v for _, v in items), default=0), 1)
    bars = []
    for i, (label, value) in enumerate(items):
        height = value * scale
        x = i * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(top + plot - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(i * slot + slot / 2, 1),
                label_y=top + plot + 16,
                value_x=round(i * slot + slot / 2, 1),
                value_y=round(top + plot - height - 4, 1),
                value_anchor="middle",
                sublabel=sublabels[i] if sublabels else "",
            )
        )
    labels = table_labels or [label for label, _ in items]
    rows = [(label, f"{value:,}") for label, (_, value) in zip(labels, items, strict=True)]
    height = top + plot + (38 if sublabels else 24)
    return Chart(slug, title, summary, height, bars, columns, rows, horizontal=False, baseline=top + plot)


# --- The three pictures of the clinic report ----------------------------------------------------------------------


def funnel_chart(funnel: list[dict], joined: int) -> Chart:
    items = [(step["title"], step["completed"]) for step in funnel]
    first, last = (items[0][1], items[-1][1]) if items else (0, 0)
    return horizontal_bars(
        "funnel",
        _("Families who completed each lesson"),
        items,
        out_of=joined,
        columns=(_("Lesson"), _("Families who completed it")),
        summary=_(
            "A bar chart of %(lessons)s lessons in reading order: %(first)s of %(joined)s families completed the "
            "first lesson and %(last)s the last."
        )
        % {"lessons": len(items), "first": f"{first:,}", "joined": f"{joined:,}", "last": f"{last:,}"},
    )


def _band_label(band: str) -> str:
    # The report (cached, shared by every language) names the bands in English; the picture says them in the page's.
    if band == "None":
        return pgettext("lessons completed", "None")
    if band == "All":
        return pgettext("lessons completed", "All")
    return band


def progress_chart(distribution: list[tuple[str, int]], joined: int) -> Chart:
    distribution = [(_band_label(band), count) for band, count in distribution]
    largest = max(distribution, key=lambda item: item[1], default=("", 0))
    return vertical_bars(
        "progress",
        _("How far families have come"),
        distribution,
        columns=(_("Lessons completed"), _("Families")),
        summary=_(
            "A bar chart of %(joined)s families by the share of lessons they completed; the largest group, "
            "%(largest)s, is “%(band)s”."
        )
        % {"joined": f"{joined:,}", "largest": f"{largest[1]:,}", "band": largest[0]},
    )


def activity_chart(weeks: list[tuple[date, int]]) -> Chart:
    items = [(str(monday.day), count) for monday, count in weeks]
    # The month under the first week and wherever a new month starts, so twelve labels fit a phone.
    # Month names in the page's language (Django's date formats), not the server's locale.
    months = [
        date_format(monday, "M") if i == 0 or monday.month != weeks[i - 1][0].month else ""
        for i, (monday, _count) in enumerate(weeks)
    ]
    day_month_year = pgettext("a week's first day in the activity table; Django date format", "j F Y")
    chart = vertical_bars(
        "activity",
        _("Families active each week"),
        items,
        sublabels=months,
        table_labels=[date_format(monday, day_month_year) for monday, _count in weeks],
        columns=(_("Week starting (Monday)"), _("Families active")),
        summary=(
            ngettext(
                "A bar chart of the last %(weeks)s week: %(now)s families were active this week, %(most)s in the "
                "busiest week.",
                "A bar chart of the last %(weeks)s weeks: %(now)s families were active this week, %(most)s in the "
                "busiest week.",
                len(weeks),
            )
            % {"weeks": len(weeks), "now": f"{weeks[-1][1]:,}", "most": f"{max(c for _d, c in weeks):,}"}
            if weeks
            else _("No weeks to show.")
        ),
    )
    return chart
