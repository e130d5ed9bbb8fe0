"""A branch's subtree, written one way (members.models ``subtree``) wherever records are picked
by it: the honour roll's branch filter, a suggestion's authors in the admin and in an import,
the clerk's scope."""

import pytest

from campaigns.models import Donation
from honours import honour_roll
from members import contributions
from members.models import Branch, Member, subtree
from suggestions.admin import SuggestionForm
from tests.factories import DonationFactory

pytestmark = pytest.mark.django_db


def test_subtree_of_a_branch_holds_it_and_the_branches_below(hospital, hospital_group, haizhou):
    assert list(Branch.objects.filter(subtree(hospital.path))) == [hospital, hospital_group]


def test_subtree_through_a_lookup_filters_and_excludes(zhao_li, group_member, outsider, hospital):
    inside = DonationFactory(member=zhao_li)
    below = DonationFactory(member=group_member)
    outside = DonationFactory(member=outsider)
    donations = Donation.objects.order_by("pk")

    picked = list(donations.filter(subtree(hospital.path, "member__branch")))
    left = list(donations.exclude(subtree(hospital.path, "member__branch")))

    assert (picked, left) == ([inside, below], [outside])


def test_member_in_subtree_holds_the_members_of_the_branches_below(
    zhao_li, group_member, outsider, hospital
):
    members = Member.objects.in_subtree(hospital).order_by("pk")

    assert list(members) == [zhao_li, group_member]


def test_honour_roll_branch_filter_lists_the_members_below(
    zhao_li, group_member, outsider, hospital
):
    for member in (zhao_li, group_member, outsider):
        DonationFactory(member=member)
    donors = contributions.kind("donors")

    listed = honour_roll.roll(donors, branch=hospital)

    assert [member.name for member in listed] == ["陈丹", "赵丽"]


def test_suggestion_form_author_of_another_branch_is_refused(
    hospital, zhao_li, group_member, outsider
):
    form = SuggestionForm(
        data={
            "title": "关于防护物资的建议",
            "topic": "社会民生",
            "text": "建议正文。",
            "branch": hospital.pk,
            "authors": [zhao_li.pk, group_member.pk, outsider.pk],
            "received_on": "2020-02-01",
            "source": "staff",
        }
    )

    assert form.is_valid() is False
    assert form.errors["authors"] == ["以下作者不属于医院支社及其下级组织：寇晶磊。"]
