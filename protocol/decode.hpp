#pragma once
// Strict decoding of client input: type, required fields, lengths, ranges; unknown fields refused.
// Never throws.
#include <string_view>
#include <variant>

#include "protocol/messages.hpp"
#include "sessions/session_config.hpp"

namespace quorum::proto {

/// Deepest JSON nesting accepted. Checked on the raw text before parsing, because nlohmann's
/// parser, copy and dump recurse.
constexpr int max_depth = 16;

std::variant<ClientMessage, DecodeError> decode(std::string_view text);
/// The same through a JSON tree only, without the shortcut for plain votes
/// (protocol/plain_vote.hpp).
std::variant<ClientMessage, DecodeError> decode_tree(std::string_view text);

/// Decodes the body of POST /api/sessions into a configuration (code and token hash left empty;
/// the domain's own checks run when the session is created).
std::variant<SessionConfig, DecodeError> decode_session_request(std::string_view body);

}  // namespace quorum::proto
