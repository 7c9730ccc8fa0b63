#pragma once
// The hub owns every live session and every connection's identity. It turns decoded client
// messages into domain commands, hands the resulting events to the group committer, and only after
// they are durable sends acks and fans out role-filtered views. Runs on one thread (the I/O
// thread); the committer reports back through `post`. No sockets here, so it is testable directly.
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/messages.hpp"
#include "protocol/views.hpp"
#include "server/client_sink.hpp"
#include "server/metrics.hpp"
#include "sessions/session.hpp"
#include "sessions/store/group_committer.hpp"
#include "sessions/tokens.hpp"

namespace quorum {

struct HubOptions {
    std::size_t catch_up_events = 2048;  // recent events kept per session for reconnects
    std::size_t max_pending_events = 100000;
};

/// Result of creating a session through the API.
struct CreatedSession {
    std::string code;
    std::string facilitator_token;  // shown once; only its hash is kept
};

class Hub {
  public:
    using Clock = std::function<TimeMs()>;
    /// Runs a function on the hub's thread (e.g. asio::post to its io_context).
    using Post = std::function<void(std::function<void()>)>;

    Hub(EventStore& store, Clock clock, RandomSource random, Post post, HubOptions options = {});
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    /// Rebuilds every stored session from its event log. Call once before serving.
    void load_sessions();

    // --- Connections (WebSocket) ---------------------------------------------------------
    ConnectionId connect(std::shared_ptr<ClientSink> sink);
    void disconnect(ConnectionId id);
    /// Handles one text frame from a client.
    void on_message(ConnectionId id, std::string_view text);
    /// The client's queue overflowed: send it a fresh snapshot when it can take one.
    void resync(ConnectionId id);
    /// The network edge refused one of the client's messages without passing it on (code
    /// "rate_limited"): answer it with that error, with the message's req when it has one.
    void refuse(ConnectionId id, std::string_view text, std::string_view code);
    /// Sends coalesced progress updates to every client of a session that changed since the last
    /// tick. Call a few times a second.
    void tick();
    /// Flushes the store, then closes every client with 1001 (going away).
    void shutdown();
    /// Blocks until everything submitted is durable; the commit reports are then posted.
    void flush_store() { committer_->flush(); }
    /// A session's whole event log as stored, once everything submitted is durable: what exports
    /// are made from. Empty when there is no such session.
    std::vector<Event> event_log(const std::string& code);
    /// The hub's clock.
    TimeMs now() const { return clock_(); }

    // --- HTTP API ------------------------------------------------------------------------
    /// Creates a session from a validated configuration (join code and token hash are filled in).
    /// Blocks until it is committed, so a created session is never lost.
    std::variant<CreatedSession, RuleError> create_session(SessionConfig config);
    /// The session with this join code, if any.
    const Session* find_session(const std::string& code) const;
    /// True when the token is this session's facilitator token.
    bool is_facilitator(const std::string& code, const std::string& token) const;
    std::vector<const Session*> sessions() const;
    /// Who is connected to a session now (zeros for an unknown session).
    proto::Presence presence_of(const std::string& code) const;

    const Metrics& metrics() const { return metrics_; }
    CommitStats commit_stats() const;
    std::size_t connection_count() const { return connections_.size(); }

  private:
    struct Connection;
    struct LiveSession;
    struct PreparedEvent;
    struct PendingReply;

    void handle(Connection& c, const proto::ClientMessage& message);
    void join(Connection& c, const nlohmann::json& req, const proto::Join& m);
    void resume(Connection& c, const nlohmann::json& req, const proto::Resume& m);
    void facilitate(Connection& c, const nlohmann::json& req, const proto::Facilitate& m);
    void present(Connection& c, const nlohmann::json& req, const proto::Present& m);
    static proto::Audience audience_of(const Connection& c);
    void export_file(Connection& c, const nlohmann::json& req, const proto::Export& m);
    void attach(Connection& c, LiveSession& s, Actor actor);
    void detach(Connection& c);
    void run_command(Connection& c, const nlohmann::json& req, const Command& command);
    /// Queues a reply to go out once everything submitted so far is durable.
    void reply_after_commit(PendingReply reply);
    void deliver_reply(PendingReply& reply);
    /// Sends a reply to the connection's own request, in order with its other replies.
    void reply(Connection& c, nlohmann::json message);
    void send(Connection& c, const nlohmann::json& message);
    void send_reply_now(Connection& c, const SharedText& message);
    PreparedEvent prepare(LiveSession& s, Event event, ConnectionId origin) const;
    std::optional<CommitTicket> submit(LiveSession& s, const std::vector<Event>& events);
    void send_snapshot(Connection& c);
    void send_error(Connection& c, const nlohmann::json& req, std::string_view code,
                    const std::string& message);
    void on_committed(const CommitReport& report);
    /// Sends an event to everyone who may see it; `origin` is the connection whose command made it.
    void fan_out(LiveSession& s, const PreparedEvent& event, ConnectionId origin);
    static bool held_until_tick(const Event& e);
    /// Sends an event to one participant's or presenter's connection, after whatever held events
    /// it has not had yet.
    void send_in_order(Connection& c, Seq seq, const SharedText& text);
    /// Sends every held event to the session's participants and presenters.
    void flush_held(LiveSession& s);
    void reload(LiveSession& s);
    LiveSession* live(const std::string& code);
    Connection* connection(ConnectionId id);
    proto::Presence presence(const LiveSession& s) const;

    EventStore& store_;
    Clock clock_;
    RandomSource random_;
    Post post_;
    HubOptions options_;
    Metrics metrics_;
    std::unordered_map<std::string, std::unique_ptr<LiveSession>> sessions_;
    std::unordered_map<ConnectionId, std::unique_ptr<Connection>> connections_;
    ConnectionId next_connection_ = 1;
    std::uint64_t ticks_ = 0;
    std::deque<PendingReply> pending_;  // in ticket order
    CommitTicket last_ticket_ = 0;
    std::unique_ptr<GroupCommitter> committer_;  // last: its thread calls back into the hub
};

}  // namespace quorum
