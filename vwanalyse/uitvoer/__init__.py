"""Stage 5, running the notebooks: the matrix of templates x parameters (`taken`), cache keys and
their import closure (`cache`), the executors (`runner`) and the warm kernels (`kernelstart`).
Imports `basis`, `model`, `resultaten` (where the results folder is).
"""
