import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Branch, Member
from tests.factories import BranchFactory, MemberFactory


def test_branch_path_follows_the_tree(committee, hospital, hospital_group):
    assert committee.path == f"/{committee.pk:07d}/"
    assert hospital_group.path == f"/{committee.pk:07d}/{hospital.pk:07d}/{hospital_group.pk:07d}/"
    assert list(Branch.objects.subtree_of(hospital)) == [hospital, hospital_group]


def test_branch_move_moves_its_whole_subtree(committee, hospital, hospital_group, haizhou):
    hospital.parent = haizhou
    hospital.save()

    hospital_group.refresh_from_db()
    assert hospital_group.path == f"{haizhou.path}{hospital.pk:07d}/{hospital_group.pk:07d}/"
    assert list(Branch.objects.subtree_of(haizhou)) == [haizhou, hospital, hospital_group]


def test_branch_cannot_be_placed_under_its_own_subtree(hospital, hospital_group):
    hospital.parent = hospital_group

    with pytest.raises(ValidationError) as error:
        hospital.full_clean()

    assert list(error.value.message_dict) == ["parent"]


def test_member_pinyin_key_follows_a_rename(hospital):
    member = MemberFactory(name="赵丽", branch=hospital)
    assert (member.name_pinyin, member.search_key) == ("zhao li", "赵丽 zhaoli zl")

    member.name = "趙麗華"
    member.save()

    member.refresh_from_db()
    assert (member.name_pinyin, member.search_key) == ("zhao li hua", "赵丽华 zhaolihua zlh")


def test_member_same_name_and_phone_is_refused_by_the_database(hospital):
    MemberFactory(name="赵丽", phone="13900001111", branch=hospital)

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(name="赵丽", phone="13900001111", branch=hospital)


def test_member_same_name_and_phone_is_a_clear_validation_error(hospital):
    MemberFactory(name="赵丽", phone="13900001111", branch=hospital)
    twin = Member(name="赵丽", phone="13900001111", branch=hospital, gender="female")

    with pytest.raises(ValidationError) as error:
        twin.full_clean()

    assert error.value.messages == ["已有同名且手机号相同的社员。"]


def test_members_without_phone_may_share_a_name(hospital):
    MemberFactory(name="王伟", phone="", branch=hospital)
    MemberFactory(name="王伟", phone="", branch=hospital)

    assert Member.objects.filter(name="王伟").count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "call me"), ("gender", "other"), ("status", "asleep")],
)
def test_member_invalid_values_are_refused_by_the_database(hospital, field, value):
    member = MemberFactory(branch=hospital)

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(**{field: value})


def test_member_consent_records_when_it_was_given_and_withdrawn(hospital):
    member = MemberFactory(branch=hospital, listing_consent=False)
    assert member.consent_changed_at is None

    member.listing_consent = True
    member.save()
    given_at = member.consent_changed_at
    member = Member.objects.get(pk=member.pk)
    member.listing_consent = False
    member.save()

    assert given_at is not None
    assert member.consent_changed_at > given_at


def test_member_consent_time_is_kept_when_consent_does_not_change(hospital):
    member = MemberFactory(branch=hospital, listing_consent=True)
    given_at = member.consent_changed_at

    member = Member.objects.get(pk=member.pk)
    member.position = "主任"
    member.save()

    assert member.consent_changed_at == given_at


@pytest.mark.parametrize(
    ("status", "consent", "listed"),
    [
        ("active", True, True),
        ("active", False, False),
        ("transferred", True, False),
        ("left", True, False),
        ("deceased", True, False),
        ("deceased", False, False),
    ],
)
def test_member_listable_needs_active_and_consent(hospital, status, consent, listed):
    member = MemberFactory(branch=hospital, status=status, listing_consent=consent)

    assert list(Member.objects.listable()) == ([member] if listed else [])


@pytest.mark.parametrize(
    "query", ["赵丽", "趙麗", "zhaoli", "ZhaoLi", "zhao li", "zl", "13900001111", "第四人民"]
)
def test_member_search_finds_by_characters_pinyin_phone_and_workplace(zhao_li, outsider, query):
    assert list(Member.objects.search(query)) == [zhao_li]


@pytest.mark.parametrize("query", ["罗丽", "羅麗", "luoli", "ll"])
def test_member_search_finds_name_written_with_a_compatibility_ideograph(hospital, query):
    # U+F90F looks like 羅: text converted from older encodings (Big5 variants, KS X 1001)
    # carries such look-alikes, and a clerk cannot see the difference.
    member = MemberFactory(name="\uf90f麗", branch=hospital)

    assert list(Member.objects.search(query)) == [member]


def test_member_ordering_is_by_pinyin(hospital):
    names = ["张明燕", "安娜", "赵丽", "陈丹"]
    for name in names:
        MemberFactory(name=name, branch=hospital)

    assert [m.name for m in Member.objects.all()] == ["安娜", "陈丹", "张明燕", "赵丽"]


def test_branch_names_are_unique(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Branch.objects.create(name="市委", kind=Branch.Kind.BRANCH)


def test_branch_factory_reuses_names(committee):
    assert BranchFactory(name="市委") == committee
