from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dates
from django.utils.translation import gettext_lazy as _

from calendar_app import wording
from calendar_app.days import DayChange
from calendar_app.services import MAX_SCHEDULE_DAYS, Schedule, parse_dates

# Django's own names for the days (its catalogues have them in every language it knows).
WEEKDAYS = [(str(number), name) for number, name in dates.WEEKDAYS.items()]


def time_input() -> forms.TimeInput:
    # Typed as 18:30. Not the admin's clock ("6 p.m." shortcuts), nor <input type="time">,
    # which browsers show in their own locale's format (6:30 PM on an American laptop).
    return forms.TimeInput(
        attrs={
            "inputmode": "numeric",
            "pattern": "[0-2]?[0-9]:[0-5][0-9]",
            "placeholder": "18:00",
            "size": 5,
            "autocomplete": "off",
        },
        format="%H:%M",
    )


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    """One change to one day on the organisers' calendar."""

    date = forms.DateField(input_formats=["%Y-%m-%d"])
    change = forms.ChoiceField(choices=[(change.value, change.name) for change in DayChange])
    starts_at = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=time_input(),
        error_messages={"invalid": _("Write the start time as HH:MM, for example 18:30.")},
    )
    place = forms.CharField(label=_("Meeting place"), max_length=200, required=False)
    confirm = forms.BooleanField(required=False)
    next = forms.CharField(required=False)

    def change_asked(self) -> DayChange:
        return DayChange(self.cleaned_data["change"])


class ScheduleForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one weekday.")},
    )
    starts_at = forms.TimeField(
        label=_("Start time"),
        initial=dt.time(18, 0),
        widget=time_input(),
        error_messages={
            "required": _("Give the start time, for example 18:00."),
            "invalid": _("Write the start time as HH:MM, for example 18:30."),
        },
    )
    place = forms.CharField(
        label=_("Meeting place"), max_length=200, required=False, help_text=_("Where runners meet.")
    )
    first = forms.DateField(
        label=_("First day"),
        widget=date_input(),
        error_messages={
            "required": _("Give the first day of the schedule."),
            "invalid": _("Write the first day as YYYY-MM-DD, for example 2026-09-28."),
        },
    )
    last = forms.DateField(
        label=_("Last day"),
        widget=date_input(),
        error_messages={
            "required": _("Give the last day of the schedule."),
            "invalid": _("Write the last day as YYYY-MM-DD, for example 2026-12-11."),
        },
    )
    exceptions = forms.CharField(
        label=_("Except"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dates without a run, as YYYY-MM-DD, separated by commas or new lines."),
    )

    def clean_exceptions(self) -> frozenset[dt.date]:
        try:
            return frozenset(parse_dates(self.cleaned_data["exceptions"]))
        except ValueError:
            raise ValidationError(
                _("Write each date as YYYY-MM-DD, for example 2026-10-27."), code="invalid"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                self.add_error(
                    "last", ValidationError(wording.TERM_LAST_BEFORE_FIRST, code="order")
                )
            elif (last - first).days > MAX_SCHEDULE_DAYS:
                self.add_error(
                    "last",
                    ValidationError(
                        _("One schedule may cover two years at most."), code="too_long"
                    ),
                )
        return data

    def schedule(self) -> Schedule:
        data = self.cleaned_data
        return Schedule(
            weekdays=frozenset(int(day) for day in data["weekdays"]),
            starts_at=data["starts_at"],
            place=data["place"].strip(),
            first=data["first"],
            last=data["last"],
            exceptions=data["exceptions"],
        )
