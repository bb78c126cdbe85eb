"""Front ends: the command line, the terminal chat and the Discord bot. No retrieval logic."""
