#pragma once
// The baseline: the task record written and read with RapidJSON by hand, the way a careful
// programmer would without a codec layer (type checks on every member, no error paths, no UTF-8
// validation, no duplicate-name check).

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

#include "task_record.hpp"

namespace bench::baseline {

using TextWriter = rapidjson::Writer<rapidjson::StringBuffer>;

/// Writes `record` with RapidJSON's Writer, member by member.
void write(TextWriter& writer, const TaskRecord& record);

/// Parses `text` into a rapidjson::Document and walks it into `out`; false on any mismatch.
bool read(std::string_view text, TaskRecord& out);

}  // namespace bench::baseline
