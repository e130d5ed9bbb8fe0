"""The summary's tables, in the reader's language: what every renderer (HTML, CSV, XLSX, PDF)
draws. Built from ``reports.summary.leadership_summary`` only, one function per table, listed in
the report's order by ``report_tables``; values stay numbers (Decimal, int) and each table says
which of its columns are money, so XLSX can format them as ¥."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class ReportTable:
    key: str  # file and sheet name: ASCII
    title: str
    headers: list[str]
    rows: list[list]
    money_columns: set[int] = field(default_factory=set)
    # The chart of this table, if any: (label column, value column).
    chart: tuple[int, int] | None = None


def report_tables(summary: dict) -> list[ReportTable]:
    """Every table of the report, in its order. Care visits only in a summary that has them
    (``leadership_summary`` gives None to those who may not view them)."""
    tables = [
        key_figures(summary),
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


def key_figures(summary: dict) -> ReportTable:
    money = summary["money"]
    blood = summary["blood"]
    volunteers = summary["volunteers"]
    suggestions = summary["suggestions"]
    care = summary["care_visits"]
    yuan, people, times = _("yuan"), _("people"), _("times")
    rows = [
        [_("Members' own money"), money["members_own"], yuan],
        [_("Members who gave"), money["member_donors"], people],
        [_("Gifts received"), money["donations"], times],
        [_("Members' gifts to other bodies (apart)"), money["given_apart"], yuan],
        [_("Facilitated by members (apart)"), money["facilitated"], yuan],
        [_("From other donors"), money["other_donors"], yuan],
        [_("Pledged, not yet received"), money["pledged"], yuan],
        [_("Goods given, estimated value"), summary["goods_value"]["direct"], yuan],
        [_("Goods facilitated, estimated value"), summary["goods_value"]["facilitated"], yuan],
        [_("Members who gave blood"), blood["donors"], people],
        [_("Blood donations"), blood["donations"], times],
        [_("Blood given (ml)"), blood["ml"], "ml"],
        [_("Members posted"), volunteers["people"], people],
        [_("Places"), volunteers["postings"], ""],
        [_("Days served"), volunteers["days"], _("days")],
        [_("Hours logged"), volunteers["hours"], _("hours")],
        [_("Members on the front line"), summary["front_line"]["people"], people],
        [_("Suggestions received"), suggestions["received"], _("items")],
        [_("Suggestions forwarded to higher bodies"), suggestions["forwarded"], _("items")],
        [_("Suggestions adopted"), suggestions["adopted"], _("items")],
        [_("Artworks"), len(summary["artworks"]), _("items")],
        [_("Enterprise contributions"), len(summary["enterprise_work"]), _("items")],
    ]
    if care is not None:
        rows += [
            [_("Care visits"), len(care["visits"]), times],
            [_("Letters of sympathy sent"), care["letters"], _("letters")],
        ]
    return ReportTable("summary", _("Key figures"), [_("Figure"), _("Value"), _("Unit")], rows)


def campaign_goals(summary: dict) -> ReportTable:
    return ReportTable(
        "campaigns",
        _("Campaigns: goals and progress"),
        [_("Campaign"), _("Kind"), _("Goal"), _("Target"), _("Reached"), _("Reached (%)")],
        [
            [c["title"], c["kind"], str(g["label"]), g["target"], g["value"], g["percent"]]
            for c in summary["campaigns"]
            for g in c["goals"]
        ],
    )


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
                r["members_own"],
                r["facilitated"],
                r["other_donors"],
                r["gifts"],
            ]
            for r in summary["money_by_recipient"]
        ],
        money_columns={2, 3, 4},
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
                g["quantity"],
                g["estimated_value"],
                _("yes") if g["facilitated"] else "",
            ]
            for g in summary["goods"]
        ],
        money_columns={3},
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
