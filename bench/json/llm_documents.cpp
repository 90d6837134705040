// Sample answers and streams for the LLM parse benchmark, written with json::Writer so that every
// escape is what a server would produce.

#include "llm_documents.hpp"

#include <opsgraph/core/json_writer.hpp>
#include <string>
#include <string_view>

namespace bench::llm {

namespace json = opsgraph::json;

namespace {

constexpr std::string_view kEvidence[] = {
    "perfmon: \"% Processor Time\" for svchost.exe (PID 4120) averaged 97.8% over 30 min",
    "Event 7036: the Windows Update service entered the running state at 02:14 after KB5034441",
    "wmiprvse.exe\\WMI-Activity\\Operational shows 1,240 queries/min from a SCCM client policy",
    "C:\\Windows\\Logs\\CBS\\CBS.log grew by 2.1 GB since the patch; TrustedInstaller is busy",
};

constexpr std::string_view kSteps[] = {
    "Run `Get-Process svchost | Sort-Object CPU -Descending | Select -First 5`",
    "Map the PID to its services with `tasklist /svc /fi \"PID eq 4120\"`",
    "Stop and disable the offending service: `Stop-Service wuauserv -Force`",
    "Collect a 5-minute ETW trace: `wpr -start CPU -filemode` then `wpr -stop C:\\Temp\\cpu.etl`",
};

// The diagnosis an agent asks for, with `solutions` solutions; about 700 bytes each.
std::string diagnosis(std::size_t solutions) {
  json::Writer w(4096);
  w.begin_object();
  w.key("problem").string("APP01 has been at 100% CPU since the October cumulative update");
  w.key("problem_identified").boolean(true);
  w.key("root_cause")
      .string(
          "A servicing stack loop: the Windows Update service re-scans the component store "
          "after every failed \"KB5034441\" install attempt, pinning one core per scan.");
  w.key("evidence").begin_array();
  for (std::string_view e : kEvidence)
    w.string(e);
  w.end_array();
  w.key("solutions").begin_array();
  for (std::size_t i = 0; i < solutions; ++i) {
    w.begin_object();
    w.key("title").string("Break the update retry loop (option " + std::to_string(i + 1) + ")");
    w.key("description")
        .string(
            "Hide the failing update, reset the SoftwareDistribution folder and let the "
            "servicing stack settle; verify CPU returns below 20% within 15 minutes.");
    w.key("steps").begin_array();
    for (std::string_view s : kSteps)
      w.string(s);
    w.end_array();
    w.key("confidence").string(i == 0 ? "high" : "medium");
    w.key("score").number(0.86 - 0.01 * static_cast<double>(i));
    w.end_object();
  }
  w.end_array();
  w.key("confidence").number(0.82);
  w.key("affected_components")
      .begin_array()
      .string("wuauserv")
      .string("TrustedInstaller")
      .end_array();
  w.end_object();
  return w.take();
}

std::string answer_with(const std::string& content) {
  json::Writer w(content.size() * 2 + 512);
  w.begin_object();
  w.key("id").string("chatcmpl-AYx8uGQ2t1dZ4vJ8b0qW3nQ5kV7rP");
  w.key("object").string("chat.completion");
  w.key("created").integer(1732600000);
  w.key("model").string("gpt-4o-2024-08-06");
  w.key("choices").begin_array().begin_object();
  w.key("index").integer(0);
  w.key("message").begin_object();
  w.key("role").string("assistant");
  w.key("content").string(content);
  w.key("refusal").null();
  w.end_object();
  w.key("logprobs").null();
  w.key("finish_reason").string("stop");
  w.end_object().end_array();
  w.key("usage").begin_object();
  w.key("prompt_tokens").integer(1843);
  w.key("completion_tokens").integer(static_cast<std::int64_t>(content.size() / 4));
  w.key("total_tokens").integer(1843 + static_cast<std::int64_t>(content.size() / 4));
  w.end_object();
  w.key("system_fingerprint").string("fp_7f6be3efb0");
  w.end_object();
  return w.take();
}

void write_chunk_head(json::Writer& w) {
  w.key("id").string("chatcmpl-AYx8uGQ2t1dZ4vJ8b0qW3nQ5kV7rP");
  w.key("object").string("chat.completion.chunk");
  w.key("created").integer(1732600000);
  w.key("model").string("gpt-4o-2024-08-06");
  w.key("system_fingerprint").string("fp_7f6be3efb0");
}

std::string content_chunk(std::string_view delta, bool last) {
  json::Writer w(256);
  w.begin_object();
  write_chunk_head(w);
  w.key("choices").begin_array().begin_object();
  w.key("index").integer(0);
  w.key("delta").begin_object().key("content").string(delta).end_object();
  w.key("logprobs").null();
  if (last) {
    w.key("finish_reason").string("stop");
  } else {
    w.key("finish_reason").null();
  }
  w.end_object().end_array();
  w.key("usage").null();
  w.end_object();
  return w.take();
}

std::string usage_chunk(std::int64_t completion_tokens) {
  json::Writer w(256);
  w.begin_object();
  write_chunk_head(w);
  w.key("choices").begin_array().end_array();
  w.key("usage").begin_object();
  w.key("prompt_tokens").integer(1843);
  w.key("completion_tokens").integer(completion_tokens);
  w.key("total_tokens").integer(1843 + completion_tokens);
  w.end_object();
  w.end_object();
  return w.take();
}

}  // namespace

std::string completion_answer(std::size_t target_bytes) {
  std::size_t solutions = 0;
  std::string answer = answer_with(diagnosis(solutions));
  while (answer.size() < target_bytes)
    answer = answer_with(diagnosis(++solutions));
  return answer;
}

std::string completion_stream(std::size_t chunks) {
  // Deltas of four to eight bytes, as tokenizers cut text.
  const std::string text = diagnosis(chunks / 100 + 1);
  std::string body;
  std::size_t at = 0;
  for (std::size_t i = 0; i < chunks; ++i) {
    const std::size_t size = 4 + i % 5;
    const std::string_view delta = std::string_view(text).substr(at % text.size(), size);
    at += size;
    body += "data: " + content_chunk(delta, i + 1 == chunks) + "\n\n";
  }
  body += "data: " + usage_chunk(static_cast<std::int64_t>(chunks)) + "\n\n";
  body += "data: [DONE]\n\n";
  return body;
}

}  // namespace bench::llm
