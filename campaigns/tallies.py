"""The campaigns' maintained figures ("tallies"): what the public pages read instead of counting
millions of gifts at each render (issue 15: a render must not grow with the data).

- ``MoneyTally``: money and gifts per campaign, body, state, form, channel, giver (a member or
  not) and day: every money figure of a campaign page and the list, and the daily chart, add up
  a few hundred of these rows instead of every gift.
- ``DonorTally``: per campaign and member, their received gifts (direct ones apart), those not
  anonymous and the money of those: member donors, participants and the names a page may show.
- ``GoodsTally``: received goods per campaign, item, unit and channel.

How they are kept: statement-level triggers on donations and goods lines (declared with the
models, ``donation_triggers`` and ``goods_line_triggers``) write the statement's changes as signed
deltas (old rows counted −1, new rows +1) into unlogged delta tables, which no other transaction
sees. The first delta of a transaction inserts a ``TallyCommit`` note whose deferred trigger
applies the transaction's deltas to the tallies as it commits, in key order, and deletes them: a
tally row is locked for the instant of a commit, never while an import is still writing, so a
clerk's gift never waits for an import (the same scheme as the public data versions,
portal/triggers.py). A rolled-back transaction leaves no trace.

``manage.py check_tallies`` recounts every tally from the rows and says where they differ
(``--repair`` writes the recount); tests/test_tallies.py checks them after every kind of write.
"""

import pgtrigger
from django.db import connection, transaction

RECEIVED = "state = 'received'"
DIRECT = "channel = 'direct'"

# One statement's rows with their sign: {rows} are old rows (−1), new rows (+1) or both.
SIGNED = {
    "new": "(SELECT new_rows.*, 1 AS sign FROM new_rows) AS written",
    "old": "(SELECT old_rows.*, -1 AS sign FROM old_rows) AS written",
    "both": "(SELECT old_rows.*, -1 AS sign FROM old_rows "
    "UNION ALL SELECT new_rows.*, 1 AS sign FROM new_rows) AS written",
}


def _donation_deltas(rows: str) -> str:
    return f"""
    INSERT INTO campaigns_money_delta
        (campaign_id, recipient_id, state, form, channel, from_member, day, amount, gifts)
    SELECT campaign_id, recipient_id, state, form, channel, member_id IS NOT NULL, date,
           sum(sign * coalesce(amount, 0)), sum(sign)
    FROM {rows}
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    INSERT INTO campaigns_donor_delta
        (campaign_id, member_id, direct_received, received, named, named_money)
    SELECT campaign_id, member_id,
           coalesce(sum(sign) FILTER (WHERE {RECEIVED} AND {DIRECT}), 0),
           coalesce(sum(sign) FILTER (WHERE {RECEIVED}), 0),
           coalesce(sum(sign) FILTER (WHERE {RECEIVED} AND NOT anonymous), 0),
           coalesce(sum(sign * amount) FILTER (
               WHERE {RECEIVED} AND NOT anonymous AND form = 'money' AND {DIRECT}
           ), 0)
    FROM {rows}
    WHERE member_id IS NOT NULL
    GROUP BY 1, 2;
    -- A gift's goods lines count under the gift's campaign, state and channel.
    INSERT INTO campaigns_goods_delta (campaign_id, item, unit, channel, quantity, value)
    SELECT written.campaign_id, line.item, line.unit, written.channel,
           sum(written.sign * line.quantity), sum(written.sign * line.estimated_value)
    FROM {rows} JOIN campaigns_goodsline AS line ON line.donation_id = written.id
    WHERE written.{RECEIVED} AND written.form = 'goods'
    GROUP BY 1, 2, 3, 4;
    PERFORM campaigns_note_tallies();
    RETURN NULL;
    """


def _goods_line_deltas(rows: str) -> str:
    return f"""
    INSERT INTO campaigns_goods_delta (campaign_id, item, unit, channel, quantity, value)
    SELECT gift.campaign_id, written.item, written.unit, gift.channel,
           sum(written.sign * written.quantity), sum(written.sign * written.estimated_value)
    FROM {rows} JOIN campaigns_donation AS gift ON gift.id = written.donation_id
    WHERE gift.{RECEIVED} AND gift.form = 'goods'
    GROUP BY 1, 2, 3, 4;
    PERFORM campaigns_note_tallies();
    RETURN NULL;
    """


def _statement_triggers(prefix: str, deltas) -> list[pgtrigger.Trigger]:
    common = {"level": pgtrigger.Statement, "when": pgtrigger.After}
    return [
        pgtrigger.Trigger(
            name=f"{prefix}_insert",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=deltas(SIGNED["new"]),
            **common,
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_update",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=deltas(SIGNED["both"]),
            **common,
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_delete",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=deltas(SIGNED["old"]),
            **common,
        ),
    ]


def donation_triggers() -> list[pgtrigger.Trigger]:
    return _statement_triggers("tallies", _donation_deltas)


def goods_line_triggers() -> list[pgtrigger.Trigger]:
    return _statement_triggers("tallies", _goods_line_deltas)


APPLY_AT_COMMIT = pgtrigger.Trigger(
    name="apply_at_commit",
    level=pgtrigger.Row,
    when=pgtrigger.After,
    operation=pgtrigger.Insert,
    timing=pgtrigger.Deferred,
    func="""
    PERFORM campaigns_apply_tallies();
    DELETE FROM campaigns_tallycommit WHERE id = NEW.id;
    RETURN NULL;
    """,
)

# SQL of the campaigns' migration: the delta tables and the functions the triggers call.
SQL = """
CREATE UNLOGGED TABLE campaigns_money_delta (
    campaign_id bigint, recipient_id bigint, state varchar(10), form varchar(10),
    channel varchar(20), from_member boolean, day date, amount numeric(14, 2), gifts integer
);
CREATE UNLOGGED TABLE campaigns_donor_delta (
    campaign_id bigint, member_id bigint, direct_received integer, received integer,
    named integer, named_money numeric(14, 2)
);
CREATE UNLOGGED TABLE campaigns_goods_delta (
    campaign_id bigint, item varchar(100), unit varchar(20), channel varchar(20),
    quantity numeric(14, 2), value numeric(14, 2)
);
ALTER TABLE campaigns_tallycommit SET UNLOGGED;

CREATE OR REPLACE FUNCTION campaigns_note_tallies() RETURNS void AS $$
BEGIN
    -- Once per transaction (the setting rolls back with it): its deltas apply as it commits.
    IF coalesce(current_setting('campaigns.tallies_noted', true), '') = '' THEN
        PERFORM set_config('campaigns.tallies_noted', 'yes', true);
        INSERT INTO campaigns_tallycommit DEFAULT VALUES;
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION campaigns_apply_tallies() RETURNS void AS $$
BEGIN
    -- In key order, so that two committing transactions lock shared rows in the same order.
    INSERT INTO campaigns_moneytally AS tally
        (campaign_id, recipient_id, state, form, channel, from_member, day, amount, gifts)
    SELECT campaign_id, recipient_id, state, form, channel, from_member, day,
           sum(amount), sum(gifts)
    FROM campaigns_money_delta
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (campaign_id, recipient_id, state, form, channel, from_member, day) DO UPDATE
        SET amount = tally.amount + excluded.amount, gifts = tally.gifts + excluded.gifts;
    INSERT INTO campaigns_donortally AS tally
        (campaign_id, member_id, direct_received, received, named, named_money)
    SELECT campaign_id, member_id, sum(direct_received), sum(received), sum(named),
           sum(named_money)
    FROM campaigns_donor_delta
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (campaign_id, member_id) DO UPDATE
        SET direct_received = tally.direct_received + excluded.direct_received,
            received = tally.received + excluded.received,
            named = tally.named + excluded.named,
            named_money = tally.named_money + excluded.named_money;
    INSERT INTO campaigns_goodstally AS tally
        (campaign_id, item, unit, channel, quantity, value)
    SELECT campaign_id, item, unit, channel, sum(quantity), sum(value)
    FROM campaigns_goods_delta
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, item, unit, channel) DO UPDATE
        SET quantity = tally.quantity + excluded.quantity, value = tally.value + excluded.value;
    -- Only this transaction's deltas are visible to it: the others' wait for their commits.
    DELETE FROM campaigns_money_delta;
    DELETE FROM campaigns_donor_delta;
    DELETE FROM campaigns_goods_delta;
    PERFORM set_config('campaigns.tallies_noted', '', true);
END
$$ LANGUAGE plpgsql;
"""
DROP_SQL = """
DROP FUNCTION IF EXISTS campaigns_apply_tallies();
DROP FUNCTION IF EXISTS campaigns_note_tallies();
DROP TABLE IF EXISTS campaigns_money_delta, campaigns_donor_delta, campaigns_goods_delta;
"""

# The recount each tally must equal (manage.py check_tallies, tests/test_tallies.py).
RECOUNT = {
    "campaigns_moneytally": (
        ("campaign_id", "recipient_id", "state", "form", "channel", "from_member", "day"),
        ("amount", "gifts"),
        """
        SELECT campaign_id, recipient_id, state, form, channel, member_id IS NOT NULL, date,
               sum(coalesce(amount, 0)), count(*)
        FROM campaigns_donation GROUP BY 1, 2, 3, 4, 5, 6, 7
        """,
    ),
    "campaigns_donortally": (
        ("campaign_id", "member_id"),
        ("direct_received", "received", "named", "named_money"),
        f"""
        SELECT campaign_id, member_id,
               count(*) FILTER (WHERE {RECEIVED} AND {DIRECT}),
               count(*) FILTER (WHERE {RECEIVED}),
               count(*) FILTER (WHERE {RECEIVED} AND NOT anonymous),
               coalesce(sum(amount) FILTER (
                   WHERE {RECEIVED} AND NOT anonymous AND form = 'money' AND {DIRECT}
               ), 0)
        FROM campaigns_donation WHERE member_id IS NOT NULL GROUP BY 1, 2
        """,
    ),
    "campaigns_goodstally": (
        ("campaign_id", "item", "unit", "channel"),
        ("quantity", "value"),
        f"""
        SELECT gift.campaign_id, line.item, line.unit, gift.channel,
               sum(line.quantity), sum(line.estimated_value)
        FROM campaigns_goodsline AS line
        JOIN campaigns_donation AS gift ON gift.id = line.donation_id
        WHERE gift.{RECEIVED} AND gift.form = 'goods'
        GROUP BY 1, 2, 3, 4
        """,
    ),
}


def differences(tables=tuple(RECOUNT)) -> dict[str, list[tuple]]:
    """{tally table: [(key, kept, recounted)]} for every key where a tally differs from a recount
    of the rows (a tally row of zeros counts as none)."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            keys, values, recount = RECOUNT[table]
            cursor.execute(f"SELECT {', '.join(keys + values)} FROM {table}")
            kept = _by_key(cursor.fetchall(), len(keys))
            cursor.execute(recount)
            counted = _by_key(cursor.fetchall(), len(keys))
            found[table] = sorted(
                (key, kept.get(key), counted.get(key))
                for key in kept.keys() | counted.keys()
                if kept.get(key) != counted.get(key)
            )
    return {table: rows for table, rows in found.items() if rows}


def _by_key(rows, width: int) -> dict:
    return {
        tuple(row[:width]): tuple(row[width:])
        for row in rows
        if any(value for value in row[width:])
    }


def repair(tables=tuple(RECOUNT)) -> None:
    """Write every tally again from a recount of the rows (in one transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            keys, values, recount = RECOUNT[table]
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"INSERT INTO {table} ({', '.join(keys + values)}) {recount}")
