"""Search: find a worker from what an officer has (a misspelt name, a NIK, a passport).

``index_records`` keeps the index current as records are linked; ``SearchIndex.search`` ranks
workers for a checked ``SearchQuery`` (``parse_query``). docs/search.md tells the design.
"""

from hub.search.engine import KEY_KINDS, Hit, SearchIndex
from hub.search.index import IndexEntry, index_entries, index_records
from hub.search.query import SearchInputError, SearchQuery, check_first, parse_query

__all__ = [
    "KEY_KINDS",
    "Hit",
    "IndexEntry",
    "SearchIndex",
    "SearchInputError",
    "SearchQuery",
    "check_first",
    "index_entries",
    "index_records",
    "parse_query",
]
