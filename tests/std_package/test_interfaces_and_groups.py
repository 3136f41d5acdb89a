"""Controller's status types, SystemGroup and MultiSourceTimestamp: GXF's values and behaviour."""

import pytest

from gxf.core import Context, System, load_graph_text
from gxf.std import (BehaviorStatus, Controller, ControllerStatus, ExecutionStatus, IPCClient, IPCServer,
                     MultiSourceTimestamp, NetworkContext, SystemGroup, TimeDomainID, get_timestamp)
from gxf.std.multi_source_timestamp import MAX_TIME_DOMAINS
from gxf.std.timestamp import Timestamp


def test_controller_status_values_are_gxfs():
    assert [(s.name, int(s)) for s in ExecutionStatus] == [
        ("SUCCESS", 0), ("FAILURE_REPEAT", 1), ("FAILURE_DEACTIVATE", 2), ("FAILURE", 3)]
    assert [(s.name, int(s)) for s in BehaviorStatus] == [
        ("INIT", 0), ("SUCCESS", 1), ("RUNNING", 2), ("FAILURE", 3), ("UNKNOWN", 4)]
    default = ControllerStatus()
    assert default.behavior_status is BehaviorStatus.SUCCESS
    assert default.exec_status is ExecutionStatus.SUCCESS


def test_a_controller_subclass_decides_and_the_base_refuses():
    class RepeatOnce(Controller, type_name="test::RepeatOnce", uuid="0d6c8a52-3e3b-4d1e-9a0f-5b2d7c9e1f01"):
        def control(self, entity, error):
            if error is None:
                return ControllerStatus()
            return ControllerStatus(BehaviorStatus.RUNNING, ExecutionStatus.FAILURE_REPEAT)

    assert RepeatOnce().control(None, RuntimeError("x")).exec_status is ExecutionStatus.FAILURE_REPEAT
    with pytest.raises(NotImplementedError, match="must implement control"):
        Controller.control(RepeatOnce(), None, None)


def test_interfaces_are_abstract_component_types():
    for cls in (IPCServer, IPCClient, NetworkContext, Controller):
        assert cls._gxf_abstract


def test_an_extension_derives_an_ipc_client_from_the_registered_base():
    class EchoClient(IPCClient, type_name="test::EchoClient", uuid="5d0f3b6e-1c7a-4e8b-9f2d-3a4b5c6d7e80"):
        def query(self, service, resource):
            return f"{service}:{resource}"

    client = EchoClient("client")
    assert client.query("stats", "graph") == "stats:graph"
    assert not EchoClient._gxf_abstract and EchoClient.type_name() == "test::EchoClient"
    with pytest.raises(NotImplementedError, match="does not implement ping"):
        client.ping()


class Recording(System, type_name="test::RecordingSystem", uuid="0d6c8a52-3e3b-4d1e-9a0f-5b2d7c9e1f02"):
    def __init__(self, events, fail=False):
        System.__init__(self, "member")
        self.events, self.fail = events, fail

    def run_async(self):
        self.events.append("run")

    def wait(self):
        self.events.append("wait")
        if self.fail:
            raise RuntimeError("member failed")

    def interrupt(self):
        self.events.append("interrupt")


def test_system_group_passes_run_wait_interrupt_to_its_systems():
    events = []
    group = SystemGroup("group")
    group.initialize()
    group.add_system(Recording(events))
    group.add_system(Recording(events, fail=True))
    group.run_async()
    group.interrupt()
    with pytest.raises(RuntimeError, match="member failed"):
        group.wait()
    assert events == ["run", "run", "interrupt", "interrupt", "wait", "wait"]
    with pytest.raises(ValueError, match="cannot hold itself"):
        group.add_system(group)


def test_an_empty_system_group_in_a_graph_does_nothing_and_the_graph_runs():
    context = Context()
    load_graph_text(context, """
name: e
components:
- type: nvidia::gxf::SystemGroup
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters: {clock: clock, max_duration_ms: 1000}
""")
    try:
        context.run()
        (group,) = context.components(SystemGroup)
        assert group.systems == []
        assert context.find_component("e/clock").timestamp() >= 0
    finally:
        context.deactivate()


def test_a_graph_with_only_a_system_group_still_gets_the_default_scheduler():
    context = Context()
    load_graph_text(context, "name: e\ncomponents:\n- type: nvidia::gxf::SystemGroup\n")
    context.finalize()
    assert context.find_entity("__default_scheduler") is not None


def test_multi_source_timestamp_holds_one_timestamp_per_domain():
    stamps = MultiSourceTimestamp()
    assert get_timestamp(stamps, TimeDomainID.PTP) is None
    ptp, tsc = Timestamp(acqtime=5, pubtime=6), Timestamp(acqtime=1, pubtime=2)
    stamps.push_back(ptp, TimeDomainID.PTP)
    stamps.push_back(tsc, 0)
    assert stamps.get_timestamp(TimeDomainID.TSC) is tsc and get_timestamp(stamps, 2) is ptp
    assert stamps.get_timestamp(TimeDomainID.NTP) is None and len(stamps) == 2
    with pytest.raises(ValueError, match="PTP timestamp is already held"):
        stamps.push_back(Timestamp(), TimeDomainID.PTP)
    stamps.push_back(Timestamp(), TimeDomainID.NTP)
    assert len(stamps) == MAX_TIME_DOMAINS == 3
    with pytest.raises(ValueError):
        stamps.push_back(Timestamp(), 7)
