from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from calendar_app.services import MAX_SCHEDULE_DAYS, Schedule, parse_dates

WEEKDAYS = [
    (str(number), name)
    for number, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
]


class DayForm(forms.Form):
    """One day on the organisers' calendar."""

    date = forms.DateField(input_formats=["%Y-%m-%d"])


class ScheduleForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label="Every", choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    starts_at = forms.TimeField(
        label="at", initial=dt.time(18, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(max_length=200, required=False, help_text="Where runners meet.")
    first = forms.DateField(
        label="from", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = forms.DateField(
        label="to", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    exceptions = forms.CharField(
        label="except",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Dates without a run, as YYYY-MM-DD, separated by commas or new lines.",
    )

    def clean_exceptions(self) -> frozenset[dt.date]:
        try:
            return frozenset(parse_dates(self.cleaned_data["exceptions"]))
        except ValueError:
            raise ValidationError(
                "Write each date as YYYY-MM-DD, for example 2026-10-27.", code="invalid"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                raise ValidationError("The last day comes before the first.", code="order")
            if (last - first).days > MAX_SCHEDULE_DAYS:
                raise ValidationError("One schedule may cover two years at most.", code="too_long")
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
