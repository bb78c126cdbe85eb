"""Answers from extracted facts, one module per fact kind and one dispatch."""
