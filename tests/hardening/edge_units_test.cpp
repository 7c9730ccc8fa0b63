// The network edge's policies on their own, without sockets: which Origins may open a
// WebSocket, the token bucket behind rate limiting, and the connection caps.
#include <catch2/catch.hpp>
#include <optional>

#include "server/connection_limiter.hpp"
#include "server/listener.hpp"
#include "server/origin_policy.hpp"
#include "server/rate_limiter.hpp"

using namespace quorum;
using std::nullopt;

TEST_CASE("by default only the server's own pages and non-browser clients may open a WebSocket") {
    OriginPolicy p;
    // The page came from the host and port the browser is talking to.
    CHECK(p.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
    CHECK(p.allows("http://LOCALHOST:8080", "localhost:8080"));
    CHECK(p.allows("https://workshop.example.org", "workshop.example.org"));
    CHECK(p.allows("https://workshop.example.org", "workshop.example.org:443"));
    CHECK(p.allows("http://workshop.example.org", "workshop.example.org:80"));
    CHECK(p.allows("http://[::1]:8080", "[::1]:8080"));
    // No Origin: a script or the load generator, never a browser.
    CHECK(p.allows(nullopt, "127.0.0.1:8080"));

    // Another site, another port, another scheme's default port, look-alikes and junk.
    CHECK_FALSE(p.allows("https://evil.example", "workshop.example.org"));
    CHECK_FALSE(p.allows("http://127.0.0.1:9999", "127.0.0.1:8080"));
    CHECK_FALSE(p.allows("http://workshop.example.org", "workshop.example.org:443"));
    CHECK_FALSE(p.allows("https://workshop.example.org.evil.example", "workshop.example.org"));
    CHECK_FALSE(p.allows("https://evil.example#workshop.example.org", "workshop.example.org"));
    CHECK_FALSE(p.allows("https://workshop.example.org@evil.example", "evil.example"));
    CHECK_FALSE(p.allows("https://user@workshop.example.org", "workshop.example.org"));
    CHECK_FALSE(p.allows("https://workshop.example.org/path", "workshop.example.org"));
    CHECK_FALSE(p.allows("null", "workshop.example.org"));
    CHECK_FALSE(p.allows("", "workshop.example.org"));
    CHECK_FALSE(p.allows("workshop.example.org", "workshop.example.org"));
    CHECK_FALSE(p.allows("http://127.0.0.1:8080", ""));
    CHECK_FALSE(p.allows("http://127.0.0.1:8080", "127.0.0.1:8080, evil.example"));
    CHECK_FALSE(p.allows("http://127.0.0.1:0", "127.0.0.1:0"));
    CHECK_FALSE(p.allows("http://127.0.0.1:99999", "127.0.0.1:99999"));
    CHECK_FALSE(p.allows(std::string_view("http://127.0.0.1\0:8080", 22), "127.0.0.1"));
}

TEST_CASE("an allow-list replaces the default, and can refuse clients without an Origin") {
    OriginPolicy listed({"https://workshop.example.org", "http://localhost:5173/"}, false);
    CHECK(listed.allows("https://workshop.example.org", "127.0.0.1:8080"));  // behind a proxy
    CHECK(listed.allows("https://WORKSHOP.example.org:443", "anything"));
    CHECK(listed.allows("http://localhost:5173", "127.0.0.1:8080"));
    CHECK_FALSE(listed.allows("http://workshop.example.org", "workshop.example.org"));
    CHECK_FALSE(listed.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));  // "self" not listed
    CHECK_FALSE(listed.allows(nullopt, "127.0.0.1:8080"));
    CHECK(listed.refusal(nullopt).find("no Origin") != std::string::npos);

    OriginPolicy with_self({"self", "https://workshop.example.org"});
    CHECK(with_self.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
    CHECK(with_self.allows("https://workshop.example.org", "127.0.0.1:8080"));

    OriginPolicy any({"*"});
    CHECK(any.allows("https://anything.example", "127.0.0.1:8080"));
    CHECK(any.allows("null", "127.0.0.1:8080"));

    OriginPolicy none(std::vector<std::string>{}, true);
    CHECK_FALSE(none.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
    CHECK(none.allows(nullopt, "127.0.0.1:8080"));

    CHECK(OriginPolicy::split_list(" self, https://a.example ,,http://b.example:81") ==
          std::vector<std::string>{"self", "https://a.example", "http://b.example:81"});
    for (const char* bad :
         {"workshop.example.org", "https://", "https://a.example/path", "https://a b.example",
          "https://a.example:0", "https://a.example:x", "://a.example", "https://[::1"})
        CHECK_THROWS_AS(OriginPolicy({bad}), std::invalid_argument);
}

TEST_CASE("a refused Origin is logged as a short, printable excerpt") {
    OriginPolicy p;
    const std::string nasty = "https://evil.example/\r\nX-Injected: 1\"" + std::string(500, 'a');
    const auto text = p.refusal(nasty);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.size() < 140);
}

TEST_CASE("the token bucket lets a burst through, then the sustained rate") {
    using namespace std::chrono_literals;
    const auto t0 = TokenBucket::Clock::time_point{} + 1000s;
    TokenBucket bucket(10, 5, t0);
    for (int i = 0; i < 5; ++i) CHECK(bucket.take(t0));
    CHECK_FALSE(bucket.take(t0));
    CHECK_FALSE(bucket.take(t0 + 50ms));  // half a token
    CHECK(bucket.take(t0 + 150ms));       // one and a half
    CHECK_FALSE(bucket.take(t0 + 150ms));
    // Refills up to the burst, never beyond.
    CHECK(bucket.available(t0 + 100s) == Approx(5));
    int passed = 0;
    for (int i = 0; i < 100; ++i) passed += bucket.take(t0 + 100s);
    CHECK(passed == 5);
    // Over one simulated second of flooding, about `rate` get through.
    passed = 0;
    for (int ms = 0; ms < 1000; ++ms)
        passed += bucket.take(t0 + 100s + std::chrono::milliseconds(ms));
    CHECK(passed >= 9);
    CHECK(passed <= 11);
    // Time going backwards does not mint tokens.
    CHECK_FALSE(bucket.take(t0));

    TokenBucket unlimited(0, 0, t0);
    for (int i = 0; i < 10000; ++i) REQUIRE(unlimited.take(t0));
}

TEST_CASE("connection caps: in total and per address, released when a connection ends") {
    auto limiter = std::make_shared<ConnectionLimiter>(5, 2);
    ConnectionLimiter::Refusal why{};
    auto a1 = limiter->admit("10.0.0.1");
    auto a2 = limiter->admit("10.0.0.1");
    REQUIRE(a1);
    REQUIRE(a2);
    CHECK_FALSE(limiter->admit("10.0.0.1", &why));
    CHECK(why == ConnectionLimiter::Refusal::per_address);
    auto b1 = limiter->admit("10.0.0.2");
    auto l1 = limiter->admit("");  // loopback: not counted per address
    auto l2 = limiter->admit("");
    REQUIRE(b1);
    REQUIRE(l1);
    REQUIRE(l2);
    CHECK(limiter->open() == 5);
    CHECK_FALSE(limiter->admit("10.0.0.3", &why));
    CHECK(why == ConnectionLimiter::Refusal::total);
    CHECK_FALSE(limiter->admit("", &why));

    a1.reset();  // a connection ends
    CHECK(limiter->open() == 4);
    CHECK(limiter->open_from("10.0.0.1") == 1);
    auto a3 = limiter->admit("10.0.0.1");
    CHECK(a3);
    // A slot moved along (HTTP session to WebSocket session) still counts once.
    ConnectionLimiter::Slot moved = std::move(*a3);
    a3.reset();
    CHECK(limiter->open() == 5);
    moved.release();
    moved.release();
    CHECK(limiter->open() == 4);
    CHECK(limiter->open_from("10.0.0.1") == 1);
    // Refused admissions leave no trace.
    CHECK(limiter->open_from("10.0.0.3") == 0);

    auto unlimited = std::make_shared<ConnectionLimiter>(0, 0);
    std::vector<ConnectionLimiter::Slot> many;
    for (int i = 0; i < 1000; ++i) many.push_back(std::move(*unlimited->admit("10.0.0.9")));
    CHECK(unlimited->open() == 1000);
    many.clear();
    CHECK(unlimited->open() == 0);
}

TEST_CASE("addresses are counted per IPv4 address or IPv6 /64; loopback only when asked") {
    using boost::asio::ip::make_address;
    using quorum::edge::address_key;
    CHECK(address_key(make_address("10.1.2.3"), false) == "10.1.2.3");
    CHECK(address_key(make_address("::ffff:10.1.2.3"), false) == "10.1.2.3");
    CHECK(address_key(make_address("127.0.0.1"), false).empty());
    CHECK(address_key(make_address("127.0.0.2"), false).empty());
    CHECK(address_key(make_address("::1"), false).empty());
    CHECK(address_key(make_address("::ffff:127.0.0.1"), false).empty());
    CHECK(address_key(make_address("127.0.0.1"), true) == "127.0.0.1");
    // One subscriber's /64 is one address, however many of its 2^64 addresses it uses.
    const auto a = address_key(make_address("2001:db8:1:2:3:4:5:6"), false);
    CHECK(a == address_key(make_address("2001:db8:1:2:ffff::1"), false));
    CHECK(a != address_key(make_address("2001:db8:1:3::1"), false));
    CHECK(a.ends_with("/64"));
}
