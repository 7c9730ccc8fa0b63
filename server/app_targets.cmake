# The application side of the server: Beast-free, so its many files compile quickly and are tested
# without sockets.
add_library(quorum_hub STATIC
  ${PROJECT_SOURCE_DIR}/server/hub.cpp
  ${PROJECT_SOURCE_DIR}/server/held_events.cpp
  ${PROJECT_SOURCE_DIR}/server/log.cpp
  ${PROJECT_SOURCE_DIR}/server/http_api.cpp
  ${PROJECT_SOURCE_DIR}/server/demo_install.cpp
  ${PROJECT_SOURCE_DIR}/server/cli_args.cpp
)
target_link_libraries(quorum_hub PUBLIC protocol quorum_store quorum_net quorum_exports PRIVATE quorum_warnings)

add_executable(quorum
  ${PROJECT_SOURCE_DIR}/server/main.cpp
  ${PROJECT_SOURCE_DIR}/server/serve_command.cpp
  ${PROJECT_SOURCE_DIR}/server/demo_command.cpp
  ${PROJECT_SOURCE_DIR}/server/check_command.cpp
  ${PROJECT_SOURCE_DIR}/server/export_command.cpp
)
target_compile_definitions(quorum PRIVATE QUORUM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(quorum PRIVATE quorum_hub quorum_net quorum_warnings)
