#!/usr/bin/env bash
# Builds the op-program client for 64-bit Cannon from the Go module
# github.com/ethereum-optimism/optimism at the version pinned in client.sha256, with this
# directory's chain configs embedded, and checks the ELF's sha256 against the pin.
#
#   testdata/op-program/build.sh            build (or verify the cached ELF) and print its path
#   testdata/op-program/build.sh --record   build and write the new sha256 into client.sha256
#
# Run from the repository root. Nothing of upstream is committed: the module comes from the Go
# module proxy into the module cache, is copied to a writable folder under .cache/ (the cache
# is read-only), gets our configs added, and is built there. The cached ELF is reused while its
# hash matches, so a machine builds it once.
set -euo pipefail

here=testdata/op-program
pin=$here/client.sha256
cache=.cache/op-program # op-program.mk names the ELF under it too
record=0
[ "${1:-}" = --record ] && record=1

field() { sed -n "s/^$1 //p" "$pin"; }
version=$(field version)
toolchain=$(field toolchain)
want=$(field sha256)
if [ -z "$version" ] || [ -z "$toolchain" ]; then
	echo "op-program: $pin lacks a 'version' or 'toolchain' line" >&2
	exit 1
fi
module=github.com/ethereum-optimism/optimism
elf=$cache/op-program-client-$version.elf

sha() { sha256sum "$1" | cut -d' ' -f1; }
go=${GO:-go} # the Makefile passes its $(GO)

if [ $record = 0 ] && [ -f "$elf" ] && [ "$(sha "$elf")" = "$want" ]; then
	echo "$elf"
	exit 0
fi

# The Go toolchain is part of the pin: another compiler gives another ELF. GOTOOLCHAIN names
# it exactly, so a machine whose local Go differs fetches that one from the Go module proxy.
export GOTOOLCHAIN=$toolchain GOFLAGS=-mod=readonly GOWORK=off

echo "op-program: fetching $module@$version (module proxy)" >&2
# Outside any module, so that our go.mod is neither consulted nor touched.
outside=$(mktemp -d)
dir=$(cd "$outside" && "$go" mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
rmdir "$outside"
if [ -z "$dir" ] || [ ! -d "$dir/op-program/client" ]; then
	echo "op-program: $module@$version has no op-program/client (module dir '$dir')" >&2
	exit 1
fi

src=$cache/src
rm -rf "$src"
mkdir -p "$cache"
cp -R "$dir" "$src"
chmod -R u+w "$src"
# Upstream's way to build a client for chains outside the superchain registry: their configs
# in op-program/chainconfig/configs/, embedded at build time. The L1 config is read for its
# "config" only.
cp "$here/901-rollup.json" "$here/901-genesis-l2.json" "$here/900-genesis-l1.json" \
	"$src/op-program/chainconfig/configs/"

# As op-program/justfile's op-program-client-mips64 recipe (GOOS=linux GOARCH=mips64
# GOMIPS64=softfloat, its client -X flags, ./client/cmd/main.go), plus -trimpath,
# -buildvcs=false (the copy sits inside our git work tree, whose commit must not leak into
# the ELF) and the two GODEBUG defaults every Go >= 1.25/1.26 guest needs under Cannon
# (testdata/programs/README.md).
ver=$module/op-program/version
ldflags="-X=runtime.godebugDefault=decoratemappings=0,madvdontneed=0 -X $ver.Version=v0.0.0 -X $ver.Meta="
tmp=$(mktemp "$PWD/$cache/client.XXXXXX")
trap 'rm -f "$tmp"' EXIT
echo "op-program: building the client with $toolchain (on a cold machine this first downloads its dependencies: minutes)" >&2
(cd "$src/op-program" && CGO_ENABLED=0 GOOS=linux GOARCH=mips64 GOMIPS64=softfloat \
	"$go" build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$tmp" ./client/cmd/main.go)
got=$(sha "$tmp")

if [ $record = 1 ]; then
	sed -i "s/^sha256 .*/sha256 $got/" "$pin"
	grep -q "^sha256 " "$pin" || echo "sha256 $got" >>"$pin"
	echo "op-program: recorded sha256 $got in $pin" >&2
elif [ "$got" != "$want" ]; then
	echo "op-program: the built client's sha256 is $got, $pin pins $want ($module@$version, $toolchain); the build drifted" >&2
	exit 1
fi
mv "$tmp" "$elf"
trap - EXIT
rm -rf "$src"
echo "$elf"
