"""No import cycle anywhere in the package tree, deferred and type-only imports included."""

from __future__ import annotations

from tests.imports import import_graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that returns to its start, or None (depth-first search)."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    """The check itself can fail: a -> b -> c -> b is reported."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_deferred_imports():
    """Imports inside functions count: the sparse engine reaches the numba kernels in one."""
    graph = import_graph()
    assert "pearlbot.retrieval.search.engine_numba" in graph["pearlbot.retrieval.search.engine"]


def test_no_module_imports_itself_back():
    """The package's import graph has no cycle."""
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or ())
