"""An organiser's first log-in on a real server, over HTTP, as a browser makes it.

The one place the server tests drive the log-in pages by hand (the password, then setting
up an authenticator app and typing its code, django-two-factor-auth's wizard fields): when the
log-in flow changes, change it here.
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
    """Log ``username`` in for the first time: the password, then setting up an authenticator
    app at django-two-factor-auth's set-up (choose the app, read its key, type its code).

    Returns the logged-in browser and the first page after log-in (Today).
    """
    browser = Phone(port)
    login = f"{LOGIN}?next={TODAY}"
    fields = {
        "login_view-current_step": "auth",
        "auth-username": username,
        "auth-password": password,
    }
    answer = _post(browser, login, browser.request("GET", login), fields)
    assert answer.status == 302, f"the password was refused: {answer.text[:300]}"
    setup_path = answer.headers["location"]
    setup_page = browser.request("GET", setup_path)
    fields = {"setup_view-current_step": "method", "method-method": "generator"}
    app_page = _post(browser, setup_path, setup_page, fields)
    key = _KEY.search(app_page.body)
    assert key, f"no authenticator key to set up at {setup_path}: {app_page.text[:300]}"
    app = pyotp.TOTP(key[1].replace(" ", ""))
    fields = {"setup_view-current_step": "generator", "generator-token": app.now()}
    answer = _post(browser, setup_path, app_page, fields)
    assert answer.status == 302, f"the code was refused: {answer.text[:300]}"
    return browser, browser.request("GET", answer.headers["location"])
