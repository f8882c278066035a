"""Finding a run by its short code, as scanned or typed: the one place a wrong code is refused.

Wrong codes are counted per client address (``RATELIMIT_WRONG_CODE_PER_ADDRESS``); a client
past the limit is refused every code, right ones too, or it could keep guessing and tell a
hit by its answer. Both refusals are counted for organisers too (``attendance.failures``).
"""

from __future__ import annotations

from django.http import HttpRequest

from attendance import failures
from calendar_app.models import Run
from runclub.lib.ratelimits import WRONG_CODE_LIMIT, count, exceeded


class WrongCode(Exception):
    """No run has this code."""


class TooManyWrongCodes(Exception):
    """This client typed too many wrong codes lately; no code is looked up for now."""


def run_for_code(request: HttpRequest, code: str) -> Run:
    """The run ``code`` (as ``shortcodes.normalise`` gives it) names.

    Raises TooManyWrongCodes while the client is over its limit, WrongCode if no run has it.
    """
    if exceeded(request, WRONG_CODE_LIMIT):
        failures.record(failures.Reason.RATE_LIMITED)
        raise TooManyWrongCodes
    run = Run.for_short_code(code)
    if run is None:
        count(request, WRONG_CODE_LIMIT)
        failures.record(failures.Reason.WRONG_CODE)
        raise WrongCode(code)
    return run
