#!/bin/sh
# netns2.sh — runs in the guest's second network namespace (started by
# init.sh through `ctgen netns`): its own traffic and leaks, then its part of
# the ground truth in /tmp/ns2.out, then it stays, keeping the netns alive.
nf=/proc/sys/net/netfilter
for t in udp_timeout udp_timeout_stream icmp_timeout icmpv6_timeout generic_timeout; do
	[ -w $nf/nf_conntrack_$t ] && echo 86400 >$nf/nf_conntrack_$t
done
echo 1 >$nf/nf_conntrack_timestamp
/ctgen udp-echo 5001 >/tmp/ns2echo 2>&1 &
sleep 1
/ctgen udp4 1500 5000 >/dev/console
/ctgen udp4-pairs 50 5001 >/dev/console
/ctgen icmp4 50 >/dev/console
/ctgen udp4 3 7001 >/dev/console
/ctgen udp4 2 7002 >/dev/console
/ctgen udp4 2 7003 >/dev/console
sleep 2
{
	echo "=== netns second"
	echo "inum=$(/ctgen netns-inum) count=$(cat $nf/nf_conntrack_count)"
	echo "--- conntrack"
	cat /proc/net/nf_conntrack
	echo "--- end"
	echo "count_after=$(cat $nf/nf_conntrack_count)"
} >/tmp/ns2.out
touch /tmp/ns2.done
while :; do sleep 3600; done
