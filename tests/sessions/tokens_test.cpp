#include "sessions/tokens.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "sessions/sha256.hpp"

using namespace quorum;

namespace {
RandomSource seeded(unsigned seed) {
    auto engine = std::make_shared<std::mt19937>(seed);
    return [engine](std::span<std::uint8_t> out) {
        for (auto& b : out) b = static_cast<std::uint8_t>((*engine)() & 0xFF);
    };
}
}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // 55, 56 and 64 bytes straddle the padding boundaries.
    CHECK(sha256_hex(std::string(55, 'a')) ==
          "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(sha256_hex(std::string(56, 'a')) ==
          "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(sha256_hex(std::string(64, 'a')) ==
          "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("join codes use only unambiguous characters") {
    auto random = seeded(7);
    std::set<std::string> codes;
    for (int i = 0; i < 500; ++i) {
        auto code = make_join_code(random);
        REQUIRE(code.size() == 6);
        for (char c : code) {
            CHECK(std::string("0O1IL").find(c) == std::string::npos);
            CHECK(((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '9')));
        }
        codes.insert(code);
    }
    CHECK(codes.size() > 490);  // 31^6 codes: collisions in 500 draws are vanishingly rare
    CHECK(normalise_join_code(" abc-23 4 ") == "ABC234");
}

TEST_CASE("tokens are 128-bit hex and stored as hashes") {
    auto random = seeded(1);
    auto a = make_token(random);
    auto b = make_token(random);
    CHECK(a.size() == 32);
    CHECK(a != b);
    CHECK(hash_token(a) == sha256_hex(a));
    CHECK(hash_token(a) != a);
    CHECK(constant_time_equal(hash_token(a), hash_token(a)));
    CHECK_FALSE(constant_time_equal(hash_token(a), hash_token(b)));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
}
