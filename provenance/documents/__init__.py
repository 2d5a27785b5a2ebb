"""Read input documents: JSON Lines, plain text / Markdown (with optional front matter) and HTML.

Everything a user can hand to ``provenance index`` comes through :func:`read_inputs`, which
yields a :class:`Document` for each readable document and a :class:`Rejection` for everything
that can't be indexed (a bad JSONL line, an undecodable file, a symlink loop...). Rejections are
values, not exceptions, so one bad input never stops the rest: the CLI indexes the documents,
names every rejection on stderr with file and line, and exits 1.

The steps, one module each: ``walk`` (which files the paths name), ``decode`` (bytes to text),
``jsonl``, ``frontmatter`` and ``webpage`` (the formats), ``build`` (a validated Document), and
``read``, which puts them together.

Policies (see the reliability design, "(b) Bad inputs"):

* Decoding: byte-order marks (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) win; otherwise strict UTF-8;
  otherwise a legacy encoding detected by charset-normalizer when it is confident (recorded as
  ``metadata["encoding"]``); otherwise the file is rejected. Never ``surrogateescape``: such text
  can't be stored in SQLite.
* NUL bytes in the first 8 KiB (of a file without a UTF-16/32 byte-order mark) mean a binary
  file, which is rejected. NUL characters inside text are removed (SQLite and many tools
  truncate at NUL).
* ``Document.text`` is the text as given, except that line endings become ``\\n``, a leading
  U+FEFF is dropped and NULs are removed. Claims keep character offsets into it, so nothing
  else is changed; matching uses :func:`provenance.textnorm.normalise`.
* A document's id is its given ``id``, else :func:`derive_id` of its text, so the same content
  indexed twice (or under two file names) gets the same id.
"""

from .build import Document, Rejection, derive_id, document_from_record, parse_published
from .read import STDIN_ORIGIN, read_inputs
from .walk import InputFile, Skipped, input_files

__all__ = [
    "STDIN_ORIGIN",
    "Document",
    "InputFile",
    "Rejection",
    "Skipped",
    "derive_id",
    "document_from_record",
    "input_files",
    "parse_published",
    "read_inputs",
]
