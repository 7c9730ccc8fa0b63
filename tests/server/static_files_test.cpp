#include "server/static_files.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using namespace quorum;
namespace fs = std::filesystem;

namespace {

/// A scratch directory: <tmp>/quorum-static-<pid>-<n>/{web/..., outside/secret.txt}.
struct WebRoot {
    fs::path base;
    fs::path web;
    WebRoot() {
        static int counter = 0;
        base = fs::temp_directory_path() /
               ("quorum-static-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(base);
        web = base / "web";
        fs::create_directories(web / "assets");
        fs::create_directories(web / "docs");
        fs::create_directories(web / "empty");
        fs::create_directories(base / "outside");
        write(web / "index.html", "<h1>home</h1>");
        write(web / "app.js", "console.log(1)");
        write(web / "assets" / "style.css", "body{}");
        write(web / "docs" / "index.html", "<h1>docs</h1>");
        write(web / "a b.txt", "space");
        write(base / "outside" / "secret.txt", "secret");
        fs::create_symlink(base / "outside" / "secret.txt", web / "leak.txt");
        fs::create_directory_symlink(base / "outside", web / "out");
        fs::create_symlink(web / "app.js", web / "alias.js");  // stays inside: allowed
    }
    ~WebRoot() {
        std::error_code ec;
        fs::remove_all(base, ec);
    }
    static void write(const fs::path& path, const std::string& text) {
        std::ofstream(path) << text;
    }
    fs::path real(const fs::path& relative) const { return fs::canonical(web / relative); }
};

}  // namespace

TEST_CASE("StaticFiles serves regular files under the root") {
    WebRoot root;
    StaticFiles files(root.web);
    CHECK(files.resolve("/app.js") == root.real("app.js"));
    CHECK(files.resolve("/assets/style.css") == root.real("assets/style.css"));
    CHECK(files.resolve("/a%20b.txt") == root.real("a b.txt"));
    CHECK(files.resolve("//assets//style.css") == root.real("assets/style.css"));
    CHECK(files.resolve("/app.js?v=3") == root.real("app.js"));
    CHECK(files.resolve("/alias.js") == root.real("app.js"));
}

TEST_CASE("StaticFiles maps the root and directories to index.html") {
    WebRoot root;
    StaticFiles files(root.web);
    CHECK(files.resolve("/") == root.real("index.html"));
    CHECK(files.resolve("/docs") == root.real("docs/index.html"));
    CHECK(files.resolve("/docs/") == root.real("docs/index.html"));
    CHECK_FALSE(files.resolve("/empty/"));   // a directory without index.html
    CHECK_FALSE(files.resolve("/app.js/"));  // a trailing slash wants a directory
}

TEST_CASE("StaticFiles returns nothing for missing files") {
    WebRoot root;
    StaticFiles files(root.web);
    CHECK_FALSE(files.resolve("/missing.js"));
    CHECK_FALSE(files.resolve("/assets/missing.css"));
    CHECK_FALSE(files.resolve(""));
    CHECK_FALSE(files.resolve("app.js"));  // not absolute
}

TEST_CASE("StaticFiles refuses traversal, bad escapes and backslashes") {
    WebRoot root;
    StaticFiles files(root.web);
    CHECK_FALSE(files.resolve("/../outside/secret.txt"));
    CHECK_FALSE(files.resolve("/assets/../app.js"));  // even when it would stay inside
    CHECK_FALSE(files.resolve("/./app.js"));
    CHECK_FALSE(files.resolve("/%2e%2e/outside/secret.txt"));
    CHECK_FALSE(files.resolve("/%2E%2e/outside/secret.txt"));
    CHECK_FALSE(files.resolve("/assets/%2E%2e/"));
    CHECK_FALSE(files.resolve("/%2e/app.js"));
    CHECK_FALSE(files.resolve("/..%2foutside%2fsecret.txt"));
    CHECK_FALSE(files.resolve("/..\\outside\\secret.txt"));
    CHECK_FALSE(files.resolve("/assets\\style.css"));
    CHECK_FALSE(files.resolve("/assets%5cstyle.css"));
    CHECK_FALSE(files.resolve("/app.js%00.html"));
    CHECK_FALSE(files.resolve("/app%2"));
    CHECK_FALSE(files.resolve("/app%zz.js"));
    CHECK_FALSE(files.resolve(std::string("/app.js\0", 8)));
}

TEST_CASE("StaticFiles refuses symlinks that leave the root") {
    WebRoot root;
    StaticFiles files(root.web);
    CHECK_FALSE(files.resolve("/leak.txt"));
    CHECK_FALSE(files.resolve("/out/secret.txt"));
}

TEST_CASE("StaticFiles accepts a root given through a relative or unnormalised path") {
    WebRoot root;
    StaticFiles files(root.web / "assets" / "..");
    CHECK(files.resolve("/app.js") == root.real("app.js"));
    CHECK_FALSE(files.resolve("/leak.txt"));
}

TEST_CASE("StaticFiles::content_type by extension") {
    CHECK(StaticFiles::content_type("index.html") == "text/html; charset=utf-8");
    CHECK(StaticFiles::content_type("/x/app.js") == "text/javascript; charset=utf-8");
    CHECK(StaticFiles::content_type("mod.mjs") == "text/javascript; charset=utf-8");
    CHECK(StaticFiles::content_type("a.css") == "text/css; charset=utf-8");
    CHECK(StaticFiles::content_type("a.json") == "application/json; charset=utf-8");
    CHECK(StaticFiles::content_type("a.js.map") == "application/json; charset=utf-8");
    CHECK(StaticFiles::content_type("logo.svg") == "image/svg+xml; charset=utf-8");
    CHECK(StaticFiles::content_type("logo.png") == "image/png");
    CHECK(StaticFiles::content_type("favicon.ico") == "image/x-icon");
    CHECK(StaticFiles::content_type("app.webmanifest") ==
          "application/manifest+json; charset=utf-8");
    CHECK(StaticFiles::content_type("robots.txt") == "text/plain; charset=utf-8");
    CHECK(StaticFiles::content_type("font.woff2") == "font/woff2");
    CHECK(StaticFiles::content_type("INDEX.HTML") == "text/html; charset=utf-8");
    CHECK(StaticFiles::content_type("archive.tar.gz") == "application/octet-stream");
    CHECK(StaticFiles::content_type("Makefile") == "application/octet-stream");
}
