"""Stage 7, checking what was built: the build manifest (`manifest`), the back-test (`backtest`), the
offline link check (`linkcontrole`), the confidentiality scan (`vertrouwelijkheid`), the commit
guard (`bewaking`, standard library only) and the pinned environment (`omgeving`). Imports every
stage above it.
"""
