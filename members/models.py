import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members import text
from portal.constraints import FieldConstraintErrors
from portal.triggers import REGISTER, public_data_triggers


class User(AbstractUser):
    """A login. Staff belong to one branch, which scopes what a branch clerk sees in the admin."""

    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_users",
        help_text=_("A branch clerk sees and changes only this branch and the branches under it."),
    )
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    public_data = False  # a login is no public record; a member's name is on Member

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("view_all_branches", _("Can see the records of every branch"))]


def subtree(path: str, lookup: str = "") -> Q:
    """The rows whose branch, reached through ``lookup`` ("branch", "member__branch"; none for a
    Branch itself), is the branch at ``path`` or one below it. Every query of a subtree says it
    here: a prefix of the zero-padded path (see Branch), which its index serves."""
    return Q(**{f"{lookup}__path__startswith" if lookup else "path__startswith": path})


class BranchQuerySet(models.QuerySet):
    def subtree_of(self, branch):
        return self.filter(subtree(branch.path))


class BranchKind(models.TextChoices):
    COMMITTEE = "committee", _("committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("grassroots committee")
    BRANCH = "branch", _("branch")
    GROUP = "group", _("group")


class Branch(models.Model):
    """The committee and its grassroots organisations, as a tree.

    ``path`` ("/1/4/9/") is the chain of ids from the root, kept by ``save`` so that a whole
    subtree is one indexed prefix query; it is derived, so history leaves it out.
    """

    Kind = BranchKind

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["path"])

    objects = BranchQuerySet.as_manager()

    class Meta:
        triggers = public_data_triggers(REGISTER)
        ordering = ["path"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BranchKind.values), name="branch_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="branch_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["path"], name="branch_path_idx", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        # Zero-padded so that ordering by path lists each parent before its children, in order.
        new_path = f"{parent_path}{self.pk:07d}/"
        if new_path != old_path:
            # Move the whole subtree in one UPDATE (derived column: no history needed).
            if old_path:
                Branch.objects.filter(subtree(old_path)).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                )
            else:
                Branch.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path

    @property
    def depth(self) -> int:
        return self.depth_of(self.path)

    @staticmethod
    def depth_of(path: str) -> int:
        """How far below the top a branch with this ``path`` is: 0 for the top ("/1/")."""
        return max(path.count("/") - 2, 0)

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError(
                {"parent": _("A branch cannot be placed under itself or one of its own branches.")}
            )


class Sector(models.Model):
    """界别: the field a member works in (medicine and health, education, culture and art…)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(REGISTER)
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


def listable(via: str = "") -> Q:
    """Members who may appear on any public page: active and consenting. ``via``: the lookup
    from another model to its member ("member__")."""
    return Q(**{f"{via}status": MemberStatus.ACTIVE, f"{via}listing_consent": True})


class MemberQuerySet(models.QuerySet):
    def listable(self):
        """Members who may appear on any public page: active and consenting."""
        return self.filter(listable())

    def in_subtree(self, branch):
        return self.filter(subtree(branch.path, "branch"))

    def search_names(self, query: str):
        """Name only, in simplified or traditional characters or pinyin: the public search
        (a phone typed into it must never tell whose it is)."""
        key = text.normalise_query(query)
        return self.filter(search_key__contains=key) if key else self

    def search(self, query: str):
        """Name in simplified or traditional characters or pinyin, phone, or workplace."""
        key = text.normalise_query(query)
        if not key:
            return self
        return self.filter(
            Q(search_key__contains=key)
            | Q(phone__contains=query.strip())
            | Q(workplace__icontains=query.strip())
        )


class Gender(models.TextChoices):
    # Many registers never recorded it: a member is entered and imported without one, and shown
    # as "not given" (未填) wherever the gender is shown.
    NOT_GIVEN = "", _("not given")
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    TRANSFERRED = "transferred", _("transferred")
    LEFT = "left", _("left")
    DECEASED = "deceased", _("deceased")


class Member(models.Model):
    Gender = Gender
    Status = MemberStatus

    name = models.CharField(_("name"), max_length=50)
    number = models.CharField(
        _("member number"), max_length=20, blank=True, help_text=_("Unique when given.")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="members"
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        help_text=_("Private: never shown on a public page or in a public export."),
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Private: never shown on a public page.")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    listing_consent = models.BooleanField(
        _("consents to public listing"),
        default=False,
        help_text=_("Only members who consent are shown on the public honour roll and pages."),
    )
    consent_changed_at = models.DateTimeField(
        _("consent given or withdrawn at"), null=True, blank=True, editable=False
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        # The member's own login: a password set through an invitation link must never open the
        # admin, so no staff or superuser account is offered, or accepted (a forged POST).
        limit_choices_to={"is_staff": False, "is_superuser": False},
        help_text=_("The member's own login, never a staff account."),
    )
    # Derived from the name on every save (see members/text.py); never edited by hand.
    name_pinyin = models.CharField(_("pinyin"), max_length=200, editable=False, default="")
    search_key = models.CharField(max_length=300, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["name_pinyin", "search_key"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        triggers = public_data_triggers(REGISTER)
        ordering = ["name_pinyin", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            ("anonymise_member", _("Can anonymise a member everywhere (cannot be undone)"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="member_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="member_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(phone__regex=r"^[0-9+() -]*$"), name="member_phone_digits"
            ),
            models.CheckConstraint(
                condition=Q(listing_consent=False) | Q(consent_changed_at__isnull=False),
                name="member_consent_has_time",
            ),
            models.UniqueConstraint(
                fields=["name", "phone"],
                condition=~Q(phone=""),
                name="member_unique_name_phone",
                violation_error_message=_("A member with this name and phone is already on file."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="member_unique_number",
                violation_error_message=_("Another member already has this member number."),
            ),
        ]
        indexes = [
            models.Index(fields=["name_pinyin", "id"], name="member_pinyin_idx"),
            models.Index(fields=["status", "listing_consent"], name="member_listable_idx"),
            GinIndex(fields=["search_key"], opclasses=["gin_trgm_ops"], name="member_search_trgm"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)
        self._loaded_consent = self.listing_consent

    def prepare_for_save(self) -> None:
        """What every save derives, also before a bulk write (an import) that skips save()."""
        self.name = self.name.strip()
        self.name_pinyin = text.pinyin_sort_key(self.name)
        self.search_key = text.search_key(self.name)
        # The time consent was given or withdrawn is recorded whatever path changed it.
        if self.listing_consent != getattr(self, "_loaded_consent", False) or (
            self.listing_consent and self.consent_changed_at is None
        ):
            self.consent_changed_at = timezone.now()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_consent = instance.__dict__.get("listing_consent")
        return instance

    def take_signed_consent(self, given: bool, signed_on: datetime.date) -> None:
        """Take the consent the member gave or withdrew on a paper form signed on ``signed_on``,
        unless their consent changed on that day or later (online, or from another form): their
        latest word stands, and a form re-imported after they changed their mind must not undo it.
        """
        if given == self.listing_consent:
            return
        if self.consent_changed_at is not None:
            changed_on = timezone.localdate(self.consent_changed_at)
            if signed_on <= changed_on:
                raise ValidationError(
                    _(
                        "%(name)s's consent was changed on %(changed)s, not before this form was "
                        "signed (%(signed)s): it stays as it is. Ask the member, or leave the "
                        "signing date blank to keep the consent on file."
                    )
                    % {
                        "name": self.name,
                        "changed": date_format(changed_on),
                        "signed": date_format(signed_on),
                    }
                )
        self.listing_consent = given

    def prepare_revert(self, current: "Member") -> None:
        """A revert (portal/concurrency.py) restores the other fields of an old version, never its
        consent: consent is the member's own, and staff change it only by ticking it."""
        self.listing_consent = current.listing_consent
        self.consent_changed_at = current.consent_changed_at
        self._loaded_consent = current.listing_consent

    def clean(self):
        if self.phone and not all(c.isdigit() or c in "+() -" for c in self.phone):
            raise ValidationError(
                {"phone": _("A phone number may hold only digits, spaces, +, - and brackets.")}
            )


# Unique across every branch, so a clash may be with a member the user cannot see.
REGISTER_WIDE_CONSTRAINTS = ("member_unique_name_phone", "member_unique_number")


def hide_register_clashes(error: ValidationError) -> ValidationError:
    """``error`` with the messages of the register-wide rules (name and phone, member number)
    put as one that says only whom to ask: for a user who does not see every branch, "already
    on file" would tell that the person is a member of another. Other messages stay."""
    clashes = {
        str(constraint.violation_error_message)
        for constraint in Member._meta.constraints
        if constraint.name in REGISTER_WIDE_CONSTRAINTS
    }
    hidden = {}
    for field, messages in ValidationError(error.update_error_dict({})).message_dict.items():
        kept = [message for message in messages if message not in clashes]
        if len(kept) < len(messages):
            kept.append(
                _(
                    "This member cannot be added or changed here: please ask the committee "
                    "staff (社市委机关工作人员)."
                )
            )
        hidden[field] = kept
    return ValidationError(hidden)


class Enterprise(models.Model):
    """A member enterprise, such as a company founded or run by members."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    contacts = models.ManyToManyField(
        Member,
        verbose_name=_("contact members"),
        related_name="enterprises",
        blank=True,
        help_text=_("Members who run or represent the enterprise."),
    )
    history = HistoricalRecords(m2m_fields=[contacts])

    class Meta:
        triggers = public_data_triggers(REGISTER)
        ordering = ["name"]
        verbose_name = _("member enterprise")
        verbose_name_plural = _("member enterprises")

    def __str__(self):
        return self.name


class EnterpriseContactLink(Enterprise.contacts.through):
    """The links of enterprises to their contact members, as a proxy only to carry the public
    data trigger (portal/triggers.py): the honour roll names an enterprise's contacts."""

    class Meta:
        proxy = True
        triggers = public_data_triggers(REGISTER)


class CorrectionRequestState(models.TextChoices):
    OPEN = "open", _("waiting for an answer")
    CORRECTED = "corrected", _("corrected")
    DECLINED = "declined", _("not corrected")


class CorrectionRequest(FieldConstraintErrors, models.Model):
    """A member asking, from their own page, that something the portal holds about them be
    corrected (PIPL art. 46); the staff of their branch answer it in the admin."""

    constraint_fields = {
        "correctionrequest_state_valid": "state",
        "correctionrequest_answered_with_words": "answer",
    }
    State = CorrectionRequestState

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    text = models.TextField(
        _("what should be corrected"), help_text=_("In the member's own words.")
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=CorrectionRequestState.choices,
        default=CorrectionRequestState.OPEN,
    )
    answer = models.TextField(
        _("answer"), blank=True, help_text=_("Shown to the member on their own page.")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("correction", "answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    public_data = False  # between the member and the staff of their branch

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=CorrectionRequestState.values),
                name="correctionrequest_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=CorrectionRequestState.OPEN) | ~Q(answer=""),
                name="correctionrequest_answered_with_words",
                violation_error_message=_(
                    "Say in the answer what was corrected, or why it was not."
                ),
            ),
        ]

    def __str__(self):
        if self.created_at is None:
            return str(self.member)
        return f"{self.member} · {date_format(timezone.localtime(self.created_at), 'DATE_FORMAT')}"
