"""The configuration-driven generator of the synthetic demo data (`generator`). Imports `basis`,
`model`, `statistiek`.
"""
