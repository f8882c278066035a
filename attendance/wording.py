"""What a runner is told, once: the check-in page, ``POST /api/register`` and
``GET /api/qr/validate`` all take their words from here (a name's problems are worded in
``attendance.names.MESSAGES``)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from attendance import members
from attendance.failures import Reason, Tally
from attendance.models import Attendance, MergeRefusal
from calendar_app.models import CheckinState, Run, club_today

if TYPE_CHECKING:
    # What gettext_lazy returns, as django-stubs names it.
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class Wording:
    headline: str  # the page's heading
    detail: str  # what it means, in a sentence or two

    @property
    def message(self) -> str:
        """Headline and detail as one text, for the API."""
        return f"{self.headline}. {self.detail}"


@dataclass(frozen=True)
class RunDay:
    """A run's day and time as its check-in page heads them."""

    short: str  # "Wed 25 Nov", in the page's title
    long: str  # "Wednesday 25 November"
    starts: str  # "18:00"


@functools.lru_cache(maxsize=64)
def run_day(date: dt.date, starts_at: dt.time) -> RunDay:
    # Every check-in form and answer heads with these: formatted once per run day and
    # process, where Django's date filters took 50 us of each page's CPU. One language
    # per process (LANGUAGE_CODE), so one wording per day.
    return RunDay(
        dateformat.format(date, "D j M"),
        dateformat.format(date, "l j F"),
        dateformat.time_format(starts_at, "H:i"),
    )


def _day(date: dt.date) -> str:
    return dateformat.format(date, "l j F Y")


def greeting_name(name: str) -> str:
    """What to call a runner: "Maya" for "Maya Okafor", the whole name for "J. Smith", and
    only words that are names: "Jess" for "🏃‍♀️ Jess 🔥"."""
    words = [word for word in name.split() if any(char.isalpha() for char in word)]
    if not words:
        return name
    if len(words) > 1 and len(words[0]) > 1 and not words[0].endswith("."):
        return words[0]
    return " ".join(words)


def checked_in(name: str, number: int) -> Wording:
    youre_in, runner_today = _checked_in()
    return Wording(youre_in % {"name": greeting_name(name)}, runner_today % {"number": number})


# Said to every runner who checks in: looked up once per process (one language per process,
# LANGUAGE_CODE, as run_day), where each of Django's gettext calls costs some 60,000
# instructions (bench.instructions counted 0.3M more per runner for the answer's five).
@functools.cache
def _checked_in() -> tuple[str, str]:
    return _("You're in, %(name)s"), _("Runner %(number)d today.")


def in_already(name: str, number: int, at: dt.datetime) -> Wording:
    """The phone's own check-in, found when its runner opens the page again."""
    local = timezone.localtime(at)
    return Wording(
        _("You're in, %(name)s") % {"name": greeting_name(name)},
        _("You checked in at %(time)s. Runner %(number)d today.")
        % {"time": f"{local:%H:%M}", "number": number},
    )


@dataclass(frozen=True)
class AlreadyIn:
    """The answer to a second check-in: what it is, and what to do if it isn't you."""

    outcome: Wording
    advice: str


def already_in(attendance: Attendance, *, mine: bool, by_number: bool) -> AlreadyIn:
    """A second check-in for a runner who is in. Only the phone (or submission) that made
    the check-in is told whose it is and when (``mine``): to anyone else the door names no one,
    so a number or a name cannot be tried to learn who came and when."""
    if mine:
        at = timezone.localtime(attendance.registered_at)
        return AlreadyIn(
            Wording(
                _("You're already checked in"),
                _("%(name)s checked in at %(time)s. No need to do it again.")
                % {"name": attendance.runner_name, "time": f"{at:%H:%M}"},
            ),
            _("Not you? Check in someone else with their own name."),
        )
    if by_number:
        return AlreadyIn(
            Wording(
                _("This number is already checked in today"),
                _("No need to do it again."),
            ),
            _("Not yours? Check the number and try again, or ask an organiser."),
        )
    return AlreadyIn(
        Wording(_("This name is already checked in today"), _("No need to do it again.")),
        _(
            "Not you? Someone with the same name got here first: check in with your surname "
            "or an initial added."
        ),
    )


def unlisted_number(number: str) -> str:
    """With numbers only, a number the club's member list does not have (yet)."""
    return _(
        "%(number)s isn't on the club's member list yet. Type your name once: this phone "
        "remembers it with your number."
    ) % {"number": number}


def checkin_state(run: Run, state: CheckinState) -> Wording:
    """Whether a run takes check-ins now, and if not, why not."""
    headline, detail = _CHECKIN_STATES[state]
    return Wording(str(headline), detail % {"day": _day(run.date)})


_CHECKIN_STATES: dict[CheckinState, tuple[_StrPromise, _StrPromise]] = {
    CheckinState.OPEN: (
        gettext_lazy("Check-in is open"),
        gettext_lazy("The run on %(day)s is on today."),
    ),
    CheckinState.OVER: (
        gettext_lazy("Check-in has closed"),
        gettext_lazy("This run was on %(day)s. Scan the code at today's run to check in."),
    ),
    CheckinState.CANCELLED: (
        gettext_lazy("This run is cancelled"),
        gettext_lazy(
            "The run on %(day)s was cancelled by the organisers, "
            "so there is nothing to check in to."
        ),
    ),
    CheckinState.NOT_YET: (
        gettext_lazy("Check-in isn't open yet"),
        gettext_lazy("Check-in opens on %(day)s, the day of the run. See you there!"),
    ),
}


# A typed or scanned code that leads to no run (/c/, /c/<code>, the API). Functions, not
# constants: the words are looked up in the club's language when said.
def unknown_code() -> Wording:
    return Wording(
        _("That code isn't one of ours"),
        _("Check it against the code shown at the run and try again, or ask an organiser."),
    )


def malformed_code() -> Wording:
    return Wording(
        _("That isn't a check-in code"),
        _("A code has eight letters and digits, like 7K3M 9QXD. Type the one shown at the run."),
    )


def too_many_wrong_codes() -> Wording:
    return Wording(
        _("Too many wrong codes from here"),
        _("Wait a few minutes, then type the code shown at the run again."),
    )


@dataclass(frozen=True)
class PhoneLimit:
    """A phone past its own check-in limit: what the page says, with and without its script."""

    now: str  # "... wait 40 s, then tap Check in."
    countdown: str  # for the script, which counts down {seconds} and sends by itself


def phone_limit(allowed: int, seconds: int) -> PhoneLimit:
    checked = _("This phone has checked in %(allowed)d people in the last minute") % {
        "allowed": allowed
    }
    return PhoneLimit(
        _("%(checked)s; wait %(seconds)d s, then tap Check in.")
        % {"checked": checked, "seconds": seconds},
        _("%(checked)s; wait {seconds} s. It is sent by itself, or cancel it.")
        % {"checked": checked},
    )


# The check-in page's script says these while it keeps sending a check-in by itself.
# Lazy: read in the club's language where they are said (str() them outside a template).
RETRYING = {
    "offline": gettext_lazy("No signal - we'll keep trying. Your check-in is saved on this phone."),
    "busy": gettext_lazy("The club's server is very busy - we'll send it again in a moment."),
    "network": gettext_lazy(
        "Too many check-ins from this network just now - we'll send it again in a moment."
    ),
    "failed": gettext_lazy("The club's server didn't answer properly - we'll keep trying."),
    "sending": gettext_lazy("Sending your check-in…"),
    "waiting": gettext_lazy("Waiting…"),
    "cancel": gettext_lazy("Cancel this check-in"),
    "check-in": gettext_lazy("Check in"),
    "resending": gettext_lazy("Sending the check-in you made earlier…"),
    # The button while a check-in is on its way, and while the phone waits to send it again.
    "checking-in": gettext_lazy("Checking in…"),
    "try-now": gettext_lazy("Try again now"),
    # The server cannot save at all (507: a full disk, say); the phone tries a little longer.
    "broken": gettext_lazy(
        "The club's server can't save check-ins just now. Nothing was saved: "
        "please give your name to an organiser."
    ),
    # No luck for a few minutes: the phone stops trying.
    "gave-up": gettext_lazy(
        "This phone has stopped trying: nothing was saved. Please give your name to an organiser."
    ),
}

MILESTONES = {
    1: gettext_lazy("Welcome!"),
    10: gettext_lazy("Double figures!"),
    25: gettext_lazy("A quarter-century!"),
    50: gettext_lazy("Half a century!"),
    100: gettext_lazy("A hundred runs!"),
}


def ordinal(number: int) -> str:
    """ "23rd". Each language words its ordinals its own way: the contexts say which numbers
    each form is for (English's rule), and a translation may use the same form for all."""
    if 10 <= number % 100 <= 20:
        said = pgettext("ordinal: 10 to 20, 110 to 120...", "%(number)dth")
    elif number % 10 == 1:
        said = pgettext("ordinal: 1, 21, 31...", "%(number)dst")
    elif number % 10 == 2:
        said = pgettext("ordinal: 2, 22, 32...", "%(number)dnd")
    elif number % 10 == 3:
        said = pgettext("ordinal: 3, 23, 33...", "%(number)drd")
    else:
        said = pgettext("ordinal: 4 to 9, 24 to 30...", "%(number)dth")
    return said % {"number": number}


def milestone_cheer(runs: int) -> str:
    """The cheer for a milestone (``MILESTONES``, then every hundred), empty for other runs."""
    if runs in MILESTONES:
        return str(MILESTONES[runs])
    return _("Another hundred!") if runs % 100 == 0 else ""


@functools.lru_cache(maxsize=256)
def runs_with_club(runs: int) -> Wording:
    """ "Your 23rd run with the club", with a cheer on a milestone (the headline is empty
    otherwise). Worded once per number and process, as ``_checked_in``."""
    cheer = milestone_cheer(runs)
    if runs == 1:
        return Wording(cheer, _("Your first run with the club."))
    return Wording(cheer, _("Your %(ordinal)s run with the club.") % {"ordinal": ordinal(runs)})


def next_run(run: Run | None) -> str:
    if run is None:
        return _("The next run isn't on the calendar yet.")
    return _next_run(run.date, run.starts_at, run.place, run.date == club_today())


@functools.lru_cache(maxsize=64)
def _next_run(date: dt.date, starts_at: dt.time, place: str, today: bool) -> str:
    # On every answer: worded once per run and process, as _checked_in. On the run's own day
    # (a closed page from an old poster's code) it is tonight's run: "today", not its date.
    day = run_day(date, starts_at)
    when = _("today") if today else day.long
    if place:
        return _("Next run: %(day)s, %(time)s, %(place)s.") % {
            "day": when,
            "time": day.starts,
            "place": place,
        }
    return _("Next run: %(day)s, %(time)s.") % {"day": when, "time": day.starts}


def _years(years: int) -> str:
    return ngettext("%(years)d year", "%(years)d years", years) % {"years": years}


@functools.cache
def _privacy_notice(years: int, number_label: str | None) -> str:
    facts = {"number": number_label.lower() if number_label else "", "years": _years(years)}
    if number_label and years:
        said = _(
            "Your name and %(number)s are kept for the club's attendance records for %(years)s."
        )
    elif number_label:
        said = _("Your name and %(number)s are kept for the club's attendance records.")
    elif years:
        said = _("Your name is kept for the club's attendance records for %(years)s.")
    else:
        said = _("Your name is kept for the club's attendance records.")
    return said % facts


def privacy_notice() -> str:
    """The line under the check-in button (and on /c/), from settings: made once per setting,
    since it is on every check-in page."""
    number = members.label() if members.enabled() else None
    return _privacy_notice(settings.RETENTION_YEARS, number)


PRIVACY_LINK = gettext_lazy("How we use it")


def retention_period() -> str:
    """How long a name is kept, as the privacy page says it."""
    years = settings.RETENTION_YEARS
    if not years:
        return _("for as long as the club keeps its attendance records")
    return _("for %(years)s after each check-in") % {"years": _years(years)}


# A runner's season (/me/, attendance.season).
YOUR_SEASON = gettext_lazy("Your season")
STREAK_RULE = gettext_lazy(
    "Your streak is the club's run days in a row you came to, up to your latest. "
    "A cancelled run doesn't break it, and today's run doesn't until the day is over."
)
FORGOTTEN = gettext_lazy(
    "This phone has forgotten you: the form will be empty next time, and this page shows "
    "nothing until you check in again with this phone."
)


# The committee's term report (attendance.report): its CSV's headings.
REPORT_CSV = {
    "figure": gettext_lazy("figure"),
    "value": gettext_lazy("value"),
    "term": gettext_lazy("term"),
    "first_day": gettext_lazy("first day"),
    "last_day": gettext_lazy("last day"),
    "up_to": gettext_lazy("figures up to"),
    "today": gettext_lazy("check-ins so far at today's run, still open"),
    "held": gettext_lazy("runs held"),
    "cancelled": gettext_lazy("runs cancelled"),
    "to_come": gettext_lazy("runs still to come"),
    "checkins": gettext_lazy("check-ins"),
    "runners": gettext_lazy("different runners"),
    "average": gettext_lazy("average turnout"),
    "best": gettext_lazy("best turnout"),
    "best_on": gettext_lazy("best turnout on"),
    "first_timers": gettext_lazy("first-timers"),
    "came_back": gettext_lazy("first-timers who came back that term"),
    "weekday": gettext_lazy("weekday"),
    "runs": gettext_lazy("runs"),
    "rank": gettext_lazy("rank"),
    "runner": gettext_lazy("runner"),
}


# What organisers are told: the admin's check-in forms, paper lists, merges, refused
# check-ins, retention. The rules return facts (services, failures, retention); these say them.


# A run's check-ins on its admin page: each row's fields, named for screen readers (the table
# names them only by its columns' headings).
CHECKIN_ROW = {
    "runner_name": gettext_lazy("Runner's name"),
    "date": gettext_lazy("Date checked in"),
    "time": gettext_lazy("Time checked in"),
    "delete": gettext_lazy("Delete this check-in"),
}


def duplicate(name_in: str) -> str:
    """An organiser's form refusing a name the duplicate rule says is already in."""
    return _(
        "%(name)s is already checked in to this run (names are compared ignoring case, "
        "spacing, full-width letters, invisible characters and letters of other alphabets "
        "that look Latin, and a runner's merged names count as theirs)."
    ) % {"name": name_in}


def paper_list_closed(run: Run, state: CheckinState) -> str:
    """Why ``run`` takes no paper list (it has not happened yet, or it is cancelled)."""
    day = dateformat.format(run.date, "l d F Y")
    if state is CheckinState.NOT_YET:
        return _(
            "The run on %(day)s has not happened yet: add the list on the day or after it."
        ) % {"day": day}
    return _("The run on %(day)s is cancelled: re-open it (tick active) to add check-ins.") % {
        "day": day
    }


def paper_list_unlisted_number(number: str) -> str:
    """A paper list's line that is a member number alone, which the member list lacks."""
    return _(
        "%(number)s is not on the club's member list: type the runner's name instead (or "
        "the name, a tab and the number, pasted from a sheet), or import the latest member "
        "list first."
    ) % {"number": number}


def paper_list_summary(added: int, already_in: int, refused: int) -> str:
    return _("%(added)d added, %(already_in)d already in, %(refused)d refused.") % {
        "added": added,
        "already_in": already_in,
        "refused": refused,
    }


def typed_as(name: str, typed: str) -> str:
    """A name on a paper list that is in already, as the runner typed it then."""
    return name if name == typed else _("%(name)s (as %(typed)s)") % {"name": name, "typed": typed}


def merged(names: list[str], moved: int, doubled: int) -> str:
    """What a merge did (the organiser is told, and the runner's admin log keeps it)."""
    said = ngettext(
        "Merged %(names)s into this runner: %(moved)d check-in moved",
        "Merged %(names)s into this runner: %(moved)d check-ins moved",
        moved,
    ) % {"names": ", ".join(f"'{name}'" for name in names), "moved": moved}
    if doubled:
        said += ngettext(
            "; %(doubled)d check-in removed from runs both were in",
            "; %(doubled)d check-ins removed from runs both were in",
            doubled,
        ) % {"doubled": doubled}
    return said + "."


SELECT_TWO_TO_MERGE = gettext_lazy("Select two runners or more to merge.")
NOTHING_TICKED = gettext_lazy("Nothing was merged: tick the runners to merge in a group.")
ONLY_NAME = gettext_lazy("That is the runner's only name: there is nothing to split.")


def unmerged(spelling: str, checkins: int) -> str:
    """A merge undone for one way of writing the name."""
    return ngettext(
        "'%(spelling)s' is a runner of its own again, with %(checkins)d check-in.",
        "'%(spelling)s' is a runner of its own again, with %(checkins)d check-ins.",
        checkins,
    ) % {"spelling": spelling, "checkins": checkins}


def too_many_lines(most: int) -> str:
    return _("At most %(most)d lines at once, please.") % {"most": most}


def too_many_to_erase(most: int, selected: int) -> str:
    return _(
        "Erasing is for one person's request: select at most %(most)d runners at once "
        "(this selection has %(selected)d). Nothing was erased."
    ) % {"most": most, "selected": selected}


def erased(runners: int) -> str:
    return ngettext(
        "Erased %(runners)d runner and all their check-ins.",
        "Erased %(runners)d runners and all their check-ins.",
        runners,
    ) % {"runners": runners}


def cannot_merge(refusal: MergeRefusal, *names: str) -> str:
    """Why nothing was merged; ``names`` are the member numbers, or the names given."""
    return {
        MergeRefusal.ANONYMISED: gettext_lazy(
            "Anonymised check-ins (older than the club keeps names) belong to nobody "
            "nameable: they cannot be merged. Nothing was merged."
        ),
        MergeRefusal.TWO_NUMBERS: gettext_lazy(
            "These runners have different member numbers, so they are different people: "
            "%(names)s. Nothing was merged."
        ),
        MergeRefusal.NO_SUCH_RUNNER: gettext_lazy(
            "No runner has checked in as %(names)s: nothing to merge into."
        ),
        MergeRefusal.SAME_RUNNER: gettext_lazy("%(names)s are already the same runner."),
    }[refusal] % {"names": _listed(refusal, names)}


def _listed(refusal: MergeRefusal, names: tuple[str, ...]) -> str:
    if refusal is MergeRefusal.TWO_NUMBERS:
        return ", ".join(sorted(names))
    return _(" and ").join(repr(name) for name in names)


def refused_checkins(run: Run, tallies: list[Tally]) -> list[str]:
    """What organisers should know about refused check-ins around ``run``, one line each
    (the run's page and the Today screen): a wrong poster or an old QR code still up."""
    when = _("today") if run.date == club_today() else _("on %(day)s") % {"day": _date(run.date)}
    lines = []
    for tally in tallies:
        facts = {
            "tries": ngettext("%(count)d try", "%(count)d tries", tally.count)
            % {"count": tally.count},
            "when": when,
            "day": _date(tally.run.date) if tally.run is not None else "",
        }
        if tally.run is not None and tally.run.pk == run.pk:
            lines.append(_REFUSED_AT_ITS_LINK[tally.reason] % facts)
        elif tally.run is not None:
            lines.append(_REFUSED_AT_ANOTHER_RUNS_LINK[tally.reason] % facts)
        else:
            lines.append(_REFUSED_AT_NO_RUNS_LINK[tally.reason] % facts)
    return lines


def _date(day: dt.date) -> str:
    return dateformat.format(day, "D j M Y")


# Looked up by the stored reason, a plain str: each Reason equals and hashes as its value.
_REFUSED_AT_ITS_LINK: dict[str, _StrPromise] = {
    Reason.OVER: gettext_lazy("%(tries)s with this run's link after its day was over."),
    Reason.CANCELLED: gettext_lazy("%(tries)s with this run's link while it was cancelled."),
    Reason.NOT_YET: gettext_lazy(
        "%(tries)s with this run's link before check-in opened on its day."
    ),
    Reason.RATE_LIMITED: gettext_lazy(
        "%(tries)s with this run's link refused for too many tries from one phone or address."
    ),
    Reason.WRONG_CODE: gettext_lazy("%(tries)s with this run's link refused as a wrong code."),
    Reason.FORGED: gettext_lazy("%(tries)s with this run's link refused as a forged link."),
}
_REFUSED_AT_ANOTHER_RUNS_LINK: dict[str, _StrPromise] = {
    Reason.OVER: gettext_lazy(
        "%(tries)s %(when)s with the link of the run on %(day)s (its check-in was over): is "
        "an old poster or QR code still up?"
    ),
    Reason.CANCELLED: gettext_lazy(
        "%(tries)s %(when)s with the link of the run on %(day)s (it was cancelled): is an old "
        "poster or QR code still up?"
    ),
    Reason.NOT_YET: gettext_lazy(
        "%(tries)s %(when)s with the link of the run on %(day)s (its check-in was not open "
        "yet): is an old poster or QR code still up?"
    ),
    Reason.RATE_LIMITED: gettext_lazy(
        "%(tries)s %(when)s with the link of the run on %(day)s (refused for too many tries): "
        "is an old poster or QR code still up?"
    ),
    Reason.WRONG_CODE: gettext_lazy(
        "%(tries)s %(when)s with the link of the run on %(day)s (a wrong code): is an old "
        "poster or QR code still up?"
    ),
    Reason.FORGED: gettext_lazy(
        "%(tries)s %(when)s with the link of the run on %(day)s (a forged link): is an old "
        "poster or QR code still up?"
    ),
}
_REFUSED_AT_NO_RUNS_LINK: dict[str, _StrPromise] = {
    Reason.WRONG_CODE: gettext_lazy("%(tries)s %(when)s: a code typed at /c/ that is no run's."),
    Reason.FORGED: gettext_lazy(
        "%(tries)s %(when)s: a check-in link that is no run's (forged, or mistyped)."
    ),
    Reason.RATE_LIMITED: gettext_lazy(
        "%(tries)s %(when)s: check-ins refused for too many tries from one phone or address."
    ),
    Reason.OVER: gettext_lazy("%(tries)s %(when)s: check-ins after the run's day."),
    Reason.CANCELLED: gettext_lazy("%(tries)s %(when)s: check-ins to a cancelled run."),
    Reason.NOT_YET: gettext_lazy("%(tries)s %(when)s: check-ins before the run's day."),
}


def retention_applied(checkins: int, runners: int) -> str:
    """What ``apply_retention`` did (the command prints it, the nightly job logs it)."""
    if not checkins and not runners:
        return _("No check-ins older than the retention period had names left.")
    return _("Anonymised %(checkins)s older than %(years)s (%(runners)s no longer named).") % {
        "checkins": ngettext("%(n)d check-in", "%(n)d check-ins", checkins) % {"n": checkins},
        "years": _years(settings.RETENTION_YEARS),
        "runners": ngettext("%(n)d runner", "%(n)d runners", runners) % {"n": runners},
    }


# The organisers' pages: titles, and the sentences their views and the admin say. --------------

ATTENDANCE_HISTORY = gettext_lazy("Attendance history")
LIKELY_THE_SAME_RUNNER = gettext_lazy("Likely the same runner")
MAKE_A_RUNNER_OF_ITS_OWN = gettext_lazy("Make this a runner of its own")
UNDO_A_MERGE = gettext_lazy("Make this a runner of its own (undo a merge)")
IMPORT_THE_MEMBER_LIST = gettext_lazy("Import the member list")
ERASE_RUNNERS = gettext_lazy("Erase runners")
MERGE_RUNNERS = gettext_lazy("Merge runners")
NOT_UTF8 = gettext_lazy("That file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8.")


def term_report_title(term: str) -> str:
    return _("Term report: %(term)s") % {"term": term}


def paper_list_title(run: Run) -> str:
    return _("Add check-ins from a list: %(day)s") % {"day": dateformat.format(run.date, "l d F Y")}


def about_runner(name: str, said: str) -> str:
    """What happened to one runner, named first ("Ana Silva: Merged ..."): the admin's
    messages after a merge, and ``merge_runners``'s."""
    return _("%(runner)s: %(said)s") % {"runner": name, "said": said}


def todays_run(day: str) -> str:
    """Today's run among the runs the admin's check-in list filters by."""
    return _("Today, %(day)s") % {"day": day}


# GET /api/attendance/history to staff who may not see names (403, its detail).
NAMES_NOT_ALLOWED = gettext_lazy("Only the committee and organisers may see names.")


def export_refused(problems: str) -> str:
    return _("The export could not be made: %(problems)s") % {"problems": problems}


# The history page's charts (attendance.charts measures them; these are their words).
CHART_OVER_TIME = gettext_lazy("Check-ins per run over time")
CHART_BY_WEEKDAY = gettext_lazy("Average check-ins per run by weekday")
CHART_NEW_AND_RETURNING = {
    "run": gettext_lazy("New and returning runners per run"),
    "month": gettext_lazy("New and returning runners per month"),
}
CHART_REGULARS = gettext_lazy("The most regular runners: check-ins in the range")
CHART_TURNOUT = gettext_lazy("Check-ins at each run")
NO_RUNS_IN_RANGE = gettext_lazy("No runs in this range.")
NO_RUNS_HELD_IN_TERM = gettext_lazy("No runs held in this term yet.")
NOBODY_IN_RANGE = gettext_lazy("Nobody checked in during this range.")


def so_far_today(day: str, checkins: int) -> str:
    """Today's dot on the chart of check-ins: its count is not final."""
    return _("Today, %(day)s: %(checkins)d so far") % {"day": day, "checkins": checkins}


def weekday_average(weekday: str, average: float, runs: int) -> str:
    return ngettext(
        "%(weekday)s: %(average)s per run over %(runs)d run",
        "%(weekday)s: %(average)s per run over %(runs)d runs",
        runs,
    ) % {"weekday": weekday, "average": f"{average:.1f}", "runs": runs}


def new_and_returning(when: str, new: int, returning: int, *, so_far: bool = False) -> str:
    """A bar of new and returning runners: a run's (``so_far`` while it is today's) or a
    month's."""
    facts = {"when": when, "new": new, "returning": returning}
    if so_far:
        return _("%(when)s: %(new)d new, %(returning)d returning so far") % facts
    return _("%(when)s: %(new)d new, %(returning)d returning") % facts


# A runner's records as CSV (attendance.records): the headings and what each row is. The JSON
# beside it keeps its keys in English: they are field names, not words.
RECORDS_CSV = {
    "record": gettext_lazy("record"),
    "value": gettext_lazy("value"),
    "when": gettext_lazy("when"),
    "run_date": gettext_lazy("run date"),
    "start_time": gettext_lazy("start time"),
    "place": gettext_lazy("place"),
    "run_cancelled": gettext_lazy("run cancelled"),
    "club": gettext_lazy("club"),
    "name": gettext_lazy("name"),
    "member_number": gettext_lazy("member number"),
    "known_since": gettext_lazy("known since"),
    "member_list_number": gettext_lazy("member list: number"),
    "member_list_name": gettext_lazy("member list: name"),
    "member_list_last_listed": gettext_lazy("member list: last listed"),
    "way_written": gettext_lazy("way of writing the name"),
    "checkin": gettext_lazy("check-in"),
    "cancelled": gettext_lazy("cancelled"),
    "anonymised": gettext_lazy("earlier check-ins, kept without a name"),
    "change": gettext_lazy("change by an organiser"),
    "made_at": gettext_lazy("made at"),
}


# What the commands print (manage.py add_checkins, import_members, merge_runners,
# apply_retention, flush_failed_attempts).


def no_run_on(day: dt.date) -> str:
    return _("There is no run on %(day)s: add it first (python manage.py add_run_day %(iso)s).") % {
        "day": dateformat.format(day, "l d F Y"),
        "iso": day.isoformat(),
    }


def not_a_day(value: str) -> str:
    return _("%(value)s is not 'today' or a date like 2026-09-30.") % {"value": repr(value)}


def no_file(path: str) -> str:
    return _("No file at %(path)s.") % {"path": path}


def not_utf8_file(path: str) -> str:
    return _("%(path)s is not UTF-8 text: save the sheet as UTF-8 CSV or text.") % {"path": path}


def unreadable_file(path: str, why: str) -> str:
    return _("Could not read %(path)s: %(why)s.") % {"path": path, "why": why}


def run_summary(run: Run, summary: str) -> str:
    """A paper list's summary, headed by its run."""
    return _("%(run)s: %(summary)s") % {"run": run, "summary": summary}


def refused_line(line: str, reason: str) -> str:
    """One refused line of a paper list or member list (``line`` as the command shows it)."""
    return _("refused: %(line)s: %(reason)s") % {"line": line, "reason": reason}


def member_list_imported(summary: str) -> str:
    return _("Member list: %(summary)s") % {"summary": summary}


def member_list_refusal(refusal: str) -> str:
    return _("refused: %(refusal)s") % {"refusal": refusal}


def name_taught(old: str, runner: str) -> str:
    """``merge_runners`` with a name nobody has checked in as yet."""
    return _("Nobody has checked in as %(old)s yet: from now on that name is %(runner)s.") % {
        "old": repr(old),
        "runner": runner,
    }


NAMES_KEPT_FOR_EVER = gettext_lazy("RETENTION_YEARS=0: names are kept for ever; nothing to do.")


def retention_cutoff(said: str, before: dt.datetime) -> str:
    return _("%(said)s Cutoff: check-ins before %(day)s.") % {
        "said": said,
        "day": f"{before:%Y-%m-%d}",
    }


def refusals_moved(moved: int) -> str:
    return ngettext(
        "Moved %(moved)d refused check-in from the cache into the database.",
        "Moved %(moved)d refused check-ins from the cache into the database.",
        moved,
    ) % {"moved": moved}
