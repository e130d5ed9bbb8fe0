"""Demo suggestions of the story (../shared/story/FIGURES.md): the provincial committee's call
"我为抗疫献一策", 62 suggestions received (60余条) and 40 of them forwarded to 社省委 and
中共市委统战部, among them the two the story names, written by grassroots organisations.

The story says nothing of what became of the other 22: here 12 were merged into similar forwarded
ones and 10 are still under review, and no answer is recorded (no suggestion is "adopted").
Every move goes through ``suggestions.services``, so the demo's workflow log and history look like
real use. Idempotent: the call's suggestions are rebuilt on every run.
"""

import datetime

from django.db import transaction

from members.demo import COMMITTEE
from members.models import Branch, Member
from suggestions import services
from suggestions.models import HigherBody, Suggestion, SuggestionCall

D = datetime.date
PROVINCIAL = "九三学社江苏省委"
UNITED_FRONT = "中共连云港市委统战部"
CALL = "我为抗疫献一策"

# The story's topics: the call's words (SuggestionCall.topic_words).
STORY_TOPICS = [
    "疫情防控",
    "医疗卫生",
    "经济与复工复产",
    "民生保障",
    "社会治理",
    "科技教育",
    "其他",
]
# The story's two, from grassroots organisations' surveys: (title, branch, topic).
NAMED = [
    ("关于稳定口罩价格的建议", "经济科技支社", "经济与复工复产"),
    ("疫情对连云港“一带一路”物流和中欧班列的影响", "海州区基层委员会", "经济与复工复产"),
]
# Subjects of the other 60, written by members: "关于{subject}的建议".
SUBJECTS = [
    ("加强社区疫情防控网格化管理", "社会治理"),
    ("完善发热门诊分级接诊流程", "医疗卫生"),
    ("保障一线医务人员防护物资供应", "医疗卫生"),
    ("做好医务人员心理疏导", "医疗卫生"),
    ("规范农贸市场防疫管理", "疫情防控"),
    ("加快企业复工复产审批", "经济与复工复产"),
    ("减轻中小微企业房租负担", "经济与复工复产"),
    ("支持外贸企业应对订单下滑", "经济与复工复产"),
    ("保障春耕生产农资供应", "民生保障"),
    ("做好困难群众基本生活保障", "民生保障"),
    ("关爱一线医务人员子女", "民生保障"),
    ("加强学校延期开学期间线上教学", "科技教育"),
    ("利用大数据开展密切接触者追踪", "科技教育"),
    ("推广健康码互认", "科技教育"),
    ("完善城乡结合部人员排查", "疫情防控"),
    ("加强外来务工人员返岗健康管理", "疫情防控"),
    ("规范居家隔离人员服务管理", "疫情防控"),
    ("做好境外输入风险防范", "疫情防控"),
    ("加强港口作业人员防护", "疫情防控"),
    ("完善公共场所消毒规范", "疫情防控"),
    ("发挥中医药在疫情防治中的作用", "医疗卫生"),
    ("加强基层卫生院发热哨点建设", "医疗卫生"),
    ("提高核酸检测能力", "医疗卫生"),
    ("建立应急物资储备制度", "社会治理"),
    ("完善突发公共卫生事件信息发布", "社会治理"),
    ("加强网络谣言治理", "社会治理"),
    ("发挥社会组织在防控中的作用", "社会治理"),
    ("做好志愿者保障和激励", "社会治理"),
    ("稳定生活必需品价格", "民生保障"),
    ("保障独居老人生活照料", "民生保障"),
    ("做好高校毕业生就业服务", "民生保障"),
    ("加大对受疫情影响行业的金融支持", "经济与复工复产"),
    ("发展线上消费新业态", "经济与复工复产"),
    ("推动物流园区有序恢复运营", "经济与复工复产"),
    ("保障医用防护用品生产企业用工", "经济与复工复产"),
    ("加强农村地区疫情防控宣传", "疫情防控"),
    ("规范快递外卖无接触配送", "疫情防控"),
    ("做好公共交通防疫工作", "疫情防控"),
    ("加强养老机构封闭管理", "疫情防控"),
    ("完善监所等特殊场所防控", "疫情防控"),
    ("提升基层医务人员传染病诊疗能力", "医疗卫生"),
    ("建设城市公共卫生应急指挥体系", "社会治理"),
    ("加快公共卫生人才队伍建设", "医疗卫生"),
    ("推进远程医疗服务", "科技教育"),
    ("加强疫情期间科研攻关协作", "科技教育"),
    ("保障复课后校园防疫", "科技教育"),
    ("加强野生动物交易监管", "社会治理"),
    ("完善社区工作者待遇保障", "民生保障"),
    ("做好疫情期间慢性病患者用药保障", "医疗卫生"),
    ("开展心理援助热线服务", "医疗卫生"),
    ("推动企业数字化转型", "经济与复工复产"),
    ("完善稳岗补贴政策", "经济与复工复产"),
    ("支持个体工商户渡过难关", "经济与复工复产"),
    ("做好疫情后旅游业恢复", "经济与复工复产"),
    ("加强爱国卫生运动", "疫情防控"),
    ("健全重大疫情救治医保政策", "民生保障"),
    ("改善基层医疗机构设施条件", "医疗卫生"),
    ("推广分餐制和公筷公勺", "疫情防控"),
    ("加强疫情防控法治宣传", "社会治理"),
    ("建立防疫物资捐赠公开机制", "社会治理"),
]
FORWARDED_OTHERS = 38  # with the two named: 40 forwarded
MERGED = 12  # the remaining 10 stay under review


def received_on(index: int) -> datetime.date:
    return D(2020, 1, 29) + datetime.timedelta(days=index % 40)


@transaction.atomic
def load() -> None:
    provincial, _ = HigherBody.objects.get_or_create(name=PROVINCIAL)
    united_front, _ = HigherBody.objects.get_or_create(name=UNITED_FRONT)
    call, _ = SuggestionCall.objects.update_or_create(
        title=CALL,
        defaults={
            "organiser": PROVINCIAL,
            "opens_on": D(2020, 1, 28),
            "closes_on": D(2020, 3, 31),
            "description": "社省委开展“我为抗疫献一策”活动，征集疫情防控和复工复产的意见建议。",
            "topic_words": STORY_TOPICS,
        },
    )
    # Merged ones point at others (PROTECT): delete them first.
    call.suggestions.filter(merged_into__isnull=False).delete()
    call.suggestions.all().delete()

    branches = {branch.name: branch for branch in Branch.objects.all()}
    # Authors: consenting or not, from every branch (the public page must skip the former).
    members = list(Member.objects.exclude(branch__name=COMMITTEE).order_by("pk"))
    zhao_li = Member.objects.filter(name="赵丽").order_by("pk").first()

    forwarded = []
    for index, (title, branch, topic) in enumerate(NAMED):
        suggestion = _receive(call, title, topic, branches[branch], [], index, by_branch=True)
        _forward(suggestion, [provincial, united_front], index)
        forwarded.append(suggestion)

    for index, (subject, topic) in enumerate(SUBJECTS, start=len(NAMED)):
        author = zhao_li if index == len(NAMED) else members[(index * 5) % len(members)]
        co_author = members[(index * 11) % len(members)]
        authors = [author] + ([co_author] if index % 4 == 0 and co_author != author else [])
        suggestion = _receive(
            call, f"关于{subject}的建议", topic, author.branch, authors, index, by_branch=False
        )
        position = index - len(NAMED)
        if position < FORWARDED_OTHERS:
            _forward(suggestion, [provincial if position % 3 else united_front], index)
            forwarded.append(suggestion)
        elif position < FORWARDED_OTHERS + MERGED:
            services.suggestion_merge(
                suggestion=suggestion,
                into=forwarded[position % len(forwarded)],
                user=None,
                note="内容相近，合并报送。",
            )
        else:
            services.suggestion_review(suggestion=suggestion, user=None)


def _receive(call, title, topic, branch, authors, index, *, by_branch) -> Suggestion:
    suggestion = Suggestion.objects.create(
        call=call,
        title=title,
        text=f"{title}。（演示数据：建议正文从略。）",
        topic=topic,
        branch=branch,
        by_branch=by_branch,
        received_on=received_on(index),
        source=Suggestion.Source.PAPER if index % 3 == 0 else Suggestion.Source.FORM,
        is_public=True,
    )
    suggestion.authors.set(authors)
    services.suggestion_record_receipt(suggestion=suggestion, user=None)
    return suggestion


def _forward(suggestion, bodies, index) -> None:
    services.suggestion_review(suggestion=suggestion, user=None)
    for body in bodies:
        services.suggestion_forward(
            suggestion=suggestion,
            body=body,
            forwarded_on=suggestion.received_on + datetime.timedelta(days=3 + index % 5),
            document_no=f"九三连〔2020〕{index + 1}号",
            user=None,
        )
