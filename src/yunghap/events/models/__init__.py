"""The events app's models, one concept per module; each module is imported here so Django finds it."""

from .attendance import Attendance, Certificate
from .events import Event, EventSession, Registration, email_key

__all__ = ["Attendance", "Certificate", "Event", "EventSession", "Registration", "email_key"]
from .notices import EventReminder, NoticePreference  # noqa: E402

__all__ += ["EventReminder", "NoticePreference"]
from .feedback import FeedbackAnswer, FeedbackInvitation, FeedbackReceipt, FeedbackSurvey  # noqa: E402

__all__ += ["FeedbackAnswer", "FeedbackInvitation", "FeedbackReceipt", "FeedbackSurvey"]
from .education_figures import EducationYear, EventYear  # noqa: E402

__all__ += ["EducationYear", "EventYear"]
