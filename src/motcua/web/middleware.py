"""The language of the pages: Vietnamese, unless the visitor chose another with the switch.

Django's `LocaleMiddleware` follows the browser's Accept-Language, so an official whose browser
happens to be set to English would get English pages without asking. This one reads only the
choice the language switch stores (the language cookie), else `settings.LANGUAGE_CODE`.
To use it, put `motcua.web.middleware.ChosenLanguageMiddleware` in MIDDLEWARE in place of
`django.middleware.locale.LocaleMiddleware`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Activate the language the visitor chose, or the site's language; never guess from the browser."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
