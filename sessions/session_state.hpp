#pragma once
// The state a session's events build up. Plain data, read by queries and views; only Session
// changes it.
#include <array>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "sessions/histogram.hpp"
#include "sessions/scenario.hpp"
#include "sessions/types.hpp"

namespace quorum {

struct ParticipantState {
    ParticipantId id = 0;
    std::string name;
    std::size_t area = 0;  // index into the session's areas
    Sector sector = Sector::unspecified;
    Role role = Role::participant;
    std::string token_hash;
    TimeMs joined_at = 0;
    std::size_t comments_posted = 0;
    std::unordered_set<std::string> client_ids;  // "v:"/"c:" + client id of applied votes and comments
};

/// Tally of one test in one round, kept up to date vote by vote.
struct TestTally {
    Histogram overall;
    std::vector<Histogram> by_area;        // indexed like the session's areas
    std::array<Histogram, 4> by_sector{};  // indexed by Sector
};

constexpr std::int8_t no_vote = -1;

struct RoundState {
    int number = 1;
    std::vector<bool> open;  // per framework test: voting open now
    bool voting_started = false;
    bool revealed = false;
    std::vector<std::vector<std::int8_t>> votes;  // [test][participant id - 1], no_vote if none
    std::vector<TestTally> tallies;               // per framework test

    bool any_open() const {
        for (bool o : open)
            if (o) return true;
        return false;
    }
};

struct ScenarioState {
    Scenario scenario;
    std::vector<RoundState> rounds;  // empty until first opened
};

struct CommentState {
    CommentId id = 0;
    ParticipantId author = 0;
    std::string scenario;
    int round = 1;
    std::string test;  // empty: on the scenario as a whole
    CommentKind kind = CommentKind::question;
    std::string text;
    TimeMs at = 0;
    bool hidden = false;
    bool pinned = false;
    std::unordered_set<ParticipantId> endorsers;
};

}  // namespace quorum
