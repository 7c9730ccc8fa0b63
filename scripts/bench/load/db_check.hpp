#pragma once
// Reads the server's SQLite file (read-only, alongside the running server: WAL allows it) and
// checks that every acknowledged vote is there as the event the ack named.
#include <cstdint>
#include <string>
#include <vector>

namespace quorum::load {

struct ExpectedVote {
    std::uint64_t seq = 0;
    std::uint32_t participant = 0;  // the server's id
    std::string scenario;
    std::string test;
    int value = 0;  // 0 = can't say
};

struct DbCheck {
    std::size_t checked = 0;
    std::size_t found = 0;  // present with the same participant, scenario, test and value
    std::vector<std::string> problems;  // the first few mismatches
};

DbCheck check_votes_in_database(const std::string& path, const std::string& session,
                                const std::vector<ExpectedVote>& votes);

}  // namespace quorum::load
