#pragma once
// Cryptographically secure bytes from the kernel, for tokens and join codes.
#include <cstdint>
#include <span>

namespace quorum {

/// Fills `out` from getrandom(2), retrying on EINTR and short reads; throws std::system_error
/// when the kernel cannot provide randomness.
void os_random_bytes(std::span<std::uint8_t> out);

}  // namespace quorum
