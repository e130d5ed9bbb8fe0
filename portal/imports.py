"""Where an uploaded spreadsheet waits between its preview and its confirmation.

django-import-export keeps the upload in a "temporary storage" named in the confirmation form.
Its default is a file in this server's temporary folder: a confirmation reaching another app
server failed, unconfirmed previews stayed there forever, and a forged name read any file there.
``PendingImportStorage`` keeps it in the database instead (``PendingImport``), bound to the user
who uploaded it and to one model's admin, and gone after ``IMPORT_PENDING_MINUTES``.
"""

from import_export.tmp_storages import BaseStorage

from portal.models import PendingImport


class PendingImportStorage(BaseStorage):
    def __init__(self, *, user, model: str, file_name: str = "", **kwargs):
        super().__init__(**kwargs)
        self.user, self.model, self.file_name = user, model, file_name

    def save(self, data):
        # Uploads nobody confirmed are deleted here, whenever anyone uploads: no timer needed.
        PendingImport.objects.expired().delete()
        pending = PendingImport.objects.create(
            uploaded_by=self.user.pk, model=self.model, file_name=self.file_name[:255], data=data
        )
        self.name = str(pending.pk)

    def read(self):
        data = (
            PendingImport.objects.awaiting(self.name, user=self.user, model=self.model)
            .values_list("data", flat=True)
            .first()
        )
        if data is None:
            raise PendingImport.DoesNotExist
        return bytes(data)

    def remove(self):
        PendingImport.objects.awaiting(self.name, user=self.user, model=self.model).delete()
