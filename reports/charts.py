"""Bar and line charts drawn on the server as inline SVG: no JavaScript, readable without colour.

Each chart carries a text alternative (an SVG title and a description giving every figure) and the page
shows its data as a table beside it. Series differ by fill pattern (solid, hatched) and by the legend's
words, not by colour alone; colours (in the templates) are GOV.UK's blue and black, which pass contrast on white.
"""

from dataclasses import dataclass, field

WIDTH = 680
BAR_AREA = 520  # room for the longest bar, then its value
BAR_HEIGHT = 18
LABEL_HEIGHT = 22
GAP = 12
STYLES = ("solid", "hatched")


@dataclass
class Series:
    name: str
    values: list[int]


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    height: int
    legend: list[dict]
    groups: list[dict] = field(default_factory=list)
    width: int = WIDTH


def _bar_width(value: int, top: int) -> float:
    return 0 if not top else round(value / top * BAR_AREA, 1)


def bar_chart(chart_id: str, title: str, categories: list[str], series: list[Series], unit: str = "") -> BarChart:
    """Lay out a horizontal bar chart: each category's name on its own line, one bar per series beneath."""
    top = max((value for one in series for value in one.values), default=0)
    legend_height = 30 if len(series) > 1 else 0
    y = legend_height
    groups = []
    for index, category in enumerate(categories):
        bars = []
        label_y = y + 16
        y += LABEL_HEIGHT
        for number, one in enumerate(series):
            value = one.values[index]
            width = _bar_width(value, top)
            bars.append(
                {
                    "y": y,
                    "width": width,
                    "style": STYLES[number % len(STYLES)],
                    "value": value,
                    "text_x": width + 6,
                    "text_y": y + 14,
                    "series": one.name,
                }
            )
            y += BAR_HEIGHT + 2
        groups.append({"label": category, "label_y": label_y, "bars": bars})
        y += GAP
    legend = [
        {"name": one.name, "style": STYLES[number % len(STYLES)], "x": number * 200, "text_x": number * 200 + 24}
        for number, one in enumerate(series)
    ]
    return BarChart(
        id=chart_id,
        title=title,
        description=describe_bars(categories, series, unit),
        height=max(y, 40),
        legend=legend if len(series) > 1 else [],
        groups=groups,
    )


def describe_bars(categories: list[str], series: list[Series], unit: str = "") -> str:
    """Return every figure in words: the chart's text alternative."""
    if not categories:
        return "No figures for this period."
    parts = []
    for index, category in enumerate(categories):
        figures = ", ".join(f"{one.values[index]}{unit} {one.name.lower()}" for one in series)
        parts.append(f"{category}: {figures}")
    return "; ".join(parts) + "."


@dataclass
class LineChart:
    id: str
    title: str
    description: str
    points: str
    markers: list[dict]
    ticks: list[dict]
    labels: list[dict]
    width: int = WIDTH
    height: int = 260
    left: int = 48
    right: int = WIDTH - 16
    top: int = 16
    bottom: int = 220


def _nice_top(value: int) -> int:
    """Round the axis up to 1, 2 or 5 times a power of ten (at least 4), so the gridlines read easily."""
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def line_chart(chart_id: str, title: str, points: list[tuple[str, int]], what: str) -> LineChart:
    """Lay out a line chart of (label, value) points, evenly spaced, with a marker on every point."""
    chart = LineChart(id=chart_id, title=title, description="", points="", markers=[], ticks=[], labels=[])
    top = _nice_top(max((value for _, value in points), default=0))
    span_x = chart.right - chart.left
    span_y = chart.bottom - chart.top
    step = span_x / max(len(points) - 1, 1)
    coordinates = []
    for index, (label, value) in enumerate(points):
        x = round(chart.left + index * step, 1)
        y = round(chart.bottom - value / top * span_y, 1)
        coordinates.append(f"{x},{y}")
        chart.markers.append({"x": x, "y": y, "label": label, "value": value})
    chart.points = " ".join(coordinates)
    chart.ticks = [
        {"y": round(chart.bottom - fraction * span_y, 1), "value": round(top * fraction)} for fraction in (0, 0.5, 1)
    ]
    shown = sorted({0, len(points) // 2, len(points) - 1}) if points else []
    chart.labels = [{"x": chart.markers[i]["x"], "text": chart.markers[i]["label"]} for i in shown]
    if points:
        high = max(points, key=lambda point: point[1])
        low = min(points, key=lambda point: point[1])
        total = sum(value for _, value in points)
        chart.description = (
            f"{what} for {len(points)} weeks, {total} in all: the most {high[1]} (week of {high[0]}), "
            f"the fewest {low[1]} (week of {low[0]}). Every week's figure is in the table below."
        )
    else:
        chart.description = "No weeks in this period."
    return chart
