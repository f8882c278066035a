"""`LAN=1 make run`: a phone on the same network can open the trial, and scan it off the screen."""

from __future__ import annotations

import http.client
import io
import ipaddress
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from runclub.lib.lan import lan_address
from runclub.management.commands.show_link import terminal_qr
from tests.first_login import first_log_in
from tests.ports import port
from tests.servers import BASE_DIR, manage, server_env

LINK = re.compile(r"^runclub on (http://\S+/) ", re.M)
# Half blocks, two QR rows per text row; light modules drawn, dark ones left blank.
_HALVES = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}


def make(*args: str, **env: str) -> str:
    return subprocess.run(
        ["make", "-n", *args], cwd=BASE_DIR, env={**os.environ, **env}, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip


def read_terminal_qr(text: str) -> list[str]:
    """Decode a QR code drawn in half blocks, as a phone's camera would read the screen."""
    rows = [line for line in text.splitlines() if line and set(line) <= set(_HALVES)]
    modules = [[_HALVES[c][half] for c in row] for row in rows for half in (0, 1)]
    scale = 8
    image = Image.new("L", (len(modules[0]) * scale, len(modules) * scale), 0)
    for y, row in enumerate(modules):
        for x, light in enumerate(row):
            if light:
                image.paste(255, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_plain_make_run_stays_on_loopback() -> None:
    dry_run = make("run", LAN="")
    assert "daphne -b 127.0.0.1 " in dry_run
    assert 'rm -f "${DATA_DIR:-var}/site_url"' in dry_run


def test_lan_make_run_binds_every_interface_at_this_machines_address() -> None:
    dry_run = make("run", LAN="1", LAN_ADDRESS="192.168.1.20", PORT="8000")
    assert "daphne -b 0.0.0.0 -p 8000 " in dry_run
    assert 'echo http://192.168.1.20:8000 > "${DATA_DIR:-var}/site_url"' in dry_run
    assert "show_link --qr" in dry_run


def test_without_a_network_address_it_says_so_in_one_line() -> None:
    result = subprocess.run(
        ["make", "-n", "run"], cwd=BASE_DIR, capture_output=True, text=True,
        env={**os.environ, "LAN": "1", "LAN_ADDRESS": "127.0.0.1"},
    )  # fmt: skip
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "LAN=1: no network address a phone could reach" in line


def test_the_address_found_is_one_a_phone_could_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAN_ADDRESS", raising=False)
    found = lan_address()
    assert found is not None, "this machine has a network address besides loopback"
    assert not ipaddress.ip_address(found).is_loopback


def test_the_terminal_qr_code_carries_the_link() -> None:
    assert read_terminal_qr(terminal_qr("http://192.168.1.20:8000/", colour=False)) == [
        "http://192.168.1.20:8000/"
    ]


@pytest.mark.slow
def test_a_phone_on_the_network_opens_the_link_make_run_prints(tmp_path: Path) -> None:
    listen = port(18631)
    env = {
        **server_env(tmp_path),
        "LAN": "1",
        "PORT": str(listen),
        "ADMIN_USERNAME": "captain",
        "ADMIN_PASSWORD": "a long first password",
    }
    env.pop("SITE_URL", None)
    env.pop("ALLOWED_HOSTS", None)
    output = tmp_path / "make-run.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            ["make", "run"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        link = _printed_link(output, timeout=120)
        address = ipaddress.ip_address(link.split("//")[1].split(":")[0])
        assert not address.is_loopback
        assert read_terminal_qr(output.read_text()) == [link]
        # From this machine's LAN address, not loopback: as a phone's request arrives.
        home = _get_from(str(address), listen, "/")
        assert home.status == 200
        # A command in another shell prints links phones can open, and so do the QR codes
        # the server serves.
        printed = manage({**server_env(tmp_path)}, "add_run_day", "today").splitlines()
        assert printed[-1].startswith(link + "c/")
        session_path = re.search(r"/qr/[^/]+/", printed[-2])
        assert session_path
        browser, _ = first_log_in(listen, "captain", "a long first password")
        png = _png(listen, session_path[0].rstrip("/") + ".png", browser.cookies)
        [qr] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert qr.text == printed[-1]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)


def _printed_link(output: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace")
        match = LINK.search(text)
        if match:
            return match[1]
        time.sleep(0.2)
    raise AssertionError(f"make run printed no link:\n{output.read_text()}")


def _get_from(address: str, listen: int, path: str) -> http.client.HTTPResponse:
    deadline = time.monotonic() + 60
    while True:
        connection = http.client.HTTPConnection(
            address, listen, timeout=10, source_address=(address, 0)
        )
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        finally:
            connection.close()


def _png(listen: int, path: str, cookies: dict[str, str]) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", listen, timeout=30)
    try:
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        assert response.status == 200, response.status
        return response.read()
    finally:
        connection.close()
