"""What an uploaded file really is, judged by its bytes rather than its name.

Each test reads from the file's current position and may leave it anywhere: the caller rewinds.
They read no more than they need, except text, which is read whole (the caller has already
refused anything over the size limit).
"""

import zipfile
import zlib
from xml.etree import ElementTree

# Pictures by their first bytes.
IMAGE_TYPES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}

# OOXML (docx, xlsx): a zip whose [Content_Types].xml names each part's type; the main part's
# type says what the package is. These are the plain document and workbook.
WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CONTENT_TYPES_NAMESPACE = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# A real package's content types take a few kilobytes; a bigger one is no document we want,
# and reading it whole could be a zip bomb's way into memory.
CONTENT_TYPES_MAX_BYTES = 256 * 1024
# What a broken or hostile zip can raise while it is opened and read.
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,  # a compression method zipfile lacks
    RuntimeError,  # an encrypted member
    ElementTree.ParseError,
)


class MacrosFound(Exception):
    """An Office package that carries macros (a .docm or .xlsm, whatever its name)."""


def starts_with(file, magic: bytes) -> bool:
    return file.read(len(magic)) == magic


def is_text(file) -> bool:
    """UTF-8 (with or without BOM) or GB18030 (which GBK files are), with no NUL byte: UTF-16
    text and binary files have them."""
    content = file.read()
    if b"\x00" in content:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def is_office_package(file, main_type: str) -> bool:
    """Whether ``file`` is an OOXML package whose main part, present in it, is of ``main_type``.

    Raises MacrosFound for a package with a macro project or a macro-enabled type, which a
    renamed .docm or .xlsm is: Word and Excel open one by its content, not by its name.
    """
    try:
        with zipfile.ZipFile(file) as package:
            names = {name.lower() for name in package.namelist()}
            if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
                raise MacrosFound
            with package.open("[Content_Types].xml") as part:
                content_types = part.read(CONTENT_TYPES_MAX_BYTES + 1)
            if len(content_types) > CONTENT_TYPES_MAX_BYTES or b"<!DOCTYPE" in content_types:
                return False  # no real package declares entities
            types = ElementTree.fromstring(content_types)
    except UNREADABLE_ZIP:
        return False
    main_parts = set()
    for entry in types:
        content_type = entry.get("ContentType", "")
        if "macroenabled" in content_type.lower() or content_type.endswith(".vbaProject"):
            raise MacrosFound
        if entry.tag == f"{CONTENT_TYPES_NAMESPACE}Override" and content_type == main_type:
            main_parts.add(entry.get("PartName", "").lstrip("/").lower())
    return bool(main_parts & names)


def is_image(extension: str):
    """A test that a file is the picture ``extension`` names (".jpg", ".jpeg", ".png")."""
    return lambda file: starts_with(file, IMAGE_TYPES[extension])
