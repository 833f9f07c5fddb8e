"""Introduction.reasons: Korean sentences → message codes with parameters (issue 8 §3).

Each stored sentence is read back against the Korean templates it was written from; a sentence that
fits none is kept verbatim under the code `text`. Self-contained: the templates are copied here so that a
later change of wording in `matching/message_codes.py` does not change what this migration reads.
"""

import re

from django.db import migrations

PARTS = {
    "수요": "matching.lead.need",
    "제공": "matching.lead.offer",
    "비공개 기술 제공": "matching.unshared.offer",
    "비공개 기술 수요": "matching.unshared.need",
    "회원사 보유기술·제품": "matching.profile",
}
TEMPLATES = {
    "matching.reason.capabilities": "%(lead)s ‘%(asked)s’에 맞는 역량: %(caps)s (‘%(theirs)s’)",
    "matching.reason.shared_words": "%(lead)s ‘%(asked)s’와 겹치는 말: %(terms)s (‘%(theirs)s’)",
    "matching.reason.terms": "일치하는 말: %(terms)s",
    "matching.reason.same_industry": "업종: %(pair)s (같은 업종)",
    "matching.reason.cross_industry": "업종: %(pair)s (이업종)",
    "matching.reason.shared_groups": "이미 같은 교류회 회원: %(groups)s",
    "matching.reason.same_region": "같은 지역: %(region)s",
    "matching.reason.region": "지역: %(region)s",
}
LISTS = {"caps", "terms", "groups"}
PARAM = re.compile(r"%\((\w+)\)s")


def _pattern(template):
    out, last = "", 0
    for m in PARAM.finditer(template):
        out += re.escape(template[last : m.start()]) + f"(?P<{m.group(1)}>.+?)"
        last = m.end()
    return re.compile("^" + out + re.escape(template[last:]) + "$", re.S)


# Longer templates first: `같은 지역:` must not be read as `지역:` with the region "같은 …".
PATTERNS = sorted(((code, _pattern(t)) for code, t in TEMPLATES.items()), key=lambda p: -len(TEMPLATES[p[0]]))


def _value(name, value):
    if value in PARTS:
        return {"code": PARTS[value], "params": {}}
    if name in LISTS:
        return value.split(", ")
    return value


def to_code(text):
    if isinstance(text, dict):
        return text
    for code, pattern in PATTERNS:
        m = pattern.match(text)
        if m:
            return {"code": code, "params": {k: _value(k, v) for k, v in m.groupdict().items()}}
    return {"code": "text", "params": {"text": text}}


def to_text(item):
    if not isinstance(item, dict):
        return item
    code, params = item.get("code"), item.get("params") or {}
    if code == "text":
        return params.get("text", "")
    names = {v: k for k, v in PARTS.items()}

    def plain(v):
        if isinstance(v, dict):
            return names.get(v.get("code"), "")
        if isinstance(v, list):
            return ", ".join(str(x) for x in v)
        return v

    return TEMPLATES.get(code, code) % {k: plain(v) for k, v in params.items()}


def forwards(apps, schema_editor):
    Introduction = apps.get_model("introductions", "Introduction")
    for intro in Introduction.objects.exclude(reasons=[]).only("id", "reasons").iterator(chunk_size=500):
        coded = [to_code(r) for r in intro.reasons or []]
        if coded != intro.reasons:
            Introduction.objects.filter(pk=intro.pk).update(reasons=coded)


def backwards(apps, schema_editor):
    Introduction = apps.get_model("introductions", "Introduction")
    for intro in Introduction.objects.exclude(reasons=[]).only("id", "reasons").iterator(chunk_size=500):
        Introduction.objects.filter(pk=intro.pk).update(reasons=[to_text(r) for r in intro.reasons or []])


class Migration(migrations.Migration):
    dependencies = [("introductions", "0003_introduction_requests_and_notes")]

    operations = [migrations.RunPython(forwards, backwards)]
