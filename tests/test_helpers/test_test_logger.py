"""TestLogger: one line per severity each tick."""

import logging


def test_logs_error_warning_info_and_debug_each_tick(run_graph, caplog):
    with caplog.at_level(logging.DEBUG, logger="gxf"):
        run_graph("""
            name: logger
            components:
            - name: log
              type: nvidia::gxf::test::TestLogger
            - type: nvidia::gxf::CountSchedulingTerm
              parameters:
                count: 2
            """)
    records = [(r.levelno, r.getMessage()) for r in caplog.records
               if r.getMessage().startswith("[logger/log]")]
    assert records == [
        (logging.ERROR, "[logger/log] This is test error message"),
        (logging.WARNING, "[logger/log] This is a test warning message"),
        (logging.INFO, "[logger/log] This is a test info message"),
        (logging.DEBUG, "[logger/log] This is a test debug message"),
    ] * 2
