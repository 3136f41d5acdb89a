"""Graph files written to hurt (alias bombs, huge or endless files, loops) are refused quickly and clearly."""

import time
import tracemalloc

import pytest

from gxf.core.errors import GraphFileError
from gxf.core.yaml_source import MAX_EXPANDED_NODES, load_documents, load_file


def laughs(levels: int, width: int = 10) -> str:
    """A "billion laughs" text: each anchor is a list of ``width`` aliases of the one before."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def bounded(call, seconds: float = 1.0, megabytes: float = 50.0):
    """Runs ``call`` and checks it took under ``seconds`` and allocated under ``megabytes`` at its peak."""
    tracemalloc.start()
    start = time.monotonic()
    try:
        result = call()
    finally:
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"{getattr(call, '__name__', call)}: {elapsed:.4f} s, peak {peak:.1f} MB")
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < megabytes, f"peak allocation {peak:.1f} MB"
    return result


# --- 1. alias expansion is bounded -----------------------------------------------------------------
def test_billion_laughs_is_refused_quickly(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs(9))  # 10**10 values once expanded, from about 1 KB
    assert path.stat().st_size < 3000
    with pytest.raises(GraphFileError) as info:
        bounded(lambda: load_file(path))
    assert "too many YAML aliases/nodes (a recursive or exponential alias structure?)" in str(info.value)
    assert info.value.location.file == str(path)
    assert info.value.location.line >= 2


def test_alias_bomb_inside_a_graph_is_refused_before_any_parameter_is_read(load):
    text = "name: e\ncomponents:\n- type: test::Everything\n  parameters:\n    numbers:\n"
    text += "".join(f"      {line}\n" for line in laughs(8).splitlines())
    with pytest.raises(GraphFileError, match="too many YAML aliases/nodes") as info:
        bounded(lambda: load(text))
    assert info.value.location.file.endswith("graph.yaml")


def test_recursive_alias_is_refused():
    with pytest.raises(GraphFileError, match="refers to a node that contains it") as info:
        bounded(lambda: load_documents("a: &a [1, 2, *a]\n", "loop.yaml"))
    assert str(info.value.location) == "loop.yaml:1"


def test_the_bound_counts_expanded_nodes_not_text():
    # 10**5 leaves and their lists stay under the bound; 10**6 leaves do not.
    assert MAX_EXPANDED_NODES == 1_000_000
    (doc,) = load_documents(laughs(4), "ok.yaml")
    assert len(doc["a4"]) == 10 and doc["a4"][0][0][0][0] == ["lol"] * 10
    with pytest.raises(GraphFileError, match="too many YAML"):
        load_documents(laughs(5), "big.yaml")


def test_anchors_and_merge_keys_of_ordinary_graphs_still_work(load, context):
    load("""
        name: e
        components:
        - name: a
          type: test::Everything
          parameters:
            numbers: &nums [1, 2, 3]
            table: &table {x: 1.0, y: 2.0}
        - name: b
          type: test::Everything
          parameters:
            numbers: *nums
            table:
              <<: *table
              y: 5.0
        """)
    a, b = context.find_entity("e").components
    assert a.get_param("numbers") == b.get_param("numbers") == [1, 2, 3]
    assert b.get_param("table") == {"x": 1.0, "y": 5.0}


# --- 3. duplicate keys -----------------------------------------------------------------------------
def test_duplicate_parameter_is_an_error_naming_both_lines(load):
    with pytest.raises(GraphFileError) as info:
        load("""
            name: e
            components:
            - type: test::Everything
              parameters:
                count: 1
                label: x
                count: 2
            """)
    assert "key 'count' is given twice in one mapping (lines 5 and 7)" in str(info.value)
    assert info.value.location.line == 7


def test_duplicate_entity_key_is_an_error():
    with pytest.raises(GraphFileError, match=r"key 'name' is given twice in one mapping \(lines 1 and 3\)"):
        load_documents("name: a\ncomponents: []\nname: b\n", "g.yaml")


def test_a_mapping_may_override_merged_keys_but_not_repeat_its_own():
    (doc,) = load_documents("b: &b {x: 1}\nd: {<<: *b, x: 2}\n", "g.yaml")
    assert doc["d"] == {"x": 2}
    with pytest.raises(GraphFileError, match="given twice"):
        load_documents("b: &b {x: 1}\nd: {<<: *b, y: 2, y: 3}\n", "g.yaml")
