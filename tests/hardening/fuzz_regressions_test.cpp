// Every input the fuzzers keep (their seed corpora) and every input that ever broke something
// (tests/fuzz/regressions), replayed through the same harnesses in the ordinary build. A fixed
// finding stays fixed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harnesses.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputs(const std::string& harness) {
    std::vector<fs::path> files;
    for (const char* kind : {"corpus", "regressions"}) {
        const fs::path dir = fs::path(QUORUM_FUZZ_DIR) / kind / harness;
        if (!fs::is_directory(dir)) continue;
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
                files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

void replay(const std::string& harness, int (*run)(const std::uint8_t*, std::size_t)) {
    const auto files = inputs(harness);
    REQUIRE_FALSE(files.empty());
    for (const auto& file : files) {
        INFO(file.string());
        std::ifstream in(file, std::ios::binary);
        std::stringstream content;
        content << in.rdbuf();
        const auto bytes = content.str();
        CHECK_NOTHROW(run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    }
}

}  // namespace

TEST_CASE("the protocol fuzzer's corpus and findings still pass") {
    replay("protocol", quorum::fuzz::protocol);
}

TEST_CASE("the escapers fuzzer's corpus and findings still pass") {
    replay("escapers", quorum::fuzz::escapers);
}
