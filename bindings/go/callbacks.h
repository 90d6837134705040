/* The C side of the Go binding's callbacks. cgo.Handle values cross the C ABI as the user_data
 * of opsgraph's callbacks; they are converted between uintptr_t and void * here, in C, because
 * a Go unsafe.Pointer holding a small integer trips the race detector's checkptr and the stack
 * scanner's invalid-pointer check. */
#ifndef OPSGRAPH_GO_CALLBACKS_H
#define OPSGRAPH_GO_CALLBACKS_H

#include <opsgraph.h>
#include <stdint.h>

opsgraph_status opsgraphgo_provider_create(const char* name, uintptr_t handle,
                                           opsgraph_provider** provider_out);
opsgraph_status opsgraphgo_subscribe(opsgraph_engine* engine, const char* task_id, uintptr_t handle,
                                     opsgraph_subscription** subscription_out);
/* handle 0: no callback (records are discarded). */
opsgraph_status opsgraphgo_log_set_callback(int min_level, uintptr_t handle);

#endif
