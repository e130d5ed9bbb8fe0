"""Records for the screenshots of open campaigns, which the story (all ended in 2020) lacks: a
donation drive with how to give and a QR code, a volunteer drive with places still needing people,
and pictures for the story's artworks. On a scratch database with the demo data only:

    DEBUG=true .venv/bin/python manage.py shell < docs/screenshot_data.py

Never on a database that holds real records.
"""

import datetime
import io
import random
from decimal import Decimal

import segno
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from campaigns.models import Campaign, Donation, Goal, Posting, Recipient
from honours.models import Citation
from members.models import Branch, Member

today = datetime.date.today()
top = Branch.objects.get(parent=None)
red_cross = Recipient.objects.get(name="连云港市红十字会")

drive, _ = Campaign.objects.update_or_create(
    slug="winter-giving",
    defaults={
        "kind": "donation",
        "title": "“情暖冬日”帮困助学捐款",
        "summary": "为困难社员家庭和助学项目募集善款。",
        "call_date": today - datetime.timedelta(days=20),
        "starts_on": today - datetime.timedelta(days=20),
        "ends_on": today + datetime.timedelta(days=40),
        "status": "open",
        "is_public": True,
        "organiser": top,
        "take_part": "户名：九三学社连云港市委员会\n开户行：中国银行连云港分行\n"
        "账号：4622 5821 0001 2345\n请在附言中注明“情暖冬日”和您的姓名、所在基层组织。",
    },
)
drive.recipients.set([red_cross])
Goal.objects.update_or_create(campaign=drive, metric="amount", defaults={"target": 50000})
code = io.BytesIO()
segno.make("https://example.org/pay/winter-giving", error="m").save(code, kind="png", scale=8)
drive.take_part_image.save("winter-giving-qr.png", ContentFile(code.getvalue()), save=True)
Donation.objects.filter(campaign=drive).delete()
for index, member in enumerate(Member.objects.filter(status="active").order_by("pk")[:30]):
    Donation.objects.create(
        campaign=drive,
        form="money",
        member=member,
        recipient=red_cross,
        amount=Decimal(200 + 50 * (index % 7)),
        date=today - datetime.timedelta(days=19 - index % 18),
    )

posts, _ = Campaign.objects.update_or_create(
    slug="spring-volunteers",
    defaults={
        "kind": "volunteer",
        "title": "春运返乡人员健康服务志愿者招募",
        "summary": "在车站和社区协助健康登记与宣传。",
        "call_date": today - datetime.timedelta(days=5),
        "starts_on": today - datetime.timedelta(days=5),
        "ends_on": None,
        "status": "open",
        "is_public": True,
        "organiser": top,
        "take_part": "每班 4 小时，请提前 15 分钟到岗；着装整洁，佩戴口罩。"
        "报名后由所在基层组织管理员确认。",
    },
)
Goal.objects.update_or_create(campaign=posts, metric="people_posted", defaults={"target": 12})
for place, district, needed in [
    ("连云港站进站口", "海州区", 6),
    ("新浦汽车站", "海州区", 4),
    ("朝阳街道社区服务中心", "连云区", 2),
]:
    Posting.objects.update_or_create(
        campaign=posts,
        place=place,
        defaults={
            "place_kind": "community",
            "district": district,
            "duties": ["宣传引导", "物资分发"],
            "starts_on": today - datetime.timedelta(days=5),
            "people_needed": needed,
        },
    )

random.seed(3)
for number, artwork in enumerate(Citation.objects.filter(kind="artwork").order_by("pk")):
    picture = Image.new("RGB", (800, 600), ["#f3e9d2", "#e8eef6", "#fbe9e9"][number % 3])
    draw = ImageDraw.Draw(picture)
    for ring in range(40):
        x, y, r = random.randint(0, 800), random.randint(0, 600), random.randint(10, 90)
        colour = ["#1d4e89", "#b8860b", "#8a1c1c"][ring % 3]
        draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=4)
    jpeg = io.BytesIO()
    picture.save(jpeg, "JPEG", quality=80)
    artwork.image.save(f"artwork-{artwork.pk}.jpg", ContentFile(jpeg.getvalue()), save=True)
print("Screenshot records added.")
