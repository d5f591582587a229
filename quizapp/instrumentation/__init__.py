"""Hooks for measuring and testing the app, apart from it and off unless configured:
`sql_counter` (BENCH: the benchmark's bare view and SQL counts) and `faults` (FAULTS:
failures injected by the tests of half-written requests). Production sets neither."""
