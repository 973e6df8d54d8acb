"""A Content-Security-Policy for every built page: defence in depth behind the escaping.

GitHub Pages cannot send headers, so the policy is a <meta> tag, the first thing in <head>. It
allows scripts only from the site itself and the theme's own inline scripts, by hash: inline
event handlers, `javascript:` URLs, inline scripts inside a page's content and scripts from other
hosts do not run, and the page may connect only to its own origin. Hashes are taken only from
inline scripts outside the page's content (<article>), where the theme puts them; a script a lesson
body carries inline is not trusted (the authoring guide says to put scripts in docs/assets/).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# Inline scripts that run: no src, and no type or a JavaScript type (a JSON <script> never runs).
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?:\s+type=\"(?:text/javascript|module)\")?\s*>(.*?)</script>", re.DOTALL | re.IGNORECASE
)
_CONTENT = re.compile(r"<article class=\"md-content__inner[^\"]*\">.*</article>", re.DOTALL)
_HEAD = re.compile(r"<head>\s*(<meta charset=\"utf-8\">)?", re.IGNORECASE)

POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'"
)


def policy_for(page: str) -> str:
    """The policy of one page: the hashes of the theme's inline scripts on it."""
    outside_content = _CONTENT.sub("", page)
    hashes = sorted({_hash(script) for script in _INLINE_SCRIPT.findall(outside_content)})
    return POLICY.format(hashes=" ".join(hashes))


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def add_policy(page: str) -> str:
    """The page with its policy as the first element of <head> (after the charset, which must come first)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(page)}">'
    return _HEAD.sub(lambda m: m.group(0) + meta, page, count=1)


def protect_site(site_dir: Path) -> int:
    """Add the policy to every HTML page under site_dir; returns how many pages got it."""
    count = 0
    for path in site_dir.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if "Content-Security-Policy" in page[:2000]:
            continue  # a dirty rebuild leaves unchanged pages as they were
        path.write_text(add_policy(page), encoding="utf-8")
        count += 1
    return count
