#!/usr/bin/env bash
# Installs every Debian 12 package that seqdl's build, tests, benchmarks and demo need.
# Idempotent: when everything is present it only checks dpkg and returns in well under a second.
#   scripts/setup.sh           what the build, tests, benchmarks and demo need
#   scripts/setup.sh --fuzz    also clang and libFuzzer (scripts/fuzz.sh)
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp libhts-dev libcli11-dev libfmt-dev libspdlog-dev
  nlohmann-json3-dev libbigwig-dev libdeflate-dev zlib1g-dev libgtest-dev libigraph-dev
  # tests and benchmarks: independent references and fixture builders
  python3 python3-numpy python3-torch python3-sklearn python3-pybigwig
  samtools tabix bcftools snakemake chromium time
)
if [[ ${1:-} == --fuzz ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ $status == ii* ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
