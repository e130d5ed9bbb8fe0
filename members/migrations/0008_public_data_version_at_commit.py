"""The public data version moves when a transaction commits, not while it writes (issue 13,
item 8).

It was moved by each statement that wrote a public table, which locked its one row until the
writing transaction ended: every other write in the portal then waited for that transaction (an
import of thousands of rows), and two such transactions could deadlock. Now a statement only
notes, once per transaction, that the version must move (a row in an unlogged table, which no
other transaction waits for); a deferred trigger on that row moves the version as the transaction
commits, holding its lock for the instant of the commit. A rolled-back transaction moves nothing.
"""

from django.db import migrations

FORWARD = """
CREATE UNLOGGED TABLE members_publicdatapending (id bigserial PRIMARY KEY);

CREATE OR REPLACE FUNCTION public_data_bump() RETURNS trigger AS $$
BEGIN
    UPDATE members_publicdataversion SET changed_at = clock_timestamp() WHERE id = 1;
    DELETE FROM members_publicdatapending WHERE id = NEW.id;
    PERFORM set_config('portal.public_data_pending', '', true);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER members_publicdatapending_bump
    AFTER INSERT ON members_publicdatapending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_data_bump();

CREATE OR REPLACE FUNCTION public_data_touch() RETURNS trigger AS $$
BEGIN
    -- Once per transaction (the setting is the transaction's own and rolls back with it).
    IF coalesce(current_setting('portal.public_data_pending', true), '') = '' THEN
        PERFORM set_config('portal.public_data_pending', 'yes', true);
        INSERT INTO members_publicdatapending DEFAULT VALUES;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION public_data_touch() RETURNS trigger AS $$
BEGIN
    UPDATE members_publicdataversion SET changed_at = clock_timestamp() WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TABLE members_publicdatapending;
DROP FUNCTION public_data_bump();
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0007_member_login_never_staff")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
