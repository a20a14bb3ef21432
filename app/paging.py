"""Showing a long list a page at a time, so a page's cost follows what is on screen.

A case of 1000 items would otherwise draw 10 000 sliders (or table cells) on every
rerun. :func:`page_of` draws nothing for a list that fits one page (the seed case looks
as it always did); for a longer one it draws a search box and a page chooser and
returns the indices to show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

#: About how many numbers (sliders, table cells) one page shows.
CELLS = 100
MIN_ROWS = 5


def page_size(columns: int) -> int:
    """Rows per page when each row shows ``columns`` numbers."""
    return max(MIN_ROWS, CELLS // max(columns, 1))


def page_of(texts: Sequence[str], key: str, size: int, noun: str = "item") -> list[int]:
    """Indices into ``texts`` to show: those matching the search box, one page of them.

    ``texts`` is what the search looks in (an item's id and claim, say), one per row.
    """
    n = len(texts)
    if n <= size:
        return list(range(n))
    find, which = st.columns([3, 2])
    query = find.text_input(
        f"Find {noun}s", key=f"{key}_find", placeholder="id or words", help="Case-insensitive"
    )
    words = query.lower().split()
    matches = (
        [i for i, text in enumerate(texts) if all(w in text.lower() for w in words)]
        if words
        else list(range(n))
    )
    pages = max(1, math.ceil(len(matches) / size))
    page_key = f"{key}_page"
    if st.session_state.get(page_key, 0) >= pages:
        st.session_state[page_key] = 0
    page = which.selectbox(
        f"Page (of {pages})",
        range(pages),
        format_func=lambda p: f"{p * size + 1}–{min((p + 1) * size, len(matches))}",
        key=page_key,
    )
    st.caption(f"{len(matches)} of {n} {noun}s match" if words else f"{n} {noun}s")
    return matches[(page or 0) * size : ((page or 0) + 1) * size]
