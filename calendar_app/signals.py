from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

from calendar_app.models import RUN_CACHE_SECONDS, Run

logger = logging.getLogger(__name__)


def forget_run(sender: type[Run], instance: Run, **kwargs: Any) -> None:
    """A saved or deleted run must not be served from the cache a moment longer.

    Forgotten once the change commits: before that, another request could cache the
    old row again.
    """
    keys = instance.cache_keys()

    def forget() -> None:
        try:
            cache.delete_many(keys)
        except RedisError:
            logger.info("cached run %s expires by itself within %s s", keys, RUN_CACHE_SECONDS)

    transaction.on_commit(forget)
