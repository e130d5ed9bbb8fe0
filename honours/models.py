"""What staff write about members: citations (the front line, artworks, an enterprise's work)
and care visits. They sit above members and campaigns: a citation may name the campaign it
belongs to, and the honour roll (honours/honour_roll.py) reads every app's contributions."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign
from members.models import Enterprise, Member
from portal.constraints import FieldConstraintErrors
from portal.triggers import ROLL, public_data_triggers
from portal.uploads import IMAGE_TYPES


class CitationKind(models.TextChoices):
    FRONT_LINE = "front_line", _("front-line service")
    ARTWORK = "artwork", _("artwork")
    ENTERPRISE = "enterprise", _("enterprise contribution")
    OTHER = "other", _("other")


def validate_image(upload):
    """A JPEG or PNG (by name and by its first bytes), within the size limit."""
    extension = Path(upload.name).suffix.lower()
    head = upload.read(8)
    upload.seek(0)
    if extension not in IMAGE_TYPES or not head.startswith(IMAGE_TYPES[extension]):
        raise ValidationError(
            _("Upload a JPEG or PNG picture; %(name)s is not one.") % {"name": upload.name}
        )
    if upload.size > settings.CITATION_IMAGE_MAX_MB * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": upload.name, "limit": settings.CITATION_IMAGE_MAX_MB}
        )


class Citation(FieldConstraintErrors, models.Model):
    """What a member (or a member enterprise) did, written by staff in a few words: service on
    the front line, an artwork made for the campaign, an enterprise's work, or another deed."""

    Kind = CitationKind

    kind = models.CharField(_("kind"), max_length=20, choices=CitationKind.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citations",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("member enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citations",
        help_text=_("For an enterprise contribution; its contact members are honoured."),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The artwork's title, or a short heading.")
    )
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    text = models.TextField(
        _("citation"),
        max_length=500,
        blank=True,
        help_text=_("A few words, shown on the honour roll. Your own words, not an article's."),
    )
    medium = models.CharField(_("medium"), max_length=50, blank=True)
    # Under MEDIA_ROOT; the URL leads to a view that shows a picture only while its member may
    # be listed (honours.views.artwork_image). Checked by ``clean``.
    image = models.FileField(
        _("picture"),
        upload_to="artworks/%Y/",
        storage=FileSystemStorage(base_url="/honour-roll/artworks/"),
        blank=True,
    )
    date = models.DateField(_("date"), null=True, blank=True)
    # The link only lets the roll be filtered by campaign.
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citations",
    )
    history = HistoricalRecords()

    constraint_fields = {
        "citation_kind_valid": "kind",
        "citation_names_who": "member",
    }

    class Meta:
        triggers = public_data_triggers(ROLL)
        ordering = ["kind", "-date", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CitationKind.values), name="citation_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=CitationKind.ENTERPRISE) & Q(enterprise__isnull=False))
                | (~Q(kind=CitationKind.ENTERPRISE) & Q(member__isnull=False)),
                name="citation_names_who",
                violation_error_message=_(
                    "An enterprise contribution names the enterprise; every other citation names "
                    "the member."
                ),
            ),
        ]
        indexes = [models.Index(fields=["kind", "member"], name="citation_kind_member_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.member or self.enterprise} · {self.title}"

    def clean(self):
        # A new picture only: one already stored was checked when it came.
        if self.image and not self.image._committed:
            try:
                validate_image(self.image)
            except ValidationError as error:
                raise ValidationError({"image": error.messages}) from None


class CareVisit(models.Model):
    """Leaders visiting members at work (and the letters of sympathy sent)."""

    date = models.DateField(_("date"))
    leaders = models.ManyToManyField(
        Member, verbose_name=_("leaders"), related_name="care_visits_made"
    )
    visited = models.ManyToManyField(
        Member, verbose_name=_("members visited"), related_name="care_visits_received"
    )
    sites = models.CharField(_("sites"), max_length=300)
    letters_sent = models.PositiveIntegerField(
        _("letters of sympathy sent"), default=0, help_text=_("Sent with or after the visit.")
    )
    note = models.TextField(_("note"), blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_visits",
    )
    history = HistoricalRecords(m2m_fields=[leaders, visited])

    public_data = False  # care visits are in the committee's reports only

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")

    def __str__(self):
        return f"{self.date} {self.sites}"


class RollCategoryWording(models.Model):
    """What the honour roll calls one of its categories (a kind of contribution,
    members/contributions.py) and the line said under its heading. Without a row the roll says
    the general words in code (``honours.honour_roll.wording``)."""

    kind = models.CharField(
        _("category"),
        max_length=30,
        unique=True,
        help_text=_("The kind of contribution these words name on the honour roll."),
    )
    title = models.CharField(_("title"), max_length=50)
    intro = models.CharField(
        _("introduction"),
        max_length=200,
        blank=True,
        help_text=_("One line under the category's heading on the public honour roll."),
    )
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(ROLL)
        ordering = ["kind"]
        verbose_name = _("honour roll category wording")
        verbose_name_plural = _("honour roll category wordings")

    def __str__(self):
        return self.title
