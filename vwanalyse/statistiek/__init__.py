"""Stage 2, the statistics: survey domain estimates, register rates, comparison and change tests,
DiD (`schatting`) and the outcome codes of every comparison (`oordelen`). Works on arrays handed
in; never opens a file. Imports `basis`, `model`.
"""
