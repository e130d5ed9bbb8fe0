"""Suggestions members send up, and what became of each.

A suggestion comes from a branch (``branch``: the collective author when ``by_branch`` is set, else
the branch its member authors belong to), so staff scoping works through that one indexed field.
Its state moves only through ``suggestions.services``, which checks the workflow's rules and
records each move (``StateChange``: who, when, a note); simple-history keeps every edit as well.
"""

from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, Member
from portal import uploads
from portal.constraints import FieldConstraintErrors
from portal.triggers import ROLL, SUGGESTIONS, public_data_triggers
from suggestions import tallies

# A new call's topics, and those of a suggestion sent outside any call: general words, which
# staff change in a call's admin (the demo's calls have the story's own, suggestions/demo.py).
DEFAULT_TOPIC_WORDS = ["经济发展", "社会民生", "生态环境", "科教文卫", "其他"]
TOPIC_LENGTH = 20


class HigherBody(models.Model):
    """A body suggestions are forwarded to: 社省委, 中共市委统战部…"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(SUGGESTIONS)
        ordering = ["name"]
        verbose_name = _("higher body")
        verbose_name_plural = _("higher bodies")

    def __str__(self):
        return self.name


class SuggestionCall(FieldConstraintErrors, models.Model):
    """A call for suggestions from a higher body, with the topics its suggestions may have."""

    constraint_fields = {"call_closes_after_opening": "closes_on"}

    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(
        _("organising body"), max_length=100, help_text=_("For example 九三学社江苏省委.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Words, not choices: each call names its own topics. A partial of ``list`` so that every
    # call gets its own copy and the migration needs no code of ours.
    topic_words = ArrayField(
        models.CharField(max_length=TOPIC_LENGTH),
        verbose_name=_("topics"),
        default=partial(list, DEFAULT_TOPIC_WORDS),
        help_text=_(
            "The topics a suggestion to this call may have, separated by 、; the public "
            "suggestions page and the reports group by them."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(SUGGESTIONS)
        ordering = ["-opens_on", "title"]
        verbose_name = _("call for suggestions")
        verbose_name_plural = _("calls for suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message=_("The closing date must not be before the opening date."),
            ),
        ]

    def __str__(self):
        return self.title


class State(models.TextChoices):
    # Not the donations' "received" (到账): a suggestion is 已收到.
    RECEIVED = "received", pgettext_lazy("suggestion", "received")
    UNDER_REVIEW = "under_review", _("under review")
    FORWARDED = "forwarded", _("forwarded")
    ADOPTED = "adopted", _("adopted")
    NOT_ADOPTED = "not_adopted", _("not adopted")
    MERGED = "merged", _("merged into another")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")


class Source(models.TextChoices):
    FORM = "form", _("member's form")
    STAFF = "staff", _("entered by staff")
    PAPER = "paper", _("imported from paper")


# A withdrawn or merged suggestion's title is never public, whatever ``is_public`` says.
STATES_NEVER_PUBLIC = [State.WITHDRAWN, State.MERGED]


class SuggestionQuerySet(models.QuerySet):
    def public(self):
        """Suggestions whose title may be shown to anyone."""
        return self.filter(is_public=True).exclude(state__in=STATES_NEVER_PUBLIC)

    def of_member(self, member):
        return self.filter(authors=member)


class Suggestion(FieldConstraintErrors, models.Model):
    constraint_fields = {
        "suggestion_topic": "topic",
        "suggestion_state": "state",
        "suggestion_source": "source",
    }
    State = State
    Source = Source

    call = models.ForeignKey(
        SuggestionCall,
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    # One of its call's ``topic_words`` (of DEFAULT_TOPIC_WORDS outside a call): checked by
    # ``clean``, which the admin, the member's form and the import run.
    topic = models.CharField(_("topic"), max_length=TOPIC_LENGTH)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("Where the suggestion comes from: the authors' branch."),
    )
    by_branch = models.BooleanField(
        _("collective suggestion of the branch"),
        default=False,
        help_text=_("The branch itself is an author (for example after a survey it ran)."),
    )
    authors = models.ManyToManyField(
        Member, verbose_name=_("member authors"), blank=True, related_name="suggestions"
    )
    received_on = models.DateField(_("received on"))
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Listed on the public suggestions page, with a page of its own: title, topic, call, "
            "its text (or the public summary), where it was forwarded and the answer. Member "
            "authors are named there only if they consented to be listed."
        ),
    )
    # The database's own default too: rows written by COPY or SQL (the benchmark's generator)
    # name only the columns they fill.
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Shown on the suggestion's public page in place of its text, when written: for a "
            "text too long, or holding what should not be published."
        ),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[authors])

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        triggers = public_data_triggers(SUGGESTIONS, ROLL) + tallies.suggestion_triggers()
        ordering = ["-received_on", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        permissions = [("review_suggestion", _("Can review, forward, answer and merge"))]
        constraints = [
            models.CheckConstraint(condition=~Q(topic=""), name="suggestion_topic"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="suggestion_state"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="suggestion_source"),
            models.CheckConstraint(
                condition=Q(state=State.MERGED, merged_into__isnull=False)
                | (~Q(state=State.MERGED) & Q(merged_into__isnull=True)),
                name="suggestion_merged_has_target",
                violation_error_message=_("A merged suggestion names the one it was merged into."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="suggestion_not_merged_into_itself",
                violation_error_message=_("A suggestion cannot be merged into itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "call"], name="suggestion_state_idx"),
            models.Index(fields=["is_public", "state"], name="suggestion_public_idx"),
            # The change list's and the public page's order: the first page without a sort.
            models.Index(fields=["-received_on", "-id"], name="suggestion_list_idx"),
        ]

    def __str__(self):
        return self.title

    def credited(self) -> str:
        """Who a public page names as its authors, joined with 、: the branch when it wrote as
        one, then its member authors as the page read them (the listable ones only)."""
        names = [self.branch.name] if self.by_branch else []
        return "、".join(names + [author.name for author in self.authors.all()])

    @property
    def topic_words(self) -> list[str]:
        """The topics it may have: its call's, or the general ones outside a call."""
        return self.call.topic_words if self.call_id else DEFAULT_TOPIC_WORDS

    def clean(self):
        if self.topic and self.topic not in self.topic_words:
            words = {"topic": self.topic, "call": self.call, "words": "、".join(self.topic_words)}
            message = (
                _("“%(topic)s” is not a topic of %(call)s: choose one of %(words)s.")
                if self.call_id
                else _("“%(topic)s” is not a topic outside a call: choose one of %(words)s.")
            )
            raise ValidationError({"topic": message % words})

    @property
    def is_open(self) -> bool:
        """Not yet forwarded, merged or withdrawn: its author may still withdraw it."""
        return self.state in (State.RECEIVED, State.UNDER_REVIEW)


# Files a suggestion may carry, by extension: what their content must be, as a refusal names it,
# and how that is recognised. Old Word and Excel files (.doc, .xls) are refused: they may carry
# macros (docs/decisions.md, issue 13).
ATTACHMENT_KINDS = {
    ".pdf": (_("a PDF document"), lambda file: uploads.starts_with(file, b"%PDF-")),
    ".docx": (
        _("a Word document (.docx)"),
        lambda file: uploads.is_office_package(file, uploads.WORD_DOCUMENT),
    ),
    ".xlsx": (
        _("an Excel workbook (.xlsx)"),
        lambda file: uploads.is_office_package(file, uploads.EXCEL_WORKBOOK),
    ),
    ".jpg": (
        _("a JPEG picture"),
        uploads.is_image(".jpg"),
    ),
    ".jpeg": (
        _("a JPEG picture"),
        uploads.is_image(".jpeg"),
    ),
    ".png": (
        _("a PNG picture"),
        uploads.is_image(".png"),
    ),
    ".txt": (_("text in UTF-8 or GB18030"), uploads.is_text),
}
MACRO_CAPABLE_LEGACY = {".doc", ".xls"}


def validate_attachment(upload):
    """A file of an allowed kind by its name and by its content, within the size limit."""
    if getattr(upload, "_committed", False):
        # Already stored: the admin's inline runs this again on every save of its suggestion,
        # and a file kept from before these rules must not stop that save.
        return
    extension = Path(upload.name).suffix.lower()
    if extension in MACRO_CAPABLE_LEGACY:
        raise ValidationError(
            _(
                "%(name)s is an old-format Word or Excel file (.doc, .xls), which may carry "
                "macros: save it as .docx, .xlsx or PDF and attach that."
            )
            % {"name": upload.name}
        )
    if extension not in ATTACHMENT_KINDS:
        raise ValidationError(
            _("Attach a PDF, Word, Excel, JPEG, PNG or text file; %(name)s is none of these.")
            % {"name": upload.name}
        )
    # The size first: nothing over the limit is read.
    limit = settings.SUGGESTION_ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": upload.name, "limit": settings.SUGGESTION_ATTACHMENT_MAX_MB}
        )
    expected, matches = ATTACHMENT_KINDS[extension]
    upload.seek(0)
    try:
        fits = matches(upload)
    except uploads.MacrosFound:
        raise ValidationError(
            _(
                "%(name)s is a macro-enabled Office document (.docm or .xlsm): save it without "
                "macros as .docx, .xlsx or PDF and attach that."
            )
            % {"name": upload.name}
        ) from None
    finally:
        upload.seek(0)
    if not fits:
        raise ValidationError(
            _("The content of %(name)s is not %(expected)s, as its name says.")
            % {"name": upload.name, "expected": expected}
        )


class Attachment(models.Model):
    """A file sent with a suggestion; served only through a view that checks who asks."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # Under MEDIA_ROOT; the URL leads to a view that checks who asks
    # (suggestions.views.attachment_download): nothing serves MEDIA_URL. Checked by ``clean``.
    file = models.FileField(
        _("file"),
        upload_to="suggestions/%Y/%m/",
        storage=FileSystemStorage(base_url="/suggestions/files/"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    history = HistoricalRecords()

    public_data = False  # attachments reach only their authors and staff

    class Meta:
        ordering = ["suggestion", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return Path(self.file.name).name

    def clean(self):
        if self.file:
            try:
                validate_attachment(self.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None


class Forwarding(FieldConstraintErrors, models.Model):
    """A suggestion sent on to a higher body, and the answer that came back."""

    constraint_fields = {"forwarding_once_per_body": "body"}

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="forwardings",
    )
    body = models.ForeignKey(
        HigherBody, verbose_name=_("body"), on_delete=models.PROTECT, related_name="forwardings"
    )
    forwarded_on = models.DateField(_("forwarded on"))
    document_no = models.CharField(_("document number"), max_length=50, blank=True)
    feedback = models.TextField(_("feedback or instruction received"), blank=True)
    adopted = models.BooleanField(
        _("adopted"), null=True, blank=True, help_text=_("Empty until the body answers.")
    )
    history = HistoricalRecords()

    class Meta:
        triggers = public_data_triggers(SUGGESTIONS) + tallies.forwarding_triggers()
        ordering = ["forwarded_on", "pk"]
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "body"],
                name="forwarding_once_per_body",
                violation_error_message=_("This suggestion is already forwarded to this body."),
            ),
        ]

    def __str__(self):
        return f"{self.suggestion} → {self.body}"


class StateChange(models.Model):
    """One move of a suggestion through the workflow: who, when, from what to what, and why."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="state_changes",
    )
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    public_data = False  # the workflow's log, shown to staff only

    class Meta:
        ordering = ["suggestion", "changed_at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self):
        return f"{self.suggestion}: {self.get_from_state_display()} → {self.get_to_state_display()}"


class SuggestionAuthorLink(Suggestion.authors.through):
    """A suggestion's links to its member authors, as a proxy only to carry the public data
    trigger (portal/triggers.py): the public page names the authors who consented."""

    class Meta:
        proxy = True
        triggers = public_data_triggers(SUGGESTIONS, ROLL)


class CallTally(models.Model):
    """How many suggestions a call (or none) holds in a state (suggestions/tallies.py)."""

    call = models.ForeignKey(SuggestionCall, on_delete=models.CASCADE, null=True, related_name="+")
    state = models.CharField(max_length=20)
    suggestions = models.IntegerField()
    public = models.IntegerField(default=0)  # of which made public (``is_public``)

    public_data = False  # kept from the suggestions, whose own triggers move the versions

    class Meta:
        verbose_name = _("call tally")
        verbose_name_plural = _("call tallies")
        constraints = [
            # One row for the suggestions outside any call too.
            models.UniqueConstraint(
                fields=["call", "state"], name="calltally_key", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.call_id} {self.state} {self.suggestions}"


class BodyTally(models.Model):
    """How many suggestions were forwarded to a higher body, and how many it adopted."""

    body = models.OneToOneField(
        HigherBody, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    forwarded = models.IntegerField()
    adopted = models.IntegerField()

    public_data = False  # kept from the forwardings, whose own triggers move the versions

    class Meta:
        verbose_name = _("body tally")
        verbose_name_plural = _("body tallies")

    def __str__(self):
        return f"{self.body_id} {self.forwarded} {self.adopted}"


class SuggestionTallyCommit(models.Model):
    """A writing transaction's note that its count deltas apply when it commits (unlogged; at
    most one row per open transaction, deleted as it commits)."""

    public_data = False  # the note itself

    class Meta:
        verbose_name = _("pending suggestion tally")
        verbose_name_plural = _("pending suggestion tallies")
        triggers = [tallies.APPLY_AT_COMMIT]

    def __str__(self):
        return str(self.pk)
