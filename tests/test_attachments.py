"""Suggestions' attachments are checked by their content, not only their name (issue 13, 11c):
real files of each kind are built here (a PDF by reportlab, pictures by Pillow, workbooks by
openpyxl, Word documents as the OOXML zip Word writes) and sent through the member's form and
the admin's attachment inline, the two ways a file reaches the portal."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from suggestions.models import Attachment, Suggestion, validate_attachment
from tests.factories import SuggestionFactory, UserFactory
from tests.test_scoping import version

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/suggestions/suggestion/"

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
EXCEL_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
# The first bytes of every OLE2 compound file: .doc, .xls, .ppt, .msi…
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def pdf_bytes():
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Report")
    page.save()
    return buffer.getvalue()


def picture_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=image_format)
    return buffer.getvalue()


def xlsx_bytes():
    book = openpyxl.Workbook()
    book.active["A1"] = "建议"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ooxml_bytes(main_type, main_part="/word/document.xml", extra_types="", extra_parts=()):
    """An OOXML package as Word writes one: its content types, relationships and main part."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{main_part}" ContentType="{main_type}"/>'
        f"{extra_types}</Types>"
    )
    relationships = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main_part.lstrip("/")}"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>建议</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", relationships)
        package.writestr(main_part.lstrip("/"), document)
        for name, content in extra_parts:
            package.writestr(name, content)
    return buffer.getvalue()


def docx_bytes():
    return ooxml_bytes(WORD_MAIN)


def docm_bytes():
    """A macro-enabled Word document (.docm): its main part's type says so and it holds the
    macros' project."""
    return ooxml_bytes(
        WORD_MACRO_MAIN,
        extra_types=f'<Override PartName="/word/vbaProject.bin" ContentType="{VBA_PROJECT}"/>',
        extra_parts=[("word/vbaProject.bin", OLE2)],
    )


def xlsm_bytes():
    return ooxml_bytes(
        EXCEL_MACRO_MAIN,
        main_part="/xl/workbook.xml",
        extra_types=f'<Override PartName="/xl/vbaProject.bin" ContentType="{VBA_PROJECT}"/>',
        extra_parts=[("xl/vbaProject.bin", OLE2)],
    )


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in files.items():
            package.writestr(name, content)
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

GOOD_FILES = {
    "调研报告.pdf": pdf_bytes,
    "建议.docx": docx_bytes,
    "数据.xlsx": xlsx_bytes,
    "现场.jpg": lambda: picture_bytes("JPEG"),
    "现场.JPEG": lambda: picture_bytes("JPEG"),
    "图表.png": lambda: picture_bytes("PNG"),
    "说明.txt": lambda: "关于复工复产的建议\r\n一、……\n".encode(),
    "说明（GBK）.txt": lambda: "关于复工复产的建议\r\n一、……\n".encode("gb18030"),
    "说明（BOM）.txt": lambda: "\ufeff关于复工复产的建议".encode(),
}

# Each file whose content is not what its name says, and the error the member is shown.
BAD_FILES = {
    "html-as-pdf": (
        "报告.pdf",
        lambda: HTML,
        "报告.pdf 的内容不是文件名所示的 PDF 文档，不能上传。",
    ),
    "docm-renamed-docx": (
        "建议.docx",
        docm_bytes,
        "建议.docx 是启用宏的 Office 文档（.docm 或 .xlsm）：请另存为不含宏的 .docx、.xlsx 或 "
        "PDF 后再上传。",
    ),
    "docx-with-macros-added": (
        "建议.docx",
        lambda: ooxml_bytes(WORD_MAIN, extra_parts=[("word/vbaProject.bin", OLE2)]),
        "建议.docx 是启用宏的 Office 文档（.docm 或 .xlsm）：请另存为不含宏的 .docx、.xlsx 或 "
        "PDF 后再上传。",
    ),
    "xlsm-renamed-xlsx": (
        "数据.xlsx",
        xlsm_bytes,
        "数据.xlsx 是启用宏的 Office 文档（.docm 或 .xlsm）：请另存为不含宏的 .docx、.xlsx 或 "
        "PDF 后再上传。",
    ),
    "pdf-as-png": (
        "图表.png",
        pdf_bytes,
        "图表.png 的内容不是文件名所示的 PNG 图片，不能上传。",
    ),
    "png-as-jpg": (
        "现场.jpg",
        lambda: picture_bytes("PNG"),
        "现场.jpg 的内容不是文件名所示的 JPEG 图片，不能上传。",
    ),
    "zip-without-workbook-as-xlsx": (
        "数据.xlsx",
        lambda: zip_bytes({"readme.txt": "not a workbook"}),
        "数据.xlsx 的内容不是文件名所示的 Excel 工作簿（.xlsx），不能上传。",
    ),
    "docx-as-xlsx": (
        "数据.xlsx",
        docx_bytes,
        "数据.xlsx 的内容不是文件名所示的 Excel 工作簿（.xlsx），不能上传。",
    ),
    "xlsx-as-docx": (
        "建议.docx",
        xlsx_bytes,
        "建议.docx 的内容不是文件名所示的 Word 文档（.docx），不能上传。",
    ),
    "docx-missing-its-main-part": (
        "建议.docx",
        lambda: zip_bytes(
            {
                "[Content_Types].xml": zipfile.ZipFile(io.BytesIO(docx_bytes())).read(
                    "[Content_Types].xml"
                )
            }
        ),
        "建议.docx 的内容不是文件名所示的 Word 文档（.docx），不能上传。",
    ),
    "not-a-zip-as-docx": (
        "建议.docx",
        lambda: HTML,
        "建议.docx 的内容不是文件名所示的 Word 文档（.docx），不能上传。",
    ),
    "binary-as-txt": (
        "说明.txt",
        lambda: picture_bytes("PNG"),
        "说明.txt 的内容不是文件名所示的 UTF-8 或 GB18030 编码的文本，不能上传。",
    ),
    "utf16-with-nul-as-txt": (
        "说明.txt",
        lambda: "建议".encode("utf-16"),
        "说明.txt 的内容不是文件名所示的 UTF-8 或 GB18030 编码的文本，不能上传。",
    ),
    "ascii-with-nul-as-txt": (
        "说明.txt",
        lambda: b"text\x00more",
        "说明.txt 的内容不是文件名所示的 UTF-8 或 GB18030 编码的文本，不能上传。",
    ),
    "legacy-doc": (
        "建议.doc",
        lambda: OLE2,
        "建议.doc 是旧版 Word 或 Excel 文件（.doc、.xls），可能带有宏：请另存为 .docx、.xlsx 或 "
        "PDF 后再上传。",
    ),
    "legacy-xls": (
        "数据.xls",
        lambda: OLE2,
        "数据.xls 是旧版 Word 或 Excel 文件（.doc、.xls），可能带有宏：请另存为 .docx、.xlsx 或 "
        "PDF 后再上传。",
    ),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member_login(zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


def member_sends(client, user, name, content):
    client.force_login(user)
    return client.post(
        "/suggestions/new/",
        {
            "title": "关于复工的建议",
            "topic": "经济发展",
            "text": "正文",
            "attachment": SimpleUploadedFile(name, content),
        },
    )


def admin_adds(client, user, branch, author, name, content):
    """The admin's add form of a suggestion with one attachment in its inline."""
    client.force_login(user)
    return client.post(
        f"{CHANGELIST}add/",
        {
            "title": "关于复工的建议",
            "topic": "经济发展",
            "text": "正文",
            "branch": branch.pk,
            "authors": [author.pk],
            "received_on": "2020-02-01",
            "source": "paper",
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-0-file": SimpleUploadedFile(name, content),
            "attachments-0-description": "",
            "forwardings-TOTAL_FORMS": "0",
            "forwardings-INITIAL_FORMS": "0",
            "state_changes-TOTAL_FORMS": "0",
            "state_changes-INITIAL_FORMS": "0",
        },
    )


def stored(attachment):
    with attachment.file.open("rb") as file:
        return file.read()


def inline_errors(response):
    return [
        error
        for formset in response.context["inline_admin_formsets"]
        for form_errors in formset.formset.errors
        for errors in form_errors.values()
        for error in errors
    ]


# The member's form


@pytest.mark.parametrize("name", list(GOOD_FILES))
def test_attachment_of_each_allowed_kind_is_accepted_from_a_member(
    client, member_login, media, name
):
    content = GOOD_FILES[name]()

    response = member_sends(client, member_login, name, content)

    assert response.status_code == 302
    assert stored(Attachment.objects.get()) == content


@pytest.mark.parametrize(
    ("name", "build", "message"), list(BAD_FILES.values()), ids=list(BAD_FILES)
)
def test_attachment_whose_content_differs_from_its_name_is_refused_from_a_member(
    client, member_login, media, name, build, message
):
    response = member_sends(client, member_login, name, build())

    assert response.status_code == 200
    assert response.context["form"].errors == {"attachment": [message]}
    assert (Suggestion.objects.count(), Attachment.objects.count()) == (0, 0)
    assert list(media.rglob("*.*")) == []


def test_attachment_refusal_is_in_english_for_an_english_member(client, member_login, media):
    client.cookies["django_language"] = "en"

    response = member_sends(client, member_login, "报告.pdf", HTML)

    assert response.context["form"].errors == {
        "attachment": ["The content of 报告.pdf is not a PDF document, as its name says."]
    }


def test_attachment_larger_than_the_limit_is_refused_from_a_member(
    client, member_login, media, settings
):
    settings.SUGGESTION_ATTACHMENT_MAX_MB = 1
    content = "建".encode() * (1024 * 1024 // 3 + 1)  # valid text, just over 1 MB

    response = member_sends(client, member_login, "说明.txt", content)
    at_limit = member_sends(client, member_login, "说明.txt", content[: 1024 * 1024 - 1])

    assert response.context["form"].errors == {"attachment": ["说明.txt 超过 1 MB。"]}
    assert at_limit.status_code == 302


# The admin's inline


def test_attachment_of_an_allowed_kind_is_accepted_in_the_admin(
    client, bob, hospital, zhao_li, media
):
    content = docx_bytes()

    response = admin_adds(client, bob, hospital, zhao_li, "建议.docx", content)

    assert response.status_code == 302
    assert stored(Attachment.objects.get()) == content


@pytest.mark.parametrize(
    "case", ["html-as-pdf", "docm-renamed-docx", "pdf-as-png", "zip-without-workbook-as-xlsx"]
)
def test_attachment_whose_content_differs_from_its_name_is_refused_in_the_admin(
    client, bob, hospital, zhao_li, media, case
):
    name, build, message = BAD_FILES[case]

    response = admin_adds(client, bob, hospital, zhao_li, name, build())

    assert response.status_code == 200
    assert inline_errors(response) == [message]
    assert (Suggestion.objects.count(), Attachment.objects.count()) == (0, 0)


def test_attachment_larger_than_the_limit_is_refused_in_the_admin(
    client, bob, hospital, zhao_li, media, settings
):
    settings.SUGGESTION_ATTACHMENT_MAX_MB = 1
    content = pdf_bytes() + b"\n" * (1024 * 1024)

    response = admin_adds(client, bob, hospital, zhao_li, "调研报告.pdf", content)

    assert inline_errors(response) == ["调研报告.pdf 超过 1 MB。"]
    assert Attachment.objects.count() == 0


def test_attachment_already_on_file_does_not_block_changing_its_suggestion(
    client, alice, hospital, zhao_li, media
):
    # Files stored before the content check (an old .doc) stay until staff delete them: saving
    # the suggestion must not re-judge them.
    suggestion = SuggestionFactory(branch=hospital, authors=[zhao_li])
    attachment = suggestion.attachments.create(
        file=SimpleUploadedFile("旧建议.doc", OLE2), description=""
    )
    client.force_login(alice)

    response = client.post(
        f"{CHANGELIST}{suggestion.pk}/change/",
        {
            "title": "改过的标题",
            "topic": "经济发展",
            "text": "正文",
            "branch": hospital.pk,
            "authors": [zhao_li.pk],
            "received_on": "2020-02-01",
            "source": "paper",
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": attachment.pk,
            "attachments-0-suggestion": suggestion.pk,
            "attachments-0-description": "旧文件",
            "forwardings-TOTAL_FORMS": "0",
            "forwardings-INITIAL_FORMS": "0",
            "state_changes-TOTAL_FORMS": "0",
            "state_changes-INITIAL_FORMS": "0",
            **version(suggestion),
        },
    )

    assert response.status_code == 302
    suggestion.refresh_from_db()
    attachment.refresh_from_db()
    assert (suggestion.title, attachment.description) == ("改过的标题", "旧文件")


# The validator itself, on what a browser could send


def test_attachment_check_leaves_the_file_at_its_start(media):
    upload = SimpleUploadedFile("数据.xlsx", xlsx_bytes())

    validate_attachment(upload)

    assert upload.tell() == 0


def test_attachment_with_an_oversized_content_types_part_is_refused(media):
    # A zip bomb's [Content_Types].xml must not be read whole into memory.
    padding = "<!--" + "x" * (2 * 1024 * 1024) + "-->"
    content = zip_bytes({"[Content_Types].xml": padding, "word/document.xml": "<w/>"})
    upload = SimpleUploadedFile("建议.docx", content)

    with pytest.raises(ValidationError) as error:
        validate_attachment(upload)

    assert error.value.messages == [
        "建议.docx 的内容不是文件名所示的 Word 文档（.docx），不能上传。"
    ]
