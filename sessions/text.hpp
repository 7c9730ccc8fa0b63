#pragma once
// Text checks used when validating what people type.
#include <string>
#include <string_view>

namespace quorum {

bool is_valid_utf8(std::string_view text);
/// True when the text has no visible characters.
bool is_blank(std::string_view text);
/// Lower-case ASCII letters, digits, '-' and '_' only, non-empty.
bool is_slug(std::string_view text);
/// The text without leading and trailing ASCII whitespace.
std::string trimmed(std::string_view text);

}  // namespace quorum
