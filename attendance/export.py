"""The CSV of check-ins: the one place its columns and cell rules live.

Used by /export/attendance.csv and by the admin actions. Streamed row by row from
a server-side iterator, so memory stays flat however many check-ins there are.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import AsyncIterator, Iterable, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from attendance import members
from attendance.models import ANONYMISED, Attendance


def header(numbers: bool = False) -> list[str]:
    # Check-in times are written in the club's zone without an offset, which spreadsheets
    # read as date-times ("2026-06-02 17:45:00"); the zone is named here instead.
    # "runner name" is as typed; "runner" and "runner id" are the same for every check-in of
    # one runner (merged spellings included), so a spreadsheet can count runners. The
    # member number comes last when the club uses them. A check-in older than RETENTION_YEARS
    # says "(anonymised)" for its names: still one runner id per person, never named.
    # Not translated, like "cancelled" in the rows: these columns are an interface
    # (docs/organisers.md, "CSV export"), read by spreadsheets and scripts that look for them
    # by name, whatever language the club's pages speak.
    zone = timezone.get_current_timezone_name()
    columns = [
        "run date",
        "start time",
        "place",
        "run cancelled",
        "runner name",
        f"checked in at ({zone})",
        "runner",
        "runner id",
    ]
    return [*columns, "member number"] if numbers else columns


CHUNK_SIZE = 2000
# Excel reads UTF-8 only when the file starts with a byte-order mark; LibreOffice
# and Python's csv module (encoding="utf-8-sig") skip it.
BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The cell as text a spreadsheet shows, never runs: formulas get a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Line:
    """csv.writer's file: hands back each line it writes."""

    def write(self, line: str) -> str:
        return line


def rows(attendances: QuerySet[Attendance], numbers: bool = False) -> Iterator[list[str]]:
    zone = timezone.get_current_timezone()
    values = attendances.order_by("run__date", "registered_at", "pk").values_list(
        "run__date",
        "run__starts_at",
        "run__place",
        "run__is_active",
        "runner_name",
        "registered_at",
        "runner__name",
        "runner_id",
        "runner__member_number",
        "runner__anonymised",
    )
    for row in values.iterator(CHUNK_SIZE):
        date, starts_at, place, active, name, registered_at, runner, runner_id, number, gone = row
        if gone:  # older than RETENTION_YEARS: the run and time stay, the person does not
            name = runner = ANONYMISED
        cells = [
            date.isoformat(),
            starts_at.strftime("%H:%M"),
            safe_cell(place),
            "" if active else "cancelled",
            safe_cell(name),
            registered_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            safe_cell(runner),
            str(runner_id),
        ]
        if numbers:
            cells.append(safe_cell(number or ""))
        yield cells


def lines(table: Iterable[list[str]], numbers: bool = False) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header(numbers))
    for row in table:
        yield writer.writerow(row)


def batches(chunks: Iterator[str], size: int = 500) -> Iterator[str]:
    while part := "".join(itertools.islice(chunks, size)):
        yield part


async def batches_from_thread(chunks: Iterator[str]) -> AsyncIterator[str]:
    """The same batches for daphne, read from the database in Django's sync thread.

    Given a plain iterator, Django under ASGI would read the whole export into a
    list before sending a byte.
    """
    parts = batches(chunks)
    take = sync_to_async(lambda: next(parts, ""), thread_sensitive=True)
    while part := await take():
        yield part


def filename(label: str) -> str:
    return f"attendance-{label}-{timezone.localdate():%Y-%m-%d}.csv"


def csv_response(
    request: HttpRequest, attendances: QuerySet[Attendance], label: str
) -> StreamingHttpResponse:
    numbers = members.enabled()
    chunks = lines(rows(attendances, numbers), numbers)
    content = batches_from_thread(chunks) if isinstance(request, ASGIRequest) else batches(chunks)
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(label)}"'
    return response
