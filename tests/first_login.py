"""An organiser's first log-in on a real server, over HTTP, as a browser makes it.

The one place the server tests drive the log-in pages by hand (the password, then setting
up an authenticator app and typing its code): when the log-in flow changes, change it here.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pyotp

from tests.phone import Answer, Phone

LOGIN = "/admin/login/"
TODAY = "/admin/"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r"<code>([A-Z2-7 ]+)</code>")


def _post(browser: Phone, path: str, page: Answer, fields: dict[str, str]) -> Answer:
    token = _CSRF.search(page.body)
    assert token, f"{path} has no form to send"
    return browser.request("POST", path, urlencode({"csrfmiddlewaretoken": token[1], **fields}))


def first_log_in(port: int, username: str, password: str) -> tuple[Phone, Answer]:
    """Log ``username`` in for the first time: password, then two-factor enrolment.

    Returns the logged-in browser and the first page after log-in (Today).
    """
    browser = Phone(port)
    fields = {"username": username, "password": password, "next": TODAY}
    answer = _post(browser, LOGIN, browser.request("GET", LOGIN), fields)
    assert answer.status == 302, f"the password was refused: {answer.text[:300]}"
    enrol_path = answer.headers["location"]
    enrol_page = browser.request("GET", enrol_path)
    key = _KEY.search(enrol_page.body)
    assert key, f"no authenticator key to set up at {enrol_path}: {enrol_page.text[:300]}"
    app = pyotp.TOTP(key[1].replace(" ", ""))
    answer = _post(browser, enrol_path, enrol_page, {"code": app.now()})
    assert answer.status == 302, f"the code was refused: {answer.text[:300]}"
    return browser, browser.request("GET", answer.headers["location"])
