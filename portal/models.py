import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.triggers import BUMP_AT_COMMIT


class BackgroundJob(models.Model):
    """What every background job records beside its own fields (portal/jobs.py runs them):
    where it is (``phase``, ``rows_done`` of ``rows_total``), who runs it (``runner``, a token
    the worker takes when it starts) and whether that worker is alive (``heartbeat_at``, moved
    every few seconds by a thread of the worker, on a connection of its own), and what became of
    it (``message``). A job whose heartbeat stopped is marked failed by whoever looks at it next;
    its work was one transaction, so nothing of it was kept."""

    task_id = models.CharField(_("task"), max_length=64, blank=True)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    runner = models.UUIDField(_("runner"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    message = models.TextField(_("message"), blank=True)
    # The language of the user who asked for it: the job's messages are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)

    # The states in which a worker has the job (or is about to take it).
    RUNNING_STATES: tuple = ()

    class Meta:
        abstract = True

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING_STATES

    def dead_fields(self) -> dict:
        """What else changes when the job is found dead (portal/jobs.py ``check_alive``)."""
        return {}

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class PendingImportQuerySet(models.QuerySet):
    def expired(self):
        """Jobs nobody needs any more: an upload whose preview or import ended, or that waited
        for its confirmation, longer than ``IMPORT_PENDING_MINUTES`` ago. A job being checked or
        imported is not expired while its worker is alive (portal/jobs.py marks a dead one
        failed first)."""
        limit = timezone.now() - timedelta(minutes=settings.IMPORT_PENDING_MINUTES)
        return self.filter(changed_at__lt=limit).exclude(
            state__in=PendingImport.RUNNING_STATES, heartbeat_at__gte=limit
        )

    def uploaded(self, token, *, user):
        """The user's own upload named ``token`` (a forged token, or another user's, is none)."""
        try:
            token = uuid.UUID(str(token))
        except ValueError:
            return self.none()
        return self.filter(pk=token, uploaded_by=user.pk)

    def awaiting(self, token, *, user, model: str):
        """The user's own unexpired upload of ``model`` that still waits for its confirmation."""
        return (
            self.uploaded(token, user=user)
            .filter(model=model, state=PendingImport.State.AWAITING)
            .exclude(pk__in=self.expired().values("pk"))
        )


class PendingImport(BackgroundJob):
    """A spreadsheet uploaded for import: the job that checks it (the preview), waits for its
    confirmation, then imports it.

    Kept in the database, not on one app server's disk, so that any app server may show it and
    take its confirmation, and any worker run it. It belongs to the user who uploaded it and to
    one model's admin; it is confirmed at most once (the confirmation moves it from awaiting to
    importing in one statement), its file is emptied once it can no longer be imported, and it
    is deleted ``IMPORT_PENDING_MINUTES`` after it last changed.
    """

    class State(models.TextChoices):
        CHECKING = "checking", _("being checked")
        INVALID = "invalid", _("has errors")
        AWAITING = "awaiting", _("awaiting confirmation")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("failed")

    RUNNING_STATES = (State.CHECKING, State.IMPORTING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The user's id, not a foreign key: this app sits below the one that holds the user model.
    uploaded_by = models.BigIntegerField(_("uploaded by"), db_index=True)
    model = models.CharField(_("records"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, default="csv")
    data = models.BinaryField(_("file"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.CHECKING
    )
    # What the check or the import found: counts, each row's kind, errors (portal/imports.py).
    result = models.JSONField(_("result"), null=True, blank=True)
    # The uploader's choice on the preview: import the rows that repeat records already held.
    import_duplicates = models.BooleanField(_("import duplicate rows"), default=False)

    objects = PendingImportQuerySet.as_manager()
    public_data = False  # an upload is no public record

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["checking", "invalid", "awaiting", "importing", "imported", "failed"]
                ),
                name="pendingimport_state_valid",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    def dead_fields(self) -> dict:
        return {"data": b""}  # members' phones are not kept for a file that cannot be imported


class ExportJobQuerySet(models.QuerySet):
    def expired(self):
        """Downloads kept longer than ``EXPORT_KEEP_HOURS`` since they ended, and jobs whose
        worker is gone that long."""
        limit = timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS)
        return self.filter(changed_at__lt=limit).exclude(
            state__in=ExportJob.RUNNING_STATES, heartbeat_at__gte=limit
        )

    def requested(self, token, *, user):
        """The user's own export named ``token`` (a forged token, or another user's, is none)."""
        try:
            token = uuid.UUID(str(token))
        except ValueError:
            return self.none()
        return self.filter(pk=token, requested_by=user.pk)


class ExportJob(BackgroundJob):
    """A long download written by a worker: its file waits in the default storage (under
    ``MEDIA_ROOT``, which every app server shares) for its requester, and is deleted with the
    job ``EXPORT_KEEP_HOURS`` after it was written."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    RUNNING_STATES = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.BigIntegerField(_("requested by"), db_index=True)
    kind = models.CharField(_("kind"), max_length=50)
    # What to write, as the worker needs it to write it again (the export's key, period…).
    params = models.JSONField(_("parameters"), default=dict)
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    file = models.CharField(_("stored file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)

    objects = ExportJobQuerySet.as_manager()
    public_data = False  # a download is no public record

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="exportjob_state_valid",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"


class PublicDataVersion(models.Model):
    """How often the public data of one scope (a campaign's records, the honour roll…: see
    portal/triggers.py) has changed, and when it last did: kept by database triggers as each
    transaction that wrote such a record commits, however it wrote (admin, import, a script).
    Cached pages and figures are keyed on the versions of the scopes they read
    (portal/public_cache.py), so they are rendered again exactly when something they show
    changed, and never served stale beyond ``PUBLIC_STALE_SECONDS``. A scope without a row has
    never changed: version 0."""

    scope = models.CharField(_("scope"), max_length=100, primary_key=True)
    version = models.BigIntegerField(_("version"))
    changed_at = models.DateTimeField(_("changed at"))

    public_data = False  # the versions themselves

    class Meta:
        ordering = ["scope"]
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")

    def __str__(self):
        return f"{self.scope}@{self.version}"


class PublicDataPending(models.Model):
    """A writing transaction's note that the public data version must move when it commits: at
    most one row per open transaction, deleted as it commits (portal/triggers.py). An unlogged
    table (the migration makes it so): nothing in it outlives its transaction."""

    public_data = False  # the note itself

    class Meta:
        verbose_name = _("pending change of public data")
        verbose_name_plural = _("pending changes of public data")
        triggers = [BUMP_AT_COMMIT]

    def __str__(self):
        return str(self.pk)
