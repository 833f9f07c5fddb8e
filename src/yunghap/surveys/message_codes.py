"""Notification texts of the surveys app, by code (core.messages_catalogue)."""

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

SURVEY_REMINDER = define(
    "survey.reminder", _("%(year)s년 실태조사에 %(group)s의 응답을 제출해 주세요. 마감일: %(deadline)s")
)
NO_DEADLINE = define("survey.no_deadline", _("미정"))
