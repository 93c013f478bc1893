"""One module per `oms` command: `add_arguments(parser)` and `run(args) -> int`."""
