#include "protocol/views.hpp"

#include <catch2/catch.hpp>

#include "sessions/fixtures.hpp"

using namespace quorum;
using namespace quorum::proto;
using namespace quorum::testing;
using nlohmann::json;

namespace {

struct Workshop {
    Session s = new_session();
    ParticipantId ann = join(s, "Leeds");
    ParticipantId bob = join(s, "Bradford");
    std::vector<Event> events;

    Outcome run(const Actor& a, const Command& c) {
        auto out = s.apply(a, c, 5000);
        REQUIRE(out.ok());
        for (auto& e : out.events) events.push_back(e);
        return out;
    }
};

}  // namespace

TEST_CASE("nobody else sees an individual vote") {
    Workshop w;
    w.run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    w.run(Actor::facilitator(), cmd::OpenVoting{});
    auto out = w.run(Actor::of_participant(w.ann), cmd::CastVote{"s1", "purposeful", 2});
    const auto& e = out.events.at(0);
    CHECK_FALSE(event_view(w.s, e, Audience::of_participants()));
    CHECK_FALSE(event_view(w.s, e, Audience::of_participant(w.bob)));
    CHECK_FALSE(event_view(w.s, e, Audience::of_facilitator()));
    auto own = event_view(w.s, e, Audience::of_participant(w.ann));
    REQUIRE(own);
    CHECK((*own)["value"] == 2);
    CHECK(event_subject(w.s, e) == w.ann);

    // Bob's snapshot holds no trace of Ann's vote; Ann's holds her own.
    auto bob = snapshot_view(w.s, Audience::of_participant(w.bob), {});
    CHECK(bob["my_votes"].empty());
    CHECK(bob["results"].empty());
    CHECK(bob.dump().find("\"distribution\"") == std::string::npos);
    auto ann = snapshot_view(w.s, Audience::of_participant(w.ann), {});
    REQUIRE(ann["my_votes"].size() == 1);
    CHECK(ann["my_votes"][0]["value"] == 2);
    CHECK(ann["you"]["pseudonym"] == "P01");
}

TEST_CASE("participants see results only once revealed; the facilitator sees them live") {
    Workshop w;
    w.run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    w.run(Actor::facilitator(), cmd::OpenVoting{});
    w.run(Actor::of_participant(w.ann), cmd::CastVote{"s1", "purposeful", 5});
    w.run(Actor::of_participant(w.bob), cmd::CastVote{"s1", "purposeful", 4});

    auto p = progress_view(w.s, Audience::of_participants(), {});
    CHECK(p["tests"][0]["voted"] == 2);
    CHECK_FALSE(p["tests"][0].contains("results"));
    CHECK_FALSE(p["tests"][0].contains("by_area"));

    auto f = progress_view(w.s, Audience::of_facilitator(), {2, {1, 1, 0}});
    CHECK(f["tests"][0]["results"]["median"] == 4.5);
    CHECK(f["tests"][0]["results"]["distribution"] == json::array({0, 0, 0, 1, 1}));
    CHECK(f["tests"][0]["by_area"][0]["voted"] == 1);
    CHECK(f["participants"]["by_area"][0]["connected"] == 1);

    w.run(Actor::facilitator(), cmd::CloseVoting{});
    auto revealed = w.run(Actor::facilitator(), cmd::Reveal{});
    auto view = event_view(w.s, revealed.events.at(0), Audience::of_participants());
    REQUIRE(view);
    CHECK((*view)["results"]["tests"][0]["voters"] == 2);
    CHECK((*view)["current"]["phase"] == "results_revealed");
    CHECK_FALSE((*view)["results"]["tests"][0].contains("by_area"));
    CHECK(progress_view(w.s, Audience::of_participants(), {})["tests"][0].contains("results"));
    CHECK(snapshot_view(w.s, Audience::of_participant(w.bob), {})["results"].size() == 1);
}

TEST_CASE("live results let participants see results while voting") {
    Workshop w;
    w.run(Actor::facilitator(), cmd::SetVisibility{true, std::nullopt});
    w.run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    w.run(Actor::facilitator(), cmd::OpenVoting{});
    CHECK(progress_view(w.s, Audience::of_participants(), {})["tests"][0].contains("results"));
}

TEST_CASE("hidden comments reach only the facilitator and their author") {
    Workshop w;
    w.run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    auto added =
        w.run(Actor::of_participant(w.ann),
              cmd::AddComment{"s1", "", CommentKind::risk, "<img src=x onerror=alert(1)>", ""});
    auto shared = event_view(w.s, added.events[0], Audience::of_participants());
    REQUIRE(shared);
    CHECK((*shared)["comment"]["text"] == "<img src=x onerror=alert(1)>");
    CHECK((*shared)["comment"]["author"] == "Person 1 (Leeds)");
    CHECK_FALSE((*shared)["comment"].contains("mine"));  // only personal views say whose it is
    CHECK((*event_view(w.s, added.events[0], Audience::of_participant(w.ann)))["comment"]["mine"] ==
          true);

    auto hidden = w.run(Actor::facilitator(), cmd::ModerateComment{1, true, std::nullopt});
    auto withdrawn = event_view(w.s, hidden.events[0], Audience::of_participants());
    REQUIRE(withdrawn);
    CHECK((*withdrawn)["comment"] == json{{"id", 1}, {"hidden", true}});
    CHECK(event_subject(w.s, hidden.events[0]) == w.ann);
    auto authors = event_view(w.s, hidden.events[0], Audience::of_participant(w.ann));
    CHECK((*authors)["comment"]["text"] == "<img src=x onerror=alert(1)>");
    CHECK((*authors)["comment"]["hidden"] == true);
    CHECK((*authors)["comment"]["mine"] == true);
    CHECK(snapshot_view(w.s, Audience::of_participant(w.bob), {})["comments"].empty());
    CHECK(snapshot_view(w.s, Audience::of_participant(w.ann), {})["comments"].size() == 1);
    CHECK(snapshot_view(w.s, Audience::of_facilitator(), {})["comments"][0]["hidden"] == true);
}

TEST_CASE("when comments are not shown, participants see only their own") {
    Workshop w;
    w.run(Actor::facilitator(), cmd::SetVisibility{std::nullopt, false});
    w.run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    auto added = w.run(Actor::of_participant(w.ann),
                       cmd::AddComment{"s1", "", CommentKind::benefit, "Helps", ""});
    CHECK_FALSE(event_view(w.s, added.events[0], Audience::of_participants()));
    CHECK(event_view(w.s, added.events[0], Audience::of_participant(w.ann)));
    CHECK(event_view(w.s, added.events[0], Audience::of_facilitator()));
}

TEST_CASE("joins are announced to the facilitator only, without the token hash") {
    Workshop w;
    auto out =
        w.s.apply(Actor::anonymous(), cmd::Join{"Cy", "Wakefield", {}, {}, "secret-hash"}, 0);
    const auto& e = out.events.at(0);
    CHECK_FALSE(event_view(w.s, e, Audience::of_participants()));
    auto f = event_view(w.s, e, Audience::of_facilitator());
    REQUIRE(f);
    CHECK((*f)["name"] == "Cy");
    CHECK(f->dump().find("secret-hash") == std::string::npos);
    auto snap = snapshot_view(w.s, Audience::of_facilitator(), {});
    CHECK(snap["participants"].size() == 3);
    CHECK(snap.dump().find("secret-hash") == std::string::npos);
    CHECK(snap.dump().find("facilitator-hash") == std::string::npos);
}

TEST_CASE("snapshots describe the session and the phase") {
    Workshop w;
    w.run(Actor::facilitator(), cmd::OpenScenario{"s2"});
    w.run(Actor::facilitator(), cmd::OpenVoting{"responsible"});
    auto snap = snapshot_view(w.s, Audience::of_participant(w.ann), {});
    CHECK(snap["type"] == "snapshot");
    CHECK(snap["seq"] == w.s.last_seq());
    CHECK(snap["session"]["phase"] == "voting_open");
    CHECK(snap["session"]["scenario"] == "s2");
    CHECK(snap["session"]["open_tests"] == json::array({"responsible"}));
    CHECK(snap["session"]["framework"]["tests"].size() == 3);
    CHECK(snap["session"]["scale"].size() == 6);
    CHECK(snap["session"]["scenarios"][1]["rounds"].size() == 1);
    CHECK(pseudonym(7) == "P07");
    CHECK(pseudonym(123) == "P123");
}

TEST_CASE("an ack written directly is the same bytes as one built as JSON") {
    for (const json& req : {json(nullptr), json(0), json(12), json(-4), json(1099511627778u),
                            json(std::uint64_t{18446744073709551615u}), json("a"),
                            json("quote \" and \\ and \u00e9")})
        for (const std::optional<Seq>& seq : {std::optional<Seq>{}, std::optional<Seq>{7}})
            for (bool duplicate : {false, true}) {
                auto expected = ack(req);
                if (seq) expected["seq"] = *seq;
                if (duplicate) expected["duplicate"] = true;
                INFO(expected.dump());
                CHECK(ack_text(req, seq, duplicate) == expected.dump());
            }
}
