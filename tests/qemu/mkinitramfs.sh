#!/bin/sh
# Build the guest's initramfs: busybox (static), Debian's numactl, crun and
# runc with their libraries, pzonectl and the selftests.
# usage: mkinitramfs.sh OUT.cpio.gz PZONECTL SELFTEST_DIR
set -eu
out=$1 pzonectl=$2 selftests=$3
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/pzone-rootfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
	"$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/run" \
	"$stage/mnt/disk" "$stage/etc" "$stage/root" "$stage/job" \
	"$stage/usr/lib/pzone/selftests"
cp /bin/busybox "$stage/bin/busybox"
for app in $(/bin/busybox --list-full); do
	[ -e "$stage/$app" ] || ln -s /bin/busybox "$stage/$app"
done
# Debian's numactl and the libraries it needs, at their own paths.
copy_with_libs() {
	install -D "$1" "$stage$1"
	ldd "$1" | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
		[ -n "$lib" ] && [ -e "$lib" ] && install -D "$(readlink -f "$lib")" "$stage$lib"
	done
	return 0
}
copy_with_libs /usr/bin/numactl
# util-linux script(1) (Debian bsdutils, essential): a pseudo-terminal for top.sh
copy_with_libs /usr/bin/script
# The OCI runtimes, unmodified (oci_runtime.sh); the selftests fail without.
for rt in /usr/bin/crun /usr/sbin/runc; do
	if [ -x "$rt" ]; then
		copy_with_libs "$rt"
	else
		echo "mkinitramfs.sh: $rt not installed (Debian packages crun, runc)" >&2
	fi
done
[ -e "$stage/usr/sbin/runc" ] && ln -sf ../sbin/runc "$stage/usr/bin/runc"
install -m 0755 "$pzonectl" "$stage/usr/bin/pzonectl"
[ -e "$(dirname "$pzonectl")/pzoned" ] && install -m 0755 "$(dirname "$pzonectl")/pzoned" "$stage/usr/bin/pzoned"
cp -a "$selftests/." "$stage/usr/lib/pzone/selftests/"
install -m 0755 "$here/init" "$stage/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
