"""Prefect flows and the `shuzhi` command line. Thin: the work is done by `nlp` and `reports`."""
