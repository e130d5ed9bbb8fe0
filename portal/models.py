import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.triggers import BUMP_AT_COMMIT


class PendingImportQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(
            uploaded_at__lt=timezone.now() - timedelta(minutes=settings.IMPORT_PENDING_MINUTES)
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


class PendingImport(models.Model):
    """A spreadsheet uploaded for import, between its preview and its confirmation.

    Kept in the database, not on one app server's disk, so that the confirmation may reach any
    server. It belongs to the user who uploaded it and to one model's admin; it is confirmed at
    most once (the confirmation locks the row and marks it done in the import's transaction), its
    file is emptied once imported, and it is deleted after ``IMPORT_PENDING_MINUTES`` either way.
    """

    class State(models.TextChoices):
        AWAITING = "awaiting", _("awaiting confirmation")
        IMPORTED = "imported", _("imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The user's id, not a foreign key: this app sits below the one that holds the user model.
    uploaded_by = models.BigIntegerField(_("uploaded by"), db_index=True)
    model = models.CharField(_("records"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.AWAITING
    )

    objects = PendingImportQuerySet.as_manager()
    public_data = False  # an upload is no public record

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["awaiting", "imported"]),
                name="pendingimport_state_valid",
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
