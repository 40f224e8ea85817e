"""What an upload may contain: every file is inspected before it joins a case's record.

An upload is judged by its content, not its name: libmagic names the type, and only PDF, JPEG
and PNG pass, named to match. Images are measured before they are decoded, then decoded whole;
PDFs are parsed and every object is read for scripts, actions that open or send something, and
embedded files. When clamd is configured, every file is scanned for viruses too
(``documents.scanning``). Each refusal says what is wrong in words an applicant can act on.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import PurePath
from typing import Any

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from core.errors import ApplicationError
from documents import scanning
from documents.constants import ALLOWED_CONTENT_TYPES


class UploadRefused(ApplicationError):
    default_message = gettext_lazy("This file cannot be accepted.")


# What each allowed type starts with. libmagic finds a PDF signature anywhere in the first
# kilobyte; a document must start with it, so that no file is a web page first and a PDF after.
_SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Names for the types people send by mistake, so a refusal can say what the file is.
_PROGRAM = gettext_lazy("a program")
_TYPE_NAMES = {
    "application/pdf": gettext_lazy("a PDF document"),
    "image/jpeg": gettext_lazy("a JPEG image"),
    "image/png": gettext_lazy("a PNG image"),
    "text/html": gettext_lazy("a web page (HTML)"),
    "text/xml": gettext_lazy("an XML file"),
    "image/svg+xml": gettext_lazy("an SVG image"),
    "image/gif": gettext_lazy("a GIF image"),
    "image/webp": gettext_lazy("a WebP image"),
    "image/heic": gettext_lazy("a HEIC photo"),
    "image/heif": gettext_lazy("a HEIF photo"),
    "image/tiff": gettext_lazy("a TIFF image"),
    "image/bmp": gettext_lazy("a BMP image"),
    "text/plain": gettext_lazy("a text file"),
    "application/zip": gettext_lazy("a ZIP archive"),
    "application/x-rar": gettext_lazy("a RAR archive"),
    "application/x-7z-compressed": gettext_lazy("a 7-Zip archive"),
    "application/msword": gettext_lazy("a Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": gettext_lazy(
        "a Word document"
    ),
    "application/x-dosexec": _PROGRAM,
    "application/vnd.microsoft.portable-executable": _PROGRAM,
    "application/x-executable": _PROGRAM,
    "application/x-pie-executable": _PROGRAM,
    "application/x-sharedlib": _PROGRAM,
    "application/x-mach-binary": _PROGRAM,
    "text/x-shellscript": _PROGRAM,
}
# Markup a browser would run, where browsers look for it (the first kilobyte).
_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed)\b", re.I)

# --- PDFs -------------------------------------------------------------------------------------
#
# A PDF action (ISO 32000-2, 12.6) is what a reader does when the document or a page opens or
# closes, a link or a form field is clicked or changed, or the document is printed or saved. An
# action is found wherever it is attached: the catalogue's /OpenAction and /AA, a page's /AA, an
# annotation's /A, /PA and /AA (links, form widgets, screens), a form field's /AA, an outline
# item's /A, the /Next chain of another action, any dictionary typed /Action, and in objects
# packed in compressed object streams as much as in plain ones.
#
# Allowed, because they only move within this document or change how it shows: GoTo and GoToDp
# (a place in this document), Named NextPage, PrevPage, FirstPage and LastPage, Hide,
# SetOCGState (layers), Trans (a page transition), ResetForm, and Thread to an article in this
# document. Every other action is refused, among them: URI (a web page, a mailto: or file: link,
# or a network share that hands the reader's Windows credentials to whoever runs it), Launch,
# JavaScript, SubmitForm, ImportData, GoToR and GoToE (another file), Thread into another file,
# RichMediaExecute, Rendition, Sound, Movie, GoTo3DView, Named actions other than the four page
# moves (Acrobat runs any menu item by name: Print, SaveAs...), and any type the standard does not
# define.
_SCRIPTS = "scripts"
_LINKS = "links"
_EMBEDDED = "embedded"
_PDF_SAFE_ACTIONS = frozenset(
    {"/GoTo", "/GoToDp", "/Named", "/Hide", "/SetOCGState", "/Trans", "/ResetForm", "/Thread"}
)
_PDF_SAFE_NAMED_ACTIONS = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
# Action types refused wherever their dictionary is, attached or not: no other kind of
# dictionary uses these names for its /S.
_PDF_ACTIONS = {
    "/JavaScript": _SCRIPTS,
    "/Launch": _SCRIPTS,
    "/SubmitForm": _SCRIPTS,
    "/ImportData": _SCRIPTS,
    "/GoToR": _SCRIPTS,
    "/GoToE": _SCRIPTS,
    "/RichMediaExecute": _SCRIPTS,
    "/Rendition": _SCRIPTS,
    "/Sound": _SCRIPTS,
    "/Movie": _SCRIPTS,
    "/GoTo3DView": _SCRIPTS,
    "/URI": _LINKS,
}
# Keys whose value is an action (/Next: one or an array); /AA holds one action per trigger.
_PDF_ACTION_KEYS = ("/A", "/PA", "/OpenAction", "/Next")
# The same action types, and the keys that hold scripts or files, as names in the file's bytes.
# A name may be written with #xx escapes (/J#53 is /JS), so names are decoded before they are
# compared.
_ACTIVE_PDF_NAMES = {
    **{name[1:].encode(): finding for name, finding in _PDF_ACTIONS.items()},
    b"JS": _SCRIPTS,
    b"RichMedia": _SCRIPTS,
    b"XFA": _SCRIPTS,
    b"EmbeddedFile": _EMBEDDED,
    b"EmbeddedFiles": _EMBEDDED,
}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
# In the parsed structure: keys that hold scripts or files.
_PDF_KEYS = {
    "/JS": _SCRIPTS,
    "/JavaScript": _SCRIPTS,
    "/XFA": _SCRIPTS,  # XML forms carry their own scripts
    "/RichMediaContent": _SCRIPTS,
    "/EmbeddedFiles": _EMBEDDED,
    "/EF": _EMBEDDED,
}
_PDF_SUBTYPES = {"/RichMedia": _SCRIPTS, "/3D": _SCRIPTS, "/FileAttachment": _EMBEDDED}
# Reading one object costs pypdf about 0.1 ms; scans have tens of objects, long office documents
# a few thousand. A file of tiny objects could otherwise keep a worker busy for half a minute.
_PDF_MAX_OBJECTS = 30_000
_PDF_EOF_WINDOW = 1024


def _raw_pdf_finding(content: bytes) -> str | None:
    """Scripts, refused actions or embedded files named anywhere in the file's uncompressed syntax.

    A second line behind the parsed walk: it also sees objects no cross-reference points to.
    Stream bodies are skipped (their bytes are content or compressed, not names); what object
    streams hold is read once they are decompressed (``_pdf_structure_finding``).
    """
    for match in _PDF_NAME.finditer(_without_stream_bodies(content)):
        name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in _ACTIVE_PDF_NAMES:
            return _ACTIVE_PDF_NAMES[name]
    return None


def _without_stream_bodies(content: bytes) -> bytes:
    # A loop rather than one regular expression, which would take quadratic time on a file of
    # many "stream" keywords with no "endstream".
    parts, position = [], 0
    while match := _PDF_STREAM_START.search(content, position):
        end = content.find(b"endstream", match.end())
        if end == -1:
            break
        parts.append(content[position : match.start()])
        position = end + len(b"endstream")
    parts.append(content[position:])
    return b" ".join(parts)


def pdf_has_active_content(content: bytes) -> bool:
    """Whether a PDF's uncompressed syntax names scripts, actions that open, send or link to
    something, or embedded files."""
    return _raw_pdf_finding(content) is not None


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _name(value: Any) -> str | None:
    value = _resolved(value)
    return value if isinstance(value, NameObject) else None


def _pdf_action_finding(action: Any) -> str | None:
    """What is wrong with an action attached where a reader runs it, if anything."""
    action = _resolved(action)
    if not isinstance(action, DictionaryObject) or "/S" not in action:
        # Not an action: an outline item's /Next is the next item, a movie's /A its settings.
        return None
    kind = _name(action.get("/S"))
    if kind not in _PDF_SAFE_ACTIONS:
        return _PDF_ACTIONS.get(kind or "", _SCRIPTS)
    if kind == "/Named" and _name(action.get("/N")) not in _PDF_SAFE_NAMED_ACTIONS:
        return _SCRIPTS
    if kind == "/Thread" and "/F" in action:
        return _SCRIPTS  # an article in another file
    return None


def _pdf_dictionary_finding(dictionary: DictionaryObject) -> str | None:
    for key in dictionary:
        if key in _PDF_KEYS:
            return _PDF_KEYS[key]
    if finding := _PDF_ACTIONS.get(_name(dictionary.get("/S")) or ""):
        return finding
    if _name(dictionary.get("/Type")) == "/Action" and (finding := _pdf_action_finding(dictionary)):
        return finding
    for key in _PDF_ACTION_KEYS:
        value = _resolved(dictionary.get(key))
        actions = value if key == "/Next" and isinstance(value, ArrayObject) else [value]
        for action in actions:
            if finding := _pdf_action_finding(action):
                return finding
    triggers = _resolved(dictionary.get("/AA"))
    if isinstance(triggers, DictionaryObject):
        for action in triggers.values():
            if finding := _pdf_action_finding(action):
                return finding
    if _name(dictionary.get("/Type")) == "/EmbeddedFile":
        return _EMBEDDED
    return _PDF_SUBTYPES.get(_name(dictionary.get("/Subtype")) or "")


def _pdf_structure_finding(reader: PdfReader) -> str | None:
    """Scripts, refused actions or embedded files anywhere in the parsed document.

    Every object the cross-reference lists is read, those packed in compressed object streams
    included, and everything reachable from the trailer: an action is found wherever it is
    attached (see "PDFs" above).
    """
    pending: list[Any] = [reader.trailer]
    pending += [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            finding = _pdf_dictionary_finding(item)
            if (
                finding is None
                and isinstance(item, StreamObject)
                and _resolved(item.get("/Type")) == "/ObjStm"
            ):
                # Also the objects in it that no cross-reference entry points to.
                finding = _raw_pdf_finding(item.get_data())
            if finding is not None:
                return finding
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


def _refuse_active_pdf(finding: str) -> None:
    if finding == _LINKS:
        raise UploadRefused(
            _(
                "This PDF contains links that open web pages or other files, which we cannot "
                "accept. Save it again without the links, or scan the paper document, and "
                "upload that."
            )
        )
    if finding == _EMBEDDED:
        raise UploadRefused(
            _(
                "This PDF has other files embedded in it, which we cannot accept. Upload each "
                "document as a PDF, JPEG or PNG file of its own."
            )
        )
    raise UploadRefused(
        _(
            "This PDF contains scripts or actions that run when it is opened, which we cannot "
            "accept. Print it to a new PDF or scan the paper document, and upload that."
        )
    )


def _check_pdf(content: bytes) -> None:
    if finding := _raw_pdf_finding(content):
        _refuse_active_pdf(finding)
    unreadable = UploadRefused(
        _(
            "The PDF could not be read: the file may be damaged or incomplete. Save or scan it "
            "again and upload the new file."
        )
    )
    # Readers look for the end marker in the last kilobyte; without it pypdf would search the
    # whole file backwards, line by line.
    if b"%%EOF" not in content[-_PDF_EOF_WINDOW:]:
        raise unreadable
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
        objects = sum(map(len, reader.xref.values())) + len(reader.xref_objStm)
    except Exception as error:  # pypdf raises many kinds of error on a malformed file
        raise unreadable from error
    if encrypted:
        raise UploadRefused(
            _(
                "This PDF is protected by a password or encryption, so we cannot check it. Save "
                "it again without protection, or print it to a new PDF, and upload that."
            )
        )
    if objects > _PDF_MAX_OBJECTS:
        raise UploadRefused(
            _(
                "This PDF is built in too complex a way for us to check. Print it to a new PDF "
                "or scan the paper document, and upload that."
            )
        )
    try:
        finding = _pdf_structure_finding(reader)
        pages = len(reader.pages)
    except Exception as error:
        raise unreadable from error
    if finding:
        _refuse_active_pdf(finding)
    if not pages:
        raise unreadable


def _check_image(content: bytes, content_type: str) -> None:
    formats = [_PILLOW_FORMATS[content_type]]
    limit = settings.DOCUMENT_MAX_IMAGE_PIXELS
    too_large = UploadRefused(
        _(
            "The image is too large: at most %(limit)s million pixels are accepted. Scan at "
            "300 dpi, or make the image smaller, and upload it again."
        )
        % {"limit": f"{limit / 1_000_000:g}"}
    )
    damaged = UploadRefused(
        _(
            "The image could not be read: the file may be damaged or incomplete. Scan or save "
            "it again and upload the new file."
        )
    )
    # Pillow raises many kinds of error on a malformed file: each means we cannot read it.
    try:
        # Opening reads only the header: the size is known before any pixel is decoded.
        with Image.open(io.BytesIO(content), formats=formats) as image:
            width, height = image.size
    except Image.DecompressionBombError as error:
        raise too_large from error
    except Exception as error:
        raise damaged from error
    if width * height > limit:
        raise too_large
    # Pillow pads a truncated image instead of failing once anything in the process has set
    # ImageFile.LOAD_TRUNCATED_IMAGES (WeasyPrint does, on import): the file's own structure
    # is checked first, whatever that flag says.
    if not _IMAGE_IS_COMPLETE[content_type](content):
        raise damaged
    try:
        with Image.open(io.BytesIO(content), formats=formats) as image:
            image.verify()  # chunk checksums, without decoding
        with Image.open(io.BytesIO(content), formats=formats) as image:
            image.load()  # every pixel: corrupt data fails here
    except Exception as error:
        raise damaged from error


def _png_is_complete(content: bytes) -> bool:
    """Every chunk whole with a matching checksum, up to the end chunk (IEND)."""
    data = memoryview(content)
    position = len(_SIGNATURES["image/png"])
    while position + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        end = position + 12 + length
        if end > len(data):
            return False
        (checksum,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(data[position + 4 : end - 4]) != checksum:
            return False
        if kind == b"IEND":
            return True
        position = end
    return False


def _jpeg_is_complete(content: bytes) -> bool:
    """The segments whole up to the first scan, and an end-of-image marker after it."""
    position = len(_SIGNATURES["image/jpeg"]) - 1
    while position + 4 <= len(content):
        if content[position] != 0xFF:
            return False
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD9:  # markers without a length
            return False
        (length,) = struct.unpack_from(">H", content, position + 2)
        if marker == 0xDA:  # start of scan: compressed data, its 0xFF bytes escaped, to EOI
            return content.find(b"\xff\xd9", position + 2 + length) != -1
        position += 2 + length
    return False


_IMAGE_IS_COMPLETE = {"image/png": _png_is_complete, "image/jpeg": _jpeg_is_complete}


def _contains_archive(content: bytes) -> bool:
    """Whether the file is also a ZIP archive (a ZIP reader starts from the end of the file, so
    an archive can ride behind an image or a PDF)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return bool(archive.infolist())
    except Exception:  # not an archive, or a broken one no reader would open either
        return False


def _content_type(content: bytes, name: str) -> str:
    """The file's type by its content; refuse it unless it is an allowed type named to match,
    with nothing else riding along."""
    detected = magic.from_buffer(content, mime=True)
    if detected not in ALLOWED_CONTENT_TYPES:
        if detected in _TYPE_NAMES:
            refusal = _("This file is %(kind)s, which we cannot accept.") % {
                "kind": _TYPE_NAMES[detected]
            }
        else:
            refusal = _("We cannot accept this type of file.")
        allowed = _("Upload a PDF, JPEG or PNG file.")
        raise UploadRefused(f"{refusal} {allowed}")
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_CONTENT_TYPES[detected]:
        names = {
            "suffix": suffix,
            "kind": _TYPE_NAMES[detected],
            "expected": ", ".join(ALLOWED_CONTENT_TYPES[detected]),
        }
        if not suffix:
            raise UploadRefused(
                _(
                    "The file's name has no ending, but the file is %(kind)s: its name should "
                    "end in %(expected)s. Rename it and upload it again."
                )
                % names
            )
        raise UploadRefused(
            _(
                "The file's name ends in %(suffix)s, but the file is %(kind)s: its name should "
                "end in %(expected)s. Rename it, or upload the right file."
            )
            % names
        )
    if (
        not content.startswith(_SIGNATURES[detected])
        or _MARKUP.search(content[:1024])
        or _contains_archive(content)
    ):
        raise UploadRefused(
            _(
                "This file contains something besides the document (such as a web page or an "
                "archive hidden in it), which we cannot accept. Save or scan the document "
                "again and upload the new file."
            )
        )
    return detected


def validate_upload(upload: UploadedFile) -> tuple[bytes, str]:
    """Read an upload and check it can do no harm to whoever opens it: its size, its real type
    (PDF, JPEG or PNG, named to match), its content (no oversized or broken images, no scripts,
    dangerous actions or embedded files in PDFs) and, when clamd is configured, viruses.

    Return the bytes and the type; raise ``UploadRefused`` with a message fit for the applicant.
    """
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    too_large = _("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)}
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(too_large)
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(too_large)
    if not content:
        raise UploadRefused(_("The file is empty."))
    content_type = _content_type(content, upload.name or "")
    if content_type == "application/pdf":
        _check_pdf(content)
    else:
        _check_image(content, content_type)
    if scanning.scanning_enabled():
        try:
            found = scanning.scan_for_viruses(content)
        except scanning.ScannerUnavailable as error:
            raise UploadRefused(
                _(
                    "We cannot check files for viruses at the moment, so the file was not "
                    "accepted. Try again in a few minutes."
                )
            ) from error
        if found:
            raise UploadRefused(
                _(
                    "Our virus check found harmful content in this file, so it cannot be "
                    "accepted. Check your device for viruses and upload a clean copy."
                )
            )
    return content, content_type
