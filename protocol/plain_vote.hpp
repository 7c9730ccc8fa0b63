#pragma once
// The busiest message, a vote, decoded without building a JSON tree. Only the plain shape is
// handled: one flat object with the vote's known fields, each at most once, ASCII strings without
// escapes, whole numbers, all values valid. Anything else, valid or not, returns nullopt and goes
// to the full decoder, which decides and words any error; so this path can only ever accept what
// the full decoder would accept, with the same result (tests/protocol/plain_vote_test.cpp).
#include <optional>
#include <string_view>

#include "protocol/messages.hpp"

namespace quorum::proto {

std::optional<ClientMessage> decode_plain_vote(std::string_view text);

}  // namespace quorum::proto
