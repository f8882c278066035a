"""This machine's address on the local network, for `LAN=1 make run`.

A phone on the same Wi-Fi cannot open 127.0.0.1 (on a phone that is the phone itself), so
the trial server needs the address the phone can reach. Standard library only: the Makefile
runs this file with the system's Python before the virtualenv exists
(``python3 runclub/lib/lan.py`` prints the address, or nothing if there is none).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

# Connecting a UDP socket sends nothing; it only asks the kernel which of this machine's
# addresses would be used towards the destination. One destination per private range, so
# a machine without a default route (a laptop on a club's offline Wi-Fi) is found too.
_PROBES = ("192.0.2.1", "10.255.255.255", "172.31.255.255", "192.168.255.255")


def _usable(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def _candidates() -> list[str]:
    found: list[str] = []
    for destination in _PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((destination, 9))
            except OSError:
                continue
            found.append(probe.getsockname()[0])
    try:
        named = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        named = []
    found += [str(info[4][0]) for info in named]
    return [address for address in dict.fromkeys(found) if _usable(address)]


def lan_address() -> str | None:
    """``LAN_ADDRESS`` when set, else this machine's private (Wi-Fi or Ethernet) address,
    else any address that is not loopback; None when there is none."""
    chosen = os.environ.get("LAN_ADDRESS", "").strip()
    if chosen:
        return chosen if _valid(chosen) else None
    candidates = _candidates()
    private = [address for address in candidates if ipaddress.ip_address(address).is_private]
    return next(iter(private or candidates), None)


def _valid(address: str) -> bool:
    try:
        return _usable(address) and ipaddress.ip_address(address).version == 4
    except ValueError:
        return False


if __name__ == "__main__":
    address = lan_address()
    if address:
        sys.stdout.write(f"{address}\n")
    sys.exit(0 if address else 1)
