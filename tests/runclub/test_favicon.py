from __future__ import annotations

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_old_icon_address_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")
