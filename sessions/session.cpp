#include "sessions/session.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>

#include "sessions/limits.hpp"
#include "sessions/text.hpp"

namespace quorum {
namespace {

using Decision = std::variant<std::vector<EventPayload>, RuleError>;

RuleError err(ErrorCode code, std::string message) { return {code, std::move(message)}; }

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace

// --- Construction ----------------------------------------------------------------------------

std::variant<Session, RuleError> Session::create(SessionConfig config, TimeMs now) {
    if (auto problem = normalise_config(config)) return *problem;
    Session session;
    session.apply_event(Event{1, now, ev::SessionCreated{std::move(config)}});
    return session;
}

Session Session::replay(const std::vector<Event>& log) {
    if (log.empty() || !std::holds_alternative<ev::SessionCreated>(log.front().payload))
        throw std::invalid_argument("an event log must start with session_created");
    Session session;
    for (const auto& event : log) session.apply_event(event);
    return session;
}

// --- Queries ---------------------------------------------------------------------------------

const ScenarioState* Session::find_scenario(std::string_view id) const {
    for (const auto& s : scenarios_)
        if (s.scenario.id == id) return &s;
    return nullptr;
}

ScenarioState* Session::scenario_mut(std::string_view id) {
    return const_cast<ScenarioState*>(std::as_const(*this).find_scenario(id));
}

const ScenarioState* Session::current_scenario() const {
    return current_.empty() ? nullptr : find_scenario(current_);
}

const RoundState* Session::current_round() const {
    const auto* s = current_scenario();
    return s && !s->rounds.empty() ? &s->rounds.back() : nullptr;
}

RoundState* Session::current_round_mut() { return const_cast<RoundState*>(current_round()); }

const ParticipantState* Session::find_participant(ParticipantId id) const {
    return id >= 1 && id <= participants_.size() ? &participants_[id - 1] : nullptr;
}

const ParticipantState* Session::find_by_token_hash(const std::string& token_hash) const {
    auto it = by_token_hash_.find(token_hash);
    return it == by_token_hash_.end() ? nullptr : find_participant(it->second);
}

const CommentState* Session::find_comment(CommentId id) const {
    return id >= 1 && id <= comments_.size() ? &comments_[id - 1] : nullptr;
}

int Session::vote_of(ParticipantId id, const ScenarioState& scenario, int round,
                     std::size_t test) const {
    if (round < 1 || static_cast<std::size_t>(round) > scenario.rounds.size()) return no_vote;
    const auto& votes = scenario.rounds[static_cast<std::size_t>(round - 1)].votes;
    if (test >= votes.size() || id < 1 || id > votes[test].size()) return no_vote;
    return votes[test][id - 1];
}

bool Session::results_visible_to_participants(const RoundState& round) const {
    return round.revealed || live_results_;
}

RoundState Session::make_round(int number) const {
    RoundState round;
    round.number = number;
    const auto tests = config_.framework.tests.size();
    round.open.assign(tests, false);
    round.votes.resize(tests);
    round.tallies.resize(tests);
    for (auto& tally : round.tallies) tally.by_area.resize(config_.areas.size());
    return round;
}

void Session::recompute_phase() {
    if (ended_) {
        phase_ = Phase::ended;
        return;
    }
    const auto* round = current_round();
    if (!round)
        phase_ = Phase::lobby;
    else if (round->any_open())
        phase_ = Phase::voting_open;
    else if (round->revealed)
        phase_ = Phase::results_revealed;
    else if (round->voting_started)
        phase_ = Phase::voting_closed;
    else
        phase_ = Phase::scenario_open;
}

// --- Commands --------------------------------------------------------------------------------

namespace {
/// The idempotency key of a vote or comment: kinds are kept apart so one id cannot cancel the
/// other kind of action.
std::optional<std::string> client_key(const Command& command) {
    if (const auto* v = std::get_if<cmd::CastVote>(&command); v && !v->client_id.empty())
        return "v:" + v->client_id;
    if (const auto* c = std::get_if<cmd::AddComment>(&command); c && !c->client_id.empty())
        return "c:" + c->client_id;
    return std::nullopt;
}
}  // namespace

Outcome Session::apply(const Actor& actor, const Command& command, TimeMs now) {
    Outcome outcome;
    if (auto key = client_key(command); key && actor.kind == Actor::Kind::participant) {
        const auto* p = find_participant(actor.participant);
        if (p && p->client_ids.count(*key)) {
            outcome.duplicate = true;  // a resend of something already applied
            return outcome;
        }
    }
    auto decision = decide(actor, command);
    if (auto* error = std::get_if<RuleError>(&decision)) {
        outcome.error = std::move(*error);
        return outcome;
    }
    auto& payloads = std::get<std::vector<EventPayload>>(decision);
    for (auto& payload : payloads) {
        Event event{next_seq(), now, std::move(payload)};
        apply_event(event);
        if (auto* joined = std::get_if<ev::ParticipantJoined>(&event.payload))
            outcome.joined = joined->participant;
        outcome.events.push_back(std::move(event));
    }
    return outcome;
}

Decision Session::decide(const Actor& actor, const Command& command) const {
    const bool is_facilitator = actor.kind == Actor::Kind::facilitator;
    const bool needs_facilitator =
        !std::holds_alternative<cmd::Join>(command) &&
        !std::holds_alternative<cmd::CastVote>(command) &&
        !std::holds_alternative<cmd::AddComment>(command) &&
        !std::holds_alternative<cmd::Endorse>(command);
    if (needs_facilitator && !is_facilitator)
        return err(ErrorCode::not_facilitator, "only the facilitator can do this");
    const bool allowed_after_end = std::holds_alternative<cmd::SetVisibility>(command) ||
                                   std::holds_alternative<cmd::ModerateComment>(command);
    if (ended_ && !allowed_after_end)
        return err(ErrorCode::session_ended, "the session has ended");

    return std::visit(
        overloaded{
            [&](const cmd::Join& c) -> Decision {
                if (actor.kind != Actor::Kind::anonymous)
                    return err(ErrorCode::invalid_phase, "this connection has already joined");
                const auto& areas = config_.areas;
                auto area = std::find(areas.begin(), areas.end(), c.area);
                if (area == areas.end())
                    return err(ErrorCode::unknown_area, "\"" + c.area + "\" is not an area of this session");
                auto name = trimmed(c.name);
                if (name.size() > limits::display_name)
                    return err(ErrorCode::text_too_long, "a display name may have at most " +
                                                             std::to_string(limits::display_name) +
                                                             " characters");
                if (!is_valid_utf8(name))
                    return err(ErrorCode::invalid_value, "the display name is not valid UTF-8");
                if (participants_.size() >= limits::participants)
                    return err(ErrorCode::too_many_participants, "this session is full");
                if (c.token_hash.empty() || by_token_hash_.count(c.token_hash))
                    return err(ErrorCode::invalid_value, "a fresh resume token is required");
                return std::vector<EventPayload>{ev::ParticipantJoined{
                    static_cast<ParticipantId>(participants_.size() + 1), std::move(name), c.area,
                    c.sector, c.role, c.token_hash}};
            },
            [&](const cmd::OpenScenario& c) -> Decision {
                const auto* s = find_scenario(c.scenario);
                if (!s) return err(ErrorCode::unknown_scenario, "there is no scenario \"" + c.scenario + "\"");
                if (phase_ == Phase::voting_open)
                    return err(ErrorCode::voting_open, "close voting before moving to another scenario");
                if (current_ == c.scenario)
                    return err(ErrorCode::invalid_phase, "this scenario is already open");
                const int round = s->rounds.empty() ? 1 : s->rounds.back().number;
                return std::vector<EventPayload>{ev::ScenarioOpened{c.scenario, round}};
            },
            [&](const cmd::NextScenario&) -> Decision {
                if (phase_ == Phase::voting_open)
                    return err(ErrorCode::voting_open, "close voting before moving to the next scenario");
                std::size_t next = 0;
                if (const auto* s = current_scenario()) next = static_cast<std::size_t>(s - scenarios_.data()) + 1;
                if (next >= scenarios_.size())
                    return err(ErrorCode::no_next_scenario, "this is the last scenario");
                const auto& s = scenarios_[next];
                const int round = s.rounds.empty() ? 1 : s.rounds.back().number;
                return std::vector<EventPayload>{ev::ScenarioOpened{s.scenario.id, round}};
            },
            [&](const cmd::OpenVoting& c) -> Decision {
                const auto* round = current_round();
                if (!round) return err(ErrorCode::invalid_phase, "open a scenario before opening voting");
                if (round->revealed)
                    return err(ErrorCode::already_revealed,
                               "results of this round are revealed: start a new round to vote again");
                std::vector<std::string> tests;
                const auto& fw = config_.framework;
                if (c.test) {
                    const int t = fw.index_of(*c.test);
                    if (t < 0) return err(ErrorCode::unknown_test, "there is no test \"" + *c.test + "\"");
                    if (round->open[static_cast<std::size_t>(t)])
                        return err(ErrorCode::invalid_phase, "voting on " + fw.tests[static_cast<std::size_t>(t)].name + " is already open");
                    tests.push_back(*c.test);
                } else {
                    for (std::size_t t = 0; t < fw.tests.size(); ++t)
                        if (!round->open[t]) tests.push_back(fw.tests[t].id);
                    if (tests.empty()) return err(ErrorCode::invalid_phase, "voting is already open on every test");
                }
                return std::vector<EventPayload>{ev::VotingOpened{current_, round->number, std::move(tests)}};
            },
            [&](const cmd::CloseVoting& c) -> Decision {
                const auto* round = current_round();
                if (!round || !round->any_open())
                    return err(ErrorCode::voting_closed, "voting is not open");
                std::vector<std::string> tests;
                const auto& fw = config_.framework;
                if (c.test) {
                    const int t = fw.index_of(*c.test);
                    if (t < 0) return err(ErrorCode::unknown_test, "there is no test \"" + *c.test + "\"");
                    if (!round->open[static_cast<std::size_t>(t)])
                        return err(ErrorCode::voting_closed, "voting on " + fw.tests[static_cast<std::size_t>(t)].name + " is not open");
                    tests.push_back(*c.test);
                } else {
                    for (std::size_t t = 0; t < fw.tests.size(); ++t)
                        if (round->open[t]) tests.push_back(fw.tests[t].id);
                }
                return std::vector<EventPayload>{ev::VotingClosed{current_, round->number, std::move(tests)}};
            },
            [&](const cmd::Reveal&) -> Decision {
                if (phase_ == Phase::voting_open)
                    return err(ErrorCode::voting_open, "close voting before revealing the results");
                if (phase_ != Phase::voting_closed)
                    return err(ErrorCode::invalid_phase, phase_ == Phase::results_revealed
                                                             ? "the results are already revealed"
                                                             : "there are no results to reveal yet: open and close voting first");
                return std::vector<EventPayload>{ev::ResultsRevealed{current_, current_round()->number}};
            },
            [&](const cmd::NewRound&) -> Decision {
                if (phase_ != Phase::results_revealed)
                    return err(ErrorCode::invalid_phase, "reveal the results of this round before starting a new one");
                return std::vector<EventPayload>{ev::RoundStarted{current_, current_round()->number + 1}};
            },
            [&](const cmd::EndSession&) -> Decision {
                return std::vector<EventPayload>{ev::SessionEnded{}};
            },
            [&](const cmd::SetVisibility& c) -> Decision {
                ev::VisibilityChanged e{c.live_results.value_or(live_results_),
                                        c.show_comments.value_or(show_comments_)};
                if (e.live_results == live_results_ && e.show_comments == show_comments_)
                    return std::vector<EventPayload>{};
                return std::vector<EventPayload>{e};
            },
            [&](const cmd::CastVote& c) -> Decision { return decide_vote(actor, c); },
            [&](const cmd::AddComment& c) -> Decision { return decide_comment(actor, c); },
            [&](const cmd::Endorse& c) -> Decision {
                if (actor.kind != Actor::Kind::participant)
                    return err(ErrorCode::not_participant, "only participants can endorse comments");
                const auto* p = find_participant(actor.participant);
                if (!p) return err(ErrorCode::not_participant, "unknown participant");
                if (p->role == Role::observer)
                    return err(ErrorCode::observer_cannot_vote, "observers cannot endorse comments");
                const auto* comment = find_comment(c.comment);
                // A comment the participant cannot see is reported as missing, so that error
                // codes do not reveal which comments exist.
                if (!comment || (comment->author != p->id && (!show_comments_ || comment->hidden)))
                    return err(ErrorCode::unknown_comment, "there is no comment " + std::to_string(c.comment));
                if (comment->author == p->id) return err(ErrorCode::own_comment, "you cannot endorse your own comment");
                if (comment->endorsers.count(p->id))
                    return err(ErrorCode::already_endorsed, "you have already endorsed this comment");
                return std::vector<EventPayload>{ev::CommentEndorsed{c.comment, p->id}};
            },
            [&](const cmd::ModerateComment& c) -> Decision {
                const auto* comment = find_comment(c.comment);
                if (!comment) return err(ErrorCode::unknown_comment, "there is no comment " + std::to_string(c.comment));
                std::vector<EventPayload> events;
                if (c.hidden && *c.hidden != comment->hidden) events.push_back(ev::CommentHidden{c.comment, *c.hidden});
                if (c.pinned && *c.pinned != comment->pinned) events.push_back(ev::CommentPinned{c.comment, *c.pinned});
                return events;
            },
            [&](const cmd::AddScenario& c) -> Decision {
                if (scenarios_.size() >= limits::scenarios)
                    return err(ErrorCode::invalid_config, "a session may have at most " + std::to_string(limits::scenarios) + " scenarios");
                Scenario s = c.scenario;
                if (s.id.empty()) {
                    std::size_t n = scenarios_.size() + 1;
                    while (find_scenario("s" + std::to_string(n))) ++n;
                    s.id = "s" + std::to_string(n);
                }
                if (find_scenario(s.id)) return err(ErrorCode::duplicate_scenario, "there is already a scenario \"" + s.id + "\"");
                if (auto problem = check_scenario(s)) return *problem;
                return std::vector<EventPayload>{ev::ScenarioAdded{std::move(s)}};
            },
            [&](const cmd::UpdateScenario& c) -> Decision {
                const auto* s = find_scenario(c.scenario.id);
                if (!s) return err(ErrorCode::unknown_scenario, "there is no scenario \"" + c.scenario.id + "\"");
                if (!s->rounds.empty())
                    return err(ErrorCode::scenario_already_used,
                               "this scenario has already been opened; its wording can no longer change");
                if (auto problem = check_scenario(c.scenario)) return *problem;
                return std::vector<EventPayload>{ev::ScenarioUpdated{c.scenario}};
            },
            [&](const cmd::ReorderScenarios& c) -> Decision {
                std::set<std::string> given(c.order.begin(), c.order.end());
                if (given.size() != c.order.size() || c.order.size() != scenarios_.size())
                    return err(ErrorCode::invalid_value, "the new order must list every scenario once");
                for (const auto& id : c.order)
                    if (!find_scenario(id)) return err(ErrorCode::unknown_scenario, "there is no scenario \"" + id + "\"");
                return std::vector<EventPayload>{ev::ScenariosReordered{c.order}};
            },
        },
        command);
}

Decision Session::decide_vote(const Actor& actor, const cmd::CastVote& c) const {
    if (actor.kind != Actor::Kind::participant)
        return err(ErrorCode::not_participant, "only participants can vote");
    const auto* p = find_participant(actor.participant);
    if (!p) return err(ErrorCode::not_participant, "unknown participant");
    if (p->role == Role::observer)
        return err(ErrorCode::observer_cannot_vote, "observers cannot vote");
    if (!is_valid_vote_value(c.value))
        return err(ErrorCode::invalid_value, "a vote is 1 to 5, or \"can't say\"");
    const auto* s = find_scenario(c.scenario);
    if (!s) return err(ErrorCode::unknown_scenario, "there is no scenario \"" + c.scenario + "\"");
    const int t = config_.framework.index_of(c.test);
    if (t < 0) return err(ErrorCode::unknown_test, "there is no test \"" + c.test + "\"");
    if (c.scenario != current_)
        return err(ErrorCode::not_current_scenario, "voting is not open on this scenario");
    const auto* round = current_round();
    if (c.round && *c.round != round->number)
        return err(ErrorCode::stale_round, "that round is over; the current round is " +
                                               std::to_string(round->number));
    if (!round->open[static_cast<std::size_t>(t)])
        return err(ErrorCode::voting_closed,
                   "voting on " + config_.framework.tests[static_cast<std::size_t>(t)].name +
                       " is not open");
    if (vote_of(p->id, *s, round->number, static_cast<std::size_t>(t)) == c.value)
        return std::vector<EventPayload>{};  // not a change of mind: nothing to record
    return std::vector<EventPayload>{
        ev::VoteCast{p->id, c.scenario, round->number, c.test, c.value, c.client_id}};
}

Decision Session::decide_comment(const Actor& actor, const cmd::AddComment& c) const {
    if (actor.kind != Actor::Kind::participant)
        return err(ErrorCode::not_participant, "only participants can comment");
    const auto* p = find_participant(actor.participant);
    if (!p) return err(ErrorCode::not_participant, "unknown participant");
    const auto* s = find_scenario(c.scenario);
    if (!s) return err(ErrorCode::unknown_scenario, "there is no scenario \"" + c.scenario + "\"");
    if (s->rounds.empty())
        return err(ErrorCode::scenario_not_opened, "this scenario has not been opened yet");
    if (!c.test.empty() && config_.framework.index_of(c.test) < 0)
        return err(ErrorCode::unknown_test, "there is no test \"" + c.test + "\"");
    auto text = trimmed(c.text);
    if (text.empty()) return err(ErrorCode::empty_text, "a comment needs some text");
    if (text.size() > limits::comment_text)
        return err(ErrorCode::text_too_long, "a comment may have at most " +
                                                 std::to_string(limits::comment_text) +
                                                 " characters");
    if (!is_valid_utf8(text)) return err(ErrorCode::invalid_value, "the comment is not valid UTF-8");
    if (p->comments_posted >= limits::comments_per_participant)
        return err(ErrorCode::too_many_comments, "you have reached the limit of " +
                                                     std::to_string(limits::comments_per_participant) +
                                                     " comments");
    return std::vector<EventPayload>{
        ev::CommentAdded{static_cast<CommentId>(comments_.size() + 1), p->id, c.scenario,
                         s->rounds.back().number, c.test, c.kind, std::move(text), c.client_id}};
}

// --- Events ----------------------------------------------------------------------------------

void Session::apply_event(const Event& event) {
    if (event.seq != last_seq_ + 1)
        throw std::invalid_argument("event " + std::to_string(event.seq) + " out of order after " +
                                    std::to_string(last_seq_));
    std::visit([&](const auto& payload) { on(payload, event.at); }, event.payload);
    last_seq_ = event.seq;
    recompute_phase();
}

void Session::on(const ev::SessionCreated& e, TimeMs at) {
    config_ = e.config;
    created_at_ = at;
    for (const auto& s : config_.scenarios) scenarios_.push_back({s, {}});
}

void Session::on(const ev::ParticipantJoined& e, TimeMs at) {
    ParticipantState p;
    p.id = e.participant;
    p.name = e.name;
    const auto& areas = config_.areas;
    p.area = static_cast<std::size_t>(std::find(areas.begin(), areas.end(), e.area) - areas.begin());
    p.sector = e.sector;
    p.role = e.role;
    p.token_hash = e.token_hash;
    p.joined_at = at;
    by_token_hash_[p.token_hash] = p.id;
    participants_.push_back(std::move(p));
}

void Session::on(const ev::ScenarioOpened& e, TimeMs) {
    auto* s = scenario_mut(e.scenario);
    if (s->rounds.empty()) s->rounds.push_back(make_round(e.round));
    current_ = e.scenario;
}

void Session::on(const ev::VotingOpened& e, TimeMs) {
    auto* round = current_round_mut();
    round->voting_started = true;
    for (const auto& test : e.tests)
        round->open[static_cast<std::size_t>(config_.framework.index_of(test))] = true;
}

void Session::on(const ev::VotingClosed& e, TimeMs) {
    auto* round = current_round_mut();
    for (const auto& test : e.tests)
        round->open[static_cast<std::size_t>(config_.framework.index_of(test))] = false;
}

void Session::on(const ev::ResultsRevealed&, TimeMs) { current_round_mut()->revealed = true; }

void Session::on(const ev::RoundStarted& e, TimeMs) {
    scenario_mut(e.scenario)->rounds.push_back(make_round(e.round));
}

void Session::on(const ev::SessionEnded&, TimeMs) {
    if (auto* round = current_round_mut()) std::fill(round->open.begin(), round->open.end(), false);
    ended_ = true;
}

void Session::on(const ev::VisibilityChanged& e, TimeMs) {
    live_results_ = e.live_results;
    show_comments_ = e.show_comments;
}

void Session::on(const ev::VoteCast& e, TimeMs) {
    auto& p = participants_[e.participant - 1];
    auto* s = scenario_mut(e.scenario);
    auto& round = s->rounds[static_cast<std::size_t>(e.round - 1)];
    const auto t = static_cast<std::size_t>(config_.framework.index_of(e.test));
    auto& column = round.votes[t];
    if (column.size() < participants_.size()) column.resize(participants_.size(), no_vote);
    auto& slot = column[e.participant - 1];
    auto& tally = round.tallies[t];
    const auto sector = static_cast<std::size_t>(p.sector);
    if (slot != no_vote) {
        tally.overall.remove(slot);
        tally.by_area[p.area].remove(slot);
        tally.by_sector[sector].remove(slot);
    }
    slot = static_cast<std::int8_t>(e.value);
    tally.overall.add(e.value);
    tally.by_area[p.area].add(e.value);
    tally.by_sector[sector].add(e.value);
    if (!e.client_id.empty()) p.client_ids.insert("v:" + e.client_id);
}

void Session::on(const ev::CommentAdded& e, TimeMs at) {
    auto& p = participants_[e.participant - 1];
    ++p.comments_posted;
    if (!e.client_id.empty()) p.client_ids.insert("c:" + e.client_id);
    CommentState c;
    c.id = e.comment;
    c.author = e.participant;
    c.scenario = e.scenario;
    c.round = e.round;
    c.test = e.test;
    c.kind = e.kind;
    c.text = e.text;
    c.at = at;
    comments_.push_back(std::move(c));
}

void Session::on(const ev::CommentEndorsed& e, TimeMs) {
    comments_[e.comment - 1].endorsers.insert(e.participant);
}

void Session::on(const ev::CommentHidden& e, TimeMs) { comments_[e.comment - 1].hidden = e.hidden; }

void Session::on(const ev::CommentPinned& e, TimeMs) { comments_[e.comment - 1].pinned = e.pinned; }

void Session::on(const ev::ScenarioAdded& e, TimeMs) { scenarios_.push_back({e.scenario, {}}); }

void Session::on(const ev::ScenarioUpdated& e, TimeMs) {
    scenario_mut(e.scenario.id)->scenario = e.scenario;
}

void Session::on(const ev::ScenariosReordered& e, TimeMs) {
    std::vector<std::size_t> positions;
    for (const auto& id : e.order)
        positions.push_back(static_cast<std::size_t>(find_scenario(id) - scenarios_.data()));
    std::vector<ScenarioState> reordered;
    for (auto position : positions) reordered.push_back(std::move(scenarios_[position]));
    scenarios_ = std::move(reordered);
}

}  // namespace quorum
