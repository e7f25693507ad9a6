#!/bin/sh
# scale-ns.sh NAME N [--stay] — N unreplied UDP flows in the current network
# namespace (the scale scenario's bulk, for make bench), then this
# namespace's part of the ground truth in /tmp/NAME.out (its count; the
# listing is skipped: /proc/net/nf_conntrack is quadratic to read), then
# /tmp/NAME.done. With --stay it then sleeps forever, keeping a namespace
# made by `ctgen netns` alive.
name=$1 n=$2
nf=/proc/sys/net/netfilter
for t in udp_timeout udp_timeout_stream; do
	[ -w $nf/nf_conntrack_$t ] && echo 86400 >$nf/nf_conntrack_$t
done
port=5000
while [ "$n" -gt 0 ]; do
	k=$n
	[ "$k" -gt 200000 ] && k=200000
	/ctgen udp4 "$k" $port >/dev/console
	n=$((n - k))
	port=$((port + 1))
done
sleep 1
{
	echo "=== netns $name"
	echo "inum=$(/ctgen netns-inum) count=$(cat $nf/nf_conntrack_count)"
	echo "--- conntrack"
	echo "--- end"
	echo "count_after=$(cat $nf/nf_conntrack_count)"
} >/tmp/$name.out
touch /tmp/$name.done
[ "${3:-}" = --stay ] && while :; do sleep 3600; done
exit 0
