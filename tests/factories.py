from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from attendance.models import Attendance
from attendance.services import record_checkin
from calendar_app.models import Run, Term, club_today
from runclub.accounts.roles import COMMITTEE, ORGANISERS


class RunFactory(DjangoModelFactory):
    class Meta:
        model = Run

    date = factory.LazyFunction(club_today)
    starts_at = dt.time(18, 0)
    place = "The Oval, north gate"


class TermFactory(DjangoModelFactory):
    """Terms of ten weeks, one after another from January 2020, unless given days."""

    class Meta:
        model = Term

    name = factory.Sequence(lambda n: f"Term {n}")
    first = factory.Sequence(lambda n: dt.date(2020, 1, 6) + dt.timedelta(weeks=12 * n))
    last = factory.LazyAttribute(lambda term: term.first + dt.timedelta(weeks=10, days=-3))


class AttendanceFactory(DjangoModelFactory):
    """A check-in, written as every check-in is (``services.record_checkin``), unannounced."""

    class Meta:
        model = Attendance

    run = factory.SubFactory(RunFactory)
    runner_name = factory.Sequence(lambda n: f"Runner {n}")

    @classmethod
    def _create(cls, model_class: type[Attendance], *args: object, **kwargs: object) -> Attendance:
        attendance, _ = record_checkin(model_class(*args, **kwargs))
        return attendance


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CommitteeFactory(UserFactory):
    """A committee member: staff, in the "Committee" group (made by the roles migration)."""

    is_staff = True

    @factory.post_generation
    def _group(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.groups.add(Group.objects.get(name=COMMITTEE))


class OrganiserFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def _group(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.groups.add(Group.objects.get(name=ORGANISERS))
