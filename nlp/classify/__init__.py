"""Sentence roles: ACH (成绩/做法), PROB (问题), CAUSE (原因), PLAN (措施/打算), OTHER.

`context` describes each sentence with its place in the report, `features` turns that into a
vector, `model` is the trained labeller (linear model + sequence decoding), `baselines` the rules
it is compared with.
"""
LABELS = ("ACH", "PROB", "CAUSE", "PLAN", "OTHER")
