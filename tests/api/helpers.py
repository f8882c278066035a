from __future__ import annotations

import json

from django.test import Client


def post_json(client: Client, path: str, body: object, **extra: object):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **extra)
