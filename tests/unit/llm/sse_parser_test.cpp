// The event-stream parser: events are the same however the bytes are split.

#include "llm/sse_parser.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "unit/llm/wire_samples.hpp"

namespace opsgraph::llm {
namespace {

using wire::SseEvent;
using wire::SseParser;

std::vector<SseEvent> parse_in_pieces(std::string_view stream,
                                      const std::vector<std::size_t>& cuts) {
  SseParser parser;
  std::vector<SseEvent> events;
  const auto collect = [&events](const SseEvent& e) {
    events.push_back(e);
    return true;
  };
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    EXPECT_TRUE(parser.feed(stream.substr(from, cut - from), collect));
    from = cut;
  }
  EXPECT_TRUE(parser.feed(stream.substr(from), collect));
  EXPECT_EQ(parser.pending(), 0u);
  return events;
}

std::vector<SseEvent> parse_whole(std::string_view stream) {
  return parse_in_pieces(stream, {});
}

TEST(SseParser, SampleStreamHasItsSixEvents) {
  const std::vector<SseEvent> events = parse_whole(testing::kOpenAiStream);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events.back().data, "[DONE]");
  EXPECT_TRUE(events.front().data.starts_with("{\"id\""));
}

TEST(SseParser, EverySplitPointGivesTheSameEvents) {
  const std::string_view stream = testing::kOpenAiStream;
  const std::vector<SseEvent> expected = parse_whole(stream);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut)
    ASSERT_EQ(parse_in_pieces(stream, {cut}), expected) << "split at " << cut;
}

TEST(SseParser, ByteByByteGivesTheSameEvents) {
  const std::string_view stream = testing::kOpenAiStream;
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < stream.size(); ++i)
    cuts.push_back(i);
  EXPECT_EQ(parse_in_pieces(stream, cuts), parse_whole(stream));
}

TEST(SseParser, RandomPiecesGiveTheSameEvents) {
  const std::string_view stream = testing::kOpenAiStream;
  const std::vector<SseEvent> expected = parse_whole(stream);
  std::mt19937 random(20261126);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    std::uniform_int_distribution<std::size_t> step(1, 40);
    for (std::size_t at = step(random); at < stream.size(); at += step(random))
      cuts.push_back(at);
    ASSERT_EQ(parse_in_pieces(stream, cuts), expected) << "round " << round;
  }
}

TEST(SseParser, LineEndsOfAllThreeKinds) {
  const std::vector<SseEvent> lf = parse_whole("data: a\ndata: b\n\n");
  const std::vector<SseEvent> crlf = parse_whole("data: a\r\ndata: b\r\n\r\n");
  const std::vector<SseEvent> cr = parse_whole("data: a\rdata: b\r\r");
  ASSERT_EQ(lf.size(), 1u);
  EXPECT_EQ(lf[0].data, "a\nb");
  EXPECT_EQ(crlf, lf);
  EXPECT_EQ(cr, lf);
}

TEST(SseParser, FieldsCommentsAndSpaces) {
  const std::vector<SseEvent> events = parse_whole(
      ": comment\n"
      "event: update\nid: 7\ndata:no-space\ndata:  two spaces\nretry: 100\nunknown: x\n\n"
      "data\n\n"
      "id\n\n"
      "data: after\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event, "update");
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[0].data, "no-space\n two spaces");
  EXPECT_EQ(events[1].event, "");  // the type is reset after each dispatch
  EXPECT_EQ(events[1].data, "");   // a bare "data" line is an empty data line
  EXPECT_EQ(events[1].id, "7");    // the last event id persists
  EXPECT_EQ(events[2].id, "");     // a bare "id" line clears it
  EXPECT_EQ(events[2].data, "after");
}

TEST(SseParser, EventsWithoutDataAreNotDispatched) {
  EXPECT_TRUE(parse_whole("event: ping\n\n: only a comment\n\n\n\n").empty());
}

TEST(SseParser, LeadingByteOrderMarkIsDropped) {
  const std::vector<SseEvent> events = parse_in_pieces(
      "\xEF\xBB\xBF"
      "data: x\n\n",
      {1, 2});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseParser, PendingCountsAnUnfinishedEvent) {
  SseParser parser;
  int calls = 0;
  const auto count = [&calls](const SseEvent&) {
    ++calls;
    return true;
  };
  EXPECT_TRUE(parser.feed("data: {\"a\":", count));
  EXPECT_EQ(parser.pending(), 11u);
  EXPECT_TRUE(parser.feed("1}\n", count));
  EXPECT_GT(parser.pending(), 0u);
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(parser.feed("\n", count));
  EXPECT_EQ(parser.pending(), 0u);
  EXPECT_EQ(calls, 1);
}

TEST(SseParser, StopsWhenTheCallbackSaysSo) {
  SseParser parser;
  std::vector<std::string> seen;
  const bool finished =
      parser.feed("data: 1\n\ndata: 2\n\ndata: 3\n\n", [&seen](const SseEvent& e) {
        seen.push_back(e.data);
        return e.data != "2";
      });
  EXPECT_FALSE(finished);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace opsgraph::llm
