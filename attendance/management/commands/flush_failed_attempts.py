from __future__ import annotations

from attendance import wording
from attendance.failures import flush_pending
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Move the counts of refused check-ins still waiting in the cache into the database "
        "(the organisers' 'refused check-ins' lines). The server does it by itself each night; "
        "without REDIS_URL the cache is the server's own, and only its nightly run sees it."
    )

    def handle(self, *args: object, **options: object) -> None:
        moved = flush_pending()
        self.stdout.write(wording.refusals_moved(moved))
