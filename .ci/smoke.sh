#!/usr/bin/env bash
# Packaging smoke test: a fresh virtual environment, `pip install .` WITHOUT extras (what a
# user gets), and every command run once on a seed page. The test suite runs with the test
# extra installed, so it cannot see a module that only the extra brings (kg push once
# imported requests, which only the test extra installed). Called by .ci/run after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/kg-smoke.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
t0=$SECONDS

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check . 2>&1 | grep -v "^WARNING: Location" || true
py="$work/venv/bin/python"
kg="$work/venv/bin/kg"
"$py" -c "import kg, kg.export.sparql.push" >/dev/null  # the package imports without the extras
echo "smoke: installed without extras in $((SECONDS - t0)) s"

page=$(ls seeds/004_*.txt)
step() { echo "smoke: $* ($((SECONDS - t0)) s)"; }

step "kg --version"; "$kg" --version
step "kg extract"; "$kg" extract "$page" -o "$work/x.jsonl"
test -s "$work/x.jsonl"
step "kg eval"; "$kg" eval --gold gold/seeds.jsonl "$work/x.jsonl" >/dev/null
step "kg build"; "$kg" build "$page" -o "$work/out" --store "$work/store" --cache-dir "$work/cache" -q
test -s "$work/out/graph.nq" && test -s "$work/out/index.html"
step "kg query"
"$kg" query "$work/out" places-implementing-campaign -f csv | grep -q 长子县
"$kg" query "$work/store" "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" -f csv | tail -n 1 | grep -qv '^0'
step "kg views"; "$kg" views "$work/views" "$page"
test -s "$work/views/index.html"

step "kg serve"
: >"$work/serve.log"  # exists before the background job opens it (sed below may run first)
"$kg" serve "$work/out" --port 0 2>>"$work/serve.log" &
pids+=($!)
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^SPARQL endpoint: \([^ ]*\).*/\1/p' "$work/serve.log")
    [ -n "$url" ] && break
    sleep 0.2
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; echo "smoke: kg serve did not start" >&2; exit 1; }
"$py" - "$url" <<'EOF'
import json, sys, urllib.parse, urllib.request
q = "ASK { ?s ?p ?o }"
req = urllib.request.Request(sys.argv[1] + "?" + urllib.parse.urlencode({"query": q}),
                             headers={"Accept": "application/sparql-results+json"})
with urllib.request.urlopen(req, timeout=30) as resp:
    assert json.load(resp)["boolean"] is True
EOF

step "kg push (to a stand-in Graph Store that records the PUTs)"
"$py" - "$work/port" "$work/puts" <<'EOF' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port_file, log = sys.argv[1], sys.argv[2]
class Store(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200); self.end_headers()
    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(log, "a") as fh:
            fh.write(f"{self.path} {len(body)}\n")
        self.send_response(201); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass
srv = ThreadingHTTPServer(("127.0.0.1", 0), Store)
with open(port_file + ".tmp", "w") as fh:
    fh.write(str(srv.server_address[1]))
__import__("os").replace(port_file + ".tmp", port_file)
srv.serve_forever()
EOF
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
"$kg" push --help >/dev/null
"$kg" push "$work/out" --endpoint "http://127.0.0.1:$(cat "$work/port")/store" --user smoke
graphs=$("$py" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['graphs']))" "$work/out/summary.json")
test "$(wc -l <"$work/puts")" -eq "$graphs"

echo "smoke: every command ran from a plain install ($((SECONDS - t0)) s)"
