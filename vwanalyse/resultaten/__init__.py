"""Stage 3, the results table, the single source of every number in the book: its schema (`schema`),
its computation from the loaded data (`berekening`) and the results folder, written and read by
one owner (`opslag`). Imports `basis`, `model`, `invoer`, `statistiek`.
"""
