#include "load/workload.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "load/db_check.hpp"
#include "load/http_client.hpp"
#include "load/proc_stats.hpp"
#include "load/ws_connection.hpp"

namespace quorum::load {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}
Clock::time_point at_ns(std::int64_t ns) {
    return Clock::time_point(std::chrono::nanoseconds(ns));
}
double seconds_between(std::int64_t a, std::int64_t b) {
    return static_cast<double>(b - a) / 1e9;
}

constexpr std::uint64_t facilitator_tag = ~std::uint64_t{0};
// Request ids tell at a glance what a reply answers: votes are their index + 1.
constexpr std::int64_t comment_req_base = std::int64_t{1} << 40;
constexpr std::int64_t control_req_base = std::int64_t{1} << 41;
constexpr std::int64_t join_req_base = std::int64_t{1} << 42;

constexpr const char* test_ids[3] = {"purposeful", "proportionate", "responsible"};

enum class Status : std::uint8_t { sent, acked, duplicate, error };

struct VoteRecord {
    std::uint32_t participant = 0;  // driver index
    std::uint8_t scenario = 0;
    std::uint8_t test = 0;
    std::int8_t value = 0;  // 0 = can't say
    Status status = Status::sent;
    std::int64_t scheduled_ns = 0;  // open loop and spike: the Poisson / spike clock
    std::int64_t ack_ns = 0;
    std::uint64_t seq = 0;
};

struct Participant {
    std::shared_ptr<WsConnection> conn;
    std::uint32_t id = 0;  // the server's participant id
    std::uint8_t area = 0;
    bool joined = false;
    bool failed = false;
    bool commenter = false;
    bool done = false;            // closed loop: finished this scenario
    std::uint32_t remaining = 0;  // closed loop: votes left in this scenario
    std::uint32_t sent = 0;
    std::uint8_t next_test = 0;
    std::vector<std::int8_t> last_sent;   // per scenario × test; -1 none
    std::vector<std::int8_t> last_acked;  // per scenario × test; -1 none
    std::uint64_t progress_seq = 0;
    std::int64_t progress_ns = 0;
};

struct Scheduled {
    std::int64_t offset_ns;
    std::uint32_t participant;
    bool comment;
};

/// Percentiles of a sample in milliseconds.
json percentiles_ms(std::vector<std::int64_t> ns) {
    if (ns.empty()) return json{{"count", 0}};
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) {
        const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ns.size()))) - 1;
        return static_cast<double>(ns[std::min(i, ns.size() - 1)]) / 1e6;
    };
    double sum = 0;
    for (auto v : ns) sum += static_cast<double>(v);
    auto round3 = [](double v) { return std::round(v * 1000) / 1000; };
    return json{{"count", ns.size()},
                {"p50", round3(at(0.50))},
                {"p90", round3(at(0.90))},
                {"p99", round3(at(0.99))},
                {"p999", round3(at(0.999))},
                {"max", round3(static_cast<double>(ns.back()) / 1e6)},
                {"mean", round3(sum / static_cast<double>(ns.size()) / 1e6)}};
}

/// The top-level fields the hot path needs, read without building a JSON tree: servers put keys
/// in different orders, and nested objects (a snapshot's progress) may carry their own "type".
struct Envelope {
    std::string_view type;
    std::string_view event;
    std::int64_t req = -1;
    std::int64_t seq = -1;
    bool ok = false;
};

/// Skips one JSON value starting at text[i]; returns the index after it.
std::size_t skip_value(std::string_view text, std::size_t i) {
    if (i >= text.size()) return i;
    const char c = text[i];
    if (c == '"') {
        for (++i; i < text.size(); ++i) {
            if (text[i] == '\\')
                ++i;
            else if (text[i] == '"')
                return i + 1;
        }
        return i;
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        for (; i < text.size(); ++i) {
            const char d = text[i];
            if (d == '"') {
                i = skip_value(text, i) - 1;
            } else if (d == '{' || d == '[') {
                ++depth;
            } else if (d == '}' || d == ']') {
                if (--depth == 0) return i + 1;
            }
        }
        return i;
    }
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']') ++i;
    return i;
}

std::int64_t integer_at(std::string_view text, std::size_t i) {
    bool negative = false;
    if (i < text.size() && text[i] == '-') negative = true, ++i;
    std::int64_t v = 0;
    bool any = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        v = v * 10 + (text[i] - '0'), any = true;
    return any ? (negative ? -v : v) : -1;
}

Envelope read_envelope(std::string_view text) {
    Envelope e;
    std::size_t i = 0;
    auto space = [&] {
        while (i < text.size() &&
               (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
            ++i;
    };
    space();
    if (i >= text.size() || text[i] != '{') return e;
    ++i;
    for (;;) {
        space();
        if (i >= text.size() || text[i] != '"') break;
        const auto key_end = skip_value(text, i);
        const auto key = text.substr(i + 1, key_end - i - 2);
        i = key_end;
        space();
        if (i >= text.size() || text[i] != ':') return e;
        ++i;
        space();
        const auto value_end = skip_value(text, i);
        if (key == "type" || key == "event") {
            if (text[i] == '"')
                (key == "type" ? e.type : e.event) = text.substr(i + 1, value_end - i - 2);
        } else if (key == "req") {
            e.req = integer_at(text, i);
        } else if (key == "seq") {
            e.seq = integer_at(text, i);
        }
        i = value_end;
        space();
        if (i < text.size() && text[i] == ',') ++i;
    }
    e.ok = !e.type.empty();
    return e;
}

std::map<std::string, double> parse_metrics(const std::string& text) {
    std::map<std::string, double> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        try {
            out[line.substr(0, space)] = std::stod(line.substr(space + 1));
        } catch (...) {
        }
    }
    return out;
}

/// A facilitator command. Built outside the coroutines: GCC 12 cannot keep an initializer_list
/// temporary alive across a co_await ("array used as initializer").
json command(const char* type, const std::string& scenario = {}) {
    json m{{"type", type}};
    if (!scenario.empty()) m["scenario"] = scenario;
    return m;
}

const char* mode_name(Mode m) {
    switch (m) {
        case Mode::closed:
            return "closed";
        case Mode::open:
            return "open";
        case Mode::spike:
            return "spike";
        case Mode::soak:
            return "soak";
    }
    return "?";
}

class Driver final : public WsListener {
  public:
    explicit Driver(const Options& o) : o_(o), rng_(o.seed), sched_timer_(ioc_) {
        server_ = tcp::endpoint(asio::ip::make_address(o.host), o.port);
    }

    json run() {
        std::exception_ptr failure;
        asio::co_spawn(ioc_, main_flow(), [&](std::exception_ptr e) {
            failure = e;
            for (auto& p : participants_)
                if (p.conn) p.conn->shutdown();
            if (fac_) fac_->shutdown();
            sched_timer_.cancel();
            ioc_.stop();
        });
        ioc_.run();
        if (failure) std::rethrow_exception(failure);
        return result_;
    }

    // --- WsListener -------------------------------------------------------------------------

    void on_open(WsConnection& c) override {
        if (c.tag() == facilitator_tag) {
            json m{{"type", "facilitate"},
                   {"protocol", 1},
                   {"code", code_},
                   {"token", token_},
                   {"req", control_req_base}};
            c.send_text(m.dump());
            return;
        }
        auto& p = participants_[c.tag()];
        char buf[256];
        std::snprintf(
            buf, sizeof buf,
            R"({"type":"join","protocol":1,"code":"%s","name":"Load %llu","area":"%s","req":%lld})",
            code_.c_str(), static_cast<unsigned long long>(c.tag() + 1),
            area_names_[p.area].c_str(),
            static_cast<long long>(join_req_base + static_cast<std::int64_t>(c.tag())));
        c.send_text(buf);
    }

    void on_text(WsConnection& c, std::string_view text) override {
        try {
            handle_text(c, text);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string(e.what()) + " in a message from the server: " +
                                     std::string(text.substr(0, 300)));
        }
    }

    void handle_text(WsConnection& c, std::string_view text) {
        if (c.tag() == facilitator_tag) return on_facilitator_text(text);
        auto& p = participants_[c.tag()];
        const auto e = read_envelope(text);
        if (e.type == "ack") return on_reply(p, e, text);
        if (e.type == "progress") {
            if (e.seq > 0 && static_cast<std::uint64_t>(e.seq) > p.progress_seq) {
                p.progress_seq = static_cast<std::uint64_t>(e.seq);
                p.progress_ns = now_ns();
            }
            return;
        }
        if (e.type == "event" && e.event == "vote_cast") return;  // our vote, from another device
        if (e.type == "error") return on_reply(p, e, text);
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded()) return;
        const auto type = j.value("type", "");
        if (type == "welcome") {
            p.id = j.value("participant", 0u);
        } else if (type == "snapshot") {
            if (!p.joined && !p.failed) {
                p.joined = true;
                ++joined_;
                --joining_;
                launch_participants();
            }
        }
    }

    void on_closed(WsConnection& c, const std::string& why) override {
        if (c.tag() == facilitator_tag) {
            fac_closed_ = why;
            return;
        }
        auto& p = participants_[c.tag()];
        ++closed_;
        if (first_close_reason_.empty()) first_close_reason_ = why;
        if (!p.joined && !p.failed) {
            p.failed = true;
            ++join_failures_;
            --joining_;
            launch_participants();
        }
    }

  private:
    // --- Facilitator ------------------------------------------------------------------------

    void on_facilitator_text(std::string_view text) {
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded()) return;
        const auto type = j.value("type", "");
        if (type == "progress") {
            progress_.push_back({j.value("seq", std::uint64_t{0}), now_ns()});
        } else if (type == "snapshot") {
            fac_snapshot_ = std::move(j);
        } else if (j.contains("req") && j["req"].is_number_integer()) {
            const auto req = j["req"].get<std::int64_t>();
            replies_[req] = std::move(j);
        }
    }

    asio::awaitable<json> facilitator_request(json m) {
        const auto req = control_req_base + ++control_requests_;
        m["req"] = req;
        const auto what = m.value("type", "");
        fac_->send_text(m.dump());
        if (!co_await wait_until([&] { return replies_.count(req) > 0; }, 30))
            throw std::runtime_error("no reply to the facilitator's " + what);
        auto reply = std::move(replies_[req]);
        replies_.erase(req);
        if (reply.value("type", "") != "ack")
            throw std::runtime_error("the facilitator's " + what + " was refused: " + reply.dump());
        co_return reply;
    }

    // --- Participants -----------------------------------------------------------------------

    void launch_participants() {
        while (joining_ < static_cast<std::size_t>(o_.connect_concurrency) &&
               next_launch_ < participants_.size()) {
            auto& p = participants_[next_launch_];
            p.conn = std::make_shared<WsConnection>(ioc_, *this, wire_, next_launch_);
            p.conn->start(server_);
            ++next_launch_;
            ++joining_;
        }
    }

    std::int8_t choose_value(Participant& p, std::size_t slot) {
        std::int8_t v = static_cast<std::int8_t>(rng_() % 6);
        if (v == p.last_sent[slot]) v = static_cast<std::int8_t>((v + 1) % 6);
        return v;
    }

    void send_vote(Participant& p, std::uint32_t index, std::int64_t scheduled) {
        if (!p.joined || !p.conn || !p.conn->open()) {
            ++skipped_;
            return;
        }
        VoteRecord r;
        r.participant = index;
        r.scenario = static_cast<std::uint8_t>(scenario_);
        r.test = static_cast<std::uint8_t>(p.next_test++ % 3);
        const auto slot = static_cast<std::size_t>(scenario_) * 3 + r.test;
        r.value = choose_value(p, slot);
        p.last_sent[slot] = r.value;
        r.scheduled_ns = scheduled;
        votes_.push_back(r);
        const auto req = static_cast<long long>(votes_.size());
        char value[16];
        if (r.value == 0)
            std::snprintf(value, sizeof value, "\"cant_say\"");
        else
            std::snprintf(value, sizeof value, "%d", r.value);
        char buf[320];
        std::snprintf(
            buf, sizeof buf,
            R"({"type":"vote","scenario":"%s","test":"%s","value":%s,"round":1,"client_id":"L%u-%u","req":%lld})",
            scenario_ids_[scenario_].c_str(), test_ids[r.test], value, index, ++p.sent, req);
        p.conn->send_text(buf);
        ++outstanding_;
    }

    void send_comment(Participant& p, std::uint32_t index) {
        if (!p.joined || !p.conn || !p.conn->open()) return;
        comment_sent_.push_back(now_ns());
        const auto req = comment_req_base + static_cast<std::int64_t>(comment_sent_.size());
        char buf[512];
        std::snprintf(
            buf, sizeof buf,
            R"({"type":"comment","scenario":"%s","test":"%s","kind":"risk","text":"Participant %u: small areas could make people identifiable; aggregate before sharing.","client_id":"C%u-%u","req":%lld})",
            scenario_ids_[scenario_].c_str(), test_ids[index % 3], index, index, ++p.sent,
            static_cast<long long>(req));
        p.conn->send_text(buf);
        ++outstanding_;
    }

    void on_reply(Participant& p, const Envelope& e, std::string_view text) {
        const bool ack = e.type == "ack";
        const auto req = e.req;
        const auto t = now_ns();
        if (req >= 1 && req <= static_cast<std::int64_t>(votes_.size())) {
            auto& r = votes_[static_cast<std::size_t>(req - 1)];
            if (r.status != Status::sent) return;
            --outstanding_;
            r.ack_ns = t;
            last_ack_ns_ = t;
            if (!ack) {
                r.status = Status::error;
                auto j = json::parse(text, nullptr, false);
                ++vote_errors_[j.is_discarded() ? "?" : j.value("code", "?")];
            } else {
                const auto seq = e.seq;
                if (seq > 0) {
                    r.status = Status::acked;
                    r.seq = static_cast<std::uint64_t>(seq);
                    p.last_acked[static_cast<std::size_t>(r.scenario) * 3 + r.test] = r.value;
                } else {
                    r.status = Status::duplicate;
                }
            }
            if (o_.mode == Mode::closed) next_closed_loop_step(p, r.participant);
        } else if (req > comment_req_base && req < control_req_base) {
            --outstanding_;
            last_ack_ns_ = t;
            if (ack) {
                ++comments_acked_;
                comment_latency_.push_back(
                    t - comment_sent_[static_cast<std::size_t>(req - comment_req_base - 1)]);
            } else {
                ++comment_errors_;
            }
            if (o_.mode == Mode::closed)
                next_closed_loop_step(p, static_cast<std::uint32_t>(&p - participants_.data()));
        } else if (!ack && req >= join_req_base) {
            if (!p.joined && !p.failed) {
                p.failed = true;
                ++join_failures_;
                --joining_;
                if (first_join_error_.empty()) first_join_error_ = std::string(text);
                launch_participants();
            }
        }
    }

    // --- Closed loop ------------------------------------------------------------------------

    void next_closed_loop_step(Participant& p, std::uint32_t index) {
        if (p.done) return;
        if (!stop_sending_ && now_ns() >= send_deadline_ns_) stop_sending_ = true;
        if (p.remaining == 0 || stop_sending_ || !p.conn->open()) {
            p.done = true;
            ++done_;
            return;
        }
        --p.remaining;
        send_vote(p, index, now_ns());
    }

    void start_closed_scenario(std::uint32_t quota) {
        done_ = 0;
        for (std::uint32_t i = 0; i < participants_.size(); ++i) {
            auto& p = participants_[i];
            p.done = false;
            p.remaining = quota;
            if (!p.joined || !p.conn->open()) {
                p.done = true;
                ++done_;
                continue;
            }
            if (p.commenter)
                send_comment(p, i);  // its ack starts the votes
            else
                next_closed_loop_step(p, i);
        }
    }

    // --- Open loop and spike: a precomputed schedule walked by one timer ---------------------

    void start_schedule(std::int64_t start_ns) {
        sched_start_ns_ = start_ns;
        sched_pos_ = 0;
        schedule_done_ = schedule_.empty();
        if (!schedule_done_) arm_schedule();
    }

    void arm_schedule() {
        sched_timer_.expires_at(at_ns(sched_start_ns_ + schedule_[sched_pos_].offset_ns));
        sched_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            const auto t = now_ns();
            while (sched_pos_ < schedule_.size() &&
                   sched_start_ns_ + schedule_[sched_pos_].offset_ns <= t) {
                const auto& s = schedule_[sched_pos_++];
                auto& p = participants_[s.participant];
                if (s.comment)
                    send_comment(p, s.participant);
                else
                    send_vote(p, s.participant, sched_start_ns_ + s.offset_ns);
            }
            if (sched_pos_ < schedule_.size())
                arm_schedule();
            else
                schedule_done_ = true;
        });
    }

    // --- Orchestration ----------------------------------------------------------------------

    asio::awaitable<bool> wait_until(std::function<bool()> done, double timeout_s,
                                     int poll_ms = 2) {
        asio::steady_timer timer(ioc_);
        const auto deadline =
            Clock::now() + std::chrono::microseconds(static_cast<std::int64_t>(timeout_s * 1e6));
        while (!done()) {
            if (Clock::now() >= deadline) co_return false;
            timer.expires_after(std::chrono::milliseconds(poll_ms));
            co_await timer.async_wait(asio::use_awaitable);
        }
        co_return true;
    }

    asio::awaitable<void> sleep(double s) {
        asio::steady_timer timer(ioc_);
        timer.expires_after(std::chrono::microseconds(static_cast<std::int64_t>(s * 1e6)));
        co_await timer.async_wait(asio::use_awaitable);
    }

    void create_session() {
        json areas = json::array();
        for (int i = 0; i < o_.areas; ++i) {
            area_names_.push_back("Area " + std::to_string(i + 1));
            areas.push_back(area_names_.back());
        }
        json scenarios = json::array();
        for (int i = 0; i < std::max(1, o_.scenarios); ++i)
            scenarios.push_back({{"title", "Scenario " + std::to_string(i + 1)},
                                 {"description", "Load test scenario " + std::to_string(i + 1) +
                                                     ": share records to plan services."}});
        const json body{{"title", "quorum-load " + std::string(mode_name(o_.mode))},
                        {"areas", areas},
                        {"scenarios", scenarios}};
        const auto reply = http_request(o_.host, o_.port, "POST", "/api/sessions", body.dump());
        if (reply.status != 201)
            throw std::runtime_error("POST /api/sessions answered " + std::to_string(reply.status) +
                                     ": " + reply.body);
        const auto j = json::parse(reply.body);
        code_ = j.at("code").get<std::string>();
        token_ = j.at("facilitator_token").get<std::string>();
    }

    std::map<std::string, double> metrics() {
        try {
            const auto r = http_request(o_.host, o_.port, "GET", "/metrics");
            if (r.status == 200) return parse_metrics(r.body);
        } catch (const std::exception&) {
        }
        return {};
    }

    json server_sample_json(const ProcSample& s) {
        if (!s.valid) return nullptr;
        return {{"rss_kib", s.rss_kib}, {"user_s", s.user_s}, {"system_s", s.system_s}};
    }

    asio::awaitable<void> join_everyone() {
        participants_.resize(static_cast<std::size_t>(o_.participants));
        const auto slots = static_cast<std::size_t>(std::max(1, o_.scenarios)) * 3;
        const int every = o_.comment_share > 0
                              ? std::max(1, static_cast<int>(std::lround(1.0 / o_.comment_share)))
                              : 0;
        for (std::size_t i = 0; i < participants_.size(); ++i) {
            auto& p = participants_[i];
            p.area = static_cast<std::uint8_t>(i % static_cast<std::size_t>(o_.areas));
            p.last_sent.assign(slots, -1);
            p.last_acked.assign(slots, -1);
            p.commenter = every > 0 && i % static_cast<std::size_t>(every) == 0;
        }
        const auto started = now_ns();
        launch_participants();
        const double timeout = 30 + o_.participants / 200.0;
        const bool ok = co_await wait_until(
            [&] { return joined_ + join_failures_ == participants_.size(); }, timeout, 5);
        join_seconds_ = seconds_between(started, now_ns());
        if (!ok || join_failures_ > 0)
            throw std::runtime_error(
                "only " + std::to_string(joined_) + " of " + std::to_string(participants_.size()) +
                " participants joined (" + std::to_string(join_failures_) + " failed" +
                (first_close_reason_.empty() ? "" : "; first close: " + first_close_reason_) +
                (first_join_error_.empty() ? "" : "; first error: " + first_join_error_) + ")");
    }

    void record_join(const ProcSample& before, const ProcSample& after) {
        result_["join"] = {{"participants", joined_}, {"seconds", join_seconds_}};
        if (before.valid && after.valid) {
            result_["server_rss_kib_before_join"] = before.rss_kib;
            result_["server_rss_kib_after_join"] = after.rss_kib;
            result_["server_rss_kib_per_connection"] =
                (after.rss_kib - before.rss_kib) / static_cast<double>(joined_);
        }
    }

    asio::awaitable<void> main_flow() {
        result_["label"] = o_.label;
        result_["mode"] = mode_name(o_.mode);
        result_["load_average_start"] = load_average();
        create_session();
        result_["session"] = code_;

        fac_ = std::make_shared<WsConnection>(ioc_, *this, wire_, facilitator_tag);
        fac_->start(server_);
        if (!co_await wait_until([&] { return fac_snapshot_.is_object(); }, 15))
            throw std::runtime_error("the facilitator got no snapshot" +
                                     (fac_closed_.empty() ? "" : ": " + fac_closed_));
        for (const auto& s : fac_snapshot_["session"]["scenarios"])
            scenario_ids_.push_back(s["id"].get<std::string>());
        if (scenario_ids_.empty()) throw std::runtime_error("the session has no scenarios");

        co_await sleep(0.3);
        const auto before_join = sample_process(o_.server_pid);
        co_await join_everyone();
        co_await sleep(o_.mode == Mode::soak ? 1.0 : 0.6);  // let the joins' progress settle
        record_join(before_join, sample_process(o_.server_pid));

        if (o_.mode == Mode::soak) {
            co_await soak();
        } else {
            co_await measured_votes();
        }
        result_["load_average_end"] = load_average();
        for (auto& p : participants_)
            if (p.conn) p.conn->shutdown();
        fac_->shutdown();
    }

    asio::awaitable<void> soak() {
        const auto start = sample_process(o_.server_pid);
        const auto own_start = own_cpu_seconds();
        const auto wire_start = wire_;
        co_await sleep(o_.soak_s);
        const auto end = sample_process(o_.server_pid);
        const auto own_end = own_cpu_seconds();
        const std::size_t still_open = static_cast<std::size_t>(
            std::count_if(participants_.begin(), participants_.end(),
                          [](const Participant& p) { return p.conn && p.conn->open(); }));
        json idle = json::object();
        idle["seconds"] = o_.soak_s;
        idle["connections_open"] = still_open;
        if (start.valid && end.valid) {
            idle["server_rss_kib_end"] = end.rss_kib;
            idle["server_rss_kib_per_connection_end"] =
                (end.rss_kib - result_.value("server_rss_kib_before_join", end.rss_kib)) /
                static_cast<double>(joined_);
            idle["server_cpu_s"] = (end.user_s + end.system_s) - (start.user_s + start.system_s);
        }
        idle["frames_in_while_idle"] = wire_.frames_in - wire_start.frames_in;
        idle["driver_cpu_s"] =
            (own_end.first + own_end.second) - (own_start.first + own_start.second);

        // Does everyone still get updates? The facilitator opens a scenario and voting, one
        // participant votes: every connection should then get a progress that includes it.
        co_await facilitator_request(command("open_scenario", scenario_ids_[0]));
        co_await facilitator_request(command("open_voting"));
        scenario_ = 0;
        send_vote(participants_[0], 0, now_ns());
        co_await wait_until([&] { return outstanding_ == 0; }, 10);
        if (votes_.empty()) throw std::runtime_error("the update check's vote could not be sent");
        const auto target = votes_.front().seq;
        const auto sent = votes_.front().scheduled_ns;
        const bool all = co_await wait_until(
            [&] {
                return std::all_of(participants_.begin(), participants_.end(),
                                   [&](const Participant& p) { return p.progress_seq >= target; });
            },
            10, 10);
        std::vector<std::int64_t> delay;
        std::size_t updated = 0;
        for (const auto& p : participants_)
            if (p.progress_seq >= target && target > 0) {
                ++updated;
                delay.push_back(p.progress_ns - sent);
            }
        json check = json::object();
        check["vote_seq"] = target;
        check["participants_updated"] = updated;
        check["all_updated"] = all && target > 0;
        check["vote_to_participant_progress_ms"] = percentiles_ms(delay);
        idle["update_check"] = std::move(check);
        result_["soak"] = std::move(idle);
        result_["connections_closed_by_server"] = closed_;
    }

    asio::awaitable<void> measured_votes() {
        const auto scenario_count = o_.mode == Mode::closed ? std::max(1, o_.scenarios) : 1;
        // Open loop and spike vote on the first scenario; its voting opens inside the window for
        // the spike (that is the moment everyone reacts to), before it for the open loop.
        co_await facilitator_request(command("open_scenario", scenario_ids_[0]));
        if (o_.mode != Mode::spike) co_await facilitator_request(command("open_voting"));
        co_await sleep(0.3);

        const auto metrics_start = metrics();
        const auto server_start = sample_process(o_.server_pid);
        const auto own_start = own_cpu_seconds();
        const auto wire_start = wire_;
        const auto window_start = now_ns();
        send_deadline_ns_ = window_start + static_cast<std::int64_t>(o_.duration_s * 1e9);

        if (o_.mode == Mode::closed) {
            const auto total = static_cast<std::uint32_t>(o_.votes);
            for (int s = 0; s < scenario_count; ++s) {
                scenario_ = s;
                if (s > 0) {
                    co_await facilitator_request(
                        command("open_scenario", scenario_ids_[static_cast<std::size_t>(s)]));
                    co_await facilitator_request(command("open_voting"));
                }
                const auto quota = total / static_cast<std::uint32_t>(scenario_count) +
                                   (static_cast<std::uint32_t>(s) <
                                            total % static_cast<std::uint32_t>(scenario_count)
                                        ? 1
                                        : 0);
                start_closed_scenario(quota);
                co_await wait_until(
                    [&] { return done_ == participants_.size() && outstanding_ == 0; },
                    o_.duration_s + o_.drain_timeout_s, 1);
                if (stop_sending_) break;
                if (s + 1 < scenario_count) co_await facilitator_request(command("close_voting"));
            }
        } else {
            scenario_ = 0;
            std::int64_t start = window_start;
            if (o_.mode == Mode::open) {
                std::exponential_distribution<double> gap(o_.rate);
                std::uniform_int_distribution<std::uint32_t> who(
                    0, static_cast<std::uint32_t>(participants_.size() - 1));
                double t = gap(rng_);
                while (t < o_.duration_s) {
                    schedule_.push_back({static_cast<std::int64_t>(t * 1e9), who(rng_), false});
                    t += gap(rng_);
                }
            } else {
                std::uniform_real_distribution<double> when(0, o_.spike_window_s);
                for (std::uint32_t i = 0; i < participants_.size(); ++i) {
                    for (int k = 0; k < o_.spike_votes; ++k)
                        schedule_.push_back(
                            {static_cast<std::int64_t>(when(rng_) * 1e9), i, false});
                    if (participants_[i].commenter)
                        schedule_.push_back({static_cast<std::int64_t>(when(rng_) * 1e9), i, true});
                }
                std::sort(schedule_.begin(), schedule_.end(),
                          [](const Scheduled& a, const Scheduled& b) {
                              return a.offset_ns < b.offset_ns;
                          });
                co_await facilitator_request(command("open_voting"));
                start = now_ns();  // voting is open: everyone reacts within the window
            }
            start_schedule(start);
            co_await wait_until([&] { return schedule_done_; },
                                o_.duration_s + o_.spike_window_s + 60, 1);
            co_await wait_until([&] { return outstanding_ == 0; }, o_.drain_timeout_s, 1);
        }
        const auto window_end = std::max(last_ack_ns_, window_start + 1);
        const auto server_end = sample_process(o_.server_pid);
        const auto own_end = own_cpu_seconds();
        const auto wire_end = wire_;

        // Wait (outside the window) until the facilitator has seen the last acknowledged vote.
        std::uint64_t max_seq = 0;
        for (const auto& r : votes_) max_seq = std::max(max_seq, r.seq);
        co_await wait_until([&] { return !progress_.empty() && progress_.back().first >= max_seq; },
                            3, 2);
        const auto metrics_end = metrics();

        summarise(window_start, window_end, server_start, server_end, own_start, own_end,
                  wire_start, wire_end, metrics_start, metrics_end);
        if (o_.verify) co_await verify();
    }

    void summarise(std::int64_t window_start, std::int64_t window_end, const ProcSample& s0,
                   const ProcSample& s1, std::pair<double, double> own0,
                   std::pair<double, double> own1, const WireCounters& w0, const WireCounters& w1,
                   const std::map<std::string, double>& m0,
                   const std::map<std::string, double>& m1) {
        std::size_t acked = 0, duplicate = 0, errors = 0, lost = 0;
        std::vector<std::int64_t> ack_latency, visible_latency;
        std::size_t unseen = 0;
        ack_latency.reserve(votes_.size());
        for (const auto& r : votes_) {
            switch (r.status) {
                case Status::acked:
                    ++acked;
                    break;
                case Status::duplicate:
                    ++duplicate;
                    break;
                case Status::error:
                    ++errors;
                    break;
                case Status::sent:
                    ++lost;
                    break;
            }
            if (r.status != Status::acked && r.status != Status::duplicate) continue;
            ack_latency.push_back(r.ack_ns - r.scheduled_ns);
            if (r.status != Status::acked) continue;
            // progress_ is in arrival order with non-decreasing seq: the first entry whose seq
            // reaches the vote's is when the facilitator could first see it.
            auto it = std::lower_bound(progress_.begin(), progress_.end(), r.seq,
                                       [](const std::pair<std::uint64_t, std::int64_t>& a,
                                          std::uint64_t seq) { return a.first < seq; });
            if (it == progress_.end())
                ++unseen;
            else
                visible_latency.push_back(std::max<std::int64_t>(0, it->second - r.scheduled_ns));
        }
        const double window = seconds_between(window_start, window_end);
        const double server_cpu =
            s0.valid && s1.valid ? (s1.user_s + s1.system_s) - (s0.user_s + s0.system_s) : -1;
        const double own_cpu = (own1.first + own1.second) - (own0.first + own0.second);
        const auto per_vote = [&](double v) {
            return acked ? std::round(v / static_cast<double>(acked) * 100) / 100 : 0.0;
        };
        json votes{{"sent", votes_.size()},      {"acked", acked},     {"duplicate", duplicate},
                   {"errors", errors},           {"unanswered", lost}, {"skipped", skipped_},
                   {"error_codes", vote_errors_}};
        result_["votes"] = votes;
        result_["comments"] = {{"sent", comment_sent_.size()},
                               {"acked", comments_acked_},
                               {"errors", comment_errors_},
                               {"ack_ms", percentiles_ms(comment_latency_)}};
        result_["window_s"] = std::round(window * 1000) / 1000;
        result_["votes_per_s"] = std::round(static_cast<double>(acked) / window);
        result_["vote_to_ack_ms"] = percentiles_ms(ack_latency);
        visible_latency.shrink_to_fit();
        auto visible = percentiles_ms(visible_latency);
        visible["unseen"] = unseen;
        result_["vote_to_visible_at_facilitator_ms"] = visible;
        result_["facilitator_progress_per_s"] =
            std::round(static_cast<double>(std::count_if(progress_.begin(), progress_.end(),
                                                         [&](const auto& p) {
                                                             return p.second >= window_start &&
                                                                    p.second <= window_end;
                                                         })) /
                       window * 10) /
            10;
        result_["per_vote"] = {
            {"frames_to_clients", per_vote(static_cast<double>(w1.frames_in - w0.frames_in))},
            {"bytes_to_clients", per_vote(static_cast<double>(w1.bytes_in - w0.bytes_in))},
            {"frames_from_clients", per_vote(static_cast<double>(w1.frames_out - w0.frames_out))},
            {"bytes_from_clients", per_vote(static_cast<double>(w1.bytes_out - w0.bytes_out))}};
        if (server_cpu >= 0) {
            json threads = json::array();
            for (const auto& t1 : s1.threads) {
                double before = 0;
                for (const auto& t0 : s0.threads)
                    if (t0.name == t1.name) before = t0.seconds;
                threads.push_back({{"thread", t1.name},
                                   {"cpu_s", std::round((t1.seconds - before) * 100) / 100}});
            }
            result_["server"] = {
                {"cpu_s", std::round(server_cpu * 1000) / 1000},
                {"user_s", std::round((s1.user_s - s0.user_s) * 1000) / 1000},
                {"system_s", std::round((s1.system_s - s0.system_s) * 1000) / 1000},
                {"cpu_utilisation", std::round(server_cpu / window * 1000) / 1000},
                {"cpu_ms_per_1000_votes",
                 acked ? std::round(server_cpu * 1e8 / static_cast<double>(acked)) / 100 : 0},
                {"rss_kib_start", s0.rss_kib},
                {"rss_kib_end", s1.rss_kib},
                {"threads", threads}};
        }
        const double own_util = own_cpu / window;
        result_["driver"] = {{"cpu_s", std::round(own_cpu * 1000) / 1000},
                             {"user_s", std::round((own1.first - own0.first) * 1000) / 1000},
                             {"system_s", std::round((own1.second - own0.second) * 1000) / 1000},
                             {"cpu_utilisation", std::round(own_util * 1000) / 1000},
                             // One driver thread: near a whole core means the driver, not the
                             // server, may have set the pace.
                             {"client_limited", own_util > 0.85}};
        if (!m0.empty() && !m1.empty()) {
            json m;
            for (const auto& [name, v1] : m1) {
                auto it = m0.find(name);
                if (name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0 &&
                    it != m0.end())
                    m[name] = v1 - it->second;
            }
            const double tx = m.value("quorum_store_transactions_total", 0.0);
            if (tx > 0)
                m["events_per_transaction"] =
                    std::round(m.value("quorum_store_events_total", 0.0) / tx * 10) / 10;
            result_["server_metrics_delta"] = m;
        }
        result_["connections_closed_by_server"] = closed_;
    }

    // --- Verification: every acknowledged vote is in the final tally and in the database ------

    asio::awaitable<void> verify() {
        std::string close_problem;
        try {
            co_await facilitator_request(command("close_voting"));
        } catch (const std::exception& e) {
            close_problem = std::string("close_voting: ") + e.what();
        }
        result_["verify"] = verify_tallies(close_problem);
    }

    // Not a coroutine: GCC 12 mishandles braced json initialisers inside coroutines.
    json verify_tallies(const std::string& close_problem) {
        json v = json::object();
        std::vector<std::string> problems;
        if (!close_problem.empty()) problems.push_back(close_problem);
        const auto reply =
            http_request(o_.host, o_.port, "GET", "/api/sessions/" + code_, "", token_);
        if (reply.status != 200) {
            problems.push_back("GET /api/sessions/" + code_ + " answered " +
                               std::to_string(reply.status));
        } else {
            const auto summary = json::parse(reply.body);
            const json results = summary.value("results", json::array());
            std::size_t compared = 0;
            for (std::size_t s = 0; s < scenario_ids_.size(); ++s) {
                // What the driver's acks say the tally must be.
                std::vector<std::array<int, 6>> expected(3, std::array<int, 6>{});
                bool any = false;
                for (const auto& p : participants_)
                    for (int t = 0; t < 3; ++t)
                        if (auto v = p.last_acked[s * 3 + static_cast<std::size_t>(t)]; v >= 0) {
                            ++expected[static_cast<std::size_t>(t)][static_cast<std::size_t>(v)];
                            any = true;
                        }
                if (!any) continue;
                const json* round = nullptr;
                for (const auto& r : results)
                    if (r.value("scenario", "") == scenario_ids_[s] && r.value("round", 0) == 1)
                        round = &r;
                if (!round) {
                    problems.push_back("no results for " + scenario_ids_[s]);
                    continue;
                }
                for (const auto& t : (*round)["tests"]) {
                    const auto id = t.value("test", "");
                    int ti = -1;
                    for (int k = 0; k < 3; ++k)
                        if (id == test_ids[k]) ti = k;
                    if (ti < 0) continue;
                    const auto& e = expected[static_cast<std::size_t>(ti)];
                    json want_distribution = {e[1], e[2], e[3], e[4], e[5]};
                    ++compared;
                    if (t["distribution"] != want_distribution || t.value("cant_say", -1) != e[0])
                        problems.push_back(scenario_ids_[s] + "/" + id + ": tally " +
                                           t["distribution"].dump() + " cant_say " +
                                           std::to_string(t.value("cant_say", -1)) +
                                           ", acknowledged votes say " + want_distribution.dump() +
                                           " cant_say " + std::to_string(e[0]));
                }
            }
            v["tallies_compared"] = compared;
        }
        std::size_t unanswered = 0;
        for (const auto& r : votes_)
            if (r.status == Status::sent || r.status == Status::error) ++unanswered;
        if (unanswered)
            problems.push_back(std::to_string(unanswered) + " votes were not acknowledged");
        if (!o_.verify_db.empty()) {
            std::vector<ExpectedVote> expected;
            for (const auto& r : votes_)
                if (r.status == Status::acked)
                    expected.push_back({r.seq, participants_[r.participant].id,
                                        scenario_ids_[r.scenario], test_ids[r.test], r.value});
            const auto db = check_votes_in_database(o_.verify_db, code_, expected);
            v["database"] = {{"checked", db.checked}, {"found", db.found}};
            for (const auto& p : db.problems) problems.push_back("database: " + p);
        }
        if (problems.size() > 20) problems.resize(20);
        v["problems"] = problems;
        v["ok"] = problems.empty();
        return v;
    }

    const Options& o_;
    asio::io_context ioc_{1};
    tcp::endpoint server_;
    std::mt19937_64 rng_;
    WireCounters wire_;
    json result_ = json::object();

    std::string code_, token_;
    std::vector<std::string> area_names_, scenario_ids_;
    std::shared_ptr<WsConnection> fac_;
    json fac_snapshot_;
    std::string fac_closed_;
    std::unordered_map<std::int64_t, json> replies_;
    std::int64_t control_requests_ = 0;
    std::vector<std::pair<std::uint64_t, std::int64_t>> progress_;  // facilitator: seq, arrival

    std::vector<Participant> participants_;
    std::size_t next_launch_ = 0, joining_ = 0, joined_ = 0, join_failures_ = 0, closed_ = 0;
    double join_seconds_ = 0;
    std::string first_close_reason_, first_join_error_;

    int scenario_ = 0;
    std::vector<VoteRecord> votes_;
    std::vector<std::int64_t> comment_sent_, comment_latency_;
    std::size_t comments_acked_ = 0, comment_errors_ = 0;
    std::map<std::string, std::size_t> vote_errors_;
    std::size_t outstanding_ = 0, skipped_ = 0, done_ = 0;
    std::int64_t last_ack_ns_ = 0, send_deadline_ns_ = 0;
    bool stop_sending_ = false;

    std::vector<Scheduled> schedule_;
    asio::steady_timer sched_timer_;
    std::int64_t sched_start_ns_ = 0;
    std::size_t sched_pos_ = 0;
    bool schedule_done_ = true;
};

}  // namespace

json run_workload(const Options& options) {
    Driver driver(options);
    return driver.run();
}

}  // namespace quorum::load
