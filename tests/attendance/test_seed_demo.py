"""python manage.py seed_demo: realistic demo data."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> list[tuple[dt.date, bool, list[str]]]:
    rows: dict[dt.date, list[str]] = {}
    for date, name in Attendance.objects.values_list("run__date", "runner_name"):
        rows.setdefault(date, []).append(name)
    return [
        (run.date, run.is_active, sorted(rows.get(run.date, [])))
        for run in Run.objects.order_by("date")
    ]


def test_it_makes_a_year_of_tuesday_and_thursday_runs_up_to_yesterday() -> None:
    output = seed(years=1, seed=7)
    runs = list(Run.objects.order_by("date"))
    assert {run.date.weekday() for run in runs} == {1, 3}
    assert runs[-1].date < club_today()
    assert 90 <= len(runs) <= 105
    assert f"Seeded {len(runs)} runs and {Attendance.objects.count()} check-ins" in output


def test_it_has_a_freshers_peak_regulars_and_quiet_breaks() -> None:
    seed(years=2, seed=7)
    counts = {date: n for date, _, names in snapshot() for n in [len(names)]}
    september_peak = max(n for date, n in counts.items() if date.month in (9, 10))
    august = [n for date, n in counts.items() if date.month == 8]
    november = [n for date, n in counts.items() if date.month == 11]
    assert september_peak > 2 * max(november)
    assert max(august) < min(n for n in november if n)
    regulars = Counter(Attendance.objects.values_list("runner_id", flat=True))
    assert sum(1 for n in regulars.values() if n >= 50) >= 20
    assert not [date for date in counts if date.month == 12 and date.day >= 20]


def test_the_same_seed_gives_the_same_data() -> None:
    seed(years=1, seed=3)
    first = snapshot()
    seed(years=1, seed=3, force=True)
    assert snapshot() == first
    seed(years=1, seed=4, force=True)
    assert snapshot() != first


def test_it_refuses_a_database_with_data_unless_forced() -> None:
    RunFactory(date=dt.date(2020, 1, 7), place="Real run")
    with pytest.raises(CommandError, match="already has runs"):
        seed(years=1)
    assert Run.objects.get().place == "Real run"
    seed(years=1, force=True)
    assert not Run.objects.filter(place="Real run").exists()


def test_it_spells_some_names_differently_as_runners_do() -> None:
    seed(years=1, seed=7)
    keys_with_spellings = (
        Attendance.objects.values("runner").distinct().count(),
        Attendance.objects.values("runner_name").distinct().count(),
    )
    assert keys_with_spellings[1] > keys_with_spellings[0]
