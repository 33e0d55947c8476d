"""vwanalyse: analyses and reporting of the Monitor Regio Deal Vitale Wijken.

The sub-packages are the stages of the data flow, in this order; a stage imports only stages
before it (tests/test_lagen.py enforces it):

    basis -> model -> invoer, statistiek -> resultaten -> weergave -> uitvoer -> boek -> controle
    (demodata: model, statistiek)

`pijplijn` runs the build step by step and `cli` is the command line. `rapport`, `figuren` and
`logicmodel` are the notebook API: the stable names the templates in notebooks/ import.
"""

__version__ = "0.1.0"
