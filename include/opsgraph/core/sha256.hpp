#pragma once
// SHA-256 digests for content addressing: the hash of an approved plan or script, a cassette's
// request key. Stateless; thread-safe.

#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph {

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
OPSGRAPH_API std::string sha256_hex(std::string_view bytes);

/// "sha256:" followed by sha256_hex(bytes): the form opsgraph shows and compares hashes in.
OPSGRAPH_API std::string content_hash(std::string_view bytes);

}  // namespace opsgraph
