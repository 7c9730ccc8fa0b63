#include "server/held_events.hpp"

#include <string>

namespace quorum {

void HeldEvents::hold(Seq seq, SharedText shared, std::optional<ParticipantId> subject) {
    held_.push_back({seq, std::move(shared), subject});
    if (subject) subjects_.insert(*subject);
    shared_frames_.reset();
}

const std::vector<SharedText>& HeldEvents::shared_frames() {
    if (!shared_frames_) shared_frames_ = frames_after(0, std::nullopt);
    return *shared_frames_;
}

std::vector<SharedText> HeldEvents::frames_after(Seq after,
                                                 std::optional<ParticipantId> viewer) const {
    std::vector<const SharedText*> texts;
    for (const auto& h : held_)
        if (h.seq > after && h.shared && !(viewer && h.subject == viewer))
            texts.push_back(&h.shared);
    return frames(texts);
}

bool HeldEvents::has_subject(ParticipantId viewer) const {
    return subjects_.count(viewer) > 0;
}

void HeldEvents::clear() {
    held_.clear();
    subjects_.clear();
    shared_frames_.reset();
}

std::vector<SharedText> HeldEvents::frames(const std::vector<const SharedText*>& texts) {
    std::vector<SharedText> out;
    std::size_t i = 0;
    while (i < texts.size()) {
        // Whatever fits in one frame from here on; always at least one event.
        std::size_t end = i + 1, bytes = (*texts[i])->size();
        while (end < texts.size() && bytes + (*texts[end])->size() + 1 <= max_frame_bytes)
            bytes += (*texts[end++])->size() + 1;
        if (end == i + 1) {
            out.push_back(*texts[i]);  // alone: the event as it is
        } else {
            static constexpr std::string_view head = R"({"type":"events","events":[)";
            std::string frame;
            frame.reserve(head.size() + bytes + 2);
            frame += head;
            for (auto k = i; k < end; ++k) {
                if (k > i) frame += ',';
                frame += **texts[k];
            }
            frame += "]}";
            out.push_back(std::make_shared<const std::string>(std::move(frame)));
        }
        i = end;
    }
    return out;
}

}  // namespace quorum
