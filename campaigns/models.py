"""Campaigns and what members give and do in them.

Rules live in the database wherever one row can check them (CheckConstraint, UniqueConstraint,
an ExclusionConstraint for overlapping assignments); rules that need another row (a record of the
wrong kind for its campaign, a date outside the campaign) live in ``clean()``, which the admin and
the imports run, and name the field.
"""

from decimal import Decimal
from functools import partial
from pathlib import Path

import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from campaigns import tallies
from members.models import Branch, Enterprise, Member
from members.text import pinyin_slug
from portal.constraints import FieldConstraintErrors
from portal.triggers import CAMPAIGNS, REGISTER, ROLL, public_data_triggers
from portal.uploads import IMAGE_TYPES

MONEY = {"max_digits": 12, "decimal_places": 2}
# A QR code to give by is a few dozen kilobytes; a photo of one, a few hundred.
TAKE_PART_IMAGE_MAX_MB = 2


# The campaign scope of the rows a statement wrote (portal/triggers.py).
CAMPAIGN_OF_ROWS = "SELECT 'campaign:' || written.campaign_id FROM {rows}"


# A new campaign's duties for its postings: general words, which staff change in the campaign's
# admin to suit the drive (the demo's volunteer campaign has its own, campaigns/demo.py).
DEFAULT_DUTY_WORDS = ["志愿服务", "物资分发", "宣传引导", "后勤保障"]
DUTY_WORD_LENGTH = 20


class CampaignKind(models.TextChoices):
    DONATION = "donation", _("donation drive")
    BLOOD = "blood", _("blood drive")
    VOLUNTEER = "volunteer", _("volunteer drive")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class CampaignQuerySet(models.QuerySet):
    def free_slug(self, title: str) -> str:
        """A slug for ``title`` in pinyin that no campaign of this queryset has: -2, -3… is
        added to one taken (the admin fills a blank slug with it; the browser's own filling
        drops Chinese characters, so that every "2021年…" became "2021")."""
        max_length = Campaign._meta.get_field("slug").max_length
        base = pinyin_slug(title, max_length - 4) or "campaign"  # room for "-999"
        taken = set(self.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def public(self):
        """Campaigns anyone may see: published and no longer a draft."""
        return self.filter(is_public=True).exclude(status=CampaignStatus.DRAFT)

    def for_list(self):
        """The public list's order and joins: open campaigns first, then the newest."""
        open_first = Case(When(status=CampaignStatus.OPEN, then=Value(0)), default=Value(1))
        return (
            self.select_related("organiser")
            .prefetch_related("goals")
            .order_by(open_first, "-starts_on", "title")
        )


class Campaign(FieldConstraintErrors, models.Model):
    constraint_fields = {
        "campaign_kind_valid": "kind",
        "campaign_status_valid": "status",
        "campaign_ends_after_start": "ends_on",
    }
    Kind = CampaignKind
    Status = CampaignStatus

    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    call_date = models.DateField(_("call date"), help_text=_("The day the appeal went out."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public pages when not a draft.")
    )
    shows_amounts = models.BooleanField(
        _("show amounts per donor"),
        default=False,
        help_text=_("Off: public pages name consenting donors but never say how much each gave."),
    )
    organiser = models.ForeignKey(
        Branch,
        verbose_name=_("organising branch"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    recipients = models.ManyToManyField(
        "Recipient",
        verbose_name=_("recipients collected for"),
        blank=True,
        related_name="campaigns",
        help_text=_(
            "The bodies this drive collects for. Members' gifts to other bodies are shown apart."
        ),
    )
    # The database's own default too: rows written by COPY or SQL (the benchmark's generator)
    # name only the columns they fill.
    take_part = models.TextField(
        _("how to take part"),
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Shown on the public page under “How to take part”, which a share can link to: for "
            "a donation drive the account and how to give, for a blood drive the stations, the "
            "days and what to bring, for postings what volunteers should know."
        ),
    )
    # Under MEDIA_ROOT; the URL leads to a view that shows it only with its published campaign
    # (campaigns.views.take_part_image). Checked by ``clean``.
    take_part_image = models.FileField(
        _("picture for taking part"),
        upload_to="campaigns/%Y/",
        storage=FileSystemStorage(base_url="/campaigns/pictures/"),
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Optional: a QR code to give by, or another picture (JPEG or PNG, up to 2 MB)."
        ),
    )
    # Words, not choices: each drive names its own duties. A partial of ``list`` so that every
    # campaign gets its own copy and the migration needs no code of ours.
    duty_words = ArrayField(
        models.CharField(max_length=DUTY_WORD_LENGTH),
        verbose_name=_("duties of its postings"),
        default=partial(list, DEFAULT_DUTY_WORDS),
        blank=True,
        help_text=_(
            "The duties a posting of this campaign may list, separated by 、; shown on the "
            "public page with each posting."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[recipients])

    objects = CampaignQuerySet.as_manager()

    class Meta:
        triggers = [
            *public_data_triggers(
                CAMPAIGNS, ROLL, scopes="SELECT 'campaign:' || written.id FROM {rows}"
            ),
            *tallies.campaign_triggers(),
        ]
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CampaignKind.values), name="campaign_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["is_public", "status"], name="campaign_public_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        """Whether anyone may see it (the condition of ``Campaign.objects.public()``)."""
        return self.is_public and self.status != CampaignStatus.DRAFT

    def covers(self, day) -> bool:
        return day >= self.starts_on and (self.ends_on is None or day <= self.ends_on)

    def clean(self):
        # A new picture only: one already stored was checked when it came.
        image = self.take_part_image
        if image and not image._committed:
            extension = Path(image.name).suffix.lower()
            head = image.read(8)
            image.seek(0)
            if extension not in IMAGE_TYPES or not head.startswith(IMAGE_TYPES[extension]):
                raise ValidationError(
                    {
                        "take_part_image": _("Upload a JPEG or PNG picture; %(name)s is not one.")
                        % {"name": image.name}
                    }
                )
            if image.size > TAKE_PART_IMAGE_MAX_MB * 1024 * 1024:
                raise ValidationError(
                    {
                        "take_part_image": _("%(name)s is larger than %(limit)d MB.")
                        % {"name": image.name, "limit": TAKE_PART_IMAGE_MAX_MB}
                    }
                )

    def check_record(self, record_kind: str, day, field: str = "date") -> None:
        """Raise, naming the field, if a record on ``day`` does not belong to this campaign."""
        errors = {}
        if self.kind != record_kind:
            errors["campaign"] = _("This campaign is a %(kind)s; it takes no such record.") % {
                "kind": self.get_kind_display()
            }
        if day and not self.covers(day):
            errors[field] = _("The date lies outside the campaign (%(start)s – %(end)s).") % {
                "start": self.starts_on,
                "end": self.ends_on or "…",
            }
        if errors:
            raise ValidationError(errors)


class GoalMetric(models.TextChoices):
    AMOUNT = "amount", _("amount in yuan")
    DONORS = "donors", _("number of donors")
    DONATIONS = "donations", _("number of donations")
    BLOOD_ML = "blood_ml", _("millilitres of blood")
    PEOPLE_POSTED = "people_posted", _("people to post")


# Which goals fit which kind of campaign.
GOALS_BY_KIND = {
    CampaignKind.DONATION: {GoalMetric.AMOUNT, GoalMetric.DONORS, GoalMetric.DONATIONS},
    CampaignKind.BLOOD: {GoalMetric.DONORS, GoalMetric.BLOOD_ML},
    CampaignKind.VOLUNTEER: {GoalMetric.PEOPLE_POSTED},
}

# A blood drive's donors are the members who gave blood (献血人数, see docs/glossary.md), not
# those who gave money (捐赠人数): the same metric reads by the campaign's kind.
GOAL_LABELS_BY_KIND = {
    (CampaignKind.BLOOD, GoalMetric.DONORS): _("number of blood donors"),
}


def goal_label(kind: str, metric: str):
    """The words of a goal of this metric in a campaign of this kind (lazy)."""
    return GOAL_LABELS_BY_KIND.get((kind, metric), GoalMetric(metric).label)


class Goal(FieldConstraintErrors, models.Model):
    constraint_fields = {
        "goal_metric_valid": "metric",
        "goal_target_positive": "target",
        "goal_unique_per_campaign": "metric",
    }
    Metric = GoalMetric

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="goals"
    )
    metric = models.CharField(_("goal"), max_length=20, choices=GoalMetric.choices)
    target = models.DecimalField(
        _("target"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(CAMPAIGNS, scopes=CAMPAIGN_OF_ROWS)
        ordering = ["campaign", "metric"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(metric__in=GoalMetric.values), name="goal_metric_valid"
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0),
                name="goal_target_positive",
                violation_error_message=_("A goal must be more than zero."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "metric"],
                name="goal_unique_per_campaign",
                violation_error_message=_("This campaign already has a goal of this kind."),
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()}: {self.target}"

    @property
    def counted(self) -> bool:
        """Whether the goal counts whole things (people, donations, millilitres), not money."""
        return self.metric != GoalMetric.AMOUNT

    def clean(self):
        if self.campaign_id and self.metric not in GOALS_BY_KIND[self.campaign.kind]:
            raise ValidationError(
                {
                    "metric": _("This goal does not fit a %(kind)s.")
                    % {"kind": self.campaign.get_kind_display()}
                }
            )
        if self.counted and self.target is not None and self.target != int(self.target):
            raise ValidationError({"target": _("This goal counts: give a whole number.")})


class RecipientKind(models.TextChoices):
    RED_CROSS = "red_cross", _("Red Cross")
    FUND = "fund", _("foundation fund")
    CHARITY = "charity", _("charity federation")
    COMMUNITY = "community", _("community")
    OTHER = "other", _("other body")


class Recipient(models.Model):
    """An outside body that receives donations (a Red Cross branch, a special fund, a community)."""

    Kind = RecipientKind

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RecipientKind.choices)
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(REGISTER)
        ordering = ["name"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecipientKind.values), name="recipient_kind_valid"
            )
        ]

    def __str__(self):
        return self.name


class DonationForm(models.TextChoices):
    MONEY = "money", _("money")
    GOODS = "goods", _("goods")


class Channel(models.TextChoices):
    DIRECT = "direct", _("given directly")
    FACILITATED = "facilitated", _("facilitated by a member")


class DonationState(models.TextChoices):
    PLEDGED = "pledged", _("pledged")
    RECEIVED = "received", _("received")


class Donation(FieldConstraintErrors, models.Model):
    """Money or goods given in a donation drive.

    Given directly, the donor is a member, a member enterprise or a named outsider. Facilitated,
    ``member`` is the member who brought it about and the donor an enterprise or an outsider:
    such gifts are always counted apart from members' own money. Only received gifts count.
    """

    constraint_fields = {
        "donation_form_valid": "form",
        "donation_channel_valid": "channel",
        "donation_state_valid": "state",
        "donation_money_has_positive_amount": "amount",
        # The donor fields are member, enterprise and outside donor; a clash nearly always
        # involves the enterprise.
        "donation_one_donor": "enterprise",
        "donation_unique_receipt": "receipt_no",
    }

    Form = DonationForm
    Channel = Channel
    State = DonationState

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="donations"
    )
    form = models.CharField(_("form"), max_length=10, choices=DonationForm.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.DIRECT
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        help_text=_("The member who gave, or who facilitated the gift."),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("donor enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    donor_name = models.CharField(_("outside donor"), max_length=150, blank=True)
    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="donations"
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Money only; goods are valued by their lines."),
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    receipt_no = models.CharField(_("receipt number"), max_length=50, blank=True)
    date = models.DateField(_("date"))
    state = models.CharField(
        _("state"), max_length=10, choices=DonationState.choices, default=DonationState.RECEIVED
    )
    history = HistoricalRecords()

    class Meta:
        triggers = [
            *public_data_triggers(CAMPAIGNS, ROLL, scopes=CAMPAIGN_OF_ROWS),
            *tallies.donation_triggers(),
        ]
        ordering = ["-date", "-pk"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=DonationForm.values), name="donation_form_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="donation_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DonationState.values), name="donation_state_valid"
            ),
            models.CheckConstraint(
                condition=(Q(form=DonationForm.MONEY, amount__isnull=False, amount__gt=0))
                | Q(form=DonationForm.GOODS, amount__isnull=True),
                name="donation_money_has_positive_amount",
                violation_error_message=_(
                    "A gift of money needs an amount above zero; a gift of goods has none."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(channel=Channel.DIRECT)
                    & (
                        Q(member__isnull=False, enterprise__isnull=True, donor_name="")
                        | Q(member__isnull=True, enterprise__isnull=False, donor_name="")
                        | (Q(member__isnull=True, enterprise__isnull=True) & ~Q(donor_name=""))
                    )
                )
                | (
                    Q(channel=Channel.FACILITATED, member__isnull=False)
                    & (
                        Q(enterprise__isnull=False, donor_name="")
                        | (Q(enterprise__isnull=True) & ~Q(donor_name=""))
                    )
                ),
                name="donation_one_donor",
                violation_error_message=_(
                    "Name exactly one donor: a member, an enterprise or an outside donor; a "
                    "facilitated gift also needs the member who facilitated it."
                ),
            ),
            models.UniqueConstraint(
                fields=["recipient", "receipt_no"],
                condition=~Q(receipt_no=""),
                name="donation_unique_receipt",
                violation_error_message=_("This recipient's receipt number is already recorded."),
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state", "date"], name="donation_progress_idx"),
            # The change list's order (newest first) without sorting the whole table.
            models.Index(fields=["-date", "-id"], name="donation_list_idx"),
            # Members' own gifts, for counting distinct member donors (campaigns.progress.Money):
            # read in order from these, not sorted from the whole table; per campaign, and in all.
            models.Index(
                fields=["campaign", "member"],
                condition=models.Q(state="received", channel="direct", member__isnull=False),
                name="donation_donor_campaign_idx",
            ),
            models.Index(
                fields=["member"],
                condition=models.Q(state="received", channel="direct", member__isnull=False),
                name="donation_donor_idx",
            ),
        ]

    def __str__(self):
        return f"{self.donor_display} → {self.recipient}"

    @property
    def donor_display(self) -> str:
        return str(self.enterprise or self.donor_name or self.member or "")

    def clean(self):
        if self.campaign_id:
            self.campaign.check_record(CampaignKind.DONATION, self.date)


class GoodsLine(FieldConstraintErrors, models.Model):
    constraint_fields = {
        "goods_quantity_positive": "quantity",
        "goods_unit_required": "unit",
        "goods_value_not_negative": "estimated_value",
    }
    donation = models.ForeignKey(
        Donation, verbose_name=_("donation"), on_delete=models.CASCADE, related_name="goods"
    )
    item = models.CharField(_("item"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=10, help_text=_("For example 只, 副, 箱, 套, 斤.")
    )
    estimated_value = models.DecimalField(_("estimated value (yuan)"), **MONEY, default=0)
    history = HistoricalRecords()

    class Meta:
        triggers = [
            *public_data_triggers(
                scopes="SELECT 'campaign:' || donation.campaign_id FROM {rows} "
                "JOIN campaigns_donation AS donation ON donation.id = written.donation_id"
            ),
            *tallies.goods_line_triggers(),
        ]
        ordering = ["donation", "pk"]
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="goods_quantity_positive",
                violation_error_message=_("The quantity must be above zero."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=""),
                name="goods_unit_required",
                violation_error_message=_("Give the unit (只, 副, 箱, 套, 斤…)."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0),
                name="goods_value_not_negative",
                violation_error_message=_("The estimated value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.item} {self.quantity.normalize():f}{self.unit}"


class Component(models.TextChoices):
    WHOLE_BLOOD = "whole_blood", _("whole blood")
    PLATELETS = "platelets", _("platelets")


# Volumes a blood station takes, by component (platelets: one or two therapeutic doses).
ALLOWED_ML = {Component.WHOLE_BLOOD: (200, 300, 400), Component.PLATELETS: (250, 500)}


class BloodState(models.TextChoices):
    PLEDGED = "pledged", _("pledged")
    DONATED = "donated", _("donated")


class BloodDonation(FieldConstraintErrors, models.Model):
    """Health data: never shown per person on a public page, only counted and totalled."""

    constraint_fields = {
        "blood_state_valid": "state",
        "blood_volume_allowed": "volume_ml",
        "blood_unique_per_day": "date",
    }

    Component = Component
    State = BloodState

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="blood_donations",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="blood_donations"
    )
    date = models.DateField(_("date"))
    station = models.CharField(_("blood station"), max_length=100)
    volume_ml = models.PositiveIntegerField(_("volume (ml)"))
    component = models.CharField(
        _("component"), max_length=20, choices=Component.choices, default=Component.WHOLE_BLOOD
    )
    state = models.CharField(
        _("state"), max_length=10, choices=BloodState.choices, default=BloodState.DONATED
    )
    # Its place among the donations of its campaign, given by the database as it becomes one
    # (campaigns/tallies.py): the public blood figures move by it.
    recorded = models.BigIntegerField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["recorded"])

    class Meta:
        triggers = [
            *public_data_triggers(CAMPAIGNS, ROLL, scopes=CAMPAIGN_OF_ROWS),
            *tallies.blood_donation_triggers(),
        ]
        ordering = ["-date", "-pk"]
        verbose_name = _("blood donation")
        verbose_name_plural = _("blood donations")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=BloodState.values), name="blood_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    component=Component.WHOLE_BLOOD, volume_ml__in=ALLOWED_ML[Component.WHOLE_BLOOD]
                )
                | Q(component=Component.PLATELETS, volume_ml__in=ALLOWED_ML[Component.PLATELETS]),
                name="blood_volume_allowed",
                violation_error_message=_(
                    "Whole blood is given as 200, 300 or 400 ml; platelets as 250 or 500 ml."
                ),
            ),
            models.UniqueConstraint(
                fields=["member", "date", "component"],
                name="blood_unique_per_day",
                violation_error_message=_(
                    "This member's donation on this day is already recorded."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="blood_progress_idx"),
            # What a drive's public step counts (campaigns/tallies.py BloodStep).
            models.Index(
                fields=["campaign", "recorded"],
                include=["volume_ml", "date"],
                condition=Q(state="donated"),
                name="blood_recorded_idx",
            ),
            models.Index(fields=["-date", "-id"], name="blood_list_idx"),
        ]

    def __str__(self):
        return f"{self.member} {self.date}"

    def clean(self):
        if self.campaign_id:
            self.campaign.check_record(CampaignKind.BLOOD, self.date)


class PlaceKind(models.TextChoices):
    COMMUNITY = "community", _("community")
    STREET = "street", _("street")
    TOWN = "town", _("town")


# The rule of ``Posting.clean`` for writes that skip it (SQL, a COPY, a script): a posting's
# duties are among its campaign's words. Changing the campaign's words later is not refused (a
# word may be retired); the postings keep the words they were given.
POSTING_DUTIES_AMONG_WORDS = pgtrigger.Trigger(
    name="posting_duties_among_words",
    level=pgtrigger.Row,
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("duties", "campaign_id"),
    func="""
    IF NOT NEW.duties <@ (SELECT duty_words FROM campaigns_campaign WHERE id = NEW.campaign_id)
    THEN
        RAISE EXCEPTION 'duties % are not among the words of campaign %',
            NEW.duties, NEW.campaign_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'posting_duties_among_words';
    END IF;
    RETURN NEW;
    """,
)


class Posting(FieldConstraintErrors, models.Model):
    """A place that asked for volunteers: a community, a street or a town."""

    constraint_fields = {
        "posting_ends_after_start": "ends_on",
        "posting_duties_valid": "duties",
        "posting_needs_people": "people_needed",
    }

    PlaceKind = PlaceKind

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="postings"
    )
    place = models.CharField(_("place"), max_length=150)
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    district = models.CharField(_("district"), max_length=50)
    # Among its campaign's ``duty_words``: checked by ``clean`` (the admin runs it; postings
    # have no import) and by the database (trigger ``posting_duties_among_words``).
    duties = ArrayField(
        models.CharField(max_length=DUTY_WORD_LENGTH),
        verbose_name=_("duties"),
        help_text=_("Several may apply."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    people_needed = models.PositiveIntegerField(_("people needed"))
    history = HistoricalRecords()

    class Meta:
        triggers = [
            *public_data_triggers(CAMPAIGNS, scopes=CAMPAIGN_OF_ROWS),
            *tallies.posting_triggers(),
            POSTING_DUTIES_AMONG_WORDS,
        ]
        ordering = ["campaign", "district", "place"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="posting_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(duties__len__gt=0),
                name="posting_duties_valid",
                violation_error_message=_("Choose at least one duty."),
            ),
            models.CheckConstraint(
                condition=Q(people_needed__gt=0),
                name="posting_needs_people",
                violation_error_message=_("A posting needs at least one person."),
            ),
        ]

    def __str__(self):
        return self.place

    def covers(self, day) -> bool:
        return day >= self.starts_on and (self.ends_on is None or day <= self.ends_on)

    def clean(self):
        if self.campaign_id:
            self.campaign.check_record(CampaignKind.VOLUNTEER, self.starts_on, "starts_on")
            unknown = [duty for duty in self.duties or [] if duty not in self.campaign.duty_words]
            if unknown:
                raise ValidationError(
                    {
                        "duties": _(
                            "%(duties)s is not among the duties of %(campaign)s: %(words)s."
                        )
                        % {
                            "duties": "、".join(unknown),
                            "campaign": self.campaign,
                            "words": "、".join(self.campaign.duty_words) or "—",
                        }
                    }
                )


class Assignment(FieldConstraintErrors, models.Model):
    """A member posted to a place. Hours are logged, then confirmed by staff."""

    constraint_fields = {
        "assignment_ends_after_start": "ends_on",
        "assignment_hours_not_negative": "hours_logged",
        "assignment_no_overlap": "starts_on",
    }

    posting = models.ForeignKey(
        Posting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="assignments"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="assignments"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days_served = models.PositiveIntegerField(_("days served"), default=0)
    hours_logged = models.DecimalField(_("hours logged"), max_digits=7, decimal_places=1, default=0)
    confirmed = models.BooleanField(_("confirmed by staff"), default=False)
    history = HistoricalRecords()

    class Meta:
        triggers = [
            *public_data_triggers(
                CAMPAIGNS,
                ROLL,
                scopes="SELECT 'campaign:' || posting.campaign_id FROM {rows} "
                "JOIN campaigns_posting AS posting ON posting.id = written.posting_id",
            ),
            *tallies.assignment_triggers(),
        ]
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="assignment_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(hours_logged__gte=0),
                name="assignment_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
            ExclusionConstraint(
                name="assignment_no_overlap",
                expressions=[
                    ("member", RangeOperators.EQUAL),
                    (
                        Func(
                            F("starts_on"),
                            F("ends_on"),
                            models.Value("[]"),
                            function="DATERANGE",
                            output_field=DateRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message=_(
                    "This member already holds an assignment in these dates."
                ),
            ),
        ]
        indexes = [models.Index(fields=["-starts_on", "-id"], name="assignment_list_idx")]

    def __str__(self):
        return f"{self.member} @ {self.posting}"

    def clean(self):
        if (
            self.days_served
            and self.starts_on
            and self.ends_on
            and self.days_served > (self.ends_on - self.starts_on).days + 1
        ):
            raise ValidationError(
                {"days_served": _("More days served than days between from and to.")}
            )


class SignupState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("sign-up", "pending")
    ACCEPTED = "accepted", pgettext_lazy("sign-up", "accepted")
    DECLINED = "declined", pgettext_lazy("sign-up", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("sign-up", "withdrawn")


# A member has at most one sign-up in these states per posting; declined or withdrawn ones
# leave the member free to sign up again.
SIGNUP_OPEN_STATES = [SignupState.PENDING, SignupState.ACCEPTED]


class PostingSignup(FieldConstraintErrors, models.Model):
    """A member offering to serve at a posting on some dates. Staff accept it, which records the
    assignment, or decline it; the member may withdraw it while it is pending. The state moves
    only through ``campaigns/services.py``."""

    constraint_fields = {
        "signup_state_valid": "state",
        "signup_ends_after_start": "ends_on",
        "signup_one_open_per_member": "posting",
    }

    State = SignupState

    posting = models.ForeignKey(
        Posting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="signups"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="posting_signups"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SignupState.choices, default=SignupState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signup",
        help_text=_("Recorded when the sign-up is accepted."),
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    history = HistoricalRecords()

    public_data = False  # a sign-up is shown to its member and to staff only

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("posting sign-up")
        verbose_name_plural = _("posting sign-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=SignupState.values), name="signup_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="signup_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["posting", "member"],
                condition=Q(state__in=SIGNUP_OPEN_STATES),
                name="signup_one_open_per_member",
                violation_error_message=_("This member has already signed up for this posting."),
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.posting}"

    def clean(self):
        if not self.posting_id:
            return
        errors = {}
        for field in ("starts_on", "ends_on"):
            day = getattr(self, field)
            if day and not self.posting.covers(day):
                errors[field] = _("The date lies outside the posting (%(start)s – %(end)s).") % {
                    "start": self.posting.starts_on,
                    "end": self.posting.ends_on or "…",
                }
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # No form edits the state (the services set it), yet the one-open-sign-up rule depends
        # on it: check it against the state the row has rather than skip it (an IntegrityError,
        # a 500, on saving). A state that failed its own validation stays excluded.
        exclude = set(exclude or ())
        if self.state in SignupState.values:
            exclude.discard("state")
        super().validate_constraints(exclude=exclude)


class CampaignRecipientLink(Campaign.recipients.through):
    """A campaign's links to the bodies it collects for, as a proxy only to carry the public data
    trigger (portal/triggers.py): they decide what a campaign page counts."""

    class Meta:
        proxy = True
        triggers = public_data_triggers(CAMPAIGNS, scopes=CAMPAIGN_OF_ROWS)


# Maintained figures (campaigns/tallies.py): what the public pages read instead of every gift.


class MoneyTally(models.Model):
    """Money and gifts of a campaign per body, state, form, channel, giver and day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10)
    form = models.CharField(max_length=10)
    channel = models.CharField(max_length=20)
    from_member = models.BooleanField()
    day = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    gifts = models.IntegerField()

    public_data = False  # kept from the gifts, whose own triggers move the versions

    class Meta:
        verbose_name = _("money tally")
        verbose_name_plural = _("money tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "recipient", "state", "form", "channel", "from_member", "day"],
                name="moneytally_key",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.amount}"


class DonorTally(models.Model):
    """A member's gifts to a campaign: received (direct ones apart), not anonymous, and the
    money of those."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    direct_received = models.IntegerField()
    received = models.IntegerField()
    named = models.IntegerField()
    named_money = models.DecimalField(max_digits=14, decimal_places=2)
    listable = models.BooleanField()
    name_pinyin = models.CharField(max_length=200)

    public_data = False  # kept from the gifts, whose own triggers move the versions

    class Meta:
        triggers = tallies.donor_tally_triggers()
        verbose_name = _("donor tally")
        verbose_name_plural = _("donor tallies")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="donortally_key")
        ]
        indexes = [
            # The counts of a campaign page: member donors, participants, names shown.
            models.Index(
                fields=["campaign", "member"],
                condition=Q(direct_received__gt=0),
                name="donortally_direct_idx",
            ),
            models.Index(
                fields=["campaign", "member"],
                condition=Q(received__gt=0),
                name="donortally_any_idx",
            ),
            # The names a campaign page shows, in their order.
            models.Index(
                fields=["campaign", "name_pinyin", "member"],
                condition=Q(named__gt=0, listable=True),
                name="donortally_named_idx",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.member_id}"


class GoodsTally(models.Model):
    """Received goods of a campaign per item, unit and channel."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=100)
    unit = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    value = models.DecimalField(max_digits=14, decimal_places=2)

    public_data = False  # kept from the gifts, whose own triggers move the versions

    class Meta:
        verbose_name = _("goods tally")
        verbose_name_plural = _("goods tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "item", "unit", "channel"], name="goodstally_key"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.item}"


class TallyCommit(models.Model):
    """A writing transaction's note that its tally deltas apply when it commits (unlogged; at
    most one row per open transaction, deleted as it commits)."""

    public_data = False  # the note itself

    class Meta:
        verbose_name = _("pending tally")
        verbose_name_plural = _("pending tallies")
        triggers = [tallies.APPLY_AT_COMMIT]

    def __str__(self):
        return str(self.pk)


class BloodDonorTally(models.Model):
    """A member's donated blood in a campaign, and the place of their first donation."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    donations = models.IntegerField()
    ml = models.IntegerField()
    first_recorded = models.BigIntegerField(null=True)
    listable = models.BooleanField()
    name_pinyin = models.CharField(max_length=200)

    public_data = False  # kept from the donations, whose own triggers move the versions

    class Meta:
        verbose_name = _("blood donor tally")
        verbose_name_plural = _("blood donor tallies")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="blooddonortally_key")
        ]
        indexes = [
            models.Index(
                fields=["campaign", "first_recorded"],
                condition=Q(donations__gt=0),
                name="blooddonortally_order_idx",
            ),
            models.Index(
                fields=["campaign", "name_pinyin", "member"],
                condition=Q(donations__gt=0, listable=True),
                name="blooddonortally_named_idx",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.member_id}"


class BloodStep(models.Model):
    """A blood drive's public step (campaigns/progress.py): its donors and donations, and how
    many of them the public figures count, up to which ``BloodDonation.recorded``."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    donors = models.IntegerField()
    donations = models.IntegerField()
    pledged = models.IntegerField()
    counted_donors = models.IntegerField()
    cutoff = models.BigIntegerField()
    counted_donations = models.IntegerField()
    counted_ml = models.IntegerField()

    public_data = False  # kept from the donations, whose own triggers move the versions

    class Meta:
        verbose_name = _("blood step")
        verbose_name_plural = _("blood steps")

    def __str__(self):
        return f"{self.campaign_id} {self.counted_donors}/{self.donors}"


class VolunteerTally(models.Model):
    """A member's assignments in a campaign: how many, days, hours (confirmed apart), places."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    assignments = models.IntegerField()
    days = models.IntegerField()
    hours = models.DecimalField(max_digits=12, decimal_places=1)
    confirmed_hours = models.DecimalField(max_digits=12, decimal_places=1)
    places = models.TextField()
    listable = models.BooleanField()
    name_pinyin = models.CharField(max_length=200)

    public_data = False  # kept from the assignments, whose own triggers move the versions

    class Meta:
        triggers = tallies.volunteer_tally_triggers()
        verbose_name = _("volunteer tally")
        verbose_name_plural = _("volunteer tallies")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="volunteertally_key")
        ]
        indexes = [
            models.Index(
                fields=["campaign", "name_pinyin", "member"],
                condition=Q(assignments__gt=0, listable=True),
                name="volunteertally_named_idx",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.member_id}"


class PostingTally(models.Model):
    """How many members are posted to a posting."""

    posting = models.OneToOneField(
        Posting, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    posted = models.IntegerField()

    public_data = False  # kept from the assignments, whose own triggers move the versions

    class Meta:
        verbose_name = _("posting tally")
        verbose_name_plural = _("posting tallies")

    def __str__(self):
        return f"{self.posting_id} {self.posted}"


class CampaignTally(models.Model):
    """How many members took part in a campaign, and its volunteers' work, kept from its donor
    and volunteer tallies as they move (campaigns/tallies.py): a campaign page and the list read
    this one row instead of counting a tally row per member (180,000 in a national drive)."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    member_donors = models.IntegerField(default=0)  # with a received direct gift
    donors = models.IntegerField(default=0)  # with a received gift, anonymous or not
    named_donors = models.IntegerField(default=0)  # with one not anonymous, and listable
    volunteers = models.IntegerField(default=0)
    assignments = models.IntegerField(default=0)
    days = models.IntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    confirmed_hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    named_volunteers = models.IntegerField(default=0)  # listable

    public_data = False  # kept from the records, whose own triggers move the versions

    class Meta:
        verbose_name = _("campaign tally")
        verbose_name_plural = _("campaign tallies")

    def __str__(self):
        return f"{self.campaign_id} {self.donors} {self.volunteers}"


class RollTally(models.Model):
    """How many listable members the whole honour roll counts for a kind (a ``MemberRoll``
    flag), kept as the roll moves: one row per kind, read instead of counting every member."""

    kind = models.CharField(max_length=20, primary_key=True)  # donor, blood_donor, volunteer
    listed = models.IntegerField(default=0)

    public_data = False  # kept from the records, whose own triggers move the versions

    class Meta:
        verbose_name = _("roll tally")
        verbose_name_plural = _("roll tallies")

    def __str__(self):
        return f"{self.kind} {self.listed}"


class MemberRoll(models.Model):
    """Whether the honour roll counts a member among the donors, blood donors and volunteers of
    the public campaigns (campaigns/tallies.py), with their name key and listing."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    donor = models.BooleanField()
    blood_donor = models.BooleanField()
    volunteer = models.BooleanField()
    listable = models.BooleanField()
    name_pinyin = models.CharField(max_length=200)

    public_data = False  # kept from the records, whose own triggers move the versions

    class Meta:
        triggers = tallies.member_roll_triggers()
        verbose_name = _("member on the roll")
        verbose_name_plural = _("members on the roll")
        indexes = [
            models.Index(
                fields=["name_pinyin", "member"],
                condition=Q(donor=True, listable=True),
                name="memberroll_donor_idx",
            ),
            models.Index(
                fields=["name_pinyin", "member"],
                condition=Q(blood_donor=True, listable=True),
                name="memberroll_blood_idx",
            ),
            models.Index(
                fields=["name_pinyin", "member"],
                condition=Q(volunteer=True, listable=True),
                name="memberroll_volunteer_idx",
            ),
        ]

    def __str__(self):
        return str(self.member_id)


class TalliedMember(Member):
    """The members, as a proxy only to carry the triggers that keep their name key and whether
    they may be listed in the campaigns' tallies (campaigns/tallies.py)."""

    class Meta:
        proxy = True
        triggers = tallies.member_triggers()
