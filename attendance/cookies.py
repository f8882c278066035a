"""The phone remembers its runner's name (and member number) in cookies, for next time."""

from __future__ import annotations

from urllib.parse import quote, unquote

from django.http import HttpRequest, HttpResponse

from attendance.models import MEMBER_NUMBER_MAX_LENGTH
from attendance.names import MAX_LENGTH

NAME_COOKIE = "runner_name"
NUMBER_COOKIE = "member_number"
ONE_YEAR = 365 * 24 * 3600


def remembered_name(request: HttpRequest) -> str:
    return unquote(request.COOKIES.get(NAME_COOKIE, ""))[:MAX_LENGTH]


def remember_name(response: HttpResponse, name: str) -> None:
    # Quoted: cookie values are ASCII, names are not.
    response.set_cookie(NAME_COOKIE, quote(name), max_age=ONE_YEAR, httponly=True, samesite="Lax")


def remembered_number(request: HttpRequest) -> str:
    return unquote(request.COOKIES.get(NUMBER_COOKIE, ""))[:MEMBER_NUMBER_MAX_LENGTH]


def remember_number(response: HttpResponse, number: str) -> None:
    response.set_cookie(
        NUMBER_COOKIE, quote(number), max_age=ONE_YEAR, httponly=True, samesite="Lax"
    )
