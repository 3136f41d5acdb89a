"""HelloWorld: logs 'Hello world' at INFO on every tick."""

import logging

from gxf.sample import HelloWorld


def test_logs_a_greeting_each_tick(run_graph, caplog):
    with caplog.at_level(logging.INFO, logger="gxf"):
        run_graph("""
            name: hello
            components:
            - name: greeter
              type: nvidia::gxf::HelloWorld
            - type: nvidia::gxf::CountSchedulingTerm
              parameters:
                count: 3
            """)
    assert [r.getMessage() for r in caplog.records if "Hello" in r.getMessage()] == \
        ["[hello/greeter] Hello world"] * 3
    assert all(r.levelno == logging.INFO for r in caplog.records if "Hello" in r.getMessage())


def test_has_gxf_name_uuid_and_no_parameters():
    assert HelloWorld.type_name() == "nvidia::gxf::HelloWorld"
    assert HelloWorld._gxf_uuid == "3d1e58fc-74fa-11ed-a7ee-f7e728cd4c11"
    assert HelloWorld.parameters() == {}
