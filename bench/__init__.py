"""The benchmark: `python -m bench` builds data sets, serves them with gunicorn and
drives them with wrk, then prints one table (see the README's "Performance")."""
