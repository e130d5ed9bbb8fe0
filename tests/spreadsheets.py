"""Real spreadsheet files and the admin's import/export requests, for the import tests.

``url`` is a change list URL such as "/admin/suggestions/suggestion/"; the import posts the
file, which queues its check as a background job, and reads the job's page (the preview);
then confirms it as that page's confirm form would, which queues the import. Tests run jobs at
once, inside the request that queues them (tests/settings.py), so the page read after a request
shows the job done; the job machinery itself is tested in tests/test_jobs.py.
"""

import csv
import io

import openpyxl
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import PendingImport

XLSX, CSV = "0", "1"  # indexes into portal.spreadsheets.SPREADSHEET_FORMATS

# The import columns as the README documents them, spelled here and not read from the code, so
# that a renamed column fails the tests.
MEMBER_HEADERS = [
    "姓名",
    "社员编号",
    "性别",
    "所属组织",
    "界别",
    "工作单位",
    "职务",
    "手机",
    "电子邮箱",
    "入社日期",
    "状态",
    "同意公开",
    "同意公开签字日期",
]
DONATION_HEADERS = [
    "记录编号",
    "姓名",
    "手机",
    "社员编号",
    "活动",
    "日期",
    "形式",
    "金额（元）",
    "方式",
    "企业",
    "社外捐赠人",
    "受赠方",
    "匿名",
    "收据号",
    "状态",
    "物品",
    "数量",
    "单位",
    "估值（元）",
]


def csv_bytes(headers, rows, encoding="utf-8-sig"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([headers, *rows])  # \r\n line ends, as Excel writes
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers, rows):
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview(client, url, content, file_name="导入.csv"):
    """The page of the upload's check (or the upload form again, when it was refused)."""
    file_format = XLSX if file_name.endswith(".xlsx") else CSV
    upload = SimpleUploadedFile(file_name, content)
    response = client.post(
        url + "import/", {"import_file": upload, "format": file_format, "resource": "0"}
    )
    if response.status_code != 302:
        return response
    return client.get(response.url)


def confirm_data(preview_response):
    form = preview_response.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def confirm(client, url, preview_response):
    """The confirmation's answer: a redirect to the job's page (see ``outcome_texts``)."""
    return client.post(url + "process_import/", confirm_data(preview_response))


def import_file(client, url, content, file_name="导入.csv"):
    return confirm(client, url, preview(client, url, content, file_name))


def job_page(client, response):
    """The page a confirmation (or an upload) sent the browser to."""
    return client.get(response.url)


def outcome_texts(client, response):
    """What the job's page, after ``response`` (a confirmation), says of the import: its
    result, or why nothing was imported."""
    page = job_page(client, response)
    job = page.context["job"]
    texts = [job.message] if job.message else []
    if job.state == PendingImport.State.IMPORTED:
        texts.append(page.context["outcome"].summary())
    return texts


def forge_confirm(client, url, content, file_name="导入.csv", *, good):
    """Confirm an import of ``content`` without a preview that passed: take the hidden fields of
    the confirm form for ``good`` (a CSV file that passes) and put ``content`` in the stored file
    they name (as if it had changed since: an import's confirmation imports what is stored)."""
    data = confirm_data(preview(client, url, good))
    file_format = "xlsx" if file_name.endswith(".xlsx") else "csv"
    PendingImport.objects.filter(pk=data["job"]).update(data=content, file_format=file_format)
    return client.post(url + "process_import/", data)


def invalid_rows(response):
    return [(row.number, row.error_dict) for row in response.context["result"].invalid_rows]


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def export(client, url, resource_class, file_format=CSV):
    prefix = resource_class.__name__.lower()
    data = {"format": file_format, "resource": "0"}
    data |= {f"{prefix}_{name}": "on" for name in resource_class().get_export_order()}
    return client.post(url + "export/", data)


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
