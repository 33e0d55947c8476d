"""Stage 2, reading and validating every input: the data folder of data/FORMAAT.md (`bronnen`)
and CBS StatLine exports (`cbs`). Never computes a statistic. Imports `basis`, `model`.
"""
