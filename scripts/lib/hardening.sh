# Used by scripts/test: the sanitizer runs and the short fuzz run (docs/SECURITY.md). Sourced, not
# run; expects scripts/lib/deps.sh to be sourced first.
#
#   quorum_sanitizer_tests asan|tsan [ctest args...]
#       asan: the whole ctest suite built with AddressSanitizer and UBSan (build/asan)
#       tsan: the tests that exercise the server's threads, built with ThreadSanitizer (build/tsan)
#   quorum_fuzz_smoke     each libFuzzer target for a few seconds (scripts/fuzz)

# Tests that need what a sanitizer build does not provide (Node.js, a browser, benchmarks).
QUORUM_SANITIZER_EXCLUDE_LABELS='bench|web'

quorum_sanitizer_tests() {
  local kind=$1
  shift
  local dir=${QUORUM_SANITIZER_DIR:-build/$kind} reports
  reports=$(pwd)/$dir/sanitizer-reports
  local cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
  local ctest_args=(-LE "$QUORUM_SANITIZER_EXCLUDE_LABELS")
  local targets=(all)
  case "$kind" in
    asan)
      cmake_args+=(-DQUORUM_SANITIZE=ON -DQUORUM_TSAN=OFF)
      ;;
    tsan)
      cmake_args+=(-DQUORUM_TSAN=ON -DQUORUM_SANITIZE=OFF)
      # The server's threads: the hub with its group-commit writer, the network edge, and the
      # integration, hardening and crash tests that drive the real server.
      targets=(quorum sessions_tests server_tests integration_tests hardening_tests
               hardening_process_tests crash_tests)
      ctest_args+=(-R "^($(IFS='|'; echo "${targets[*]:1}"))\$")
      ;;
    *) echo "quorum_sanitizer_tests: asan or tsan" >&2; return 2 ;;
  esac
  cmake -S . -B "$dir" "${cmake_args[@]}" >/dev/null
  cmake --build "$dir" -j2 --target "${targets[@]}"
  rm -rf "$reports"
  mkdir -p "$reports"
  # Reports go to files as well as failing the test, so those from server processes the tests
  # start (and kill) are not lost. Every finding is fatal.
  local status=0
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$reports/asan" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan" \
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan:suppressions=$(pwd)/tests/tsan.supp" \
    ctest --test-dir "$dir" --output-on-failure -j2 "${ctest_args[@]}" "$@" || status=$?
  if compgen -G "$reports/*" >/dev/null; then
    echo "== sanitizer reports ($reports)" >&2
    for f in "$reports"/*; do
      echo "-- $f" >&2
      head -n 80 "$f" >&2
    done
    status=1
  fi
  [ "$status" = 0 ] && echo "$kind: every test passed with no sanitizer report"
  return "$status"
}

quorum_fuzz_smoke() {
  scripts/fuzz --seconds "${QUORUM_FUZZ_SECONDS:-10}"
}
