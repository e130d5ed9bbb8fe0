"""Page numbers of the public lists, read from the query string."""

# Pages beyond this read as the last one kept apart in the figures' cache (each page number is
# its own entry). The whole-page cache keys by the path as typed; docs/deploy.md sizes the cache.
MAX_PAGE = 10_000


def page_number(value) -> int:
    """A page number from the query string: a whole number from 1 to MAX_PAGE, else 1."""
    try:
        return min(max(int(value), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1
