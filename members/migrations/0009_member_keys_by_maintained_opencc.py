"""Members' pinyin and search keys made again by the maintained opencc (issue 14, item 8).

opencc-python-reimplemented, which made the stored keys, and opencc 1.4 simplify some characters
differently (甯 stays 甯 now; look-alike compatibility ideographs such as U+F90F 羅 become 罗):
a key stored by the former would not match the same name typed today. Only the rows whose keys
change are written, one UPDATE per distinct name. History leaves these derived columns out.
"""

import re

from django.db import migrations
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

WHITESPACE = re.compile(r"\s+")


def member_keys(name, converter):
    # members/text.py's pinyin_sort_key and search_key as they are at this migration, copied:
    # a migration must not follow later changes of the app's code.
    name_pinyin = " ".join(lazy_pinyin(converter.convert(name))).lower()
    plain = converter.convert(WHITESPACE.sub("", name))
    full = "".join(lazy_pinyin(plain)).lower()
    initials = "".join(lazy_pinyin(plain, style=Style.FIRST_LETTER)).lower()
    return name_pinyin, f"{plain.lower()} {full} {initials}"


def recompute_member_keys(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    converter = OpenCC("t2s")
    stored = (
        Member.objects.order_by()
        .values_list("name", "name_pinyin", "search_key")
        .distinct()
        .iterator()
    )
    changed = {}
    for name, name_pinyin, search_key in stored:
        keys = member_keys(name, converter)
        if keys != (name_pinyin, search_key):
            changed[name] = keys
    for name, (name_pinyin, search_key) in changed.items():
        Member.objects.filter(name=name).update(name_pinyin=name_pinyin, search_key=search_key)


class Migration(migrations.Migration):
    dependencies = [("members", "0008_public_data_version_at_commit")]

    # Going back keeps these keys: the former ones cannot be made without the former package.
    operations = [migrations.RunPython(recompute_member_keys, migrations.RunPython.noop)]
