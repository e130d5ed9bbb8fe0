"""A live campaign (issue 15, target 1): the public pages under load while staff record gifts.

``bench.run`` calls ``live_campaign``: for each of the largest campaign's page, the home page and
the honour roll, and for a writer recording one donation a second first in that largest campaign
and then in another one, a fresh gunicorn, wrk for BENCH_SECONDS, and the writer alongside. At
the end the figures the campaign page shows are compared with a recount of the rows.

Django runs in subprocesses only (``python -m bench.live write|verify``), as everywhere in
``bench.run``.
"""

import json
import subprocess
import sys
import time

import django

WRITES_PER_SECOND = 1


def write(campaign_id: int, seconds: float) -> None:
    """Record a gift of money in the campaign every second, as a clerk's save does (history
    included), until ``seconds`` have passed; print how many."""
    django.setup()
    from decimal import Decimal

    from campaigns.models import Campaign, Donation
    from members.models import Member

    campaign = Campaign.objects.get(pk=campaign_id)
    recipient = campaign.recipients.order_by("pk").first()
    members = list(Member.objects.order_by("pk").values_list("pk", flat=True)[:5000])
    written, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        Donation.objects.create(
            campaign=campaign,
            recipient=recipient,
            member_id=members[written % len(members)],
            form=Donation.Form.MONEY,
            amount=Decimal("100.50"),
            date=campaign.starts_on,
        )
        written += 1
        time.sleep(max(0.0, started + written / WRITES_PER_SECOND - time.monotonic()))
    print(json.dumps({"written": written}))


def verify(campaign_id: int) -> None:
    """Whether the campaign's tallies, and the members' own money its page shows, equal a
    recount of the rows now that the writers stopped."""
    django.setup()
    from campaigns import progress
    from campaigns.models import Campaign, Donation
    from portal import tallies

    campaign = Campaign.objects.get(pk=campaign_id)
    recounted = progress.Money(Donation.objects.filter(campaign=campaign)).totals()
    shown = progress.campaign_progress(campaign)["money"]
    print(
        json.dumps(
            {
                "tallies_equal_recount": tallies.differences(
                    ["campaigns_moneytally", "campaigns_campaigntally"]
                )
                == {},
                "members_own_shown": str(shown["members_own"]),
                "members_own_recounted": str(recounted["members_own"]),
                "donors_shown": shown["member_donors"],
                "donors_recounted": recounted["member_donors"],
            }
        )
    )


def main(argv: list[str]) -> None:
    command, campaign_id, *rest = argv
    if command == "write":
        write(int(campaign_id), float(rest[0]))
    elif command == "verify":
        verify(int(campaign_id))
    else:
        sys.exit(f"unknown command {command}")


def live_campaign(run, pages: list[dict], largest_id: int, other_id: int, database: str) -> dict:
    """{(page name, writer): wrk result, with how many gifts were written}; ``run`` is bench.run
    (its servers, environment and load settings)."""
    results = {}
    for page in pages:
        for writer, campaign_id in (("same campaign", largest_id), ("another campaign", other_id)):
            run.say(f"live campaign: {page['name']} while writing in the {writer}")
            seconds = run.SECONDS
            with run.Gunicorn(database) as server:
                for _ in range(run.WORKERS * 2):
                    server.get(page["path"], None)
                writer_process = subprocess.Popen(
                    [
                        run.PYTHON,
                        "-m",
                        "bench.live",
                        "write",
                        str(campaign_id),
                        str(seconds + 2),
                    ],
                    cwd=run.BASE_DIR,
                    env=run.environment(database),
                    stdout=subprocess.PIPE,
                    text=True,
                )
                result = run.wrk(server, page["path"], seconds, None)
                written = json.loads(writer_process.communicate(timeout=120)[0])["written"]
            results[(page["name"], writer)] = {**result, "written": written}
    return results


def verify_recount(run, campaign_id: int, database: str) -> dict:
    output = subprocess.run(
        [run.PYTHON, "-m", "bench.live", "verify", str(campaign_id)],
        cwd=run.BASE_DIR,
        env=run.environment(database),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(output)


if __name__ == "__main__":
    main(sys.argv[1:])
