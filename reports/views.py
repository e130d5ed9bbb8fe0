import datetime
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from branch_portal.routers import reading_replica
from campaigns.charts import bar_chart
from campaigns.models import Campaign
from members.models import Branch
from members.scoping import scope_for
from portal import exports as portal_exports
from portal import jobs
from portal.models import ExportJob
from portal.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from reports import briefing, datasets, exports, pdf, renderers, summary
from reports.forms import ReportForm

# The leadership summary


def _report_scope(request):
    """The branches the user may report on, and the form of the period and branch.

    Leadership and committee staff (every branch) may choose any; a clerk their own subtree,
    which is also what a blank branch means for them. Anyone else is refused."""
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    scope = scope_for(request)
    branches = scope.filter(Branch.objects.all(), "")
    if not scope.everything and not branches.exists():
        raise PermissionDenied
    form = ReportForm(request.GET, branches=branches)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        branch = form.cleaned_data["branch"]
    else:
        start = end = branch = None
    if branch is None and not scope.everything:
        branch = request.user.branch
    # The committee's own top branch is the whole committee, records without a member included,
    # for those who see every branch (a clerk's scope is their members' records, as in the admin).
    if scope.everything and summary.is_whole(branch, summary.committee()):
        branch = None
    return form, summary.Period(start, end), branch


def _summary(request, period, branch, *, briefing=False) -> dict:
    """The leadership summary, read from the replica when there is one (the user's scope and
    permissions are settled on the primary before). Care visits only for those who may view them
    in the admin: clerks may not (members/roles.py)."""
    care_visits = request.user.has_perm("honours.view_carevisit")
    with reading_replica():
        return summary.leadership_summary(
            period=period, branch=branch, care_visits=care_visits, briefing=briefing
        )


def _filename(name, period, branch) -> str:
    """What the file is, its scope and its period: "社员奉献与活动情况汇总-九三学社连云港市委-
    20200101-20201231". A name as Windows and macOS save it (none of \\/:*?"<>|)."""
    if branch is None:
        top = summary.committee()
        scope = top.name if top else _("all branches")
    else:
        scope = branch.name
    if period.start or period.end:
        days = (period.start, period.end)
        dates = "-".join(day.strftime("%Y%m%d") if day else "" for day in days)
    else:
        dates = _("all records")
    text = "-".join(str(part) for part in (name, scope, dates))
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text)


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def quick_periods(today, campaigns) -> tuple[list[dict], list[dict]]:
    """One-click periods for the form: this year, last year, the last three months, all time;
    the last complete year a campaign ran in, when that is before last year (a past campaign's
    year is then one click whenever the report is read); and each campaign's own period."""
    three_months_ago = today - datetime.timedelta(days=91)
    periods = [
        {"label": _("This year"), "start": today.replace(month=1, day=1), "end": today},
        {
            "label": _("Last year"),
            "start": datetime.date(today.year - 1, 1, 1),
            "end": datetime.date(today.year - 1, 12, 31),
        },
        {"label": _("Last three months"), "start": three_months_ago, "end": today},
        {"label": _("All time"), "start": None, "end": None},
    ]
    ran = [
        min(campaign.ends_on or today, datetime.date(today.year - 1, 12, 31)).year
        for campaign in campaigns
        if campaign.starts_on.year < today.year
    ]
    if ran and max(ran) < today.year - 1:
        year = max(ran)
        periods.insert(
            2,
            {
                "label": _("Year %(year)d") % {"year": year},
                "start": datetime.date(year, 1, 1),
                "end": datetime.date(year, 12, 31),
            },
        )
    campaign_periods = [
        {"label": campaign.title, "start": campaign.starts_on, "end": campaign.ends_on or today}
        for campaign in campaigns
    ]
    return periods, campaign_periods


QUICK_CAMPAIGNS = 6


def _recent_campaigns():
    """The campaigns offered as quick periods: the latest few that are not drafts."""
    return list(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .only("title", "starts_on", "ends_on")
        .order_by("-starts_on", "title")[:QUICK_CAMPAIGNS]
    )


@login_required
def report_view(request):
    form, period, branch = _report_scope(request)
    data = _summary(request, period, branch)
    tables = datasets.report_tables(data)
    with reading_replica():
        campaigns = _recent_campaigns()
    periods, campaign_periods = quick_periods(timezone.localdate(), campaigns)
    context = {
        "form": form,
        "summary": data,
        "heading": renderers.heading(data),
        "tables": tables,
        "charts": {table.key: bar_chart(table) for table in tables if table.chart and table.rows},
        "quick_periods": periods,
        "campaign_periods": campaign_periods,
        "branch_id": branch.pk if branch else "",
        "record_exports": exports.EXPORTS.values(),
    }
    return render(request, "reports/summary.html", context)


@login_required
def report_download(request, file_format):
    if file_format not in ("xlsx", "pdf"):
        raise Http404
    form, period, branch = _report_scope(request)
    data = _summary(request, period, branch)
    tables = datasets.report_tables(data)
    name = _filename(renderers.heading(data)["title"], period, branch)
    if file_format == "xlsx":
        content = renderers.render_xlsx(data, tables)
        content_type = XLSX_CONTENT_TYPE
    else:
        content = pdf.render_pdf(data, tables)
        content_type = "application/pdf"
    return _attachment(HttpResponse(content, content_type=content_type), f"{name}.{file_format}")


@login_required
def report_briefing(request):
    """The Word briefing of the period and branch: the same summary, told in sentences."""
    form, period, branch = _report_scope(request)
    data = _summary(request, period, branch, briefing=True)
    name = _filename(pgettext("briefing", "Briefing"), period, branch)
    response = HttpResponse(briefing.render_briefing(data), content_type=DOCX_CONTENT_TYPE)
    return _attachment(response, f"{name}.docx")


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def report_csv(request, key):
    form, period, branch = _report_scope(request)
    data = _summary(request, period, branch)
    table = next((t for t in datasets.report_tables(data) if t.key == key), None)
    if table is None:
        raise Http404
    response = HttpResponse(renderers.render_csv(table), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, f"{_filename(table.title, period, branch)}.csv")


@login_required
def record_export(request, key, file_format):
    form, period, branch = _report_scope(request)
    export = exports.EXPORTS.get(key)
    if export is None or file_format not in ("csv", "xlsx"):
        raise Http404
    with reading_replica():
        queryset = summary.records(period, branch)[export.queryset_key]
        # Pinned to the database the router chooses now: the rows stream after this view returns.
        queryset = queryset.using(queryset.db)
        rows = queryset.count()
    name = _filename(export.title, period, branch)
    if rows > settings.EXPORT_JOB_ROWS:
        # Longer than a request may run: a worker writes it, its page follows it.
        job = exports.start_export(
            user=request.user,
            export=export,
            file_format=file_format,
            period=period,
            branch=branch,
            filename=name,
            rows=rows,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        return redirect("reports:export-job", job.pk)
    if file_format == "csv":
        return exports.csv_response(export, queryset, name)
    return exports.xlsx_response(export, queryset, name)


def _own_export(request, job_id):
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    job = ExportJob.objects.requested(job_id, user=request.user).first()
    if job is None:
        raise Http404
    return jobs.check_alive(job)


@login_required
def export_job(request, job_id):
    """A long export's page: its progress while a worker writes it (the page reloads itself),
    then its download link, for ``EXPORT_KEEP_HOURS``. Its requester's only."""
    job = _own_export(request, job_id)
    context = {
        "job": job,
        "queued_before": jobs.queue_position(job) if job.runner is None else None,
        "kept_until": job.changed_at + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    }
    return render(request, "reports/export_job.html", context)


@login_required
def export_download(request, job_id):
    job = _own_export(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file or not default_storage.exists(job.file):
        raise Http404
    return portal_exports.download_response(job)
