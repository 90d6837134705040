// The Engine as a fleet: worker engines in this process, each on a store object of its own (its
// own SQLite connection or PostgreSQL pool, as separate processes would have) over one database,
// fed by a front end that only records tasks (as `opsgraphd --no-worker` does); an instant
// provider, so the store and the engine are all there is. Measures tasks/s for each fleet size,
// and claim latency: from execute() returning at the front end to the first event a worker
// reports for the task, the workers idle. Prints every repetition, then the medians as a table.
//
//   build/ci/bench/fleet/opsgraph_fleet_bench --store sqlite --workers 1,2,4 --repetitions 3
//   build/ci/bench/fleet/opsgraph_fleet_bench --store postgres --dsn "$OPSGRAPH_PG_DSN"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <opsgraph/engine/engine.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fleet_events.hpp"
#include "fleet_options.hpp"
#include "fleet_store.hpp"
#include "workload.hpp"

namespace {

using namespace opsgraph;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using bench::Options;

constexpr int kBadUsage = 2;

struct Figures {
  /// From the first worker's start to the last end.
  double tasks_per_s = 0;
  /// The tasks that ended after every worker was running, over that span.
  double all_running_tasks_per_s = 0;
  double cpu_ms_per_task = 0;
  /// Building the worker engines, inside the first span.
  double start_ms = 0;
  std::size_t not_completed = 0;
  bool missed_events = false;
  /// Tasks each worker ended, as "a/b/c".
  std::string by_worker;
  /// From execute() returning, and from execute() being called.
  double claim_p50_ms = 0;
  double claim_p99_ms = 0;
  double claim_from_call_p50_ms = 0;
  double claim_from_call_p99_ms = 0;
  double execute_p50_ms = 0;
  std::size_t latency_not_completed = 0;
  std::size_t seen_before_return = 0;
};

// ---- engines

result<std::unique_ptr<engine::Engine>> engine_on(const bench::Place& place, bool run_tasks,
                                                  std::string worker_id, const Options& o) {
  OPSGRAPH_TRY(auto store, place.open());
  engine::EngineOptions options;
  options.store = std::move(store.tasks);
  options.checkpointer = std::move(store.checkpoints);
  options.provider = std::make_shared<bench::InstantProvider>();
  options.run_tasks = run_tasks;
  options.worker_id = std::move(worker_id);
  options.poll_interval = o.poll;
  if (o.max_running > 0)
    options.max_running_tasks = o.max_running;
  options.logger = Logger::null();
  return engine::Engine::create(std::move(options));
}

// Worker engines reporting to one FleetEvents; destroying the fleet stops them (their
// subscriptions end first). `events` must outlive it.
struct Fleet {
  std::vector<std::unique_ptr<engine::Engine>> engines;
  std::vector<engine::Subscription> subscriptions;

  ~Fleet() {
    subscriptions.clear();
    engines.clear();
  }
};

// Builds the workers at once, a thread each, as processes started together would come up: built
// one after another, the first would claim up to max_running_tasks before the last exists.
result<void> start_fleet(const bench::Place& place, const Options& o, std::size_t size,
                         bench::FleetEvents& events, Fleet& fleet) {
  fleet.engines.resize(size);
  fleet.subscriptions.resize(size);
  std::vector<std::optional<Error>> errors(size);
  {
    std::vector<std::jthread> starting;
    for (std::size_t i = 0; i < size; ++i) {
      starting.emplace_back([&, i, callback = events.callback(i)] {
        auto made = engine_on(place, true, "fleet-worker-" + std::to_string(i + 1), o);
        if (!made) {
          errors[i] = made.error();
          return;
        }
        fleet.subscriptions[i] = made.value()->subscribe("", callback);
        fleet.engines[i] = std::move(made).value();
      });
    }
  }
  for (auto& error : errors) {
    if (error)
      return *error;
  }
  return ok();
}

std::uint64_t ended_in_store(const store::TaskCounts& counts) {
  std::uint64_t ended = 0;
  for (const char* status : {"completed", "failed", "rejected", "cancelled", "waiting_approval"}) {
    if (auto it = counts.by_status.find(status); it != counts.by_status.end())
      ended += it->second;
  }
  return ended;
}

// Waits until `count` tasks have ended; true when the workers' events showed every end. A
// worker's first task may end before its subscription starts: the store's counts, read every
// 250 ms, catch that (false: the last end is then known to 250 ms only).
result<bool> wait_all_ended(engine::Engine& front, bench::FleetEvents& events, std::size_t count,
                            Clock::time_point deadline) {
  while (!events.wait_ended(count, std::min(deadline, Clock::now() + 250ms))) {
    OPSGRAPH_TRY(auto counts, front.count_tasks());
    if (ended_in_store(counts) >= count)
      return false;
    if (Clock::now() >= deadline) {
      return fail(errc::timeout, std::to_string(ended_in_store(counts)) + " of " +
                                     std::to_string(count) + " tasks ended in time");
    }
  }
  return true;
}

std::chrono::milliseconds times(std::chrono::milliseconds each, std::size_t count) {
  return each * static_cast<std::chrono::milliseconds::rep>(count);
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// ---- the two measurements

// The front end records every task while no worker runs; then the workers start, and the clock
// runs from the first worker's start (its engine being built) until the last task ends; a second
// figure counts only what ended after the last worker was built. Every task is claimable at once,
// so there is no steady state to single out: a worker holds up to max_running_tasks of them from
// its first claim.
result<void> measure_throughput(bench::Places& places, const Options& o, std::size_t size,
                                Figures& f) {
  OPSGRAPH_TRY(auto place, places.fresh());
  OPSGRAPH_TRY(auto front, engine_on(*place, false, "fleet-front", o));
  for (std::size_t i = 0; i < o.tasks; ++i) {
    OPSGRAPH_TRY(front->execute(bench::request_for(i, /*gated_every=*/0)));
  }

  bench::FleetEvents events;
  const auto cpu_before = bench::process_cpu_time();
  const auto start = Clock::now();
  Fleet fleet;
  OPSGRAPH_TRY(start_fleet(*place, o, size, events, fleet));
  const auto running = Clock::now();
  const auto ended_before_running = events.ended();
  const Clock::time_point deadline = start + 60s + times(100ms, o.tasks);
  OPSGRAPH_TRY(auto saw_every_end, wait_all_ended(*front, events, o.tasks, deadline));
  const auto cpu = bench::process_cpu_time() - cpu_before;
  const auto end = saw_every_end ? events.last_end() : Clock::now();

  f.start_ms = ms_between(start, running);
  f.missed_events = !saw_every_end;
  f.tasks_per_s = static_cast<double>(o.tasks) / (ms_between(start, end) / 1000.0);
  f.all_running_tasks_per_s =
      static_cast<double>(o.tasks - ended_before_running) / (ms_between(running, end) / 1000.0);
  for (auto n : events.ended_by_worker())
    f.by_worker += (f.by_worker.empty() ? "" : "/") + std::to_string(n);
  f.cpu_ms_per_task = std::chrono::duration<double, std::milli>(cpu).count() / o.tasks;
  f.not_completed = events.not_completed();
  return ok();
}

// The workers start and go idle (half a second: their first claims find nothing); then the front
// end submits one task every `gap`, and each task's latency runs from execute() returning to the
// first event a worker reports for it.
result<void> measure_claim_latency(bench::Places& places, const Options& o, std::size_t size,
                                   Figures& f) {
  OPSGRAPH_TRY(auto place, places.fresh());
  OPSGRAPH_TRY(auto front, engine_on(*place, false, "fleet-front", o));
  bench::FleetEvents events;
  Fleet fleet;
  OPSGRAPH_TRY(start_fleet(*place, o, size, events, fleet));
  std::this_thread::sleep_for(500ms);

  struct Submitted {
    std::string id;
    Clock::time_point called, returned;
  };
  std::vector<Submitted> submitted;
  std::vector<double> execute_ms;
  const auto begin = Clock::now();
  for (std::size_t i = 0; i < o.latency_tasks; ++i) {
    std::this_thread::sleep_until(begin + times(o.gap, i));
    const auto called = Clock::now();
    OPSGRAPH_TRY(auto task, front->execute(bench::request_for(i, /*gated_every=*/0)));
    const auto back = Clock::now();
    submitted.push_back(Submitted{std::move(task.task_id), called, back});
    execute_ms.push_back(ms_between(called, back));
  }
  const Clock::time_point deadline =
      Clock::now() + 60s + o.poll * 2 + times(100ms, o.latency_tasks);
  OPSGRAPH_TRY(wait_all_ended(*front, events, o.latency_tasks, deadline));

  // A worker may see a task before execute() returns (the task is claimable once stored; the
  // "created" event is written after): such a latency counts as 0 from the return.
  std::vector<double> from_return_ms, from_call_ms;
  for (const auto& task : submitted) {
    const auto first = events.first_seen(task.id);
    if (!first)
      return fail(errc::internal, "no worker reported task " + task.id);
    if (*first < task.returned)
      ++f.seen_before_return;
    from_return_ms.push_back(std::max(0.0, ms_between(task.returned, *first)));
    from_call_ms.push_back(ms_between(task.called, *first));
  }
  f.claim_p50_ms = bench::percentile(from_return_ms, 50);
  f.claim_p99_ms = bench::percentile(from_return_ms, 99);
  f.claim_from_call_p50_ms = bench::percentile(from_call_ms, 50);
  f.claim_from_call_p99_ms = bench::percentile(from_call_ms, 99);
  f.execute_p50_ms = bench::percentile(execute_ms, 50);
  f.latency_not_completed = events.not_completed();
  return ok();
}

// ---- output

const char* store_title(const Options& o) {
  return o.store == bench::StoreKind::sqlite ? "SQLite (WAL, NORMAL)" : "PostgreSQL";
}

void print_run(std::size_t repetition, std::size_t size, const Figures& f) {
  std::printf(
      "run %zu, %zu worker%s: %.0f tasks/s (%.0f with all running; workers' start %.0f ms, CPU "
      "%.2f ms/task, by worker %s, not completed %zu%s)\n"
      "    claim p50 %.1f ms  p99 %.1f ms (from the call: p50 %.1f ms  p99 %.1f ms; execute() "
      "p50 %.2f ms, %zu seen before it returned, not completed %zu)\n",
      repetition, size, size == 1 ? "" : "s", f.tasks_per_s, f.all_running_tasks_per_s, f.start_ms,
      f.cpu_ms_per_task, f.by_worker.c_str(), f.not_completed,
      f.missed_events ? ", last end from store counts" : "", f.claim_p50_ms, f.claim_p99_ms,
      f.claim_from_call_p50_ms, f.claim_from_call_p99_ms, f.execute_p50_ms, f.seen_before_return,
      f.latency_not_completed);
  std::fflush(stdout);
}

double median_of(const std::vector<Figures>& runs, double Figures::*field) {
  std::vector<double> values;
  for (const auto& f : runs)
    values.push_back(f.*field);
  return bench::median(std::move(values));
}

void print_medians(const Options& o, const std::vector<std::vector<Figures>>& by_size) {
  std::printf(
      "\nmedians of %zu repetitions: %zu tasks (throughput); %zu tasks one every %lld ms (claim "
      "latency from execute() returning, and from its call), poll_interval %lld ms; not "
      "completed: the sum over all repetitions\n\n",
      o.repetitions, o.tasks, o.latency_tasks, static_cast<long long>(o.gap.count()),
      static_cast<long long>(o.poll.count()));
  std::printf(
      "| store | workers | tasks/s | with all running | not completed | CPU per task | claim p50 "
      "| claim p99 | from the call p50 / p99 |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (std::size_t s = 0; s < o.workers.size(); ++s) {
    const auto& runs = by_size[s];
    std::size_t not_completed = 0;
    for (const auto& f : runs)
      not_completed += f.not_completed + f.latency_not_completed;
    std::printf("| %s | %zu | %.0f | %.0f | %zu | %.2f ms | %.1f ms | %.1f ms | %.1f / %.1f ms |\n",
                store_title(o), o.workers[s], median_of(runs, &Figures::tasks_per_s),
                median_of(runs, &Figures::all_running_tasks_per_s), not_completed,
                median_of(runs, &Figures::cpu_ms_per_task), median_of(runs, &Figures::claim_p50_ms),
                median_of(runs, &Figures::claim_p99_ms),
                median_of(runs, &Figures::claim_from_call_p50_ms),
                median_of(runs, &Figures::claim_from_call_p99_ms));
  }
}

int run(int argc, char** argv) {
  auto parsed = bench::parse_args(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "%s: %s\nusage: %s %s\n", argv[0], parsed.error().message.c_str(), argv[0],
                 bench::kUsage);
    return kBadUsage;
  }
  const Options& o = parsed.value();
  bench::Places places(o.store, o.dsn);
  if (auto reachable = places.check_reachable(5s); !reachable) {
    std::fprintf(stderr, "%s: the store cannot be opened: %s\n", argv[0],
                 reachable.error().message.c_str());
    return kBadUsage;
  }

  std::printf("store=%s tasks=%zu latency_tasks=%zu gap_ms=%lld poll_ms=%lld max_running=%s\n",
              store_title(o), o.tasks, o.latency_tasks, static_cast<long long>(o.gap.count()),
              static_cast<long long>(o.poll.count()),
              o.max_running > 0 ? std::to_string(o.max_running).c_str() : "default");
  std::vector<std::vector<Figures>> by_size(o.workers.size());
  int status = 0;
  // Fleet sizes alternate within each repetition, so that a change in the machine's load
  // touches every size alike.
  for (std::size_t r = 1; r <= o.repetitions; ++r) {
    for (std::size_t s = 0; s < o.workers.size(); ++s) {
      Figures f;
      auto measured = measure_throughput(places, o, o.workers[s], f);
      if (measured)
        measured = measure_claim_latency(places, o, o.workers[s], f);
      if (!measured) {
        std::fprintf(stderr, "run %zu, %zu workers: %s\n", r, o.workers[s],
                     measured.error().message.c_str());
        return 1;
      }
      print_run(r, o.workers[s], f);
      if (f.not_completed > 0 || f.latency_not_completed > 0)
        status = 1;
      by_size[s].push_back(f);
    }
  }
  print_medians(o, by_size);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: an unknown exception\n", argv[0]);
  }
  return 1;
}
