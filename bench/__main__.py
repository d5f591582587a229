"""`python -m bench`: see bench/run.py, or `python -m bench --help`."""

from bench.run import main

raise SystemExit(main())
