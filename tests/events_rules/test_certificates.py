"""The completion certificate: a numbered one-page A4 PDF with Hangul in an embedded font; numbers refuse typos."""

from __future__ import annotations

import datetime
import io
import itertools
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from yunghap.events import certificates
from yunghap.events.certificates import (
    ALPHABET,
    CertificateFontMissing,
    CertificateNumber,
    InvalidCertificateNumber,
    certificate_number,
    certificate_pdf,
    parse_certificate_number,
)

NAME = "홍길동"
TITLE = "기술융합 협력 아카데미"
ISSUER = "중소기업이업종교류연합회장"
ON = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def korean():
    with translation.override("ko"):
        yield


def pdf_of(**changes) -> bytes:
    fields = {
        "number": certificate_number("SEM2026", 42),
        "name": NAME,
        "course_title": TITLE,
        "hours": Decimal("12.50"),
        "completed_on": ON,
        "issuer": ISSUER,
    }
    fields.update(changes)
    return certificate_pdf(**fields)


def text_of(data: bytes) -> str:
    # pypdf puts spaces (and, for the CFF outlines of the Noto fallback, NULs) between glyphs it cannot place
    # by the widths: compare the characters only. The words and their order are what a reader copies.
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(reader.pages[0].extract_text().replace("\x00", "").split())


def fonts_of(data: bytes) -> list[dict]:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    found = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        found.append(
            {"base": str(font["/BaseFont"]), "descriptor": descendant["/FontDescriptor"].get_object()}
        )
    return found


@pytest.fixture
def fresh_fonts(monkeypatch):
    certificates.korean_fonts.cache_clear()
    yield monkeypatch
    certificates.korean_fonts.cache_clear()


def test_the_certificate_is_one_a4_page_of_pdf_with_the_name_in_hangul() -> None:
    data = pdf_of()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = text_of(data)
    for expected in (
        "수료증",
        "제SEM2026-00042-D호",
        "성명홍길동",
        "교육과정기술융합협력아카데미",
        "이수시간12.5시간",
        "수료일2026-12-02",
        "위사람은위교육과정을성실히이수하였으므로이증서를수여합니다.",
        ISSUER,
        "이수료증의진위는수료증번호SEM2026-00042-D로확인할수있습니다.",
    ):
        assert expected in text


def test_the_labels_follow_the_active_language() -> None:
    with translation.override("en"):
        text = text_of(pdf_of())
    assert "No.SEM2026-00042-D" in text
    assert "CertificateofCompletion" in text
    assert "Name홍길동" in text
    assert "Hours12.5hours" in text


def test_the_korean_font_is_embedded() -> None:
    fonts = fonts_of(pdf_of())
    assert len(fonts) == 2  # regular and bold
    for font in fonts:
        # A subset (tag + name), with the font program inside the file, not a reference to the reader's fonts.
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", font["base"])
        assert any(key in font["descriptor"] for key in ("/FontFile2", "/FontFile3"))


def test_the_same_certificate_gives_the_same_bytes() -> None:
    assert pdf_of() == pdf_of()
    assert pdf_of() != pdf_of(name="김영희")


def test_a_long_title_wraps_on_the_one_page_and_hours_read_as_people_write_them() -> None:
    long_title = "이업종 교류 협력 " * 12 + "심화과정"
    data = pdf_of(
        course_title=long_title, hours=12, verify_url="https://yunghap.example/certificates/verify/"
    )
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    text = text_of(data)
    assert "".join(long_title.split()) in text
    assert "이수시간12시간" in text
    assert "https://yunghap.example/certificates/verify/" in text
    assert "이수시간0.5시간" in text_of(pdf_of(hours=Decimal("0.50")))
    assert "이수시간100시간" in text_of(pdf_of(hours=Decimal("1E+2")))


def test_an_opentype_collection_font_is_found_by_its_korean_member(fresh_fonts) -> None:
    noto = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    if not Path(noto).is_file():
        pytest.skip("fonts-noto-cjk is not installed")
    fresh_fonts.setenv(certificates.FONT_ENV, noto)
    data = pdf_of()
    assert all(font["base"].endswith("KR") for font in fonts_of(data))
    assert "성명홍길동" in text_of(data)


def test_without_a_korean_font_the_error_says_what_to_install(fresh_fonts) -> None:
    fresh_fonts.setattr(certificates, "FONT_CANDIDATES", (("/nonexistent/a.ttf", "/nonexistent/b.ttf"),))
    with pytest.raises(CertificateFontMissing, match="install fonts-nanum or fonts-noto-cjk") as error:
        pdf_of()
    assert "/nonexistent/a.ttf" in str(error.value)
    fresh_fonts.setenv(certificates.FONT_ENV, "/nonexistent/c.ttf")
    with pytest.raises(
        CertificateFontMissing, match="YUNGHAP_CERTIFICATE_FONT=/nonexistent/c.ttf is not a font file"
    ):
        pdf_of()


# ---- numbers ---------------------------------------------------------------------------------------------


def test_a_number_reads_event_sequence_check_and_round_trips() -> None:
    number = certificate_number("sem2026", 42)
    assert number == "SEM2026-00042-D"
    assert parse_certificate_number(number) == CertificateNumber("SEM2026", 42)
    assert str(parse_certificate_number(number)) == number
    # What copying does to a number is forgiven.
    assert parse_certificate_number("  sem2026 – 00042 – d ") == CertificateNumber("SEM2026", 42)
    # Hyphenated codes and long sequences.
    assert parse_certificate_number(certificate_number("2026-NAT-01", 123456)) == CertificateNumber(
        "2026-NAT-01", 123456
    )


@given(
    st.from_regex(r"[A-Z0-9]{1,6}(-[A-Z0-9]{1,6}){0,2}", fullmatch=True),
    st.integers(min_value=1, max_value=10**7),
)
def test_every_number_round_trips(code: str, seq: int) -> None:
    assert parse_certificate_number(certificate_number(code, seq)) == CertificateNumber(code, seq)


def test_every_single_typo_and_every_swap_of_neighbours_is_refused() -> None:
    number = certificate_number("SEM2026", 42)
    positions = [i for i, char in enumerate(number) if char != "-"]
    for i in positions:
        for char in ALPHABET:
            if char != number[i]:
                typo = number[:i] + char + number[i + 1 :]
                with pytest.raises(InvalidCertificateNumber):
                    parse_certificate_number(typo)
    for i, j in itertools.pairwise(positions):
        if j == i + 1 and number[i] != number[j]:
            swapped = number[:i] + number[j] + number[i] + number[j + 1 :]
            with pytest.raises(InvalidCertificateNumber):
                parse_certificate_number(swapped)


def test_a_typo_is_refused_with_a_korean_message() -> None:
    with pytest.raises(InvalidCertificateNumber) as error:
        parse_certificate_number("SEM2026-00043-D")
    assert error.value.code == "check"
    assert str(error.value) == "수료증 번호가 올바르지 않습니다. 번호를 다시 확인해 주세요."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "SEM2026",
        "SEM2026-42-D",
        "SEM2026-00042",
        "SEM2026-00042-DD",
        "수료-00042-D",
        "SEM2026-000042-D",
        "-00042-D",
    ],
)
def test_what_is_not_a_number_is_refused_as_such(text: str) -> None:
    with pytest.raises(InvalidCertificateNumber) as error:
        parse_certificate_number(text)
    assert error.value.code == "format"
    assert str(error.value) == "수료증 번호의 형식이 올바르지 않습니다. 예: SEM2026-00042-K"


def test_sequence_zero_and_bad_codes_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="certificate sequences start at 1, not 0"):
        certificate_number("SEM2026", 0)
    with pytest.raises(ValueError, match="an event code of letters, digits and single hyphens"):
        certificate_number("세미나", 1)
    # A number with sequence zero and a valid-looking check is refused too.
    payload_zero = "SEM2026-00000-" + certificates._check_character("SEM202600000")
    with pytest.raises(InvalidCertificateNumber):
        parse_certificate_number(payload_zero)
