// Writes the hostile workshop (workshop_builder.hpp) into a database, for the export checks that
// run the real quorum binary. Prints the session's join code.
#include <iostream>

#include "sessions/store/sqlite_store.hpp"
#include "workshop_builder.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: hostile_fixture DATABASE\n";
        return 2;
    }
    const auto workshop = quorum::testing::hostile_workshop();
    quorum::SqliteStore store(argv[1]);
    std::vector<quorum::StoredEvent> events;
    for (const auto& e : workshop.log()) events.push_back({workshop.session().code(), e});
    store.append(events);
    std::cout << workshop.session().code() << "\n";
    return 0;
}
