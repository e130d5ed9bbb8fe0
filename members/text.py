"""Search and sort keys for Chinese names: simplified characters, traditional characters and pinyin;
and slugs (web addresses) spelt in pinyin.

赵丽, 趙麗 and "zhaoli" (or its initials "zl") must all find 赵丽. We store one lowercase search
key per member (simplified name, full pinyin, initials) and normalise every query the same way,
so a search is a single indexed ``LIKE`` on that key.
"""

import functools
import re

from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

WHITESPACE = re.compile(r"\s+")


@functools.cache
def _to_simplified():
    from opencc import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    return _to_simplified().convert(text)


def pinyin_sort_key(name: str) -> str:
    """'赵丽' -> 'zhao li': sorts names the way a Chinese reader expects (the database's
    collation would sort by code point)."""
    return " ".join(lazy_pinyin(simplified(name))).lower()


def search_key(name: str) -> str:
    """'趙麗' -> '赵丽 zhaoli zl'."""
    plain = simplified(WHITESPACE.sub("", name))
    full = "".join(lazy_pinyin(plain)).lower()
    initials = "".join(lazy_pinyin(plain, style=Style.FIRST_LETTER)).lower()
    return f"{plain.lower()} {full} {initials}"


def normalise_query(query: str) -> str:
    """What a typed query is compared with: simplified, lowercase, without spaces."""
    return simplified(WHITESPACE.sub("", query)).lower()


def pinyin_slug(text: str, max_length: int) -> str:
    """'2021年洪灾救助' -> '2021-nian-hong-zai-jiu-zhu': a slug a reader can say, one syllable a
    word (the initials, '2021nhzjz', would read as noise and clash more often). Other text is
    kept as slugify keeps it; cut at a word, never inside one."""
    words = [slugify(part) for part in lazy_pinyin(simplified(text))]
    slug = ""
    for word in filter(None, words):
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length:
            break
        slug = longer
    return slug
