"""The bare peer of the console benchmarks: Flask's hello world on Cheroot, nothing else imported.

`python bench/hello_flask.py PORT THREADS` (bench/web.py starts it with the console's thread count).
"""

import sys

from cheroot import wsgi
from flask import Flask

app = Flask("hello")


@app.route("/")
def hello():
    return "Hallo Welt"


if __name__ == "__main__":
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    wsgi.Server(("127.0.0.1", port), app, numthreads=threads, server_name="bench-hello").start()
