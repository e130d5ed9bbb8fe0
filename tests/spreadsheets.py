"""Real spreadsheet files and the admin's import/export requests, for the import tests.

``url`` is a change list URL such as "/admin/suggestions/suggestion/"; the import posts the
file for a preview, then confirms it as the admin's confirm form would.
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
    file_format = XLSX if file_name.endswith(".xlsx") else CSV
    upload = SimpleUploadedFile(file_name, content)
    return client.post(
        url + "import/", {"import_file": upload, "format": file_format, "resource": "0"}
    )


def confirm(client, url, preview_response):
    form = preview_response.context["confirm_form"]
    return client.post(url + "process_import/", {name: form[name].value() for name in form.fields})


def import_file(client, url, content, file_name="导入.csv"):
    return confirm(client, url, preview(client, url, content, file_name))


def forge_confirm(client, url, content, file_name="导入.csv", *, good):
    """Confirm an import of ``content`` without a preview that passed: take the hidden fields of
    the confirm form for ``good`` (a CSV file that passes) and put ``content`` in the stored file
    they name (as if it had changed since: an import's confirmation imports what is stored)."""
    form = preview(client, url, good).context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    PendingImport.objects.filter(pk=data["import_file_name"]).update(data=content)
    data["format"] = XLSX if file_name.endswith(".xlsx") else CSV
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
