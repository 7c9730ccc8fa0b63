#pragma once
// The JSON form of events, used for the stored event log and the transcript. Decoding trusts that
// the JSON came from encoding (it throws std::runtime_error on anything else): client input goes
// through the protocol layer's validation instead.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sessions/events.hpp"

namespace quorum {

nlohmann::json payload_to_json(const EventPayload& payload);  // includes "type"
/// What the store keeps of a payload: its JSON without "type" (stored in a column of its own).
/// Votes, most of any log, are written without a JSON tree; the bytes are the same either way.
std::string stored_body(const EventPayload& payload);
EventPayload payload_from_json(const nlohmann::json& json);

nlohmann::json event_to_json(const Event& event);  // {"seq", "at", "type", ...payload}
Event event_from_json(const nlohmann::json& json);

nlohmann::json scenario_to_json(const Scenario& scenario);
Scenario scenario_from_json(const nlohmann::json& json);
nlohmann::json framework_to_json(const Framework& framework);
Framework framework_from_json(const nlohmann::json& json);
nlohmann::json settings_to_json(const SessionSettings& settings);
SessionSettings settings_from_json(const nlohmann::json& json);
nlohmann::json config_to_json(const SessionConfig& config);
SessionConfig config_from_json(const nlohmann::json& json);

}  // namespace quorum
