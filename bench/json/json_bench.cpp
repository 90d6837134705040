// Task-record JSON: the typed codecs (json::decode / json::write) against hand-written RapidJSON
// (Document parse + walk, Writer by hand) in the same binary, plus the Value path for scale.
//
//   opsgraph_json_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <cstdlib>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <string>

#include "rapidjson_baseline.hpp"
#include "task_record.hpp"

namespace {

const bench::TaskRecord& record() {
  static const bench::TaskRecord r = bench::sample_record();
  return r;
}

bool paths_agree(const std::string& text) {
  const auto typed = json::decode<bench::TaskRecord>(text);
  bench::TaskRecord by_hand;
  const bool hand_ok = bench::baseline::read(text, by_hand);
  rapidjson::StringBuffer buffer;
  bench::baseline::TextWriter writer(buffer);
  bench::baseline::write(writer, record());
  const std::string hand_text(buffer.GetString(), buffer.GetSize());
  const auto value = json::parse(text);
  const auto from_value = value ? json::from_value<bench::TaskRecord>(value.value())
                                : json::from_value<bench::TaskRecord>(json::Value());
  return typed && typed.value() == record() && hand_ok && by_hand == record() &&
         hand_text == text && from_value && from_value.value() == record();
}

// The record as text. Every path must agree on it before any of them is timed.
const std::string& record_text() {
  static const std::string text = [] {
    std::string encoded = json::encode(record());
    if (!paths_agree(encoded)) {
      std::fprintf(stderr, "json_bench: the encode/decode paths disagree on the sample record\n");
      std::abort();
    }
    return encoded;
  }();
  return text;
}

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * record_text().size()));
  state.counters["record_bytes"] = static_cast<double>(record_text().size());
}

void BM_Decode_Typed(benchmark::State& state) {
  const std::string& text = record_text();
  for (auto _ : state) {
    auto out = json::decode<bench::TaskRecord>(text);
    benchmark::DoNotOptimize(out);
  }
  set_bytes(state);
}
BENCHMARK(BM_Decode_Typed);

void BM_Decode_ParseThenFromValue(benchmark::State& state) {
  const std::string& text = record_text();
  for (auto _ : state) {
    auto value = json::parse(text);
    auto out = json::from_value<bench::TaskRecord>(value.value());
    benchmark::DoNotOptimize(out);
  }
  set_bytes(state);
}
BENCHMARK(BM_Decode_ParseThenFromValue);

void BM_Decode_RapidJsonByHand(benchmark::State& state) {
  const std::string& text = record_text();
  for (auto _ : state) {
    bench::TaskRecord out;
    const bool ok = bench::baseline::read(text, out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  set_bytes(state);
}
BENCHMARK(BM_Decode_RapidJsonByHand);

void BM_Parse_Value(benchmark::State& state) {
  const std::string& text = record_text();
  for (auto _ : state) {
    auto value = json::parse(text);
    benchmark::DoNotOptimize(value);
  }
  set_bytes(state);
}
BENCHMARK(BM_Parse_Value);

void BM_Parse_RapidJsonDocument(benchmark::State& state) {
  const std::string& text = record_text();
  for (auto _ : state) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    benchmark::DoNotOptimize(doc.HasParseError());
  }
  set_bytes(state);
}
BENCHMARK(BM_Parse_RapidJsonDocument);

void BM_Encode_TypedReusedWriter(benchmark::State& state) {
  json::Writer writer;
  for (auto _ : state) {
    json::write(writer, record());
    benchmark::DoNotOptimize(writer.view().data());
    writer.clear();
  }
  set_bytes(state);
}
BENCHMARK(BM_Encode_TypedReusedWriter);

void BM_Encode_TypedToString(benchmark::State& state) {
  for (auto _ : state) {
    std::string text = json::encode(record());
    benchmark::DoNotOptimize(text);
  }
  set_bytes(state);
}
BENCHMARK(BM_Encode_TypedToString);

void BM_Encode_RapidJsonByHand(benchmark::State& state) {
  rapidjson::StringBuffer buffer;
  bench::baseline::TextWriter writer(buffer);
  for (auto _ : state) {
    buffer.Clear();
    writer.Reset(buffer);
    bench::baseline::write(writer, record());
    benchmark::DoNotOptimize(buffer.GetString());
  }
  set_bytes(state);
}
BENCHMARK(BM_Encode_RapidJsonByHand);

void BM_Dump_Value(benchmark::State& state) {
  const json::Value value = json::to_value(record());
  for (auto _ : state) {
    std::string text = json::dump(value);
    benchmark::DoNotOptimize(text);
  }
  set_bytes(state);
}
BENCHMARK(BM_Dump_Value);

}  // namespace
