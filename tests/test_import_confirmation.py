"""An import's confirmation: once only, on any app server, by its uploader only, within limits
(issue 13, items 5, 6 and 7).

The review found: two concurrent confirmations after one preview imported every row twice (and
the second answered 500 after committing); the upload waited in one server's temporary folder
(a confirmation reaching another server failed, unconfirmed files stayed forever, and a forged
file name read and deleted any file there); and nothing limited a file's size, rows or columns.
"""

import datetime
import itertools
import tempfile
import threading
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from members.models import Member
from portal.models import PendingImport
from portal.spreadsheets import FileTooLarge, limited_rows
from tests.factories import UserFactory
from tests.spreadsheets import (
    CSV,
    MEMBER_HEADERS,
    confirm,
    confirm_data,
    csv_bytes,
    message_texts,
    preview,
    xlsx_bytes,
)

URL = "/admin/members/member/"
PROCESS_URL = URL + "process_import/"


def rows(count):
    return [
        [f"社员{n}", "", "女", "医院支社", "", "", "", f"1380000{n:04d}", "", "", "在册", "否"]
        for n in range(count)
    ]


@pytest.fixture
def five_rows():
    return csv_bytes(MEMBER_HEADERS, rows(5))


# Item 5: a confirmation imports once


def test_confirmation_sent_twice_imports_once(client, alice, hospital, five_rows):
    client.force_login(alice)
    shown = preview(client, URL, five_rows, "会员.csv")
    data = confirm_data(shown)

    first = client.post(PROCESS_URL, data)
    second = client.post(PROCESS_URL, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert message_texts(second)[-1] == "此文件已经导入，没有重复导入。"
    assert Member.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_once(hospital, five_rows):
    """A double click: two requests at the same time, each on its own connection."""
    alice = UserFactory(username="alice-import", is_superuser=True)
    starter = Client()
    starter.force_login(alice)
    data = confirm_data(preview(starter, URL, five_rows, "会员.csv"))
    session = starter.cookies
    start, answers = threading.Barrier(2), {}

    def click(name):
        from django.db import connection

        client = Client()
        client.cookies = session
        start.wait(timeout=30)
        try:
            answers[name] = client.post(PROCESS_URL, data).status_code
        finally:
            connection.close()

    clicks = [threading.Thread(target=click, args=(name,)) for name in ("first", "second")]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=120)

    assert answers == {"first": 302, "second": 302}
    assert Member.objects.count() == 5
    assert list(PendingImport.objects.values_list("state", flat=True)) == ["imported"]


# Item 6: the upload waits in the database, the uploader's only


def test_preview_keeps_nothing_in_the_servers_temporary_folder(
    client, alice, hospital, five_rows, tmp_path, monkeypatch
):
    # This process's own temporary folder, so that other processes' files do not count.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(alice)

    shown = preview(client, URL, five_rows, "会员.csv")

    assert "confirm_form" in shown.context
    assert list(tmp_path.iterdir()) == []


def test_confirmation_on_another_server_imports(alice, hospital, five_rows):
    """Another app server shares only the database (and the session): a new client with the
    same session, and nothing of the first server's memory, confirms."""
    first_server = Client()
    first_server.force_login(alice)
    data = confirm_data(preview(first_server, URL, five_rows, "会员.csv"))
    other_server = Client()
    other_server.cookies = first_server.cookies

    response = other_server.post(PROCESS_URL, data)

    assert response.status_code == 302
    assert Member.objects.count() == 5


def test_forged_file_name_reads_and_deletes_nothing_on_the_server(client, alice, hospital):
    planted = Path(tempfile.gettempdir()) / "planted-members.csv"
    planted.write_bytes(csv_bytes(MEMBER_HEADERS, rows(3)))
    client.force_login(alice)
    try:
        response = client.post(
            PROCESS_URL,
            {"job": planted.name, "original_file_name": "x.csv", "format": CSV},
        )
        still_there = planted.exists()
    finally:
        planted.unlink(missing_ok=True)

    assert response.status_code == 302
    assert still_there is True
    assert Member.objects.count() == 0


def test_another_users_upload_cannot_be_confirmed(client, alice, hospital, five_rows):
    client.force_login(alice)
    data = confirm_data(preview(client, URL, five_rows, "会员.csv"))
    other = UserFactory(username="other-staff", is_superuser=True)
    client.force_login(other)

    response = client.post(PROCESS_URL, data)

    assert message_texts(response) == [
        "此次上传已不在等待确认（等待超过60分钟，或不是你上传的），没有导入任何记录。请重新上传文件。"
    ]
    assert Member.objects.count() == 0


def test_upload_expires_and_is_deleted(client, alice, hospital, five_rows, settings):
    client.force_login(alice)
    data = confirm_data(preview(client, URL, five_rows, "会员.csv"))
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.IMPORT_PENDING_MINUTES + 1)
    PendingImport.objects.update(uploaded_at=long_ago, changed_at=long_ago)

    expired = client.post(PROCESS_URL, data)
    preview(client, URL, five_rows, "会员.csv")  # any new upload deletes the expired ones

    assert message_texts(expired)[0].startswith("此次上传已不在等待确认")
    assert Member.objects.count() == 0
    assert PendingImport.objects.filter(pk=data["job"]).exists() is False


def test_imported_upload_keeps_no_file(client, alice, hospital, five_rows):
    client.force_login(alice)
    shown = preview(client, URL, five_rows, "会员.csv")

    confirm(client, URL, shown)

    assert list(PendingImport.objects.values_list("state", "data", "file_name")) == [
        ("imported", b"", "会员.csv")
    ]


# Item 7: limits on size, rows and columns


def test_file_larger_than_the_limit_is_refused(client, alice, hospital, settings):
    settings.IMPORT_MAX_MB = 1
    big = csv_bytes(MEMBER_HEADERS, rows(1)) + b"#" * (1024 * 1024)
    client.force_login(alice)

    response = preview(client, URL, big, "会员.csv")

    assert response.context["form"].errors["import_file"] == [
        "会员.csv 大于 1 MB，超过一次导入的上限。请拆分成较小的文件。"
    ]
    assert PendingImport.objects.count() == 0


@pytest.mark.parametrize("file_name", ["会员.csv", "会员.xlsx"])
def test_file_with_more_rows_than_the_limit_is_refused(
    client, alice, hospital, settings, file_name
):
    settings.IMPORT_MAX_ROWS = 4
    make = xlsx_bytes if file_name.endswith(".xlsx") else csv_bytes
    client.force_login(alice)

    at_limit = preview(client, URL, make(MEMBER_HEADERS, rows(4)), file_name)
    over = preview(client, URL, make(MEMBER_HEADERS, rows(5)), file_name)

    assert "confirm_form" in at_limit.context
    assert over.context["form"].errors["import_file"] == [
        "文件中记录超过 4 行，超过一次导入的上限。请拆分成较小的文件。"
    ]
    assert Member.objects.count() == 0


def test_file_with_more_columns_than_the_limit_is_refused(client, alice, hospital, settings):
    settings.IMPORT_MAX_COLUMNS = len(MEMBER_HEADERS)
    client.force_login(alice)

    fits = preview(client, URL, xlsx_bytes(MEMBER_HEADERS, rows(2)), "会员.xlsx")
    wide = preview(client, URL, xlsx_bytes([*MEMBER_HEADERS, "多余", "又多"], rows(2)), "会员.xlsx")

    assert "confirm_form" in fits.context
    assert wide.context["form"].errors["import_file"] == [
        f"第 1 行超过 {len(MEMBER_HEADERS)} 列，超过一次导入的上限。请删去模板中没有的列。"
    ]


def test_reading_stops_at_the_first_row_past_the_limit(settings):
    settings.IMPORT_MAX_ROWS = 10
    endless = itertools.repeat(["刘强", "男"])  # a file that never ends

    with pytest.raises(FileTooLarge):
        limited_rows(endless)


def test_reading_stops_on_endless_blank_rows(settings):
    settings.IMPORT_MAX_ROWS = 10
    endless = itertools.chain([["姓名"]], itertools.repeat([None, ""]))

    with pytest.raises(FileTooLarge):
        limited_rows(endless)
