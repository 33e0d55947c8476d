"""Stage 1, the typed model of data/config/*.yml: strict YAML schema (`schema`) and the
configuration with its cross-file checks (`configuratie.laad_configuratie`). Imports only `basis`.
"""
