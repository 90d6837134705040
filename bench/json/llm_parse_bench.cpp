// Parsing LLM answers into ChatResponse: the production simdjson path (wire::decode_response,
// wire::StreamAssembler) against a RapidJSON DOM baseline, with memcpy of the same bytes as the
// ceiling and simdjson over the outer object alone (content left escaped) as the practical limit.
//
//   opsgraph_llm_parse_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <opsgraph/llm/chat.hpp>
#include <string>
#include <vector>

#include "llm/openai_wire.hpp"
#include "llm/stream_assembler.hpp"
#include "llm_baselines.hpp"
#include "llm_documents.hpp"

namespace {

using opsgraph::llm::ChatResponse;
namespace wire = opsgraph::llm::wire;

constexpr std::size_t kStreamChunks = 500;

[[noreturn]] void disagree(const char* what) {
  std::fprintf(stderr, "llm_parse_bench: %s\n", what);
  std::abort();
}

opsgraph::result<ChatResponse> assemble(const std::string& body) {
  wire::StreamAssembler assembler([](std::string_view delta) { benchmark::DoNotOptimize(delta); });
  OPSGRAPH_TRY(assembler.feed(body));
  return assembler.finish();
}

// Every path must read the same answer before any of them is timed.
void check_answer(const std::string& body) {
  const auto production = wire::decode_response(body);
  ChatResponse baseline;
  if (!production || !bench::llm::rapidjson_answer(body, baseline) ||
      production.value() != baseline || bench::llm::outer_only_answer(body) == 0) {
    disagree("the answer parsers disagree");
  }
}

void check_stream(const std::string& body) {
  const auto production = assemble(body);
  ChatResponse baseline;
  if (!production || !bench::llm::rapidjson_stream(body, baseline) ||
      production.value() != baseline || bench::llm::outer_only_stream(body) == 0) {
    disagree("the stream parsers disagree");
  }
}

const std::string& answer(std::size_t kib) {
  static std::map<std::size_t, std::string> answers;
  auto [it, added] = answers.try_emplace(kib);
  if (added) {
    it->second = bench::llm::completion_answer(kib * 1024);
    check_answer(it->second);
  }
  return it->second;
}

const std::string& stream() {
  static const std::string body = [] {
    std::string s = bench::llm::completion_stream(kStreamChunks);
    check_stream(s);
    return s;
  }();
  return body;
}

void set_bytes(benchmark::State& state, const std::string& document) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document.size()));
  state.counters["doc_bytes"] = static_cast<double>(document.size());
  state.counters["ns_per_doc"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Answer_Memcpy(benchmark::State& state) {
  const std::string& body = answer(static_cast<std::size_t>(state.range(0)));
  std::vector<char> copy(body.size());
  for (auto _ : state) {
    std::memcpy(copy.data(), body.data(), body.size());
    benchmark::ClobberMemory();
  }
  set_bytes(state, body);
}

void BM_Answer_Production(benchmark::State& state) {
  const std::string& body = answer(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto response = wire::decode_response(body);
    benchmark::DoNotOptimize(response);
  }
  set_bytes(state, body);
}

void BM_Answer_RapidJsonDom(benchmark::State& state) {
  const std::string& body = answer(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    ChatResponse response;
    const bool ok = bench::llm::rapidjson_answer(body, response);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(response);
  }
  set_bytes(state, body);
}

void BM_Answer_OuterOnly(benchmark::State& state) {
  const std::string& body = answer(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(bench::llm::outer_only_answer(body));
  set_bytes(state, body);
}

BENCHMARK(BM_Answer_Memcpy)->Arg(1)->Arg(8)->Arg(64)->ArgName("KiB");
BENCHMARK(BM_Answer_Production)->Arg(1)->Arg(8)->Arg(64)->ArgName("KiB");
BENCHMARK(BM_Answer_RapidJsonDom)->Arg(1)->Arg(8)->Arg(64)->ArgName("KiB");
BENCHMARK(BM_Answer_OuterOnly)->Arg(1)->Arg(8)->Arg(64)->ArgName("KiB");

void BM_Stream_Memcpy(benchmark::State& state) {
  const std::string& body = stream();
  std::vector<char> copy(body.size());
  for (auto _ : state) {
    std::memcpy(copy.data(), body.data(), body.size());
    benchmark::ClobberMemory();
  }
  set_bytes(state, body);
}
BENCHMARK(BM_Stream_Memcpy);

void BM_Stream_Production(benchmark::State& state) {
  const std::string& body = stream();
  for (auto _ : state) {
    auto response = assemble(body);
    benchmark::DoNotOptimize(response);
  }
  set_bytes(state, body);
}
BENCHMARK(BM_Stream_Production);

void BM_Stream_RapidJsonDom(benchmark::State& state) {
  const std::string& body = stream();
  for (auto _ : state) {
    ChatResponse response;
    const bool ok = bench::llm::rapidjson_stream(body, response);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(response);
  }
  set_bytes(state, body);
}
BENCHMARK(BM_Stream_RapidJsonDom);

void BM_Stream_OuterOnly(benchmark::State& state) {
  const std::string& body = stream();
  for (auto _ : state)
    benchmark::DoNotOptimize(bench::llm::outer_only_stream(body));
  set_bytes(state, body);
}
BENCHMARK(BM_Stream_OuterOnly);

}  // namespace
