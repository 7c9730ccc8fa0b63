#pragma once
// The bodies of the fuzz targets, as plain functions: libFuzzer calls them from
// LLVMFuzzerTestOneInput (tests/fuzz/fuzz_*.cpp, built by scripts/fuzz with clang), and the
// regression test (tests/hardening/fuzz_regressions_test.cpp) replays every stored input through
// them in the ordinary build. A broken invariant throws InvariantBroken, which libFuzzer reports
// as a crash (uncaught) and Catch2 as a failure.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace quorum::fuzz {

struct InvariantBroken : std::logic_error {
    using std::logic_error::logic_error;
};

/// Client messages through the decoder and the hub into a live session, one line per message.
/// Each line starts with a selector: '0'..'3' (and every other byte, modulo 4) sends the rest of
/// the line as a WebSocket message from connection 0 (the facilitator), 1 (a participant),
/// 2 (an observer) or 3 (a connection that has not joined); 't' runs a progress tick; 'r'
/// resyncs and 'd' reconnects the connection named by the next byte. "$CODE", "$FTOKEN" and
/// "$PTOKEN" in a message become the session's join code, facilitator token and participant 1's
/// token. An input starting with 'H' is instead the body of POST /api/sessions.
/// Checks: every message sent is JSON with a type; no secret ever leaves the server; the stored
/// log replays to exactly the live session; every event survives its JSON round trip.
int protocol(const std::uint8_t* data, std::size_t size);

/// The export escapers on arbitrary text. Checks: HTML output has no markup characters and only
/// known entities; Markdown output has every active character escaped and no line breaks (inline)
/// or only prefixed lines (quote); CSV rows parse back (RFC 4180) to the fields, with formula
/// starters defused.
int escapers(const std::uint8_t* data, std::size_t size);

}  // namespace quorum::fuzz
