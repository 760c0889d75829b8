"""Telling the applicant: email through Django's mail backend, SMS through an adapter.

`settings.SMS_BACKEND` names the SMS class (dotted path); the default, `LoggingSmsBackend`, only
writes the message to the `motcua.sms` log, which is what development and tests need. A real
gateway (a telecom's SMS brand-name API) plugs in by providing `send(phone, message)`.

Notifications are sent after the transaction that caused them commits (`transaction.on_commit`),
so a rolled-back action never tells anyone anything.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.sms")

DEFAULT_SMS_BACKEND = "motcua.dossiers.notifications.LoggingSmsBackend"


class SmsBackend(Protocol):
    """Sends one text message."""

    def send(self, phone: str, message: str) -> None: ...


class LoggingSmsBackend:
    """Writes each message to the `motcua.sms` log instead of sending it."""

    def send(self, phone: str, message: str) -> None:
        logger.info("SMS to %s: %s", phone, message)


def sms_backend() -> SmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", None) or DEFAULT_SMS_BACKEND)()


def notify_after_commit(*, email: str, phone: str, subject: str, message: str) -> None:
    """Send `message` by email and SMS to whichever of the two addresses is given, once the current
    transaction commits. A failing channel is logged and does not stop the other."""

    def send() -> None:
        if email:
            try:
                send_mail(subject, message, None, [email])
            except Exception:
                logger.exception("email to %s failed", email)
        if phone:
            try:
                sms_backend().send(phone, message)
            except Exception:
                logger.exception("SMS to %s failed", phone)

    transaction.on_commit(send)
