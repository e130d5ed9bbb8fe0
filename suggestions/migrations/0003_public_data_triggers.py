from django.db import migrations

from members.public_cache import touch_triggers

# The tables the public suggestions page and the honour roll read.
CREATE, DROP = touch_triggers(
    "suggestions_suggestion",
    "suggestions_suggestion_authors",
    "suggestions_suggestioncall",
    "suggestions_forwarding",
    "suggestions_higherbody",
)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0002_staff_roles"),
        ("members", "0005_public_data_version"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
