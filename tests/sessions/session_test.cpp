#include "sessions/session.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace quorum;
using namespace quorum::testing;

namespace {

ErrorCode error_of(const Outcome& o) {
    REQUIRE(o.error);
    return o.error->code;
}

/// Everything observable about a session, for comparing a live session with its replay.
std::string fingerprint(const Session& s) {
    std::string f = std::string(to_string(s.phase())) + "|" + std::to_string(s.last_seq()) + "|" +
                    (s.live_results() ? "L" : "l") + (s.show_comments() ? "C" : "c");
    for (const auto& sc : s.scenarios()) {
        f += "|" + sc.scenario.id + ":" + sc.scenario.title;
        for (const auto& r : sc.rounds) {
            f += "/r" + std::to_string(r.number) + (r.revealed ? "R" : "") +
                 (r.voting_started ? "S" : "");
            for (bool o : r.open) f += o ? "o" : "-";
            for (const auto& t : r.tallies) {
                for (auto c : t.overall.counts) f += std::to_string(c) + ",";
                for (const auto& a : t.by_area)
                    for (auto c : a.counts) f += std::to_string(c);
            }
            for (const auto& column : r.votes)
                for (auto v : column) f += std::to_string(int(v));
        }
    }
    for (const auto& p : s.participants())
        f += "|p" + std::to_string(p.id) + p.name + std::to_string(p.area) +
             std::string(to_string(p.role)) + std::to_string(p.comments_posted) +
             std::to_string(p.client_ids.size());
    for (const auto& c : s.comments())
        f += "|c" + std::to_string(c.id) + c.text + (c.hidden ? "H" : "") + (c.pinned ? "P" : "") +
             std::to_string(c.endorsers.size());
    return f;
}

}  // namespace

TEST_CASE("a new session starts in the lobby with its configuration") {
    auto s = new_session();
    CHECK(s.phase() == Phase::lobby);
    CHECK(s.last_seq() == 1);
    CHECK(s.scenarios().size() == 2);
    CHECK(s.scenarios()[0].scenario.id == "s1");
    CHECK(s.scenarios()[1].scenario.id == "s2");
    CHECK(s.config().framework.tests.size() == 3);  // the default framework was filled in
    CHECK(s.current_scenario() == nullptr);
}

TEST_CASE("an unusable configuration is refused with a reason") {
    auto c = three_area_config();
    SECTION("no title") { c.title = "  "; }
    SECTION("no areas") { c.areas.clear(); }
    SECTION("repeated area") { c.areas.push_back("Leeds"); }
    SECTION("repeated scenario id") {
        c.scenarios[0].id = "x";
        c.scenarios[1].id = "x";
    }
    SECTION("scenario without description") { c.scenarios[0].description = ""; }
    SECTION("test id that is not a slug") {
        c.framework = default_framework();
        c.framework.tests[0].id = "Purpose ful";
    }
    auto result = Session::create(c, 0);
    REQUIRE(std::holds_alternative<RuleError>(result));
    CHECK(std::get<RuleError>(result).code == ErrorCode::invalid_config);
    CHECK_FALSE(std::get<RuleError>(result).message.empty());
}

TEST_CASE("participants join an area of the session and get sequential ids") {
    auto s = new_session();
    CHECK(join(s, "Leeds") == 1);
    CHECK(join(s, "Bradford", Role::observer) == 2);
    CHECK(s.participants()[1].role == Role::observer);
    CHECK(s.participants()[1].area == 1);
    CHECK(s.find_by_token_hash("token-hash-1")->id == 1);
    CHECK(s.find_by_token_hash("nope") == nullptr);

    auto bad = s.apply(Actor::anonymous(), cmd::Join{"X", "Atlantis", {}, {}, "t-x"}, 0);
    CHECK(error_of(bad) == ErrorCode::unknown_area);
    auto reused = s.apply(Actor::anonymous(), cmd::Join{"X", "Leeds", {}, {}, "token-hash-1"}, 0);
    CHECK(error_of(reused) == ErrorCode::invalid_value);
    auto long_name =
        s.apply(Actor::anonymous(), cmd::Join{std::string(61, 'n'), "Leeds", {}, {}, "t-y"}, 0);
    CHECK(error_of(long_name) == ErrorCode::text_too_long);
    CHECK(s.participants().size() == 2);
}

TEST_CASE("the facilitator drives the phases from lobby to the end") {
    auto s = new_session();
    auto p = join(s, "Leeds");

    REQUIRE(as_facilitator(s, cmd::OpenScenario{"s1"}).ok());
    CHECK(s.phase() == Phase::scenario_open);
    CHECK(s.current_round()->number == 1);

    REQUIRE(as_facilitator(s, cmd::OpenVoting{}).ok());
    CHECK(s.phase() == Phase::voting_open);
    REQUIRE(vote(s, p, "s1", "purposeful", 4).ok());

    REQUIRE(as_facilitator(s, cmd::CloseVoting{}).ok());
    CHECK(s.phase() == Phase::voting_closed);
    REQUIRE(as_facilitator(s, cmd::Reveal{}).ok());
    CHECK(s.phase() == Phase::results_revealed);

    REQUIRE(as_facilitator(s, cmd::NewRound{}).ok());
    CHECK(s.phase() == Phase::scenario_open);
    CHECK(s.current_round()->number == 2);
    CHECK(s.current_scenario()->rounds.size() == 2);  // round 1 is kept

    REQUIRE(as_facilitator(s, cmd::NextScenario{}).ok());
    CHECK(s.current_scenario()->scenario.id == "s2");
    CHECK(error_of(as_facilitator(s, cmd::NextScenario{})) == ErrorCode::no_next_scenario);

    REQUIRE(as_facilitator(s, cmd::EndSession{}).ok());
    CHECK(s.phase() == Phase::ended);
    CHECK(error_of(as_facilitator(s, cmd::OpenScenario{"s1"})) == ErrorCode::session_ended);
    CHECK(error_of(vote(s, p, "s2", "purposeful", 4)) == ErrorCode::session_ended);
}

TEST_CASE("phase transitions out of order are refused and change nothing") {
    auto s = new_session();
    const auto before = fingerprint(s);
    CHECK(error_of(as_facilitator(s, cmd::OpenVoting{})) == ErrorCode::invalid_phase);
    CHECK(error_of(as_facilitator(s, cmd::CloseVoting{})) == ErrorCode::voting_closed);
    CHECK(error_of(as_facilitator(s, cmd::Reveal{})) == ErrorCode::invalid_phase);
    CHECK(error_of(as_facilitator(s, cmd::NewRound{})) == ErrorCode::invalid_phase);
    CHECK(error_of(as_facilitator(s, cmd::OpenScenario{"nope"})) == ErrorCode::unknown_scenario);
    CHECK(fingerprint(s) == before);

    REQUIRE(as_facilitator(s, cmd::OpenScenario{"s1"}).ok());
    CHECK(error_of(as_facilitator(s, cmd::Reveal{})) == ErrorCode::invalid_phase);
    REQUIRE(as_facilitator(s, cmd::OpenVoting{}).ok());
    CHECK(error_of(as_facilitator(s, cmd::OpenVoting{})) == ErrorCode::invalid_phase);
    CHECK(error_of(as_facilitator(s, cmd::Reveal{})) == ErrorCode::voting_open);
    CHECK(error_of(as_facilitator(s, cmd::NextScenario{})) == ErrorCode::voting_open);
    CHECK(error_of(as_facilitator(s, cmd::OpenScenario{"s2"})) == ErrorCode::voting_open);
    CHECK(error_of(as_facilitator(s, cmd::NewRound{})) == ErrorCode::invalid_phase);
    REQUIRE(as_facilitator(s, cmd::CloseVoting{}).ok());
    REQUIRE(as_facilitator(s, cmd::Reveal{}).ok());
    CHECK(error_of(as_facilitator(s, cmd::Reveal{})) == ErrorCode::invalid_phase);
    CHECK(error_of(as_facilitator(s, cmd::OpenVoting{})) == ErrorCode::already_revealed);
}

TEST_CASE("voting can open and close one test at a time") {
    auto s = new_session();
    auto p = join(s, "Leeds");
    as_facilitator(s, cmd::OpenScenario{"s1"});
    REQUIRE(as_facilitator(s, cmd::OpenVoting{"proportionate"}).ok());
    CHECK(s.phase() == Phase::voting_open);
    CHECK(error_of(vote(s, p, "s1", "purposeful", 4)) == ErrorCode::voting_closed);
    CHECK(vote(s, p, "s1", "proportionate", 2).ok());
    CHECK(error_of(as_facilitator(s, cmd::OpenVoting{"nonsense"})) == ErrorCode::unknown_test);
    REQUIRE(as_facilitator(s, cmd::OpenVoting{"purposeful"}).ok());
    REQUIRE(as_facilitator(s, cmd::CloseVoting{"proportionate"}).ok());
    CHECK(s.phase() == Phase::voting_open);  // purposeful is still open
    CHECK(error_of(vote(s, p, "s1", "proportionate", 3)) == ErrorCode::voting_closed);
    CHECK(error_of(as_facilitator(s, cmd::CloseVoting{"responsible"})) == ErrorCode::voting_closed);
    REQUIRE(as_facilitator(s, cmd::CloseVoting{"purposeful"}).ok());
    CHECK(s.phase() == Phase::voting_closed);
    // Voting can be reopened before the reveal, e.g. for the next test.
    REQUIRE(as_facilitator(s, cmd::OpenVoting{"responsible"}).ok());
    CHECK(s.phase() == Phase::voting_open);
}

TEST_CASE("votes: last one counts, tallies follow every change") {
    auto s = new_session();
    auto leeds = join(s, "Leeds", Role::participant, Sector::public_sector);
    auto bradford = join(s, "Bradford", Role::participant, Sector::voluntary);
    as_facilitator(s, cmd::OpenScenario{"s1"});
    as_facilitator(s, cmd::OpenVoting{});

    REQUIRE(vote(s, leeds, "s1", "purposeful", 2).events.size() == 1);
    REQUIRE(vote(s, leeds, "s1", "purposeful", 5).events.size() == 1);  // a change of mind
    REQUIRE(vote(s, bradford, "s1", "purposeful", cant_say).ok());
    const auto& tally = s.current_round()->tallies[0];
    CHECK(tally.overall.counts == std::array<std::uint32_t, 6>{1, 0, 0, 0, 0, 1});
    CHECK(tally.overall.opinions() == 1);
    CHECK(tally.by_area[0].counts[5] == 1);
    CHECK(tally.by_area[0].counts[2] == 0);
    CHECK(tally.by_area[1].counts[0] == 1);
    CHECK(tally.by_sector[static_cast<int>(Sector::public_sector)].counts[5] == 1);
    CHECK(tally.by_sector[static_cast<int>(Sector::voluntary)].counts[0] == 1);
    CHECK(s.vote_of(leeds, *s.current_scenario(), 1, 0) == 5);

    // Repeating the same value is not a change: nothing new in the transcript.
    auto same = vote(s, leeds, "s1", "purposeful", 5);
    CHECK(same.ok());
    CHECK(same.events.empty());
    CHECK_FALSE(same.duplicate);
}

TEST_CASE("votes are refused where the rules say so") {
    auto s = new_session();
    auto p = join(s, "Leeds");
    auto observer = join(s, "Leeds", Role::observer);
    as_facilitator(s, cmd::OpenScenario{"s1"});
    CHECK(error_of(vote(s, p, "s1", "purposeful", 3)) == ErrorCode::voting_closed);
    as_facilitator(s, cmd::OpenVoting{});
    const auto before = fingerprint(s);
    CHECK(error_of(vote(s, observer, "s1", "purposeful", 3)) == ErrorCode::observer_cannot_vote);
    CHECK(error_of(vote(s, p, "s2", "purposeful", 3)) == ErrorCode::not_current_scenario);
    CHECK(error_of(vote(s, p, "zz", "purposeful", 3)) == ErrorCode::unknown_scenario);
    CHECK(error_of(vote(s, p, "s1", "nonsense", 3)) == ErrorCode::unknown_test);
    CHECK(error_of(vote(s, p, "s1", "purposeful", 6)) == ErrorCode::invalid_value);
    CHECK(error_of(vote(s, p, "s1", "purposeful", -1)) == ErrorCode::invalid_value);
    CHECK(error_of(vote(s, 99, "s1", "purposeful", 3)) == ErrorCode::not_participant);
    CHECK(error_of(s.apply(Actor::facilitator(), cmd::CastVote{"s1", "purposeful", 3}, 0)) ==
          ErrorCode::not_participant);
    auto stale = s.apply(Actor::of_participant(p), cmd::CastVote{"s1", "purposeful", 3, 2, ""}, 0);
    CHECK(error_of(stale) == ErrorCode::stale_round);
    CHECK(fingerprint(s) == before);
}

TEST_CASE("a vote resent with the same client id is applied once") {
    auto s = new_session();
    auto p = join(s, "Leeds");
    as_facilitator(s, cmd::OpenScenario{"s1"});
    as_facilitator(s, cmd::OpenVoting{});
    auto first = vote(s, p, "s1", "purposeful", 4, "c-1");
    REQUIRE(first.events.size() == 1);
    auto again = vote(s, p, "s1", "purposeful", 2, "c-1");
    CHECK(again.ok());
    CHECK(again.duplicate);
    CHECK(again.events.empty());
    CHECK(s.vote_of(p, *s.current_scenario(), 1, 0) == 4);
    // Ids are per kind of action: a comment reusing a vote's id is still a new comment.
    auto comment = s.apply(Actor::of_participant(p),
                           cmd::AddComment{"s1", "", CommentKind::risk, "A risk", "c-1"}, 0);
    CHECK(comment.events.size() == 1);
    CHECK_FALSE(comment.duplicate);
}

TEST_CASE("comments a participant cannot see cannot be endorsed, and look missing") {
    auto s = new_session();
    auto a = join(s, "Leeds");
    auto b = join(s, "Bradford");
    as_facilitator(s, cmd::OpenScenario{"s1"});
    REQUIRE(s.apply(Actor::of_participant(a), cmd::AddComment{"s1", "", CommentKind::risk, "x", ""}, 0).ok());
    as_facilitator(s, cmd::SetVisibility{std::nullopt, false});
    CHECK(error_of(s.apply(Actor::of_participant(b), cmd::Endorse{1}, 0)) == ErrorCode::unknown_comment);
    as_facilitator(s, cmd::SetVisibility{std::nullopt, true});
    CHECK(s.apply(Actor::of_participant(b), cmd::Endorse{1}, 0).ok());
}

TEST_CASE("participants cannot act as the facilitator") {
    auto s = new_session();
    auto p = join(s, "Leeds");
    const auto before = fingerprint(s);
    const Command facilitator_only[] = {
        cmd::OpenScenario{"s1"}, cmd::NextScenario{},      cmd::OpenVoting{},
        cmd::CloseVoting{},      cmd::Reveal{},            cmd::NewRound{},
        cmd::EndSession{},       cmd::SetVisibility{true, {}}, cmd::ModerateComment{1, true, {}},
        cmd::AddScenario{{"", "T", "D"}}, cmd::UpdateScenario{{"s1", "T", "D"}},
        cmd::ReorderScenarios{{"s2", "s1"}}};
    for (const auto& c : facilitator_only) {
        CHECK(error_of(s.apply(Actor::of_participant(p), c, 0)) == ErrorCode::not_facilitator);
        CHECK(error_of(s.apply(Actor::anonymous(), c, 0)) == ErrorCode::not_facilitator);
    }
    CHECK(fingerprint(s) == before);
}

TEST_CASE("comments, endorsements and moderation") {
    auto s = new_session();
    auto a = join(s, "Leeds");
    auto b = join(s, "Bradford");
    auto observer = join(s, "Leeds", Role::observer);
    auto add = [&](ParticipantId who, std::string text, std::string test = {}) {
        return s.apply(Actor::of_participant(who),
                       cmd::AddComment{"s1", std::move(test), CommentKind::risk, std::move(text), ""},
                       5000);
    };
    CHECK(error_of(add(a, "too early")) == ErrorCode::scenario_not_opened);
    as_facilitator(s, cmd::OpenScenario{"s1"});

    REQUIRE(add(a, "  Re-identification risk in small schools  ", "proportionate").ok());
    const auto& c = s.comments().at(0);
    CHECK(c.text == "Re-identification risk in small schools");  // trimmed
    CHECK(c.test == "proportionate");
    CHECK(c.author == a);
    CHECK(add(observer, "Observers may ask questions").ok());

    CHECK(error_of(add(a, "   ")) == ErrorCode::empty_text);
    CHECK(error_of(add(a, std::string(2001, 'x'))) == ErrorCode::text_too_long);
    CHECK(error_of(add(a, "x", "nonsense")) == ErrorCode::unknown_test);

    auto endorse = [&](ParticipantId who, CommentId id) {
        return s.apply(Actor::of_participant(who), cmd::Endorse{id}, 6000);
    };
    CHECK(endorse(b, 1).ok());
    CHECK(error_of(endorse(b, 1)) == ErrorCode::already_endorsed);
    CHECK(error_of(endorse(a, 1)) == ErrorCode::own_comment);
    CHECK(error_of(endorse(observer, 1)) == ErrorCode::observer_cannot_vote);
    CHECK(error_of(endorse(b, 42)) == ErrorCode::unknown_comment);
    CHECK(s.comments()[0].endorsers.size() == 1);

    REQUIRE(as_facilitator(s, cmd::ModerateComment{1, std::nullopt, true}).ok());
    CHECK(s.comments()[0].pinned);
    REQUIRE(as_facilitator(s, cmd::ModerateComment{2, true, std::nullopt}).ok());
    CHECK(s.comments()[1].hidden);
    CHECK(error_of(endorse(a, 2)) == ErrorCode::unknown_comment);  // hidden: as if it did not exist
    // Setting what is already set produces no event.
    CHECK(as_facilitator(s, cmd::ModerateComment{2, true, std::nullopt}).events.empty());
}

TEST_CASE("scenarios can be added, edited until first opened, and reordered") {
    auto s = new_session();
    auto added = as_facilitator(s, cmd::AddScenario{{"", "Bus passes", "Share journeys."}});
    REQUIRE(added.ok());
    CHECK(s.scenarios().back().scenario.id == "s3");
    CHECK(error_of(as_facilitator(s, cmd::AddScenario{{"s1", "Dup", "D"}})) ==
          ErrorCode::duplicate_scenario);
    REQUIRE(as_facilitator(s, cmd::UpdateScenario{{"s3", "Bus passes (v2)", "Share journeys."}}).ok());
    CHECK(s.find_scenario("s3")->scenario.title == "Bus passes (v2)");
    REQUIRE(as_facilitator(s, cmd::ReorderScenarios{{"s3", "s1", "s2"}}).ok());
    CHECK(s.scenarios()[0].scenario.id == "s3");
    CHECK(error_of(as_facilitator(s, cmd::ReorderScenarios{{"s3", "s1"}})) ==
          ErrorCode::invalid_value);
    as_facilitator(s, cmd::OpenScenario{"s1"});
    CHECK(error_of(as_facilitator(s, cmd::UpdateScenario{{"s1", "Changed", "D"}})) ==
          ErrorCode::scenario_already_used);
    // NextScenario follows the facilitator's order: after s1 comes s2.
    REQUIRE(as_facilitator(s, cmd::NextScenario{}).ok());
    CHECK(s.current_scenario()->scenario.id == "s2");
}

TEST_CASE("returning to an earlier scenario resumes its latest round") {
    auto s = new_session();
    auto p = join(s, "Leeds");
    as_facilitator(s, cmd::OpenScenario{"s1"});
    as_facilitator(s, cmd::OpenVoting{});
    vote(s, p, "s1", "purposeful", 4);
    as_facilitator(s, cmd::CloseVoting{});
    as_facilitator(s, cmd::OpenScenario{"s2"});
    CHECK(s.phase() == Phase::scenario_open);
    as_facilitator(s, cmd::OpenScenario{"s1"});
    CHECK(s.phase() == Phase::voting_closed);
    CHECK(s.current_round()->tallies[0].overall.counts[4] == 1);
}

TEST_CASE("visibility settings") {
    auto s = new_session();
    CHECK_FALSE(s.live_results());
    CHECK(s.show_comments());
    REQUIRE(as_facilitator(s, cmd::SetVisibility{true, false}).events.size() == 1);
    CHECK(s.live_results());
    CHECK_FALSE(s.show_comments());
    CHECK(as_facilitator(s, cmd::SetVisibility{true, std::nullopt}).events.empty());
}

TEST_CASE("replaying the event log rebuilds exactly the same state") {
    auto s = new_session();
    std::vector<Event> log;
    // Recreate the log: the first event is the creation.
    auto created = Session::create(three_area_config(), 1000);
    log.push_back(Event{1, 1000, ev::SessionCreated{std::get<Session>(created).config()}});
    auto run = [&](const Actor& actor, const Command& c) {
        auto out = s.apply(actor, c, 7000 + static_cast<TimeMs>(log.size()));
        for (auto& e : out.events) log.push_back(e);
        return out;
    };
    std::vector<ParticipantId> people;
    for (int i = 0; i < 9; ++i) {
        const char* areas[] = {"Leeds", "Bradford", "Wakefield"};
        auto out = run(Actor::anonymous(),
                       cmd::Join{"P" + std::to_string(i), areas[i % 3],
                                 static_cast<Sector>(i % 4), i == 8 ? Role::observer : Role::participant,
                                 "h" + std::to_string(i)});
        people.push_back(*out.joined);
    }
    run(Actor::facilitator(), cmd::AddScenario{{"", "Bus passes", "Share journeys."}});
    run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    run(Actor::facilitator(), cmd::OpenVoting{});
    for (std::size_t i = 0; i < people.size(); ++i)
        for (const char* t : {"purposeful", "proportionate", "responsible"})
            run(Actor::of_participant(people[i]),
                cmd::CastVote{"s1", t, static_cast<int>((i * 7 + t[1]) % 6), std::nullopt,
                              "v" + std::to_string(i) + t});
    run(Actor::of_participant(people[0]), cmd::CastVote{"s1", "purposeful", 1});
    run(Actor::of_participant(people[1]),
        cmd::AddComment{"s1", "", CommentKind::benefit, "Helps children", "c1"});
    run(Actor::of_participant(people[2]), cmd::Endorse{1});
    run(Actor::facilitator(), cmd::ModerateComment{1, std::nullopt, true});
    run(Actor::facilitator(), cmd::CloseVoting{});
    run(Actor::facilitator(), cmd::Reveal{});
    run(Actor::facilitator(), cmd::NewRound{});
    run(Actor::facilitator(), cmd::OpenVoting{"responsible"});
    run(Actor::of_participant(people[3]), cmd::CastVote{"s1", "responsible", 5});
    run(Actor::facilitator(), cmd::SetVisibility{true, false});
    run(Actor::facilitator(), cmd::ReorderScenarios{{"s3", "s2", "s1"}});

    auto rebuilt = Session::replay(log);
    CHECK(fingerprint(rebuilt) == fingerprint(s));
    CHECK(rebuilt.last_seq() == s.last_seq());
    CHECK(rebuilt.phase() == Phase::voting_open);
}

TEST_CASE("events must be applied in order") {
    auto s = new_session();
    CHECK_THROWS(s.apply_event(Event{5, 0, ev::SessionEnded{}}));
    CHECK(s.phase() == Phase::lobby);
}
