"""Defining a component type: mistakes in the class itself are refused when the class is made."""

from __future__ import annotations

import pytest

from gxf.core import Component, Context, GxfError, Parameter, System


class Lifecycle(Component):
    def start(self) -> None:
        pass


def test_a_parameter_that_would_hide_an_inherited_method_is_refused_at_class_definition():
    with pytest.raises(TypeError, match=r"parameter attribute 'start' would hide the method Lifecycle.start\(\)"
                       r".*key='start'"):
        class Ramp(Lifecycle):  # noqa: F841 - the definition itself fails
            start = Parameter(float, 0.0, "first value")


def test_the_same_graph_file_name_is_fine_under_another_attribute():
    class Ramp(Lifecycle):
        start_ = Parameter(float, 0.5, "first value", key="start")

    ramp = Ramp()
    ramp.set_param("start", 2.0)
    assert ramp.get_param("start") == 2.0 and callable(ramp.start)


def test_a_system_without_run_time_activation_refuses_it_clearly():
    class Plain(System):
        pass

    with pytest.raises(GxfError, match="cannot deactivate entities at run time"):
        Plain().deactivate_entity(None)
    with pytest.raises(GxfError, match="cannot activate entities at run time"):
        Plain().activate_entity(None)


def test_the_context_refuses_to_activate_entities_before_the_graph_is_activated():
    with Context() as ctx:
        ctx.create_entity("worker")
        with pytest.raises(GxfError, match="only once the graph is activated"):
            ctx.activate_entity("worker")
