from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, make_user
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.matching.models import Capability

pytestmark = pytest.mark.django_db


def test_staff_keep_the_vocabulary_others_are_refused(client, vocabulary, django_assert_max_num_queries):
    staff = make_user("hq", Role.CENTRAL_STAFF)
    firm_user = make_user("firm1", Role.FIRM_USER, firm=FirmFactory())
    client.force_login(firm_user)
    assert client.get(reverse("matching:vocabulary_list")).status_code == 403
    assert client.post(reverse("matching:vocabulary_create"), {"name": "도금"}).status_code == 403

    client.force_login(staff)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("matching:vocabulary_list"))
    assert page.status_code == 200 and "금형 제작" in page.content.decode()
    response = client.post(
        reverse("matching:vocabulary_create"),
        {"name": "도금", "synonyms": "전기도금; 표면처리", "english_terms": "plating", "description": ""},
    )
    assert response.status_code == 302
    plating = Capability.objects.get(name="도금")
    assert plating.synonyms == ["전기도금", "표면처리"] and plating.english_terms == ["plating"]
    assert AuditLog.objects.filter(action="capability.create", object_id=str(plating.pk)).exists()

    duplicate = client.post(reverse("matching:vocabulary_create"), {"name": "도금"})
    assert duplicate.status_code == 200 and "이미 있습니다" in duplicate.content.decode()
    assert client.post(reverse("matching:vocabulary_delete", args=[plating.pk])).status_code == 302
    assert not Capability.objects.filter(name="도금").exists()
