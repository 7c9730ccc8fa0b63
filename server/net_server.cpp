#include "server/net_server.hpp"

#include <sys/resource.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <csignal>
#include <exception>
#include <stdexcept>
#include <utility>
#include <vector>

#include "server/http_session.hpp"
#include "server/listener.hpp"
#include "server/websocket_session.hpp"

namespace quorum {

using namespace edge;

struct NetServer::Impl {
    // Declared first so it is destroyed last: every I/O object below needs it, and destroying
    // it destroys the sessions still owned by pending handlers.
    asio::io_context ioc{1};
    std::shared_ptr<NetState> state = std::make_shared<NetState>();
    std::shared_ptr<Listener> listener;
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    asio::steady_timer tick_timer{ioc};
    asio::steady_timer drain_timer{ioc};
    bool started = false;
    bool stopping = false;

    void wait_for_signal() {
        signals.async_wait([this](beast::error_code ec, int signal) {
            if (ec) return;
            if (stopping) {
                log_line("warn", "second signal: stopping now");
                ioc.stop();
                return;
            }
            begin_shutdown(signal == SIGINT ? "SIGINT" : "SIGTERM");
            wait_for_signal();
        });
    }

    void schedule_tick() {
        auto period = state->options.tick;
        if (period <= std::chrono::milliseconds::zero()) return;
        // Keep to the period's grid rather than drifting, but never try to catch up a backlog.
        auto now = asio::steady_timer::clock_type::now();
        auto next = tick_timer.expiry() + period;
        tick_timer.expires_at(next < now ? now + period : next);
        tick_timer.async_wait([this](beast::error_code ec) {
            if (ec || stopping) return;
            if (state->handlers.tick) guarded("tick", state->handlers.tick);
            schedule_tick();
        });
    }

    static void guarded(const char* what, const std::function<void()>& fn) {
        try {
            fn();
        } catch (const std::exception& e) {
            log_line("error", std::string(what) + " failed: " + e.what());
        }
    }

    void begin_shutdown(const char* why) {
        if (stopping) return;
        stopping = true;
        log_line("info", std::string("shutting down (") + why + ")");
        listener->stop();
        tick_timer.cancel();
        state->draining = true;
        state->on_drained = [this] { ioc.stop(); };
        if (state->handlers.shutdown) guarded("shutdown", state->handlers.shutdown);
        // Idle keep-alive connections would otherwise hold the drain until they time out.
        std::vector<HttpSession*> idle(state->http_sessions.begin(), state->http_sessions.end());
        for (auto* session : idle) session->close_if_idle();
        drain_timer.expires_after(state->options.drain_timeout);
        drain_timer.async_wait([this](beast::error_code ec) {
            if (ec) return;
            log_line("warn", "clients still open after the drain timeout; stopping anyway");
            ioc.stop();
        });
        state->check_drained();
    }

    /// After the loop: report the clients that never finished, so the application drops its
    /// references to them while the io_context they live on still exists.
    void abort_remaining() {
        state->draining = false;
        state->on_drained = nullptr;
        std::vector<std::shared_ptr<WebsocketSession>> open;
        for (auto* session : state->websocket_sessions)
            if (auto alive = session->weak_from_this().lock()) open.push_back(std::move(alive));
        for (auto& session : open) session->abort();
    }
};

namespace {

/// Raises the soft limit on open files to the hard limit (a server's connections are files), and
/// returns how many connections fit while keeping some descriptors for the database, static
/// files being sent and the log.
std::size_t connections_that_fit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max == RLIM_INFINITY
                              ? std::max<rlim_t>(limit.rlim_cur, 1 << 20)
                              : limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    if (limit.rlim_cur == RLIM_INFINITY) return 0;
    const auto reserve = std::max<rlim_t>(32, limit.rlim_cur / 8);
    return limit.rlim_cur > reserve ? static_cast<std::size_t>(limit.rlim_cur - reserve) : 1;
}

}  // namespace

NetServer::NetServer(NetOptions options, NetHandlers handlers) : impl_(std::make_unique<Impl>()) {
    auto& state = *impl_->state;
    state.options = std::move(options);
    state.handlers = std::move(handlers);
    auto& o = state.options;
    state.origins = OriginPolicy(o.allowed_origins, o.allow_missing_origin);  // throws if malformed
    if (const auto fit = connections_that_fit(); fit > 0 && o.max_connections > fit) {
        log_line("info", "at most " + std::to_string(fit) +
                             " connections: that is what the open-file limit allows (ulimit -n)");
        o.max_connections = fit;
    }
    state.limiter =
        std::make_shared<ConnectionLimiter>(o.max_connections, o.max_connections_per_address);
    impl_->listener = std::make_shared<Listener>(impl_->ioc, o.host, o.port, impl_->state);
}

NetServer::~NetServer() = default;

void NetServer::post(std::function<void()> fn) {
    asio::post(impl_->ioc, [fn = std::move(fn)] { Impl::guarded("posted task", fn); });
}

unsigned short NetServer::port() const {
    return impl_->listener->port();
}

void NetServer::run() {
    if (impl_->started) throw std::logic_error("NetServer::run called twice");
    impl_->started = true;
    impl_->listener->run();
    impl_->wait_for_signal();
    impl_->tick_timer.expires_after(std::chrono::milliseconds::zero());
    impl_->schedule_tick();
    impl_->ioc.run();
    impl_->abort_remaining();
}

void NetServer::stop() {
    asio::post(impl_->ioc, [impl = impl_.get()] { impl->begin_shutdown("stop requested"); });
}

}  // namespace quorum
