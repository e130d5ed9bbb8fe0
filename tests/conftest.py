"""The fixed cast for permission tests.

The tree: 市委 (committee) ─┬─ 医院支社 (hospital) ── 医院小组 (hospital group)
                            └─ 海州支社 (haizhou)
- alice: committee staff (every branch, every change)
- bob:   branch clerk of 医院支社 (that branch and its group only)
- carol: leadership (every branch, read only)
- dave:  branch clerk of 海州支社
Members: zhao_li in 医院支社, group_member in 医院小组, outsider in 海州支社 (the one that must
never leak to bob).
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from members import roles
from members.models import Branch
from portal import public_cache
from tests.factories import BranchFactory, MemberFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the public-data version a cached page is keyed by
    can repeat between tests that write nothing, each rolled back to the same state."""
    cache.clear()
    public_cache.forget_local()


def commit_time_triggers() -> list[str]:
    """The deferred triggers of every model: they act as a transaction commits."""
    return sorted(
        trigger.get_pgid(model)
        for model in apps.get_models()
        for trigger in getattr(model._meta, "triggers", [])
        if trigger.timing is not None
    )


@pytest.fixture(autouse=True)
def commit_time_triggers_fire_per_statement(request):
    """A test runs inside a transaction that is rolled back, never committed, and what triggers
    do as a transaction commits (move the public data versions, portal/triggers.py; apply the
    tallies, campaigns/tallies.py) would never happen inside a test: a cached page would hide
    every change the test makes. Here those triggers fire at the end of each statement instead.
    The timing at commit itself is tested with real transactions
    (tests/test_write_independence.py)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "db" not in names and marker is None:
        return
    if {"transactional_db", "live_server"} & set(names) or (
        marker and marker.kwargs.get("transaction")
    ):
        return
    request.getfixturevalue("db")
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {', '.join(commit_time_triggers())} IMMEDIATE")


@pytest.fixture
def committee(db):
    return BranchFactory(name="市委", kind=Branch.Kind.COMMITTEE)


@pytest.fixture
def hospital(committee):
    return BranchFactory(name="医院支社", parent=committee)


@pytest.fixture
def hospital_group(hospital):
    return BranchFactory(name="医院小组", kind=Branch.Kind.GROUP, parent=hospital)


@pytest.fixture
def haizhou(committee):
    return BranchFactory(name="海州支社", parent=committee)


def _staff(username, role, branch):
    user = UserFactory(username=username, branch=branch)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def alice(committee):
    return _staff("alice", roles.COMMITTEE_STAFF, committee)


@pytest.fixture
def bob(hospital, hospital_group):
    return _staff("bob", roles.BRANCH_CLERK, hospital)


@pytest.fixture
def carol(committee):
    return _staff("carol", roles.LEADERSHIP, committee)


@pytest.fixture
def dave(haizhou):
    return _staff("dave", roles.BRANCH_CLERK, haizhou)


@pytest.fixture
def zhao_li(hospital):
    return MemberFactory(
        name="赵丽", branch=hospital, phone="13900001111", workplace="连云港市第四人民医院"
    )


@pytest.fixture
def group_member(hospital_group):
    return MemberFactory(name="陈丹", branch=hospital_group, phone="13900002222")


@pytest.fixture
def outsider(haizhou):
    return MemberFactory(
        name="寇晶磊",
        branch=haizhou,
        phone="13900003333",
        workplace="海州区委政法委",
        email="kou@example.org",
    )
