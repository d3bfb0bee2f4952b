"""shuzhi\x27s library: everything that turns a submitted file into a ReportAnalysis. No Prefect here."""
