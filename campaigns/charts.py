"""The campaign page's chart, drawn on the server as SVG: no JavaScript, nothing from elsewhere,
and it prints. ``cumulative_chart`` turns a daily series (progress.daily_series) into coordinates
in a fixed view box; the template draws them, and CSS (not inline style, which the CSP forbids)
colours them.
"""

from decimal import Decimal

from portal.templatetags.portal_format import Yuan

# The view box; the SVG scales to its container. Small enough that 12-unit text stays legible
# when a phone shrinks it to about 350 px. The campaign page draws the chart twice, in a wide box
# for screens from a tablet up (and paper) and a narrow one for phones (CSS shows one): one box
# scaled to both would make its labels either huge or unreadable.
WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 60, 14, 14, 30
WIDE = {"width": 820, "height": 310}
NARROW = {"width": 360, "height": 260}


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above ``value``, so axis labels read well."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def cumulative_chart(
    series: list[dict], *, goal=None, width: int = WIDTH, height: int = HEIGHT
) -> dict | None:
    """Coordinates of the running total over the days of ``series``, in a ``width`` × ``height``
    box, with a line at ``goal`` when one is given; None without data.

    Each day is a step: the total holds until the next day with records. The axis reaches the
    goal, so that the line shows how far there is still to go.
    """
    if not series:
        return None
    plot_width, plot_height = width - LEFT - RIGHT, height - TOP - BOTTOM
    first, last = series[0]["date"], series[-1]["date"]
    span = max((last - first).days, 1)
    top = nice_ceiling(max(Decimal(series[-1]["cumulative"]), Decimal(goal or 0)))

    def x(day):
        return round(LEFT + plot_width * (day - first).days / span, 1)

    def y(value):
        return round(TOP + plot_height * (1 - Decimal(value) / top), 1)

    points = []
    previous = y(0)
    for day in series:
        points += [(x(day["date"]), previous), (x(day["date"]), y(day["cumulative"]))]
        previous = y(day["cumulative"])
    if len(series) == 1:  # one day: a level line across the plot rather than a lone point
        points.append((LEFT + plot_width, previous))
    line = " ".join(f"{px},{py}" for px, py in points)
    baseline = y(0)
    area = f"{points[0][0]},{baseline} {line} {points[-1][0]},{baseline}"
    ticks = [{"y": y(top * share), "value": top * share} for share in (0, Decimal("0.5"), 1)]
    return {
        "width": width,
        "height": height,
        "left": LEFT,
        "right": width - RIGHT,
        "baseline": baseline,
        "line": line,
        "area": area,
        "ticks": ticks,
        "goal": {"y": y(goal), "label_y": y(goal) - 5, "value": goal} if goal else None,
        "first": {"x": LEFT, "date": first},
        "last": {"x": width - RIGHT, "date": last},
        "end": {"x": points[-1][0], "y": points[-1][1]},
        "label_y": height - 8,
    }


BAR_WIDTH, BAR_LABEL, BAR_HEIGHT, BAR_GAP = 400, 150, 18, 8
BAR_ROWS = 25  # the largest first; the table under the chart lists every row


def bar_chart(dataset) -> dict:
    """Horizontal bars for a report table whose ``chart`` names its label and value columns:
    coordinates in a view box whose height follows the number of rows."""
    label_column, value_column = dataset.chart
    rows = dataset.rows[:BAR_ROWS]
    # A table's money is typed (Yuan): its bars read ¥4,850; a count's bars read 4, not ¥4.
    is_money = any(isinstance(row[value_column], Yuan) for row in rows)
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
                "is_money": is_money,
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
