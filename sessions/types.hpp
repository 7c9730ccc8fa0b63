#pragma once
// Small vocabulary types shared by the whole domain, with their stable wire/storage spellings.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace quorum {

using ParticipantId = std::uint32_t;  // 1-based, in join order within a session
using CommentId = std::uint32_t;      // 1-based, in posting order within a session
using Seq = std::uint64_t;            // event sequence number within a session, from 1
using TimeMs = std::int64_t;          // milliseconds since the Unix epoch, injected by the caller

/// The workshop's phases, driven by the facilitator.
enum class Phase { lobby, scenario_open, voting_open, voting_closed, results_revealed, ended };
enum class Role { participant, observer };
enum class Sector { unspecified, public_sector, voluntary, other };
enum class CommentKind { benefit, risk, question, suggestion };

/// A vote: 1..5 on the scale, or 0 for "can't say" (recorded, not counted as an opinion).
constexpr int cant_say = 0;
constexpr int scale_min = 1;
constexpr int scale_max = 5;
inline bool is_valid_vote_value(int v) { return v == cant_say || (v >= scale_min && v <= scale_max); }

std::string_view to_string(Phase);
std::string_view to_string(Role);
std::string_view to_string(Sector);
std::string_view to_string(CommentKind);
std::optional<Phase> parse_phase(std::string_view);
std::optional<Role> parse_role(std::string_view);
std::optional<Sector> parse_sector(std::string_view);
std::optional<CommentKind> parse_comment_kind(std::string_view);

}  // namespace quorum
