#pragma once
// Secrets handed to facilitators and participants. The domain keeps only their hashes; the
// randomness comes from the caller (the OS at the edge, a seeded generator in tests and demos).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace quorum {

/// Fills a buffer with random bytes.
using RandomSource = std::function<void(std::span<std::uint8_t>)>;

/// 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read aloud.
std::string make_join_code(const RandomSource& random);
/// Normalises what a person typed (case, spaces, dashes) into a join code.
std::string normalise_join_code(std::string_view typed);
/// 128 random bits, URL-safe hex: a facilitator or resume token.
std::string make_token(const RandomSource& random);
/// The stored form of a token.
std::string hash_token(std::string_view token);
/// Compares two strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace quorum
