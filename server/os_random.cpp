#include "server/os_random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

namespace quorum {

void os_random_bytes(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::system_category(), "getrandom");
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace quorum
