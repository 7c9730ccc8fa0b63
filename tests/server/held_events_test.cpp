// How held comment events are packed into frames: one event goes as it is, several as one
// `events` message, in order, split before a frame grows past its limit.
#include "server/held_events.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace quorum;
using nlohmann::json;

namespace {

SharedText event_text(Seq seq, std::size_t padding = 0) {
    return std::make_shared<const std::string>(json{
        {"type", "event"},
        {"event", "comment_added"},
        {"seq", seq},
        {"text", std::string(padding, 'x')}}.dump());
}

std::vector<Seq> seqs_in(const std::vector<SharedText>& frames) {
    std::vector<Seq> out;
    for (const auto& f : frames) {
        const auto j = json::parse(*f);
        if (j["type"] == "event")
            out.push_back(j["seq"]);
        else
            for (const auto& e : j.at("events")) out.push_back(e["seq"]);
    }
    return out;
}

}  // namespace

TEST_CASE("a single held event goes as it is, unwrapped and uncopied") {
    HeldEvents held;
    auto text = event_text(7);
    held.hold(7, text, 1);
    REQUIRE(held.shared_frames().size() == 1);
    CHECK(held.shared_frames()[0] == text);
}

TEST_CASE("several held events go as one events message, in order") {
    HeldEvents held;
    held.hold(3, event_text(3), 1);
    held.hold(4, nullptr, 2);  // not for other participants (comments hidden)
    held.hold(5, event_text(5), 2);
    held.hold(9, event_text(9), std::nullopt);
    CHECK(held.first_seq() == 3);
    CHECK(held.last_seq() == 9);
    const auto& frames = held.shared_frames();
    REQUIRE(frames.size() == 1);
    const auto j = json::parse(*frames[0]);
    CHECK(j["type"] == "events");
    CHECK(seqs_in(frames) == std::vector<Seq>{3, 5, 9});
    // Someone who has everything up to 3 and wrote 5 gets only 9.
    CHECK(seqs_in(held.frames_after(3, ParticipantId{2})) == std::vector<Seq>{9});
    CHECK(held.has_subject(2));
    CHECK_FALSE(held.has_subject(4));
    CHECK(held.frames_after(9, std::nullopt).empty());
    held.clear();
    CHECK(held.empty());
}

TEST_CASE("held events are split into frames of bounded size, none lost or reordered") {
    HeldEvents held;
    const std::size_t padding = 10'000;
    for (Seq s = 1; s <= 20; ++s) held.hold(s, event_text(s, padding), s);
    const auto& frames = held.shared_frames();
    CHECK(frames.size() > 1);
    for (const auto& f : frames) CHECK(f->size() <= HeldEvents::max_frame_bytes);
    std::vector<Seq> all(20);
    for (Seq s = 1; s <= 20; ++s) all[s - 1] = s;
    CHECK(seqs_in(frames) == all);
    // An event larger than a frame still goes, alone.
    HeldEvents big;
    big.hold(1, event_text(1, HeldEvents::max_frame_bytes * 2), 1);
    big.hold(2, event_text(2), 1);
    CHECK(seqs_in(big.shared_frames()) == std::vector<Seq>{1, 2});
    CHECK(big.shared_frames().size() == 2);
}
