"""Finding 4 of issue 7: adding a capability to the vocabulary twice by a double click adds it once."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_user
from tests.write_once_support import ALREADY, messages_of, token_of
from yunghap.accounts.models import Role
from yunghap.matching.models import Capability


def test_vocabulary_form(client, vocabulary):
    client.force_login(make_user("hq", Role.CENTRAL_STAFF))
    url = reverse("matching:vocabulary_create")
    token = token_of(client.get(url))
    data = {"name": "도금", "synonyms": "전기도금", "english_terms": "plating", "form_token": token}
    before = Capability.objects.count()
    responses = [client.post(url, data) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert Capability.objects.count() == before + 1
    assert ALREADY in messages_of(responses[2])
    # The edit form has no token (edits repeat harmlessly).
    edit = client.get(reverse("matching:vocabulary_edit", args=[Capability.objects.get(name="도금").pk]))
    assert 'name="form_token"' not in edit.content.decode()
