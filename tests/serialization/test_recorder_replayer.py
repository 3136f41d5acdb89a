"""EntityRecorder and EntityReplayer in graphs: record a stream, replay it into another graph; playback
options; and the bad input and faults: corrupt and truncated files, unknown types, missing directories,
a full disk, a read-only directory."""

from __future__ import annotations

import logging
import os
import struct

import pytest

from gxf.core import GxfError
from gxf.serialization import TypeSerializer, read_exact
from gxf.serialization.file_format import ENTITY_INDEX, tid_bytes
from gxf.serialization.recording import Recording, check
from gxf.std.primitives import Int32
from gxf.std.timestamp import Timestamp
from gxf_serialization_support import replay_graph, source_graph  # noqa: E402 - loaded by conftest.py


def record(run_graph, directory, count=5, **options):
    """Runs ValueSource -> EntityRecorder and deactivates the graph (which closes the files)."""
    context = run_graph(source_graph(directory, count, **options))
    recorder = context.find_component("recorder/recorder")
    context.deactivate()
    return recorder


def index_records(path):
    data = path.read_bytes()
    return [ENTITY_INDEX.unpack_from(data, i) for i in range(0, len(data), 24)]


def test_a_recorded_stream_replays_into_a_second_graph(run_graph, test_extension, tmp_path):
    recorder = record(run_graph, tmp_path, 5)
    assert recorder.recorded == 5
    records = index_records(tmp_path / "values.gxf_index")
    sizes = [size for _, size, _ in records]
    assert [offset for _, _, offset in records] == [sum(sizes[:i]) for i in range(5)]
    assert sum(sizes) == (tmp_path / "values.gxf_entities").stat().st_size
    assert check(str(tmp_path / "values")).ok

    context = run_graph(replay_graph(tmp_path))
    got = test_extension.COLLECTED
    assert [m.get(Int32, "value").value for m in got] == [0, 1, 2, 3, 4]
    assert [m.get(Timestamp, "timestamp").acqtime for m in got] == [0, 1000, 2000, 3000, 4000]
    assert not context.find_component("replay/boolean").check_tick_enabled()
    assert context.find_component("replay/replayer").replayed == 5


def test_batch_size_publishes_several_messages_per_tick(run_graph, test_extension, tmp_path):
    record(run_graph, tmp_path, 6)
    context = run_graph(replay_graph(tmp_path, batch_size=3, capacity=3))
    assert [m.get(Int32).value for m in test_extension.COLLECTED] == list(range(6))
    assert context.find_component("replay/replayer").get_execution_count() <= 3


def test_default_basenames_are_the_receiver_and_replayer_names(run_graph, test_extension, tmp_path):
    record(run_graph, tmp_path, 2, basename="")
    assert (tmp_path / "input.gxf_index").is_file() and (tmp_path / "input.gxf_entities").is_file()
    run_graph(replay_graph(tmp_path, basename="", replayer_name="input"))
    assert len(test_extension.COLLECTED) == 2


def test_without_flush_on_tick_everything_is_written_at_the_end(run_graph, test_extension, tmp_path):
    record(run_graph, tmp_path, 4, flush=False)
    assert len(index_records(tmp_path / "values.gxf_index")) == 4
    assert len(list(Recording(tmp_path / "values").entities())) == 4


def corrupt_entity(directory, number, byte=30):
    """Overwrites the component count of entity ``number`` with garbage."""
    records = index_records(directory / "values.gxf_index")
    path = directory / "values.gxf_entities"
    data = bytearray(path.read_bytes())
    offset = records[number][2]
    data[offset + 24:offset + 32] = struct.pack("<Q", 0xFFFF_FFFF_FFFF)
    path.write_bytes(bytes(data))
    return offset


def test_a_corrupt_entity_is_skipped_when_ignored(run_graph, test_extension, tmp_path, caplog):
    record(run_graph, tmp_path, 5)
    corrupt_entity(tmp_path, 2)
    with caplog.at_level(logging.WARNING, logger="gxf"):
        context = run_graph(replay_graph(tmp_path, ignore=True))
    assert [m.get(Int32).value for m in test_extension.COLLECTED] == [0, 1, 3, 4]
    assert context.find_component("replay/replayer").skipped == 1
    assert "entity 2" in caplog.text and "components" in caplog.text


def test_a_corrupt_entity_fails_the_run_with_its_number_and_offset(run_graph, test_extension, tmp_path):
    record(run_graph, tmp_path, 5)
    offset = corrupt_entity(tmp_path, 3)
    with pytest.raises(GxfError, match=rf"entity 3, byte offset {offset}: the entity header claims"):
        run_graph(replay_graph(tmp_path, ignore=False))
    assert [m.get(Int32).value for m in test_extension.COLLECTED] == [0, 1, 2]
    result = check(str(tmp_path / "values"))
    assert (result.ok, result.entity, result.offset) == (False, 3, offset)


def test_a_truncated_file_names_the_entity_and_offset(run_graph, test_extension, tmp_path):
    record(run_graph, tmp_path, 3)
    path = tmp_path / "values.gxf_entities"
    size = path.stat().st_size
    start = index_records(tmp_path / "values.gxf_index")[2][2]
    os.truncate(path, size - 3)
    with pytest.raises(GxfError, match=rf"entity 2, byte offset {start}: truncated: the data ends inside "
                                       r"the name and int32_t value of component 1: 9 bytes needed, 6 left"):
        run_graph(replay_graph(tmp_path, ignore=False))
    assert len(test_extension.COLLECTED) == 2


def test_an_unknown_type_id_names_the_uuid(run_graph, test_extension, tmp_path):
    record(run_graph, tmp_path, 1)
    path = tmp_path / "values.gxf_entities"
    data = path.read_bytes()
    int32 = tid_bytes(Int32._gxf_uuid)
    path.write_bytes(data.replace(int32, tid_bytes("12345678-9abc-def0-1234-56789abcdef0")))
    with pytest.raises(GxfError, match="entity 0, byte offset 0: component 1 has the unknown type id "
                                       "12345678-9abc-def0-1234-56789abcdef0: no installed extension"):
        run_graph(replay_graph(tmp_path, ignore=False))


def test_a_missing_directory_is_a_clear_error(run_graph, test_extension, tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(GxfError, match=r"cannot create '.*nowhere/values.gxf_index': No such file") as info:
        record(run_graph, missing, 1)
    assert "create the directory first" in str(info.value)
    with pytest.raises(GxfError, match=r"cannot open '.*nowhere/values.gxf_index': No such file"):
        run_graph(replay_graph(missing))


def test_a_read_only_directory_is_a_clear_error(run_graph, test_extension, readonly_dir):
    with pytest.raises(GxfError, match=r"cannot create '.*values.gxf_index': Permission denied"):
        record(run_graph, readonly_dir, 1)


def test_a_full_disk_is_an_error_and_the_index_never_points_past_the_data(run_graph, test_extension,
                                                                          tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    # the entities go to /dev/full (every write: no space left); the index to a real file
    (tmp_path / "values.gxf_entities").symlink_to("/dev/full")
    with pytest.raises(GxfError, match=r"cannot write to '.*values.gxf_entities': No space left on device"):
        record(run_graph, tmp_path, 3)
    assert (tmp_path / "values.gxf_index").read_bytes() == b""


def test_a_type_nobody_serializes_names_the_type_and_its_extension(run_graph, test_extension, tmp_path):
    with pytest.raises(GxfError, match=r"component 'extra' of the message has type test::serialization::Opaque "
                                       r"\(6b1e1f00-.*\), of extension SerializationTestExtension \(distribution "
                                       r"gxf-serialization-tests\), and no serializer can write it"):
        record(run_graph, tmp_path, 2, extra="test::serialization::Opaque")
    # nothing of the failed message is in the files
    assert (tmp_path / "values.gxf_entities").read_bytes() == b""


class SerializerPlugin:
    """A third-party extension's serializer for its own component type, given through the hook."""

    def __init__(self, opaque):
        def write(component, endpoint) -> int:
            endpoint.write(struct.pack("<I", len(component.payload)) + component.payload)
            return 4 + len(component.payload)

        def read(component, endpoint) -> None:
            size, = struct.unpack("<I", read_exact(endpoint, 4, "an Opaque"))
            component.payload = read_exact(endpoint, size, "an Opaque's payload")

        self.serializer = TypeSerializer(opaque, write, read)

    from gxf.core import hookimpl

    @hookimpl
    def gxf_component_serializers(self):
        return [self.serializer]


def test_extensions_register_serializers_for_their_own_types(run_graph, test_extension, tmp_path):
    from gxf.core import plugins

    plugins.register(SerializerPlugin(test_extension.Opaque), name="opaque-serializer")
    try:
        record(run_graph, tmp_path, 2, extra="test::serialization::Opaque")
        run_graph(replay_graph(tmp_path))
    finally:
        plugins.unregister("opaque-serializer")
    got = test_extension.COLLECTED
    assert [m.get(test_extension.Opaque).payload for m in got] == [b"", b""]
    assert [m.get(Int32).value for m in got] == [0, 1]


class LeaveOutPlugin:
    def __init__(self, opaque):
        self.opaque = opaque

    from gxf.core import hookimpl

    @hookimpl
    def gxf_component_serializers(self):
        return TypeSerializer.left_out(self.opaque)


def test_a_type_declared_left_out_is_not_recorded(run_graph, test_extension, tmp_path):
    from gxf.core import plugins

    plugins.register(LeaveOutPlugin(test_extension.Opaque), name="opaque-left-out")
    try:
        record(run_graph, tmp_path, 1, extra="test::serialization::Opaque")
    finally:
        plugins.unregister("opaque-left-out")
    entity, = Recording(tmp_path / "values").entities()
    assert [c.type_name() for c in entity.message.components] == ["nvidia::gxf::Timestamp", "int32_t"]
