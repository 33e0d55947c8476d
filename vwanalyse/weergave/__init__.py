"""Stage 4, how results are shown: Dutch number formatting (`opmaak`), the one vocabulary of symbols
and words (`woorden`), the tables and notes of the pages (`rapport`), the figures (`figuren`) and
the logic-model diagram (`logicmodel`). Reads the results; computes nothing. Imports stages 0-3.
Templates use it through `vwanalyse.rapport`, `vwanalyse.figuren` and `vwanalyse.logicmodel`.
"""
