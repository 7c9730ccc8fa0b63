# Shared by scripts/run and scripts/test: installs what Quorum needs from Debian's packages when it
# is missing, and builds. Sourced, not run.

QUORUM_APT_PACKAGES=(
  build-essential cmake
  libboost1.81-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev catch2
)

quorum_install_deps() {
  local missing=()
  for pkg in "${QUORUM_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# quorum_build BUILD_DIR [extra cmake args...]
quorum_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j2
}
