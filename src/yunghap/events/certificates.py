"""The completion certificate (수료증, issue 11 item 3): its number and its one-page A4 PDF.

Numbers read `EVENTCODE-00042-K`: the event's code (upper case), the certificate's sequence within the event
(at least five digits) and one check character (ISO 7064 MOD 37,36 over the code's letters and digits and the
sequence; the code's hyphens are not part of the check, so a moved hyphen is caught by the look-up, not
here). The check character catches every single mistyped character and every swap of two neighbours, so
the public verification page can say "this is not a certificate number" before looking anything up, instead
of "not found" for a typo. `parse_certificate_number` is lenient about what people do when they copy a number
(lower case, spaces, typographic dashes) and strict about everything else.

The PDF embeds a Korean TrueType/OpenType font (a subset: only the glyphs used), found at run time among the
Debian packages' paths (`fonts-nanum`, else `fonts-noto-cjk`, which `make browser-deps` installs), so Hangul
renders the same in every viewer, with or without Korean fonts of its own. The text is drawn as real text
(extractable, searchable), never as an image. The same inputs give the same bytes (the creation date is the
completion date), so issuing a certificate twice gives one document.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import pgettext, pgettext_lazy

# ---- the number -----------------------------------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQ_DIGITS = 5
_EVENT_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_NUMBER = re.compile(
    rf"(?P<code>[A-Z0-9]+(?:-[A-Z0-9]+)*)-(?P<seq>[0-9]{{{SEQ_DIGITS},}})-(?P<check>[0-9A-Z])"
)
# What copying from a PDF, a chat or a word processor does to a hyphen.
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "－": "-"})

NOT_A_NUMBER = pgettext_lazy("certificate", "수료증 번호의 형식이 올바르지 않습니다. 예: SEM2026-00042-K")
WRONG_CHECK = pgettext_lazy("certificate", "수료증 번호가 올바르지 않습니다. 번호를 다시 확인해 주세요.")


class InvalidCertificateNumber(ValueError):
    """A text that is not a certificate number: `code` is `format` or `check` (the message is Korean)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CertificateNumber:
    event_code: str
    seq: int

    def __str__(self) -> str:
        return certificate_number(self.event_code, self.seq)


def _check_character(payload: str) -> str:
    """ISO 7064 MOD 37,36 (hybrid system): one character of the same alphabet as the payload."""
    modulus = len(ALPHABET)
    product = modulus
    for char in payload:
        total = (product + ALPHABET.index(char)) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return ALPHABET[(modulus + 1 - product) % modulus]


def _payload(event_code: str, seq_text: str) -> str:
    return event_code.replace("-", "") + seq_text


def certificate_number(event_code: str, seq: int) -> str:
    """The certificate number of the `seq`-th certificate (from 1) of the event `event_code`."""
    code = event_code.strip().upper()
    if not _EVENT_CODE.fullmatch(code):
        raise ValueError(f"an event code of letters, digits and single hyphens is needed, not {event_code!r}")
    if seq < 1:
        raise ValueError(f"certificate sequences start at 1, not {seq}")
    seq_text = f"{seq:0{SEQ_DIGITS}d}"
    return f"{code}-{seq_text}-{_check_character(_payload(code, seq_text))}"


def parse_certificate_number(text: str) -> CertificateNumber:
    """The event code and sequence of a certificate number as typed; `InvalidCertificateNumber` otherwise."""
    cleaned = "".join(str(text).translate(_DASHES).split()).upper()
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        raise InvalidCertificateNumber("format", str(NOT_A_NUMBER))
    code, seq_text = match["code"], match["seq"]
    # `00042` and `000042` would be the same certificate; only the form `certificate_number` prints is one.
    if len(seq_text) > SEQ_DIGITS and seq_text.startswith("0"):
        raise InvalidCertificateNumber("format", str(NOT_A_NUMBER))
    if int(seq_text) < 1 or _check_character(_payload(code, seq_text)) != match["check"]:
        raise InvalidCertificateNumber("check", str(WRONG_CHECK))
    return CertificateNumber(code, int(seq_text))


# ---- the font -------------------------------------------------------------------------------------------

FONT_ENV = "YUNGHAP_CERTIFICATE_FONT"
# (regular, bold) in order of preference: TrueType outlines first (smallest subsets, the most faithful text
# extraction), then the OpenType collection `make browser-deps` installs.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf",
        "/usr/share/fonts/truetype/nanum/NanumMyeongjoBold.ttf",
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    ),
)


class CertificateFontMissing(RuntimeError):
    """No Korean font on this machine: certificates cannot be drawn (an installation problem, not a user's)."""


@dataclass(frozen=True)
class FontFile:
    path: str
    # The Korean member of a collection (.ttc); 0 for a single font.
    index: int = 0


def _korean_member(path: str) -> int:
    """The index of the Korean (KR) font inside a CJK collection, by its family name."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            family = str(font["name"].getDebugName(1) or "")
            if family.endswith(" KR") or "Korean" in family:
                return index
    finally:
        collection.close()
    raise CertificateFontMissing(f"{path} holds no Korean (KR) font")


def _font_file(path: str) -> FontFile:
    return FontFile(path, _korean_member(path) if path.lower().endswith((".ttc", ".otc")) else 0)


@functools.cache
def korean_fonts() -> tuple[FontFile, FontFile]:
    """The (regular, bold) Korean font files to embed; `CertificateFontMissing` says what to install."""
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen:
        if not Path(chosen).is_file():
            raise CertificateFontMissing(f"{FONT_ENV}={chosen} is not a font file")
        font = _font_file(chosen)
        return font, font
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file():
            return _font_file(regular), _font_file(bold if Path(bold).is_file() else regular)
    raise CertificateFontMissing(
        "No Korean font for certificates: install fonts-nanum or fonts-noto-cjk "
        f"(`make browser-deps`), or set {FONT_ENV} to a .ttf/.ttc file. Looked for: "
        + ", ".join(regular for regular, _bold in FONT_CANDIDATES)
    )


# ---- the PDF --------------------------------------------------------------------------------------------

KST = datetime.timezone(datetime.timedelta(hours=9), "KST")
PAGE_WIDTH = 210  # A4, millimetres
PAGE_HEIGHT = 297


def _hours_text(hours: Decimal | int) -> str:
    """12 → "12", Decimal("1.50") → "1.5": hours as people write them, never in exponent notation."""
    value = Decimal(hours)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def certificate_pdf(
    number: str,
    name: str,
    course_title: str,
    hours: Decimal | int,
    completed_on: datetime.date,
    issuer: str,
    *,
    verify_url: str | None = None,
) -> bytes:
    """The one-page A4 수료증 of `name` for `course_title`, as PDF bytes (labels in the active language).

    The labels carry the context "certificate", so that a "성명" elsewhere may translate differently.

    `verify_url` (the public verification page) is printed at the foot when given.
    """
    from fpdf import FPDF

    regular, bold = korean_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)  # one page, always: long titles wrap inside their box
    pdf.set_creation_date(datetime.datetime.combine(completed_on, datetime.time(), tzinfo=KST))
    pdf.set_title(f"{pgettext('certificate', '수료증')} {number}")
    pdf.set_subject(course_title)
    pdf.set_author(issuer)
    pdf.set_lang("ko")
    pdf.add_font("korean", "", regular.path, collection_font_number=regular.index)
    pdf.add_font("korean", "B", bold.path, collection_font_number=bold.index)
    pdf.add_page()
    pdf.set_margins(28, 28, 28)

    # A double frame, the customary look of a Korean certificate.
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, PAGE_WIDTH - 24, PAGE_HEIGHT - 24)
    pdf.set_line_width(0.3)
    pdf.rect(15, 15, PAGE_WIDTH - 30, PAGE_HEIGHT - 30)

    pdf.set_font("korean", "", 11)
    pdf.set_xy(28, 26)
    pdf.cell(text=pgettext("certificate", "제 %(number)s 호") % {"number": number})

    pdf.set_font("korean", "B", 38)
    pdf.set_xy(0, 52)
    pdf.cell(w=PAGE_WIDTH, h=20, text=pgettext("certificate", "수 료 증"), align="C")

    rows = (
        (pgettext("certificate", "성명"), name),
        (pgettext("certificate", "교육과정"), course_title),
        (
            pgettext("certificate", "이수시간"),
            pgettext("certificate", "%(hours)s시간") % {"hours": _hours_text(hours)},
        ),
        (pgettext("certificate", "수료일"), completed_on.isoformat()),
    )
    y = 100.0
    for label, value in rows:
        pdf.set_font("korean", "B", 14)
        pdf.set_xy(36, y)
        pdf.cell(w=34, h=9, text=label)
        pdf.set_font("korean", "", 14)
        pdf.set_xy(70, y)
        pdf.multi_cell(w=104, h=9, text=value, align="L")
        y = max(pdf.get_y(), y + 9) + 5

    pdf.set_font("korean", "", 15)
    pdf.set_xy(30, max(y + 14, 165))
    pdf.multi_cell(
        w=PAGE_WIDTH - 60,
        h=10,
        text=pgettext("certificate", "위 사람은 위 교육과정을 성실히 이수하였으므로 이 증서를 수여합니다."),
        align="C",
    )

    pdf.set_font("korean", "", 14)
    pdf.set_xy(0, 215)
    pdf.cell(w=PAGE_WIDTH, h=10, text=completed_on.isoformat(), align="C")
    pdf.set_font("korean", "B", 20)
    pdf.set_xy(20, 232)
    pdf.multi_cell(w=PAGE_WIDTH - 40, h=12, text=issuer, align="C")

    pdf.set_font("korean", "", 9)
    pdf.set_xy(20, 264)
    foot = pgettext("certificate", "이 수료증의 진위는 수료증 번호 %(number)s 로 확인할 수 있습니다.") % {
        "number": number
    }
    if verify_url:
        foot = f"{foot}\n{verify_url}"
    pdf.multi_cell(w=PAGE_WIDTH - 40, h=5, text=foot, align="C")
    return bytes(pdf.output())
