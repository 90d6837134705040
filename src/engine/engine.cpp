// Engine: creation, shutdown and the calls callers make. Running tasks is runs.cpp and
// worker.cpp; the record's rules are task_records.cpp and decisions.cpp.

#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/json_writer.hpp>
#include <opsgraph/engine/engine.hpp>
#include <random>
#include <thread>

#include "decisions.hpp"
#include "engine_impl.hpp"
#include "leased_checkpointer.hpp"
#include "task_records.hpp"
#include "task_validation.hpp"

namespace opsgraph::engine {
namespace {

using coordinator::TaskState;
using coordinator::TaskStatus;

// A caller's call races only with the task's own progress: a few rounds suffice.
constexpr int kDecisionRounds = 16;

std::string default_worker_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0)
    host[0] = '\0';
  std::random_device random;
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(random() % 1'000'000);
}

result<agents::StructuredAgent> agent_for(const EngineOptions& options, const std::string& name) {
  for (const auto& spec : options.agents) {
    if (spec.name == name)
      return agents::StructuredAgent::create(spec);
  }
  OPSGRAPH_TRY(auto spec, agents::builtin_agent(name));
  return agents::StructuredAgent::create(std::move(spec));
}

result<std::shared_ptr<const coordinator::Agents>> make_agents(const EngineOptions& options) {
  for (const auto& spec : options.agents) {
    const auto& names = agents::builtin_agent_names();
    if (std::find(names.begin(), names.end(), spec.name) == names.end()) {
      return fail(errc::invalid_argument, "engine: no built-in agent is called \"" + spec.name +
                                              "\" (planner, diagnostic, automation, writer)");
    }
  }
  OPSGRAPH_TRY(auto planner, agent_for(options, "planner"));
  OPSGRAPH_TRY(auto diagnostic, agent_for(options, "diagnostic"));
  OPSGRAPH_TRY(auto automation, agent_for(options, "automation"));
  OPSGRAPH_TRY(auto writer, agent_for(options, "writer"));
  return std::make_shared<const coordinator::Agents>(coordinator::Agents{
      std::move(planner), std::move(diagnostic), std::move(automation), std::move(writer)});
}

result<router::RuleRouter> make_router(const EngineOptions& options) {
  auto rules = options.router_rules_path.empty() ? router::RuleSet::defaults()
                                                 : router::RuleSet::load(options.router_rules_path);
  if (!rules)
    return rules.error();
  router::RouterOptions limits;
  limits.max_request_bytes = kMaxRequestBytes;
  return router::RuleRouter::create(std::move(rules).value(), limits);
}

json::Value decision_data(const coordinator::Approval& a) {
  return json::Object{{"gate", std::string(json::enum_name(a.gate))},
                      {"actor", a.actor},
                      {"hash", a.hash},
                      {"comment", a.comment}};
}

}  // namespace

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    cancel_ = std::move(other.cancel_);
  }
  return *this;
}

Subscription::~Subscription() {
  reset();
}

void Subscription::reset() noexcept {
  if (cancel_) {
    auto cancel = std::move(cancel_);
    cancel_ = nullptr;
    cancel();
  }
}

Engine::Engine(std::shared_ptr<detail::EngineCore> impl) : impl_(std::move(impl)) {}

result<std::unique_ptr<Engine>> Engine::create(EngineOptions options) {
  if (!options.store || !options.checkpointer || (!options.provider && !options.provider_factory)) {
    return fail(
        errc::invalid_argument,
        "engine: a store, a checkpointer and a provider (or provider_factory) are required");
  }
  if (options.max_running_tasks == 0 || options.lease_ttl < std::chrono::milliseconds{3} ||
      options.poll_interval <= std::chrono::milliseconds{0}) {
    return fail(
        errc::invalid_argument,
        "engine: max_running_tasks, lease_ttl (>= 3 ms) and poll_interval must be positive");
  }
  if (options.clock == nullptr)
    options.clock = &Clock::system();
  auto impl = std::make_shared<detail::EngineCore>(std::move(options));
  auto& o = impl->options;
  impl->worker_id = o.worker_id.empty() ? default_worker_id() : o.worker_id;

  Runtime::Options runtime;
  runtime.io_threads = o.io_threads;
  runtime.blocking_threads = o.blocking_threads;
  impl->runtime = std::make_unique<Runtime>(runtime);
  if (!o.provider) {
    const ProviderContext context{impl->runtime->executor(), o.logger, o.metrics.get()};
    OPSGRAPH_TRY(o.provider, o.provider_factory(context));
    if (!o.provider)
      return fail(errc::invalid_argument, "engine: provider_factory returned no provider");
  }
  OPSGRAPH_TRY(auto router, make_router(o));
  impl->router.emplace(std::move(router));
  OPSGRAPH_TRY(auto checker, safety::ScriptChecker::create(o.checker));
  OPSGRAPH_TRY(auto agents, make_agents(o));
  impl->journal = make_store_journal(impl);
  coordinator::CoordinatorParts parts;
  parts.provider = o.provider;
  parts.checker = std::make_shared<const safety::ScriptChecker>(std::move(checker));
  parts.agents = std::move(agents);
  parts.journal = impl->journal;
  parts.policy = o.policy;
  parts.custom_steps = o.custom_steps;
  OPSGRAPH_TRY(auto graph, coordinator::build_coordinator(std::move(parts)));
  impl->graph.emplace(std::move(graph));

  graph::RunnerOptions runner;
  runner.checkpointer = std::make_shared<LeasedCheckpointer>(o.checkpointer, o.store, impl->held,
                                                             impl->finished_runs, o.logger);
  // The record keeps what a finished task produced; nothing resumes a completed run.
  runner.keep_completed_runs = false;
  // Steps that wait on a blocking store gain from overlap between the io threads; those of a
  // store that answers at once, from not being handed between them.
  runner.keep_runs_on_their_thread = !o.store->blocking();
  runner.clock = o.clock;
  runner.logger = o.logger;
  impl->runner =
      std::make_unique<graph::Runner>(impl->runtime->executor(), impl->runtime->blocking(), runner);
  std::weak_ptr<detail::EngineCore> weak = impl;
  impl->runner->add_observer([weak](const graph::Event& event) {
    // Node progress goes to subscribers only; the stored trail keeps the task's own events.
    if (event.type != graph::EventType::node_started &&
        event.type != graph::EventType::node_retried)
      return;
    auto engine = weak.lock();
    if (!engine || !engine->notifier.has_subscribers())
      return;
    store::TaskEvent progress;
    progress.task_id = std::string(event.run_id);
    progress.type = "progress";
    // Written straight out, by the thread's reused writer: a node's start is the most frequent
    // event there is.
    static constexpr json::KeyText kEvent("event", "\"event\":");
    static constexpr json::KeyText kNode("node", "\"node\":");
    static constexpr json::KeyText kAttempt("attempt", "\"attempt\":");
    static constexpr json::KeyText kStage("stage", "\"stage\":");
    json::detail::ScratchWriter scratch;
    auto& data = scratch.get();
    data.begin_object()
        .key(kEvent)
        .string(graph::to_string(event.type))
        .key(kNode)
        .string(event.node)
        .key(kAttempt)
        .integer(event.attempt);
    if (auto stage = coordinator::stage_of_node(event.node))
      data.key(kStage).string(json::enum_name(*stage));
    data.end_object();
    progress.data = data.take();
    progress.at = event.at;
    engine->notifier.publish(progress);
  });

  if (o.run_tasks)
    impl->worker = std::thread([raw = impl.get()] { raw->worker_loop(); });
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::~Engine() {
  auto& impl = *impl_;
  impl.stopping.store(true);
  impl.wake_worker();
  if (impl.worker.joinable())
    impl.worker.join();
  for (const auto& [id, token] : impl.held.all())
    (void)impl.runner->cancel(id);
  // Runs end (cancelled) and then settle their records; wait for every one of them.
  while (impl.running.load() > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  impl.runner.reset();
  impl.finished_runs.flush();
  // The graph's nodes hold the provider, whose transfers live on the runtime's executor: both go
  // before the runtime does.
  impl.graph.reset();
  impl.options.provider.reset();
  impl.runtime.reset();
}

namespace {

// Marks a task as being announced by execute() (EngineCore::announcing) until end() or the end of
// the scope, whichever comes first.
class Announcing {
 public:
  Announcing(detail::EngineCore& engine, std::string task_id)
      : engine_(engine), task_id_(std::move(task_id)) {
    std::lock_guard lock(engine_.announcing_mutex);
    engine_.announcing.insert(task_id_);
  }
  ~Announcing() { end(); }
  Announcing(const Announcing&) = delete;
  Announcing& operator=(const Announcing&) = delete;

  void end() const {
    std::lock_guard lock(engine_.announcing_mutex);
    engine_.announcing.erase(task_id_);
  }

 private:
  detail::EngineCore& engine_;
  const std::string task_id_;  // a copy: the task's state is moved out before this ends
};

}  // namespace

result<coordinator::TaskSnapshot> Engine::execute(const ExecuteRequest& request) {
  auto& impl = *impl_;
  OPSGRAPH_TRY(detail::check_context(request.context));
  OPSGRAPH_TRY(detail::check_utf8("requester", request.requester));
  OPSGRAPH_TRY(detail::check_utf8("idempotency_key", request.idempotency_key));
  router::RouteHints hints;
  hints.require_approval = request.require_approval;
  hints.language = request.language;
  hints.context = request.context;
  OPSGRAPH_TRY(auto decision, impl.router->route(request.request, hints));

  TaskState state;
  auto& task = state.task;
  task.task_id = impl.ids.next();
  task.status = TaskStatus::queued;
  task.stage = coordinator::Stage::routing;
  task.request = request.request;
  task.context = request.context;
  task.requester = request.requester;
  task.require_approval = request.require_approval;
  task.language = request.language;
  state.script_requested =
      std::find(decision.route.required_agents.begin(), decision.route.required_agents.end(),
                router::Agent::automation) != decision.route.required_agents.end();
  state.decision = std::move(decision);
  coordinator::show_route(state);

  store::TaskRecord record;
  record.id = task.task_id;
  record.owner = request.requester;
  if (!request.idempotency_key.empty())
    record.idempotency_key = request.idempotency_key;
  detail::write_state(record, state, /*run_active=*/false);
  // Stored with the task, so the audit trail starts with it even when a worker elsewhere claims
  // the task the moment it exists.
  const store::NewEvent created_event{
      "created", json::dump(json::Object{{"requester", request.requester},
                                         {"risk", std::string(json::enum_name(task.risk.level))},
                                         {"requires_approval", task.route.requires_approval}})};
  // The first claim of the task is most likely this engine's own, and may come the moment the
  // record exists: the state is kept for it first, and its run waits until the "created" event
  // below has reached subscribers.
  if (impl.options.run_tasks)
    impl.fresh.put(task.task_id, kFirstClaimVersion, std::make_unique<TaskState>(state));
  const Announcing announcing(impl, task.task_id);
  auto created = impl.store().create_with_events(std::move(record), {&created_event, 1});
  if (!created || !created.value().created)
    impl.fresh.take(task.task_id, kFirstClaimVersion);
  if (!created)
    return std::move(created).error();
  if (!created.value().created)  // the idempotency key names an earlier task: that is the answer
    return detail::snapshot_of(created.value().record, impl.now());
  for (const auto& event : created.value().events)
    impl.notifier.publish(event);
  announcing.end();
  impl.look_for_work();
  return detail::snapshot_of(std::move(state), created.value().record, impl.now());
}

result<coordinator::TaskSnapshot> Engine::status(std::string_view task_id) {
  OPSGRAPH_TRY(auto record, impl_->store().get(task_id));
  return detail::snapshot_of(record, impl_->now());
}

result<std::shared_ptr<const std::string>> Engine::status_json(std::string_view task_id) {
  auto& impl = *impl_;
  OPSGRAPH_TRY(auto record, impl.store().get(task_id));
  if (auto known = impl.finished.find(record.id, record.version))
    return std::move(*known);
  OPSGRAPH_TRY(auto task, detail::snapshot_of(record, impl.now()));
  auto json = std::make_shared<const std::string>(json::encode(task));
  if (coordinator::is_final(task.status))
    impl.finished.put(record.id, record.version, json);
  return json;
}

result<TaskPage> Engine::list(const TaskQuery& query) {
  store::ListQuery q;
  for (auto status : query.statuses)
    q.statuses.emplace_back(json::enum_name(status));
  q.owner = query.requester;
  q.limit = query.limit;
  q.cursor = query.cursor;
  OPSGRAPH_TRY(auto page, impl_->store().list(q));
  TaskPage out;
  out.next_cursor = std::move(page.next_cursor);
  for (const auto& record : page.tasks) {
    OPSGRAPH_TRY(auto task, detail::snapshot_of(record, impl_->now()));
    out.tasks.push_back(std::move(task));
  }
  return out;
}

namespace {

// Reads, changes and compare-and-swaps a task's record until the change sticks. `change` returns
// whether it changed anything (false: return the task as it is) or an error.
template <class Change>
result<coordinator::TaskSnapshot> change_task(detail::EngineCore& impl, std::string_view task_id,
                                              Change change) {
  for (int round = 0; round < kDecisionRounds; ++round) {
    OPSGRAPH_TRY(auto record, impl.store().get(task_id));
    OPSGRAPH_TRY(auto state, detail::state_of(record));
    OPSGRAPH_TRY(auto event, change(state));
    if (!event)
      return detail::snapshot_of(std::move(state), record, impl.now());
    // A decision on a run still going (the diagnosis beside the plan gate) leaves it runnable.
    const bool active = record.lease && record.lease->expires_at > impl.now();
    if (state.task.status == TaskStatus::queued && active)
      state.task.status = TaskStatus::in_progress;
    const auto version = record.version;
    detail::write_state(record, state, active);
    const store::NewEvent stored_event{event->first, json::dump(event->second)};
    auto updated = impl.update_task(std::move(record), version, {&stored_event, 1});
    if (!updated && updated.error().code == errc::conflict)
      continue;
    if (!updated)
      return updated.error();
    const auto& stored = updated.value();
    // What is stored now is known here: a run of the task in this engine, and its next claim
    // when this engine's (a claim adds one to the version and changes nothing else), need not
    // read and decode the body just encoded.
    detail::written_states(*impl.journal)
        .refresh(stored.id, stored.version, detail::facts_of(state));
    if (state.task.status == TaskStatus::queued)
      impl.fresh.put(stored.id, stored.version + 1, std::make_unique<TaskState>(state));
    // Ended for good with no run going (parked at a gate, queued): nothing will settle it, so its
    // checkpoints go from here. A run still going lets them go when it settles.
    if (coordinator::is_final(state.task.status) && !active)
      impl.finished_runs.add(stored.id);
    impl.look_for_work();
    return detail::snapshot_of(std::move(state), stored, impl.now());
  }
  return fail(errc::conflict, "task " + std::string(task_id) + " kept changing; try again");
}

using EventOut = result<std::optional<std::pair<std::string, json::Value>>>;

}  // namespace

result<coordinator::TaskSnapshot> Engine::approve(std::string_view task_id,
                                                  const ApproveRequest& request) {
  auto& impl = *impl_;
  return change_task(impl, task_id, [&](TaskState& state) -> EventOut {
    OPSGRAPH_TRY(auto applied, detail::apply_approval(state, request, impl.now()));
    if (applied == detail::Applied::repeated)
      return std::nullopt;
    return std::make_pair(std::string("approved"), decision_data(state.task.approvals.back()));
  });
}

result<coordinator::TaskSnapshot> Engine::reject(std::string_view task_id,
                                                 const RejectRequest& request) {
  auto& impl = *impl_;
  return change_task(impl, task_id, [&](TaskState& state) -> EventOut {
    OPSGRAPH_TRY(auto applied, detail::apply_rejection(state, request, impl.now()));
    if (applied == detail::Applied::repeated)
      return std::nullopt;
    state.task.duration_seconds =
        std::chrono::duration<double>(impl.now() - state.task.created_at).count();
    return std::make_pair(std::string("rejected"), decision_data(state.task.approvals.back()));
  });
}

result<coordinator::TaskSnapshot> Engine::cancel(std::string_view task_id, std::string_view actor) {
  auto& impl = *impl_;
  auto cancelled = change_task(impl, task_id, [&](TaskState& state) -> EventOut {
    if (state.task.status == TaskStatus::cancelled)
      return std::nullopt;
    if (coordinator::is_final(state.task.status)) {
      return fail(errc::conflict, "task " + state.task.task_id + " is already " +
                                      std::string(json::enum_name(state.task.status)));
    }
    state.task.status = TaskStatus::cancelled;
    state.task.duration_seconds =
        std::chrono::duration<double>(impl.now() - state.task.created_at).count();
    return std::make_pair(std::string("cancelled"), json::Object{{"actor", std::string(actor)}});
  });
  if (cancelled)
    (void)impl.runner->cancel(task_id);  // not_found when the run is elsewhere or parked
  return cancelled;
}

result<coordinator::TaskSnapshot> Engine::retry(std::string_view task_id, std::string_view actor) {
  return change_task(*impl_, task_id, [&](TaskState& state) -> EventOut {
    if (state.task.status != TaskStatus::failed) {
      return fail(errc::conflict, "task " + state.task.task_id + " is " +
                                      std::string(json::enum_name(state.task.status)) +
                                      "; only failed tasks are retried");
    }
    json::Value data = json::Object{{"actor", std::string(actor)}};
    if (state.task.error)
      data.set("previous_error", json::to_value(*state.task.error));
    state.task.status = TaskStatus::queued;
    state.task.error.reset();
    return std::make_pair(std::string("retried"), std::move(data));
  });
}

result<coordinator::TaskSnapshot> Engine::wait(std::string_view task_id, WaitFor what,
                                               std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  // Changes made by other processes reach this one only through the store: look again at least
  // this often even when nothing here said the task changed.
  constexpr std::chrono::milliseconds kRecheck{200};
  const auto until = std::chrono::steady_clock::now() + timeout;
  // Woken by changes of this task alone. Shared with the wake-up, which may run on an engine
  // thread after this call returned.
  struct Wake {
    std::mutex mutex;
    std::condition_variable changed;
    bool fired = false;
  };
  auto wake = std::make_shared<Wake>();
  const std::string id(task_id);
  for (;;) {
    {
      std::lock_guard lock(wake->mutex);
      wake->fired = false;
    }
    // Armed before looking, so that a change between the look and the wait is seen.
    const auto handle = impl.notifier.on_next_change(id, [wake] {
      {
        std::lock_guard lock(wake->mutex);
        wake->fired = true;
      }
      wake->changed.notify_all();
    });
    auto task = status(id);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (!task || detail::reached(task.value(), what) || left <= std::chrono::milliseconds{0}) {
      impl.notifier.forget(handle);
      return task;
    }
    {
      std::unique_lock lock(wake->mutex);
      wake->changed.wait_for(lock, std::min(left, kRecheck), [&] { return wake->fired; });
    }
    impl.notifier.forget(handle);
  }
}

result<std::vector<TaskEvent>> Engine::events(std::string_view task_id, std::uint64_t after_seq,
                                              std::size_t limit) {
  return impl_->store().events(task_id, after_seq, limit);
}

result<store::TaskCounts> Engine::count_tasks() {
  return impl_->store().count_tasks();
}

Subscription Engine::subscribe(std::string task_id, EventCallback callback) {
  const auto id = impl_->notifier.subscribe(std::move(task_id), std::move(callback));
  std::weak_ptr<detail::EngineCore> weak = impl_;
  return Subscription([weak, id] {
    if (auto impl = weak.lock())
      impl->notifier.unsubscribe(id);
  });
}

std::size_t Engine::running_tasks() const noexcept {
  return impl_->running.load();
}

}  // namespace opsgraph::engine
