# A session records the backend that logged its user in, and Django drops a session whose backend
# is no longer in AUTHENTICATION_BACKENDS. Sessions from before members.backends.ModelBackend
# name Django's ModelBackend: renamed here, so that the release that brought it logs no one out.

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

DJANGOS = "django.contrib.auth.backends.ModelBackend"
PORTALS = "members.backends.ModelBackend"
BATCH = 1000


def renaming(old: str, new: str):
    def rename(apps, schema_editor):
        Session = apps.get_model("sessions", "Session")
        store = SessionStore()
        live = Session.objects.using(schema_editor.connection.alias).filter(
            expire_date__gt=timezone.now()
        )
        renamed = []
        for session in live.iterator(chunk_size=BATCH):
            data = store.decode(session.session_data)
            if data.get(BACKEND_SESSION_KEY) == old:
                data[BACKEND_SESSION_KEY] = new
                session.session_data = store.encode(data)
                renamed.append(session)
            if len(renamed) == BATCH:
                Session.objects.bulk_update(renamed, ["session_data"])
                renamed = []
        Session.objects.bulk_update(renamed, ["session_data"])

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_gender_optional"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(renaming(DJANGOS, PORTALS), renaming(PORTALS, DJANGOS)),
    ]
