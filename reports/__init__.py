"""Rendering of reviewer-facing outputs: briefing sheets, batch index, Excel and CSV summaries. No NLP here."""
