"""Runs inside a notebook pod (components/notebook) through `kubectl exec -i ... python3 -`.

1. Writes a notebook whose one cell queries the preconfigured `spark` session with a
   marker, executes it the way a user's scheduled notebook runs (`python3 -m nbconvert
   --execute`, a real kernel with the pod's IPython startup), and reads back its output.
2. Asks JupyterLab, on the pod's own port, for /lab and /api/contents without the login
   token, with a wrong one, and with the mounted one (sent as a header, never printed).

Prints one line `IT-NOTEBOOK {json}`; the token and the release's token never appear.
Env: IT_MARKER (the marker string). What the pod may reach over TCP is probed apart, with
the suite's tcp_probe.py.
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

PORT = 8888
MARKER = os.environ.get("IT_MARKER", "it-notebook-" + uuid.uuid4().hex[:8])
WORK = "/tmp/it-notebook"


def execute_notebook():
    os.makedirs(WORK, exist_ok=True)
    source = (
        "row = spark.sql(\"SELECT 41 AS answer, '%s' AS marker\").collect()[0]\n"
        "print('IT-CELL', spark.version, row.answer, row.marker)\n" % MARKER
    )
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [{"cell_type": "code", "id": "it-query", "metadata": {}, "execution_count": None,
                   "outputs": [], "source": source}],
    }
    path = os.path.join(WORK, "it.ipynb")
    with open(path, "w") as f:
        json.dump(notebook, f)
    run = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
         "--ExecutePreprocessor.timeout=300", "--output", "it-out.ipynb", path],
        capture_output=True, text=True, timeout=400,
    )
    result = {"exitCode": run.returncode, "stderrTail": run.stderr[-600:]}
    out = os.path.join(WORK, "it-out.ipynb")
    if os.path.exists(out):
        with open(out) as f:
            executed = json.load(f)
        texts = []
        for output in executed["cells"][0].get("outputs", []):
            if output.get("output_type") == "stream":
                texts.append("".join(output.get("text", "")))
            elif output.get("output_type") == "error":
                texts.append("ERROR %s: %s" % (output.get("ename"), output.get("evalue", "")[:300]))
        lines = "".join(texts).splitlines()
        cell = [l for l in lines if l.startswith("IT-CELL ")]
        result["cellOutput"] = lines[-5:]
        if cell:
            _, version, answer, marker = cell[-1].split(" ", 3)
            result.update(sparkVersion=version, answer=int(answer), marker=marker)
    return result


def status(path, token=None):
    """HTTP status and Location of a GET on the pod's JupyterLab, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT, path))
    if token is not None:
        request.add_header("Authorization", "token " + token)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=20)
        return {"status": response.status}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "location": error.headers.get("Location", "")}


def http_checks():
    with open(os.environ["JUPYTER_TOKEN_FILE"]) as f:
        token = f.read().strip()
    return {
        "labWithoutToken": status("/lab"),
        "apiWithoutToken": status("/api/contents"),
        "apiWithWrongToken": status("/api/contents", uuid.uuid4().hex),
        "apiWithToken": status("/api/contents", token),
        "labWithToken": status("/lab", token),
    }


print("IT-NOTEBOOK " + json.dumps({
    "marker": MARKER,
    "http": http_checks(),
    "notebook": execute_notebook(),
}))
