"""Server-drawn bar charts: SVG geometry from figures, no JavaScript (WCAG 2.2 AA).

Each chart has a title and a text description, and the page always shows the same figures
in a table beside it. Suppressed figures draw no bar and say "fewer than 5".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from earlyhelp.insights.selectors import ShownFigure

WIDTH = 640
HEIGHT = 220
TOP = 16
BOTTOM = 44  # room for the labels under the bars
LEFT = 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    bars: list[Bar]
    axis_top: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    base_y: int = HEIGHT - BOTTOM
    top: int = TOP


def bar_chart(title: str, figures: Sequence[ShownFigure], *, is_time: bool) -> Chart:
    """Bars for the figures in order (months, agencies or areas)."""
    values = [f.chart_value for f in figures]
    scale_top = 100.0 if not is_time else max([v for v in values if v is not None] or [1.0])
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(figures), 1)
    bars = []
    for index, (figure, value) in enumerate(zip(figures, values, strict=True)):
        height = 0.0 if value is None else plot_height * value / (scale_top or 1.0)
        x = LEFT + index * slot + slot * 0.15
        y = HEIGHT - BOTTOM - height
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=figure.label if len(figure.label) <= 12 else figure.label[:11] + "…",
                text="<5" if figure.suppressed else figure.headline.replace(" hours", "h"),
                text_x=round(x + slot * 0.35, 1),
                text_y=round(max(y - 4, TOP - 2), 1),
            )
        )
    parts = [f"{f.label}: {f.headline}" for f in figures]
    description = "; ".join(parts) if parts else "No figures for this period"
    axis_top = f"{scale_top:.0f} hours" if is_time else "100%"
    return Chart(title=title, description=description, bars=bars, axis_top=axis_top)
