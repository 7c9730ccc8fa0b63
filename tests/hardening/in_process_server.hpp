#pragma once
// The whole server (store, hub, HTTP API, network edge) wired as `quorum serve` wires it, but in
// this process on its own thread, so a test can choose NetOptions (tiny timeouts, caps and rate
// limits) that would be silly as command-line options.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "server/http_api.hpp"
#include "server/hub.hpp"
#include "server/net_server.hpp"
#include "server/os_random.hpp"
#include "sessions/store/sqlite_store.hpp"

namespace quorum::hardening {

class InProcessServer {
  public:
    explicit InProcessServer(NetOptions options) {
        static std::atomic<int> counter{0};
        db_ = std::filesystem::temp_directory_path() /
              ("quorum-inproc-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
               ".db");
        remove_files();
        store_ = std::make_unique<SqliteStore>(db_.string(), Durability::normal);
        hub_ = std::make_unique<Hub>(
            *store_,
            [] {
                return std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                    .count();
            },
            os_random_bytes,
            [this](std::function<void()> fn) {
                if (auto* server = net_.load()) server->post(std::move(fn));
            });
        hub_->load_sessions();
        api_ = std::make_unique<HttpApi>(*hub_, nullptr);
        NetHandlers h;
        h.http = [this](const HttpRequest& r) { return api_->handle(r); };
        h.connect = [this](std::shared_ptr<ClientSink> sink) {
            return hub_->connect(std::move(sink));
        };
        h.message = [this](ConnectionId id, std::string_view text) { hub_->on_message(id, text); };
        h.disconnect = [this](ConnectionId id) { hub_->disconnect(id); };
        h.resync = [this](ConnectionId id) { hub_->resync(id); };
        h.refused = [this](ConnectionId id, std::string_view text, std::string_view code) {
            hub_->refuse(id, text, code);
        };
        h.tick = [this] { hub_->tick(); };
        h.shutdown = [this] { hub_->shutdown(); };
        options.host = "127.0.0.1";
        options.port = 0;
        server_ = std::make_unique<NetServer>(std::move(options), std::move(h));
        net_ = server_.get();
        thread_ = std::thread([this] { server_->run(); });
    }
    ~InProcessServer() {
        server_->stop();
        thread_.join();
        net_ = nullptr;
        server_.reset();
        api_.reset();
        hub_.reset();
        store_.reset();
        remove_files();
    }
    InProcessServer(const InProcessServer&) = delete;
    InProcessServer& operator=(const InProcessServer&) = delete;

    unsigned short port() const { return server_->port(); }

  private:
    void remove_files() {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(db_.string() + suffix);
    }

    std::filesystem::path db_;
    std::unique_ptr<SqliteStore> store_;
    std::unique_ptr<Hub> hub_;
    std::unique_ptr<HttpApi> api_;
    std::atomic<NetServer*> net_{nullptr};
    std::unique_ptr<NetServer> server_;
    std::thread thread_;
};

}  // namespace quorum::hardening
