"""Sentence roles: ACH (成绩/做法), PROB (问题), CAUSE (原因), PLAN (措施/打算), OTHER.

`context` describes each sentence with its place in the report, `features` turns that into a
vector, `model` is the trained labeller (a linear-chain CRF, `crf` trains it), `baselines` the rules
it is compared with.
"""
LABELS = ("ACH", "PROB", "CAUSE", "PLAN", "OTHER")

# the compared method that is shipped in models/sentence_roles (nlp/classify/train.py)
SHIPPED_METHOD = "f_crf"
