"""The database triggers that keep the public data versions (portal/public_cache.py), and the
check that no public table goes without them.

The public data is versioned by **scope**: what one public page reads. A campaign's records are
the scope ``campaign:<id>``; the campaign list reads ``campaigns``, the honour roll ``roll``, the
suggestions' page ``suggestions``, and every page reads ``register`` (members, branches, sectors,
bodies: the names all pages show). A write moves the versions of the scopes it changes, so a
gift to one campaign leaves the pages of every other campaign cached.

Every model a public page reads declares ``public_data_triggers(...)`` in ``Meta.triggers``
(django-pgtrigger puts them in the app's migrations): statement-level triggers, one per kind of
write, that name the scopes the written rows belong to (from the statement's transition table,
so a COPY of a million rows is one call) and note them for the transaction
(``portal_note_public_change``, SQL of portal's migration). The first note of a transaction also
inserts a row in ``PublicDataPending``, whose deferred trigger (``BUMP_AT_COMMIT``) moves the
noted scopes' versions as the transaction commits, in scope order: a version row is locked for
the instant of a commit, never for the length of a transaction, and never in an order that could
deadlock, so no write waits for an unrelated one. A rolled-back transaction moves nothing.

A model no public page reads says so: ``public_data = False`` on its class, with the reason in a
comment. ``check_public_tables`` (a system check) fails for a model of ours that says neither,
and for a many-to-many table of a public model that has no trigger (declared on a proxy of the
through model, as django-pgtrigger allows).
"""

import pgtrigger
from django.apps import apps
from django.core import checks

# The apps whose models the check looks at: the portal's own, not Django's or a library's.
PORTAL_APPS = ("portal", "members", "campaigns", "suggestions", "honours")
TRIGGER_PREFIX = "public_data_"

# The scopes every page or a group of pages reads (portal/public_cache.py).
REGISTER, CAMPAIGNS, ROLL, SUGGESTIONS = "register", "campaigns", "roll", "suggestions"

BUMP_AT_COMMIT = pgtrigger.Trigger(
    name="bump_at_commit",
    level=pgtrigger.Row,
    when=pgtrigger.After,
    operation=pgtrigger.Insert,
    timing=pgtrigger.Deferred,
    func="""
    PERFORM portal_bump_public_versions();
    DELETE FROM portal_publicdatapending WHERE id = NEW.id;
    RETURN NULL;
    """,
)


def campaign_scope(campaign_id) -> str:
    return f"campaign:{campaign_id}"


def public_data_triggers(*fixed: str, scopes: str = "") -> list[pgtrigger.Trigger]:
    """The triggers a public model declares in ``Meta.triggers``: any write notes the ``fixed``
    scopes, and those ``scopes`` selects from the written rows: SQL with ``{rows}`` in place of
    the statement's rows (old, new or both, called ``written``), e.g. ``"SELECT 'campaign:' ||
    written.campaign_id FROM {rows}"``. PostgreSQL gives a trigger transition tables for one
    kind of write only, so there is one trigger per kind; a TRUNCATE notes every page's scope
    (``register``)."""
    fixed_sql = "ARRAY[" + ", ".join(f"'{scope}'" for scope in fixed) + "]::text[]"

    def func(rows: str | None) -> str:
        selected = f" || ARRAY({scopes.format(rows=rows)})" if scopes and rows else ""
        return f"PERFORM portal_note_public_change({fixed_sql}{selected}); RETURN NULL;"

    # The written rows are called ``written`` in ``scopes``, whichever kind of write it was.
    both = "(SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS written"
    statement = {"level": pgtrigger.Statement, "when": pgtrigger.After}
    return [
        pgtrigger.Trigger(
            name=f"{TRIGGER_PREFIX}insert",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=func("new_rows AS written"),
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{TRIGGER_PREFIX}update",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=func(both),
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{TRIGGER_PREFIX}delete",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=func("old_rows AS written"),
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{TRIGGER_PREFIX}truncate",
            operation=pgtrigger.Truncate,
            func=f"PERFORM portal_note_public_change(ARRAY['{REGISTER}']); RETURN NULL;",
            **statement,
        ),
    ]


# SQL of portal's migration: the functions the triggers call.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION portal_note_public_change(scopes text[]) RETURNS void AS $$
DECLARE
    noted text := coalesce(current_setting('portal.public_scopes', true), '');
BEGIN
    -- The transaction's own setting: it rolls back with the transaction (or a savepoint).
    PERFORM set_config('portal.public_scopes', array_to_string(ARRAY(
        SELECT DISTINCT scope
        FROM unnest(string_to_array(nullif(noted, ''), ',') || scopes) AS scope
        WHERE scope IS NOT NULL ORDER BY scope
    ), ','), true);
    IF noted = '' THEN
        -- The first note of the transaction: its versions move when it commits.
        INSERT INTO portal_publicdatapending DEFAULT VALUES;
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portal_bump_public_versions() RETURNS void AS $$
DECLARE
    scopes text[] := string_to_array(
        nullif(coalesce(current_setting('portal.public_scopes', true), ''), ''), ','
    );
BEGIN
    IF scopes IS NOT NULL THEN
        -- In scope order: two committing transactions lock shared rows in the same order.
        INSERT INTO portal_publicdataversion (scope, version, changed_at)
        SELECT scope, 1, clock_timestamp() FROM unnest(scopes) AS scope ORDER BY scope
        ON CONFLICT (scope) DO UPDATE
            SET version = portal_publicdataversion.version + 1,
                changed_at = excluded.changed_at;
    END IF;
    PERFORM set_config('portal.public_scopes', '', true);
END
$$ LANGUAGE plpgsql;
"""
DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS portal_note_public_change(text[]);
DROP FUNCTION IF EXISTS portal_bump_public_versions();
"""


def has_public_trigger(model) -> bool:
    return any(
        trigger.name.startswith(TRIGGER_PREFIX) for trigger in getattr(model._meta, "triggers", [])
    )


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
        owner = model._meta.auto_created
        if owner:
            if owner in with_trigger and model not in with_trigger:
                errors.append(
                    checks.Error(
                        f"{model._meta.db_table} links public records of {owner._meta.label} "
                        "but has no public data trigger.",
                        hint="Declare public_data_triggers() on a proxy of the through model.",
                        obj=model,
                        id="portal.E001",
                    )
                )
        elif model not in with_trigger and getattr(model, "public_data", None) is not False:
            errors.append(
                checks.Error(
                    f"{model._meta.label} neither moves the public data versions nor says that "
                    "no public page reads it.",
                    hint="Add public_data_triggers(...) to its Meta.triggers, or set "
                    "public_data = False on the model with the reason.",
                    obj=model,
                    id="portal.E002",
                )
            )
    return errors
