#include "sessions/types.hpp"

#include <array>
#include <utility>

namespace quorum {
namespace {

template <typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<Phase, 6> phase_names{{{Phase::lobby, "lobby"},
                                       {Phase::scenario_open, "scenario_open"},
                                       {Phase::voting_open, "voting_open"},
                                       {Phase::voting_closed, "voting_closed"},
                                       {Phase::results_revealed, "results_revealed"},
                                       {Phase::ended, "ended"}}};
constexpr Names<Role, 2> role_names{{{Role::participant, "participant"},
                                     {Role::observer, "observer"}}};
constexpr Names<Sector, 4> sector_names{{{Sector::unspecified, "unspecified"},
                                         {Sector::public_sector, "public"},
                                         {Sector::voluntary, "voluntary"},
                                         {Sector::other, "other"}}};
constexpr Names<CommentKind, 4> kind_names{{{CommentKind::benefit, "benefit"},
                                            {CommentKind::risk, "risk"},
                                            {CommentKind::question, "question"},
                                            {CommentKind::suggestion, "suggestion"}}};

template <typename Enum, std::size_t N>
std::string_view name_of(const Names<Enum, N>& names, Enum value) {
    for (const auto& [e, name] : names)
        if (e == value) return name;
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const Names<Enum, N>& names, std::string_view text) {
    for (const auto& [e, name] : names)
        if (name == text) return e;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Phase p) { return name_of(phase_names, p); }
std::string_view to_string(Role r) { return name_of(role_names, r); }
std::string_view to_string(Sector s) { return name_of(sector_names, s); }
std::string_view to_string(CommentKind k) { return name_of(kind_names, k); }
std::optional<Phase> parse_phase(std::string_view t) { return parse(phase_names, t); }
std::optional<Role> parse_role(std::string_view t) { return parse(role_names, t); }
std::optional<Sector> parse_sector(std::string_view t) { return parse(sector_names, t); }
std::optional<CommentKind> parse_comment_kind(std::string_view t) { return parse(kind_names, t); }

}  // namespace quorum
