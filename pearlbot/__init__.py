"""Pearlbot: chat-style Q&A over news releases, with cited answers.

The layers install under this one name and depend one way:
`seeds` -> `corpus` (parse, passages, facts) -> `retrieval` (search, understanding, answering)
-> `bot` (terminal and Discord).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pearlbot")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
