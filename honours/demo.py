"""Demo data of the honours: the story's front line, artworks, enterprises' work and the care
visit of 2020-02-22 (../shared/story). ``load()`` is idempotent, run by ``manage.py load_demo``
after the member register's."""

import datetime

from honours.models import CareVisit, Citation, RollCategoryWording
from members.models import Enterprise, Member

# Front line (近60 medical members): the story's named ones with a citation of our own words; the
# generated medical members follow with their workplace and position.
FRONT_LINE = [
    ("孟尔旺", "连云港市第四人民医院", "院长", "带领定点医院承担全市新冠肺炎患者救治任务。"),
    (
        "赵丽",
        "连云港市第四人民医院",
        "结核二科主任",
        "专家组成员、医疗救援队第二队队长，连续14天坚守隔离病区；病区医护人员零感染、患者零死亡。",
    ),
    ("侍羽", "连云港市第四人民医院", "物资采购科科长", "多方筹措防护物资，保障一线供应。"),
    ("陈丹", "海州区孔望山社区卫生服务中心", "全科医生", "驻守一级隔离点河畔花城。"),
    ("杨焕森", "连云港市疾病预防控制中心", "检验科副科长", "承担病毒检测任务。"),
    ("周新华", "连云港市第二人民医院", "急诊科主任", "坚守急诊一线。"),
    ("顾扬", "连云港市妇幼保健院", "副院长", "组织院内防控和孕产妇救治。"),
]

ARTWORKS = [
    ("江涛", "《致敬》", "美术作品"),
    ("常德强", "《众志成城抗疫情》", "美术作品"),
    ("徐开军", "《西游记》主题抗疫系列漫画", "漫画"),
]

# The story's figures give a day's output for the mask line; the words are ours.
ENTERPRISE_WORK = [
    (
        "连云港三瑞医疗器械制造有限公司",
        "医用口罩生产线",
        "日产医用口罩四至五万只，保障防疫物资供应。",
    ),
    ("连云港太阳石农业开发有限公司", "合作建设口罩生产线", "与三瑞公司合作建设医用口罩生产线。"),
    (
        "江苏同德信息科技有限公司",
        "疫情服务平台",
        "开发“疫通行”“港城速行通”，服务疫情防控与复工复产。",
    ),
]

# The story's words for the roll's categories (RollCategoryWording); the others keep the code's.
ROLL_WORDING = {
    "front_line": {"title": "勇敢逆行", "intro": "疫情发生后坚守抗疫一线的社员。"},
    "artworks": {"title": "文艺作品", "intro": "以文艺作品抗疫的社员。"},
}
CARE_VISIT = {
    "date": datetime.date(2020, 2, 22),
    "leaders": ["徐大勇", "陈晓平"],
    "visited": ["孟尔旺", "陈丹", "刘保"],
    "sites": "市第四人民医院、河畔花城隔离点、连云港三瑞医疗器械制造有限公司",
}


def load() -> None:
    """The front line, the artworks, the enterprises' work and the visit of 2020-02-22."""
    Citation.objects.all().delete()
    front_line = []
    for name, unit, role, words in FRONT_LINE:
        front_line.append(
            Citation(member=Member.objects.get(name=name), unit=unit, role=role, text=words)
        )
    medical = Member.objects.filter(sector__name="医药卫生界").exclude(
        name__in=[name for name, *_ in FRONT_LINE]
    )
    for member in medical.order_by("pk"):
        front_line.append(Citation(member=member, unit=member.workplace, role=member.position))
    for citation in front_line:
        citation.kind = Citation.Kind.FRONT_LINE
        citation.title = "抗疫一线"
        citation.date = datetime.date(2020, 1, 24)
        citation.save()
    for name, title, medium in ARTWORKS:
        Citation.objects.create(
            kind=Citation.Kind.ARTWORK,
            member=Member.objects.get(name=name),
            title=title,
            medium=medium,
            date=datetime.date(2020, 2, 15),
        )
    for enterprise, title, words in ENTERPRISE_WORK:
        Citation.objects.create(
            kind=Citation.Kind.ENTERPRISE,
            enterprise=Enterprise.objects.get(name=enterprise),
            title=title,
            text=words,
            date=datetime.date(2020, 2, 10),
        )
    for kind, words in ROLL_WORDING.items():
        RollCategoryWording.objects.update_or_create(kind=kind, defaults=words)
    CareVisit.objects.filter(date=CARE_VISIT["date"]).delete()
    visit = CareVisit.objects.create(
        date=CARE_VISIT["date"],
        sites=CARE_VISIT["sites"],
        # A letter to every member with epidemic duties: those on the front line.
        letters_sent=len(front_line),
        note="社市委领导看望慰问一线社员，并向承担防疫任务的社员寄送慰问信。",
    )
    visit.leaders.set(Member.objects.filter(name__in=CARE_VISIT["leaders"]))
    visit.visited.set(Member.objects.filter(name__in=CARE_VISIT["visited"]))
