#include "server/hub.hpp"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "protocol/decode.hpp"
#include "protocol/views.hpp"
#include "server/held_events.hpp"
#include "server/log.hpp"
#include "sessions/exports/export.hpp"

namespace quorum {

using nlohmann::json;

namespace {
SharedText serialised(const nlohmann::json& message) {
    return std::make_shared<const std::string>(message.dump());
}
// Participants get progress every fifth tick (a few times a second); the facilitator every tick.
constexpr std::uint64_t participant_tick_divisor = 5;
// An export larger than this goes over HTTP instead: it must fit a client's write queue.
constexpr std::size_t max_websocket_export_bytes = 768 * 1024;
}  // namespace

struct Hub::Connection {
    ConnectionId id = 0;
    std::shared_ptr<ClientSink> sink;
    LiveSession* session = nullptr;
    Actor actor;
    bool awaiting_snapshot = false;  // joined, but its first snapshot has not gone out yet
    bool resync_wanted = false;
    // Participants and presenters: the newest event this connection has been sent, or has in its
    // snapshot or catch-up. Held events up to it are not sent again.
    Seq sent_through = 0;
};

struct Hub::LiveSession {
    explicit LiveSession(Session s) : session(std::move(s)) {
        connected_by_area.assign(session.config().areas.size(), 0);
    }
    Session session;
    std::unordered_set<ConnectionId> facilitators;
    std::unordered_set<ConnectionId> participants;
    std::unordered_set<ConnectionId> presenters;
    std::unordered_map<ParticipantId, std::vector<ConnectionId>> by_participant;
    std::vector<std::uint32_t> connected_by_area;
    std::deque<Event> recent;  // committed events, for catching up reconnecting clients
    HeldEvents held;           // comment events for participants, sent on the next tick
    bool facilitator_dirty = true;
    bool participants_dirty = true;
    // Participants' progress is spread over the ticks: connection id % divisor picks the tick,
    // so a tick writes to a fifth of them rather than all at once (10,000 sends hold the I/O
    // thread for ~80 ms). Each connection still gets at most one every fifth tick.
    std::uint64_t participants_version = 1;
    std::array<std::uint64_t, participant_tick_divisor> participants_sent{};
    bool needs_reload = false;
};

/// An event with its views serialised when it was applied, so each view shows the session as it
/// was at that event; they are sent once the event is durable.
struct Hub::PreparedEvent {
    Event event;
    SharedText facilitator;  // null: not for the facilitator, or none connected
    SharedText shared;       // for participants other than the subject
    SharedText own;          // for the subject's own connections
    std::optional<ParticipantId> subject;
};

struct Hub::PendingReply {
    CommitTicket ticket = 0;
    ConnectionId connection = 0;
    std::string session;
    SharedText reply;                   // ack, error or welcome, serialised; null for none
    json req;                           // the request's id, for an error if the commit fails
    std::vector<PreparedEvent> events;  // to fan out once durable
    bool snapshot_after = false;        // follow the reply with a snapshot (or catch-up)
    std::optional<Seq> catch_up_from;
};

Hub::Hub(EventStore& store, Clock clock, RandomSource random, Post post, HubOptions options)
    : store_(store),
      clock_(std::move(clock)),
      random_(std::move(random)),
      post_(std::move(post)),
      options_(options),
      committer_(std::make_unique<GroupCommitter>(
          store_, [this](const CommitReport& r) { post_([this, r] { on_committed(r); }); },
          // The hub refuses new work at max_pending_events; the committer's own bound is a
          // backstop that is never reached through the hub.
          options.max_pending_events * 2 + 1000)) {}

Hub::~Hub() {
    committer_.reset();
}

void Hub::load_sessions() {
    for (const auto& code : store_.session_codes()) {
        auto log = store_.load(code);
        if (log.empty()) continue;
        auto ls = std::make_unique<LiveSession>(Session::replay(log));
        const auto keep = std::min(log.size(), options_.catch_up_events);
        ls->recent.assign(log.end() - static_cast<std::ptrdiff_t>(keep), log.end());
        sessions_[code] = std::move(ls);
    }
    log_info("loaded " + std::to_string(sessions_.size()) + " session(s) from the store");
}

Hub::LiveSession* Hub::live(const std::string& code) {
    auto it = sessions_.find(code);
    return it == sessions_.end() ? nullptr : it->second.get();
}

Hub::Connection* Hub::connection(ConnectionId id) {
    auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : it->second.get();
}

const Session* Hub::find_session(const std::string& code) const {
    auto it = sessions_.find(code);
    return it == sessions_.end() ? nullptr : &it->second->session;
}

std::vector<const Session*> Hub::sessions() const {
    std::vector<const Session*> out;
    for (const auto& [_, ls] : sessions_) out.push_back(&ls->session);
    std::sort(out.begin(), out.end(),
              [](const Session* a, const Session* b) { return a->created_at() < b->created_at(); });
    return out;
}

bool Hub::is_facilitator(const std::string& code, const std::string& token) const {
    const auto* s = find_session(code);
    return s && constant_time_equal(hash_token(token), s->config().facilitator_token_hash);
}

CommitStats Hub::commit_stats() const {
    return committer_->stats();
}

proto::Presence Hub::presence_of(const std::string& code) const {
    auto it = sessions_.find(code);
    return it == sessions_.end() ? proto::Presence{} : presence(*it->second);
}

proto::Presence Hub::presence(const LiveSession& s) const {
    proto::Presence p;
    p.connected_by_area = s.connected_by_area;
    for (auto n : s.connected_by_area) p.connected += n;
    return p;
}

// --- Sessions through the API -----------------------------------------------------------------

std::variant<CreatedSession, RuleError> Hub::create_session(SessionConfig config) {
    do config.code = make_join_code(random_);
    while (sessions_.count(config.code));
    const auto token = make_token(random_);
    config.facilitator_token_hash = hash_token(token);
    auto created = Session::create(std::move(config), clock_());
    if (auto* error = std::get_if<RuleError>(&created)) return *error;
    auto& session = std::get<Session>(created);
    const auto code = session.code();
    Event first{1, session.created_at(), ev::SessionCreated{session.config()}};
    // Creation is rare: wait for the commit so a session the facilitator was told about exists.
    committer_->submit({StoredEvent{code, first}});
    committer_->flush();
    auto ls = std::make_unique<LiveSession>(std::move(session));
    ls->recent.push_back(first);
    sessions_[code] = std::move(ls);
    log_info("session " + code + " created");
    return CreatedSession{code, token};
}

// --- Connections ------------------------------------------------------------------------------

ConnectionId Hub::connect(std::shared_ptr<ClientSink> sink) {
    auto c = std::make_unique<Connection>();
    c->id = next_connection_++;
    c->sink = std::move(sink);
    const auto id = c->id;
    connections_[id] = std::move(c);
    ++metrics_.connections_opened;
    return id;
}

void Hub::disconnect(ConnectionId id) {
    auto* c = connection(id);
    if (!c) return;
    detach(*c);
    connections_.erase(id);
    ++metrics_.connections_closed;
}

void Hub::resync(ConnectionId id) {
    if (auto* c = connection(id)) {
        c->resync_wanted = true;
        ++metrics_.resyncs;
    }
}

void Hub::refuse(ConnectionId id, std::string_view text, std::string_view code) {
    auto* c = connection(id);
    if (!c) return;
    ++metrics_.messages_received;
    auto decoded = proto::decode(text);
    const json req = std::holds_alternative<proto::ClientMessage>(decoded)
                         ? std::get<proto::ClientMessage>(decoded).req
                         : std::get<proto::DecodeError>(decoded).req;
    send_error(*c, req, code,
               code == "rate_limited" ? "too many messages at once; wait a moment and send it again"
                                      : "this message was refused");
}

void Hub::attach(Connection& c, LiveSession& s, Actor actor) {
    c.session = &s;
    c.actor = actor;
    if (actor.kind == Actor::Kind::facilitator) {
        s.facilitators.insert(c.id);
    } else if (actor.kind == Actor::Kind::presenter) {
        s.presenters.insert(c.id);
    } else {
        s.participants.insert(c.id);
        s.by_participant[actor.participant].push_back(c.id);
        ++s.connected_by_area[s.session.find_participant(actor.participant)->area];
    }
    s.facilitator_dirty = s.participants_dirty = true;
}

void Hub::detach(Connection& c) {
    auto* s = c.session;
    if (!s) return;
    if (c.actor.kind == Actor::Kind::facilitator) {
        s->facilitators.erase(c.id);
    } else if (c.actor.kind == Actor::Kind::presenter) {
        s->presenters.erase(c.id);
    } else {
        s->participants.erase(c.id);
        auto& mine = s->by_participant[c.actor.participant];
        mine.erase(std::remove(mine.begin(), mine.end(), c.id), mine.end());
        if (mine.empty()) s->by_participant.erase(c.actor.participant);
        --s->connected_by_area[s->session.find_participant(c.actor.participant)->area];
    }
    s->facilitator_dirty = s->participants_dirty = true;
    c.session = nullptr;
}

void Hub::send(Connection& c, const json& message) {
    c.sink->deliver(std::make_shared<const std::string>(message.dump()));
    ++metrics_.frames_sent;
}

void Hub::send_reply_now(Connection& c, const SharedText& message) {
    c.sink->deliver_reply(message);
    ++metrics_.frames_sent;
}

void Hub::reply(Connection& c, json message) {
    auto req = message.value("req", json(nullptr));
    reply_after_commit(
        PendingReply{0, c.id, {}, serialised(message), std::move(req), {}, false, {}});
}

void Hub::send_error(Connection& c, const json& req, std::string_view code,
                     const std::string& message) {
    ++metrics_.messages_rejected;
    reply(c, proto::error(req, code, message));
}

proto::Audience Hub::audience_of(const Connection& c) {
    switch (c.actor.kind) {
        case Actor::Kind::facilitator:
            return proto::Audience::of_facilitator();
        case Actor::Kind::participant:
            return proto::Audience::of_participant(c.actor.participant);
        default:
            return proto::Audience::of_presenter();
    }
}

void Hub::send_snapshot(Connection& c) {
    auto& s = *c.session;
    send(c, proto::snapshot_view(s.session, audience_of(c), presence(s)));
    c.sent_through = s.session.last_seq();
    c.awaiting_snapshot = false;
    c.resync_wanted = false;
}

void Hub::on_message(ConnectionId id, std::string_view text) {
    auto* c = connection(id);
    if (!c) return;
    ++metrics_.messages_received;
    auto decoded = proto::decode(text);
    if (auto* error = std::get_if<proto::DecodeError>(&decoded)) {
        send_error(*c, error->req, error->code, error->message);
        return;
    }
    handle(*c, std::get<proto::ClientMessage>(decoded));
}

namespace {
std::string no_such_session(const std::string& code) {
    return "there is no session with the code " + code + "; check the code with your facilitator";
}
}  // namespace

void Hub::handle(Connection& c, const proto::ClientMessage& m) {
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, proto::Ping>) {
                reply(c, json{{"type", "pong"}, {"req", m.req}});
            } else if constexpr (std::is_same_v<T, proto::Lookup>) {
                const auto* s = find_session(body.code);
                if (!s) return send_error(c, m.req, "unknown_session", no_such_session(body.code));
                reply(c, json{{"type", "session_info"},
                              {"req", m.req},
                              {"code", s->code()},
                              {"title", s->config().title},
                              {"areas", s->config().areas},
                              {"phase", to_string(s->phase())}});
            } else if constexpr (std::is_same_v<T, proto::Export>) {
                export_file(c, m.req, body);
            } else if constexpr (std::is_same_v<T, Command>) {
                if (!c.session)
                    send_error(
                        c, m.req, "not_joined",
                        "join a session (or resume, facilitate or present) before anything else");
                else
                    run_command(c, m.req, body);
            } else if (c.session) {
                send_error(c, m.req, "already_joined", "this connection is already in a session");
            } else if constexpr (std::is_same_v<T, proto::Join>) {
                join(c, m.req, body);
            } else if constexpr (std::is_same_v<T, proto::Resume>) {
                resume(c, m.req, body);
            } else if constexpr (std::is_same_v<T, proto::Present>) {
                present(c, m.req, body);
            } else {
                facilitate(c, m.req, body);
            }
        },
        m.body);
}

void Hub::join(Connection& c, const json& req, const proto::Join& m) {
    auto* s = live(m.code);
    if (!s) return send_error(c, req, "unknown_session", no_such_session(m.code));
    if (committer_->pending() >= options_.max_pending_events)
        return send_error(c, req, "server_busy", "the server is busy; please try again shortly");
    const auto token = make_token(random_);
    auto outcome =
        s->session.apply(Actor::anonymous(),
                         cmd::Join{m.name, m.area, m.sector, m.role, hash_token(token)}, clock_());
    if (outcome.error)
        return send_error(c, req, to_string(outcome.error->code), outcome.error->message);
    const auto id = *outcome.joined;
    attach(c, *s, Actor::of_participant(id));
    c.awaiting_snapshot = true;
    const auto* p = s->session.find_participant(id);
    json welcome{{"type", "welcome"},
                 {"req", req},
                 {"protocol", proto::version},
                 {"session", s->session.code()},
                 {"role", to_string(p->role)},
                 {"participant", id},
                 {"pseudonym", proto::pseudonym(id)},
                 {"token", token}};
    auto ticket = submit(*s, outcome.events);
    if (!ticket) return;
    PendingReply pending{*ticket, c.id, s->session.code(), serialised(welcome), req,
                         {},      true, std::nullopt};
    for (auto& e : outcome.events) pending.events.push_back(prepare(*s, std::move(e), c.id));
    pending_.push_back(std::move(pending));
    log_info("session " + s->session.code() + ": participant " + std::to_string(id) + " joined");
}

void Hub::resume(Connection& c, const json& req, const proto::Resume& m) {
    auto* s = live(m.code);
    if (!s) return send_error(c, req, "unknown_session", no_such_session(m.code));
    const auto* p = s->session.find_by_token_hash(hash_token(m.token));
    if (!p)
        return send_error(c, req, "bad_token",
                          "this device's place in the session was not found; please join again");
    attach(c, *s, Actor::of_participant(p->id));
    c.awaiting_snapshot = true;
    json welcome{{"type", "welcome"},
                 {"req", req},
                 {"protocol", proto::version},
                 {"session", s->session.code()},
                 {"role", to_string(p->role)},
                 {"participant", p->id},
                 {"pseudonym", proto::pseudonym(p->id)}};
    reply_after_commit(
        PendingReply{0, c.id, s->session.code(), serialised(welcome), req, {}, true, m.last_seq});
}

void Hub::facilitate(Connection& c, const json& req, const proto::Facilitate& m) {
    auto* s = live(m.code);
    if (!s) return send_error(c, req, "unknown_session", no_such_session(m.code));
    if (!is_facilitator(m.code, m.token))
        return send_error(c, req, "bad_token",
                          "this facilitator link is not valid for the session");
    attach(c, *s, Actor::facilitator());
    c.awaiting_snapshot = true;
    json welcome{{"type", "welcome"},
                 {"req", req},
                 {"protocol", proto::version},
                 {"session", s->session.code()},
                 {"role", "facilitator"}};
    reply_after_commit(
        PendingReply{0, c.id, s->session.code(), serialised(welcome), req, {}, true, m.last_seq});
    log_info("session " + s->session.code() + ": facilitator connected");
}

void Hub::present(Connection& c, const json& req, const proto::Present& m) {
    auto* s = live(m.code);
    if (!s) return send_error(c, req, "unknown_session", no_such_session(m.code));
    attach(c, *s, Actor::presenter());
    c.awaiting_snapshot = true;
    json welcome{{"type", "welcome"},
                 {"req", req},
                 {"protocol", proto::version},
                 {"session", s->session.code()},
                 {"role", "presenter"}};
    reply_after_commit(
        PendingReply{0, c.id, s->session.code(), serialised(welcome), req, {}, true, m.last_seq});
}

std::vector<Event> Hub::event_log(const std::string& code) {
    if (!live(code)) return {};
    // Only this thread submits, so once flushed the writer is idle and the store is complete.
    committer_->flush();
    return store_.load(code);
}

void Hub::export_file(Connection& c, const json& req, const proto::Export& m) {
    if (!c.session)
        return send_error(c, req, "not_joined", "facilitate a session before exporting it");
    if (c.actor.kind != Actor::Kind::facilitator)
        return send_error(c, req, "not_facilitator", "only the facilitator can export the session");
    const auto format = exports::parse_format(m.format);
    if (!format)
        return send_error(c, req, "invalid_value",
                          "the export format must be one of " + exports::format_names());
    const auto code = c.session->session.code();
    exports::ExportFile file;
    try {
        file = exports::export_session(event_log(code), *format, {m.names, clock_()});
    } catch (const std::exception& e) {
        log_error("session " + code + ": export " + m.format + " failed: " + e.what());
        return send_error(c, req, "export_failed",
                          "the export could not be made; please try again");
    }
    json message{{"type", "export"},          {"req", req},
                 {"format", m.format},        {"content_type", file.content_type},
                 {"filename", file.filename}, {"content", file.content}};
    if (message.dump().size() > max_websocket_export_bytes)
        return send_error(c, req, "export_too_large",
                          "this export is too large for the live connection; download it from "
                          "/api/sessions/" +
                              code + "/export/" + m.format);
    reply(c, std::move(message));
}

void Hub::run_command(Connection& c, const json& req, const Command& command) {
    auto& s = *c.session;
    if (committer_->pending() >= options_.max_pending_events)
        return send_error(c, req, "server_busy", "the server is busy; please try again shortly");
    auto outcome = s.session.apply(c.actor, command, clock_());
    if (outcome.error)
        return send_error(c, req, to_string(outcome.error->code), outcome.error->message);
    if (outcome.events.empty()) {
        auto ack = std::make_shared<const std::string>(
            proto::ack_text(req, std::nullopt, outcome.duplicate));
        reply_after_commit(
            PendingReply{0, c.id, s.session.code(), std::move(ack), req, {}, false, {}});
        return;
    }
    auto ticket = submit(s, outcome.events);
    if (!ticket) return;
    auto ack = std::make_shared<const std::string>(
        proto::ack_text(req, outcome.events.back().seq, outcome.duplicate));
    PendingReply pending{*ticket, c.id, s.session.code(), std::move(ack), req, {}, false, {}};
    for (auto& e : outcome.events) pending.events.push_back(prepare(s, std::move(e), c.id));
    pending_.push_back(std::move(pending));
}

std::optional<CommitTicket> Hub::submit(LiveSession& s, const std::vector<Event>& events) {
    std::vector<StoredEvent> stored;
    stored.reserve(events.size());
    for (const auto& e : events) stored.push_back({s.session.code(), e});
    auto ticket = committer_->submit(std::move(stored));
    if (!ticket) {
        // Cannot happen through the hub's own limit; if it does, memory and disk now differ.
        log_error("session " + s.session.code() + ": the commit queue refused events");
        s.needs_reload = true;
        reload(s);
        return std::nullopt;
    }
    last_ticket_ = *ticket;
    return ticket;
}

Hub::PreparedEvent Hub::prepare(LiveSession& s, Event event, ConnectionId origin) const {
    PreparedEvent p;
    auto serialise = [](const std::optional<json>& view) {
        return view ? std::make_shared<const std::string>(view->dump()) : SharedText{};
    };
    // A vote is seen only by its voter (protocol section 3.6): building the facilitator's and
    // everyone else's views just to learn they are empty costs two JSON trees per vote.
    const bool only_own = std::holds_alternative<ev::VoteCast>(event.payload);
    if (!only_own && !s.facilitators.empty())
        p.facilitator =
            serialise(proto::event_view(s.session, event, proto::Audience::of_facilitator()));
    p.subject = proto::event_subject(s.session, event);
    if (p.subject)
        if (auto it = s.by_participant.find(*p.subject); it != s.by_participant.end()) {
            // The voting connection is answered by its ack alone (see fan_out).
            const bool another = !only_own || std::any_of(it->second.begin(), it->second.end(),
                                                          [&](auto id) { return id != origin; });
            if (another)
                p.own = serialise(proto::event_view(s.session, event,
                                                    proto::Audience::of_participant(*p.subject)));
        }
    if (!only_own && (!s.participants.empty() || !s.presenters.empty()))
        p.shared =
            serialise(proto::event_view(s.session, event, proto::Audience::of_participants()));
    p.event = std::move(event);
    return p;
}

void Hub::reply_after_commit(PendingReply reply) {
    if (pending_.empty()) return deliver_reply(reply);
    reply.ticket = last_ticket_;  // after everything already submitted
    pending_.push_back(std::move(reply));
}

void Hub::deliver_reply(PendingReply& r) {
    auto* c = connection(r.connection);
    if (!c) return;
    if (r.reply) send_reply_now(*c, r.reply);
    if (!r.snapshot_after || !c->session) return;
    auto& s = *c->session;
    const auto from = r.catch_up_from;
    // A client that saw nothing (last_seq 0) has no framework or scenarios yet: snapshot.
    const bool can_catch_up = from && *from >= 1 && *from <= s.session.last_seq() &&
                              !s.recent.empty() && s.recent.front().seq <= *from + 1;
    if (!can_catch_up) return send_snapshot(*c);
    const auto audience = audience_of(*c);
    for (const auto& e : s.recent)
        if (e.seq > *from)
            if (auto view = proto::event_view(s.session, e, audience)) send(*c, *view);
    c->sent_through = s.recent.back().seq;
    c->awaiting_snapshot = false;
    send(*c, proto::progress_view(s.session, audience, presence(s)));
}

void Hub::on_committed(const CommitReport& report) {
    std::unordered_set<LiveSession*> to_reload;
    while (!pending_.empty() && pending_.front().ticket <= report.last) {
        auto r = std::move(pending_.front());
        pending_.pop_front();
        auto* s = r.session.empty() ? nullptr : live(r.session);
        const bool failed = report.error && r.ticket >= report.first && !r.events.empty();
        if (failed) {
            if (s) to_reload.insert(s);
            if (auto* c = connection(r.connection))
                send_error(*c, r.req, "storage_failed",
                           "the server could not save that; please try again");
            continue;
        }
        if (s)
            for (const auto& e : r.events) fan_out(*s, e, r.connection);
        deliver_reply(r);
    }
    if (report.error) log_error("store commit failed: " + *report.error);
    if (to_reload.empty()) return;
    // Memory ran ahead of the disk: rebuild each affected session from what was saved. Until the
    // failure is cleared, later submissions fail too, so no log can get a gap.
    committer_->flush();
    for (auto* s : to_reload) reload(*s);
    committer_->clear_failure();
}

void Hub::fan_out(LiveSession& s, const PreparedEvent& p, ConnectionId origin) {
    const auto& e = p.event;
    s.recent.push_back(e);
    if (s.recent.size() > options_.catch_up_events) s.recent.pop_front();
    if (std::holds_alternative<ev::VoteCast>(e.payload)) ++metrics_.votes;
    if (std::holds_alternative<ev::CommentAdded>(e.payload)) ++metrics_.comments;
    s.facilitator_dirty = s.participants_dirty = true;

    auto deliver_to = [&](ConnectionId id, const SharedText& text) {
        auto* c = connection(id);
        if (!c || c->awaiting_snapshot || !text) return;
        c->sink->deliver(text);
        ++metrics_.frames_sent;
    };
    if (p.facilitator)
        for (auto id : s.facilitators) deliver_to(id, p.facilitator);
    const bool held = held_until_tick(e);
    // Whatever is held goes first, so every connection sees events in seq order.
    if (p.shared && !held) flush_held(s);
    // The subject's own view goes at once, ahead of its reply. The connection that cast a vote
    // learns it from its ack, which carries the seq: only the voter's other devices get vote_cast.
    const bool vote = std::holds_alternative<ev::VoteCast>(e.payload);
    if (p.own)
        if (auto it = s.by_participant.find(*p.subject); it != s.by_participant.end())
            for (auto id : it->second)
                if (auto* c = connection(id); c && !(vote && id == origin))
                    send_in_order(*c, e.seq, p.own);
    if (held) {
        s.held.hold(e.seq, p.shared, p.subject);
    } else if (p.shared) {
        for (auto id : s.participants) {
            auto* c = connection(id);
            if (c && !(p.subject && c->actor.participant == *p.subject)) deliver_to(id, p.shared);
        }
        for (auto id : s.presenters) deliver_to(id, p.shared);
    }

    // Which comments and results participants may see has changed: resend their whole view.
    if (std::holds_alternative<ev::VisibilityChanged>(e.payload))
        for (const auto* group : {&s.participants, &s.presenters})
            for (auto id : *group)
                if (auto* c = connection(id)) c->resync_wanted = true;
}

bool Hub::held_until_tick(const Event& e) {
    // What participants say to each other grows with the room; phase changes are rare and go out
    // at once.
    return std::holds_alternative<ev::CommentAdded>(e.payload) ||
           std::holds_alternative<ev::CommentEndorsed>(e.payload) ||
           std::holds_alternative<ev::CommentHidden>(e.payload) ||
           std::holds_alternative<ev::CommentPinned>(e.payload);
}

void Hub::send_in_order(Connection& c, Seq seq, const SharedText& text) {
    if (!c.session || c.awaiting_snapshot) return;
    auto& held = c.session->held;
    if (!held.empty() && held.last_seq() > c.sent_through) {
        const auto viewer = c.actor.kind == Actor::Kind::participant
                                ? std::optional<ParticipantId>(c.actor.participant)
                                : std::nullopt;
        for (const auto& frame : held.frames_after(c.sent_through, viewer)) {
            c.sink->deliver(frame);
            ++metrics_.frames_sent;
        }
    }
    c.sink->deliver(text);
    ++metrics_.frames_sent;
    c.sent_through = std::max(c.sent_through, seq);
}

void Hub::flush_held(LiveSession& s) {
    if (s.held.empty()) return;
    const auto first = s.held.first_seq(), last = s.held.last_seq();
    for (const auto* group : {&s.participants, &s.presenters})
        for (auto id : *group) {
            auto* c = connection(id);
            if (!c || c->awaiting_snapshot || c->sent_through >= last) continue;
            const bool participant = c->actor.kind == Actor::Kind::participant;
            // Usually the same frames for everyone; a connection that already has some of them
            // (its own comment, a snapshot) gets the rest.
            const bool fresh = c->sent_through < first &&
                               !(participant && s.held.has_subject(c->actor.participant));
            auto send_all = [&](const std::vector<SharedText>& frames) {
                for (const auto& frame : frames) {
                    c->sink->deliver(frame);
                    ++metrics_.frames_sent;
                }
            };
            if (fresh)
                send_all(s.held.shared_frames());
            else
                send_all(s.held.frames_after(
                    c->sent_through,
                    participant ? std::optional(c->actor.participant) : std::nullopt));
            c->sent_through = last;
        }
    s.held.clear();
}

void Hub::reload(LiveSession& s) {
    committer_->flush();
    const auto code = s.session.code();
    std::vector<Event> log;
    try {
        log = store_.load(code);
        if (log.empty()) throw std::runtime_error("no events stored");
        s.session = Session::replay(log);
    } catch (const std::exception& e) {
        log_error("session " + code + " could not be reloaded: " + e.what());
        return;
    }
    // Detach everyone while the connection counts still match, then re-attach those whose
    // identity survived; a participant whose join was never saved must join again.
    std::vector<std::pair<ConnectionId, Actor>> attached;
    for (auto id : s.facilitators) attached.push_back({id, Actor::facilitator()});
    for (auto id : s.presenters) attached.push_back({id, Actor::presenter()});
    for (auto id : s.participants)
        if (auto* c = connection(id)) attached.push_back({id, c->actor});
    s.facilitators.clear();
    s.presenters.clear();
    s.participants.clear();
    s.by_participant.clear();
    std::fill(s.connected_by_area.begin(), s.connected_by_area.end(), 0);
    const auto keep = std::min(log.size(), options_.catch_up_events);
    s.recent.assign(log.end() - static_cast<std::ptrdiff_t>(keep), log.end());
    for (auto& [id, actor] : attached) {
        auto* c = connection(id);
        if (!c) continue;
        c->session = nullptr;
        // Their join was never saved; they were told so in reply to it and must join again.
        if (actor.kind == Actor::Kind::participant &&
            !s.session.find_participant(actor.participant))
            continue;
        attach(*c, s, actor);
        c->resync_wanted = true;
    }
    s.needs_reload = false;
    log_warn("session " + code + " reloaded from the store after a failed save");
}

void Hub::tick() {
    ++ticks_;
    const auto group = ticks_ % participant_tick_divisor;
    // One serialisation per audience, handed to every connection's latest-only slot.
    using Group = std::unordered_set<ConnectionId>;
    auto send_progress = [this](LiveSession& s, std::initializer_list<const Group*> groups,
                                const proto::Audience& audience, std::uint64_t modulo,
                                std::uint64_t wanted) {
        auto text = std::make_shared<const std::string>(
            proto::progress_view(s.session, audience, presence(s)).dump());
        for (const auto* g : groups)
            for (auto id : *g)
                if (modulo == 0 || id % modulo == wanted)
                    if (auto* c = connection(id); c && !c->awaiting_snapshot) {
                        c->sink->deliver_latest(text);
                        ++metrics_.frames_sent;
                    }
    };
    for (auto& [_, ptr] : sessions_) {
        auto& s = *ptr;
        flush_held(s);
        if (s.facilitator_dirty && !s.facilitators.empty()) {
            send_progress(s, {&s.facilitators}, proto::Audience::of_facilitator(), 0, 0);
            s.facilitator_dirty = false;
        }
        if (s.participants_dirty) {
            ++s.participants_version;
            s.participants_dirty = false;
        }
        if (s.participants_sent[group] != s.participants_version &&
            (!s.participants.empty() || !s.presenters.empty())) {
            send_progress(s, {&s.participants, &s.presenters}, proto::Audience::of_participants(),
                          participant_tick_divisor, group);
            s.participants_sent[group] = s.participants_version;
        }
    }
    for (auto& [_, c] : connections_)
        if (c->resync_wanted && c->session) send_snapshot(*c);
}

void Hub::shutdown() {
    committer_->flush();
    for (auto& [_, c] : connections_) c->sink->close(1001, "the server is shutting down");
    log_info("store flushed; closing " + std::to_string(connections_.size()) + " connection(s)");
}

}  // namespace quorum
