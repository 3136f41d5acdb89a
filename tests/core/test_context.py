"""The context: entities and components, and the lifecycle load -> initialize -> run -> deinitialize."""

import logging
import types

import pluggy
import pytest

from gxf.core import hookimpl, hookspecs, load_graph_file, plugins
from gxf.core import Component, Context, Entity, ExecutionError, GxfError, HandleError, MessageEntity
from gxf.core.context import ACTIVE, DEACTIVATED, FINALIZED

GRAPH = """
    name: a
    components:
    - name: r1
      type: test::Recorder
    - name: r2
      type: test::Recorder
    ---
    name: b
    components:
    - name: r3
      type: test::Recorder
    ---
    name: sched
    components:
    - name: s
      type: test::TestScheduler
    """


def lifecycle(events):
    return [(what, where) for what, where in events if what in ("initialize", "deinitialize")]


def test_initialize_in_graph_order_and_deinitialize_in_reverse(load, context, ext):
    load(GRAPH)
    context.run()
    assert ext.EVENTS[:5] == [("initialize", "a/r1"), ("initialize", "a/r2"), ("initialize", "b/r3"),
                              ("run", "sched/s"), ("wait", "sched/s")]
    assert context.state == ACTIVE
    context.deactivate()
    assert lifecycle(ext.EVENTS)[3:] == [("deinitialize", "b/r3"), ("deinitialize", "a/r2"),
                                        ("deinitialize", "a/r1")]
    assert context.state == DEACTIVATED


def test_failure_in_initialize_deinitializes_those_already_initialized(load, context, ext):
    load(GRAPH.replace("name: r3\n      type: test::Recorder",
                       "name: r3\n      type: test::Recorder\n      parameters: {fail_on_initialize: true}"))
    with pytest.raises(ExecutionError) as info:
        context.run()
    assert "component 'b/r3' (test::Recorder) failed in initialize(): RuntimeError: refusing to initialize" \
        in str(info.value)
    assert info.value.location.line == 10
    assert lifecycle(ext.EVENTS) == [("initialize", "a/r1"), ("initialize", "a/r2"),
                                     ("deinitialize", "a/r2"), ("deinitialize", "a/r1")]
    assert context.state == DEACTIVATED
    assert ("run", "sched/s") not in ext.EVENTS


@pytest.fixture
def no_other_plugins(monkeypatch):
    """Hides installed plugins' graph hooks (gxf-std, if installed, adds a default scheduler)."""
    manager = pluggy.PluginManager("gxf")
    manager.add_hookspecs(hookspecs)
    monkeypatch.setattr(plugins, "pm", manager)
    return manager


def test_a_graph_without_scheduler_is_refused_and_cleaned_up(load, context, ext, no_other_plugins):
    load(GRAPH.split("---\n    name: sched")[0])
    with pytest.raises(GxfError, match="the graph has no scheduler"):
        context.activate()
    assert lifecycle(ext.EVENTS)[-1] == ("deinitialize", "a/r1")


def test_a_failing_run_still_deinitializes(load, context, ext):
    load(GRAPH.rstrip(" ") + "      parameters: {on_wait: fail}\n")
    with pytest.raises(ValueError, match="the scheduler broke"):
        context.run()
    context.deactivate()
    assert lifecycle(ext.EVENTS)[-3:] == [("deinitialize", "b/r3"), ("deinitialize", "a/r2"),
                                         ("deinitialize", "a/r1")]


def test_plugins_may_complete_a_loaded_graph(load, context, no_other_plugins):
    plugin = types.ModuleType("completer")

    @hookimpl
    def gxf_graph_loaded(context):
        if context.find_entity("sched") is None:
            context.create_entity("sched").add("test::TestScheduler", "s")

    plugin.gxf_graph_loaded = gxf_graph_loaded
    no_other_plugins.register(plugin)
    load(GRAPH.split("---\n    name: sched")[0])
    context.run()
    assert isinstance(context.find_component("sched/s"), Component)


def test_finalize_checks_without_initializing(load, context, ext):
    load(GRAPH)
    context.finalize()
    assert context.state == FINALIZED and ext.EVENTS == []


def test_context_manager_deactivates(registry, ext, write):
    with Context(registry) as context:
        load_graph_file(context, write("g.yaml", GRAPH))
        context.run()
    assert context.state == DEACTIVATED
    assert lifecycle(ext.EVENTS)[-1] == ("deinitialize", "a/r1")


def test_interrupt_reaches_every_scheduler(load, context, ext):
    load(GRAPH)
    context.activate()
    context.interrupt()
    assert ("interrupt", "sched/s") in ext.EVENTS


def test_building_a_graph_in_python(context, ext):
    entity = context.create_entity("made")
    store = entity.add("test::Store", "store", capacity=2)
    source = entity.add(ext.Source, "source", target="store")
    assert isinstance(entity, Entity) and len(entity) == 2 and list(entity) == [store, source]
    assert entity.get(ext.Store) is store and entity.get(name="source") is source
    assert entity.find_all(ext.Store) == [store] and entity["store"] is store
    assert context.entity("made") is entity and context.find_entity("nope") is None
    assert list(context.components(ext.Store)) == [store]
    context.finalize()
    assert source.target is store and store.capacity == 2
    assert ext.Store.get(context, source.cid, "store") is store
    with pytest.raises(HandleError, match="test::Store"):
        ext.Store.get(context, store.cid, "source")  # a Source, not a Store
    with pytest.raises(HandleError, match="nothing"):
        ext.Store.get(context, store.cid, "nothing")
    with pytest.raises(KeyError):
        entity["missing"]


def test_entity_names_are_unique(context):
    context.create_entity("x")
    with pytest.raises(GxfError, match="entity 'x' is defined twice"):
        context.create_entity("x")


def test_message_entities_are_not_graph_entities(context, ext):
    message = MessageEntity(context)
    store = message.add(ext.Store, "payload", capacity=1)
    assert message.get(ext.Store) is store and context.entities == []
    with pytest.raises(HandleError):
        context.component(store.cid)


def test_component_identity(ext):
    assert ext.Store.type_name() == "test::Store"
    assert ext.Everything.description() == "Declares one parameter of every kind."
    assert Component.type_name() == "nvidia::gxf::Component"
    store = ext.Store()
    assert store.handle_text() == "" and "unnamed" in store.describe_self()


# --- a failed activation is undone, and its first failure stays the one reported ----------------------
def _failing_deinitialize(ext, monkeypatch, who):
    recorder = ext.Recorder
    original = recorder.deinitialize

    def deinitialize(self):
        original(self)
        if self.name in who:
            raise RuntimeError(f"cannot let go of {self.name}")

    monkeypatch.setattr(recorder, "deinitialize", deinitialize)


def test_rollback_failure_does_not_hide_the_activation_failure(load, context, ext, monkeypatch, caplog):
    _failing_deinitialize(ext, monkeypatch, {"r2", "r1"})
    load(GRAPH.replace("name: r3\n      type: test::Recorder",
                       "name: r3\n      type: test::Recorder\n      parameters: {fail_on_initialize: true}"))
    with caplog.at_level(logging.ERROR, logger="gxf"), pytest.raises(ExecutionError) as info:
        context.run()
    assert "'b/r3'" in str(info.value) and "failed in initialize()" in str(info.value)
    assert "deinitialize" not in str(info.value)
    # every initialized component was still rolled back, and both rollback failures were logged
    assert lifecycle(ext.EVENTS)[-2:] == [("deinitialize", "a/r2"), ("deinitialize", "a/r1")]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "cannot let go of r2" in logged and "cannot let go of r1" in logged


def test_deactivate_raises_the_first_deinitialize_failure_and_logs_the_rest(load, context, ext, monkeypatch,
                                                                          caplog):
    _failing_deinitialize(ext, monkeypatch, {"r3", "r1"})
    load(GRAPH)
    context.run()
    with caplog.at_level(logging.ERROR, logger="gxf"), pytest.raises(ExecutionError, match="of r3"):
        context.deactivate()
    assert "cannot let go of r1" in "\n".join(r.getMessage() for r in caplog.records)
    assert lifecycle(ext.EVENTS)[-3:] == [("deinitialize", "b/r3"), ("deinitialize", "a/r2"),
                                         ("deinitialize", "a/r1")]
