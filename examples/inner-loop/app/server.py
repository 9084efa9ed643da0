"""A small web app for the inner loop: the page comes from static/ (synced into the
running pod on save), the greeting from this file (a change here rebuilds the image)."""
from http.server import HTTPServer, SimpleHTTPRequestHandler

GREETING = "hello from the inner loop"


class Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory="static", **kwargs)

    def do_GET(self):
        if self.path == "/greeting":
            body = GREETING.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
