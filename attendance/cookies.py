"""What a phone remembers about its runner, in cookies.

Three cookies, all httponly, SameSite=Lax, and Secure when the site is served over HTTPS
(``SESSION_COOKIE_SECURE``, set by ``HTTPS=true``):

- the runner's name and member number as they typed them, to fill in the form next time;
- a signed "this phone's runner" cookie: the runner and the check-in that set it. It is how
  the door recognises a phone that checked in today, and how ``/me/`` knows whose season to
  show. It follows the check-in, so it survives merges (the check-in moves to the runner kept)
  and name changes (the runner stays), and says nothing once the runner is erased (both are
  deleted) or anonymised (``Runner.anonymised``).
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from attendance.models import MEMBER_NUMBER_MAX_LENGTH, Attendance, Runner
from attendance.names import MAX_LENGTH

NAME_COOKIE = "runner_name"
NUMBER_COOKIE = "member_number"
RUNNER_COOKIE = "runner"
ONE_YEAR = 365 * 24 * 3600
# Signed with SECRET_KEY under a salt of its own: a value from another signed cookie or
# token of the site cannot be replayed here.
_SALT = "attendance.cookies.runner"


def _set(response: HttpResponse, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=ONE_YEAR,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remembered_name(request: HttpRequest) -> str:
    return unquote(request.COOKIES.get(NAME_COOKIE, ""))[:MAX_LENGTH]


def remember_name(response: HttpResponse, name: str) -> None:
    # Quoted: cookie values are ASCII, names are not.
    _set(response, NAME_COOKIE, quote(name))


def remembered_number(request: HttpRequest) -> str:
    return unquote(request.COOKIES.get(NUMBER_COOKIE, ""))[:MEMBER_NUMBER_MAX_LENGTH]


def remember_number(response: HttpResponse, number: str) -> None:
    _set(response, NUMBER_COOKIE, quote(number))


def remember_runner(response: HttpResponse, attendance: Attendance) -> None:
    """This phone is ``attendance``'s runner's: call on a check-in not "for someone else"."""
    value = signing.dumps([attendance.runner_id, attendance.pk], salt=_SALT)
    _set(response, RUNNER_COOKIE, value)


def remembered_checkin(request: HttpRequest) -> int | None:
    """The id of the check-in that last told this phone whose it is, if the cookie is ours."""
    ids = _ids(request)
    return ids[1] if ids else None


def remembered_runner(request: HttpRequest) -> Runner | None:
    """The runner whose phone this is, or None (no cookie, a forged one, erased, anonymised).

    Found by the check-in that set the cookie (which follows merges), else by the runner it
    named (an organiser may have deleted that check-in).
    """
    ids = _ids(request)
    if ids is None:
        return None
    runner_id, checkin_id = ids
    named = Runner.objects.filter(anonymised=False)
    return named.filter(attendances__pk=checkin_id).first() or named.filter(pk=runner_id).first()


def _ids(request: HttpRequest) -> tuple[int, int] | None:
    raw = request.COOKIES.get(RUNNER_COOKIE)
    if not raw:
        return None
    try:
        runner_id, checkin_id = signing.loads(raw, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not (isinstance(runner_id, int) and isinstance(checkin_id, int)):
        return None
    return runner_id, checkin_id


def forget_phone(response: HttpResponse) -> None:
    """Clear everything this phone remembers about its runner ("Forget this phone")."""
    for name in (RUNNER_COOKIE, NAME_COOKIE, NUMBER_COOKIE):
        response.delete_cookie(name, samesite="Lax")
