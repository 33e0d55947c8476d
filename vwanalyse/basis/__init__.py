"""Stage 0, shared by every stage: atomic writes and checksums (`bestanden`), the error root
(`fouten.VwFout`) and the project object (`project.Project`). Imports nothing of ours.
"""
