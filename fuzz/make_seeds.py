#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (fuzz/README.md) from files in this repository:
config/*.json, config/sample-inventory.json and the x-ms-examples of the vendored Azure specs.

  fuzz/make_seeds.py OUT_DIR [--specs DIR]   (default specs: third_party/azure-rest-api-specs)
"""
import argparse
import hashlib
import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
KINDS = 11  # emulator KindId values
STATUS = [200, 201, 202, 204, 404, 409, 429, 500]


def write(out, target, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def answer(status, body, flags=0):
    return bytes([STATUS.index(status) if status in STATUS else 0, flags]) + body.encode()


def examples(specs):
    for path in sorted(specs.rglob("examples/**/*.json")):
        try:
            doc = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict):
            yield path, doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--specs", default=str(REPO / "third_party" / "azure-rest-api-specs"))
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    specs = pathlib.Path(args.specs)

    for path in sorted((REPO / "config").glob("*.json")):
        write(out, "config_fuzzer", path.read_bytes())
    write(out, "inventory_translate_fuzzer", (REPO / "config" / "sample-inventory.json").read_bytes())

    n = 0
    for path, doc in examples(specs) if specs.is_dir() else []:
        n += 1
        params = doc.get("parameters", {})
        for key in ("body", "parameters"):
            if isinstance(params.get(key), dict):
                body = json.dumps(params[key])
                for kind in range(KINDS):
                    write(out, "emulator_request_fuzzer", bytes([kind, 1]) + body.encode())
                    write(out, "emulator_request_fuzzer", bytes([kind, 2]) + body.encode())
        for status, resp in sorted(doc.get("responses", {}).items()):
            if not isinstance(resp, dict) or "body" not in resp:
                continue
            body = resp["body"]
            text = json.dumps(body)
            code = int(status) if status.isdigit() else 200
            if isinstance(body, dict) and isinstance(body.get("value"), list):
                write(out, "arm_response_fuzzer", b"\x01" + answer(code, text))
                page = dict(body, nextLink="https://arm.example/subscriptions/s1/next?page=2")
                write(out, "arm_response_fuzzer", b"\x01" + answer(200, json.dumps(page)) + b"\x1e" + answer(200, text))
                resources = [v for v in body["value"] if isinstance(v, dict) and "id" in v and "name" in v]
                if resources and "Microsoft.BatchAI" in str(path):
                    write(out, "inventory_translate_fuzzer", json.dumps({"resources": resources}))
            else:
                write(out, "arm_response_fuzzer", b"\x00" + answer(code, text))
                write(out, "arm_response_fuzzer",
                      b"\x02" + answer(201, text, 1) + b"\x1e" + answer(200, '{"status":"InProgress"}', 8)[:2] + b"1\n" +
                      b'{"status":"InProgress"}' + b"\x1e" + answer(200, '{"status":"Succeeded"}') + b"\x1e" +
                      answer(200, text))
                write(out, "arm_response_fuzzer",
                      b"\x03" + answer(202, "", 2) + b"\x1e" + answer(202, "") + b"\x1e" + answer(200, text))
                if isinstance(body, dict) and "id" in body and "name" in body and "Microsoft.BatchAI" in str(path):
                    write(out, "inventory_translate_fuzzer", json.dumps({"resources": [body]}))
    token = {"kind": "PUT", "resource_id": "/subscriptions/s1/resourceGroups/g/providers/x/y/z",
             "poll_url": "https://arm.example/subscriptions/s1/operations/op1", "location_url": "", "request_id": "r"}
    write(out, "arm_response_fuzzer", b"\x04" + answer(200, json.dumps(token)) + b"\x1e" +
          answer(200, '{"status":"Failed","error":{"code":"BadRequest","message":"m"}}'))
    write(out, "arm_response_fuzzer", b"\x00" + answer(400, '{"error":{"code":"InvalidParameter","message":"x"}}'))
    for kind in range(KINDS):
        write(out, "emulator_request_fuzzer", bytes([kind, 0]) + b"gpu-cluster")
    print(f"fuzz seeds: {n} spec examples from {specs if specs.is_dir() else '(no specs)'} -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
