#!/usr/bin/env python3
"""Builds the single self-contained file from a Trunk release build.

    python3 scripts/single_file.py DIST_DIR OUT_HTML

Inlines the CSS, the wasm-bindgen JS glue and the wasm (base64, passed to
the glue's synchronous `initSync`), and the icon (a data: URL), so the page
makes no request at all and works when opened from disk (file://). Its
Content-Security-Policy allows only its own inline script and style by
SHA-256 hash and 'wasm-unsafe-eval'; no 'unsafe-inline'. Prints the sizes
of the single file and of the folder build, raw and gzip.
"""
import base64
import gzip
import hashlib
import pathlib
import re
import sys


def one(dist: pathlib.Path, pattern: str) -> pathlib.Path:
    found = sorted(dist.glob(pattern))
    if len(found) != 1:
        sys.exit(f"single_file: expected one {pattern} in {dist}, found {len(found)}")
    return found[0]


def sha256_b64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def main(dist: pathlib.Path, out: pathlib.Path) -> None:
    css = one(dist, "style-*.css").read_text(encoding="utf-8")
    glue = one(dist, "article-annotator-*.js").read_text(encoding="utf-8")
    wasm = one(dist, "article-annotator-*_bg.wasm").read_bytes()
    icon = one(dist, "icon-*.svg").read_bytes()
    template = (dist / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", template, re.S).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)"', template).group(1)

    script = (
        glue
        + "\nconst wasmBytes = Uint8Array.from(atob(\""
        + base64.b64encode(wasm).decode()
        + "\"), (c) => c.charCodeAt(0));\n"
        + "initSync({ module: wasmBytes });\n"
        + "window.wasmBindings = { wasm_memory_bytes };\n"
    )
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src 'sha256-{sha256_b64(script)}' 'wasm-unsafe-eval'",
            f"style-src 'sha256-{sha256_b64(css)}'",
            "img-src data:",
            "base-uri 'none'",
            "object-src 'none'",
            "form-action 'none'",
        ]
    )
    icon_url = "data:image/svg+xml;base64," + base64.b64encode(icon).decode()
    html = f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="{csp}" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <meta name="description" content="{description}" />
    <title>{title}</title>
    <link rel="icon" href="{icon_url}" />
    <style>{css}</style>
  </head>
  <body>
    <noscript>Article Annotator needs JavaScript and WebAssembly to run.</noscript>
    <script type="module">{script}</script>
  </body>
</html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")

    def sizes(data: bytes):
        return len(data), len(gzip.compress(data, 9))

    single = sizes(html.encode("utf-8"))
    folder = [0, 0]
    for p in dist.iterdir():
        if p.is_file() and p.suffix in (".html", ".js", ".wasm", ".css", ".svg", ".webmanifest"):
            raw, gz = sizes(p.read_bytes())
            folder[0] += raw
            folder[1] += gz
    print(f"single file: {out} — {single[0] / 1024:.0f} KiB raw, {single[1] / 1024:.0f} KiB gzip")
    print(f"folder build: {dist} — {folder[0] / 1024:.0f} KiB raw, {folder[1] / 1024:.0f} KiB gzip")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
