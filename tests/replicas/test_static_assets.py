"""Through nginx as deploy/nginx/employdash.conf configures it, the app's built JavaScript comes
back gzip-compressed and cacheable for a year (its name carries its content's hash)."""

from __future__ import annotations

import gzip
import re
import urllib.request
from pathlib import Path

from tests.support.databases import copy_sqlite
from tests.support.replicas import app_server, nginx


def _get(url: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def _decoded(headers: dict[str, str], body: bytes) -> bytes:
    return gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body


def test_a_static_asset_comes_back_gzipped_with_a_long_cache(
    sqlite_template: Path, tmp_path: Path
) -> None:
    url = copy_sqlite(sqlite_template, tmp_path / "static.db")
    with app_server(url) as app, nginx([app.base]) as balancer:
        page_headers, page = _get(balancer + "/")
        page = _decoded(page_headers, page)
        script = re.search(rb'src="\.?(/?static/js/[^"]+\.js)"', page)
        assert script is not None, page[:500]
        path = "/" + script.group(1).decode().lstrip("/")
        headers, body = _get(balancer + path)
        assert headers.get("content-encoding") == "gzip"
        assert "max-age=31536000" in headers["cache-control"]
        assert "immutable" in headers["cache-control"]
        plain = gzip.decompress(body)
        direct_headers, direct = _get(app.base + path)  # the replica's own answer
        assert plain == _decoded(direct_headers, direct)
        assert len(body) < len(plain) / 2
        # The page itself is not cached: a release must reach the browser at once.
        assert "immutable" not in page_headers.get("cache-control", "")
