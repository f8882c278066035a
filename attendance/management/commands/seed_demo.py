"""Realistic demo data: years of a university club running on Tuesdays and Thursdays.

Each academic year brings a new intake: a few become regulars for three or four
years, more come now and then, most try a run or two in freshers' week and are
not seen again. Runs go on through the breaks with fewer people, stop over
Christmas, and now and then one is cancelled. Some runners write their name another
way now and then ("Ana S", a slip of the thumb), so the organisers have variants to merge.
The same --seed on the same day gives the same runs, names and counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from attendance.models import Attendance, Runner, RunnerName, stored_key
from calendar_app.models import RemovedDay, Run, Term, club_today
from runclub.lib.commands import DatabaseCommand

FIRST_NAMES = (
    "Ana Ben Chloe Dev Ella Finn Grace Hamza Isla Jack Kai Leah Maya Noah Olivia Priya Quinn Rosa "
    "Sam Tara Umar Vera Will Xin Yara Zoe Aidan Bea Carlos Dina Emil Fatima George Hana Ivan Jade "
    "Kofi Lucia Mateo Nina Oscar Pia Ravi Sofia Theo Uma Victor Wen Yusuf Zara Amir Bianca Callum "
    "Daisy Eitan Freya Gabriel Holly Idris Julia Karim Lena Marco Nadia Owen Paula Rory Sara Tomas "
    "Ursula Vikram Wanda Yasmin Zain Alice Bruno Cora Diego Erin Felix Gemma Hugo Iris Jonah Kira "
    "Liam Mia Nora Ollie Poppy Rafael Siobhan Toby Valentina Wyatt Ximena Yosef Zofia"
).split()
LAST_NAMES = (
    "Silva Smith Jones Patel Khan Nguyen Garcia Müller Rossi Kowalski Okafor Chen Williams Brown "
    "Taylor Davies Evans Wilson Thomas Roberts Johnson Lewis Walker Robinson Wood Thompson White "
    "Watson Jackson Wright Green Harris Cooper King Lee Martin Clarke James Morgan Hughes Edwards "
    "Hill Moore Clark Harrison Scott Young Morris Hall Ward Turner Carter Phillips Mitchell Shaw "
    "Ahmed Ali Hussain Begum Singh Kaur Das Murphy O'Brien Kelly Byrne Walsh Novak Horvat Nowak "
    "Santos Pereira Costa Ferreira Oliveira Dubois Moreau Laurent Fischer Weber Becker Schulz "
    "Jensen Larsen Berg Lindqvist Tanaka Sato Suzuki Kim Park Choi Abara Mensah Boateng Haddad"
).split()
PLACES = ["The Oval, north gate", "Sports centre steps", "Boathouse car park"]
INTAKE = 500  # new runners each academic year


# Share of runners with a habit of writing their name another way, and how often they do.
VARIANT_RUNNERS = 0.12
VARIANT_USE = 0.2


@dataclass
class Person:
    name: str
    joined: int  # academic year (the calendar year it starts in)
    leaves: int  # first academic year they no longer come
    keenness: float  # chance of coming to an ordinary term-time run
    variant: str | None = None  # another way they sometimes write their name


def variant_of(rng: random.Random, name: str) -> str:
    """Another way of writing ``name``: an initial for the surname, or one letter slipped."""
    first, *_, last = name.split()
    if rng.random() < 0.5 or len(last) < 4:
        return f"{first} {last[0]}"
    i = rng.randrange(1, len(last) - 1)
    slipped = last[:i] + last[i + 1] + last[i] + last[i + 2 :]  # two letters swapped
    return name[: len(name) - len(last)] + slipped


def academic_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def terms(year: int) -> list[tuple[dt.date, dt.date]]:
    """The academic year's three terms (TERM_NAMES), roughly as British universities have
    them."""
    autumn = nth_monday(year, 9, 4)
    spring = nth_monday(year + 1, 1, 2)
    summer = nth_monday(year + 1, 4, 3)
    return [
        (autumn, autumn + dt.timedelta(weeks=11, days=4)),
        (spring, spring + dt.timedelta(weeks=10, days=4)),
        (summer, summer + dt.timedelta(weeks=8, days=4)),
    ]


TERM_NAMES = ("Autumn", "Spring", "Summer")


def christmas_closure(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3)


def names(rng: random.Random) -> Iterator[str]:
    """Different runners' names, shuffled; middle initials once the plain ones run out."""
    for initial in ["", *"ABCDEFGHJKLMNPRSTW"]:
        batch = [
            f"{first} {initial}. {last}" if initial else f"{first} {last}"
            for first, last in itertools.product(FIRST_NAMES, LAST_NAMES)
        ]
        rng.shuffle(batch)
        yield from batch


class Command(DatabaseCommand):
    help = "Fill an empty database with years of realistic runs and check-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=2, help="how many years back (1-30)")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete every existing run and check-in first (otherwise refuses)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        years = int(options["years"])
        if not 1 <= years <= 30:
            raise CommandError("--years must be between 1 and 30.")
        has_data = Run.objects.exists() or Runner.objects.exists() or Term.objects.exists()
        if has_data and not options["force"]:
            raise CommandError(
                "This database already has runs or check-ins; seed_demo will not mix demo data "
                "into them. Use --force to delete them all and seed afresh."
            )
        started = time.monotonic()
        last = club_today() - dt.timedelta(days=1)
        first = last.replace(year=last.year - years) + dt.timedelta(days=1)
        rng = random.Random(int(options["seed"]))
        with transaction.atomic():
            if has_data:
                Run.objects.all().delete()
                Runner.objects.all().delete()
                RemovedDay.objects.all().delete()  # afresh: no old codes come back either
                Term.objects.all().delete()
            runs, checkins, runners = self.seed(rng, first, last)
        self.stdout.write(
            f"Seeded {runs} runs and {checkins} check-ins by {runners} runners, "
            f"{first} to {last}, in {time.monotonic() - started:.1f} s."
        )

    def seed(self, rng: random.Random, first: dt.date, last: dt.date) -> tuple[int, int, int]:
        pool = names(rng)
        runners: list[Person] = []
        for year in range(academic_year(first) - 3, academic_year(last) + 1):
            for _ in range(INTAKE):
                kind = rng.random()
                if kind < 0.08:
                    stay, keenness = rng.choice((3, 4)), rng.uniform(0.55, 0.9)
                elif kind < 0.33:
                    stay, keenness = rng.choice((1, 2, 3)), rng.uniform(0.1, 0.35)
                else:
                    stay, keenness = 1, rng.uniform(0.0, 0.03)
                person = Person(next(pool), year, year + stay, keenness)
                if rng.random() < VARIANT_RUNNERS:
                    person.variant = variant_of(rng, person.name)
                runners.append(person)

        term_days = {
            year: terms(year) for year in range(academic_year(first), academic_year(last) + 1)
        }
        Term.objects.bulk_create(
            [
                Term(name=f"{season} {start.year}", first=start, last=end)
                for year_terms in term_days.values()
                for season, (start, end) in zip(TERM_NAMES, year_terms, strict=True)
            ]
        )
        zone = timezone.get_current_timezone()
        run_rows: list[Run] = []
        plans: list[list[Person]] = []
        day = first
        while day <= last:
            if day.weekday() in (1, 3) and not christmas_closure(day):
                run = Run(
                    date=day,
                    starts_at=dt.time(18, 0) if day.weekday() == 1 else dt.time(18, 30),
                    place=PLACES[rng.randrange(len(PLACES))],
                    is_active=rng.random() > 0.02,  # storms, exams, a closed track
                )
                run_rows.append(run)
                plans.append(self.attendees(rng, runners, day, term_days) if run.is_active else [])
            day += dt.timedelta(days=1)
        Run.objects.bulk_create(run_rows, batch_size=1000)

        checkins: list[tuple[Run, str, dt.datetime]] = []
        for run, attendees in zip(run_rows, plans, strict=True):
            start = dt.datetime.combine(run.date, run.starts_at, tzinfo=zone)
            seen: set[str] = set()
            for person in attendees:
                # Now and then a name is typed differently: in another case (the duplicate
                # rule knows it is the same runner), or the runner's other way of writing it
                # (a runner of its own until an organiser merges them).
                spelled = person.name
                if person.variant and rng.random() < VARIANT_USE:
                    spelled = person.variant
                elif rng.random() < 0.04:
                    spelled = person.name.lower()
                at = start + dt.timedelta(seconds=rng.randint(-900, 900))
                if stored_key(spelled) in seen:
                    continue  # two people both wrote "Ana S": the second was refused
                seen.add(stored_key(spelled))
                checkins.append((run, spelled, at))
        # One runner per name key, named as first written.
        keys: dict[str, str] = {}
        for _, spelled, _ in checkins:
            keys.setdefault(stored_key(spelled), spelled)
        made = Runner.objects.bulk_create(
            [Runner(name=name) for name in keys.values()], batch_size=1000
        )
        runner_of = dict(zip(keys, made, strict=True))
        RunnerName.objects.bulk_create(
            [RunnerName(runner=runner, name_key=key) for key, runner in runner_of.items()],
            batch_size=1000,
        )
        # Years of made-up check-ins, in bulk into an empty database: the one thing not written
        # through services.record_checkin, which would take minutes over them one by one.
        total = 0
        for batch in range(0, len(checkins), 5000):
            total += len(
                Attendance.objects.bulk_create(
                    [
                        Attendance(
                            run=run,
                            runner=runner_of[stored_key(spelled)],
                            runner_name=spelled,
                            registered_at=at,
                        )
                        for run, spelled, at in checkins[batch : batch + 5000]
                    ]
                )
            )
        return len(run_rows), total, sum(1 for r in runners if r.leaves > academic_year(first))

    @staticmethod
    def attendees(
        rng: random.Random,
        runners: list[Person],
        day: dt.date,
        term_days: dict[int, list[tuple[dt.date, dt.date]]],
    ) -> list[Person]:
        year = academic_year(day)
        year_terms = term_days[year]
        in_term = any(start <= day <= end for start, end in year_terms)
        freshers_week = year_terms[0][0] <= day < year_terms[0][0] + dt.timedelta(days=7)
        season = 1.0 if in_term else 0.35
        chosen = []
        for runner in runners:
            if not runner.joined <= year < runner.leaves:
                continue
            chance = runner.keenness * season
            if freshers_week and runner.joined == year:
                chance = max(chance, 0.6)
            if rng.random() < chance:
                chosen.append(runner)
        return chosen
