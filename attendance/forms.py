from __future__ import annotations

import uuid

from django import forms

from attendance.names import clean_runner_name


class CheckInForm(forms.Form):
    # Trimming and length are checked by clean_runner_name, with kinder messages.
    runner_name = forms.CharField(label="Your name", strip=False, required=False)
    submission_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_runner_name(self) -> str:
        return clean_runner_name(self.cleaned_data["runner_name"])

    def clean_submission_id(self) -> uuid.UUID | None:
        # Only ever used to recognise a resent form; a mangled one just means
        # "no resend detection", never an error the runner has to deal with.
        try:
            return uuid.UUID(self.cleaned_data["submission_id"])
        except ValueError:
            return None
