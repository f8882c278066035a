"""/qr/<session_id>/: the code organisers project or print."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import zxingcpp
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image, ImageDraw

from calendar_app.models import Run
from qrcodes import services
from tests.authenticator import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def rasterise(svg: bytes, scale: int = 8) -> bytes:
    """Draw segno's SVG (one stroked path of M/m moves and h lines) as a PNG.

    A tiny renderer for exactly the commands in the file, so the decoder reads
    what a browser would draw, not segno's input.
    """
    text = svg.decode()
    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', text).groups())
    image = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in re.findall(
        r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?",
        re.search(r'class="qrline"[^>]* d="([^"]+)"', text)[1],
    ):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5)
            draw.rectangle(
                [x * scale, row * scale, (x + float(a)) * scale - 1, (row + 1) * scale - 1], fill=0
            )
            x += float(a)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_it_shows_a_big_code_with_the_run(staff_client: Client, run: Run) -> None:
    response = staff_client.get(run.qr_path())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "viewBox" in page
    assert run.checkin_url() in page
    assert run.place in page
    stylesheet = Path(finders.find("css/runclub.css")).read_text()
    assert "@media print" in stylesheet and "size: A4" in stylesheet


def test_the_png_decodes_to_the_check_in_url(staff_client: Client, run: Run) -> None:
    response = staff_client.get(f"/qr/{run.session_id}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f'filename="checkin-{run.date:%Y-%m-%d}.png"' in response["Content-Disposition"]
    assert decode(response.content) == [run.checkin_url()]


def test_the_svg_decodes_to_the_check_in_url(staff_client: Client, run: Run) -> None:
    response = staff_client.get(f"/qr/{run.session_id}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert decode(rasterise(response.content)) == [run.checkin_url()]


def test_the_decoded_url_opens_the_check_in_form(
    staff_client: Client, client: Client, run: Run, settings: object
) -> None:
    url = decode(staff_client.get(f"/qr/{run.session_id}.png").content)[0]
    path = url.removeprefix(settings.SITE_URL)
    response = client.get(path)
    assert response.status_code == 200
    assert 'name="runner_name"' in response.content.decode()


def test_it_is_a_full_qr_code_not_micro(staff_client: Client, run: Run) -> None:
    result = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(staff_client.get(f"/qr/{run.session_id}.png").content))
    )[0]
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level in {"Q", "H"}


@pytest.mark.parametrize("suffix", ["/", ".svg", ".png"])
def test_anonymous_visitors_are_sent_to_log_in(client: Client, run: Run, suffix: str) -> None:
    response = client.get(f"/qr/{run.session_id}{suffix}")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_runners_who_are_not_staff_are_sent_to_log_in(client: Client, run: Run) -> None:
    log_in(client, UserFactory())
    assert client.get(run.qr_path()).status_code == 302


@pytest.mark.parametrize("path", ["/qr/nope/", "/qr/" + "a" * 22 + "/", "/qr/%3Cscript%3E/"])
def test_unknown_sessions_are_404(staff_client: Client, path: str) -> None:
    assert staff_client.get(path).status_code == 404


def test_the_code_carries_the_short_link(staff_client: Client, run: Run, settings: object) -> None:
    short_link = f"{settings.SITE_URL}/c/{run.short_code}"
    assert decode(staff_client.get(f"/qr/{run.session_id}.png").content) == [short_link]
    assert decode(rasterise(staff_client.get(f"/qr/{run.session_id}.svg").content)) == [short_link]


def test_the_page_shows_the_short_link_and_the_code_in_large_type(
    staff_client: Client, run: Run, settings: object
) -> None:
    page = staff_client.get(run.qr_path()).content.decode()
    assert f'<p class="qr-url">{settings.SITE_URL}/c/{run.short_code}</p>' in page
    assert f"<strong>{settings.SITE_URL}/c/</strong>" in page
    assert f'<p class="short-code">{run.short_code[:4]} {run.short_code[4:]}</p>' in page


@pytest.mark.parametrize(
    "site", ["https://runclub.onrender.com", "https://hare-and-hounds.onrender.com"]
)
def test_a_typical_hosted_sites_code_is_small(run: Run, settings: object, site: str) -> None:
    settings.SITE_URL = site
    code = services.qr_for(run)
    assert code.version <= 5  # 37 modules or fewer; the long signed link needed version 10 (57)
    assert code.error in {"Q", "H"}
