// Fuzz target 1: the protocol decoder and the dispatch of what it decodes, through the hub, into
// a live session (see harnesses.hpp for the input format and the invariants).
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "harnesses.hpp"
#include "protocol/decode.hpp"
#include "protocol/plain_vote.hpp"
#include "protocol/views.hpp"
#include "server/hub.hpp"
#include "sessions/event_json.hpp"
#include "sessions/session.hpp"
#include "sessions/tokens.hpp"

namespace quorum::fuzz {
namespace {

using nlohmann::json;

void check(bool ok, const std::string& what) {
    if (!ok) throw InvariantBroken(what);
}

/// The shortcut for plain votes may only take what the full decoder accepts, with the same result.
void check_plain_vote(const std::string& text) {
    const auto plain = quorum::proto::decode_plain_vote(text);
    if (!plain) return;
    const auto full = quorum::proto::decode_tree(text);
    check(std::holds_alternative<quorum::proto::ClientMessage>(full),
          "the vote shortcut took what the full decoder refuses: " + text.substr(0, 200));
    const auto& expected = std::get<quorum::proto::ClientMessage>(full);
    const auto& a = std::get<quorum::cmd::CastVote>(std::get<quorum::Command>(plain->body));
    const auto* command = std::get_if<quorum::Command>(&expected.body);
    const auto* b = command ? std::get_if<quorum::cmd::CastVote>(command) : nullptr;
    check(b && plain->req == expected.req && a.scenario == b->scenario && a.test == b->test &&
              a.value == b->value && a.round == b->round && a.client_id == b->client_id,
          "the vote shortcut and the full decoder disagree: " + text.substr(0, 200));
}

/// The event log in memory: the hub needs a store, the disk is not under test here.
struct MemoryStore : EventStore {
    std::mutex mutex;
    std::vector<StoredEvent> events;
    void append(std::span<const StoredEvent> batch) override {
        std::lock_guard lock(mutex);
        events.insert(events.end(), batch.begin(), batch.end());
    }
    std::vector<std::string> session_codes() override {
        std::lock_guard lock(mutex);
        std::vector<std::string> codes;
        for (const auto& e : events)
            if (std::holds_alternative<ev::SessionCreated>(e.event.payload))
                codes.push_back(e.session);
        return codes;
    }
    std::vector<Event> load(const std::string& session) override {
        std::lock_guard lock(mutex);
        std::vector<Event> log;
        for (const auto& e : events)
            if (e.session == session) log.push_back(e.event);
        return log;
    }
};

/// Whether any object in `j`, at any depth, has a key naming a stored token hash.
bool has_hash_key(const json& j) {
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.key().find("token_hash") != std::string::npos || has_hash_key(*it)) return true;
    if (j.is_array())
        for (const auto& v : j)
            if (has_hash_key(v)) return true;
    return false;
}

/// Hashes of the tokens handed out in this input: no client can type them, so they must never
/// appear in anything the server sends.
std::vector<std::string> secret_hashes;

/// Keeps what one connection was sent, checking each message as it goes out.
struct Sink : ClientSink {
    std::vector<json> messages;
    void take(const SharedText& m) {
        check(m != nullptr, "a null message was delivered");
        auto j = json::parse(*m, nullptr, false);
        check(!j.is_discarded(),
              "the server sent something that is not JSON: " + m->substr(0, 200));
        check(j.is_object() && j.contains("type") && j["type"].is_string(),
              "a server message without a type: " + m->substr(0, 200));
        check(!has_hash_key(j), "a token hash was sent to a client: " + m->substr(0, 200));
        for (const auto& hash : secret_hashes)
            check(m->find(hash) == std::string::npos, "a token's hash was sent to a client");
        messages.push_back(std::move(j));
    }
    void deliver(SharedText m) override { take(m); }
    void deliver_reply(SharedText m) override { take(m); }
    void deliver_latest(SharedText m) override { take(m); }
    void close(std::uint16_t, std::string) override {}
};

struct World {
    MemoryStore store;
    std::mutex mutex;
    std::vector<std::function<void()>> posted;
    std::uint64_t counter = 0;
    TimeMs now = 1'700'000'000'000;
    Hub hub{store, [this] { return now; },
            [this](std::span<std::uint8_t> out) {
                for (auto& b : out)
                    b = static_cast<std::uint8_t>((++counter * 0x9E3779B97F4A7C15ull) >> 56);
            },
            [this](std::function<void()> f) {
                std::lock_guard lock(mutex);
                posted.push_back(std::move(f));
            }};
    std::vector<std::pair<ConnectionId, std::shared_ptr<Sink>>> connections;

    void settle() {
        for (int i = 0; i < 3; ++i) {
            hub.flush_store();
            std::vector<std::function<void()>> run;
            {
                std::lock_guard lock(mutex);
                run.swap(posted);
            }
            for (auto& f : run) f();
        }
    }
    std::size_t connect() {
        auto sink = std::make_shared<Sink>();
        connections.emplace_back(hub.connect(sink), sink);
        return connections.size() - 1;
    }
    void disconnect_all() {
        for (auto& [id, sink] : connections) hub.disconnect(id);
        connections.clear();
    }
    void send(std::size_t connection, const std::string& text) {
        hub.on_message(connections[connection].first, text);
        settle();
    }
    ~World() {
        hub.shutdown();
        settle();
    }
};

void replace_all(std::string& s, std::string_view from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

/// The stored log rebuilds exactly the live session, and every event survives its JSON form.
void check_log(const Session& live, const std::vector<Event>& log) {
    check(!log.empty(), "a live session has no stored events");
    for (const auto& e : log) {
        const auto j = event_to_json(e);
        check(event_to_json(event_from_json(j)) == j,
              "an event changed in its JSON round trip: " + j.dump().substr(0, 300));
    }
    const auto replayed = Session::replay(log);
    check(replayed.last_seq() == live.last_seq(), "replay reached another seq");
    check(proto::snapshot_view(replayed, proto::Audience::of_facilitator(), {}) ==
              proto::snapshot_view(live, proto::Audience::of_facilitator(), {}),
          "the replayed session differs from the live one");
    for (const auto& p : live.participants())
        check(proto::snapshot_view(replayed, proto::Audience::of_participant(p.id), {}) ==
                  proto::snapshot_view(live, proto::Audience::of_participant(p.id), {}),
              "participant " + std::to_string(p.id) + " sees the replayed session differently");
}

int session_request(std::string_view body) {
    auto decoded = proto::decode_session_request(body);
    auto* config = std::get_if<SessionConfig>(&decoded);
    if (!config) return 0;
    config->code = "FUZZ23";
    config->facilitator_token_hash = hash_token("x");
    auto created = Session::create(std::move(*config), 1000);
    auto* session = std::get_if<Session>(&created);
    if (!session) return 0;
    check_log(*session, {Event{1, 1000, ev::SessionCreated{session->config()}}});
    proto::snapshot_view(*session, proto::Audience::of_participants(), {}).dump();
    return 0;
}

}  // namespace

int protocol(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (!input.empty() && input.front() == 'H') return session_request(input.substr(1));

    // A fresh hub each time: state kept between inputs would make every input look like a leak
    // to libFuzzer (more allocations than frees) and trigger a full leak check.
    World w;
    SessionConfig config;
    config.title = "Fuzz workshop";
    config.areas = {"Leeds", "Bradford"};
    // Short tests keep every snapshot small, and so the fuzzer fast; the ids are the usual ones.
    config.framework.name = "F";
    for (const char* id : {"purposeful", "proportionate", "responsible"})
        config.framework.tests.push_back(FrameworkTest{id, id, {}, {}});
    config.scenarios = {{"", "Attendance", "Share attendance."}, {"", "Damp", "Link records."}};
    auto created = w.hub.create_session(config);
    check(std::holds_alternative<CreatedSession>(created), "the fixed session could not be made");
    const auto session = std::get<CreatedSession>(created);
    secret_hashes = {hash_token(session.facilitator_token)};
    for (int i = 0; i < 4; ++i) w.connect();
    w.send(0, json{{"type", "facilitate"},
                   {"protocol", 1},
                   {"code", session.code},
                   {"token", session.facilitator_token}}
                  .dump());
    w.send(
        1,
        json{{"type", "join"}, {"protocol", 1}, {"code", session.code}, {"area", "Leeds"}}.dump());
    w.send(2, json{{"type", "join"},
                   {"protocol", 1},
                   {"code", session.code},
                   {"area", "Bradford"},
                   {"role", "observer"}}
                  .dump());
    std::string participant_token;
    for (const auto& m : w.connections[1].second->messages)
        if (m["type"] == "welcome") participant_token = m["token"];
    check(participant_token.size() == 32, "the fixed participant did not join");
    secret_hashes.push_back(hash_token(participant_token));

    std::size_t start = 0;
    for (int lines = 0; start <= input.size() && lines < 256; ++lines) {
        auto end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        const auto line = input.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        w.now += 1000;
        const char selector = line.front();
        const auto target =
            line.size() > 1 ? static_cast<std::uint8_t>(line[1]) % w.connections.size() : 0;
        if (selector == 't') {
            w.hub.tick();
        } else if (selector == 'r') {
            w.hub.resync(w.connections[target].first);
            w.hub.tick();
        } else if (selector == 'd') {
            w.hub.disconnect(w.connections[target].first);
            auto sink = std::make_shared<Sink>();
            w.connections[target] = {w.hub.connect(sink), sink};
        } else {
            std::string text(line.substr(1));
            replace_all(text, "$CODE", session.code);
            replace_all(text, "$FTOKEN", session.facilitator_token);
            replace_all(text, "$PTOKEN", participant_token);
            check_plain_vote(text);
            w.send(static_cast<std::uint8_t>(selector) % 4, text);
        }
    }
    for (int i = 0; i < 5; ++i) w.hub.tick();
    w.settle();

    // Every request got exactly the reply types the protocol allows.
    for (const auto& [id, sink] : w.connections) {
        // Between snapshots, a connection gets events in strictly increasing seq order.
        std::uint64_t last_seq = 0;
        auto check_event = [&](const json& e) {
            check(e["type"] == "event", "not an event in an events message: " + e.dump());
            const auto seq = e["seq"].get<std::uint64_t>();
            check(seq > last_seq, "events out of order or twice: " + e.dump().substr(0, 200));
            last_seq = seq;
        };
        for (const auto& m : sink->messages) {
            const auto type = m["type"].get<std::string>();
            check(type == "welcome" || type == "snapshot" || type == "event" || type == "events" ||
                      type == "progress" || type == "ack" || type == "error" || type == "pong" ||
                      type == "session_info" || type == "export",
                  "an unknown server message type: " + type);
            if (type == "snapshot") last_seq = 0;
            if (type == "event") check_event(m);
            if (type == "events") {
                check(m["events"].size() >= 2, "an events message with fewer than two events");
                for (const auto& e : m["events"]) check_event(e);
            }
            if (type == "error")
                check(m.contains("code") && m["code"].is_string() && m.contains("message"),
                      "an error without a code: " + m.dump().substr(0, 200));
        }
    }
    const auto* live = w.hub.find_session(session.code);
    check(live != nullptr, "the session vanished");
    check_log(*live, w.hub.event_log(session.code));
    return 0;
}

}  // namespace quorum::fuzz
