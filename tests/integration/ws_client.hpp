#pragma once
// Blocking WebSocket and HTTP clients for integration tests, speaking to a real server over
// loopback. Every read has a timeout so a broken server fails a test instead of hanging it.
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace quorum::testing {

struct HttpResult {
    unsigned status = 0;
    std::string body;
    std::string content_type;
};

/// One HTTP/1.1 request to 127.0.0.1:port.
HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body = {}, const std::string& authorization = {});

/// A session made over HTTP for a test: its join code and facilitator token.
struct Created {
    std::string code, token;
};

/// Creates a session with POST /api/sessions: the given areas and one scenario. Throws unless the
/// server answers 201.
Created create_session(unsigned short port, const std::string& title = "Test",
                       const std::vector<std::string>& areas = {"Leeds", "Bradford"});

class WsClient {
  public:
    explicit WsClient(unsigned short port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~WsClient();
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    void send(const nlohmann::json& message);
    void send_text(const std::string& text);
    /// The next message, or throws on timeout or close.
    nlohmann::json receive();
    /// Sends a message with a fresh "req" id and returns the ack, error or other reply carrying it.
    /// Messages that arrive before it are kept in inbox().
    nlohmann::json request(nlohmann::json message);
    /// Reads until a message matches; earlier ones are kept in inbox().
    nlohmann::json wait_for(const std::function<bool(const nlohmann::json&)>& match);
    /// Everything received but not returned by request() or wait_for().
    std::vector<nlohmann::json>& inbox() { return inbox_; }
    /// Reads until the server closes the connection; returns the close code.
    int wait_for_close();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::vector<nlohmann::json> inbox_;
    int next_req_ = 1;
};

}  // namespace quorum::testing
