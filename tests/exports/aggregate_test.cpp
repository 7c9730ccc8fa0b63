#include "sessions/aggregate.hpp"

#include <catch2/catch.hpp>

#include "protocol/views.hpp"
#include "workshop_builder.hpp"

using namespace quorum;
using namespace quorum::testing;

namespace {

Histogram of(std::initializer_list<std::pair<int, std::uint32_t>> counts) {
    Histogram h;
    for (const auto& [point, n] : counts) h.counts.at(static_cast<std::size_t>(point)) = n;
    return h;
}

const GroupStats* group(const std::vector<GroupStats>& groups, const std::string& name) {
    for (const auto& g : groups)
        if (g.group == name) return &g;
    return nullptr;
}

SessionConfig two_area_config() {
    SessionConfig c;
    c.title = "Test workshop";
    c.areas = {"Leeds", "York"};
    c.scenarios = {{"s1", "School attendance", "Share attendance.", "", "", "", ""},
                   {"s2", "Damp and asthma", "Link GP records.", "", "", "", ""}};
    return c;
}

TestFindings test_with(const std::string& id, const Histogram& h) {
    return summarise(id, RawTally{h, {}, {}}, SessionSettings{});
}

}  // namespace

TEST_CASE("pseudonyms match the ones participants see") {
    CHECK(pseudonym(7) == proto::pseudonym(7));
    CHECK(pseudonym(123) == proto::pseudonym(123));
    CHECK(pseudonym(7) == "P07");
}

TEST_CASE("groups with enough opinions are shown as they are") {
    const auto groups =
        protect_small_groups({{"Leeds", of({{4, 6}})}, {"York", of({{2, 5}})}}, 5, {});
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].group == "Leeds");
    CHECK(groups[0].stats.opinions == 6);
    CHECK(groups[1].stats.verdict == Verdict::fails);
    CHECK_FALSE(groups[1].combined);
}

TEST_CASE("small groups are pooled into other when the pool is big enough") {
    const auto groups = protect_small_groups({{"Leeds", of({{4, 9}})},
                                              {"York", of({{1, 3}})},
                                              {"Hull", of({{5, 2}, {0, 4}})},
                                              {"Selby", {}}},
                                             5, {});
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].group == "Leeds");
    CHECK(groups[1].combined);
    CHECK(groups[1].group == "other");
    CHECK(groups[1].members == std::vector<std::string>{"York", "Hull"});  // Selby had no votes
    CHECK(groups[1].stats.opinions == 5);
    CHECK(groups[1].stats.cant_say == 4);
    CHECK(groups[1].stats.distribution == std::array<std::uint32_t, 5>{3, 0, 0, 0, 2});
}

TEST_CASE("a pool below k pulls in the smallest shown group, so nothing can be subtracted out") {
    // York alone (2 opinions) would be overall minus Leeds minus Hull: Hull (6) joins it.
    const auto groups = protect_small_groups(
        {{"Leeds", of({{4, 9}})}, {"York", of({{1, 2}})}, {"Hull", of({{3, 6}})}}, 5, {});
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].group == "Leeds");
    CHECK(groups[1].combined);
    CHECK(groups[1].members == std::vector<std::string>{"York", "Hull"});
    CHECK(groups[1].stats.opinions == 8);
    for (const auto& g : groups) CHECK(g.stats.opinions >= 5);
}

TEST_CASE("when the whole room is smaller than k no breakdown is shown") {
    CHECK(protect_small_groups({{"Leeds", of({{4, 2}})}, {"York", of({{2, 2}})}}, 5, {}).empty());
    CHECK(protect_small_groups({{"Leeds", {}}, {"York", {}}}, 5, {}).empty());
}

TEST_CASE("a scenario is justified only when every test meets") {
    const auto meets = of({{4, 5}, {5, 5}});
    const auto fails = of({{1, 5}, {2, 5}});
    const auto middling = of({{3, 8}, {4, 2}});
    const auto divided = of({{1, 5}, {5, 5}});

    auto j = judge({test_with("a", meets), test_with("b", meets)});
    CHECK(j.verdict == ScenarioVerdict::justified);
    CHECK(*j.acceptability == Approx(87.5));  // mean 4.5 -> 87.5 on both tests

    j = judge({test_with("a", meets), test_with("b", fails), test_with("c", fails)});
    CHECK(j.verdict == ScenarioVerdict::not_justified);
    CHECK(j.failing_tests == std::vector<std::string>{"b", "c"});

    j = judge({test_with("a", meets), test_with("b", middling), test_with("c", divided)});
    CHECK(j.verdict == ScenarioVerdict::contested);
    CHECK(j.weakest_test == "c");  // median 3 like b, but mean 3.0 < 3.2

    j = judge({test_with("a", meets), test_with("b", {})});
    CHECK(j.verdict == ScenarioVerdict::insufficient);
    CHECK(j.unassessed == std::vector<std::string>{"b"});
    CHECK(*j.acceptability == Approx(87.5));  // tests without opinions do not count

    j = judge({test_with("a", fails), test_with("b", {})});
    CHECK(j.verdict == ScenarioVerdict::not_justified);
}

TEST_CASE("areas disagree when verdicts differ or medians are two points apart") {
    RawTally raw;
    raw.overall = of({{4, 6}, {2, 6}, {3, 6}});
    raw.by_area = {{"Leeds", of({{4, 6}})}, {"York", of({{2, 6}})}, {"Hull", of({{3, 6}})}};
    const auto differ = summarise("purposeful", raw, {});
    RawTally same;
    same.overall = of({{4, 10}, {5, 2}});
    same.by_area = {{"Leeds", of({{4, 5}})}, {"York", of({{4, 5}, {5, 2}})}};
    const auto agree = summarise("responsible", same, {});

    const auto found = area_disagreements({differ, agree});
    REQUIRE(found.size() == 1);
    const auto& d = found[0];
    CHECK(d.test == "purposeful");
    CHECK(d.verdicts_differ);
    CHECK(d.medians_apart);
    CHECK(d.highest == std::vector<std::string>{"Leeds"});
    CHECK(d.lowest == std::vector<std::string>{"York"});
    CHECK(d.highest_median - d.lowest_median == Approx(2.0));
    REQUIRE(d.by_verdict.size() == 3);
    CHECK(d.by_verdict[0] ==
          std::pair<Verdict, std::vector<std::string>>{Verdict::meets, {"Leeds"}});
    CHECK(d.by_verdict[1].first == Verdict::contested);
    CHECK(d.by_verdict[2].first == Verdict::fails);
}

TEST_CASE("comments come pinned first, then by endorsements, grouped by test and kind") {
    auto c = [](CommentId id, std::string test, CommentKind kind, std::size_t endorsements,
                bool pinned) {
        KeyComment k;
        k.id = id;
        k.test = std::move(test);
        k.kind = kind;
        k.endorsements = endorsements;
        k.pinned = pinned;
        k.at = id;
        return k;
    };
    const auto groups = group_comments({c(1, "", CommentKind::question, 9, false),
                                        c(2, "responsible", CommentKind::risk, 1, false),
                                        c(3, "purposeful", CommentKind::risk, 0, true),
                                        c(4, "purposeful", CommentKind::risk, 5, false),
                                        c(5, "purposeful", CommentKind::benefit, 2, false),
                                        c(6, "purposeful", CommentKind::risk, 5, false)},
                                       default_framework());
    REQUIRE(groups.size() == 4);
    CHECK(groups[0].test == "purposeful");
    CHECK(groups[0].kind == CommentKind::benefit);
    CHECK(groups[1].kind == CommentKind::risk);
    REQUIRE(groups[1].comments.size() == 3);
    CHECK(groups[1].comments[0].id == 3);  // pinned
    CHECK(groups[1].comments[1].id == 4);  // 5 endorsements, older
    CHECK(groups[1].comments[2].id == 6);
    CHECK(groups[2].test == "responsible");
    CHECK(groups[3].test.empty());  // the scenario as a whole comes last
}

TEST_CASE("findings follow the live tallies, rounds, shifts and hidden comments") {
    WorkshopBuilder b(two_area_config());
    std::vector<ParticipantId> people;
    for (int i = 0; i < 11; ++i) people.push_back(b.join("P", i < 6 ? "Leeds" : "York"));
    b.facilitate(cmd::OpenScenario{"s1"});
    b.facilitate(cmd::OpenVoting{});
    for (auto p : people) b.vote(p, "s1", "purposeful", 2);
    b.vote(people[0], "s1", "purposeful", 3);  // a change of mind counts once
    for (auto p : people)
        if (p != people.back()) b.vote(p, "s1", "proportionate", p <= 6 ? 5 : 1);
    const auto kept = b.comment(people[1], "s1", "purposeful", CommentKind::risk, "Kept");
    const auto hidden = b.comment(people[2], "s1", "", CommentKind::question, "Rude");
    b.facilitate(cmd::ModerateComment{hidden, true, std::nullopt});
    b.endorse(people[3], kept);
    b.facilitate(cmd::CloseVoting{});
    b.facilitate(cmd::Reveal{});
    b.facilitate(cmd::NewRound{});
    b.facilitate(cmd::OpenVoting{});
    for (auto p : people) b.vote(p, "s1", "purposeful", 4);

    const auto f = build_findings(b.session());
    REQUIRE(f.scenarios.size() == 2);
    const auto& s1 = f.scenarios[0];
    REQUIRE(s1.rounds.size() == 2);
    const auto& r1 = s1.rounds[0].tests[0];
    CHECK(r1.overall.voters == 11);
    CHECK(r1.overall.distribution == std::array<std::uint32_t, 5>{0, 10, 1, 0, 0});
    CHECK(r1.overall.verdict == Verdict::fails);
    REQUIRE(group(r1.by_area, "Leeds"));
    CHECK(group(r1.by_area, "Leeds")->stats.opinions == 6);
    REQUIRE(group(r1.by_area, "York"));
    CHECK(group(r1.by_area, "York")->stats.opinions == 5);
    // On Proportionate York has 4 opinions: its pool of 4 pulls in Leeds, leaving only "other".
    const auto& p1 = s1.rounds[0].tests[1];
    REQUIRE(p1.by_area.size() == 1);
    CHECK(p1.by_area[0].combined);
    CHECK(p1.by_area[0].members == std::vector<std::string>{"Leeds", "York"});
    CHECK(p1.overall.polarised);  // 6 at 5, 4 at 1
    // The result is the last round with votes.
    CHECK(s1.result.round == 2);
    CHECK(s1.result.tests[0].overall.verdict == Verdict::meets);
    CHECK(s1.result.judgement.verdict == ScenarioVerdict::insufficient);  // nobody voted on 2, 3
    REQUIRE(s1.shifts.size() == 1);
    CHECK(s1.shifts[0].test == "purposeful");
    CHECK(*s1.shifts[0].median.from == 2.0);
    CHECK(*s1.shifts[0].median.to == 4.0);
    CHECK(s1.shifts[0].verdict_from == Verdict::fails);
    CHECK(s1.shifts[0].verdict_to == Verdict::meets);
    REQUIRE(s1.comments.size() == 1);
    CHECK(s1.comments[0].comments[0].text == "Kept");
    CHECK(s1.comments[0].comments[0].author == "P02 (Leeds)");
    CHECK(s1.comments[0].comments[0].endorsements == 1);
    CHECK(build_findings(b.session(), {true}).scenarios[0].comments[0].comments[0].author ==
          "P (Leeds)");
    // Never opened: no rounds, and an empty result.
    CHECK(f.scenarios[1].rounds.empty());
    CHECK(f.scenarios[1].result.round == 0);
    CHECK_FALSE(f.scenarios[1].sources[0].round);
    CHECK(f.sessions[0].voters == 11);
}

TEST_CASE("per-session settings change verdicts and the smallest group shown") {
    auto config = two_area_config();
    config.settings.verdict.meets_median = 5;
    config.settings.min_group_size = 2;
    WorkshopBuilder b(config);
    const auto a = b.join("A", "Leeds");
    const auto c = b.join("C", "Leeds");
    const auto y = b.join("Y", "York");
    b.facilitate(cmd::OpenScenario{"s1"});
    b.facilitate(cmd::OpenVoting{"purposeful"});
    for (auto p : {a, c}) b.vote(p, "s1", "purposeful", 4);
    b.vote(y, "s1", "purposeful", cant_say);  // York: no opinions, so nothing to protect
    const auto f = build_findings(b.session());
    const auto& t = f.scenarios[0].result.tests[0];
    CHECK(t.overall.verdict == Verdict::contested);  // median 4 < 5
    REQUIRE(group(t.by_area, "Leeds"));
    CHECK_FALSE(group(t.by_area, "York"));  // 1 opinion < 2
}

TEST_CASE("a synthesis matches scenarios by title or explicit id and pools the last rounds") {
    auto leeds = two_area_config();
    leeds.areas = {"Leeds"};
    leeds.scenarios = {{"", "School attendance!", "A", "", "", "", ""},
                       {"damp", "Damp and asthma", "B", "", "", "", ""}};
    auto york = two_area_config();
    york.code = "YRK234";
    york.areas = {"York"};
    york.scenarios = {{"", "school   ATTENDANCE", "A", "", "", "", ""},
                      {"damp", "Damp, mould and asthma (revised)", "B", "", "", "", ""},
                      {"", "Only in York", "C", "", "", "", ""}};
    WorkshopBuilder l(leeds), y(york);
    for (auto* b : {&l, &y}) {
        const auto area = b->session().config().areas[0];
        std::vector<ParticipantId> people;
        for (int i = 0; i < 6; ++i) people.push_back(b->join("", area));
        b->facilitate(cmd::OpenScenario{b->session().scenarios()[0].scenario.id});
        b->facilitate(cmd::OpenVoting{});
        for (auto p : people)
            b->vote(p, b->session().scenarios()[0].scenario.id, "purposeful", b == &l ? 5 : 1);
    }
    const auto f = synthesise({&l.session(), &y.session()});
    CHECK(f.sessions.size() == 2);
    CHECK(f.areas == std::vector<std::string>{"Leeds", "York"});
    REQUIRE(f.scenarios.size() == 3);
    const auto& school = f.scenarios[0];
    CHECK(school.sources.size() == 2);
    const auto& t = school.result.tests[0];
    CHECK(t.overall.opinions == 12);
    CHECK(t.overall.polarised);
    REQUIRE(group(t.by_area, "Leeds"));
    CHECK(*group(t.by_area, "Leeds")->stats.median == 5.0);
    CHECK(*group(t.by_area, "York")->stats.median == 1.0);
    REQUIRE(school.disagreements.size() == 1);
    CHECK(school.disagreements[0].medians_apart);
    CHECK(f.scenarios[1].scenario.id == "damp");
    CHECK(f.scenarios[1].sources.size() == 2);
    CHECK(f.scenarios[2].scenario.title == "Only in York");
    CHECK(f.scenarios[2].sources.size() == 1);

    auto other = two_area_config();
    other.code = "OTH234";
    other.framework.tests = {{"fair", "Fair", "", {}}};
    WorkshopBuilder o(other);
    CHECK_THROWS_AS(synthesise({&l.session(), &o.session()}), std::invalid_argument);
}
