// opsgraph_engine_subscribe and opsgraph_subscription_destroy: the engine's events delivered to C
// functions. One engine subscription per engine feeds every C subscriber, so a C subscription
// can end from any thread, inside its own function too, without touching the engine's delivery.

#include <algorithm>

#include "engine_handles.hpp"
#include "engine_json.hpp"

namespace opsgraph::capi {
namespace {

thread_local int callback_depth = 0;

}  // namespace

CallbackScope::CallbackScope() noexcept {
  ++callback_depth;
}

CallbackScope::~CallbackScope() {
  --callback_depth;
}

bool in_callback() noexcept {
  return callback_depth > 0;
}

opsgraph_status refuse_in_callback(std::string_view entry) noexcept {
  if (!in_callback())
    return OPSGRAPH_OK;
  return set_error(OPSGRAPH_CONFLICT,
                   std::string(entry) +
                       " may not be called from an opsgraph callback (it would wait for the "
                       "engine thread the callback runs on); call it from a thread of your own");
}

void EventHub::add(std::shared_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<std::shared_ptr<Subscriber>>>(*subscribers_);
  next->push_back(std::move(subscriber));
  subscribers_ = std::move(next);
}

void EventHub::remove(const std::shared_ptr<Subscriber>& subscriber) noexcept {
  {
    // A call in progress on another thread finishes before this lock is ours; deliveries after
    // it see the subscriber inactive.
    std::lock_guard running(subscriber->mutex);
    subscriber->active = false;
  }
  try {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<std::shared_ptr<Subscriber>>>(*subscribers_);
    std::erase(*next, subscriber);
    subscribers_ = std::move(next);
  } catch (...) {
    // Out of memory: the entry stays in the list, inactive, until the engine's hub goes.
  }
}

void EventHub::deliver(const store::TaskEvent& event) {
  std::shared_ptr<const std::vector<std::shared_ptr<Subscriber>>> targets;
  {
    std::lock_guard lock(mutex_);
    targets = subscribers_;
  }
  std::string document;
  for (const auto& s : *targets) {
    if (!s->task_id.empty() && s->task_id != event.task_id)
      continue;
    if (document.empty())
      document = event_document(event);
    std::lock_guard running(s->mutex);
    if (!s->active)
      continue;
    CallbackScope scope;
    s->callback(document.c_str(), s->user_data);
  }
}

}  // namespace opsgraph::capi

using namespace opsgraph;
using namespace opsgraph::capi;

extern "C" {

opsgraph_status opsgraph_engine_subscribe(opsgraph_engine* engine, const char* task_id,
                                          opsgraph_event_fn callback, void* user_data,
                                          opsgraph_destroy_fn destroy,
                                          opsgraph_subscription** subscription_out) {
  return guarded("opsgraph_engine_subscribe", [&] {
    if (auto s = require(subscription_out, "subscription_out"); s != OPSGRAPH_OK)
      return s;
    *subscription_out = nullptr;
    if (auto s = check_handle(engine, "engine"); s != OPSGRAPH_OK)
      return s;
    if (task_id != nullptr && !is_valid_utf8(task_id))
      return set_error(OPSGRAPH_INVALID_UTF8, "task_id is not valid UTF-8");
    if (callback == nullptr)
      return set_error(OPSGRAPH_NULL_ARGUMENT, "callback is NULL");
    auto subscriber = std::make_shared<Subscriber>();
    subscriber->task_id = std::string(text_or_empty(task_id));
    subscriber->callback = callback;
    subscriber->user_data = user_data;
    auto handle = std::make_unique<opsgraph_subscription>();
    handle->hub = engine->hub;
    handle->subscriber = subscriber;
    {
      std::lock_guard lock(engine->subscribe_mutex);
      if (!engine->feeding) {
        engine->feed = engine->engine->subscribe(
            "", [hub = engine->hub](const store::TaskEvent& event) { hub->deliver(event); });
        engine->feeding = true;
      }
    }
    // destroy is attached only once nothing can fail any more: on failure the caller keeps
    // ownership of user_data.
    subscriber->destroy = destroy;
    engine->hub->add(std::move(subscriber));
    *subscription_out = handle.release();
    return OPSGRAPH_OK;
  });
}

void opsgraph_subscription_destroy(opsgraph_subscription* subscription) {
  if (subscription == nullptr || subscription->tag != opsgraph_subscription::kTag)
    return;
  subscription->tag = 0;
  auto& subscriber = *subscription->subscriber;
  subscription->hub->remove(subscription->subscriber);
  if (subscriber.destroy != nullptr)
    subscriber.destroy(subscriber.user_data);
  delete subscription;
}

}  // extern "C"
