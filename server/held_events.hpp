#pragma once
// Comment events on their way to a session's participants and presenters, held until the next
// tick and then sent as one frame per connection. In a busy session each comment would otherwise
// be one frame to every participant: 200 comments to 10,000 phones is two million sends; held,
// it is at most one frame per participant per tick.
#include <cstddef>
#include <optional>
#include <unordered_set>
#include <vector>

#include "server/client_sink.hpp"
#include "sessions/types.hpp"

namespace quorum {

class HeldEvents {
  public:
    /// A frame larger than this is split, so one tick never makes a frame a client must buffer
    /// whole beyond what its write queue allows.
    static constexpr std::size_t max_frame_bytes = 64 * 1024;

    /// Holds one event's view for everyone but its subject (whose own view went out at once).
    /// Events are held in seq order.
    void hold(Seq seq, SharedText shared, std::optional<ParticipantId> subject);
    bool empty() const { return held_.empty(); }
    Seq first_seq() const { return held_.front().seq; }
    Seq last_seq() const { return held_.back().seq; }

    /// The frames for a connection that has none of the held events yet and is not the subject of
    /// any: the common case, built once per tick and shared.
    const std::vector<SharedText>& shared_frames();
    /// The frames for a connection that already has the events up to `after` (from its own
    /// event, a snapshot or a catch-up), leaving out those whose subject is `viewer`.
    std::vector<SharedText> frames_after(Seq after, std::optional<ParticipantId> viewer) const;
    /// True when `viewer` is the subject of a held event.
    bool has_subject(ParticipantId viewer) const;
    void clear();

    /// One frame for these event texts: the text itself when there is one, else an `events`
    /// message listing them in order (PROTOCOL.md). Splits at max_frame_bytes.
    static std::vector<SharedText> frames(const std::vector<const SharedText*>& texts);

  private:
    struct Held {
        Seq seq;
        SharedText shared;  // null: not for other participants (e.g. comments are hidden)
        std::optional<ParticipantId> subject;
    };
    std::vector<Held> held_;
    std::unordered_set<ParticipantId> subjects_;  // asked once per connection at each flush
    std::optional<std::vector<SharedText>> shared_frames_;  // cache for the current set
};

}  // namespace quorum
