from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_account_mail(subject: str, body: str, to: str) -> None:
    """Mail outside the request: a reset request for a known address must take as long as for an unknown one."""
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()
