"""The database triggers that keep the public data version (portal/public_cache.py), and the
check that no public table goes without one.

Every model a public page reads declares ``public_data_trigger()`` in its ``Meta.triggers``
(django-pgtrigger puts it in the app's migrations): a statement-level trigger that notes, once per
writing transaction, that the version must move. The note is a row in ``PublicDataPending``,
whose deferred trigger (``BUMP_AT_COMMIT``) moves the version as the transaction commits: the
version's one row is locked for the instant of a commit, never for the length of a transaction,
so no write waits for an unrelated one. A rolled-back transaction moves nothing. One note per
statement, not per row: a COPY of a million rows costs one.

A model no public page reads says so: ``public_data = False`` on its class, with the reason in a
comment. ``check_public_tables`` (a system check, so ``manage.py check`` and every test run see
it) fails for a model of ours that says neither, and for a many-to-many table of a public model
that has no trigger (declared on a proxy of the through model, as django-pgtrigger allows).
"""

import pgtrigger
from django.apps import apps
from django.core import checks

# The apps whose models the check looks at: the portal's own, not Django's or a library's.
PORTAL_APPS = ("portal", "members", "campaigns", "suggestions", "honours")
TRIGGER_NAME = "public_data_changed"

NOTE_PUBLIC_CHANGE = """
    -- Once per transaction: the setting is the transaction's own and rolls back with it.
    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN
        PERFORM set_config('portal.public_data_pending', 'yes', true);
        INSERT INTO portal_publicdatapending DEFAULT VALUES;
    END IF;
    RETURN NULL;
"""

BUMP_AT_COMMIT = pgtrigger.Trigger(
    name="bump_at_commit",
    level=pgtrigger.Row,
    when=pgtrigger.After,
    operation=pgtrigger.Insert,
    timing=pgtrigger.Deferred,
    func="""
    UPDATE portal_publicdataversion SET changed_at = clock_timestamp() WHERE id = 1;
    DELETE FROM portal_publicdatapending WHERE id = NEW.id;
    PERFORM set_config('portal.public_data_pending', '', true);
    RETURN NULL;
    """,
)


def public_data_trigger() -> pgtrigger.Trigger:
    """The trigger a public model declares in ``Meta.triggers``."""
    return pgtrigger.Trigger(
        name=TRIGGER_NAME,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete | pgtrigger.Truncate,
        func=NOTE_PUBLIC_CHANGE,
    )


def has_public_trigger(model) -> bool:
    return any(trigger.name == TRIGGER_NAME for trigger in getattr(model._meta, "triggers", []))


def check_public_tables(app_configs=None, **kwargs) -> list:
    models = [
        model
        for app_label in PORTAL_APPS
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
        if not model._meta.proxy and not hasattr(model, "instance_type")  # not history
    ]
    with_trigger = {
        model._meta.concrete_model
        for model in apps.get_models(include_auto_created=True)
        if has_public_trigger(model)
    }
    errors = []
    for model in models:
        through = model._meta.auto_created
        if through:
            owner = model._meta.auto_created
            if owner in with_trigger and model not in with_trigger:
                errors.append(
                    checks.Error(
                        f"{model._meta.db_table} links public records of {owner._meta.label} "
                        "but has no public data trigger.",
                        hint="Declare public_data_trigger() on a proxy of the through model.",
                        obj=model,
                        id="portal.E001",
                    )
                )
        elif model not in with_trigger and getattr(model, "public_data", None) is not False:
            errors.append(
                checks.Error(
                    f"{model._meta.label} neither moves the public data version nor says that "
                    "no public page reads it.",
                    hint="Add public_data_trigger() to its Meta.triggers, or set "
                    "public_data = False on the model with the reason.",
                    obj=model,
                    id="portal.E002",
                )
            )
    return errors
