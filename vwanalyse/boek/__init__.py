"""Stage 6, the book: generated pages (`paginas`), downloads (`downloads`), the table of contents
(`toc`), the jupyter-book build (`jupyterbook`) with its Sphinx extension (`sphinx_site`), and the
PDF and the release archive (`publicatie`). Imports every stage above it.
"""
