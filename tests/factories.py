import datetime
import decimal

import factory

from members.models import Branch, Member, Sector, User


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"第{n}支社")
    kind = Branch.Kind.BRANCH


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["name"]

    name = "医药卫生界"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"会员{n}")
    gender = Member.Gender.FEMALE
    branch = factory.SubFactory(BranchFactory)
    sector = factory.SubFactory(SectorFactory)
    workplace = "连云港市第一人民医院"
    position = "医师"
    phone = factory.Sequence(lambda n: f"1390000{n:04d}")
    email = factory.Sequence(lambda n: f"m{n}@example.org")
    listing_consent = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")
    is_staff = True


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Campaign"

    kind = "donation"
    title = factory.Sequence(lambda n: f"募捐活动{n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    call_date = datetime.date(2020, 1, 28)
    starts_on = datetime.date(2020, 1, 28)
    ends_on = datetime.date(2020, 3, 31)
    status = "open"
    is_public = True
    organiser = factory.SubFactory(BranchFactory)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Recipient"
        django_get_or_create = ["name"]

    name = "连云港市红十字会"
    kind = "red_cross"


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Donation"

    campaign = factory.SubFactory(CampaignFactory)
    form = "money"
    member = factory.SubFactory(MemberFactory)
    recipient = factory.SubFactory(RecipientFactory)
    amount = decimal.Decimal("100.00")
    date = datetime.date(2020, 2, 1)
    state = "received"


class BloodDonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.BloodDonation"

    campaign = factory.SubFactory(CampaignFactory, kind="blood")
    member = factory.SubFactory(MemberFactory)
    date = datetime.date(2020, 2, 5)
    station = "市中心血站"
    volume_ml = 400
    component = "whole_blood"
    state = "donated"


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Posting"

    campaign = factory.SubFactory(CampaignFactory, kind="volunteer")
    place = factory.Sequence(lambda n: f"第{n}社区")
    place_kind = "community"
    district = "海州区"
    duties = factory.LazyFunction(lambda: ["志愿服务"])
    starts_on = datetime.date(2020, 2, 1)
    people_needed = 3


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Assignment"

    posting = factory.SubFactory(PostingFactory)
    member = factory.SubFactory(MemberFactory)
    starts_on = datetime.date(2020, 2, 1)
    ends_on = datetime.date(2020, 2, 10)
    days_served = 10
    hours_logged = decimal.Decimal("40.0")


class HigherBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "suggestions.HigherBody"
        django_get_or_create = ["name"]

    name = "九三学社江苏省委"


class SuggestionCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "suggestions.SuggestionCall"

    title = "我为抗疫献一策"
    organiser = "九三学社江苏省委"
    opens_on = datetime.date(2020, 1, 28)


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A suggestion received from a branch; pass ``authors=[...]`` to name member authors."""

    class Meta:
        model = "suggestions.Suggestion"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"关于第{n}项工作的建议")
    text = "建议正文。"
    topic = "社会民生"
    branch = factory.SubFactory(BranchFactory)
    received_on = datetime.date(2020, 2, 1)
    is_public = True

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)


class PostingSignupFactory(factory.django.DjangoModelFactory):
    """A pending sign-up; the dates lie inside PostingFactory's posting (from 1 February 2020)."""

    class Meta:
        model = "campaigns.PostingSignup"

    posting = factory.SubFactory(PostingFactory)
    member = factory.SubFactory(MemberFactory)
    starts_on = datetime.date(2020, 2, 1)
    ends_on = datetime.date(2020, 2, 10)
    state = "pending"
