"""A runner's phone talking HTTP to a real server: its own cookies and source address."""

from __future__ import annotations

import html
import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def text(self) -> str:
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", self.body, flags=re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


class Phone:
    """GETs the check-in form, then POSTs a name with the form's hidden fields."""

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 30.0) -> None:
        self.port = port
        self.source = source
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.hidden: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read().decode(errors="replace"),
            )
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        finally:
            connection.close()
        return answer

    def open_form(self, path: str) -> Answer:
        answer = self.request("GET", path)
        self.hidden = dict(_HIDDEN.findall(answer.body))
        return answer

    def send_name(self, path: str, name: str) -> Answer:
        """POST the form as last opened; sending it again is a resend (same submission id)."""
        return self.request("POST", path, urlencode({**self.hidden, "runner_name": name}))
