"""A host that hands callers its own re-encoding of a result, not the module's bytes.

It decodes each result into host values and packs them again, as a host that
returns host-side objects and serializes them later would. The values are equal,
but MessagePack has several encodings of one value, so the bytes differ where the
module chose a longer one: the module's exact bytes are what crosses
(MOLT-R-NO-OBJECT-PROXIES, MC-CALL-029).
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

import msgpack

from molt.adapter import ReferenceAdapter, main


class ReencodingAdapter(ReferenceAdapter):
    def call_module(self, module, schemas, fn, message):
        result = super().call_module(module, schemas, fn, message)
        return msgpack.packb(msgpack.unpackb(result, raw=False), use_bin_type=True)


sys.exit(main(ReencodingAdapter()))
