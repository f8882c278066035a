"""What every model admin of the club's shares."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

# Said when a save collides with a change its form could not have seen.
SAVED_ELSEWHERE = _(
    "Someone changed this at the same moment, so nothing was saved. "
    "Check the page as it is now and save again."
)


class ClubModelAdmin(admin.ModelAdmin):
    """A model's admin whose saves answer a race with the form, not a server error.

    A form validates before it saves, so two saves at once (an organiser typing a
    runner's name while the runner's phone checks them in, two organisers adding the
    same day) can both pass and the second then breaks a unique constraint. Its
    transaction has rolled back, so the view runs once more: the form now sees the other
    row and says so at the field, with the organiser's input still in it.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            pass  # rolled back; the second try's form sees the other row
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # The form's rules do not cover what the database refused: say so plainly.
            self.message_user(request, SAVED_ELSEWHERE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
