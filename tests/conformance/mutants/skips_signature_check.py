"""A host that loads any artifact whose hash matches, signed or not.

The reference adapter with `molt.signing.verify_artifact` replaced by a no-op: a
missing, untrusted or forged signature is accepted. The SIGN cases must catch it.
"""

import os
import sys

os.environ["MOLT_ADAPTER_ROLES"] = "host"

from molt import signing
from molt.adapter import main

signing.verify_artifact = lambda *args, **kwargs: None

sys.exit(main())
