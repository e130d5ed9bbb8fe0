"""One Chinese word per thing (docs/glossary.md): no synonym the glossary rules out in the
templates, the Chinese translations, the code's strings (import and export headers, choice
words, messages, the reports) or the resources' headers; old headers still read."""

import ast
import re
from pathlib import Path

import pytest
from django.contrib import admin

from campaigns.models import Donation
from portal.spreadsheets import RENAMED_HEADERS
from tests.factories import CampaignFactory, RecipientFactory
from tests.spreadsheets import DONATION_HEADERS, csv_bytes, import_file

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ["portal", "members", "campaigns", "suggestions", "honours", "reports", "branch_portal"]


def glossary() -> dict[str, str]:
    """Each ruled-out word → the term to use, from the glossary's table."""
    ruled_out = {}
    for line in (BASE_DIR / "docs" / "glossary.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1] not in ("term", "---"):
            for word in filter(None, cells[2].split("、")):
                ruled_out[word] = cells[1]
    return ruled_out


def synonyms_in(text: str) -> list[str]:
    return [f"{word} (say {term})" for word, term in glossary().items() if word in text]


def po_translations(path: Path) -> list[str]:
    """Every msgstr of a catalogue, its continuation lines joined."""
    found, current = [], None
    for line in path.read_text().splitlines():
        if line.startswith("msgstr"):
            current = [re.search(r'"(.*)"$', line)[1]]
            found.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])
        else:
            current = None
    return ["".join(parts) for parts in found]


def code_strings(path: Path) -> list[str]:
    """The string constants of a module (docstrings included); an old header kept for files
    made before its rename is the one allowed."""
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value not in RENAMED_HEADERS
    ]


def test_glossary_table_is_read():
    assert glossary()["会员编号"] == "社员编号"
    assert glossary()["到账"] == "已收到"


def test_glossary_templates_use_one_word_per_thing():
    found = {
        str(path.relative_to(BASE_DIR)): synonyms_in(path.read_text())
        for path in sorted((BASE_DIR / "templates").rglob("*.html"))
    }

    assert {path: words for path, words in found.items() if words} == {}


def test_glossary_chinese_translations_use_one_word_per_thing():
    translations = po_translations(BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")

    found = {text: synonyms_in(text) for text in translations}

    assert len(translations) > 500
    assert {text: words for text, words in found.items() if words} == {}


def test_glossary_code_strings_use_one_word_per_thing():
    found = {
        f"{path.relative_to(BASE_DIR)}: {text[:60]}": synonyms_in(text)
        for app in APPS
        for path in sorted((BASE_DIR / app).rglob("*.py"))
        if "migrations" not in path.parts
        for text in code_strings(path)
    }

    assert {place: words for place, words in found.items() if words} == {}


def test_glossary_import_and_export_headers_use_one_word_per_thing():
    headers = {
        f"{model._meta.label}: {field.column_name}": synonyms_in(field.column_name)
        for model, model_admin in admin.site._registry.items()
        for resource in getattr(model_admin, "resource_classes", [])
        for field in resource.fields.values()
    }

    assert len(headers) > 40
    assert {header: words for header, words in headers.items() if words} == {}


def test_glossary_renamed_headers_point_to_the_terms():
    assert {
        word: term for word, term in glossary().items() if word in RENAMED_HEADERS
    } == RENAMED_HEADERS


@pytest.mark.parametrize("number_header", ["社员编号", "会员编号"], ids=["number", "old-number"])
@pytest.mark.parametrize(
    "recipient_header", ["受赠方", "受赠单位"], ids=["recipient", "old-recipient"]
)
def test_donation_import_reads_old_headers_as_the_new(
    client, alice, zhao_li, committee, number_header, recipient_header
):
    zhao_li.number = "M001"
    zhao_li.save()
    CampaignFactory(title="抗击疫情募捐", organiser=committee)
    RecipientFactory(name="连云港市红十字会")
    renamed = {"社员编号": number_header, "受赠方": recipient_header}
    headers = [renamed.get(header, header) for header in DONATION_HEADERS]
    row = {
        "姓名": "赵丽",
        number_header: "M001",
        "活动": "抗击疫情募捐",
        "日期": "2020-02-03",
        "形式": "钱款",
        "金额（元）": "500",
        recipient_header: "连云港市红十字会",
    }
    client.force_login(alice)

    import_file(
        client,
        "/admin/campaigns/donation/",
        csv_bytes(headers, [[row.get(header, "") for header in headers]]),
        "捐赠.csv",
    )

    donation = Donation.objects.get()
    assert (donation.member, str(donation.recipient), donation.amount) == (
        zhao_li,
        "连云港市红十字会",
        500,
    )
