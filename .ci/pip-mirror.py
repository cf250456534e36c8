#!/usr/bin/env python3
"""A read-only Python package mirror for envctl's CI, built from the machine's local package trees.

  /simple/ and /simple/<name>/      PEP 503 index merging every --index tree (each laid out as
                                    simple/<name>/index.html linking to ../../files/<dist>#sha256=…)
  /whl/cpu/ and /whl/cpu/<name>/    PEP 503 index over the flat --wheels folders, so that
                                    `--extra-index-url http://127.0.0.1:8081/whl/cpu` behaves like
                                    download.pytorch.org/whl/cpu (e.g. torch==2.13.0+cpu)
  /files/<tree>/<dist>              the distributions those pages link to

Anything else is a 404; nothing is ever listed from disk. pip caches responses from an HTTP index only
for a --trusted-host that also sends cache headers, so distributions are sent as immutable and index
pages with max-age=60. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.server
import json
import os
import re
import shutil
import string
import sys
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

DIST_CACHE = "public, max-age=31536000, immutable"
INDEX_CACHE = "max-age=60"
DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")


def normalize(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


class AnchorParser(HTMLParser):
    """Collects (attributes, text) of every <a> in a simple-index page, attribute values unescaped."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[dict[str, str], str]] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {k: v or "" for k, v in attrs}
            self._text = []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.anchors.append((self._open, "".join(self._text).strip()))
            self._open = None


def anchor(attrs: dict[str, str], text: str) -> str:
    rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f"<a{rendered}>{html.escape(text)}</a>"


def page(title: str, anchors: list[str]) -> bytes:
    body = "\n".join(anchors)
    return f"<!DOCTYPE html>\n<html><head><title>{html.escape(title)}</title></head><body>\n{body}\n</body></html>\n".encode()


@dataclass
class Tree:
    """One served folder of distributions, addressed as /files/<key>/…"""

    key: str
    files_dir: Path
    simple_dir: Path | None = None
    projects: dict[str, Path] = field(default_factory=dict)


class Mirror:
    def __init__(self, indexes: list[Path], wheel_dirs: list[Path], state_dir: Path) -> None:
        keys = iter(string.ascii_lowercase)
        self.trees: dict[str, Tree] = {}
        self.index_trees: list[Tree] = []
        for simple in indexes:
            tree = Tree(next(keys), simple.parent / "files", simple)
            tree.projects = {normalize(p.name): p for p in simple.iterdir() if (p / "index.html").is_file()}
            self.trees[tree.key] = tree
            self.index_trees.append(tree)
        self.flat: dict[str, list[dict[str, str]]] = {}
        for folder in wheel_dirs:
            tree = Tree(next(keys), folder)
            self.trees[tree.key] = tree
            self._add_flat(tree, state_dir / "pip-mirror-hashes.json")
        self.pages: dict[str, bytes] = {}

    def _add_flat(self, tree: Tree, hash_file: Path) -> None:
        cache = json.loads(hash_file.read_text()) if hash_file.is_file() else {}
        for dist in sorted(tree.files_dir.iterdir()):
            if not dist.name.endswith(DIST_SUFFIXES) or not dist.is_file():
                continue
            stat = dist.stat()
            cache_key = f"{dist}:{stat.st_size}:{stat.st_mtime_ns}"
            if cache_key not in cache:
                cache[cache_key] = {"sha256": sha256(dist), "requires_python": requires_python(dist)}
            entry = cache[cache_key]
            attrs = {"href": f"/files/{tree.key}/{urllib.parse.quote(dist.name)}#sha256={entry['sha256']}"}
            if entry["requires_python"]:
                attrs["data-requires-python"] = entry["requires_python"]
            self.flat.setdefault(normalize(dist_name(dist.name)), []).append(attrs | {"text": dist.name})
        hash_file.write_text(json.dumps(cache, indent=1, sort_keys=True))

    def simple_root(self) -> bytes:
        names = sorted({name for tree in self.index_trees for name in tree.projects})
        return page("Simple index", [anchor({"href": f"{n}/"}, n) for n in names])

    def simple_project(self, name: str) -> bytes | None:
        anchors, seen = [], set()
        for tree in self.index_trees:
            project = tree.projects.get(name)
            if project is None:
                continue
            parser = AnchorParser()
            parser.feed(project.joinpath("index.html").read_text(encoding="utf-8"))
            for attrs, text in parser.anchors:
                href = self._rewrite(tree, project, attrs.get("href", ""))
                filename = href.split("#", 1)[0].rsplit("/", 1)[-1]
                if href and filename not in seen:
                    seen.add(filename)
                    anchors.append(anchor(attrs | {"href": href}, text))
        return page(f"Links for {name}", anchors) if anchors else None

    def _rewrite(self, tree: Tree, project: Path, href: str) -> str:
        """Maps a relative link inside a tree to /files/<key>/…; drops links that leave the files folder."""
        if urllib.parse.urlsplit(href).scheme:
            return href
        path, _, fragment = href.partition("#")
        target = (project / urllib.parse.unquote(path)).resolve()
        try:
            rel = target.relative_to(tree.files_dir.resolve())
        except ValueError:
            return ""
        return f"/files/{tree.key}/{urllib.parse.quote(rel.as_posix())}" + (f"#{fragment}" if fragment else "")

    def flat_root(self) -> bytes:
        return page("Simple index", [anchor({"href": f"{n}/"}, n) for n in sorted(self.flat)])

    def flat_project(self, name: str) -> bytes | None:
        links = self.flat.get(name)
        if not links:
            return None
        return page(f"Links for {name}", [anchor({k: v for k, v in a.items() if k != "text"}, a["text"]) for a in links])

    def index_page(self, path: str) -> bytes | None:
        if path not in self.pages:
            built = self._build(path)
            if built is None:
                return None
            self.pages[path] = built
        return self.pages[path]

    def _build(self, path: str) -> bytes | None:
        parts = path.strip("/").split("/")
        if parts == ["simple"]:
            return self.simple_root()
        if len(parts) == 2 and parts[0] == "simple":
            return self.simple_project(parts[1])
        if parts == ["whl", "cpu"]:
            return self.flat_root()
        if len(parts) == 3 and parts[:2] == ["whl", "cpu"]:
            return self.flat_project(parts[2])
        return None

    def dist_file(self, path: str) -> Path | None:
        """/files/<key>/<relative path> → a distribution inside that tree, or None."""
        parts = path.split("/", 3)
        if len(parts) != 4 or parts[1] != "files" or parts[2] not in self.trees:
            return None
        root = self.trees[parts[2]].files_dir.resolve()
        target = (root / parts[3]).resolve()
        if root not in target.parents or not target.is_file() or not target.name.endswith(DIST_SUFFIXES):
            return None
        return target


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dist_name(filename: str) -> str:
    """Project name of a wheel (<name>-<version>-…) or sdist (<name>-<version>.tar.gz)."""
    return filename.split("-", 1)[0] if filename.endswith(".whl") else filename.rsplit("-", 1)[0]


def requires_python(path: Path) -> str:
    if not path.name.endswith(".whl"):
        return ""
    with zipfile.ZipFile(path) as wheel:
        metadata = next((n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")), None)
        if metadata is None:
            return ""
        for line in wheel.read(metadata).decode("utf-8", "replace").splitlines():
            if not line:
                break
            if line.lower().startswith("requires-python:"):
                return line.split(":", 1)[1].strip()
    return ""


class Handler(http.server.BaseHTTPRequestHandler):
    mirror: Mirror
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path.startswith("/files/"):
            dist = self.mirror.dist_file(path)
            return self._file(dist, body) if dist else self._not_found(body)
        canonical = self._canonical(path)
        if canonical is None:
            return self._not_found(body)
        if canonical != path:
            return self._redirect(canonical, body)
        content = self.mirror.index_page(path)
        if content is None:
            return self._not_found(body)
        self._respond(200, "text/html; charset=utf-8", len(content), INDEX_CACHE)
        if body:
            self.wfile.write(content)

    @staticmethod
    def _canonical(path: str) -> str | None:
        """Index paths with the trailing slash and a normalised project name, as PEP 503 asks."""
        parts = path.strip("/").split("/")
        if parts in (["simple"], ["whl", "cpu"]):
            return "/" + "/".join(parts) + "/"
        if len(parts) == 2 and parts[0] == "simple" or len(parts) == 3 and parts[:2] == ["whl", "cpu"]:
            return "/" + "/".join(parts[:-1] + [normalize(parts[-1])]) + "/"
        return None

    def _file(self, dist: Path, body: bool) -> None:
        with dist.open("rb") as f:
            self._respond(200, "application/octet-stream", os.fstat(f.fileno()).st_size, DIST_CACHE)
            if body:
                shutil.copyfileobj(f, self.wfile, 1 << 20)

    def _redirect(self, location: str, body: bool) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, body: bool) -> None:
        content = b"not found\n"
        self._respond(404, "text/plain; charset=utf-8", len(content), "no-store")
        if body:
            self.wfile.write(content)

    def _respond(self, status: int, content_type: str, length: int, cache: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", cache)
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--index", action="append", type=Path, default=[],
                        help="a PEP 503 simple/ folder; repeat to merge several (first one wins on duplicates)")
    parser.add_argument("--wheels", action="append", type=Path, default=[],
                        help="a flat folder of distributions served under /whl/cpu/")
    parser.add_argument("--state-dir", type=Path, default=Path("."),
                        help="where the sha256 cache of --wheels files is kept")
    args = parser.parse_args()
    Handler.mirror = Mirror(args.index, args.wheels, args.state_dir)
    server = http.server.ThreadingHTTPServer((args.bind, args.port), Handler)
    server.daemon_threads = True
    print(f"pip mirror on http://{args.bind}:{args.port}: {len(args.index)} index trees, "
          f"{sum(map(len, Handler.mirror.flat.values()))} flat files", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
