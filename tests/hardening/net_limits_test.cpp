// Limits against abuse at the network edge, on an in-process server with small limits: rate
// limiting per connection, connection caps, the deadline for a whole request (slowloris), idle
// timeouts with ping/pong, and clients that stop reading.
#include <catch2/catch.hpp>
#include <thread>

#include "../integration/ws_client.hpp"
#include "in_process_server.hpp"
#include "raw_socket.hpp"

using namespace quorum;
using namespace quorum::hardening;
using namespace std::chrono_literals;
using nlohmann::json;
using quorum::testing::create_session;
using quorum::testing::Created;
using quorum::testing::http_request;
using quorum::testing::WsClient;

namespace {

void join(WsClient& ws, const std::string& code) {
    auto welcome =
        ws.request({{"type", "join"}, {"protocol", 1}, {"code", code}, {"area", "Leeds"}});
    REQUIRE(welcome["type"] == "welcome");
    ws.wait_for([](const json& m) { return m["type"] == "snapshot"; });
}

bool healthy(unsigned short port) {
    try {
        return http_request(port, "GET", "/healthz").status == 200;
    } catch (const std::exception&) {
        return false;
    }
}

std::uint64_t metric(unsigned short port, const std::string& name) {
    const auto text = http_request(port, "GET", "/metrics").body;
    const auto at = text.find("\n" + name + " ");
    REQUIRE(at != std::string::npos);
    return std::stoull(text.substr(at + name.size() + 2));
}

}  // namespace

TEST_CASE("a flooding connection is answered rate_limited, then closed with 1008; others go on") {
    NetOptions o;
    o.message_rate = 10;
    o.message_burst = 20;
    o.abuse_burst = 15;
    InProcessServer server(o);
    const auto s = create_session(server.port(), "Limits");
    WsClient flooder(server.port()), neighbour(server.port());
    join(flooder, s.code);
    join(neighbour, s.code);

    // A burst over the limit: the first ones pass, the rest are refused, each reply carrying the
    // request's id so the client knows which to resend.
    for (int i = 0; i < 30; ++i) flooder.send({{"type", "ping"}, {"req", 100 + i}});
    int pongs = 0, limited = 0;
    for (int i = 0; i < 30; ++i) {
        auto m = flooder.wait_for([](const json& m) { return m.contains("req"); });
        const int req = m["req"];
        CHECK(req >= 100);
        CHECK(req < 130);
        if (m["type"] == "pong") ++pongs;
        if (m["type"] == "error") {
            CHECK(m["code"] == "rate_limited");
            ++limited;
        }
    }
    CHECK(pongs >= 18);  // the burst, and what refilled meanwhile (more on a slow, sanitized build)
    CHECK(pongs <= 27);
    CHECK(limited == 30 - pongs);

    // Someone else on the server is not affected.
    CHECK(neighbour.request({{"type", "ping"}})["type"] == "pong");

    // After a pause the flooder is served again: a burst is not punished for ever.
    std::this_thread::sleep_for(1500ms);
    CHECK(flooder.request({{"type", "ping"}})["type"] == "pong");

    // Kept up, it is sent away.
    for (int i = 0; i < 200; ++i) flooder.send({{"type", "ping"}, {"req", 1000 + i}});
    CHECK(flooder.wait_for_close() == 1008);

    CHECK(neighbour.request({{"type", "ping"}})["type"] == "pong");
    WsClient newcomer(server.port());
    join(newcomer, s.code);
}

TEST_CASE("a ping flood counts against the same limit") {
    NetOptions o;
    o.message_rate = 10;
    o.message_burst = 10;
    o.abuse_burst = 10;
    InProcessServer server(o);
    RawSocket raw(server.port());
    REQUIRE(upgrade(raw, server.port()) == 101);
    std::string pings;
    for (int i = 0; i < 200; ++i) pings += frame(0x9, "x");
    raw.send(pings);
    CHECK(read_close_code(raw) == 1008);
    CHECK(healthy(server.port()));
}

TEST_CASE("connections are capped in total; a refused client gets in once others leave") {
    NetOptions o;
    o.max_connections = 4;
    InProcessServer server(o);
    std::vector<RawSocket> open;
    for (int i = 0; i < 4; ++i) open.emplace_back(server.port());
    std::this_thread::sleep_for(200ms);  // let the server accept them
    RawSocket extra(server.port());      // the kernel completes the handshake...
    CHECK(extra.closed_by_peer(3s));     // ...and the server closes it at once
    CHECK_FALSE(healthy(server.port()));

    open.pop_back();
    std::this_thread::sleep_for(200ms);
    CHECK(healthy(server.port()));
    // The four that were let in are still being served.
    REQUIRE(open.front().send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto head = open.front().read_until("\r\n\r\n");
    REQUIRE(head);
    CHECK(head->rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("connections are capped per address; loopback only when asked") {
    NetOptions o;
    o.max_connections_per_address = 3;
    o.limit_loopback = true;
    InProcessServer server(o);
    std::vector<RawSocket> from_one;
    for (int i = 0; i < 3; ++i) from_one.emplace_back(server.port(), 10s, "127.0.0.1");
    std::this_thread::sleep_for(200ms);
    RawSocket fourth(server.port(), 10s, "127.0.0.1");
    CHECK(fourth.closed_by_peer(3s));
    // Another address is not held back by the first one's connections.
    RawSocket other(server.port(), 10s, "127.0.0.2");
    REQUIRE(other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto head = other.read_until("\r\n\r\n");
    REQUIRE(head);
    CHECK(head->rfind("HTTP/1.1 200", 0) == 0);
    // WebSocket connections count too, and free their place when they end.
    from_one.clear();
    std::this_thread::sleep_for(200ms);
    {
        std::vector<std::unique_ptr<WsClient>> ws;
        for (int i = 0; i < 3; ++i) ws.push_back(std::make_unique<WsClient>(server.port()));
        RawSocket over(server.port(), 10s, "127.0.0.1");
        CHECK(over.closed_by_peer(3s));
        CHECK(ws[0]->request({{"type", "ping"}})["type"] == "pong");
    }
    std::this_thread::sleep_for(300ms);
    CHECK(healthy(server.port()));
}

TEST_CASE("by default loopback (a local reverse proxy) is not capped per address") {
    NetOptions o;
    o.max_connections_per_address = 2;
    InProcessServer server(o);
    std::vector<RawSocket> open;
    for (int i = 0; i < 6; ++i) open.emplace_back(server.port());
    std::this_thread::sleep_for(200ms);
    CHECK(healthy(server.port()));
}

TEST_CASE("a request trickled byte by byte is cut off at the deadline (slowloris)") {
    NetOptions o;
    o.request_timeout = 1000ms;
    InProcessServer server(o);
    for (const std::string& request :
         {std::string("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "),
          std::string("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: "),
          std::string(
              "POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")}) {
        INFO(request);
        RawSocket slow(server.port());
        const auto started = std::chrono::steady_clock::now();
        REQUIRE(slow.send(request));
        bool cut_off = false;
        for (int i = 0; i < 40 && !cut_off; ++i) {
            if (!slow.send("a")) break;  // steady progress, never finishing
            cut_off = slow.closed_by_peer(100ms);
        }
        if (!cut_off) cut_off = slow.closed_by_peer(2s);
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(cut_off);
        CHECK(took >= 900ms);
        CHECK(took < 3500ms);
    }
    // An idle keep-alive connection goes the same way.
    RawSocket idle(server.port());
    REQUIRE(idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE(idle.read_until("\r\n\r\n"));
    CHECK(idle.closed_by_peer(3s));
    CHECK(healthy(server.port()));
}

TEST_CASE("a silent WebSocket peer is pinged, then dropped; one that answers stays") {
    NetOptions o;
    o.idle_timeout = 1000ms;
    InProcessServer server(o);

    RawSocket dead(server.port());
    REQUIRE(upgrade(dead, server.port()) == 101);
    auto ping = read_frame(dead);
    REQUIRE(ping);
    CHECK(ping->opcode == 0x9);
    CHECK(dead.closed_by_peer(3s));

    RawSocket alive(server.port());
    REQUIRE(upgrade(alive, server.port()) == 101);
    const auto until = std::chrono::steady_clock::now() + 2500ms;
    int pings = 0;
    while (std::chrono::steady_clock::now() < until) {
        auto f = read_frame(alive);
        REQUIRE(f);
        if (f->opcode == 0x9) {
            ++pings;
            REQUIRE(alive.send(frame(0xA, f->payload)));
        }
    }
    CHECK(pings >= 2);
    REQUIRE(alive.send(frame(0x1, R"({"type":"ping","req":7})")));
    for (;;) {
        auto f = read_frame(alive);
        REQUIRE(f);
        if (f->opcode == 0x9) {
            alive.send(frame(0xA, f->payload));
            continue;
        }
        CHECK(f->opcode == 0x1);
        CHECK(json::parse(f->payload)["type"] == "pong");
        break;
    }
}

namespace {

/// A participant who joins over a raw socket and then stops reading.
RawSocket stalled_participant(unsigned short port, const std::string& code) {
    RawSocket raw(port, 10s);
    raw.small_receive_buffer();
    REQUIRE(upgrade(raw, port) == 101);
    raw.send(frame(
        0x1, json{{"type", "join"}, {"protocol", 1}, {"code", code}, {"area", "Leeds"}}.dump()));
    std::this_thread::sleep_for(200ms);
    return raw;
}

/// The facilitator over a raw socket (TCP_NODELAY, one write per frame: Beast's blocking client
/// writes a large masked frame in pieces, and Nagle's algorithm would add 40 ms to each).
struct RawFacilitator {
    RawSocket socket;
    int req = 1;
    RawFacilitator(unsigned short port, const Created& s) : socket(port) {
        REQUIRE(upgrade(socket, port) == 101);
        REQUIRE(request({{"type", "facilitate"},
                         {"protocol", 1},
                         {"code", s.code},
                         {"token", s.token}})["type"] == "welcome");
    }
    json request(json message) {
        message["req"] = ++req;
        REQUIRE(socket.send(frame(0x1, message.dump())));
        for (;;) {
            auto f = read_frame(socket);
            REQUIRE(f);
            if (f->opcode != 0x1) continue;
            auto m = json::parse(f->payload);
            if (m.value("req", json()) == req) return m;
        }
    }
};

/// About `megabytes` of events for every participant: rewordings of a scenario never opened.
/// The facilitator reads as it goes, so only the participant who does not read falls behind.
void flood_events(RawFacilitator& fac, int megabytes) {
    const std::string text(3900, 'x');  // four fields of it: most of a 16 KiB message
    const int count = megabytes * 1024 * 1024 / 15600;
    for (int i = 0; i < count; ++i) {
        auto reply = fac.request({{"type", "update_scenario"},
                                  {"scenario",
                                   {{"id", "s1"},
                                    {"title", std::string("T") + std::to_string(i)},
                                    {"description", text},
                                    {"data_involved", text},
                                    {"sharing", text},
                                    {"purpose", text}}}});
        INFO(reply.dump());
        REQUIRE(reply["type"] == "ack");
    }
}

std::uint64_t connections(unsigned short port) {
    return json::parse(http_request(port, "GET", "/healthz").body)["connections"];
}

}  // namespace

TEST_CASE("a client that stops reading has its backlog dropped and gets a snapshot later") {
    NetOptions o;
    o.message_rate = 0;
    o.queue_max_messages = 16;
    o.queue_max_bytes = 64 * 1024;
    InProcessServer server(o);
    const auto s = create_session(server.port(), "Limits");
    RawFacilitator fac(server.port(), s);
    auto slow = stalled_participant(server.port(), s.code);

    // More than the kernel's buffers hold, so the server's own queue for it must overflow.
    flood_events(fac, 12);
    CHECK(metric(server.port(), "quorum_resyncs_total") >= 1);
    // The slow one, reading at last, finds a fresh snapshot in what was kept for it.
    bool snapshot = false;
    while (!snapshot) {
        auto f = read_frame(slow);
        REQUIRE(f);
        if (f->opcode == 0x1 && json::parse(f->payload)["type"] == "snapshot") snapshot = true;
    }
    CHECK(snapshot);
}

TEST_CASE("a client whose writes stay stuck is dropped") {
    NetOptions o;
    o.message_rate = 0;
    o.write_timeout = 1000ms;
    InProcessServer server(o);
    const auto s = create_session(server.port(), "Limits");
    RawFacilitator fac(server.port(), s);
    auto slow = stalled_participant(server.port(), s.code);
    CHECK(connections(server.port()) == 2);
    flood_events(fac, 12);
    std::this_thread::sleep_for(1200ms);
    flood_events(fac, 1);  // something more for it, after its write has been stuck a while
    bool dropped = false;
    for (int i = 0; i < 50 && !dropped; ++i) {
        dropped = connections(server.port()) == 1;
        if (!dropped) std::this_thread::sleep_for(100ms);
    }
    CHECK(dropped);
    CHECK(slow.closed_by_peer(5s));
    CHECK(fac.request({{"type", "ping"}})["type"] == "pong");
}
