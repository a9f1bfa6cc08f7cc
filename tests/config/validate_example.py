"""Validates a JSON-with-comments config against the JSON Schema: exit 0 when valid."""
import json
import sys

import jsonschema


def strip_comments(text):
    out, i, in_string = [], 0, False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
instance = json.loads(strip_comments(open(sys.argv[2]).read()))
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(instance), key=lambda e: list(e.path))
for e in errors:
    print("invalid at", "/".join(str(p) for p in e.path), ":", e.message)
# A schema that accepts anything would pass the example: check it rejects an unknown key and a bad enum.
bad = dict(instance, unknown_key=1)
assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad)), "schema accepts unknown keys"
bad = json.loads(json.dumps(instance))
bad["azure"]["auth"]["method"] = "password"
assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad)), "schema accepts a bad enum"
print("example is valid" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
