# moflow's OS2MO test harness. OS2MO's DAR client (fastramqpi) has its base URL fixed to the public DAR
# service, and tests run offline: point it at MOFLOW_DAR_BASE_URL (a local stand-in speaking DAR's
# protocol) or, when unset, at a closed loopback port, so nothing ever leaves the machine. Only processes the
# harness starts (MOFLOW_OS2MO_HARNESS=1) are touched.
import os

if os.environ.get("MOFLOW_OS2MO_HARNESS") == "1":
    from fastramqpi.os2mo_dar_client import dar_client as _dar_client

    _base_url = os.environ.get("MOFLOW_DAR_BASE_URL", "http://127.0.0.1:9").rstrip("/")
    _original_init = _dar_client.AsyncDARClient.__init__

    def _init(self, *args, **kwargs):
        _original_init(self, *args, **kwargs)
        self._baseurl = _base_url

    _dar_client.AsyncDARClient.__init__ = _init
