#pragma once
// SHA-256 (FIPS 180-4), used to store tokens only as hashes.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace quorum {

std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace quorum
