#include "server/static_files.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <system_error>
#include <utility>

namespace quorum {
namespace fs = std::filesystem;

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Percent-decodes a URL path; nullopt for a malformed escape or a NUL byte.
std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            int hi = hex_value(in[i + 1]);
            int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

/// True when `path` is `root` or lies below it (component-wise, so "/srv/web2" is not inside
/// "/srv/web").
bool is_within(const fs::path& path, const fs::path& root) {
    auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    (void)path_it;
    return root_end == root.end();
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) {
    std::error_code ec;
    fs::path absolute = fs::absolute(root, ec);
    if (ec) absolute = std::move(root);
    root_ = fs::weakly_canonical(absolute, ec);
    if (ec) root_ = absolute.lexically_normal();
}

std::optional<fs::path> StaticFiles::resolve(std::string_view url_path) const {
    url_path = url_path.substr(0, url_path.find('?'));
    if (url_path.empty() || url_path.front() != '/') return std::nullopt;

    auto decoded = percent_decode(url_path);
    if (!decoded) return std::nullopt;
    const std::string& path = *decoded;
    if (path.find('\\') != std::string::npos) return std::nullopt;

    fs::path file = root_;
    std::size_t begin = 1;
    while (begin <= path.size()) {
        std::size_t end = path.find('/', begin);
        if (end == std::string::npos) end = path.size();
        std::string_view segment(path.data() + begin, end - begin);
        if (segment == "." || segment == "..") return std::nullopt;
        if (!segment.empty()) file /= fs::path(std::string(segment));
        begin = end + 1;
    }
    std::error_code ec;
    if (path.back() == '/' || fs::is_directory(file, ec)) file /= "index.html";

    // canonical() resolves every symlink and fails for a missing file, which we refuse anyway.
    fs::path real = fs::canonical(file, ec);
    if (ec || !is_within(real, root_)) return std::nullopt;
    if (!fs::is_regular_file(real, ec) || ec) return std::nullopt;
    return real;
}

std::string_view StaticFiles::content_type(const fs::path& file) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> types{{
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".webmanifest", "application/manifest+json; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".svg", "image/svg+xml; charset=utf-8"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".wasm", "application/wasm"},
    }};
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    for (const auto& [suffix, type] : types)
        if (ext == suffix) return type;
    return "application/octet-stream";
}

}  // namespace quorum
