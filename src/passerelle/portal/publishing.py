"""The whole public site as static files, for any plain web server.

The site is crawled from its home pages through Django itself, so the static
copy is exactly what the live portal serves; links are then made relative
(``../../organizations/…/index.html``), so that the copy works from any
directory, under any server, or straight from the disk. It is written beside
the target and swapped in at the end: a failed publication leaves the previous
one as it was.

Swapping in replaces the whole directory, so only a new or empty directory, or a
previous publication (which holds the marker file ``MARKER``), is ever replaced:
``publish .`` in a checkout, or into a folder of other files, is refused. The
tree is made readable by the web server (directories 0755, files 0644), whatever
the umask and the 0700 of the staging directory.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

#: Set in the WSGI environ of the crawler's requests; no HTTP client can send it.
STATIC_SITE_FLAG = "passerelle.static_site"
#: Written into every publication: the directory may be replaced by the next one.
MARKER = ".passerelle-publication"
LINK = re.compile(r'(?P<attribute>\b(?:href|src))="(?P<url>/[^"#?]*)(?P<rest>[^"]*)"')


class PublishError(Exception):
    """The site could not be published; the previous publication is untouched."""


@dataclass
class PublishSummary:
    pages: int = 0
    data_files: int = 0
    assets: int = 0
    bytes: int = 0
    seconds: float = 0.0
    broken: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.pages} pages, {self.data_files} JSON and other files, {self.assets} assets, "
            f"{self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s"
        )


def _file_for(path: str) -> PurePosixPath:
    """/en/organizations/x/ → en/organizations/x/index.html; /en/x.json stays as it is."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        return PurePosixPath(relative) / "index.html"
    return PurePosixPath(relative)


def _relative(target: str, page: str) -> str:
    """The link from one page's file to another's, e.g. ../../fr/index.html."""
    source_dir = _file_for(page).parent
    target_file = _file_for(target)
    ups = len(source_dir.parts)
    common = 0
    for a, b in zip(source_dir.parts, target_file.parts, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (ups - common) + list(target_file.parts[common:])) or "index.html"


#: What only the live site answers (the open dataset's files, the records' IRIs, the
#: vocabulary): a static copy links to it there rather than copying it.
LIVE_ONLY = ("/open-data/", "/id/", "/ns")


def _crawlable(path: str) -> bool:
    first = path.lstrip("/").split("/", 1)[0]
    languages = {code for code, _name in settings.LANGUAGES}
    if first in languages:
        return not path.startswith(f"/{first}/admin/")
    return path in ("/world.svg", "/sitemap.xml")


def publish(
    out_dir: Path, base_url: str = "http://localhost", progress: Callable | None = None
) -> PublishSummary:
    """Write every public page, its JSON twin and the assets they use under ``out_dir``."""
    started = time.perf_counter()
    host = urlsplit(base_url).netloc or "localhost"
    secure = urlsplit(base_url).scheme == "https"
    summary = PublishSummary()
    out_dir = Path(out_dir).resolve()
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        with override_settings(ALLOWED_HOSTS=[host.split(":")[0]]):
            _crawl(Client(), host, secure, staging, summary, progress)
        if summary.broken:
            raise PublishError(
                "links to pages that do not exist: " + ", ".join(sorted(summary.broken)[:20])
            )
        languages = [code for code, _name in settings.LANGUAGES]
        (staging / "index.html").write_text(
            '<!doctype html><meta charset="utf-8"><title>Passerelle</title>'
            f'<meta http-equiv="refresh" content="0; url={languages[0]}/index.html">'
            f'<a href="{languages[0]}/index.html">Passerelle</a>\n'
        )
        (staging / MARKER).write_text(
            "Written by `passerelle publish`: the next publication replaces this directory.\n"
        )
        _make_readable(staging)
        _check_replaceable(out_dir)  # nobody filled it while the site was crawled
        previous = out_dir.with_name(f".{out_dir.name}-previous")
        shutil.rmtree(previous, ignore_errors=True)  # left by a publication that was killed
        if out_dir.exists():
            out_dir.rename(previous)
        staging.rename(out_dir)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _check_replaceable(out_dir: Path) -> None:
    """Refuse a directory that holds anything but a previous publication."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise PublishError(f"{out_dir} exists and is not a directory")
    if (out_dir / MARKER).is_file() or not any(out_dir.iterdir()):
        return
    raise PublishError(
        f"{out_dir} is not empty and is not a previous publication (it has no {MARKER} "
        "file): publishing would delete what it holds; give a new or empty directory"
    )


def _make_readable(root: Path) -> None:
    """Directories 0755, files 0644: a web server running as another user reads them."""
    root.chmod(0o755)
    for directory, subdirectories, files in os.walk(root):
        for name in subdirectories:
            os.chmod(os.path.join(directory, name), 0o755)
        for name in files:
            os.chmod(os.path.join(directory, name), 0o644)


def _crawl(client: Client, host, secure, staging, summary, progress) -> None:
    languages = [code for code, _name in settings.LANGUAGES]
    # each page links its JSON twin from <head>, so the twins are crawled too
    queue = deque([f"/{code}/" for code in languages] + ["/sitemap.xml"])
    seen = set(queue)
    live = f"{'https' if secure else 'http'}://{host}"
    while queue:
        path = queue.popleft()
        if _is_static(path):
            _copy_asset(path, staging, summary)
            continue
        response = client.get(path, HTTP_HOST=host, secure=secure, **{STATIC_SITE_FLAG: True})
        if response.status_code != 200:
            summary.broken.append(f"{path} ({response.status_code})")
            continue
        content = response.content
        if response["Content-Type"].startswith("text/html"):
            text = content.decode()
            for match in LINK.finditer(text):
                target = match["url"]
                if target not in seen and (_crawlable(target) or _is_static(target)):
                    seen.add(target)
                    queue.append(target)
            text = LINK.sub(
                lambda m, page=path: (
                    f'{m["attribute"]}="{_relative(m["url"], page)}{m["rest"]}"'
                    if _crawlable(m["url"]) or _is_static(m["url"])
                    else f'{m["attribute"]}="{live}{m["url"]}{m["rest"]}"'
                    if m["url"].startswith(LIVE_ONLY)
                    else m[0]
                ),
                text,
            )
            content = text.encode()
            summary.pages += 1
        else:
            if path == "/sitemap.xml":
                content = _publish_sitemap_sections(client, host, secure, staging, summary, content)
            summary.data_files += 1
        target_file = staging / _file_for(path)
        target_file.parent.mkdir(parents=True, exist_ok=True)
        target_file.write_bytes(content)
        summary.bytes += len(content)
        if progress:
            progress(path)


def _publish_sitemap_sections(client, host, secure, staging, summary, index: bytes) -> bytes:
    """Write the sitemap index's sections as files, their pages as …-2.xml, and point to them."""
    text = index.decode()
    for address in set(re.findall(r"<loc>([^<]+)</loc>", text)):
        parts = urlsplit(html.unescape(address))
        response = client.get(f"{parts.path}?{parts.query}", HTTP_HOST=host, secure=secure)
        if response.status_code != 200:
            summary.broken.append(f"{parts.path}?{parts.query} ({response.status_code})")
            continue
        page = parts.query.removeprefix("p=")
        name = parts.path.lstrip("/")
        if page:
            name = name.replace(".xml", f"-{page}.xml")
        (staging / name).write_bytes(response.content)
        summary.data_files += 1
        summary.bytes += len(response.content)
        text = text.replace(address, f"{parts.scheme}://{parts.netloc}/{name}")
    return text.encode()


def _is_static(path: str) -> bool:
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    return path.startswith(prefix)


def _copy_asset(path: str, staging: Path, summary: PublishSummary) -> None:
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    found = finders.find(path[len(prefix) :])
    if not found:
        summary.broken.append(f"{path} (no such asset)")
        return
    target = staging / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(found, target)
    summary.assets += 1
    summary.bytes += target.stat().st_size
