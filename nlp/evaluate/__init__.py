"""Evaluation of shuzhi\x27s components against the corpus: segmentation, sentence labels."""
