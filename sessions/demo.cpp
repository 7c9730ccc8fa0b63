#include "sessions/demo.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "sessions/session.hpp"
#include "sessions/tokens.hpp"

namespace quorum {
namespace {

const std::vector<std::string> demo_areas{"Barnsley", "Bristol", "Camden",
                                          "Norfolk",  "Sheffield", "Wigan"};

std::vector<Scenario> demo_scenarios() {
    return {
        {"attendance-early-help", "School attendance shared with early help",
         "Schools share weekly attendance records of pupils with persistent absence with the "
         "council's early help team, so that families can be offered support before problems "
         "escalate.",
         "Pupil name, date of birth, address, school, weekly attendance marks, reasons for absence",
         "Schools and the local education authority share with the council's early help service",
         "Offer earlier support to families of children at risk of falling out of education",
         "Children and education"},
        {"damp-respiratory-risk", "GP records linked with housing data to find damp-related risk",
         "GP practices' records of respiratory conditions in children and older people are linked "
         "with council and housing association data on damp and mould complaints, to find homes "
         "where people are at risk and prioritise repairs.",
         "Diagnoses of asthma and COPD, age, address; housing repair reports and inspection results",
         "GP practices and the integrated care board share with the council's housing team and two "
         "housing associations",
         "Prioritise repairs where damp is most likely to be harming health",
         "Health and social care; housing"},
        {"bus-pass-journeys", "Concessionary bus-pass journeys shared with a transport planner",
         "Journey records from older and disabled people's concessionary bus passes are shared "
         "with a private transport planning consultancy, which is redesigning routes for the "
         "combined authority.",
         "Card number, boarding stop, time, route; the cardholder's age band and disability flag",
         "The combined authority shares with a private consultancy under contract",
         "Redesign bus routes around how older and disabled people actually travel",
         "Transport"},
    };
}

/// Comments the simulated participants draw on, by scenario and kind.
struct CannedComment {
    std::size_t scenario;
    const char* test;  // "" for the scenario as a whole
    CommentKind kind;
    const char* text;
};

const std::array<CannedComment, 14> canned_comments{{
    {0, "purposeful", CommentKind::benefit,
     "Earlier support is far cheaper, and kinder, than waiting for a crisis."},
    {0, "proportionate", CommentKind::risk,
     "Reasons for absence can reveal health or family matters: should these be shared at all?"},
    {0, "", CommentKind::question, "Will families be told their data has been shared, and how?"},
    {0, "responsible", CommentKind::suggestion,
     "Agree a review after a year, looking at whether families actually took up the offer."},
    {0, "proportionate", CommentKind::suggestion,
     "Share only pupils below 90% attendance, not the whole register."},
    {1, "responsible", CommentKind::benefit,
     "Damp kills. If this finds even a few homes sooner, it justifies the effort."},
    {1, "proportionate", CommentKind::risk,
     "Diagnoses are special category data; housing officers should see a risk flag, not the "
     "condition."},
    {1, "purposeful", CommentKind::question,
     "Is the aim repairs only, or could it be used in tenancy decisions later?"},
    {1, "", CommentKind::suggestion, "Let an independent panel of tenants oversee the matching."},
    {2, "proportionate", CommentKind::risk,
     "Journey patterns can identify people and where they live, even without names."},
    {2, "responsible", CommentKind::question,
     "Who owns the route model afterwards, and can the consultancy reuse the data?"},
    {2, "purposeful", CommentKind::benefit,
     "Routes that match real journeys could make a big difference to isolated older people."},
    {2, "", CommentKind::suggestion, "Aggregate to stop-level counts per hour before sharing."},
    {2, "proportionate", CommentKind::suggestion,
     "Drop the disability flag unless the planner can say why it is needed."},
}};

/// Each scenario's leaning per test: the mean opinion simulated participants start from.
constexpr std::array<std::array<double, 3>, 3> leaning{{
    {4.1, 3.2, 3.8},  // attendance: clear purpose, proportionality debated
    {4.3, 2.9, 4.2},  // damp: strong benefit, sensitive data
    {2.6, 2.1, 2.8},  // bus passes: private contractor, weak purpose
}};

class Simulation {
public:
    explicit Simulation(const DemoOptions& options) : rng_(options.seed), now_(options.start) {
        SessionConfig config;
        auto random = [this](std::span<std::uint8_t> out) {
            for (auto& b : out) b = static_cast<std::uint8_t>(rng_() & 0xFF);
        };
        config.code = make_join_code(random);
        token_ = make_token(random);
        config.facilitator_token_hash = hash_token(token_);
        config.title = "Data for public benefit: a multi-area workshop";
        config.areas = demo_areas;
        config.scenarios = demo_scenarios();
        auto created = Session::create(config, now_);
        if (auto* error = std::get_if<RuleError>(&created))
            throw std::logic_error("demo configuration is invalid: " + error->message);
        session_.emplace(std::move(std::get<Session>(created)));
        log_.push_back(Event{1, now_, ev::SessionCreated{session_->config()}});
    }

    DemoWorkshop run(std::uint32_t participants) {
        join_everyone(participants);
        const auto& scenarios = session_->scenarios();
        const std::string first = scenarios[0].scenario.id, second = scenarios[1].scenario.id,
                          third = scenarios[2].scenario.id;
        // Scenario 1: blind vote, reveal, discussion, re-vote (a Delphi round).
        facilitate(cmd::OpenScenario{first});
        vote_round(0, 1, 0.0);
        facilitate(cmd::NewRound{});
        vote_round(0, 2, 0.35);  // views converge a little after discussion
        // Scenario 2: one round, one test at a time.
        facilitate(cmd::OpenScenario{second});
        vote_round(1, 1, 0.0, /*one_test_at_a_time=*/true);
        // Scenario 3: open for voting, for real participants to join in.
        facilitate(cmd::OpenScenario{third});
        facilitate(cmd::OpenVoting{});
        comment_on(2);
        return {session_->code(), token_, std::move(log_)};
    }

private:
    void record(const Outcome& out) {
        if (out.error) throw std::logic_error("demo step refused: " + out.error->message);
        for (const auto& e : out.events) log_.push_back(e);
    }
    void facilitate(const Command& c) { record(session_->apply(Actor::facilitator(), c, tick())); }
    void as(ParticipantId p, const Command& c) {
        record(session_->apply(Actor::of_participant(p), c, tick()));
    }
    TimeMs tick(int max_seconds = 20) {
        now_ += 1000 + static_cast<TimeMs>(rng_() % static_cast<unsigned>(max_seconds * 1000));
        return now_;
    }

    void join_everyone(std::uint32_t count) {
        static const char* names[] = {"Asha", "Ben", "Chloe", "Dev", "Elin", "Femi", "Grace",
                                      "Hamza", "Isla", "Jon", "Kemi", "Liam", "Maya", "Niall",
                                      "Orla", "Priya", "Quinn", "Ravi", "Sara", "Tom"};
        for (std::uint32_t i = 0; i < count; ++i) {
            // Some prefer not to give a name; a few come to observe.
            std::string name = rng_() % 5 == 0 ? "" : names[i % std::size(names)];
            const auto& area = demo_areas[i % demo_areas.size()];
            const auto sector = std::array{Sector::public_sector, Sector::public_sector,
                                           Sector::voluntary, Sector::other}[rng_() % 4];
            const auto role = (i % 12 == 11) ? Role::observer : Role::participant;
            auto out = session_->apply(Actor::anonymous(),
                                       cmd::Join{name, area, sector, role,
                                                 hash_token("demo-" + std::to_string(rng_()))},
                                       tick(5));
            record(out);
            people_.push_back({*out.joined, role, i % demo_areas.size()});
        }
    }

    int opinion(std::size_t scenario, std::size_t test, std::size_t area, double pull) {
        // Areas differ a little, and Norfolk (index 3) is more sceptical of health data sharing.
        double mean = leaning[scenario][test] + (static_cast<double>(area % 3) - 1.0) * 0.3;
        if (area == 3 && scenario == 1) mean -= 1.2;
        std::normal_distribution<double> spread(mean, 1.0 - pull * 0.6);
        if (rng_() % 14 == 0) return cant_say;
        return std::clamp(static_cast<int>(std::lround(spread(rng_))), scale_min, scale_max);
    }

    void vote_round(std::size_t scenario, int round, double pull, bool one_test_at_a_time = false) {
        const auto& tests = session_->config().framework.tests;
        const auto& id = session_->scenarios()[scenario].scenario.id;
        auto cast = [&](std::size_t t) {
            for (const auto& p : people_) {
                if (p.role == Role::observer || rng_() % 10 == 0) continue;  // some abstain
                as(p.id, cmd::CastVote{id, tests[t].id, opinion(scenario, t, p.area, pull), round,
                                       ""});
                if (rng_() % 8 == 0)  // a change of mind, recorded in the transcript
                    as(p.id, cmd::CastVote{id, tests[t].id, opinion(scenario, t, p.area, pull),
                                           round, ""});
            }
        };
        if (one_test_at_a_time) {
            for (std::size_t t = 0; t < tests.size(); ++t) {
                facilitate(cmd::OpenVoting{tests[t].id});
                cast(t);
                facilitate(cmd::CloseVoting{tests[t].id});
            }
        } else {
            facilitate(cmd::OpenVoting{});
            for (std::size_t t = 0; t < tests.size(); ++t) cast(t);
            facilitate(cmd::CloseVoting{});
        }
        if (round == 1) comment_on(scenario);
        facilitate(cmd::Reveal{});
    }

    void comment_on(std::size_t scenario) {
        const auto& id = session_->scenarios()[scenario].scenario.id;
        std::vector<CommentId> posted;
        for (const auto& c : canned_comments) {
            if (c.scenario != scenario || people_.empty()) continue;
            const auto& author = people_[rng_() % people_.size()];
            as(author.id, cmd::AddComment{id, c.test, c.kind, c.text, ""});
            posted.push_back(static_cast<CommentId>(session_->comments().size()));
        }
        for (auto comment : posted) {
            const auto author = session_->find_comment(comment)->author;
            for (const auto& p : people_)
                if (p.role == Role::participant && p.id != author && rng_() % 4 == 0)
                    as(p.id, cmd::Endorse{comment});
        }
        if (!posted.empty()) facilitate(cmd::ModerateComment{posted.front(), std::nullopt, true});
    }

    struct Person {
        ParticipantId id;
        Role role;
        std::size_t area;
    };
    std::mt19937_64 rng_;
    TimeMs now_;
    std::string token_;
    std::optional<Session> session_;
    std::vector<Event> log_;
    std::vector<Person> people_;
};

}  // namespace

DemoWorkshop build_demo(const DemoOptions& options) {
    return Simulation(options).run(options.participants);
}

}  // namespace quorum
