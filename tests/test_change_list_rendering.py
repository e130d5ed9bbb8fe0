"""The change lists' rows and filter choices (portal.change_lists) are Django's, byte for byte:
every registered change list, over the demo data and rows whose text is markup, with and
without filters, sorting and a popup."""

import datetime
from pathlib import Path
from urllib.parse import urlencode

import django.contrib.admin
import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_list
from django.contrib.admin.views.main import ChangeList
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import resolve, reverse

from campaigns.models import Donation
from members.models import Branch, Member
from portal.templatetags.portal_change_list import portal_result_list
from tests.factories import (
    BranchFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    SectorFactory,
    SuggestionCallFactory,
    SuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARKUP = 'a<b & "c" <img src=x> =HYPERLINK("x")'
DJANGO_FILTER_TEMPLATE = (
    Path(django.contrib.admin.__file__).parent / "templates" / "admin" / "filter.html"
)


def markup_records():
    """Rows whose text is markup, in the cells and in the filters' choices (a branch under the
    top one, a sector, a campaign, a call)."""
    branch = BranchFactory(name=MARKUP, parent=Branch.objects.filter(parent=None).first())
    sector = SectorFactory(name=MARKUP)
    MemberFactory(name=MARKUP, branch=branch, sector=sector, workplace=MARKUP)
    campaign = CampaignFactory(title=MARKUP)
    DonationFactory(member=None, donor_name=MARKUP, receipt_no=MARKUP, campaign=campaign)
    DonationFactory(member=Member.objects.get(name=MARKUP), campaign=campaign)
    SuggestionFactory(title=MARKUP, branch=branch, call=SuggestionCallFactory(title=MARKUP))


@pytest.fixture
def records():
    markup_records()


@pytest.fixture
def demo_and_records():
    # The demo has a row of every model (11 s to load: one test for the rows, one for filters).
    call_command("load_demo", verbosity=0)
    markup_records()


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def change_list(model_admin, user, query=""):
    opts = model_admin.model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(path + query)
    request.user = user
    # The list's filters are preserved in its links only on the list's own URL.
    request.resolver_match = resolve(path)
    return model_admin.get_changelist_instance(request)


def rows(context) -> list[str]:
    return ["".join(str(cell) for cell in row) for row in context["results"]]


def test_every_change_lists_rows_are_djangos(demo_and_records, superuser):
    compared = 0
    lists = [
        (model, model_admin, query)
        for model, model_admin in admin.site._registry.items()
        for query in ["", "?o=-2.1&p=1", "?_popup=1&_to_field=id"]
    ]
    for model, model_admin, query in lists:
        cl = change_list(model_admin, superuser, query)
        cl.formset = None
        ours = portal_result_list(cl)
        django_s = result_list(cl)
        assert rows(ours) == rows(django_s), (model._meta.label, query)
        assert ours["result_headers"] == django_s["result_headers"], model._meta.label
        assert ours["num_sorted_fields"] == django_s["num_sorted_fields"]
        assert ours["result_hidden_fields"] == django_s["result_hidden_fields"]
        compared += len(ours["results"])
    # The comparison saw rows: the demo's records and the markup above.
    assert compared > 300


def test_markup_in_a_cell_is_text(records, superuser):
    cl = change_list(admin.site._registry[Member], superuser)
    html = "".join(rows(portal_result_list(cl)))

    assert "<img src=x" not in html
    # The member's name (its cell and its checkbox's label), workplace (text and hover),
    # branch and sector.
    assert html.count("a&lt;b &amp; &quot;c&quot; &lt;img src=x&gt; =HYPERLINK(&quot;x&quot;)") == 6


def test_a_rows_link_keeps_the_lists_filters(records, superuser):
    donation = Donation.objects.get(donor_name=MARKUP)
    search = urlencode({"q": MARKUP})
    cl = change_list(admin.site._registry[Donation], superuser, f"?{search}")
    html = "".join(rows(portal_result_list(cl)))

    preserved = urlencode({"_changelist_filters": search})
    assert f'<a href="/admin/campaigns/donation/{donation.pk}/change/?{preserved}">' in html


def test_every_filters_choices_are_djangos(demo_and_records, superuser):
    djangos_template = Template(DJANGO_FILTER_TEMPLATE.read_text())
    ours_template = get_template("admin/filter.html")
    compared = escaped = 0
    lists = [
        (model_admin, query)
        for model, model_admin in admin.site._registry.items()
        for query in ["", "?o=1"]
    ]
    lists.append((admin.site._registry[Member], "?status__exact=active&listing_consent__exact=1"))
    for model_admin, query in lists:
        cl = change_list(model_admin, superuser, query)
        for spec in cl.filter_specs:
            context = {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
            assert ours_template.render(context) == djangos_template.render(Context(context)), (
                model_admin.model._meta.label,
                query,
                spec.title,
            )
            compared += len(context["choices"])
            escaped += ours_template.render(context).count("a&lt;b &amp; &quot;c&quot; &lt;img")
    assert compared > 100
    # The branch, the sector, the campaign and the call whose names are markup, as text.
    assert escaped >= 4


class EveryKindOfColumn(admin.ModelAdmin):
    """Columns of every kind Django's items_for_result tells apart, which no admin of ours has
    all of: a method's date, boolean and empty values, a model property, __str__, a callable, a
    chain of relations through a missing branch, a foreign key's column name, links on two."""

    list_display = [
        "__str__",
        "name",
        "joined_on",
        "added_on",
        "is_top",
        "no_value",
        "depth",
        "parent__parent",
        "parent_id",
        "kind",
        lambda branch: f"<{branch.name}>",
    ]
    list_display_links = ["name", "joined_on"]

    @admin.display(description="joined on")
    def joined_on(self, branch):
        return datetime.date(2020, 2, 7)

    @admin.display(description="added on")
    def added_on(self, branch):
        return datetime.datetime(2020, 2, 7, 12, 30, tzinfo=datetime.UTC)

    @admin.display(description="top", boolean=True)
    def is_top(self, branch):
        return branch.parent_id is None

    @admin.display(description="none", empty_value="<none>")
    def no_value(self, branch):
        return None


def test_every_kind_of_column_is_djangos(superuser):
    top = BranchFactory(name="<top>")
    BranchFactory(name="a<b", parent=BranchFactory(name="mid", parent=top))
    site = admin.AdminSite(name="admin")
    model_admin = EveryKindOfColumn(Branch, site)
    for query in ["", "?o=3", "?_popup=1&_to_field=id", "?_popup=1"]:
        cl = change_list(model_admin, superuser, query)
        if query == "?_popup=1":
            cl.to_field = "name"  # a popup choosing by another field than the id

        ours, django_s = portal_result_list(cl), result_list(cl)

        assert rows(ours) == rows(django_s), query
        assert len(rows(ours)) == 3


def test_the_portals_templates_render_the_change_lists(client, superuser, records):
    client.force_login(superuser)

    response = client.get("/admin/members/member/")

    ours = {
        str(Path(template.origin.name).relative_to(settings.BASE_DIR))
        for template in response.templates
        if template.origin.name.startswith(str(settings.BASE_DIR / "templates"))
    }
    assert {"templates/admin/change_list.html", "templates/admin/filter.html"} <= ours


def test_a_list_making_its_own_links_keeps_them(superuser):
    """A change list whose rows link elsewhere (``url_for_result``) keeps its links: the
    placeholder shortcut is only for Django's own links to ids put in them as they are."""
    BranchFactory(name="a<b")

    class OwnLinks(ChangeList):
        def url_for_result(self, result):
            return f"/elsewhere/{result.pk}/?x=<y>&z=1"

    class LinkingElsewhere(admin.ModelAdmin):
        def get_changelist(self, request, **kwargs):
            return OwnLinks

    cl = change_list(LinkingElsewhere(Branch, admin.AdminSite(name="admin")), superuser, "?o=1")

    ours = rows(portal_result_list(cl))
    assert ours == rows(result_list(cl))
    assert "/elsewhere/" in ours[0]
