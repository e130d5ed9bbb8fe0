"""Demo data of the member register: the committee of ../shared/story and its people.

Names, units and roles are the story's; phone numbers and e-mail addresses are clearly fake
(138 0000 xxxx, @example.org). ``load()`` is idempotent: it finds records by natural keys and
brings them back to the demo values. Every app may have a ``demo.py`` with a ``load()``;
``manage.py load_demo`` runs them in INSTALLED_APPS order.
"""

import datetime

from django.db import transaction

from members.models import Branch, Enterprise, Member, Sector

COMMITTEE = "九三学社连云港市委"
HOSPITAL_BRANCH = "市第四人民医院支社"

# (name, kind, parent)
BRANCHES = [
    (COMMITTEE, Branch.Kind.COMMITTEE, None),
    ("海州区基层委员会", Branch.Kind.GRASSROOTS_COMMITTEE, COMMITTEE),
    (HOSPITAL_BRANCH, Branch.Kind.BRANCH, COMMITTEE),
    ("市卫生健康支社", Branch.Kind.BRANCH, COMMITTEE),
    ("海州区第一支社", Branch.Kind.BRANCH, "海州区基层委员会"),
    ("海州区医卫小组", Branch.Kind.GROUP, "海州区第一支社"),
    ("文化艺术支社", Branch.Kind.BRANCH, COMMITTEE),
    ("经济科技支社", Branch.Kind.BRANCH, COMMITTEE),
    ("教育支社", Branch.Kind.BRANCH, COMMITTEE),
    ("赣榆区支社", Branch.Kind.BRANCH, COMMITTEE),
]

SECTORS = ["医药卫生界", "教育界", "文化艺术界", "经济界", "科学技术界", "机关"]

# (name, gender, branch, sector, workplace, position)
NAMED_MEMBERS = [
    ("徐大勇", "male", COMMITTEE, "机关", "九三学社连云港市委", "社省委副主委、社市委主委"),
    ("陈晓平", "male", COMMITTEE, "机关", "九三学社连云港市委", "社市委专职副主委"),
    ("潘婷", "female", COMMITTEE, "机关", "九三学社连云港市委", "宣传干事"),
    ("孟尔旺", "male", HOSPITAL_BRANCH, "医药卫生界", "连云港市第四人民医院", "院长"),
    ("赵丽", "female", HOSPITAL_BRANCH, "医药卫生界", "连云港市第四人民医院", "结核二科主任"),
    ("侍羽", "male", HOSPITAL_BRANCH, "医药卫生界", "连云港市第四人民医院", "物资采购科科长"),
    ("陈丹", "female", "海州区医卫小组", "医药卫生界", "海州区孔望山社区卫生服务中心", "全科医生"),
    ("杨焕森", "male", "市卫生健康支社", "医药卫生界", "连云港市疾病预防控制中心", "检验科副科长"),
    ("周新华", "male", "市卫生健康支社", "医药卫生界", "连云港市第二人民医院", "急诊科主任"),
    ("顾扬", "female", "市卫生健康支社", "医药卫生界", "连云港市妇幼保健院", "副院长"),
    ("刘保", "male", "经济科技支社", "经济界", "连云港三瑞医疗器械制造有限公司", "负责人"),
    ("寇晶磊", "male", "海州区第一支社", "机关", "海州区委政法委办公室", "副主任"),
    ("张明燕", "female", "海州区第一支社", "机关", "海州区新东街道办事处经贸办", "副主任"),
    ("张维亮", "male", "赣榆区支社", "科学技术界", "连云港国云智能科技有限公司", "董事长"),
    ("江涛", "male", "文化艺术支社", "文化艺术界", "连云港市美术馆", "展览部主任"),
    ("常德强", "male", "文化艺术支社", "文化艺术界", "连云港师范高等专科学校美术学院", "副教授"),
    ("徐开军", "male", "教育支社", "教育界", "江苏省板浦高级中学", "教师"),
]

# Generated members fill the branches so that lists, filters and the front-line count (近60) have
# realistic sizes. Deterministic: the same names every time.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "慧",
    "建国",
    "海燕",
    "志强",
    "晓东",
    "雪梅",
    "立新",
    "红霞",
]
GENERATED_MEDICAL = 52
WITHOUT_CONSENT_EVERY = 7  # every 7th generated member has not consented: the roll must skip them

ENTERPRISES = [
    (
        "连云港太阳石农业开发有限公司",
        "与连云港三瑞医疗器械制造有限公司合作建设医用口罩生产线。",
        ["刘保"],
    ),
    ("连云港三瑞医疗器械制造有限公司", "医用口罩生产线，日产四至五万只。", ["刘保"]),
    ("江苏同德信息科技有限公司", "疫情服务平台，开发“疫通行”“港城速行通”。", ["张维亮"]),
]


def fake_phone(index: int) -> str:
    return f"1380000{index:04d}"


def generated_name(index: int) -> str:
    return SURNAMES[(index * 7) % len(SURNAMES)] + GIVEN[(index * 3) % len(GIVEN)]


@transaction.atomic
def load() -> None:
    branches = {}
    for name, kind, parent in BRANCHES:
        branch, _ = Branch.objects.get_or_create(
            name=name, defaults={"kind": kind, "parent": branches.get(parent)}
        )
        branches[name] = branch
    sectors = {name: Sector.objects.get_or_create(name=name)[0] for name in SECTORS}

    people = [
        (name, gender, branch, sector, workplace, position, True)
        for name, gender, branch, sector, workplace, position in NAMED_MEMBERS
    ]
    medical_branches = [HOSPITAL_BRANCH, "市卫生健康支社", "海州区医卫小组"]
    for i in range(GENERATED_MEDICAL):
        people.append(
            (
                generated_name(i),
                "female" if i % 2 else "male",
                medical_branches[i % len(medical_branches)],
                "医药卫生界",
                ["连云港市第一人民医院", "连云港市中医院", "连云港市第二人民医院"][i % 3],
                ["主治医师", "护士长", "副主任医师", "主管护师"][i % 4],
                i % WITHOUT_CONSENT_EVERY != WITHOUT_CONSENT_EVERY - 1,
            )
        )
    for index, (name, gender, branch, sector, workplace, position, consent) in enumerate(
        people, start=1
    ):
        member = Member.objects.filter(name=name, phone=fake_phone(index)).first() or Member(
            name=name, phone=fake_phone(index)
        )
        member.number = f"LYG{index:04d}"
        member.gender = gender
        member.branch = branches[branch]
        member.sector = sectors[sector]
        member.workplace = workplace
        member.position = position
        member.email = f"member{index:03d}@example.org"
        member.joined_on = datetime.date(2000 + index % 20, 1 + index % 12, 1 + index % 28)
        member.listing_consent = consent
        member.save()

    for name, description, contacts in ENTERPRISES:
        enterprise, _ = Enterprise.objects.update_or_create(
            name=name, defaults={"description": description}
        )
        enterprise.contacts.set(Member.objects.filter(name__in=contacts))
