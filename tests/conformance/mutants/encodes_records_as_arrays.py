"""A compiler whose records cross as arrays of their field values, not maps.

The reference compiler with the record encoder changed: no field names, and an
array header where the map header was, so `Point(1.5, -2.0)` leaves the module
as `[1.5, -2.0]`, the way a tuple or an object's slots would be serialised.
Decoding record arguments is unchanged. A result that is not the map of its
fields is not the plain value the schema describes (MOLT-R-NO-OBJECT-PROXIES):
the record cases must catch it.
"""

import builtins
import sys

from molt.adapter import main
from molt.compiler.core import _record_codec


def positional_header(values):
    """`bytes([0x80 | count])` of the encoder becomes a fixarray header."""
    data = builtins.bytes(values)
    if len(data) == 1 and data[0] & 0xF0 == 0x80:
        return builtins.bytes([0x90 | (data[0] & 0x0F)])
    return data


_record_codec._key_bytes = lambda name: b""
_record_codec.bytes = positional_header

sys.exit(main())
