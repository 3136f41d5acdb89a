"""Graph files written to hurt (alias bombs, huge or endless files, loops) are refused quickly and clearly."""

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from gxf.core import load_graph_file, yaml_source
from gxf.core.errors import GraphFileError, Location, ParameterError, shown, yaml_kind
from gxf.core.loader import ParamOverride
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
        result, error = call(), None
    except Exception as exc:  # checked below, after the bounds
        result, error = None, exc
    finally:
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    print(f"bounded: {elapsed:.4f} s, peak {peak:.2f} MB")
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < megabytes, f"peak allocation {peak:.1f} MB"
    if error is not None:
        raise error
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


# --- 2. file size and kind -------------------------------------------------------------------------
def test_a_file_over_the_size_bound_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as stream:  # sparse: takes no disk space
        stream.truncate(yaml_source.MAX_GRAPH_FILE_BYTES + 1)
    assert yaml_source.MAX_GRAPH_FILE_BYTES == 64 * 1024 * 1024
    with pytest.raises(GraphFileError, match="graph file is too big") as info:
        bounded(lambda: load_file(path), megabytes=1)
    assert info.value.location.file == str(path)


def test_the_read_itself_is_bounded(monkeypatch):
    # Files under /proc say they are empty yet have content: only the bounded read can catch them.
    status = Path("/proc/self/status")
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("needs a file whose size stat() does not tell (Linux /proc)")
    monkeypatch.setattr(yaml_source, "MAX_GRAPH_FILE_BYTES", 10)
    with pytest.raises(GraphFileError, match="graph file is too big: the most read is 10 bytes"):
        load_file(status)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused():
    with pytest.raises(GraphFileError, match="this is a device, not a regular file") as info:
        bounded(lambda: load_file("/dev/zero"), megabytes=1)
    assert str(info.value).startswith("/dev/zero: ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "graph.yaml"
    os.mkfifo(pipe)
    with pytest.raises(GraphFileError, match=r"this is a named pipe \(FIFO\), not a regular file"):
        bounded(lambda: load_file(pipe))


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(GraphFileError, match="not a graph file: this is a folder"):
        load_file(tmp_path)


def test_a_binary_file_says_so_without_its_content(tmp_path):
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100)
    with pytest.raises(GraphFileError) as info:
        load_file(path)
    assert "not a graph file: byte 0 is not UTF-8 text (a binary file?)" in str(info.value)
    assert "PNG" not in str(info.value) and len(str(info.value)) < 300


# --- 4. subgraph loops and files that are not graphs -----------------------------------------------
def subgraph(entity: str, location: str) -> str:
    return f"""
        name: {entity}
        components:
        - name: graph
          type: nvidia::gxf::Subgraph
          parameters:
            location: {location}
        """


def test_a_subgraph_that_includes_itself_names_the_file_and_line(context, write):
    path = write("self.yaml", subgraph("again", "self.yaml"))
    with pytest.raises(GraphFileError) as info:
        bounded(lambda: load_graph_file(context, path))
    text = str(info.value)
    assert "subgraph 'self.yaml' includes itself" in text
    assert f"{path} -> ({path}:3) {path}" in text
    assert info.value.location == Location(str(path), 3)


def test_a_loop_through_another_file_names_the_chain(context, write):
    top = write("top.yaml", subgraph("top", "a.yaml"))
    a = write("a.yaml", subgraph("inner_a", "b.yaml"))
    b = write("b.yaml", subgraph("inner_b", "a.yaml"))
    with pytest.raises(GraphFileError) as info:
        bounded(lambda: load_graph_file(context, top))
    text = str(info.value)
    assert f"subgraph 'a.yaml' includes itself: {a} -> ({a}:3) {b} -> ({b}:3) {a}" in text
    assert info.value.location == Location(str(b), 3)
    assert "RecursionError" not in text


def test_the_same_subgraph_twice_side_by_side_is_no_loop(context, write):
    write("leaf.yaml", "name: box\ncomponents:\n- name: store\n  type: test::Store\n")
    path = write("two.yaml", subgraph("one", "leaf.yaml") + "---" + subgraph("two", "leaf.yaml"))
    load_graph_file(context, path)
    assert context.find_entity("one.box") is not None and context.find_entity("two.box") is not None


@pytest.mark.parametrize(("text", "kind"), [("[1, 2, 3]\n", "list"), ("42\n", "number"),
                                            ("just words\n", "string")])
def test_a_subgraph_file_that_is_not_a_graph_says_so(context, write, text, kind):
    write("numbers.yaml", f"[{', '.join(map(str, range(1, 5000)))}]\n" if kind == "list" else text)
    path = write("main.yaml", subgraph("main", "numbers.yaml"))
    with pytest.raises(GraphFileError) as info:
        load_graph_file(context, path)
    message = str(info.value)
    assert f"not a graph file: document 1 is a {kind}, not a mapping" in message
    assert "numbers.yaml" in message
    assert "Located" not in message and "2, 3" not in message and "words" not in message


def test_a_binary_parameter_file_says_so(context, write, tmp_path):
    graph = write("graph.yaml", "name: e\ncomponents:\n- name: s\n  type: test::Store\n")
    params = tmp_path / "params.yaml"
    params.write_bytes(b"\x00\xff\xfe payload \x80" * 1000)
    load_graph_file(context, graph)
    with pytest.raises(GraphFileError, match=r"not a graph file: byte \d+ is not UTF-8 text") as info:
        load_graph_file(context, params)
    assert "payload" not in str(info.value) and len(str(info.value)) < 400


# --- 5. messages stay short and speak YAML ---------------------------------------------------------
def test_a_huge_wrong_value_is_cut_in_the_message(load):
    with pytest.raises(ParameterError) as info:
        bounded(lambda: load(f"name: e\ncomponents:\n- type: test::Everything\n  parameters:\n"
                             f"    count: {'x' * 1_000_000}\n"), seconds=2, megabytes=200)
    message = str(info.value)
    assert "…(1000000 characters)" in message
    assert len(message) < 1000
    assert "(string)" in message and "(str)" not in message


@pytest.mark.parametrize(("value", "kind"), [("{a: 1}", "mapping"), ("[1, 2]", "list"), ("true", "boolean")])
def test_type_errors_name_yaml_kinds_not_python_classes(load, value, kind):
    with pytest.raises(ParameterError) as info:
        load(f"name: e\ncomponents:\n- type: test::Everything\n  parameters:\n    label: {value}\n")
    message = str(info.value)
    assert f"({kind})" in message
    assert "Located" not in message and "dict" not in message


def test_a_huge_list_in_the_wrong_place_is_cut(load):
    numbers = ", ".join(str(n) for n in range(5_000))
    with pytest.raises(ParameterError) as info:
        bounded(lambda: load(f"name: e\ncomponents:\n- type: test::Everything\n  parameters:\n"
                             f"    table: [{numbers}]\n"), seconds=3, megabytes=100)
    message = str(info.value)
    assert len(message) < 1000, message[:2000]
    assert "Located" not in message


def test_shown_is_bounded_for_any_value():
    assert shown("abc") == "'abc'"
    assert shown("y" * 500).endswith("…(500 characters)") and len(shown("y" * 500)) < 230
    deep = current = []
    for _ in range(10_000):
        current.append([])
        current = current[0]
    assert len(bounded(lambda: shown([list(range(10_000))] * 1000 + [deep]))) < 260
    located = load_documents("a: [1, 2]\n", "g.yaml")[0]
    assert shown(located) == "{'a': [1, 2]}"
    assert [yaml_kind(v) for v in (located, located["a"], "s", 1, 2.5, None, True)] == [
        "mapping", "list", "string", "number", "number", "null", "boolean"]


def test_no_error_message_grows_past_its_bound():
    error = GraphFileError("x" * 10_000_000)
    assert len(str(error)) < 2100 and str(error).endswith("…(10000000 characters)")


@pytest.mark.parametrize("value", ["[1, 2", "{a: b", "a: b: c", "'open"])
def test_a_malformed_param_override_is_one_line_naming_the_argument(value):
    with pytest.raises(GraphFileError) as info:
        ParamOverride.parse(f"work/rec/count={value}")
    message = str(info.value)
    assert message.startswith(f"--param work/rec/count=...: the value {value!r} is not valid YAML (")
    assert "\n" not in message
    assert "<document start>" not in message or "Traceback" not in message


def test_an_override_value_is_bounded_like_a_file():
    with pytest.raises(GraphFileError, match="too many YAML aliases/nodes"):
        bounded(lambda: ParamOverride.parse("e/c/k=" + laughs(9).replace("\n", ", ").join("{}")))
    assert ParamOverride.parse("e/c/k=[1, 2]").value == [1, 2]
    assert ParamOverride.parse("e/c/k=").value == ""


def test_gxf_run_with_a_malformed_param_prints_one_line(registry, tmp_path):
    from click.testing import CliRunner

    from gxf.core.cli import main

    path = tmp_path / "g.yaml"
    path.write_text("name: e\ncomponents: []\n")
    result = CliRunner().invoke(main, ["run", str(path), "--param", "e/c/count=[1, 2"])
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if not line.startswith("warning: extension plugin")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: --param e/c/count=...: the value '[1, 2' is not valid YAML")
