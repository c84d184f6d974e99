#!/usr/bin/env python3
"""Trunk post-build hook (Trunk.toml). In release builds it

1. adds a Content-Security-Policy to index.html that allows only the app's
   own files, Trunk's one inline loader script (by its SHA-256 hash) and
   WebAssembly: script-src 'self' 'sha256-…' 'wasm-unsafe-eval', no other
   inline script, object-src 'none', base-uri 'none';
2. writes sw.js, the service worker (scripts/service_worker.py).

Debug builds (`trunk serve`) are left alone: Trunk injects its live-reload
script there, which a strict policy would block.
"""
import base64
import hashlib
import os
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import service_worker  # noqa: E402


def add_csp(index: pathlib.Path) -> None:
    html = index.read_text(encoding="utf-8")
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
        if s.strip()
    )
    policy = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes} 'wasm-unsafe-eval'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
    html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
    index.write_text(html, encoding="utf-8")


def main() -> None:
    staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else None)
    if not staging:
        sys.exit("post_build.py: TRUNK_STAGING_DIR is not set")
    staging = pathlib.Path(staging)
    if os.environ.get("TRUNK_PROFILE", "release") != "release":
        return
    add_csp(staging / "index.html")
    service_worker.main(staging)


if __name__ == "__main__":
    main()
