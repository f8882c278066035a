"""Member numbers at check-in, when a club wants them (``CHECKIN_MEMBER_NUMBER``).

Off by default: the form has one field and names identify runners. ``optional`` or
``required`` adds a second field; a number, when given, identifies the runner instead of
the name. ``only`` asks for the number alone: the club's member list (``Member``, imported
by ``import_members``) gives the name, and a number it does not list is asked once for one.
Numbers are shown to organisers (admin, CSV), never on the live page or to
anonymous callers of the API.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import MEMBER_NUMBER_MAX_LENGTH, Member
from attendance.names import clean_runner_name

OFF, OPTIONAL, REQUIRED, ONLY = "off", "optional", "required", "only"


def mode() -> str:
    return str(settings.CHECKIN_MEMBER_NUMBER)


def enabled() -> bool:
    return mode() != OFF


def label() -> str:
    return str(settings.CHECKIN_MEMBER_NUMBER_LABEL)


def numeric() -> bool:
    """Whether the pattern takes digits only, so phones can show their number pad."""
    pattern = str(settings.CHECKIN_MEMBER_NUMBER_PATTERN).replace("\\d", "")
    return re.search("[A-Za-z]", pattern) is None


def clean_member_number(raw: str | None) -> str | None:
    """The number as stored (no spaces, capitals), None when none was given and none is needed.

    Raises ValidationError with a reason a runner understands.
    """
    if not enabled():
        return None
    number = normalise_number(raw or "")
    if not number:
        if mode() in (REQUIRED, ONLY):
            raise ValidationError(
                _("Please type your %(number)s.") % {"number": label().lower()}, code="required"
            )
        return None
    if not _valid_number(number):
        hint = settings.CHECKIN_MEMBER_NUMBER_HELP
        said = _("That doesn't look like a %(number)s: please check it.") % {
            "number": label().lower()
        }
        raise ValidationError(f"{said} {hint}" if hint else said, code="invalid")
    return number


# The member list ---------------------------------------------------------------------------


class MemberListError(Exception):
    """A file that is no member list at all (no header with the two columns)."""


@dataclass
class Imported:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (line, row, reason)

    def summary(self) -> str:
        return _(
            "%(added)d added, %(changed)d changed, %(unchanged)d unchanged, %(refused)d refused."
        ) % {
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "refused": len(self.refused),
        }

    def refusals(self) -> list[str]:
        return [
            _("line %(line)d (%(row)s): %(reason)s") % {"line": line, "row": row, "reason": reason}
            for line, row, reason in self.refused
        ]


def normalise_number(raw: str) -> str:
    """A number as stored: full-width digits from a phone keyboard made plain, spaces typed
    for readability dropped, capitals."""
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


def _valid_number(number: str) -> bool:
    pattern = settings.CHECKIN_MEMBER_NUMBER_PATTERN
    return len(number) <= MEMBER_NUMBER_MAX_LENGTH and bool(
        re.fullmatch(pattern, number, re.IGNORECASE)
    )


def import_members(lines: Iterable[str]) -> Imported:
    """Add and update the club's members from a CSV with a header naming the columns
    ``number`` and ``name`` (any case, any order; other columns ignored). A number already
    listed takes the new name; members not in this file stay. Raises MemberListError when
    the header lacks either column."""
    reader = csv.reader(lines)
    header = [cell.strip().lstrip("\ufeff").casefold() for cell in next(reader, [])]
    if "number" not in header or "name" not in header:
        raise MemberListError(
            _("The first line must name the columns, with one called number and one called name.")
        )
    at_number, at_name = header.index("number"), header.index("name")
    result = Imported()
    now = timezone.now()
    seen: set[str] = set()
    known = dict(Member.objects.values_list("number", "name"))
    added: list[Member] = []
    renamed: list[Member] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        shown = ",".join(row)
        raw_number = row[at_number] if at_number < len(row) else ""
        raw_name = row[at_name] if at_name < len(row) else ""
        number = normalise_number(raw_number)
        if not number:
            result.refused.append((line, shown, _("no number")))
            continue
        if not _valid_number(number):
            result.refused.append((line, shown, _("that doesn't look like a member number")))
            continue
        if number in seen:
            result.refused.append((line, shown, _("this number is on an earlier line too")))
            continue
        try:
            name = clean_runner_name(raw_name)
        except ValidationError as invalid:
            result.refused.append((line, shown, invalid.messages[0]))
            continue
        seen.add(number)
        if number not in known:
            added.append(Member(number=number, name=name, listed_at=now))
            result.added += 1
        elif known[number] != name:
            renamed.append(Member(number=number, name=name))
            result.changed += 1
        else:
            result.unchanged += 1
    with transaction.atomic():
        Member.objects.bulk_create(added, batch_size=500)
        for member in renamed:
            Member.objects.filter(number=member.number).update(name=member.name)
        listed = list(seen)
        for start in range(0, len(listed), 500):
            Member.objects.filter(number__in=listed[start : start + 500]).update(listed_at=now)
    return result


def number_alone(text: str) -> str | None:
    """With numbers only, the member number ``text`` is (a paper list's line without a name),
    or None when it reads as a name.

    The default pattern takes names too ("Anna" is four letters), so a number needs at least
    as many digits as letters: "2024 0001" and "S1234567" are numbers, "Anna" and "Jo Smith 2"
    names.
    """
    if mode() != ONLY:
        return None
    number = normalise_number(text)
    digits = sum(char.isdecimal() for char in number)
    if not number or digits < len(number) - digits or not _valid_number(number):
        return None
    return number


def member_name(number: str) -> str | None:
    """The name the member list gives ``number``, if it lists it."""
    return Member.objects.filter(number=number).values_list("name", flat=True).first()
