from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from attendance import members, wording
from attendance.models import Attendance, Runner
from attendance.names import MESSAGES, clean_runner_name
from attendance.services import save_checkin
from calendar_app import wording as calendar_wording
from calendar_app.models import Run, Term, club_today
from calendar_app.tokens import SESSION_ID_PATTERN


class CheckInForm(forms.Form):
    # Trimming and length are checked by clean_runner_name, with kinder messages.
    runner_name = forms.CharField(
        label=_("Your name"),
        strip=False,
        required=False,
        error_messages={"null_characters_not_allowed": MESSAGES["control_characters"]},
    )
    submission_id = forms.CharField(required=False, widget=forms.HiddenInput)
    # "Check in someone else": the phone keeps remembering its owner's name.
    for_other = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Only read when the club asks for member numbers (attendance.members).
    member_number = forms.CharField(required=False, strip=False)
    # With numbers only: the number the phone's (or the asked-for) name belongs to.
    name_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_runner_name(self) -> str:
        raw = self.cleaned_data["runner_name"]
        if members.mode() == members.ONLY and not raw.strip():
            return ""  # the member list names the runner, or the page asks
        return clean_runner_name(raw)

    def clean_name_for(self) -> str:
        return members.normalise_number(self.cleaned_data["name_for"])

    def clean_member_number(self) -> str | None:
        return members.clean_member_number(self.cleaned_data["member_number"])

    def clean_submission_id(self) -> uuid.UUID | None:
        # Only ever used to recognise a resent form; a mangled one just means
        # "no resend detection", never an error the runner has to deal with.
        try:
            return uuid.UUID(self.cleaned_data["submission_id"])
        except ValueError:
            return None


class AttendanceForm(forms.ModelForm):
    """A check-in typed by an organiser (the admin and a run's page).

    The rules are the model's (``Attendance.clean``); saved by ``services.save_checkin``,
    which writes and announces it as every check-in is.
    """

    class Meta:
        model = Attendance
        fields = ["run", "runner_name", "registered_at"]

    def validate_unique(self) -> None:
        super().validate_unique()
        if "runner_name" in self.errors:
            return
        same = self.instance.already_in()
        if same is not None:
            self.add_error(
                "runner_name", ValidationError(wording.duplicate(same.runner_name), "duplicate")
            )

    def save(self, commit: bool = True) -> Attendance:
        attendance = super().save(commit=False)
        if commit:
            save_checkin(attendance, self.changed_data)
        return attendance


class RunnerForm(forms.ModelForm):
    """An organiser renames a runner or sets their member number (the form's rules apply)."""

    class Meta:
        model = Runner
        fields = ["name", "member_number"]

    def clean_name(self) -> str:
        return clean_runner_name(self.cleaned_data["name"])

    def clean_member_number(self) -> str | None:
        raw = self.cleaned_data.get("member_number") or ""
        if not raw.strip():
            return None
        # With numbers off there is no pattern to hold them to; they are still kept tidy.
        number = members.clean_member_number(raw) if members.enabled() else raw.strip().upper()
        return number


class DateRangeForm(forms.Form):
    """``from`` and ``to`` (YYYY-MM-DD), both optional, as query parameters."""

    # Wide enough for any club's records, narrow enough that a year's margin
    # either side never leaves the calendar's range.
    EARLIEST = dt.date(1900, 1, 1)
    LATEST = dt.date(2199, 12, 31)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The names are the query's parameters; the labels are what the page shows.
        for name, label in (("from", gettext("From")), ("to", gettext("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "invalid": gettext("Write the date as YYYY-MM-DD, e.g. 2026-09-30.")
                },
                validators=[
                    MinValueValidator(self.EARLIEST, gettext("Pick a date in 1900 or later.")),
                    MaxValueValidator(self.LATEST, gettext("Pick a date before 2200.")),
                ],
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from"), data.get("to")
        if first and last and last < first:
            raise forms.ValidationError(gettext("'to' comes before 'from'."), code="order")
        return data

    def period(self, days: int = 365) -> tuple[dt.date, dt.date]:
        """The dates asked for; what is missing (or invalid) is filled from the last ``days``."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        last = data.get("to") or max(club_today(), data.get("from") or club_today())
        first = data.get("from") or min(last, club_today()) - dt.timedelta(days=days)
        return first, last

    def problems(self) -> str:
        """The errors in one line a person can read: "from: Write the date as ..."."""
        return "; ".join(
            " ".join(map(str, errors))
            if field == "__all__"
            else f"{field}: {' '.join(map(str, errors))}"
            for field, errors in self.errors.items()
        )


class HistoryForm(DateRangeForm):
    """The history page's range: ``from`` and ``to``, or ``term`` (a term's id) instead."""

    term = forms.ChoiceField(
        label=_("Term"),
        required=False,
        error_messages={"invalid_choice": calendar_wording.NO_SUCH_TERM},
    )

    def __init__(self, *args: Any, terms: dict[str, Term] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read once: the choices and the chosen term both come from this one query.
        self.terms = terms if terms is not None else {str(t.pk): t for t in Term.objects.all()}
        choices = [(pk, term.name) for pk, term in self.terms.items()]
        field = self.fields["term"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("Choose a term")), *choices]

    def clean_term(self) -> Term | None:
        return self.terms.get(self.cleaned_data["term"])

    def chosen_term(self) -> Term | None:
        return self.cleaned_data.get("term") if self.is_bound and self.is_valid() else None

    def period(self, days: int = 365) -> tuple[dt.date, dt.date]:
        term = self.chosen_term()
        return (term.first, term.last) if term is not None else super().period(days)

    def as_shown(self) -> HistoryForm:
        """The form as the page shows it: the range drawn (a term's too) and the term chosen,
        or itself with its errors."""
        if self.errors:
            return self
        first, last = self.period()
        term = self.chosen_term()
        initial = {"from": first, "to": last, "term": term.pk if term else ""}
        return HistoryForm(initial=initial, terms=self.terms)


class ExportForm(DateRangeForm):
    run = forms.RegexField(
        regex=rf"^{SESSION_ID_PATTERN}$",
        required=False,
        error_messages={"invalid": _("'run' is not a run's id.")},
    )

    def clean_run(self) -> Run | None:
        session_id = self.cleaned_data["run"]
        if not session_id:
            return None
        try:
            return Run.objects.get(session_id=session_id)
        except Run.DoesNotExist:
            raise forms.ValidationError(
                gettext("There is no run with that id."), code="unknown"
            ) from None

    def label(self) -> str:
        """What the file holds, for its name."""
        data = self.cleaned_data
        if data["run"]:
            return f"{data['run'].date}"
        if data["from"] or data["to"]:
            return f"{data['from'] or 'start'}-to-{data['to'] or 'now'}"
        return "all"

    def attendances(self) -> QuerySet[Attendance]:
        data = self.cleaned_data
        attendances = Attendance.objects.all()
        if data["from"]:
            attendances = attendances.filter(run__date__gte=data["from"])
        if data["to"]:
            attendances = attendances.filter(run__date__lte=data["to"])
        if data["run"]:
            attendances = attendances.filter(run=data["run"])
        return attendances
