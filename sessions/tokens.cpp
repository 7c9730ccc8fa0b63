#include "sessions/tokens.hpp"

#include <array>

#include "sessions/sha256.hpp"

namespace quorum {
namespace {
constexpr std::string_view code_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
}

std::string make_join_code(const RandomSource& random) {
    std::string code;
    while (code.size() < 6) {
        std::array<std::uint8_t, 8> bytes{};
        random(bytes);
        for (auto b : bytes) {
            // Rejection sampling keeps every character equally likely.
            if (b >= 256 - 256 % code_alphabet.size()) continue;
            code += code_alphabet[b % code_alphabet.size()];
            if (code.size() == 6) break;
        }
    }
    return code;
}

std::string normalise_join_code(std::string_view typed) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        code += c;
    }
    return code;
}

std::string make_token(const RandomSource& random) {
    static constexpr char digits[] = "0123456789abcdef";
    std::array<std::uint8_t, 16> bytes{};
    random(bytes);
    std::string token;
    for (auto b : bytes) {
        token += digits[b >> 4];
        token += digits[b & 0xF];
    }
    return token;
}

std::string hash_token(std::string_view token) { return sha256_hex(token); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace quorum
