import pytest

from yunghap.core.masking import mask_email, mask_name, mask_phone
from yunghap.core.validators import brn_is_valid, format_brn, ksic_division_of, normalize_brn


@pytest.mark.parametrize("brn", ["1168200276", "1348672683", "1248100998", "2208162517", "116-82-00276"])
def test_valid_business_registration_numbers_pass(brn):
    assert brn_is_valid(brn)


@pytest.mark.parametrize("brn", ["1168200278", "123456789", "0998100998", "", "abcdefghij", "11682002761"])
def test_invalid_business_registration_numbers_fail(brn):
    assert not brn_is_valid(brn)


def test_brn_is_normalised_and_formatted():
    assert normalize_brn("116-82-00276") == "1168200276"
    assert format_brn("1168200276") == "116-82-00276"


@pytest.mark.parametrize(
    ("code", "division"), [("26", "26"), ("C26", "26"), ("26110", "26"), ("2", ""), ("x", "")]
)
def test_ksic_division_is_taken_from_longer_codes(code, division):
    assert ksic_division_of(code) == division


def test_personal_data_masks():
    assert mask_name("홍길동") == "홍*동"
    assert mask_name("남궁민수") == "남**수"
    assert mask_name("홍길") == "홍*"
    assert mask_phone("010-1234-5678") == "010-****-5678"
    assert mask_phone("02-123-4567") == "02-****-4567"
    assert mask_phone("02-1234-5678") == "02-****-5678"
    assert mask_phone("031-123-4567") == "031-****-4567"
    assert mask_email("hong@example.com") == "h***@example.com"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("555-1234", "***-1234"), ("1588-1234", "***-1234"), ("5551234", "***-1234"), ("12345", "*****")],
)
def test_short_phone_numbers_show_only_the_last_four_digits(phone, masked):
    # 555-1234 used to be shown whole: a local number has no area code to hide behind.
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("address", ["admin@example.com", "ad@example.com", "a@example.com"])
def test_email_mask_keeps_only_the_first_character(address):
    # "ad***@" read as "admin@" for every role address; only the first character may remain.
    assert mask_email(address) == "a***@example.com"


def test_unicode_digits_are_not_a_brn_or_an_id():
    """`"²".isdigit()` is true but int("²") raises: such input must be refused, not crash (issue 7, 7.3)."""
    from django.core.exceptions import ValidationError as _ValidationError

    from yunghap.core.params import parse_id
    from yunghap.core.validators import brn_is_valid, ksic_division_of, validate_brn

    assert brn_is_valid("²" * 10) is False
    with pytest.raises(_ValidationError) as caught:
        validate_brn("²" * 10)
    assert caught.value.code == "brn_length"
    assert ksic_division_of("²²") == ""
    assert parse_id("²") is None and parse_id("9" * 5000) is None and parse_id("42") == 42
