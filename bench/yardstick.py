"""The yardstick for the HTTP benchmarks: a bare Flask page of a few hundred bytes, served by the same
server with the same settings as the app (bench/servers.py), so the ratio to it cancels the machine's load."""

from flask import Flask

app = Flask(__name__)
PAGE = "<!doctype html><html lang=en><title>Yardstick</title><h1>Yardstick</h1>" + "<p>Text.</p>" * 20


@app.get("/")
def page() -> str:
    return PAGE
