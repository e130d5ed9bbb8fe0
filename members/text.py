"""Search and sort keys for Chinese names: simplified characters, traditional characters and pinyin.

赵丽, 趙麗 and "zhaoli" (or its initials "zl") must all find 赵丽. We store one lowercase search
key per member (simplified name, full pinyin, initials) and normalise every query the same way,
so a search is a single indexed ``LIKE`` on that key.
"""

import functools
import re

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
