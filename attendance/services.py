"""Checking runners in, from the form or a paper list, and keeping one runner one runner.

The one place check-ins are written. A new one, whatever its route (the form, the API, a
paper list, the admin), is written by ``record_checkin`` alone, through the one model method
``Attendance.record``; corrections, merges, erasure and deletions are functions here too.
Each function that changes check-ins announces it to the live page itself
(``live.checkins_changed``, sent once the transaction commits): views, the admin and
commands call these, never the live page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from attendance import live, members, rekey, retention, wording
from attendance.adminlog import ERASED, rename_logged_objects
from attendance.members import clean_member_number
from attendance.models import Attendance, Member, MergeRefusal, Runner, RunnerName, stored_key
from attendance.names import clean_runner_name, name_key
from calendar_app.models import CheckinState, Run


class CheckinClosed(Exception):
    def __init__(self, run: Run, state: CheckinState) -> None:
        super().__init__(f"check-in for {run} is {state.value}")
        self.run = run
        self.state = state


class AlreadyCheckedIn(Exception):
    def __init__(self, attendance: Attendance) -> None:
        super().__init__(f"{attendance.runner_name} is already checked in")
        self.attendance = attendance


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    number: int  # "runner number N today"
    count: int  # everyone checked in so far
    replayed: bool  # True when a resent form found its own earlier check-in


def check_in(
    run: Run,
    runner_name: str,
    submission_id: uuid.UUID | None = None,
    member_number: str | None = None,
) -> CheckIn:
    """Check ``runner_name`` (with ``member_number``, when the club uses them) in to ``run``:
    the runner's phone, by the form or the API.

    Both must already be clean (``names.clean_runner_name``, ``members.clean_member_number``).
    Raises CheckinClosed if the run is not open today, AlreadyCheckedIn if the runner is
    in already under another submission.
    """
    state = run.checkin_state()
    if state is not CheckinState.OPEN:
        raise CheckinClosed(run, state)
    attendance = Attendance(run=run, runner_name=runner_name, submission_id=submission_id)
    attendance, replayed = record_checkin(attendance, member_number)
    if not replayed:
        live.checkins_changed()
    number, count = attendance.number_and_count()
    return CheckIn(attendance, number, count, replayed)


def record_checkin(
    attendance: Attendance, member_number: str | None = None
) -> tuple[Attendance, bool]:
    """Write the new check-in ``attendance`` (its run, name and time set; its runner is
    chosen here): the one function that adds check-ins, whatever the route (the form and
    the API through ``check_in``, a paper list, an organiser in the admin).

    Returns it, or (the earlier one, True) for a resent form of the same submission.
    Raises AlreadyCheckedIn if its runner is in already. Its callers announce the change,
    once for all they write.
    """
    run = attendance.run
    # Two tries: on PostgreSQL two phones can make the same new runner at the same instant,
    # and the second then finds the first's runner.
    for attempt in (1, 2):
        runner_id = None
        try:
            with transaction.atomic():
                runner_id = Runner.objects.id_for(attendance.runner_name, member_number)
                attendance.runner_id = runner_id
                attendance.record()
            return attendance, False
        except IntegrityError:
            # The runner found is in already (a runner made here was rolled back with it,
            # and could not have been).
            existing = run.attendances.filter(runner_id=runner_id).first() if runner_id else None
            if existing is None:
                if attempt == 1:
                    continue
                raise
            submission_id = attendance.submission_id
            if submission_id is None or existing.submission_id != submission_id:
                raise AlreadyCheckedIn(existing) from None
            return existing, True
    raise AssertionError("unreachable")


def save_checkin(attendance: Attendance, changed: Iterable[str] = ()) -> Attendance:
    """An organiser's check-in, added or corrected (the admin's check-in form, a run's page).

    A new one is written as every check-in is (``record_checkin``); a corrected name (in
    ``changed``, the form's changed fields) may be another runner's, so the check-in follows
    the name. IntegrityError when the runner is in the run already: the form checked, so
    another save got there first, and the admin shows the form again (``runclub.lib.admin``).
    """
    if attendance._state.adding:
        try:
            record_checkin(attendance)
        except AlreadyCheckedIn as taken:
            raise IntegrityError(str(taken)) from None
    else:
        if "runner_name" in changed:
            attendance.runner_id = Runner.objects.id_for(attendance.runner_name)
        attendance.save()
    live.checkins_changed()
    return attendance


def delete_checkins(checkins: QuerySet[Attendance]) -> int:
    """Delete these check-ins (an organiser's correction); their runners stay. How many."""
    with transaction.atomic():
        deleted, _ = checkins.delete()
        live.checkins_changed()
    return deleted


def delete_runs(runs: QuerySet[Run]) -> None:
    """Delete these runs and every check-in of theirs (the admin's delete, which lists them
    first); each run's check-in code is remembered (``RemovedDay``)."""
    with transaction.atomic():
        runs.delete()
        live.checkins_changed()


def save_runner(runner: Runner) -> None:
    """An organiser renames a runner or sets their member number (the live names show it)."""
    runner.save()
    live.checkins_changed()


def taken_by_number(attendance: Attendance, member_number: str | None) -> bool:
    """Whether the check-in that refused another is its runner's by ``member_number`` (so
    the refusal is about the number, not the name)."""
    return (
        member_number is not None
        and Runner.objects.filter(pk=attendance.runner_id, member_number=member_number).exists()
    )


def runs_with_club(attendance: Attendance) -> int:
    """How many runs this check-in's runner has checked in to, this one included: "your 23rd
    run with the club".

    By runner, as the duplicate rule tells runners apart (one check-in per run): one query on
    the ``attendance_by_runner`` index, in plain SQL since it runs on every check-in (the ORM's
    compiling cost ten times the query).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) + (SELECT anonymised_checkins FROM {Runner._meta.db_table} "
            f"WHERE id = %s) FROM {Attendance._meta.db_table} WHERE runner_id = %s",
            [attendance.runner_id, attendance.runner_id],
        )
        (runs,) = cursor.fetchone()
    return int(runs)


# Paper lists ---------------------------------------------------------------------------


@dataclass
class PaperListResult:
    added: list[str] = field(default_factory=list)
    already_in: list[tuple[str, str]] = field(default_factory=list)  # (line, as typed then)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


class PaperListClosed(Exception):
    """The run cannot take check-ins from a list: it has not happened yet, or is cancelled."""

    def __init__(self, run: Run, state: CheckinState) -> None:
        super().__init__(f"{run} takes no paper list: {state.value}")
        self.run = run
        self.state = state


def add_paper_list(run: Run, text: str) -> PaperListResult:
    """Check in each runner of a paper sign-in sheet, one a line, to ``run`` (today or past).

    Blank lines are skipped; a name already in (or twice on the sheet) is counted once. With
    member numbers on, a line may carry the number after a tab (pasted from a sheet). With
    numbers only, a line may be a member number alone, as the door takes it: the member list
    names the runner, and a number it lacks is refused (the door would ask for the name).
    """
    if run.checkin_state() is CheckinState.NOT_YET:
        raise PaperListClosed(run, CheckinState.NOT_YET)
    if not run.is_active:
        raise PaperListClosed(run, CheckinState.CANCELLED)
    # A past run's paper check-ins are dated at its start; today's, as they are added.
    registered_at = min(timezone.now(), run.starts)
    result = PaperListResult()
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            name, number = _paper_line(line)
        except ValidationError as invalid:
            result.refused.append((line.strip(), invalid.messages[0]))
            continue
        try:
            attendance = Attendance(run=run, runner_name=name, registered_at=registered_at)
            record_checkin(attendance, number)
        except AlreadyCheckedIn as duplicate:
            result.already_in.append((name, duplicate.attendance.runner_name))
            continue
        result.added.append(name)
    if result.added:
        live.checkins_changed()
    return result


def _paper_line(line: str) -> tuple[str, str | None]:
    """The runner's name and member number a paper list's line gives, or ValidationError
    saying why it gives none."""
    name_part, _, number_part = line.partition("\t")
    alone = None if number_part.strip() else members.number_alone(name_part)
    if alone is not None:
        listed = members.member_name(alone)
        if listed is None:
            raise ValidationError(wording.paper_list_unlisted_number(alone), code="unlisted")
        return listed, alone
    name = clean_runner_name(name_part)
    # A sheet may lack numbers even where the form asks for them: then the name decides.
    number = clean_member_number(number_part) if number_part.strip() else None
    return name, number


# Merging and erasing ---------------------------------------------------------------------


class CannotMerge(Exception):
    """Nothing was merged, for ``refusal``; ``names`` are the member numbers or names at issue."""

    def __init__(self, refusal: MergeRefusal, *names: str) -> None:
        super().__init__(f"{refusal.value}: {', '.join(names)}")
        self.refusal = refusal
        self.names = names


@dataclass(frozen=True)
class Merged:
    runner: Runner
    names: list[str]  # the merged runners' names
    moved: int  # check-ins now the runner's
    doubled: int  # check-ins removed: both were in the same run


def merge_runners(
    keep: Runner, others: Iterable[Runner], user: AbstractBaseUser | None = None
) -> Merged:
    """Make ``others`` the same runner as ``keep``: their names and check-ins become its.

    Where two of them checked in to the same run, the earliest check-in stays and the others
    go (one runner, once per run). The admin log of ``keep`` records what was merged.
    """
    others = [other for other in others if other.pk != keep.pk]
    if keep.anonymised or any(other.anonymised for other in others):
        raise CannotMerge(MergeRefusal.ANONYMISED)
    numbers = {runner.member_number for runner in [keep, *others] if runner.member_number}
    if len(numbers) > 1:
        raise CannotMerge(MergeRefusal.TWO_NUMBERS, *sorted(numbers))
    other_ids = [other.pk for other in others]
    with transaction.atomic():
        moved, doubled = rekey.merge_rows(Attendance, RunnerName, Runner, keep.pk, other_ids)
        number = next(iter(numbers), None)
        if number and keep.member_number != number:
            keep.member_number = number
            keep.save(update_fields=["member_number"])
        earlier = sum(other.anonymised_checkins for other in others)
        if earlier:
            keep.anonymised_checkins += earlier
            keep.save(update_fields=["anonymised_checkins"])
        merged = Merged(keep, [other.name for other in others], moved, doubled)
        if user is not None and others:
            LogEntry.objects.create(
                user_id=user.pk,
                content_type=ContentType.objects.get_for_model(Runner),
                object_id=str(keep.pk),
                object_repr=str(keep)[:200],
                action_flag=CHANGE,
                change_message=wording.merged(merged.names, moved, doubled),
            )
        live.checkins_changed()
    return merged


def merge_names(old: str, new: str) -> Merged:
    """``manage.py merge_runners OLD NEW``: from now on the name ``old`` is ``new``'s runner.

    ``new`` must be a runner's name; ``old`` need not have checked in yet, and then only
    its name is taught to ``new``'s runner (a later check-in under it is theirs).
    """
    keep = Runner.objects.named(new).first()
    if keep is None:
        raise CannotMerge(MergeRefusal.NO_SUCH_RUNNER, new)
    other = Runner.objects.named(old).first()
    if other is None:
        RunnerName.objects.create(runner=keep, name_key=stored_key(old))
        return Merged(keep, [], 0, 0)
    if other.pk == keep.pk:
        raise CannotMerge(MergeRefusal.SAME_RUNNER, old, new)
    return merge_runners(keep, [other])


def split_name(runner_name: RunnerName) -> Runner:
    """Undo a merge for one way of writing the name: it becomes a runner of its own again.

    The check-ins typed that way go with it. Returns the new runner.
    """
    keep = runner_name.runner
    with transaction.atomic():
        typed = [
            attendance
            for attendance in keep.attendances.only("pk", "runner_name")
            if stored_key(attendance.runner_name) == runner_name.name_key
        ]
        name = typed[0].runner_name if typed else runner_name.name_key
        runner = Runner.objects.create(name=name)
        runner_name.runner = runner
        runner_name.save(update_fields=["runner"])
        Attendance.objects.filter(pk__in=[a.pk for a in typed]).update(runner=runner)
        live.checkins_changed()
    return runner


def erase_runners(runner_ids: Iterable[int]) -> int:
    """Delete these runners and every check-in of theirs, on every run (a privacy request).

    Their names, member numbers, their entry on the member list and the admin log of their
    merges go too, and earlier log
    entries that named them say ``ERASED`` instead. Returns how many check-ins were deleted.
    """
    ids = list(set(runner_ids))
    with transaction.atomic():
        checkins = Attendance.objects.filter(runner__in=ids)
        typed = set(checkins.values_list("runner_name", flat=True).distinct())
        typed |= set(Runner.objects.filter(pk__in=ids).values_list("name", flat=True))
        checkin_ids = [str(pk) for pk in checkins.values_list("pk", flat=True)]
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Runner),
            object_id__in=[str(pk) for pk in ids],
        ).delete()
        numbers = Runner.objects.filter(pk__in=ids, member_number__isnull=False)
        Member.objects.filter(number__in=numbers.values("member_number")).delete()
        Runner.objects.filter(pk__in=ids).delete()
        _scrub_admin_log({name_key(name) for name in typed}, checkin_ids)
        live.checkins_changed()
    return len(checkin_ids)


def _scrub_admin_log(keys: set[str], ids: list[str]) -> None:
    """Replace the runners' names in the admin's log entries with ``ERASED``.

    Entries name a check-in as ``str(attendance)``, which starts with the runner's name
    followed by " at ": on the check-in's own entries (``object_repr``) and in the
    entries of the run it was edited under (``change_message``, its inline's "object").
    """

    def names_one(text: str) -> bool:
        # A name may hold " at " itself: try each place the run could start.
        return any(name_key(text[: at.start()]) in keys for at in re.finditer(" at ", text))

    types = ContentType.objects.get_for_models(Attendance, Run)
    entries = LogEntry.objects.filter(content_type__in=types.values())
    for entry in entries.iterator():
        changed = False
        if entry.content_type_id == types[Attendance].pk and (
            entry.object_id in ids or names_one(entry.object_repr)
        ):
            entry.object_repr = ERASED
            changed = True
        changed = rename_logged_objects(entry, names_one, ERASED) or changed
        if changed:
            entry.save(update_fields=["object_repr", "change_message"])


# Retention ------------------------------------------------------------------------------


def apply_retention(now: dt.datetime | None = None) -> retention.Applied:
    """Anonymise every check-in older than ``RETENTION_YEARS`` (``attendance.retention``);
    ``manage.py apply_retention``, which the server runs each night."""
    applied = retention.anonymise(now)
    if applied.checkins:
        live.checkins_changed()
    return applied
