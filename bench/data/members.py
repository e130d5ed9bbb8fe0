"""Synthetic member register at national scale: the branch tree, sectors, members, enterprises.

The first of ``bench.data.GENERATORS`` (see bench/data/__init__.py). Ids run 1..n in each table,
so the campaigns' generator refers to members, branches and enterprises by number alone.
Phones and e-mail addresses are clearly fake and unique per member.
"""

import datetime

from bench.data.generation import Run, Size, numbered
from members import text
from members.models import Branch, Enterprise, Member, Sector

SIZES = {
    "branches": Size(
        300, 10, "organisations in the tree (committee, grassroots committees, branches, groups)"
    ),
    "members": Size(200_000, 50, "members"),
    "enterprises": Size(2_000, 5, "member enterprises"),
}
MODELS = [Branch, Sector, Member, Enterprise]

ROOT_ID = 1
CITIES = [
    "南京",
    "苏州",
    "无锡",
    "常州",
    "镇江",
    "扬州",
    "泰州",
    "南通",
    "盐城",
    "淮安",
    "宿迁",
    "徐州",
    "连云港",
    "上海",
    "杭州",
    "宁波",
    "温州",
    "合肥",
    "芜湖",
    "济南",
    "青岛",
    "烟台",
    "郑州",
    "洛阳",
    "武汉",
    "宜昌",
    "长沙",
    "株洲",
    "南昌",
    "九江",
    "福州",
    "厦门",
    "广州",
    "深圳",
    "成都",
    "绵阳",
    "重庆",
    "西安",
    "昆明",
    "贵阳",
]
FIELDS = ["医卫", "教育", "科技", "文化", "经济", "机关", "高校", "农业"]

# Sector: (workplaces, positions). Workplaces get a city in front.
SECTORS = {
    "医药卫生界": (
        ["人民医院", "中医院", "疾病预防控制中心", "妇幼保健院"],
        ["主任医师", "护士长", "副主任医师", "药剂师"],
    ),
    "教育界": (
        ["第一中学", "实验小学", "师范学院", "职业技术学院"],
        ["教师", "教授", "副校长", "教研员"],
    ),
    "科学技术界": (
        ["农业科学院", "工业技术研究院", "气象局", "信息技术公司"],
        ["研究员", "高级工程师", "工程师", "所长"],
    ),
    "文化艺术界": (["美术馆", "图书馆", "文化馆", "歌舞剧院"], ["馆员", "副馆长", "演员", "编辑"]),
    "经济界": (
        ["商业银行", "会计师事务所", "医疗器械有限公司", "建设集团"],
        ["经理", "董事长", "会计师", "总经济师"],
    ),
    "法律界": (
        ["律师事务所", "中级人民法院", "公证处", "仲裁委员会"],
        ["律师", "法官", "公证员", "主任"],
    ),
    "农业界": (
        ["农业农村局", "种业公司", "水产研究所", "农技推广站"],
        ["农艺师", "站长", "研究员", "技术员"],
    ),
    "机关": (["市委机关", "统战部", "政协办公室", "民政局"], ["干事", "副主任", "科长", "处长"]),
}

# Common surnames, most frequent first; given names from two short lists (a quarter of them one
# character), so that names repeat as they do in a real register.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
GIVEN_FIRST = "建志晓海丽秀国明立红春文玉永金俊小德家思雪子宏佳天新嘉少美雅晨一"
GIVEN_SECOND = "伟芳娜敏静强磊军洋勇艳杰娟涛超霞平刚英华兰萍辉鹏玲燕飞峰琳婷宇"
ENTERPRISE_WORDS = "瑞华恒鑫康泰达信诚安宏盛元丰润德联新科智"
INDUSTRIES = ["医疗器械", "信息科技", "农业开发", "生物制药", "新材料", "建设工程", "食品", "物流"]

START = datetime.date(1980, 1, 1)
JOINED_DAYS = (datetime.date(2025, 6, 30) - START).days
CONSENT_FROM = datetime.datetime(2019, 1, 1, 9, tzinfo=datetime.UTC)
NO_CONSENT_EVERY = 7  # about 1 member in 7 has not agreed to be listed publicly
STATUSES = (["active"] * 88) + (["transferred"] * 5) + (["left"] * 4) + (["deceased"] * 3)


def generate(run: Run) -> None:
    branches = generate_branches(run)
    generate_sectors(run)
    generate_members(run, branches)
    generate_enterprises(run)


def generate_branches(run: Run) -> list[tuple]:
    """The tree: the committee; grassroots committees (one organisation in twelve, one per
    city); branches (three in five), most under a grassroots committee; groups under branches.
    Paths are built as ``Branch.save`` builds them. Returns the rows."""
    rng = run.random("branch")
    n = run.sizes["branches"]
    committees = max(1, n // 12)
    branch_count = max(1, round(n * 0.6))
    group_count = n - 1 - committees - branch_count
    rows = [(ROOT_ID, "全国委员会", Branch.Kind.COMMITTEE, None, f"/{ROOT_ID:07d}/")]
    city_of = {ROOT_ID: rng.choice(CITIES)}

    def add(name, kind, parent_id):
        pk = len(rows) + 1
        rows.append((pk, name, kind, parent_id, f"{rows[parent_id - 1][4]}{pk:07d}/"))
        return pk

    for i in range(committees):
        city = CITIES[i % len(CITIES)]
        round_no = i // len(CITIES)
        name = f"{city}市基层委员会" + (f"（{round_no + 1}）" if round_no else "")
        city_of[add(name, Branch.Kind.GRASSROOTS_COMMITTEE, ROOT_ID)] = city
    committee_ids = list(range(2, 2 + committees))
    numbers = {}
    for _ in range(branch_count):
        parent = rng.choice(committee_ids) if rng.random() < 0.8 else ROOT_ID
        city, field = city_of[parent], rng.choice(FIELDS)
        numbers[city, field] = numbers.get((city, field), 0) + 1
        pk = add(f"{city}{field}第{numbers[city, field]}支社", Branch.Kind.BRANCH, parent)
        city_of[pk] = city
    branch_ids = list(range(2 + committees, 2 + committees + branch_count))
    for _ in range(group_count):
        parent = rng.choice(branch_ids)
        numbers[parent] = numbers.get(parent, 0) + 1
        add(f"{rows[parent - 1][1]}第{numbers[parent]}小组", Branch.Kind.GROUP, parent)

    run.copy(Branch, ["id", "name", "kind", "parent_id", "path"], rows)
    run.add_creation_history(Branch, "timestamptz '2015-01-01 09:00+08'")
    return rows


def generate_sectors(run: Run) -> None:
    run.copy(Sector, ["id", "name"], numbered((name,) for name in SECTORS))
    run.add_creation_history(Sector, "timestamptz '2015-01-01 09:00+08'")


def branch_weights(run: Run, branches: list[tuple]) -> list[float]:
    """How many members each organisation holds, relatively: branches vary a lot in size,
    groups are small, the committee and grassroots committees hold few members directly."""
    rng = run.random("branch-size")
    base = {
        Branch.Kind.COMMITTEE: 0.3,
        Branch.Kind.GRASSROOTS_COMMITTEE: 0.5,
        Branch.Kind.BRANCH: 1.0,
        Branch.Kind.GROUP: 0.3,
    }
    return [base[kind] * rng.lognormvariate(0, 0.7) for _, _, kind, _, _ in branches]


def generate_members(run: Run, branches: list[tuple]) -> None:
    rng = run.random("member")
    n = run.sizes["members"]
    surname_weights = [1 / (rank + 4) for rank in range(len(SURNAMES))]
    surnames = rng.choices(SURNAMES, weights=surname_weights, k=n)
    names = [
        surname
        + (rng.choice(GIVEN_FIRST) if rng.random() < 0.75 else "")
        + rng.choice(GIVEN_SECOND)
        for surname in surnames
    ]
    # Pinyin is slow: compute it once per distinct name, not once per member.
    keys = {name: (text.pinyin_sort_key(name), text.search_key(name)) for name in set(names)}
    branch_ids = rng.choices(
        [row[0] for row in branches], weights=branch_weights(run, branches), k=n
    )
    sector_names = list(SECTORS)

    def rows():
        for pk, name, branch_id in zip(range(1, n + 1), names, branch_ids, strict=True):
            sector = rng.randrange(len(sector_names)) if rng.random() < 0.95 else None
            workplaces, positions = SECTORS[sector_names[sector or 0]]
            consent = rng.randrange(NO_CONSENT_EVERY) != 0
            # 7919 is prime to 10**9: distinct members get distinct numbers.
            phone = f"1{rng.choice('3589')}{rng.randrange(10)}{pk * 7919 % 10**8:08d}"
            yield (
                pk,
                name,
                f"S{pk:07d}" if rng.random() < 0.9 else "",
                "female" if rng.random() < 0.45 else "male",
                branch_id,
                None if sector is None else sector + 1,
                rng.choice(CITIES) + rng.choice(workplaces),
                rng.choice(positions),
                phone if rng.random() < 0.97 else "",
                f"m{pk:07d}@example.org" if rng.random() < 0.6 else "",
                START + datetime.timedelta(days=rng.randrange(JOINED_DAYS)),
                rng.choice(STATUSES),
                consent,
                CONSENT_FROM + datetime.timedelta(hours=rng.randrange(50_000)) if consent else None,
                *keys[name],
            )

    run.copy(
        Member,
        [
            "id",
            "name",
            "number",
            "gender",
            "branch_id",
            "sector_id",
            "workplace",
            "position",
            "phone",
            "email",
            "joined_on",
            "status",
            "listing_consent",
            "consent_changed_at",
            "name_pinyin",
            "search_key",
        ],
        rows(),
    )
    run.add_creation_history(
        Member, "coalesce(record.consent_changed_at, record.joined_on + time '09:00')"
    )


def generate_enterprises(run: Run) -> None:
    rng = run.random("enterprise")
    n, members = run.sizes["enterprises"], run.sizes["members"]
    combinations = len(CITIES) * len(ENTERPRISE_WORDS) ** 2 * len(INDUSTRIES)
    chosen = rng.sample(range(combinations), min(n, combinations))

    def name(pk, index):
        index, industry = divmod(index, len(INDUSTRIES))
        index, second = divmod(index, len(ENTERPRISE_WORDS))
        city, first = divmod(index, len(ENTERPRISE_WORDS))
        suffix = "" if pk <= combinations else f"（{pk}）"
        return (
            f"{CITIES[city]}{ENTERPRISE_WORDS[first]}{ENTERPRISE_WORDS[second]}"
            f"{INDUSTRIES[industry]}有限公司{suffix}"
        )

    run.copy(
        Enterprise,
        ["id", "name", "description"],
        ((pk, name(pk, chosen[(pk - 1) % len(chosen)]), "") for pk in range(1, n + 1)),
    )
    run.copy(
        Enterprise.contacts.through,
        ["id", "enterprise_id", "member_id"],
        numbered(
            (pk, member)
            for pk in range(1, n + 1)
            for member in rng.sample(range(1, members + 1), rng.choice((1, 1, 2)))
        ),
    )
    run.add_creation_history(Enterprise, "timestamptz '2016-01-01 09:00+08'")
