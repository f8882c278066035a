"""The runner's check-in page on a weak signal: its weight, and how long a tap takes to answer.

Starts the app as ``bench/load.py`` does (daphne, SQLite in a fresh DATA_DIR, static files
collected and compressed, today's run) and opens the short link in Chromium as a 390x844 touch
phone on an emulated slow network (``--latency`` ms each way, ``--kbps`` KB/s down and up,
Chromium's DevTools network emulation). Each round is a new phone with an empty cache. It prints:

- the page's bytes on the wire (headers included, compressed as sent) and its requests;
- the page load, from navigation to the load event;
- tap to answer: from the tap on "Check in" to the answer on screen, measured in the page;

medians over ``--rounds``, and the QR code's size for a typical hosted site before and after
short links (segno, as ``qrcodes.services`` makes it).

    python -m bench.runner_page                 # 7 rounds
    python -m bench.runner_page --rounds 2      # a quick look
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, field

import segno
from playwright.sync_api import Browser, sync_playwright

from bench.load import start_server
from bench.results import record
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

# Started in the page before the tap: when the form is sent, and when the answer shows.
STOPWATCH = """
window.__bench = {};
document.addEventListener("submit", () => { window.__bench.tap = performance.now(); }, true);
new MutationObserver(() => {
  if (!window.__bench.answer && document.querySelector(".card-ok")) {
    window.__bench.answer = performance.now();
  }
}).observe(document.body, {subtree: true, childList: true, attributes: true});
"""


@dataclass
class Round:
    page_bytes: int = 0
    requests: list[str] = field(default_factory=list)
    load_s: float = 0.0
    tap_to_answer_s: float = 0.0
    answer_bytes: int = 0


def one_round(browser: Browser, url: str, name: str, args: argparse.Namespace) -> Round:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": args.latency,
            "downloadThroughput": args.kbps * 1000,
            "uploadThroughput": args.kbps * 1000,
        },
    )
    result = Round()
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.update({e["requestId"]: e["request"]["url"]})
    )
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]})
    )
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1500)  # the favicon and anything else the page asks for late
        result.load_s = page.evaluate(
            "performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"
        )
        result.page_bytes = int(sum(sizes.values()))
        result.requests = [urls[request] for request in sizes]
        before = set(sizes)

        page.evaluate(STOPWATCH)
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Check in").tap()
        page.wait_for_selector(".card-ok", timeout=30_000)
        times = page.evaluate("window.__bench")
        result.tap_to_answer_s = (times["answer"] - times["tap"]) / 1000
        page.wait_for_timeout(200)
        result.answer_bytes = int(sum(n for request, n in sizes.items() if request not in before))
    finally:
        context.close()
    return result


def qr_sizes(site: str) -> str:
    # The long link: /checkin/<22-character session id>:<43-character signature>/
    long_link = f"{site}/checkin/{'A' * 22}:{'B' * 43}/"
    short_link = f"{site}/c/7K3M9QXD"
    lines = []
    for label, link in (("signed link", long_link), ("short link", short_link)):
        code = segno.make_qr(link, error="q", boost_error=True)
        modules = code.symbol_size(border=0)[0]
        lines.append(
            f"  {label}, {len(link)} characters: version {code.version}, "
            f"{modules}x{modules} modules, error correction {code.error}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--latency", type=int, default=400, help="ms added to each request")
    parser.add_argument("--kbps", type=int, default=50, help="KB/s, down and up")
    args = parser.parse_args()

    with start_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            rounds = [
                one_round(browser, server.checkin_url, f"Bench Runner {i}", args)
                for i in range(args.rounds)
            ]
        finally:
            browser.close()

    first = rounds[0]
    print(
        f"check-in page on a {args.latency} ms, {args.kbps} KB/s phone, "
        f"median of {args.rounds} rounds, each with an empty cache:"
    )
    print(
        f"  page: {statistics.median(r.page_bytes for r in rounds) / 1000:.1f} KB "
        f"in {len(first.requests)} requests "
        f"({', '.join(url.rsplit('/', 1)[-1] or '/' for url in first.requests)})"
    )
    print(f"  page load: {statistics.median(r.load_s for r in rounds):.2f} s")
    taps = sorted(r.tap_to_answer_s for r in rounds)
    print(
        f"  tap to answer: {statistics.median(taps):.2f} s (fastest {taps[0]:.2f} s, "
        f"slowest {taps[-1]:.2f} s); the answer is "
        f"{statistics.median(r.answer_bytes for r in rounds) / 1000:.1f} KB"
    )
    record(
        "runner_page",
        {
            "page_kb": statistics.median(r.page_bytes for r in rounds) / 1000,
            "tap_to_answer_s": statistics.median(taps),
        },
    )
    for site in ("https://runclub.onrender.com", "https://hare-and-hounds-running.onrender.com"):
        print(f"QR code for {site} (segno, level Q or better):")
        print(qr_sizes(site))


if __name__ == "__main__":
    main()
