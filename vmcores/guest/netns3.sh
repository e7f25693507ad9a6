#!/bin/sh
# netns3.sh — a namespace that leaks and then goes away: its last process
# (this script) exits, the kernel unlinks it from net_namespace_list and
# starts cleanup_net, whose conntrack part waits for the namespace's count to
# reach zero — forever, because of the planted extra references. ctleak
# must find it through its objects.
echo 1 >/proc/sys/net/netfilter/nf_conntrack_timestamp
/ctgen udp4 20 5000 >/dev/console
/ctgen udp4 2 7002 >/dev/console
/ctgen udp4 1 7003 >/dev/console
/ctgen netns-inum >/tmp/ns3.inum
