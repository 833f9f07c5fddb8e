"""The events app's models, one concept per module; each module is imported here so Django finds it."""

from .attendance import Attendance, Certificate
from .events import Event, EventSession, Registration, email_key

__all__ = ["Attendance", "Certificate", "Event", "EventSession", "Registration", "email_key"]
from .notices import EventReminder, NoticePreference  # noqa: E402

__all__ += ["EventReminder", "NoticePreference"]
