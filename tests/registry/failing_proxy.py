"""A proxy in front of a tracking server that fails every artifact upload (HTTP 503), as a
server going down mid-upload would: everything else is forwarded.

  failing_proxy.py PORT UPSTREAM_URL
"""

import http.server
import sys
import urllib.error
import urllib.request

PORT, UPSTREAM = int(sys.argv[1]), sys.argv[2].rstrip("/")


class Handler(http.server.BaseHTTPRequestHandler):
    def _forward(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        if self.command == "PUT" and "/mlflow-artifacts/artifacts/" in self.path:
            self._send(503, b"upstream down", {})
            return
        req = urllib.request.Request(UPSTREAM + self.path, data=body, method=self.command)
        for k, v in self.headers.items():
            if k.lower() not in ("host", "content-length"):
                req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                self._send(r.status, r.read(), r.headers)
        except urllib.error.HTTPError as e:
            self._send(e.code, e.read(), e.headers)

    def _send(self, code, data, headers):
        self.send_response(code)
        for k, v in headers.items():
            if k.lower() in ("content-type",):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
