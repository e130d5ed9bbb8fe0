"""The campaign page's chart, drawn on the server as SVG: no JavaScript, nothing from elsewhere,
and it prints. ``cumulative_chart`` turns a daily series (progress.daily_series) into coordinates
in a fixed view box; the template draws them, and CSS (not inline style, which the CSP forbids)
colours them.
"""

from decimal import Decimal

# The view box; the SVG scales to its container. Small enough that 12-unit text stays legible
# when a phone shrinks it to about 350 px.
WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 60, 14, 14, 30
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above ``value``, so axis labels read well."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def cumulative_chart(series: list[dict]) -> dict | None:
    """Coordinates of the running total over the days of ``series``; None without data.

    Each day is a step: the total holds until the next day with records.
    """
    if not series:
        return None
    first, last = series[0]["date"], series[-1]["date"]
    span = max((last - first).days, 1)
    top = nice_ceiling(Decimal(series[-1]["cumulative"]))

    def x(day):
        return round(LEFT + PLOT_WIDTH * (day - first).days / span, 1)

    def y(value):
        return round(TOP + PLOT_HEIGHT * (1 - Decimal(value) / top), 1)

    points = []
    previous = y(0)
    for day in series:
        points += [(x(day["date"]), previous), (x(day["date"]), y(day["cumulative"]))]
        previous = y(day["cumulative"])
    if len(series) == 1:  # one day: a level line across the plot rather than a lone point
        points.append((LEFT + PLOT_WIDTH, previous))
    line = " ".join(f"{px},{py}" for px, py in points)
    baseline = y(0)
    area = f"{points[0][0]},{baseline} {line} {points[-1][0]},{baseline}"
    ticks = [{"y": y(top * share), "value": top * share} for share in (0, Decimal("0.5"), 1)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": baseline,
        "line": line,
        "area": area,
        "ticks": ticks,
        "first": {"x": LEFT, "date": first},
        "last": {"x": WIDTH - RIGHT, "date": last},
        "end": {"x": points[-1][0], "y": points[-1][1]},
        "label_y": HEIGHT - 8,
    }


BAR_WIDTH, BAR_LABEL, BAR_HEIGHT, BAR_GAP = 400, 150, 18, 8
BAR_ROWS = 25  # the largest first; the table under the chart lists every row


def bar_chart(dataset) -> dict:
    """Horizontal bars for a report table whose ``chart`` names its label and value columns:
    coordinates in a view box whose height follows the number of rows."""
    label_column, value_column = dataset.chart
    rows = dataset.rows[:BAR_ROWS]
    values = [Decimal(row[value_column] or 0) for row in rows]
    top = max(values) or Decimal(1)
    span = BAR_WIDTH - BAR_LABEL - 60
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = index * (BAR_HEIGHT + BAR_GAP)
        length = round(float(span * value / top), 1)
        bars.append(
            {
                "label": str(row[label_column]),
                "value": value,
                "y": y,
                "text_y": y + BAR_HEIGHT - 5,
                "width": max(length, 1),
                "value_x": BAR_LABEL + max(length, 1) + 6,
            }
        )
    return {
        "width": BAR_WIDTH,
        "height": len(bars) * (BAR_HEIGHT + BAR_GAP),
        "label_x": BAR_LABEL - 8,
        "bar_x": BAR_LABEL,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "title": dataset.title,
    }
