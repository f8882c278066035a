from __future__ import annotations

import html
import re
import uuid

from django.test import Client

from calendar_app.models import Run


def checkin(client: Client, run: Run, name: str, submission_id: str | None = None, **extra: object):
    """POST the check-in form as a phone would."""
    data = {"runner_name": name, "submission_id": submission_id or str(uuid.uuid4())}
    return client.post(run.checkin_path(), data, **extra)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The response's visible text, tags stripped and spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
