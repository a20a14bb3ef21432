"""The input limits of a case file: size, hypotheses, items, values and nesting.

The byte limit is checked before the YAML parser sees the text (a file on disk by its
size, before it is read), so a huge file or upload costs no parsing time or memory.
The counts are checked as the parser's events arrive: reading stops at the first
entry past a list's limit, so a case of 100,000 items is refused after reading 5,001
of them. Every message names the limit that was hit and says what to do.

The same limits hold for a case file read from disk, uploaded in the dashboard, or
built by an import (:func:`analysis.interchange.common.to_case` reads the imported
documents through the same parser). The dashboard's uploader takes at most
:data:`MAX_UPLOAD_MB` megabytes a file (``server.maxUploadSize``, set by ``ach app``).
"""

from __future__ import annotations

import math

MEBIBYTE = 1024 * 1024
#: The largest case file (one of the two) read, in bytes. A synthetic case of 5,000
#: items x 10 hypotheses is 1.9 MB: the limit leaves it twice the room for longer text.
MAX_BYTES = 4 * MEBIBYTE
#: Streamlit's upload limit, in its megabytes (``server.maxUploadSize``).
MAX_UPLOAD_MB = MAX_BYTES // MEBIBYTE
#: The most hypotheses in a case, and entries in each other list of a case file.
MAX_HYPOTHESES = 100
MAX_ITEMS = 5_000
#: The most entries of each top-level list, by its key.
MAX_ENTRIES = {
    "hypotheses": MAX_HYPOTHESES,
    "sources": MAX_ITEMS,
    "evidence": MAX_ITEMS,
    "indicators": MAX_ITEMS,
    "events": MAX_ITEMS,
    "assumptions": MAX_ITEMS,
}
#: Most values a document may expand to (aliases counted at each use) and deepest nesting.
#: A likelihood with its key takes about 9 bytes or more (``h1: 0.5, ``), so a case file
#: within MAX_BYTES holds fewer than a million values: every case the other limits admit
#: fits (at 200,000, one of 1,000 items x 100 hypotheses, 2.9 MB, was refused for its
#: keys and likelihoods, though it kept every list's limit). A pathological 4 MiB list
#: of two million single digits costs the same at either limit (3.0 s and 3.5 s, 335 MB
#: at the peak): the parser's cost, which the byte limit bounds.
MAX_NODES = 1_000_000
MAX_DEPTH = 64


def shown_mebibytes(size: int) -> str:
    """``size`` bytes in MiB to one decimal, rounded up: a file past the limit never
    reads as the limit itself (4 MiB and 13 bytes: 4.1)."""
    return f"{math.ceil(size * 10 / MEBIBYTE) / 10:.1f}"


def size_problem(size: int) -> str | None:
    """Why a file of ``size`` bytes is refused (a phrase to follow its name), or None."""
    if size <= MAX_BYTES:
        return None
    return (
        f"is {shown_mebibytes(size)} MiB; the limit for a case file is {MAX_BYTES // MEBIBYTE} "
        "MiB: split the case or remove what does not belong in it"
    )


def entries_problem(key: str) -> str:
    """Why a top-level list ``key`` holding more than its limit is refused."""
    what = "evidence items" if key == "evidence" else key
    return (
        f"{key} lists more than {MAX_ENTRIES[key]:,} entries; a case may hold at most "
        f"{MAX_ENTRIES[key]:,} {what}: split the case or remove some"
    )
