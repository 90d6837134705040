// The trampolines between opsgraph's C callbacks and the Go functions exported in exports.go.
#include "callbacks.h"

#include "_cgo_export.h"

static void opsgraphgo_chat(const char* request_json, opsgraph_reply* reply, void* user_data) {
  opsgraphGoChat((char*)request_json, reply, (uintptr_t)user_data);
}

static void opsgraphgo_event(const char* event_json, void* user_data) {
  opsgraphGoEvent((char*)event_json, (uintptr_t)user_data);
}

static void opsgraphgo_log(opsgraph_log_level level, const char* component, const char* message,
                           const char* fields_json, void* user_data) {
  opsgraphGoLog((int)level, (char*)component, (char*)message, (char*)fields_json,
                (uintptr_t)user_data);
}

static void opsgraphgo_release(void* user_data) {
  opsgraphGoRelease((uintptr_t)user_data);
}

opsgraph_status opsgraphgo_provider_create(const char* name, uintptr_t handle,
                                           opsgraph_provider** provider_out) {
  return opsgraph_provider_create(name, opsgraphgo_chat, (void*)handle, opsgraphgo_release,
                                  provider_out);
}

opsgraph_status opsgraphgo_subscribe(opsgraph_engine* engine, const char* task_id, uintptr_t handle,
                                     opsgraph_subscription** subscription_out) {
  return opsgraph_engine_subscribe(engine, task_id, opsgraphgo_event, (void*)handle,
                                   opsgraphgo_release, subscription_out);
}

opsgraph_status opsgraphgo_log_set_callback(int min_level, uintptr_t handle) {
  if (handle == 0)
    return opsgraph_log_set_callback(min_level, NULL, NULL, NULL);
  return opsgraph_log_set_callback(min_level, opsgraphgo_log, (void*)handle, opsgraphgo_release);
}
