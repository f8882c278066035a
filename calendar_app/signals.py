from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

from calendar_app.models import Run

logger = logging.getLogger(__name__)


def forget_run(sender: type[Run], instance: Run, **kwargs: Any) -> None:
    """A saved or deleted run must not be served from the cache a moment longer."""
    try:
        cache.delete_many(instance.cache_keys())
    except RedisError:
        # The entry expires by itself within RUN_CACHE_SECONDS; say so loudly.
        logger.error("could not forget cached run %s", instance.pk, exc_info=True)
