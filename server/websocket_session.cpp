#include "server/websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket/error.hpp>
#include <exception>
#include <string_view>
#include <utility>

namespace quorum::edge {

namespace {

constexpr std::string_view kServerName = "quorum";
constexpr std::size_t kMaxCloseReason = 123;  // RFC 6455: a control frame payload is <= 125

}  // namespace

WebsocketSession::WebsocketSession(tcp::socket&& socket, std::shared_ptr<NetState> state,
                                   ConnectionLimiter::Slot slot)
    : ws_(std::move(socket)),
      state_(std::move(state)),
      slot_(std::move(slot)),
      messages_(state_->options.message_rate, state_->options.message_burst),
      abuse_(state_->options.message_rate > 0 ? 1.0 : 0.0, state_->options.abuse_burst),
      close_timer_(ws_.get_executor()) {
    beast::error_code ec;
    auto remote = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    peer_ = ec ? "unknown" : endpoint_text(remote);
    state_->websocket_sessions.insert(this);
}

WebsocketSession::~WebsocketSession() {
    state_->websocket_sessions.erase(this);
    state_->check_drained();
}

void WebsocketSession::run(beast::http::request<beast::http::string_body> upgrade) {
    // The WebSocket stream has its own timeouts: handshake, and idle with pings so dead peers go.
    beast::get_lowest_layer(ws_).expires_never();
    const auto& options = state_->options;
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = options.handshake_timeout;
    timeouts.idle_timeout = options.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    // Pings are answered by Beast itself, so a ping flood would bypass the message limit.
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::ping) admit_ping();
    });
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, kServerName); }));
    websocket::permessage_deflate deflate;
    deflate.server_enable = false;
    ws_.set_option(deflate);
    ws_.read_message_max(state_->options.max_message_bytes);
    ws_.auto_fragment(false);  // one frame per message
    ws_.async_accept(upgrade,
                     beast::bind_front_handler(&WebsocketSession::on_accept, shared_from_this()));
}

void WebsocketSession::on_accept(beast::error_code ec) {
    if (ec) {
        fail(ec, "handshake");
        return finish();
    }
    do_read();
    if (state_->draining) return close(1001, "server is shutting down");
    if (!state_->handlers.connect) return close(1011, "no application");
    try {
        id_ = state_->handlers.connect(shared_from_this());
    } catch (const std::exception& e) {
        log_line("error", std::string("ws connect handler failed: ") + e.what());
        return close(1011, "internal error");
    }
    connected_ = true;
    log_line("info", "ws connected id=" + std::to_string(id_) + " from " + peer_);
}

void WebsocketSession::do_read() {
    // A read is always pending: Beast answers pings and notices a peer's close only while
    // reading, and a failed read is how we learn the connection is gone.
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&WebsocketSession::on_read, shared_from_this()));
}

void WebsocketSession::on_read(beast::error_code ec, std::size_t) {
    if (ec) {
        fail(ec, "read");
        return finish();
    }
    if (finished_) return;
    if (!close_requested_ && connected_) {
        const auto verdict = admit();
        if (verdict == Admission::refused && state_->handlers.refused) {
            auto data = buffer_.data();
            std::string_view text(static_cast<const char*>(data.data()), data.size());
            try {
                state_->handlers.refused(id_, text, "rate_limited");
            } catch (const std::exception& e) {
                log_line("error",
                         "ws id=" + std::to_string(id_) + " refused handler failed: " + e.what());
            }
        } else if (verdict != Admission::ok) {
            // closing: nothing more from this client is looked at
        } else if (!ws_.got_text()) {
            close(1003, "binary frames are not supported");
        } else if (state_->handlers.message) {
            auto data = buffer_.data();
            std::string_view text(static_cast<const char*>(data.data()), data.size());
            try {
                state_->handlers.message(id_, text);
            } catch (const std::exception& e) {
                log_line("error",
                         "ws id=" + std::to_string(id_) + " message handler failed: " + e.what());
                close(1011, "internal error");
            }
        }
    }
    buffer_.consume(buffer_.size());
    if (!finished_) do_read();
}

WebsocketSession::Admission WebsocketSession::admit() {
    const auto now = TokenBucket::Clock::now();
    if (messages_.take(now)) return Admission::ok;
    if (abuse_.take(now)) return Admission::refused;
    state_->refusals.log("warn", "ws id=" + std::to_string(id_) + " from " + peer_ +
                                     " keeps sending over the rate limit; closing with 1008");
    close_for_policy("too many messages");
    return Admission::closing;
}

void WebsocketSession::admit_ping() {
    const auto now = TokenBucket::Clock::now();
    if (messages_.take(now) || abuse_.take(now)) return;
    // Called from inside Beast's read operation: close from a fresh handler instead.
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
        if (self->close_requested_ || self->finished_) return;
        self->state_->refusals.log("warn",
                                   "ws id=" + std::to_string(self->id_) + " from " + self->peer_ +
                                       " keeps pinging over the rate limit; closing with 1008");
        self->close_for_policy("too many messages");
    });
}

void WebsocketSession::close_for_policy(std::string reason) {
    if (finished_ || close_requested_) return;
    // The client is being sent away: what it has not read yet no longer matters, and a client
    // that does not read would otherwise hold the close back behind its backlog.
    queue_.clear();
    queued_bytes_ = 0;
    queued_replies_ = 0;
    latest_.reset();
    close(1008, std::move(reason));
}

bool WebsocketSession::write_stalled() {
    if (stalled_) return true;
    if (!writing_ || state_->options.write_timeout <= std::chrono::milliseconds::zero())
        return false;
    const auto stuck = std::chrono::steady_clock::now() - write_started_;
    if (stuck < state_->options.write_timeout) return false;
    stalled_ = true;
    log_line("warn",
             "ws id=" + std::to_string(id_) + " from " + peer_ + " has not read for " +
                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(stuck).count()) +
                 " s; dropping it");
    // Posted: deliver() runs inside the hub, which must not be re-entered through disconnect.
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->abort(); });
    return true;
}

void WebsocketSession::deliver(SharedText message) {
    // While a resync is pending, the snapshot the hub is about to send supersedes everything.
    if (!message || resync_pending_) return;
    enqueue(std::move(message), false);
}

void WebsocketSession::deliver_reply(SharedText message) {
    if (!message) return;
    enqueue(std::move(message), true);
}

void WebsocketSession::enqueue(SharedText message, bool reply) {
    if (finished_ || close_requested_ || write_stalled()) return;
    const auto& options = state_->options;
    if (reply && queued_replies_ >= options.queue_max_replies) {
        log_line("warn", "ws id=" + std::to_string(id_) + " left " +
                             std::to_string(queued_replies_) + " replies unread; closing");
        return close(1008, "too many unread replies");
    }
    // An empty queue always takes one message, however large, so a big snapshot still goes out.
    if (!reply && !queue_.empty() &&
        (queue_.size() >= options.queue_max_messages ||
         queued_bytes_ + message->size() > options.queue_max_bytes))
        return overflow();
    queued_bytes_ += message->size();
    if (reply) ++queued_replies_;
    queue_.push_back({std::move(message), reply});
    do_write();
}

void WebsocketSession::deliver_latest(SharedText progress) {
    if (!progress || finished_ || close_requested_ || resync_pending_ || write_stalled()) return;
    latest_ = std::move(progress);
    do_write();
}

void WebsocketSession::close(std::uint16_t code, std::string reason) {
    if (finished_ || close_requested_) return;
    close_requested_ = true;
    if (reason.size() > kMaxCloseReason) reason.resize(kMaxCloseReason);
    close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    // A client that does not read would hold the close back for ever: give it a deadline.
    if (state_->options.write_timeout > std::chrono::milliseconds::zero()) {
        close_timer_.expires_after(state_->options.write_timeout);
        close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || self->finished_) return;
            log_line("info", "ws id=" + std::to_string(self->id_) +
                                 " did not complete its close; dropping it");
            self->abort();
        });
    }
    do_write();
}

void WebsocketSession::overflow() {
    // The client cannot keep up: drop its backlog (the frame being written stays intact) and
    // let the hub send a fresh snapshot. Posted, so the hub is not re-entered from deliver().
    log_line("warn", "ws id=" + std::to_string(id_) + " write queue overflow (" +
                         std::to_string(queue_.size()) + " messages, " +
                         std::to_string(queued_bytes_) + " bytes); resyncing");
    std::deque<Queued> replies;
    for (auto& q : queue_)
        if (q.reply) replies.push_back(std::move(q));
    queue_ = std::move(replies);
    queued_bytes_ = 0;
    for (const auto& q : queue_) queued_bytes_ += q.text->size();
    latest_.reset();
    resync_pending_ = true;
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
        self->resync_pending_ = false;
        if (self->finished_ || self->close_requested_ || !self->connected_) return;
        if (!self->state_->handlers.resync) return;
        try {
            self->state_->handlers.resync(self->id_);
        } catch (const std::exception& e) {
            log_line("error",
                     "ws id=" + std::to_string(self->id_) + " resync handler failed: " + e.what());
            self->close(1011, "internal error");
        }
    });
}

void WebsocketSession::do_write() {
    if (writing_ || close_started_ || finished_) return;
    SharedText next;
    if (!queue_.empty()) {
        next = std::move(queue_.front().text);
        if (queue_.front().reply) --queued_replies_;
        queue_.pop_front();
        queued_bytes_ -= next->size();
    } else if (latest_) {
        next = std::move(latest_);
        latest_.reset();
    } else if (close_requested_) {
        close_started_ = true;
        write_started_ = std::chrono::steady_clock::now();
        ws_.async_close(close_reason_,
                        beast::bind_front_handler(&WebsocketSession::on_close, shared_from_this()));
        return;
    } else {
        return;
    }
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    ws_.text(true);
    ws_.async_write(asio::buffer(*next), beast::bind_front_handler(&WebsocketSession::on_write,
                                                                   shared_from_this(), next));
}

void WebsocketSession::on_write(SharedText, beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
        fail(ec, "write");
        return abort();
    }
    do_write();
}

void WebsocketSession::on_close(beast::error_code ec) {
    if (ec) fail(ec, "close");
    finish();
}

void WebsocketSession::abort() {
    auto self = shared_from_this();  // finish() may make the hub drop the last reference
    finish();
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    // Reset rather than close: whatever the kernel still holds for this client (megabytes for
    // one that stopped reading) is freed now instead of trickling out to nobody.
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

void WebsocketSession::finish() {
    if (finished_) return;
    finished_ = true;
    close_timer_.cancel();
    queue_.clear();
    queued_bytes_ = 0;
    queued_replies_ = 0;
    latest_.reset();
    state_->websocket_sessions.erase(this);
    if (connected_) {
        connected_ = false;
        std::string line = "ws disconnected id=" + std::to_string(id_);
        if (ws_.reason().code != websocket::close_code::none)
            line += " code=" + std::to_string(ws_.reason().code);
        log_line("info", line);
        if (state_->handlers.disconnect) {
            try {
                state_->handlers.disconnect(id_);
            } catch (const std::exception& e) {
                log_line("error", "ws id=" + std::to_string(id_) +
                                      " disconnect handler failed: " + e.what());
            }
        }
    }
    state_->check_drained();
}

void WebsocketSession::fail(beast::error_code ec, const char* what) {
    // not_connected: the peer dropped the TCP connection right after answering our close.
    if (ec == asio::error::operation_aborted || ec == websocket::error::closed ||
        ec == asio::error::not_connected)
        return;
    // Peers vanish all the time; that is worth a line but is not a server error.
    log_line("info",
             "ws id=" + std::to_string(id_) + " from " + peer_ + " " + what + ": " + ec.message());
}

}  // namespace quorum::edge
