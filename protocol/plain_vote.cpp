#include "protocol/plain_vote.hpp"

#include <charconv>

#include "sessions/limits.hpp"
#include "sessions/text.hpp"

namespace quorum::proto {
namespace {

constexpr std::size_t id_bytes = 64;  // as in decode.cpp: ids and request ids

/// A forward-only reader over the message text. Every method returns false (or nullopt) on
/// anything outside the plain shape.
class Scanner {
  public:
    explicit Scanner(std::string_view text) : text_(text) {}

    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                      text_[at_] == '\n' || text_[at_] == '\r'))
            ++at_;
    }
    bool consume(char c) {
        skip_space();
        if (at_ >= text_.size() || text_[at_] != c) return false;
        ++at_;
        return true;
    }
    bool peek(char c) {
        skip_space();
        return at_ < text_.size() && text_[at_] == c;
    }
    bool at_end() {
        skip_space();
        return at_ == text_.size();
    }
    /// A string of printable ASCII without escapes.
    std::optional<std::string_view> string() {
        if (!consume('"')) return std::nullopt;
        const auto start = at_;
        while (at_ < text_.size() && text_[at_] != '"') {
            const auto c = static_cast<unsigned char>(text_[at_]);
            if (c == '\\' || c < 0x20 || c >= 0x7f) return std::nullopt;
            ++at_;
        }
        if (at_ >= text_.size()) return std::nullopt;
        return text_.substr(start, at_++ - start);
    }
    /// A JSON integer of at most 15 digits (no fraction, no exponent, no leading zeros).
    std::optional<std::int64_t> integer() {
        skip_space();
        const auto start = at_;
        if (at_ < text_.size() && text_[at_] == '-') ++at_;
        const auto digits = at_;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
        const auto count = at_ - digits;
        if (count == 0 || count > 15 || (count > 1 && text_[digits] == '0')) return std::nullopt;
        if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E'))
            return std::nullopt;
        std::int64_t n = 0;
        std::from_chars(text_.data() + start, text_.data() + at_, n);
        return n;
    }

  private:
    std::string_view text_;
    std::size_t at_ = 0;
};

bool plain_id(std::string_view s) {
    return !s.empty() && s.size() <= id_bytes && !is_blank(s);
}

}  // namespace

std::optional<ClientMessage> decode_plain_vote(std::string_view text) {
    Scanner in(text);
    if (!in.consume('{')) return std::nullopt;
    enum Field { type, req, scenario, test, value, round, client_id, fields };
    bool seen[fields] = {};
    bool is_vote = false;
    ClientMessage message{nullptr, Command{cmd::CastVote{}}};
    auto& vote = std::get<cmd::CastVote>(std::get<Command>(message.body));
    bool has_value = false;
    for (bool first = true;; first = false) {
        if (in.consume('}')) break;
        if (!first && !in.consume(',')) return std::nullopt;
        const auto key = in.string();
        if (!key || !in.consume(':')) return std::nullopt;
        Field field;
        if (*key == "type")
            field = type;
        else if (*key == "req")
            field = req;
        else if (*key == "scenario")
            field = scenario;
        else if (*key == "test")
            field = test;
        else if (*key == "value")
            field = value;
        else if (*key == "round")
            field = round;
        else if (*key == "client_id")
            field = client_id;
        else
            return std::nullopt;
        if (seen[field]) return std::nullopt;
        seen[field] = true;
        switch (field) {
            case type: {
                const auto s = in.string();
                if (!s || *s != "vote") return std::nullopt;
                is_vote = true;
                break;
            }
            case req:
                if (in.peek('"')) {
                    const auto s = in.string();
                    if (!s || s->size() > id_bytes) return std::nullopt;
                    message.req = std::string(*s);
                } else {
                    const auto n = in.integer();
                    if (!n) return std::nullopt;
                    message.req = *n;
                }
                break;
            case scenario:
            case test: {
                const auto s = in.string();
                if (!s || !plain_id(*s)) return std::nullopt;
                (field == scenario ? vote.scenario : vote.test) = std::string(*s);
                break;
            }
            case value:
                if (in.peek('"')) {
                    const auto s = in.string();
                    if (!s || *s != "cant_say") return std::nullopt;
                    vote.value = cant_say;
                } else {
                    const auto n = in.integer();
                    if (!n || *n < scale_min || *n > scale_max) return std::nullopt;
                    vote.value = static_cast<int>(*n);
                }
                has_value = true;
                break;
            case round: {
                const auto n = in.integer();
                if (!n || *n < 1 || *n > 1000) return std::nullopt;
                vote.round = static_cast<int>(*n);
                break;
            }
            case client_id: {
                const auto s = in.string();
                if (!s || s->size() > limits::client_id) return std::nullopt;
                vote.client_id = std::string(*s);
                break;
            }
            case fields:
                return std::nullopt;
        }
    }
    if (!in.at_end() || !is_vote || !has_value || !seen[scenario] || !seen[test])
        return std::nullopt;
    return message;
}

}  // namespace quorum::proto
