#include "sessions/exports/transcripts.hpp"

#include <map>
#include <set>
#include <tuple>

#include "sessions/exports/escape.hpp"
#include "sessions/exports/report_text.hpp"
#include "sessions/exports/time_text.hpp"

namespace quorum::exports {
namespace {

std::string md(const std::string& text) {
    return markdown_inline(text);
}

std::string lower(std::string text) {
    for (auto& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

/// Writes the account event by event. Joins and votes are gathered and written as one paragraph
/// each, when the run of joins ends or the phase changes.
class TranscriptWriter {
  public:
    TranscriptWriter(const Session& session, const Findings& findings, bool names)
        : session_(session), findings_(findings), names_(names) {}

    std::string write(const std::vector<Event>& log) {
        const auto& config = session_.config();
        out_ = "# Transcript: " + md(config.title) + "\n\n";
        out_ += "Session " + md(config.code) + ", " + md(long_date(session_.created_at())) +
                ". Times are UTC. " +
                (names_ ? "Participants appear under the names they gave."
                        : "Participants appear under pseudonyms.") +
                " Votes are summarised for each phase; every comment and moderation action is "
                "listed.\n\n";
        for (const auto& e : log) on(e);
        flush_joins();
        flush_votes(last_at_);
        if (session_.phase() != Phase::ended)
            out_ += "*The session was still open when this transcript was made.*\n";
        return std::move(out_);
    }

  private:
    std::string who(ParticipantId id) const {
        return participant_label(session_, *session_.find_participant(id), names_);
    }

    std::string scenario_title(const std::string& id) const {
        const auto* s = session_.find_scenario(id);
        return s ? s->scenario.title : id;
    }

    std::string tests_named(const std::vector<std::string>& ids) const {
        std::vector<std::string> names;
        for (const auto& id : ids) names.push_back(test_name(session_.config().framework, id));
        return name_list(names);
    }

    void line(TimeMs at, const std::string& text) {
        out_ += "**" + clock_time(at) + "** " + text + "\n\n";
    }

    void flush_joins() {
        if (joins_.empty()) return;
        const auto n = joins_.size();
        std::string text = std::to_string(n) + (n == 1 ? " person joined: " : " people joined: ");
        std::vector<std::string> people;
        for (auto id : joins_) {
            const auto* p = session_.find_participant(id);
            std::string person = (names_ && !p->name.empty() ? p->name : pseudonym(id)) + " (" +
                                 session_.config().areas.at(p->area);
            if (p->sector != Sector::unspecified)
                person += ", " + lower(std::string(sector_label(to_string(p->sector))));
            if (p->role == Role::observer) person += ", observer";
            people.push_back(person + ")");
        }
        text += name_list(people) + ".";
        out_ += "**" + clock_time(joins_from_) +
                (n > 1 ? "–" + clock_time(joins_to_) : std::string()) + "** " + md(text) + "\n\n";
        joins_.clear();
    }

    void flush_votes(TimeMs until) {
        if (votes_ == 0 && endorsements_ == 0) return;
        std::string text;
        if (votes_ > 0) {
            std::vector<std::string> per_test;
            for (const auto& t : session_.config().framework.tests)
                if (auto it = votes_by_test_.find(t.id); it != votes_by_test_.end())
                    per_test.push_back(t.name + " " + std::to_string(it->second));
            text = std::to_string(votes_) + (votes_ == 1 ? " vote" : " votes") + " (" +
                   name_list(per_test) + ") from " + std::to_string(voters_.size()) +
                   (voters_.size() == 1 ? " participant" : " participants");
            if (changes_ > 0)
                text += ", including " + std::to_string(changes_) +
                        (changes_ == 1 ? " change of mind" : " changes of mind");
        }
        if (endorsements_ > 0) {
            if (!text.empty()) text += "; ";
            text +=
                std::to_string(endorsements_) +
                (endorsements_ == 1 ? " endorsement of a comment" : " endorsements of comments");
        }
        out_ +=
            "**" + clock_time(phase_from_) + "–" + clock_time(until) + "** " + md(text) + ".\n\n";
        votes_ = changes_ = endorsements_ = 0;
        votes_by_test_.clear();
        voters_.clear();
    }

    /// A new phase begins: what happened in the last one is summed up first.
    void phase_change(TimeMs at) {
        flush_joins();
        flush_votes(at);
        phase_from_ = at;
    }

    std::string results_of(const std::string& scenario, int round) const {
        for (const auto& s : findings_.scenarios) {
            if (s.scenario.id != scenario) continue;
            for (const auto& r : s.rounds) {
                if (r.round != round) continue;
                std::vector<std::string> parts;
                for (const auto& t : r.tests) {
                    std::string part = test_name(findings_.framework, t.test) + ": " +
                                       std::string(verdict_label(t.overall.verdict));
                    if (t.overall.polarised) part += ", divided";
                    if (t.overall.median)
                        part += " (median " + number(*t.overall.median) + ", consensus " +
                                number(*t.overall.consensus) + ")";
                    parts.push_back(part);
                }
                std::string joined;
                for (std::size_t i = 0; i < parts.size(); ++i) joined += (i ? "; " : "") + parts[i];
                return joined +
                       ". Overall: " + std::string(scenario_verdict_label(r.judgement.verdict)) +
                       ".";
            }
        }
        return {};
    }

    std::string heading_for(const std::string& scenario, int round) const {
        std::size_t position = 0;
        const auto& all = session_.scenarios();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (all[i].scenario.id == scenario) position = i + 1;
        return "## " + std::to_string(position) + ". " + md(scenario_title(scenario)) + ", round " +
               std::to_string(round) + "\n\n";
    }

    void on(const Event& e) {
        last_at_ = e.at;
        if (!std::holds_alternative<ev::ParticipantJoined>(e.payload)) flush_joins();
        std::visit([&](const auto& p) { on(p, e.at); }, e.payload);
    }

    void on(const ev::SessionCreated& e, TimeMs at) {
        phase_from_ = at;
        const auto& c = e.config;
        std::vector<std::string> titles;
        for (const auto& s : c.scenarios) titles.push_back(s.title);
        out_ += "## Setting up\n\n";
        line(at, md("The facilitator created the session with " + std::to_string(c.areas.size()) +
                    (c.areas.size() == 1 ? " area (" : " areas (") + name_list(c.areas) + ") and " +
                    std::to_string(c.scenarios.size()) +
                    (c.scenarios.size() == 1 ? " scenario" : " scenarios") +
                    (titles.empty() ? "" : ": " + name_list(titles)) + "."));
    }
    void on(const ev::ParticipantJoined& e, TimeMs at) {
        if (joins_.empty()) joins_from_ = at;
        joins_to_ = at;
        joins_.push_back(e.participant);
    }
    void on(const ev::ScenarioOpened& e, TimeMs at) {
        phase_change(at);
        out_ += heading_for(e.scenario, e.round);
        line(at, "The facilitator opened this scenario for discussion.");
    }
    void on(const ev::VotingOpened& e, TimeMs at) {
        phase_change(at);
        line(at, md("Voting opened on " + tests_named(e.tests) + "."));
    }
    void on(const ev::VotingClosed& e, TimeMs at) {
        phase_change(at);
        line(at, md("Voting closed on " + tests_named(e.tests) + "."));
    }
    void on(const ev::ResultsRevealed& e, TimeMs at) {
        phase_change(at);
        line(at, md("Results of round " + std::to_string(e.round) + " revealed. " +
                    results_of(e.scenario, e.round)));
    }
    void on(const ev::RoundStarted& e, TimeMs at) {
        phase_change(at);
        out_ += heading_for(e.scenario, e.round);
        line(at,
             "The facilitator started a new round, so that people can vote again after the "
             "discussion.");
    }
    void on(const ev::SessionEnded&, TimeMs at) {
        phase_change(at);
        out_ += "## End\n\n";
        line(at, "The facilitator ended the session.");
    }
    void on(const ev::VisibilityChanged& e, TimeMs at) {
        line(at, std::string("The facilitator turned live results ") +
                     (e.live_results ? "on" : "off") + " and " +
                     (e.show_comments ? "showed" : "hid") + " comments to participants.");
    }
    void on(const ev::VoteCast& e, TimeMs) {
        ++votes_;
        ++votes_by_test_[e.test];
        voters_.insert(e.participant);
        if (!voted_.insert({e.participant, e.scenario, e.round, e.test}).second) ++changes_;
    }
    void on(const ev::CommentAdded& e, TimeMs at) {
        const auto* c = session_.find_comment(e.comment);
        std::string text = "Comment " + std::to_string(e.comment) + " by " + who(e.participant) +
                           ", a " + std::string(kind_word(e.kind)) + " on " +
                           (e.test.empty() ? std::string("the scenario as a whole")
                                           : test_name(session_.config().framework, e.test)) +
                           ":";
        out_ += "**" + clock_time(at) + "** " + md(text) + "\n\n";
        if (c && c->hidden)
            out_ += "> *Text withheld: the facilitator hid this comment.*\n\n";
        else
            out_ += markdown_quote(e.text) + "\n";
    }
    void on(const ev::CommentEndorsed&, TimeMs) { ++endorsements_; }
    void on(const ev::CommentHidden& e, TimeMs at) {
        line(at, md("The facilitator " +
                    std::string(e.hidden ? "hid comment " : "made visible again comment ") +
                    std::to_string(e.comment) + "."));
    }
    void on(const ev::CommentPinned& e, TimeMs at) {
        line(at, md("The facilitator " + std::string(e.pinned ? "pinned" : "unpinned") +
                    " comment " + std::to_string(e.comment) + "."));
    }
    void on(const ev::ScenarioAdded& e, TimeMs at) {
        line(at, md("The facilitator added a scenario: " + e.scenario.title + "."));
    }
    void on(const ev::ScenarioUpdated& e, TimeMs at) {
        line(at, md("The facilitator edited the scenario " + e.scenario.title + "."));
    }
    void on(const ev::ScenariosReordered&, TimeMs at) {
        line(at, "The facilitator changed the order of the scenarios.");
    }

    const Session& session_;
    const Findings& findings_;
    bool names_;
    std::string out_;
    TimeMs last_at_ = 0;
    std::vector<ParticipantId> joins_;
    TimeMs joins_from_ = 0, joins_to_ = 0;
    TimeMs phase_from_ = 0;
    std::size_t votes_ = 0, changes_ = 0, endorsements_ = 0;
    std::map<std::string, std::size_t> votes_by_test_;
    std::set<ParticipantId> voters_;
    std::set<std::tuple<ParticipantId, std::string, int, std::string>> voted_;
};

}  // namespace

std::string transcript_markdown(const std::vector<Event>& log, const Session& session,
                                const Findings& findings, bool names) {
    return TranscriptWriter(session, findings, names).write(log);
}

}  // namespace quorum::exports
