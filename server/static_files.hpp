#pragma once
// Maps URL paths onto files under one web root, refusing anything that could escape it. Knows
// nothing about HTTP: the API decides what to serve and the network edge streams the file.
#include <filesystem>
#include <optional>
#include <string_view>

namespace quorum {

class StaticFiles {
  public:
    /// The root need not exist yet; it is canonicalised once here.
    explicit StaticFiles(std::filesystem::path root);

    /// The regular file that `url_path` (e.g. "/app.js", "/" or "/docs/") names under the root,
    /// or nullopt when there is none or the path is unsafe: an invalid or NUL percent-escape, a
    /// backslash, a "." or ".." segment (also when percent-encoded), or a canonical location
    /// outside the root (a symlink pointing out). Directories map to their index.html. Anything
    /// from the first '?' on is ignored.
    std::optional<std::filesystem::path> resolve(std::string_view url_path) const;

    /// The Content-Type for a file by its extension; text types carry "; charset=utf-8".
    static std::string_view content_type(const std::filesystem::path& file);

    const std::filesystem::path& root() const { return root_; }

  private:
    std::filesystem::path root_;  // canonical
};

}  // namespace quorum
