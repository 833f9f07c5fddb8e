"""Routes of the events app: the calendar, event and session pages, registration, my registrations (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from . import views
from .event_rules import RESERVED_CODES


class EventCodeConverter:
    """An event's code in a path: a slug that is not one of the words other events pages use, so that
    `/events/<word>/` of another module is never read as an event (`event_rules.RESERVED_CODES`)."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value.lower() in RESERVED_CODES:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EventCodeConverter, "event")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calendar, name="calendar"),
    path("new/", views.event_create, name="event_create"),
    path("mine/", views.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/take/", views.registration_take, name="registration_take"),
    path("<event:code>/", views.event_detail, name="event_detail"),
    path("<event:code>/edit/", views.event_edit, name="event_edit"),
    path("<event:code>/sessions/add/", views.session_add, name="session_add"),
    path("<event:code>/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<event:code>/sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("<event:code>/register/", views.register_self, name="register"),
    path("<event:code>/register/firm/", views.register_firm, name="register_firm"),
    path("<event:code>/participants/", views.participants, name="participants"),
    path("<event:code>/participants/export/", views.participants_export, name="participants_export"),
]
