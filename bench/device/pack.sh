#!/usr/bin/env bash
# Packs what a run on the lent GPU machine needs (it has no Node and no npm registry) into .device/
# and .gl/ (both git-ignored), for the device tool's `carry`: [".device", ".gl"].
#   .device/node.xz       this machine's Node binary
#   .device/kit.tar.xz    the device kit (bench/device/build-kit.mjs): `maxent` bundled, Dawn
#   .device/unpack.sh     sourced there: Node on PATH, the kit in /tmp/kit, the Vulkan loaders
#   .gl/*.deb             Vulkan and EGL loaders for Dawn on the NVIDIA driver
# It replaces ../shared/tools/device-pack.sh for this project: that one packs the whole
# node_modules (binaryen, tfjs, …), 69 MiB with Node, over the 64 MiB a run may carry.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
[ -d node_modules ] || { echo "pack: run npm install first" >&2; exit 1; }
mkdir -p .git/info .device .gl
for d in /.device/ /.gl/; do grep -qxF "$d" .git/info/exclude 2>/dev/null || echo "$d" >> .git/info/exclude; done

node_bin=$(readlink -f "$(command -v node)")
if [ ! -f .device/node.xz ] || [ "$node_bin" -nt .device/node.xz ]; then xz -T2 -6 -c "$node_bin" > .device/node.xz; fi

rm -rf .device/kit
node bench/device/build-kit.mjs .device/kit
tar -C .device -cf - kit | xz -T2 -6 > .device/kit.tar.xz
rm -rf .device/kit # only the archive travels

if ! ls .gl/*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial
  # shellcheck disable=SC2086
  apt-get $o update >/dev/null
  # shellcheck disable=SC2086
  (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
fi

cat > .device/unpack.sh <<'UNPACK'
# Sourced on the device machine, in the repository root: Node on PATH, the kit in /tmp/kit,
# Vulkan/EGL loaders for Dawn. Then: node /tmp/kit/maxent.mjs info
mkdir -p /tmp/nodebin
[ -x /tmp/nodebin/node ] || { xz -dc .device/node.xz > /tmp/nodebin/node && chmod +x /tmp/nodebin/node; }
export PATH=/tmp/nodebin:$PATH
[ -f /tmp/kit/maxent.mjs ] || xz -dc .device/kit.tar.xz | tar -C /tmp -xf -
for f in .gl/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
ldconfig
# The NVIDIA container runtime mounts the driver's ICD under /usr/local/nvidia; point the loaders at
# it only where it is, so a machine with the ICD in the usual place keeps its own.
for d in /usr/local/nvidia/share /usr/share /etc; do
  if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f $d/vulkan/icd.d/nvidia_icd.json ]; then export VK_DRIVER_FILES=$d/vulkan/icd.d/nvidia_icd.json; fi
  if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f $d/glvnd/egl_vendor.d/10_nvidia.json ]; then
    export __EGL_VENDOR_LIBRARY_FILENAMES=$d/glvnd/egl_vendor.d/10_nvidia.json
  fi
done
[ -n "${VK_DRIVER_FILES:-}" ] || echo "unpack: no NVIDIA Vulkan ICD (nvidia_icd.json) found: Dawn will see no GPU" >&2
UNPACK

du -sh .device/* .gl
total=$(du -cb .device .gl | tail -1 | cut -f1)
tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
echo "pack: $((total / 1048576)) MiB to carry + $((tree / 1048576)) MiB of tracked files (limit 64 MiB in all)"
