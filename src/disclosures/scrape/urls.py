"""URL handling: resolving links as a browser would, and deciding which
hosts and addresses a crawl may touch."""

from __future__ import annotations

import functools
import ipaddress
import posixpath
import socket
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left alone when quoting: the URL syntax itself, and '%' so that a
# link which is already percent-encoded is not encoded twice.
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


def resolve(href: str, base: str, encoding: str = "utf-8") -> str | None:
    """The absolute, normalised URL a link points to, or None for links that
    are not fetchable documents (javascript:, mailto:, bare fragments).

    Chinese file names arrive raw ("附件/2024年部门决算.pdf"), percent-encoded
    in UTF-8, or mixed; quoting only what is unsafe maps the raw and encoded
    spellings to one URL, so the same file linked both ways is fetched once.
    As browsers do, the path is encoded in UTF-8 and the query in the page's
    own encoding (GBK sites put GBK bytes in query strings)."""
    href = href.strip().replace("\\", "/")
    if not href or href.startswith("#"):
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme and scheme not in ("http", "https", "file", "ftp"):
        return None  # javascript:, mailto:, tel:, data:
    return normalize(urljoin(base, href), encoding)


def normalize(url: str, encoding: str = "utf-8") -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        host = host.encode("idna").decode("ascii") if host else host
    except UnicodeError:
        pass
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _upper_escapes(quote(parts.path or "/", safe=_SAFE_PATH, encoding="utf-8"))
    query = _upper_escapes(quote(parts.query, safe=_SAFE_QUERY, encoding=_codec(encoding)))
    return urlunsplit((scheme, netloc, path, query, ""))


def _codec(encoding: str) -> str:
    try:
        "".encode(encoding)
        return encoding
    except LookupError:
        return "utf-8"


def _upper_escapes(text: str) -> str:
    # %e5 and %E5 are the same byte; one spelling keeps the seen-set honest.
    out, i = [], 0
    while i < len(text):
        if text[i] == "%" and _is_hex(text[i + 1 : i + 3]):
            out.append(text[i : i + 3].upper())
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _is_hex(pair: str) -> bool:
    return len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair)


def file_name(url: str) -> str:
    """The decoded last path segment: "2024年部门决算.pdf"."""
    return unquote(posixpath.basename(urlsplit(url).path))


def extension(url: str) -> str:
    return posixpath.splitext(file_name(url))[1].lower()


def host_key(url: str) -> str:
    """scheme://host:port, the unit for robots.txt and the rate limit."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)}"


def host_allowed(url: str, allowed: tuple[str, ...] | list[str]) -> bool:
    """Whether the URL's host is one the entry allows.

    An allowed entry is "host" (any port), "host:port" (that port only, which
    is how a test tells two servers on 127.0.0.1 apart) or "*.suffix"."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return False
    for entry in allowed:
        entry = entry.lower()
        entry_host, _, entry_port = entry.rpartition(":") if _has_port(entry) else (entry, "", "")
        if entry_port and str(port) != entry_port:
            continue
        if entry_host.startswith("*."):
            if host.endswith(entry_host[1:]) or host == entry_host[2:]:
                return True
        elif host == entry_host.strip("[]"):
            return True
    return False


def _has_port(entry: str) -> bool:
    head, sep, tail = entry.rpartition(":")
    return bool(sep) and tail.isdigit() and (not head.startswith("[") or head.endswith("]"))


@functools.lru_cache(maxsize=256)
def _resolve_host(host: str) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return ()
    return tuple(sorted({info[4][0] for info in infos}))


def non_public_address(host: str) -> str | None:
    """The first loopback/private/link-local/reserved address the host names
    or resolves to, or None when every address is public.

    The check is made before each request; the HTTP client resolves the name
    again, so a hostile DNS server could still rebind between the two. The
    portals crawled are government sites named in the registry, not user
    input, so pinning the address in a custom transport is not worth it."""
    host = host.strip("[]")
    try:
        addresses: tuple[str, ...] = (str(ipaddress.ip_address(host)),)
    except ValueError:
        addresses = _resolve_host(host)
    for text in addresses:
        ip = ipaddress.ip_address(text.split("%")[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        if mapped is not None:
            ip = mapped
        if not ip.is_global or ip.is_multicast:
            return text
    return None
