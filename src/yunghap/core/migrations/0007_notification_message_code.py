"""Notifications are stored as a message code with parameters (core.messages_catalogue), shown in the
reader's language. Existing rows keep their Korean text as the fallback; those whose text matches one of
the messages written so far get its code and the parameters read back out of the text."""

import re

from django.db import migrations, models

# The Korean texts as they were written up to this migration (frozen here: the live ones may change).
# A particle mark matches the combined form stored then ("이(가)") or either single form.
WRITTEN = {
    "introduction.accept": "%(seeker)s–%(partner)s 소개: 양측이 모두 수락했습니다. 이제 상대 기업의 연락처를 볼 수 있습니다.",
    "introduction.accept.partial": "%(actor_firm)s이(가) %(seeker)s–%(partner)s 소개를 수락했습니다. 상대 기업의 응답을 기다립니다.",
    "introduction.close": "%(seeker)s–%(partner)s 소개가 종결되었습니다.",
    "introduction.decline": "%(seeker)s–%(partner)s 소개가 성사되지 않았습니다(%(actor_firm)s 거절).",
    "introduction.expire": "%(seeker)s–%(partner)s 소개 요청의 응답 기한(%(deadline)s)이 지났습니다.",
    "introduction.extend": "%(seeker)s–%(partner)s 소개 요청의 응답 기한이 %(deadline)s(으)로 연장되었습니다.",
    "introduction.follow_up_due": "%(seeker)s–%(partner)s 소개 후 6개월이 지났습니다. 그 뒤 어떤 결과가 있었는지 알려 주세요.",
    "introduction.record_follow_up": "%(seeker)s–%(partner)s 소개의 후속 확인이 기록되어 종결되었습니다.",
    "introduction.record_meeting": "%(seeker)s–%(partner)s 미팅이 완료로 기록되었습니다.",
    "introduction.record_outcome": "%(seeker)s–%(partner)s 소개의 성과가 기록되었습니다. 6개월 뒤 후속 확인을 요청드립니다.",
    "introduction.schedule_meeting": "%(seeker)s–%(partner)s 미팅 일정이 등록되었습니다.",
    "introduction.send": "코디네이터가 %(seeker)s와(과) %(partner)s의 기술파트너 소개를 요청했습니다. %(deadline)s까지 응답해 주세요.",
    "introduction.withdraw": "코디네이터가 %(seeker)s–%(partner)s 소개를 철회했습니다.",
    "membership_request.accepted": "%(firm)s이(가) %(group)s 가입 요청을 수락했습니다.",
    "membership_request.declined": "%(group)s의 가입 요청(사업자등록번호 %(brn)s)이 거절되었습니다.",
    "membership_request.received": "%(group)s에서 %(firm)s에 회원 가입을 요청했습니다. 수락하거나 거절해 주세요.",
    "posting.approved": "게시글 '%(title)s'이(가) 승인되었습니다.",
    "posting.rejected": "게시글 '%(title)s'이(가) 반려되었습니다. 사유: %(note)s",
    "posting.review_requested": "%(firm)s의 게시글 '%(title)s'이(가) 검토를 기다립니다.",
    "saved_search.match_more": "저장한 검색 '%(name)s'에 맞는 새 게시글 %(count)d건: %(titles)s 외 %(more)d건",
    "saved_search.match": "저장한 검색 '%(name)s'에 맞는 새 게시글 %(count)d건: %(titles)s",
    "survey.reminder": "%(year)s년 실태조사에 %(group)s의 응답을 제출해 주세요. 마감일: %(deadline)s",
}
MARKS = {"이(가)": r"(?:이\(가\)|이|가)", "와(과)": r"(?:와\(과\)|와|과)", "(으)로": r"(?:\(으\)로|으로|로)"}
TOKEN = re.compile(r"(%\(\w+\)[sd]|이\(가\)|와\(과\)|\(으\)로)")


def pattern(template):
    out = ""
    for part in TOKEN.split(template):
        if match := re.fullmatch(r"%\((\w+)\)([sd])", part):
            name, kind = match.groups()
            out += rf"(?P<{name}>\d+)" if kind == "d" else rf"(?P<{name}>.+?)"
        elif part in MARKS:
            out += MARKS[part]
        else:
            out += re.escape(part)
    return re.compile(out + "$", re.S)


def read_back(text, verb):
    """(code, params) of a stored Korean text, or None."""
    codes = [c for c in WRITTEN if c.startswith(verb)] if verb.startswith("introduction.") else list(WRITTEN)
    for code in codes:
        match = pattern(WRITTEN[code]).match(text)
        if match:
            params = {k: int(v) if k in ("count", "more") else v for k, v in match.groupdict().items()}
            if code == "survey.reminder" and params.get("deadline") == "미정":
                params["deadline"] = {"code": "survey.no_deadline", "params": {}}
            return code, params
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    for row in Notification.objects.filter(code="").only("pk", "message", "verb").iterator(chunk_size=500):
        found = read_back(row.message, row.verb)
        if found is not None:
            Notification.objects.filter(pk=row.pk).update(code=found[0], params=found[1])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_import_job_active_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="code",
            field=models.CharField(blank=True, max_length=100, verbose_name="메시지 코드"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="메시지 값"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
