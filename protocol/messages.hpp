#pragma once
// Typed client messages. Everything a client sends is decoded into one of these (or refused with
// a DecodeError) before it reaches the hub or the domain.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "sessions/commands.hpp"

namespace quorum::proto {

/// The protocol version this server speaks; a client names it when it joins.
constexpr int version = 1;

struct Join {
    std::string code;
    std::string name;
    std::string area;
    Sector sector = Sector::unspecified;
    Role role = Role::participant;
};
struct Resume {
    std::string code;
    std::string token;
    std::optional<Seq> last_seq;  // the last seq the client saw: send only what it missed
};
struct Facilitate {
    std::string code;
    std::string token;
    std::optional<Seq> last_seq;
};
/// A read-only screen for the projector: sees what participants see, needs no key.
struct Present {
    std::string code;
    std::optional<Seq> last_seq;
};
struct Ping {};
/// What a join form needs before joining: the session's title and areas.
struct Lookup {
    std::string code;
};

/// The facilitator asks for an export of the session (see sessions/exports/export.hpp).
struct Export {
    std::string format;  // e.g. "report.html"; checked by the hub
    bool names = false;  // names instead of pseudonyms
};

using Body = std::variant<Join, Resume, Facilitate, Present, Ping, Lookup, Export, Command>;

struct ClientMessage {
    nlohmann::json req;  // the client's request id (string or integer), null when absent
    Body body;
};

/// Why a message was refused before reaching the domain. `code` is stable; `message` is for people.
struct DecodeError {
    std::string code;  // bad_json, too_deep, bad_message, unknown_type, unsupported_protocol
    std::string message;
    nlohmann::json req;  // echoed when it could be read
};

}  // namespace quorum::proto
