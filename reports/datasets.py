"""The summary's tables, in the reader's language: what every renderer (HTML, CSV, XLSX, PDF)
draws. Built from ``reports.summary.leadership_summary`` only, one function per table, listed in
the report's order by ``report_tables``: the headline figures (against the same period a year
before), the branches ranked, the campaigns against their goals, then the details. Values stay
typed: money as ``Yuan`` (so each renderer writes it as money: ¥ in XLSX and PDF, 元 on the
page), counts as int, quantities as int when whole, dates as dates."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.templatetags.portal_format import Yuan

# A chart shows the first rows of its table (sorted largest first); the table lists them all.
# More bars would not fit an A4 page (and would not be read).
CHART_ROWS = 25


@dataclass
class ReportTable:
    key: str  # file and sheet name: ASCII
    title: str
    headers: list[str]
    rows: list[list]
    # The chart of this table, if any: (label column, value column).
    chart: tuple[int, int] | None = None


def report_tables(summary: dict) -> list[ReportTable]:
    """Every table of the report, in its order. Care visits only in a summary that has them
    (``leadership_summary`` gives None to those who may not view them)."""
    tables = [
        key_figures(summary),
        branches(summary),
        campaign_goals(summary),
        money_by_recipient(summary),
        goods(summary),
        front_line_by_sector(summary),
        front_line_by_branch(summary),
        suggestions_by_body(summary),
        artworks(summary),
        enterprise_work(summary),
    ]
    if summary["care_visits"] is not None:
        tables.append(care_visits(summary))
    return tables


def number(value):
    """A count or quantity as it reads: whole as int (10, not 10.00), else the Decimal without
    trailing zeros (2.5)."""
    if value is None:
        return None
    if value == int(value):
        return int(value)
    return Decimal(value).normalize()


def yuan(value):
    return None if value is None else Yuan(value)


def key_figure_rows(headline: dict) -> list[list]:
    """(figure, value, unit) of the headline figures, in the report's order."""
    money = headline["money"]
    blood = headline["blood"]
    volunteers = headline["volunteers"]
    suggestions = headline["suggestions"]
    care = headline["care_visits"]
    yuan_, people, times, items = _("yuan"), _("people"), _("times"), _("items")
    rows = [
        [_("Members' own money"), yuan(money["members_own"]), yuan_],
        [_("Members who gave"), money["member_donors"], people],
        [_("Gifts received"), money["donations"], times],
        [_("Members' gifts to other bodies (apart)"), yuan(money["given_apart"]), yuan_],
        [_("Facilitated by members (apart)"), yuan(money["facilitated"]), yuan_],
        [_("From other donors"), yuan(money["other_donors"]), yuan_],
        [_("Pledged, not yet received"), yuan(money["pledged"]), yuan_],
        [_("Goods given, estimated value"), yuan(headline["goods_value"]["direct"]), yuan_],
        [
            _("Goods facilitated, estimated value"),
            yuan(headline["goods_value"]["facilitated"]),
            yuan_,
        ],
        [_("Members who gave blood"), blood["donors"], people],
        [_("Blood donations"), blood["donations"], times],
        [_("Blood given (ml)"), blood["ml"], "ml"],
        [_("Members posted"), volunteers["people"], people],
        [_("Places"), volunteers["postings"], ""],
        [_("Days served"), volunteers["days"], _("days")],
        [_("Hours logged"), number(volunteers["hours"]), _("hours")],
        [_("Hours confirmed by staff"), number(volunteers["confirmed_hours"]), _("hours")],
        [_("Members on the front line"), headline["front_line"], people],
        [_("Suggestions received"), suggestions["received"], items],
        [_("Suggestions forwarded to higher bodies"), suggestions["forwarded"], items],
        [_("Suggestions adopted"), suggestions["adopted"], items],
        [_("Artworks"), headline["artworks"], items],
        [_("Enterprise contributions"), headline["enterprise_work"], items],
    ]
    if care is not None:
        rows += [
            [_("Care visits"), care["visits"], times],
            [_("Letters of sympathy sent"), care["letters"], _("letters")],
        ]
    return rows


def key_figures(summary: dict) -> ReportTable:
    """The headline figures; beside them the same period a year before, when the period has a
    start (all records have nothing before them)."""
    headers = [_("Figure"), _("Value"), _("Unit")]
    rows = key_figure_rows(summary["headline"])
    before = summary["headline_year_before"]
    if before is not None:
        headers.append(_("Same period a year before"))
        rows = [
            [*row, earlier[1]] for row, earlier in zip(rows, key_figure_rows(before), strict=True)
        ]
    return ReportTable("summary", _("Key figures"), headers, rows)


def branches(summary: dict) -> ReportTable:
    return ReportTable(
        "branches",
        _("Branches ranked"),
        [
            _("Rank"),
            _("Branch"),
            _("Members' own money"),
            _("Members who gave"),
            _("Members who gave blood"),
            _("Members posted"),
            _("Suggestions received"),
        ],
        [
            [
                b["rank"],
                _("%(branch)s (its own members)") % {"branch": b["name"]}
                if b["own_members"]
                else b["name"],
                yuan(b["members_own"]),
                b["member_donors"],
                b["blood_donors"],
                b["volunteers"],
                b["suggestions"],
            ]
            for b in summary["branches"]
        ],
        chart=(1, 2),
    )


def campaign_goals(summary: dict) -> ReportTable:
    return ReportTable(
        "campaigns",
        _("Campaigns: goals and progress"),
        [_("Campaign"), _("Kind"), _("Goal"), _("Target"), _("Reached"), _("Reached (%)")],
        [
            [c["title"], c["kind"], str(g["label"]), *_goal_figures(g), g["percent"]]
            for c in summary["campaigns"]
            for g in c["goals"]
        ],
    )


def _goal_figures(goal: dict) -> list:
    if goal["metric"] == "amount":
        return [yuan(goal["target"]), yuan(goal["value"])]
    return [number(goal["target"]), number(goal["value"])]


def money_by_recipient(summary: dict) -> ReportTable:
    return ReportTable(
        "money_by_recipient",
        _("Money by recipient"),
        [
            _("Recipient"),
            _("Counted apart"),
            _("Members' own money"),
            _("Facilitated"),
            _("Other donors"),
            _("Gifts"),
        ],
        [
            [
                r["recipient"],
                "" if r["designated"] else _("yes"),
                yuan(r["members_own"]),
                yuan(r["facilitated"]),
                yuan(r["other_donors"]),
                r["gifts"],
            ]
            for r in summary["money_by_recipient"]
        ],
        chart=(0, 2),
    )


def goods(summary: dict) -> ReportTable:
    return ReportTable(
        "goods",
        _("Goods by item"),
        [_("Item"), _("Unit"), _("Quantity"), _("Estimated value"), _("Facilitated")],
        [
            [
                g["item"],
                g["unit"],
                number(g["quantity"]),
                yuan(g["estimated_value"]),
                _("yes") if g["facilitated"] else "",
            ]
            for g in summary["goods"]
        ],
    )


def front_line_by_sector(summary: dict) -> ReportTable:
    return ReportTable(
        "front_line_by_sector",
        _("Front line by sector"),
        [_("Sector"), _("Members")],
        [[r["name"], r["people"]] for r in summary["front_line"]["by_sector"]],
        chart=(0, 1),
    )


def front_line_by_branch(summary: dict) -> ReportTable:
    return ReportTable(
        "front_line_by_branch",
        _("Front line by branch"),
        [_("Branch"), _("Members")],
        [[r["name"], r["people"]] for r in summary["front_line"]["by_branch"]],
    )


def suggestions_by_body(summary: dict) -> ReportTable:
    return ReportTable(
        "suggestions_by_body",
        _("Suggestions forwarded, by higher body"),
        [_("Higher body"), _("Forwarded"), _("Adopted")],
        [[r["body"], r["forwarded"], r["adopted"]] for r in summary["suggestions_by_body"]],
        chart=(0, 1),
    )


def artworks(summary: dict) -> ReportTable:
    return ReportTable(
        "artworks",
        _("Artworks"),
        [_("Member"), _("Title"), _("Date")],
        [[a["who"], a["title"], a["date"]] for a in summary["artworks"]],
    )


def enterprise_work(summary: dict) -> ReportTable:
    return ReportTable(
        "enterprise_work",
        _("Member enterprises' work"),
        [_("Enterprise"), _("Work"), _("Citation")],
        [[e["who"], e["title"], e["text"]] for e in summary["enterprise_work"]],
    )


def care_visits(summary: dict) -> ReportTable:
    return ReportTable(
        "care_visits",
        _("Care visits and letters"),
        [_("Date"), _("Sites"), _("Leaders"), _("Members visited"), _("Letters sent")],
        [
            [v["date"], v["sites"], v["leaders"], v["visited"], v["letters"]]
            for v in summary["care_visits"]["visits"]
        ],
    )
