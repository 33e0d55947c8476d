"""The one error root of everything a user can cause.

Every stage raises a subclass of `VwFout` with a Dutch message that names the file, the entry or
the choice and what was expected. The command line prints the message and exits with the class's
`exitcode`; anything else that escapes is a bug in vwanalyse and shows its traceback.
"""

from __future__ import annotations


class VwFout(Exception):
    """A problem the user can solve: bad configuration, bad data, an unknown choice, ..."""

    exitcode = 2
    kop = "fout"  # the first words of the line the command line prints


class ParameterFout(VwFout):
    """A choice the configuration does not know: a gebied, meting or pijler, a CBS table, ..."""

    kop = "ongeldige keuze"
