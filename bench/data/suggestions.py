"""Synthetic suggestions at national scale: higher bodies, calls for suggestions, suggestions with
their member authors, forwardings with the bodies' answers, and each suggestion's workflow log.

Run after bench/data/members.py and bench/data/campaigns.py (members and
branches are ids 1..n; each member's branch is read back once). Suggestions get ids in the order
they were received, so a merged suggestion points at an earlier one. Every database rule and every
rule of ``suggestions.services`` holds by construction: member authors (one to three) belong to the
suggestion's branch; a collective suggestion (``by_branch``) is its branch's, with or without
member authors; a suggestion is forwarded, adopted or not adopted only with forwardings (adopted
if some body adopted it, not adopted once every body answered and none did), forwarded at most
once to each body and not before it was received; merged ones name an earlier suggestion that is
neither merged nor withdrawn; withdrawn and merged ones were never forwarded. The workflow log
(``StateChange``) holds each move, from "received" on; ``changed_by`` is empty (no logins are
generated).
"""

import datetime

from django.db import connection

from bench.data.generation import Run, Size, numbered
from suggestions.models import (
    DEFAULT_TOPIC_WORDS,
    Forwarding,
    HigherBody,
    State,
    StateChange,
    Suggestion,
    SuggestionCall,
)

SIZES = {
    "higher_bodies": Size(6, 2, "higher bodies suggestions are forwarded to"),
    "suggestion_calls": Size(
        20, 2, "calls for suggestions (about two in five suggestions answer one)"
    ),
    "suggestions": Size(
        100_000, 30, "suggestions (about three in five forwarded, with 1–3 member authors)"
    ),
}
MODELS = [HigherBody, SuggestionCall, Suggestion, Forwarding, StateChange]

FIRST_DAY = datetime.date(2016, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)  # nothing after it: no date depends on the clock
BODIES = [
    "九三学社中央委员会",
    "九三学社江苏省委",
    "中共市委统战部",
    "市政协提案委员会",
    "市人民政府办公室",
    "市卫生健康委员会",
    "市发展和改革委员会",
    "市教育局",
]
ORGANISERS = ["九三学社江苏省委", "九三学社中央委员会", "九三学社市委", "中共市委统战部"]
# (call theme, its topic)
CALL_THEMES = [
    ("我为抗疫献一策", "公共卫生"),
    ("助力复工复产建言", "经济发展"),
    ("健康中国建设献策", "医疗卫生"),
    ("民生实事大家谈", "社会民生"),
    ("基层社会治理献良策", "社会治理"),
    ("科技创新建言献策", "科教文卫"),
    ("乡村振兴献一策", "社会民生"),
    ("优化营商环境建言", "经济发展"),
]
# Subjects by topic: a title is "关于{subject}的建议".
SUBJECTS = {
    "公共卫生": ["加强社区疫情防控网格化管理", "规范农贸市场防疫管理", "完善密切接触者隔离安置"],
    "医疗卫生": ["完善发热门诊分级接诊流程", "推进分级诊疗制度落实", "加强基层医疗卫生人才队伍"],
    "经济发展": ["减轻中小微企业房租负担", "加快企业复工复产审批", "支持外贸企业稳订单拓市场"],
    "社会民生": ["完善社区养老服务体系", "保障春耕生产农资供应", "改善老旧小区居住条件"],
    "社会治理": ["发挥社会组织在基层治理中的作用", "推进城市管理精细化", "完善矛盾纠纷多元化解"],
    "科教文卫": ["加强科技成果转化服务平台建设", "支持青年科技人才发展", "推进中小学科学教育"],
    "其他": ["加强历史文化街区保护", "推进垃圾分类常态化", "提升公共文化服务水平"],
}
# Every call's topics (SuggestionCall.topic_words): the words its suggestions' topics are.
TOPICS = list(SUBJECTS)
OUTSIDE_CALL_TOPICS = [topic for topic in TOPICS if topic in DEFAULT_TOPIC_WORDS]
TOPIC_WEIGHTS = [10, 20, 25, 20, 12, 10, 3]
PLACES = ["我市", "全市", "城区", "县域", "开发区"]
FEEDBACK_ADOPTED = [
    "已转有关部门研究采纳。",
    "已纳入年度工作要点。",
    "领导已作批示，交有关部门办理。",
]
FEEDBACK_NOT = ["已转有关部门参考。", "暂不具备实施条件，留作参考。"]


def generate(run: Run) -> None:
    bodies = generate_bodies(run)
    calls = generate_calls(run)
    generate_suggestions(run, bodies, calls)


def day_offset(day: datetime.date, days: int) -> datetime.date:
    return min(day + datetime.timedelta(days=days), LAST_DAY)


def generate_bodies(run: Run) -> list[int]:
    n = run.sizes["higher_bodies"]
    names = [
        BODIES[i % len(BODIES)] + (f"（{i // len(BODIES) + 1}）" if i >= len(BODIES) else "")
        for i in range(n)
    ]
    run.copy(HigherBody, ["id", "name"], numbered((name,) for name in names))
    run.add_creation_history(HigherBody, "timestamptz '2015-06-01 09:00+08'")
    return list(range(1, n + 1))


def generate_calls(run: Run) -> list[dict]:
    """Calls of a month to four (one in seven still open), ids in the order they opened."""
    rng = run.random("suggestioncall")
    span = (LAST_DAY - FIRST_DAY).days - 60
    calls = []
    for _ in range(run.sizes["suggestion_calls"]):
        opens_on = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
        days = rng.randint(30, 120)
        theme, topic = rng.choice(CALL_THEMES)
        calls.append(
            {
                "opens_on": opens_on,
                "closes_on": None if rng.random() < 0.15 else day_offset(opens_on, days),
                "last_day": day_offset(opens_on, days),  # an open call's suggestions too
                "theme": theme,
                "topic": topic,
                "organiser": rng.choice(ORGANISERS),
            }
        )
    calls.sort(key=lambda c: (c["opens_on"], c["theme"]))
    for pk, call in enumerate(calls, start=1):
        call["id"] = pk

    def rows():
        for c in calls:
            year = c["opens_on"].year
            yield (
                c["id"],
                f"{year}年“{c['theme']}”活动",
                c["organiser"],
                c["opens_on"],
                c["closes_on"],
                f"{c['organiser']}开展“{c['theme']}”活动，征集社员的意见建议。",
                TOPICS,
            )

    columns = ["id", "title", "organiser", "opens_on", "closes_on", "description", "topic_words"]
    run.copy(SuggestionCall, columns, rows())
    run.add_creation_history(SuggestionCall, "record.opens_on - interval '3 days' + time '09:00'")
    return calls


def member_branches() -> tuple[dict[int, list[int]], dict[int, int]]:
    """Members by branch, and each member's branch, as bench/data/members.py wrote them."""
    by_branch, branch_of = {}, {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, branch_id FROM members_member ORDER BY id")
        for member, branch in cursor.fetchall():
            by_branch.setdefault(branch, []).append(member)
            branch_of[member] = branch
    return by_branch, branch_of


def generate_suggestions(run: Run, bodies: list[int], calls: list[dict]) -> None:
    rng = run.random("suggestion")
    n = run.sizes["suggestions"]
    by_branch, branch_of = member_branches()
    members = sorted(branch_of)
    branches = range(1, run.sizes["branches"] + 1)
    total_days = (LAST_DAY - FIRST_DAY).days + 1

    # When and to what each was written; ids then follow the day received.
    drafts = []
    for _ in range(n):
        if calls and rng.random() < 0.4:
            call = rng.choice(calls)
            days = (call["last_day"] - call["opens_on"]).days + 1
            received_on = call["opens_on"] + datetime.timedelta(
                days=int(days * rng.betavariate(1.2, 3))
            )
            topic = call["topic"] if rng.random() < 0.7 else rng.choices(TOPICS, TOPIC_WEIGHTS)[0]
            drafts.append((received_on, call["id"], topic))
        else:
            received_on = FIRST_DAY + datetime.timedelta(days=rng.randrange(total_days))
            # Outside a call, a topic is one of the general ones (Suggestion.topic_words).
            drafts.append((received_on, None, rng.choice(OUTSIDE_CALL_TOPICS)))
    drafts.sort(key=lambda d: (d[0], d[1] or 0))

    authors, forwardings, changes = [], [], []
    living = {topic: [] for topic in TOPICS}  # earlier suggestions one may be merged into

    def log(pk, from_state, to_state, day, hour, note=""):
        changed_at = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)
        changes.append((pk, from_state, to_state, None, changed_at, note))

    def rows():
        for pk, (received_on, call_id, topic) in enumerate(drafts, start=1):
            if rng.random() < 0.15:  # a branch's collective suggestion, perhaps with members
                branch, collective = rng.choice(branches), True
                whole = by_branch.get(branch, [])
                chosen = rng.sample(whole, min(len(whole), rng.choice((0, 0, 1, 2))))
            else:  # a member's, perhaps with co-authors of the same branch
                first = rng.choice(members)
                branch, collective = branch_of[first], False
                whole = by_branch[branch]
                count = rng.choice((0, 0, 0, 1, 1, 2))
                others = rng.sample(whole, min(len(whole), count + 1))
                chosen = [first, *[m for m in others if m != first][:count]]
            authors.extend((pk, member) for member in sorted(chosen))

            roll = rng.random()
            state, merged_into = State.RECEIVED, None
            log(pk, "", State.RECEIVED, received_on, 9)
            if roll < 0.6:
                state = forward(pk, received_on)
            elif roll < 0.66 and living[topic]:
                merged_into = rng.choice(living[topic][-200:])
                state = State.MERGED
                log(pk, State.RECEIVED, state, day_offset(received_on, rng.randint(3, 30)), 11)
            elif roll < 0.69:
                state = State.WITHDRAWN
                log(pk, State.RECEIVED, state, day_offset(received_on, rng.randint(1, 20)), 15)
            elif roll < 0.82:
                state = State.UNDER_REVIEW
                log(pk, State.RECEIVED, state, day_offset(received_on, rng.randint(1, 14)), 10)
            if state not in (State.MERGED, State.WITHDRAWN):
                living[topic].append(pk)
            subject = rng.choice(SUBJECTS[topic])
            place = rng.choice(PLACES)
            yield (
                pk,
                call_id,
                f"关于{place}{subject}的建议",
                f"针对{place}当前情况，建议{subject}。具体措施如下：一、……二、……三、……",
                topic,
                branch,
                collective,
                received_on,
                rng.choices(("form", "staff", "paper"), (5, 4, 1))[0],
                rng.random() < 0.3,
                state,
                merged_into,
            )

    def forward(pk, received_on) -> str:
        """One or two forwardings, each perhaps answered; the state the answers give, logged."""
        forwarded_on = day_offset(received_on, rng.randint(5, 60))
        reviewed = rng.random() < 0.5
        if reviewed:
            log(pk, State.RECEIVED, State.UNDER_REVIEW, day_offset(received_on, 2), 10)
        log(
            pk,
            State.UNDER_REVIEW if reviewed else State.RECEIVED,
            State.FORWARDED,
            forwarded_on,
            14,
        )
        answers = []
        for body in sorted(rng.sample(bodies, rng.choice((1, 1, 1, 2)))):
            adopted = None
            if rng.random() < 0.7:
                adopted = rng.random() < 0.15
            answers.append(adopted)
            feedback = ""
            if adopted is not None:
                feedback = rng.choice(FEEDBACK_ADOPTED if adopted else FEEDBACK_NOT)
            number = f"九三建〔{forwarded_on.year}〕{pk}号" if rng.random() < 0.6 else ""
            forwardings.append((pk, body, forwarded_on, number, feedback, adopted))
        if True in answers:
            state = State.ADOPTED
        elif None not in answers:
            state = State.NOT_ADOPTED
        else:
            return State.FORWARDED
        log(pk, State.FORWARDED, state, day_offset(forwarded_on, rng.randint(20, 120)), 16)
        return state

    columns = [
        "id",
        "call_id",
        "title",
        "text",
        "topic",
        "branch_id",
        "by_branch",
        "received_on",
        "source",
        "is_public",
        "state",
        "merged_into_id",
    ]
    run.copy(Suggestion, columns, rows())
    run.add_creation_history(
        Suggestion, "record.received_on + time '09:00' + (record.id % 480) * '1 min'::interval"
    )
    run.copy(Suggestion.authors.through, ["id", "suggestion_id", "member_id"], numbered(authors))
    columns = [
        "id",
        "suggestion_id",
        "body_id",
        "forwarded_on",
        "document_no",
        "feedback",
        "adopted",
    ]
    run.copy(Forwarding, columns, numbered(forwardings))
    run.add_creation_history(Forwarding, "record.forwarded_on + time '14:00'")
    # In log order per suggestion: changed_at, then id, as the log is read.
    columns = [
        "id",
        "suggestion_id",
        "from_state",
        "to_state",
        "changed_by_id",
        "changed_at",
        "note",
    ]
    run.copy(StateChange, columns, numbered(changes))
