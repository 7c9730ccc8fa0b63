// RFC 6455 conformance of the real server, spoken in raw frames: every malformed frame closes
// its own connection with the right code, a ping gets its pong, and a participant connected
// all along carries on as if nothing happened.
#include <catch2/catch.hpp>
#include <functional>

#include "../integration/server_process.hpp"
#include "../integration/ws_client.hpp"
#include "raw_socket.hpp"

using namespace quorum::hardening;
using namespace quorum::testing;
using nlohmann::json;

namespace {

constexpr std::uint8_t text_op = 0x1, binary_op = 0x2, close_op = 0x8, ping_op = 0x9;

std::string close_payload(int code, std::string_view reason = {}) {
    std::string p;
    p += static_cast<char>((code >> 8) & 0xff);
    p += static_cast<char>(code & 0xff);
    return p.append(reason);
}

}  // namespace

TEST_CASE("malformed WebSocket frames get the right close code; other clients carry on") {
    const TempDir temp_dir("quorum-conformance");
    const auto& dir = temp_dir.path();
    ServerProcess server(quorum_binary(), dir + "/q.db");
    const auto port = server.port();
    const std::string code = create_session(port, "Conformance", {"Leeds"}).code;
    WsClient bystander(port);
    auto welcome =
        bystander.request({{"type", "join"}, {"protocol", 1}, {"code", code}, {"area", "Leeds"}});
    REQUIRE(welcome["type"] == "welcome");

    const std::string ping_json = R"({"type":"ping","req":1})";
    const std::string big(16385, 'x');
    const std::vector<std::tuple<std::string, std::function<std::string()>, int>> cases{
        {"unmasked client frame", [&] { return frame(text_op, ping_json, true, false); }, 1002},
        {"invalid UTF-8 in a text frame", [] { return frame(text_op, "{\"type\":\"\xc3\x28\"}"); },
         1007},
        {"overlong UTF-8 encoding", [] { return frame(text_op, "\"\xc0\xaf\""); }, 1007},
        {"UTF-16 surrogate in UTF-8", [] { return frame(text_op, "\"\xed\xa0\x80\""); }, 1007},
        {"invalid UTF-8 split across fragments",
         [] { return frame(text_op, "\"\xe2\x82", false) + frame(0x0, "\x28\"", true); }, 1007},
        {"control frame with a 126-byte payload",
         [] { return frame(ping_op, std::string(126, 'p')); }, 1002},
        {"fragmented control frame", [] { return frame(ping_op, "p", false); }, 1002},
        {"reserved bit 1 set (no extension agreed)",
         [&] { return frame(text_op, ping_json, true, true, 4); }, 1002},
        {"reserved bit 2 set", [&] { return frame(text_op, ping_json, true, true, 2); }, 1002},
        {"reserved bit 3 set", [&] { return frame(text_op, ping_json, true, true, 1); }, 1002},
        {"reserved opcode", [&] { return frame(0x3, ping_json); }, 1002},
        {"reserved control opcode", [] { return frame(0xB, "x"); }, 1002},
        {"continuation with nothing to continue", [&] { return frame(0x0, ping_json); }, 1002},
        {"new message inside a fragmented one",
         [&] { return frame(text_op, "{", false) + frame(text_op, ping_json); }, 1002},
        {"close frame with a one-byte payload", [] { return frame(close_op, "x"); }, 1002},
        {"close frame with a reserved code", [] { return frame(close_op, close_payload(1005)); },
         1002},
        {"close frame with an out-of-range code",
         [] { return frame(close_op, close_payload(999)); }, 1002},
        {"message of 16 385 bytes in one frame", [&] { return frame(text_op, big); }, 1009},
        {"message over the limit in fragments",
         [&] {
             std::string out = frame(text_op, std::string(8000, 'a'), false);
             out += frame(0x0, std::string(8000, 'b'), false);
             return out + frame(0x0, std::string(1000, 'c'), true);
         },
         1009},
        {"frame header announcing 2^62 bytes",
         [] {
             std::string f;
             f += static_cast<char>(0x81);
             f += static_cast<char>(0xff);
             f += std::string("\x40\x00\x00\x00\x00\x00\x00\x00", 8);
             return f + "abcd";
         },
         1009},
        {"binary frame", [] { return frame(binary_op, "\x01\x02"); }, 1003},
    };
    for (const auto& [what, make, expected] : cases) {
        INFO(what);
        RawSocket raw(port, std::chrono::seconds(10));
        REQUIRE(upgrade(raw, port) == 101);
        raw.send(make());
        const int code_received = read_close_code(raw);
        CHECK(code_received == expected);
        // Answer the close, as a client should (after a protocol error the server has already
        // hung up; after a policy close such as 1003 it waits for this).
        raw.send(frame(close_op, close_payload(code_received)));
        CHECK(raw.closed_by_peer(std::chrono::seconds(5)));
        // The participant connected all along notices nothing.
        CHECK(bystander.request({{"type", "ping"}})["type"] == "pong");
    }

    {
        INFO("a ping gets a pong with the same payload, and the connection stays usable");
        RawSocket raw(port);
        REQUIRE(upgrade(raw, port) == 101);
        raw.send(frame(ping_op, "are you there?"));
        auto pong = read_frame(raw);
        REQUIRE(pong);
        CHECK(pong->opcode == 0xA);
        CHECK(pong->payload == "are you there?");
        raw.send(frame(ping_op, ""));
        auto empty = read_frame(raw);
        REQUIRE(empty);
        CHECK(empty->opcode == 0xA);
        CHECK(empty->payload.empty());
        // A ping between the fragments of a message is allowed and answered.
        raw.send(frame(text_op, R"({"type":)", false) + frame(ping_op, "mid") +
                 frame(0x0, R"("ping","req":5})", true));
        auto mid = read_frame(raw);
        REQUIRE(mid);
        CHECK(mid->opcode == 0xA);
        CHECK(mid->payload == "mid");
        auto reply = read_frame(raw);
        REQUIRE(reply);
        CHECK(reply->opcode == text_op);
        CHECK(json::parse(reply->payload) == json{{"type", "pong"}, {"req", 5}});
        // Exactly 16 384 bytes is not too big.
        std::string padded = R"({"type":"ping","req":")";
        padded += std::string(16384 - padded.size() - 2, 'r');
        padded += "\"}";
        REQUIRE(padded.size() == 16384);
        raw.send(frame(text_op, padded));
        auto answer = read_frame(raw);
        REQUIRE(answer);
        CHECK(answer->opcode == text_op);
        CHECK(json::parse(answer->payload)["code"] == "bad_message");  // req too long, not too big
        // A clean close is answered with a close.
        raw.send(frame(close_op, close_payload(1000)));
        CHECK(read_close_code(raw) == 1000);
    }

    {
        INFO("a request that is not a valid upgrade is refused before any frame");
        auto status = [&](const std::string& version_header, const std::string& path) {
            RawSocket raw(port);
            raw.send("GET " + path +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                     version_header + "\r\n");
            auto head = raw.read_until("\r\n\r\n");
            REQUIRE(head);
            return std::stoi(head->substr(9, 3));
        };
        CHECK(status("", "/ws") == 400);
        CHECK(status("Sec-WebSocket-Version: 8\r\n", "/ws") == 426);
        CHECK(status("Sec-WebSocket-Version: 13\r\n", "/other") == 404);
        CHECK(status("Sec-WebSocket-Version: 13\r\n", "/ws") == 101);
    }

    // Still the same connection, still working, and the server took no harm.
    CHECK(
        bystander.request(
            {{"type", "vote"}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 3}})["code"] ==
        "not_current_scenario");
    CHECK(http_request(port, "GET", "/healthz").status == 200);
}
