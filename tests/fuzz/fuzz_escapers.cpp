// libFuzzer entry point for the export escapers' harness (see harnesses.hpp); built by
// scripts/fuzz.
#include "harnesses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return quorum::fuzz::escapers(data, size);
}
