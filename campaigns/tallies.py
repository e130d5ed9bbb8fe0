"""The campaigns' maintained figures ("tallies"): what the public pages read instead of counting
millions of gifts at each render (issue 15: a render must not grow with the data).

- ``MoneyTally``: money and gifts per campaign, body, state, form, channel, giver (a member or
  not) and day: every money figure of a campaign page and the list, and the daily chart, add up
  a few hundred of these rows instead of every gift.
- ``DonorTally``: per campaign and member, their received gifts (direct ones apart), those not
  anonymous and the money of those: member donors, participants and the names a page may show.
- ``GoodsTally``: received goods per campaign, item, unit and channel.
- ``BloodDonorTally`` and ``BloodStep``: per campaign and member, their donations, volume and
  when they first gave (``BloodDonation.recorded``, a sequence number given as a record becomes
  a donation in its campaign); per campaign, the public step (campaigns/progress.py: the volume
  and names move only in steps of five new donors): how many donors it counts, up to which
  record, and the volume and donations it counts.
- ``VolunteerTally`` and ``PostingTally``: per campaign and member, their assignments, days,
  hours and places; per posting, the members posted there.

The donor, blood and volunteer tallies also keep the member's name key and whether they may be
listed (active and consenting), so that a page lists the names it may show from one index.
- ``MemberRoll``: per member, whether the honour roll counts them among the donors, blood donors
  and volunteers of the public campaigns (recounted at commit for the members written, the
  members of a campaign published or withdrawn, and the donors a blood step moved).
- ``CampaignTally`` and ``RollTally``: how many rows of those count, per campaign (member donors,
  participants, the names a page may show, volunteers and their work) and per kind of the whole
  roll, so that no page counts a row per member. A row's old flags are known exactly: a donor's
  row moves by its delta (what it was is what it is less the delta); the volunteer and roll rows,
  which are recounted, are made if new, locked, and counted out before and in after.

How they are kept: statement-level triggers (declared with the models) write what a statement
changed into unlogged delta tables, which no other transaction sees: for money, donors and goods,
signed deltas (old rows counted −1, new rows +1); for blood donors, volunteers and members, the
keys to recount. The first delta of a transaction inserts a ``TallyCommit`` note whose
deferred trigger applies the transaction's deltas to the tallies as it commits, in key order,
and deletes them: a tally row is locked for the instant of a commit, never while an import is
still writing, so a clerk's gift never waits for an import (the same scheme as the public data
versions, portal/triggers.py). A rolled-back transaction leaves no trace.
The counts apply last, in key order, and only where they moved: every committing transaction
locks them after everything else, so none waits on them while holding a row another wants.

``manage.py check_tallies`` recounts every tally from the rows and says where they differ
(``--repair`` writes the recount); tests/test_tallies.py checks them after every kind of write.
"""

import pgtrigger

from portal.tallies import (
    Recount,
    apply_at_commit,
    note_function_sql,
    register,
    statement_triggers,
)

RECEIVED = "state = 'received'"
LISTABLE = "member.status = 'active' AND member.listing_consent"
PUBLIC = "campaign.is_public AND campaign.status <> 'draft'"
DIRECT = "channel = 'direct'"


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


def donation_triggers() -> list[pgtrigger.Trigger]:
    return statement_triggers("tallies", _donation_deltas)


def goods_line_triggers() -> list[pgtrigger.Trigger]:
    return statement_triggers("tallies", _goods_line_deltas)


def _keys_deltas(insert: str):
    """A trigger body noting the keys a statement's rows ({rows}) touched."""

    def body(rows: str) -> str:
        return f"{insert.format(rows=rows)}; PERFORM campaigns_note_tallies(); RETURN NULL;"

    return body


def blood_donation_triggers() -> list[pgtrigger.Trigger]:
    recorded = pgtrigger.Trigger(
        name="recorded",
        level=pgtrigger.Row,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        # A record's place among the donations: given as it becomes a donation in its campaign
        # (so a donation entered late, or a pledge that became one, comes after every donation
        # a visitor could see already), kept while it stays one.
        func="""
        IF NEW.state <> 'donated' THEN
            NEW.recorded := NULL;
        ELSIF TG_OP = 'INSERT' OR OLD.state <> 'donated' OR OLD.campaign_id <> NEW.campaign_id
              OR OLD.recorded IS NULL THEN
            NEW.recorded := nextval('campaigns_blood_recorded');
        ELSE
            NEW.recorded := OLD.recorded;
        END IF;
        RETURN NEW;
        """,
    )
    return [
        recorded,
        *statement_triggers(
            "tallies",
            _keys_deltas(
                "INSERT INTO campaigns_blood_affected SELECT campaign_id, member_id FROM {rows}"
            ),
        ),
    ]


def assignment_triggers() -> list[pgtrigger.Trigger]:
    return statement_triggers(
        "tallies",
        _keys_deltas(
            "INSERT INTO campaigns_volunteer_affected "
            "SELECT posting.campaign_id, written.member_id, written.posting_id FROM {rows} "
            "JOIN campaigns_posting AS posting ON posting.id = written.posting_id"
        ),
    )


def posting_triggers() -> list[pgtrigger.Trigger]:
    # A posting moved to another campaign, or renamed, changes its volunteers' tallies.
    return statement_triggers(
        "tallies",
        _keys_deltas(
            "INSERT INTO campaigns_volunteer_affected "
            "SELECT written.campaign_id, work.member_id, written.id FROM {rows} "
            "JOIN campaigns_assignment AS work ON work.posting_id = written.id"
        ),
    )


def campaign_triggers() -> list[pgtrigger.Trigger]:
    # A campaign published, withdrawn or back to draft moves its members on or off the roll.
    members = """
        INSERT INTO campaigns_roll_affected
        SELECT tally.member_id FROM campaigns_donortally AS tally WHERE tally.campaign_id IN ({ids})
        UNION SELECT tally.member_id FROM campaigns_blooddonortally AS tally
        WHERE tally.campaign_id IN ({ids})
        UNION SELECT tally.member_id FROM campaigns_volunteertally AS tally
        WHERE tally.campaign_id IN ({ids});
        PERFORM campaigns_note_tallies();
        RETURN NULL;
    """
    changed = (
        "SELECT new_rows.id FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id "
        "WHERE (old_rows.is_public, old_rows.status) IS DISTINCT FROM "
        "(new_rows.is_public, new_rows.status)"
    )
    return [
        pgtrigger.Trigger(
            name="tallies_publicity",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=members.format(ids=changed),
        )
    ]


def member_triggers() -> list[pgtrigger.Trigger]:
    return statement_triggers(
        "tallies",
        _keys_deltas("INSERT INTO campaigns_member_affected SELECT id FROM {rows}"),
    )


def _counted_out(name: str, insert: str) -> list[pgtrigger.Trigger]:
    """A tally's rows deleted (by the cascade of a member's or a campaign's deletion, as Django
    deletes them): counted out of the counts they were in. Applied at commit like the rest;
    ``repair`` truncates instead, which fires no delete trigger."""
    return [
        pgtrigger.Trigger(
            name=name,
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=f"{insert}; PERFORM campaigns_note_tallies(); RETURN NULL;",
        )
    ]


def donor_tally_triggers() -> list[pgtrigger.Trigger]:
    return _counted_out(
        "counted_out",
        """
        INSERT INTO campaigns_count_delta (campaign_id, member_donors, donors, named_donors)
        SELECT campaign_id, -count(*) FILTER (WHERE direct_received > 0),
               -count(*) FILTER (WHERE received > 0),
               -count(*) FILTER (WHERE named > 0 AND listable)
        FROM old_rows GROUP BY 1
        """,
    )


def volunteer_tally_triggers() -> list[pgtrigger.Trigger]:
    return _counted_out(
        "counted_out",
        """
        INSERT INTO campaigns_count_delta
            (campaign_id, volunteers, assignments, days, hours, confirmed_hours,
             named_volunteers)
        SELECT campaign_id, -count(*) FILTER (WHERE assignments > 0), -sum(assignments),
               -sum(days), -sum(hours), -sum(confirmed_hours),
               -count(*) FILTER (WHERE assignments > 0 AND listable)
        FROM old_rows GROUP BY 1
        """,
    )


def member_roll_triggers() -> list[pgtrigger.Trigger]:
    return _counted_out(
        "counted_out",
        """
        INSERT INTO campaigns_roll_delta
        SELECT flag.kind, -count(*)
        FROM old_rows,
        LATERAL (VALUES ('donor', old_rows.donor), ('blood_donor', old_rows.blood_donor),
                        ('volunteer', old_rows.volunteer)) AS flag(kind, on_roll)
        WHERE flag.on_roll AND old_rows.listable
        GROUP BY 1
        """,
    )


APPLY_AT_COMMIT = apply_at_commit("campaigns_apply_tallies", "campaigns_tallycommit")

# SQL of the campaigns' migration: the delta tables and the functions the triggers call.
SQL = (
    """
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
CREATE UNLOGGED TABLE campaigns_blood_affected (campaign_id bigint, member_id bigint);
CREATE UNLOGGED TABLE campaigns_volunteer_affected (
    campaign_id bigint, member_id bigint, posting_id bigint
);
CREATE UNLOGGED TABLE campaigns_member_affected (member_id bigint);
CREATE UNLOGGED TABLE campaigns_roll_affected (member_id bigint);
CREATE UNLOGGED TABLE campaigns_step_before (campaign_id bigint, cutoff bigint);
CREATE UNLOGGED TABLE campaigns_count_delta (
    campaign_id bigint, member_donors integer DEFAULT 0, donors integer DEFAULT 0,
    named_donors integer DEFAULT 0, volunteers integer DEFAULT 0, assignments integer DEFAULT 0,
    days integer DEFAULT 0, hours numeric(14, 1) DEFAULT 0,
    confirmed_hours numeric(14, 1) DEFAULT 0, named_volunteers integer DEFAULT 0
);
CREATE UNLOGGED TABLE campaigns_roll_delta (kind varchar(20), listed integer);
ALTER TABLE campaigns_tallycommit SET UNLOGGED;
CREATE SEQUENCE campaigns_blood_recorded;
"""
    + note_function_sql(
        "campaigns_note_tallies", "campaigns.tallies_noted", "campaigns_tallycommit"
    )
    + """
CREATE OR REPLACE FUNCTION campaigns_apply_tallies() RETURNS void AS $$
BEGIN
    -- The members whose records this commit counts, locked against a change of theirs: a
    -- member's consent, status or name, changed in a transaction still open, is waited for and
    -- then read as it is; else the rows this commit adds would list them as they were, after
    -- that change refreshed their rows (campaigns_refresh_members) without seeing these.
    PERFORM 1 FROM members_member
    WHERE id IN (
        SELECT member_id FROM campaigns_donor_delta
        UNION SELECT member_id FROM campaigns_blood_affected
        UNION SELECT member_id FROM campaigns_volunteer_affected
    )
    ORDER BY id FOR SHARE;
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
    -- A donor's row moves by its delta, so what it was is what it is less the delta: how the
    -- campaign's counts of donors move (a first gift counts its donor in, a last one out).
    WITH delta AS (
        SELECT delta.campaign_id, delta.member_id, sum(direct_received) AS direct_received,
               sum(received) AS received, sum(named) AS named,
               sum(named_money) AS named_money,
               bool_and(member.status = 'active' AND member.listing_consent) AS listable,
               min(member.name_pinyin) AS name_pinyin
        FROM campaigns_donor_delta AS delta
        JOIN members_member AS member ON member.id = delta.member_id
        GROUP BY 1, 2
    ), written AS (
        INSERT INTO campaigns_donortally AS tally
            (campaign_id, member_id, direct_received, received, named, named_money, listable,
             name_pinyin)
        SELECT * FROM delta
        ORDER BY 1, 2
        ON CONFLICT (campaign_id, member_id) DO UPDATE
            SET direct_received = tally.direct_received + excluded.direct_received,
                received = tally.received + excluded.received,
                named = tally.named + excluded.named,
                named_money = tally.named_money + excluded.named_money
        RETURNING tally.campaign_id, tally.member_id, tally.direct_received, tally.received,
                  tally.named, tally.listable
    )
    INSERT INTO campaigns_count_delta (campaign_id, member_donors, donors, named_donors)
    SELECT written.campaign_id,
           sum((written.direct_received > 0)::int
               - (written.direct_received - delta.direct_received > 0)::int),
           sum((written.received > 0)::int - (written.received - delta.received > 0)::int),
           sum((written.named > 0 AND written.listable)::int
               - (written.named - delta.named > 0 AND written.listable)::int)
    FROM written JOIN delta USING (campaign_id, member_id)
    GROUP BY 1;
    INSERT INTO campaigns_goodstally AS tally
        (campaign_id, item, unit, channel, quantity, value)
    SELECT campaign_id, item, unit, channel, sum(quantity), sum(value)
    FROM campaigns_goods_delta
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, item, unit, channel) DO UPDATE
        SET quantity = tally.quantity + excluded.quantity, value = tally.value + excluded.value;
    -- Blood donors: the pairs written, recounted (a pair with no donation left keeps a row of
    -- zeros, so that nothing is deleted here).
    INSERT INTO campaigns_blooddonortally AS tally
        (campaign_id, member_id, donations, ml, first_recorded, listable, name_pinyin)
    SELECT pair.campaign_id, pair.member_id, count(gift.id), coalesce(sum(gift.volume_ml), 0),
           min(gift.recorded), bool_and(member.status = 'active' AND member.listing_consent),
           min(member.name_pinyin)
    FROM (SELECT DISTINCT campaign_id, member_id FROM campaigns_blood_affected) AS pair
    JOIN members_member AS member ON member.id = pair.member_id
    LEFT JOIN campaigns_blooddonation AS gift
        ON gift.campaign_id = pair.campaign_id AND gift.member_id = pair.member_id
        AND gift.state = 'donated'
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (campaign_id, member_id) DO UPDATE
        SET donations = excluded.donations, ml = excluded.ml,
            first_recorded = excluded.first_recorded, listable = excluded.listable,
            name_pinyin = excluded.name_pinyin;
    -- The steps as they were, to find the donors a moved step counts or no longer counts.
    INSERT INTO campaigns_step_before
    SELECT campaign_id, cutoff FROM campaigns_bloodstep
    WHERE campaign_id IN (SELECT campaign_id FROM campaigns_blood_affected);
    -- The public step of each blood drive written: five new donors at a time (progress.py).
    INSERT INTO campaigns_bloodstep AS step
        (campaign_id, donors, donations, pledged, counted_donors, cutoff, counted_donations,
         counted_ml)
    SELECT drive.campaign_id, drive.donors, drive.donations,
           (SELECT count(*) FROM campaigns_blooddonation
            WHERE campaign_id = drive.campaign_id AND state = 'pledged'),
           drive.counted, coalesce(cut.cutoff, 0), coalesce(counted.donations, 0),
           coalesce(counted.ml, 0)
    FROM (
        SELECT campaign_id, count(*) AS donors, sum(donations) AS donations,
               (count(*) / 5) * 5 AS counted
        FROM campaigns_blooddonortally
        WHERE donations > 0
          AND campaign_id IN (SELECT campaign_id FROM campaigns_blood_affected)
        GROUP BY 1
        UNION ALL
        SELECT DISTINCT campaign_id, 0, 0, 0 FROM campaigns_blood_affected AS gone
        WHERE NOT EXISTS (
            SELECT 1 FROM campaigns_blooddonortally AS kept
            WHERE kept.campaign_id = gone.campaign_id AND kept.donations > 0
        )
    ) AS drive
    LEFT JOIN LATERAL (
        SELECT first_recorded AS cutoff FROM campaigns_blooddonortally
        WHERE campaign_id = drive.campaign_id AND donations > 0
        ORDER BY first_recorded
        OFFSET greatest(drive.counted - 1, 0) LIMIT 1
    ) AS cut ON drive.counted > 0
    LEFT JOIN LATERAL (
        SELECT count(*) AS donations, sum(volume_ml) AS ml FROM campaigns_blooddonation
        WHERE campaign_id = drive.campaign_id AND state = 'donated' AND recorded <= cut.cutoff
    ) AS counted ON drive.counted > 0
    ORDER BY 1
    ON CONFLICT (campaign_id) DO UPDATE
        SET donors = excluded.donors, donations = excluded.donations,
            pledged = excluded.pledged, counted_donors = excluded.counted_donors,
            cutoff = excluded.cutoff, counted_donations = excluded.counted_donations,
            counted_ml = excluded.counted_ml;
    -- Volunteers: the pairs written, recounted; and the postings written, their members.
    -- Each pair's row is made if new (so that a pair another transaction is adding is waited
    -- for here), then locked and counted out of its campaign as it was, then in as recounted.
    INSERT INTO campaigns_volunteertally
        (campaign_id, member_id, assignments, days, hours, confirmed_hours, places, listable,
         name_pinyin)
    SELECT DISTINCT pair.campaign_id, pair.member_id, 0, 0, 0, 0, '', false, ''
    FROM campaigns_volunteer_affected AS pair
    JOIN members_member AS member ON member.id = pair.member_id
    ORDER BY 1, 2
    ON CONFLICT (campaign_id, member_id) DO NOTHING;
    INSERT INTO campaigns_count_delta
        (campaign_id, volunteers, assignments, days, hours, confirmed_hours, named_volunteers)
    SELECT campaign_id, -(assignments > 0)::int, -assignments, -days, -hours, -confirmed_hours,
           -(assignments > 0 AND listable)::int
    FROM (
        SELECT * FROM campaigns_volunteertally
        WHERE (campaign_id, member_id) IN (
            SELECT campaign_id, member_id FROM campaigns_volunteer_affected
        )
        ORDER BY campaign_id, member_id FOR UPDATE
    ) AS was;
    WITH written AS (
    INSERT INTO campaigns_volunteertally AS tally
        (campaign_id, member_id, assignments, days, hours, confirmed_hours, places, listable,
         name_pinyin)
    SELECT pair.campaign_id, pair.member_id, count(work.id), coalesce(sum(work.days_served), 0),
           coalesce(sum(work.hours_logged), 0),
           coalesce(sum(work.hours_logged) FILTER (WHERE work.confirmed), 0),
           coalesce(string_agg(DISTINCT posting.place, '、' ORDER BY posting.place)
                    FILTER (WHERE work.id IS NOT NULL), ''),
           bool_and(member.status = 'active' AND member.listing_consent),
           min(member.name_pinyin)
    FROM (SELECT DISTINCT campaign_id, member_id FROM campaigns_volunteer_affected) AS pair
    JOIN members_member AS member ON member.id = pair.member_id
    -- From the member's own assignments (a few), not from every posting of the campaign.
    LEFT JOIN (
        campaigns_assignment AS work
        JOIN campaigns_posting AS posting ON posting.id = work.posting_id
    ) ON work.member_id = pair.member_id AND posting.campaign_id = pair.campaign_id
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (campaign_id, member_id) DO UPDATE
        SET assignments = excluded.assignments, days = excluded.days, hours = excluded.hours,
            confirmed_hours = excluded.confirmed_hours, places = excluded.places,
            listable = excluded.listable, name_pinyin = excluded.name_pinyin
    RETURNING tally.*
    )
    INSERT INTO campaigns_count_delta
        (campaign_id, volunteers, assignments, days, hours, confirmed_hours, named_volunteers)
    SELECT campaign_id, (assignments > 0)::int, assignments, days, hours, confirmed_hours,
           (assignments > 0 AND listable)::int
    FROM written;
    INSERT INTO campaigns_postingtally AS tally (posting_id, posted)
    SELECT posting.id, count(DISTINCT work.member_id)
    FROM campaigns_posting AS posting
    LEFT JOIN campaigns_assignment AS work ON work.posting_id = posting.id
    WHERE posting.id IN (SELECT posting_id FROM campaigns_volunteer_affected)
    GROUP BY 1
    ORDER BY 1
    ON CONFLICT (posting_id) DO UPDATE SET posted = excluded.posted;
    -- Members written: the name key and whether they may be listed, in every tally of theirs.
    PERFORM campaigns_refresh_members();
    PERFORM campaigns_recount_roll();
    -- Last, so that every transaction locks these rows after all the others, in key order;
    -- a campaign or kind whose counts did not move is not locked at all.
    INSERT INTO campaigns_campaigntally AS tally
        (campaign_id, member_donors, donors, named_donors, volunteers, assignments, days, hours,
         confirmed_hours, named_volunteers)
    SELECT campaign_id, sum(member_donors), sum(donors), sum(named_donors), sum(volunteers),
           sum(assignments), sum(days), sum(hours), sum(confirmed_hours), sum(named_volunteers)
    FROM campaigns_count_delta
    -- A campaign deleted in this transaction has no counts left to keep.
    WHERE campaign_id IN (SELECT id FROM campaigns_campaign)
    GROUP BY 1
    HAVING (sum(member_donors), sum(donors), sum(named_donors), sum(volunteers),
            sum(assignments), sum(days), sum(hours), sum(confirmed_hours),
            sum(named_volunteers)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY 1
    ON CONFLICT (campaign_id) DO UPDATE
        SET member_donors = tally.member_donors + excluded.member_donors,
            donors = tally.donors + excluded.donors,
            named_donors = tally.named_donors + excluded.named_donors,
            volunteers = tally.volunteers + excluded.volunteers,
            assignments = tally.assignments + excluded.assignments,
            days = tally.days + excluded.days,
            hours = tally.hours + excluded.hours,
            confirmed_hours = tally.confirmed_hours + excluded.confirmed_hours,
            named_volunteers = tally.named_volunteers + excluded.named_volunteers;
    INSERT INTO campaigns_rolltally AS tally (kind, listed)
    SELECT kind, sum(listed) FROM campaigns_roll_delta
    GROUP BY 1
    HAVING sum(listed) <> 0
    ORDER BY 1
    ON CONFLICT (kind) DO UPDATE SET listed = tally.listed + excluded.listed;
    -- Only this transaction's deltas are visible to it: the others' wait for their commits.
    DELETE FROM campaigns_money_delta;
    DELETE FROM campaigns_donor_delta;
    DELETE FROM campaigns_goods_delta;
    DELETE FROM campaigns_blood_affected;
    DELETE FROM campaigns_volunteer_affected;
    DELETE FROM campaigns_member_affected;
    DELETE FROM campaigns_roll_affected;
    DELETE FROM campaigns_step_before;
    DELETE FROM campaigns_count_delta;
    DELETE FROM campaigns_roll_delta;
    PERFORM set_config('campaigns.tallies_noted', '', true);
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION campaigns_recount_roll() RETURNS void AS $$
BEGIN
    -- The members whose place on the roll may have changed: written, or counted by a blood step
    -- that moved (between its old and its new cutoff).
    INSERT INTO campaigns_roll_affected
    SELECT member_id FROM campaigns_donor_delta
    UNION SELECT member_id FROM campaigns_blood_affected
    UNION SELECT member_id FROM campaigns_volunteer_affected
    UNION SELECT member_id FROM campaigns_member_affected
    UNION SELECT donor.member_id
    FROM campaigns_bloodstep AS step
    LEFT JOIN campaigns_step_before AS before ON before.campaign_id = step.campaign_id
    JOIN campaigns_blooddonortally AS donor ON donor.campaign_id = step.campaign_id
    WHERE step.campaign_id IN (SELECT campaign_id FROM campaigns_blood_affected)
      AND donor.first_recorded > least(step.cutoff, coalesce(before.cutoff, 0))
      AND donor.first_recorded <= greatest(step.cutoff, coalesce(before.cutoff, 0));
    IF NOT EXISTS (SELECT 1 FROM campaigns_roll_affected) THEN
        RETURN;
    END IF;
    -- As for volunteers: each member's row made if new, locked, counted out as it was and in
    -- as recounted, for the roll's counts per kind.
    INSERT INTO campaigns_memberroll
        (member_id, donor, blood_donor, volunteer, listable, name_pinyin)
    SELECT member.id, false, false, false, false, ''
    FROM members_member AS member
    WHERE member.id IN (SELECT member_id FROM campaigns_roll_affected)
    ORDER BY member.id
    ON CONFLICT (member_id) DO NOTHING;
    INSERT INTO campaigns_roll_delta
    SELECT flag.kind, -1
    FROM (
        SELECT * FROM campaigns_memberroll
        WHERE member_id IN (SELECT member_id FROM campaigns_roll_affected)
        ORDER BY member_id FOR UPDATE
    ) AS was,
    LATERAL (VALUES ('donor', was.donor), ('blood_donor', was.blood_donor),
                    ('volunteer', was.volunteer)) AS flag(kind, on_roll)
    WHERE flag.on_roll AND was.listable;
    WITH written AS (
    INSERT INTO campaigns_memberroll AS roll
        (member_id, donor, blood_donor, volunteer, listable, name_pinyin)
    SELECT member.id,
        EXISTS (
            SELECT 1 FROM campaigns_donortally AS tally
            JOIN campaigns_campaign AS campaign ON campaign.id = tally.campaign_id
            WHERE tally.member_id = member.id AND tally.named > 0
              AND campaign.is_public AND campaign.status <> 'draft'
        ),
        EXISTS (
            SELECT 1 FROM campaigns_blooddonortally AS tally
            JOIN campaigns_bloodstep AS step ON step.campaign_id = tally.campaign_id
            JOIN campaigns_campaign AS campaign ON campaign.id = tally.campaign_id
            WHERE tally.member_id = member.id AND tally.donations > 0
              AND step.counted_donors > 0 AND tally.first_recorded <= step.cutoff
              AND campaign.is_public AND campaign.status <> 'draft'
        ),
        EXISTS (
            SELECT 1 FROM campaigns_volunteertally AS tally
            JOIN campaigns_campaign AS campaign ON campaign.id = tally.campaign_id
            WHERE tally.member_id = member.id AND tally.assignments > 0
              AND campaign.is_public AND campaign.status <> 'draft'
        ),
        member.status = 'active' AND member.listing_consent,
        member.name_pinyin
    FROM members_member AS member
    WHERE member.id IN (SELECT member_id FROM campaigns_roll_affected)
    ORDER BY member.id
    ON CONFLICT (member_id) DO UPDATE
        SET donor = excluded.donor, blood_donor = excluded.blood_donor,
            volunteer = excluded.volunteer, listable = excluded.listable,
            name_pinyin = excluded.name_pinyin
    RETURNING roll.*
    )
    INSERT INTO campaigns_roll_delta
    SELECT flag.kind, 1
    FROM written,
    LATERAL (VALUES ('donor', written.donor), ('blood_donor', written.blood_donor),
                    ('volunteer', written.volunteer)) AS flag(kind, on_roll)
    WHERE flag.on_roll AND written.listable;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION campaigns_refresh_members() RETURNS void AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM campaigns_member_affected) THEN
        RETURN;
    END IF;
    -- Rows locked in key order, as the tallies' inserts lock them; the names a campaign may
    -- show counted out as they were and in as they are.
    INSERT INTO campaigns_count_delta (campaign_id, named_donors)
    SELECT campaign_id, -1 FROM (
        SELECT campaign_id, named, listable FROM campaigns_donortally
        WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
        ORDER BY campaign_id, member_id FOR UPDATE
    ) AS was
    WHERE named > 0 AND listable;
    UPDATE campaigns_donortally AS tally
    SET listable = member.status = 'active' AND member.listing_consent,
        name_pinyin = member.name_pinyin
    FROM members_member AS member
    WHERE member.id = tally.member_id AND tally.id IN (
        SELECT id FROM campaigns_donortally
        WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
        ORDER BY campaign_id, member_id FOR UPDATE
    );
    INSERT INTO campaigns_count_delta (campaign_id, named_donors)
    SELECT campaign_id, 1 FROM campaigns_donortally
    WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
      AND named > 0 AND listable;
    UPDATE campaigns_blooddonortally AS tally
    SET listable = member.status = 'active' AND member.listing_consent,
        name_pinyin = member.name_pinyin
    FROM members_member AS member
    WHERE member.id = tally.member_id AND tally.id IN (
        SELECT id FROM campaigns_blooddonortally
        WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
        ORDER BY campaign_id, member_id FOR UPDATE
    );
    INSERT INTO campaigns_count_delta (campaign_id, named_volunteers)
    SELECT campaign_id, -1 FROM (
        SELECT campaign_id, assignments, listable FROM campaigns_volunteertally
        WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
        ORDER BY campaign_id, member_id FOR UPDATE
    ) AS was
    WHERE assignments > 0 AND listable;
    UPDATE campaigns_volunteertally AS tally
    SET listable = member.status = 'active' AND member.listing_consent,
        name_pinyin = member.name_pinyin
    FROM members_member AS member
    WHERE member.id = tally.member_id AND tally.id IN (
        SELECT id FROM campaigns_volunteertally
        WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
        ORDER BY campaign_id, member_id FOR UPDATE
    );
    INSERT INTO campaigns_count_delta (campaign_id, named_volunteers)
    SELECT campaign_id, 1 FROM campaigns_volunteertally
    WHERE member_id IN (SELECT member_id FROM campaigns_member_affected)
      AND assignments > 0 AND listable;
END
$$ LANGUAGE plpgsql;
"""
)
DROP_SQL = """
DROP FUNCTION IF EXISTS campaigns_apply_tallies();
DROP FUNCTION IF EXISTS campaigns_note_tallies();
DROP FUNCTION IF EXISTS campaigns_refresh_members();
DROP FUNCTION IF EXISTS campaigns_recount_roll();
DROP TABLE IF EXISTS campaigns_money_delta, campaigns_donor_delta, campaigns_goods_delta,
    campaigns_blood_affected, campaigns_volunteer_affected, campaigns_member_affected,
    campaigns_roll_affected, campaigns_step_before, campaigns_count_delta, campaigns_roll_delta;
DROP SEQUENCE IF EXISTS campaigns_blood_recorded;
"""

# The recount each tally must equal (portal/tallies.py: manage.py check_tallies, tests/
# test_tallies.py); the first ``presence`` values say whether a row counts.
RECOUNT = {
    "campaigns_moneytally": Recount(
        ("campaign_id", "recipient_id", "state", "form", "channel", "from_member", "day"),
        ("amount", "gifts"),
        """
        SELECT campaign_id, recipient_id, state, form, channel, member_id IS NOT NULL, date,
               sum(coalesce(amount, 0)), count(*)
        FROM campaigns_donation GROUP BY 1, 2, 3, 4, 5, 6, 7
        """,
        presence=2,
    ),
    "campaigns_donortally": Recount(
        ("campaign_id", "member_id"),
        ("direct_received", "received", "named", "named_money", "listable", "name_pinyin"),
        f"""
        SELECT campaign_id, member_id,
               count(*) FILTER (WHERE {RECEIVED} AND {DIRECT}),
               count(*) FILTER (WHERE {RECEIVED}),
               count(*) FILTER (WHERE {RECEIVED} AND NOT anonymous),
               coalesce(sum(amount) FILTER (
                   WHERE {RECEIVED} AND NOT anonymous AND form = 'money' AND {DIRECT}
               ), 0),
               bool_and({LISTABLE}), min(member.name_pinyin)
        FROM campaigns_donation JOIN members_member AS member ON member.id = member_id
        GROUP BY 1, 2
        """,
        presence=4,
    ),
    "campaigns_goodstally": Recount(
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
        presence=2,
    ),
    "campaigns_blooddonortally": Recount(
        ("campaign_id", "member_id"),
        ("donations", "ml", "first_recorded", "listable", "name_pinyin"),
        f"""
        SELECT campaign_id, member_id, count(*), sum(volume_ml), min(recorded),
               bool_and({LISTABLE}), min(member.name_pinyin)
        FROM campaigns_blooddonation JOIN members_member AS member ON member.id = member_id
        WHERE state = 'donated'
        GROUP BY 1, 2
        """,
        presence=3,
    ),
    "campaigns_bloodstep": Recount(
        ("campaign_id",),
        (
            "donors",
            "donations",
            "pledged",
            "counted_donors",
            "cutoff",
            "counted_donations",
            "counted_ml",
        ),
        """
        WITH donors AS (
            SELECT campaign_id, member_id, min(recorded) AS first_recorded
            FROM campaigns_blooddonation WHERE state = 'donated' GROUP BY 1, 2
        ), ranked AS (
            SELECT campaign_id, first_recorded,
                   row_number() OVER (PARTITION BY campaign_id ORDER BY first_recorded) AS n,
                   count(*) OVER (PARTITION BY campaign_id) AS total
            FROM donors
        ), steps AS (
            SELECT campaign_id, max(total) AS donors, (max(total) / 5) * 5 AS counted,
                   coalesce(max(first_recorded) FILTER (WHERE n = (total / 5) * 5), 0) AS cutoff
            FROM ranked GROUP BY 1
        ), drives AS (SELECT DISTINCT campaign_id FROM campaigns_blooddonation)
        SELECT drive.campaign_id, coalesce(step.donors, 0),
               count(gift.id) FILTER (WHERE gift.state = 'donated'),
               count(gift.id) FILTER (WHERE gift.state = 'pledged'),
               coalesce(step.counted, 0), coalesce(step.cutoff, 0),
               count(gift.id) FILTER (
                   WHERE gift.state = 'donated' AND gift.recorded <= step.cutoff
               ),
               coalesce(sum(gift.volume_ml) FILTER (
                   WHERE gift.state = 'donated' AND gift.recorded <= step.cutoff
               ), 0)
        FROM drives AS drive
        LEFT JOIN steps AS step ON step.campaign_id = drive.campaign_id
        JOIN campaigns_blooddonation AS gift ON gift.campaign_id = drive.campaign_id
        GROUP BY drive.campaign_id, step.donors, step.counted, step.cutoff
        """,
        presence=7,
    ),
    "campaigns_volunteertally": Recount(
        ("campaign_id", "member_id"),
        ("assignments", "days", "hours", "confirmed_hours", "places", "listable", "name_pinyin"),
        f"""
        SELECT posting.campaign_id, work.member_id, count(*), sum(work.days_served),
               sum(work.hours_logged), coalesce(sum(work.hours_logged) FILTER (
                   WHERE work.confirmed), 0),
               string_agg(DISTINCT posting.place, '、' ORDER BY posting.place),
               bool_and({LISTABLE}), min(member.name_pinyin)
        FROM campaigns_assignment AS work
        JOIN campaigns_posting AS posting ON posting.id = work.posting_id
        JOIN members_member AS member ON member.id = work.member_id
        GROUP BY 1, 2
        """,
        presence=4,
    ),
    "campaigns_memberroll": Recount(
        ("member_id",),
        ("donor", "blood_donor", "volunteer", "listable", "name_pinyin"),
        f"""
        SELECT member.id,
            EXISTS (
                SELECT 1 FROM campaigns_donation AS gift
                JOIN campaigns_campaign AS campaign ON campaign.id = gift.campaign_id
                WHERE gift.member_id = member.id AND gift.{RECEIVED} AND NOT gift.anonymous
                  AND {PUBLIC}
            ),
            EXISTS (
                SELECT 1 FROM campaigns_blooddonation AS blood
                JOIN campaigns_bloodstep AS step ON step.campaign_id = blood.campaign_id
                JOIN campaigns_campaign AS campaign ON campaign.id = blood.campaign_id
                WHERE blood.member_id = member.id AND blood.state = 'donated'
                  AND step.counted_donors > 0 AND blood.recorded <= step.cutoff AND {PUBLIC}
            ),
            EXISTS (
                SELECT 1 FROM campaigns_assignment AS work
                JOIN campaigns_posting AS posting ON posting.id = work.posting_id
                JOIN campaigns_campaign AS campaign ON campaign.id = posting.campaign_id
                WHERE work.member_id = member.id AND {PUBLIC}
            ),
            {LISTABLE}, member.name_pinyin
        FROM members_member AS member
        """,
        presence=3,
    ),
    "campaigns_postingtally": Recount(
        ("posting_id",),
        ("posted",),
        """
        SELECT posting_id, count(DISTINCT member_id) FROM campaigns_assignment GROUP BY 1
        """,
        presence=1,
    ),
    "campaigns_campaigntally": Recount(
        ("campaign_id",),
        (
            "member_donors",
            "donors",
            "named_donors",
            "volunteers",
            "assignments",
            "days",
            "hours",
            "confirmed_hours",
            "named_volunteers",
        ),
        f"""
        WITH donors AS (
            SELECT campaign_id, count(*) FILTER (WHERE direct > 0) AS member_donors,
                   count(*) FILTER (WHERE received > 0) AS donors,
                   count(*) FILTER (WHERE named > 0 AND listable) AS named_donors
            FROM (
                SELECT campaign_id, member_id,
                       count(*) FILTER (WHERE {RECEIVED} AND {DIRECT}) AS direct,
                       count(*) FILTER (WHERE {RECEIVED}) AS received,
                       count(*) FILTER (WHERE {RECEIVED} AND NOT anonymous) AS named,
                       bool_and({LISTABLE}) AS listable
                FROM campaigns_donation JOIN members_member AS member ON member.id = member_id
                GROUP BY 1, 2
            ) AS donor
            GROUP BY 1
        ), volunteers AS (
            SELECT posting.campaign_id, count(DISTINCT work.member_id) AS volunteers,
                   count(*) AS assignments, coalesce(sum(work.days_served), 0) AS days,
                   coalesce(sum(work.hours_logged), 0) AS hours,
                   coalesce(sum(work.hours_logged) FILTER (WHERE work.confirmed), 0)
                       AS confirmed_hours,
                   count(DISTINCT work.member_id) FILTER (WHERE {LISTABLE}) AS named
            FROM campaigns_assignment AS work
            JOIN campaigns_posting AS posting ON posting.id = work.posting_id
            JOIN members_member AS member ON member.id = work.member_id
            GROUP BY 1
        )
        SELECT campaign.id, coalesce(donors.member_donors, 0), coalesce(donors.donors, 0),
               coalesce(donors.named_donors, 0), coalesce(volunteers.volunteers, 0),
               coalesce(volunteers.assignments, 0), coalesce(volunteers.days, 0),
               coalesce(volunteers.hours, 0), coalesce(volunteers.confirmed_hours, 0),
               coalesce(volunteers.named, 0)
        FROM campaigns_campaign AS campaign
        LEFT JOIN donors ON donors.campaign_id = campaign.id
        LEFT JOIN volunteers ON volunteers.campaign_id = campaign.id
        """,
        presence=9,
    ),
}
RECOUNT["campaigns_rolltally"] = Recount(
    ("kind",),
    ("listed",),
    f"""
    WITH roll (member_id, donor, blood_donor, volunteer, listable, name_pinyin) AS (
        {RECOUNT["campaigns_memberroll"].sql}
    )
    SELECT flag.kind, count(*)
    FROM roll, LATERAL (VALUES ('donor', roll.donor), ('blood_donor', roll.blood_donor),
                               ('volunteer', roll.volunteer)) AS flag(kind, on_roll)
    WHERE flag.on_roll AND roll.listable
    GROUP BY 1
    """,
    presence=1,
)
register(RECOUNT)
