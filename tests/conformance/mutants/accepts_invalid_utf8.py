"""A host whose codec accepts invalid UTF-8.

Where the strict decoder refuses a message only because a str is not UTF-8, this
host decodes it laxly (each bad sequence becomes U+FFFD), re-encodes the value
and calls the module with that: `call_message(check=False)` plus its own lax
decode. The invalid UTF-8 cases must catch it.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

import msgpack

from molt.adapter import ReferenceAdapter, main
from molt.errors import MoltError


class LaxUtf8Adapter(ReferenceAdapter):
    def decode_input(self, message, fn):
        try:
            return super().decode_input(message, fn)
        except MoltError as error:
            if "is not valid UTF-8" not in error.message:
                raise
            return msgpack.unpackb(message, raw=False, unicode_errors="replace")

    def encode_input(self, message, value):
        return msgpack.packb(value, use_bin_type=True)


sys.exit(main(LaxUtf8Adapter()))
