"""Every page carries the security headers, and ours need nothing inline."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from csp.constants import NONCE
from csp.decorators import csp_update
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory

from calendar_app.models import Run
from calendar_app.tokens import make_token
from runclub.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "checkin",
    "/no-such-page/",
    "/api/docs",
    "/api/openapi.json",
    "/api/calendar",
    "/admin/login/",
]
STAFF = ["qr", "/admin/", "/admin/calendar_app/run/", "/api/attendance/today"]


def path_of(page: str, run: Run) -> str:
    return {"checkin": run.checkin_path(), "qr": run.qr_path()}.get(page, page)


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    directives = [d.split() for d in response["Content-Security-Policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


@pytest.mark.parametrize("page", PUBLIC)
def test_public_pages_carry_the_security_headers(client: Client, run: Run, page: str) -> None:
    assert_secured(client.get(path_of(page, run)))


@pytest.mark.parametrize("page", STAFF)
def test_staff_pages_carry_the_security_headers(staff_client: Client, run: Run, page: str) -> None:
    response = staff_client.get(path_of(page, run))
    assert response.status_code == 200
    assert_secured(response)


def assert_secured(response) -> None:  # type: ignore[no-untyped-def]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = policy(response)
    for directive in ("script-src", "style-src", "default-src"):
        assert csp[directive] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_the_live_websocket_is_allowed_to_connect(client: Client, settings) -> None:
    connect = policy(client.get("/"))["connect-src"]
    assert "'self'" in connect
    # The port the app is served on: 8000, or where `make run` last served (DATA_DIR/port).
    assert f"ws://127.0.0.1:{settings.PORT}" in connect


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
]


@pytest.mark.parametrize("page", ["/", "checkin", "qr", "/api/docs", "forged"])
def test_our_pages_need_nothing_the_policy_forbids(
    staff_client: Client, run: Run, page: str
) -> None:
    path = f"/checkin/{make_token(run.session_id)[:-2]}xx/" if page == "forged" else page
    html = staff_client.get(path_of(path, run)).content.decode()
    for pattern in INLINE:
        assert not pattern.search(html), pattern.pattern


def test_the_api_docs_load_their_assets_from_our_own_static_files(client: Client) -> None:
    html = client.get("/api/docs").content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert "cdn" not in html.lower()


def test_the_policy_is_django_csps_own(client: Client, run: Run) -> None:
    # Built once per process (runclub.middleware.ContentSecurityPolicyMiddleware): the same
    # header django-csp builds for a response.
    assert client.get(run.checkin_path())["Content-Security-Policy"] == build_policy()


def test_a_response_with_a_policy_of_its_own_keeps_it(rf: RequestFactory) -> None:
    @csp_update({"img-src": "https://maps.example"})
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("map")

    response = served(view, rf.get("/map/"))
    assert "https://maps.example" in response["Content-Security-Policy"]


def test_a_nonce_reaches_the_header(rf: RequestFactory, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"<script nonce='{request.csp_nonce}'>")  # type: ignore[attr-defined]

    request = rf.get("/")
    header = served(view, request)["Content-Security-Policy"]
    assert f"'nonce-{request._csp_nonce}'" in header  # type: ignore[attr-defined]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error(rf: RequestFactory) -> None:
    request = rf.get("/")
    served(lambda request: HttpResponse("ok"), request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]


def served(
    view: Callable[[HttpRequest], HttpResponseBase], request: HttpRequest
) -> HttpResponseBase:
    response = ContentSecurityPolicyMiddleware(view)(request)
    assert isinstance(response, HttpResponseBase)
    return response
