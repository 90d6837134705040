#include "fleet_options.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <string_view>

namespace opsgraph::bench {
namespace {

result<std::size_t> count_flag(std::string_view flag, std::string_view text, std::size_t lowest,
                               std::size_t highest) {
  std::size_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || at != end || value < lowest || value > highest) {
    return fail(errc::invalid_argument,
                std::string(flag) + ": '" + std::string(text) + "' is not a whole number from " +
                    std::to_string(lowest) + " to " + std::to_string(highest));
  }
  return value;
}

result<std::vector<std::size_t>> workers_flag(std::string_view text) {
  std::vector<std::size_t> out;
  while (true) {
    const auto comma = text.find(',');
    OPSGRAPH_TRY(auto n, count_flag("--workers", text.substr(0, comma), 1, 64));
    out.push_back(n);
    if (comma == std::string_view::npos)
      return out;
    text.remove_prefix(comma + 1);
  }
}

// The DSN in a state file of scripts/start-postgres (the line OPSGRAPH_PG_DSN=...).
result<std::string> dsn_from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return fail(errc::invalid_argument, "--dsn-file: " + path + " cannot be read");
  constexpr std::string_view kKey = "OPSGRAPH_PG_DSN=";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(kKey, 0) == 0 && line.size() > kKey.size())
      return line.substr(kKey.size());
  }
  return fail(errc::invalid_argument, "--dsn-file: " + path + " has no OPSGRAPH_PG_DSN= line");
}

}  // namespace

const char* const kUsage =
    "[--store sqlite|postgres] [--dsn DSN | --dsn-file FILE] [--workers 1,2,4]\n"
    "          [--tasks N] [--latency-tasks N] [--repetitions N] [--poll-ms MS] [--gap-ms MS]\n"
    "          [--max-running N]";

result<Options> parse_args(int argc, char** argv) {
  Options o;
  std::string dsn_file;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc)
      return fail(errc::invalid_argument, std::string(flag) + ": a value is missing");
    const std::string_view value = argv[i + 1];
    if (flag == "--store") {
      if (value != "sqlite" && value != "postgres")
        return fail(errc::invalid_argument,
                    "--store: sqlite or postgres, not '" + std::string(value) + "'");
      o.store = value == "sqlite" ? StoreKind::sqlite : StoreKind::postgres;
    } else if (flag == "--dsn") {
      o.dsn = value;
    } else if (flag == "--dsn-file") {
      dsn_file = value;
    } else if (flag == "--workers") {
      OPSGRAPH_TRY(o.workers, workers_flag(value));
    } else if (flag == "--tasks") {
      OPSGRAPH_TRY(o.tasks, count_flag(flag, value, 1, 1'000'000));
    } else if (flag == "--latency-tasks") {
      OPSGRAPH_TRY(o.latency_tasks, count_flag(flag, value, 1, 100'000));
    } else if (flag == "--repetitions") {
      OPSGRAPH_TRY(o.repetitions, count_flag(flag, value, 1, 100));
    } else if (flag == "--poll-ms") {
      OPSGRAPH_TRY(auto ms, count_flag(flag, value, 1, 3'600'000));
      o.poll = std::chrono::milliseconds{ms};
    } else if (flag == "--gap-ms") {
      OPSGRAPH_TRY(auto ms, count_flag(flag, value, 0, 60'000));
      o.gap = std::chrono::milliseconds{ms};
    } else if (flag == "--max-running") {
      OPSGRAPH_TRY(o.max_running, count_flag(flag, value, 1, 1'000'000));
    } else {
      return fail(errc::invalid_argument, "unknown flag '" + std::string(flag) + "'");
    }
  }
  if (o.store == StoreKind::sqlite)
    return o;
  if (!postgres_built())
    return fail(errc::invalid_argument, "--store postgres: this build has no PostgreSQL store");
  if (o.dsn.empty() && !dsn_file.empty()) {
    OPSGRAPH_TRY(o.dsn, dsn_from_file(dsn_file));
  }
  if (const char* env = std::getenv("OPSGRAPH_PG_DSN"); o.dsn.empty() && env != nullptr)
    o.dsn = env;
  if (o.dsn.empty())
    return fail(errc::invalid_argument,
                "--store postgres needs --dsn, --dsn-file or "
                "$OPSGRAPH_PG_DSN");
  return o;
}

}  // namespace opsgraph::bench
