/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make-sample: writes sample.pcap, the example's capture: 50 synthetic
 * Ethernet packets of everyday traffic (ARP, DNS, HTTP, HTTPS, ping, NTP,
 * SSH, mDNS) over IPv4 and IPv6, plus a few that show libpcap's semantics:
 * DNS over TCP (not `udp`), a non-first IPv4 fragment (no ports, so no
 * `port 53`), a VLAN-tagged HTTP packet (`tcp port 80` without `vlan` does
 * not look past the tag), an ICMP error quoting a DNS packet (`icmp`, not
 * `udp`), and a truncated HTTPS packet.
 *
 * usage: make-sample [FILE]    (default sample.pcap)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

static const uint8_t host_mac[6] = {0x02, 0, 0, 0, 0, 0x10};
static const uint8_t gw_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t host4[4] = {192, 168, 1, 10}, gw4[4] = {192, 168, 1, 1};
static const uint8_t web4[4] = {93, 184, 216, 34}, ntp4[4] = {162, 159, 200, 1};
static const uint8_t host6[16] = {0xfd, 0, [15] = 0x10};
static const uint8_t gw6[16] = {0xfd, 0, [15] = 0x01};
static const uint8_t web6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x80};

struct pkt {
	uint8_t b[1600];
	size_t len;
};

static pcap_dumper_t *out;
static unsigned int seconds;

static void put(struct pkt *p, const void *data, size_t n)
{
	memcpy(p->b + p->len, data, n);
	p->len += n;
}

static void put16(struct pkt *p, uint16_t v)
{
	put(p, (uint8_t[]){v >> 8, v & 0xff}, 2);
}

static void put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

static uint32_t sum16(const uint8_t *d, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)d[i] << 8 | d[i + 1];
	if (n & 1)
		sum += (uint32_t)d[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void set16(struct pkt *p, size_t at, uint16_t v)
{
	p->b[at] = v >> 8;
	p->b[at + 1] = v & 0xff;
}

/* Write the packet, keeping at most caplen bytes of it. */
#define WHOLE SIZE_MAX
static void emit(const struct pkt *p, size_t caplen)
{
	struct pcap_pkthdr h = {.ts = {1700000000 + seconds++, 0},
				.caplen = (bpf_u_int32)(caplen < p->len ? caplen : p->len),
				.len = (bpf_u_int32)p->len};

	pcap_dump((u_char *)out, &h, p->b);
}

static void ether(struct pkt *p, bool out_going, uint16_t type)
{
	p->len = 0;
	put(p, out_going ? gw_mac : host_mac, 6);
	put(p, out_going ? host_mac : gw_mac, 6);
	put16(p, type);
}

/*
 * One IP packet from a to b (IPv4 if alen is 4, else IPv6) carrying proto
 * with payload l4 of n bytes. The transport checksum (offset csum_at in l4,
 * or none if < 0) is filled in; frag_off is IPv4's flags+offset field.
 */
static void ip(struct pkt *p, size_t alen, const uint8_t *a, const uint8_t *b,
	       uint8_t proto, uint8_t *l4, size_t n, int csum_at, uint16_t frag_off)
{
	uint32_t pseudo = sum16(a, alen, sum16(b, alen, proto + (uint32_t)n));

	if (csum_at >= 0) {
		l4[csum_at] = l4[csum_at + 1] = 0;
		uint16_t c = fold(sum16(l4, n, proto == 1 ? 0 : pseudo));
		l4[csum_at] = c >> 8;
		l4[csum_at + 1] = c & 0xff;
	}
	size_t start = p->len;
	if (alen == 4) {
		put(p, (uint8_t[]){0x45, 0}, 2);
		put16(p, (uint16_t)(20 + n));
		put16(p, (uint16_t)(0x1000 + seconds));
		put16(p, frag_off);
		put(p, (uint8_t[]){64, proto, 0, 0}, 4);
		put(p, a, 4);
		put(p, b, 4);
		set16(p, start + 10, fold(sum16(p->b + start, 20, 0)));
	} else {
		put32(p, 0x60000000);
		put16(p, (uint16_t)n);
		put(p, (uint8_t[]){proto, 64}, 2);
		put(p, a, 16);
		put(p, b, 16);
	}
	put(p, l4, n);
}

/* A string literal as (bytes, length): payloads hold NUL bytes. */
#define DATA(s) s, sizeof(s) - 1

static void udp(bool out_going, size_t alen, const uint8_t *peer, uint16_t sport,
		uint16_t dport, const char *payload, size_t n)
{
	struct pkt p, l4 = {0};
	const uint8_t *me = alen == 4 ? host4 : host6;

	put16(&l4, sport);
	put16(&l4, dport);
	put16(&l4, (uint16_t)(8 + n));
	put16(&l4, 0);
	put(&l4, payload, n);
	ether(&p, out_going, alen == 4 ? 0x0800 : 0x86dd);
	ip(&p, alen, out_going ? me : peer, out_going ? peer : me, 17, l4.b, l4.len, 6, 0);
	emit(&p, p.len);
}

static void tcp(bool out_going, size_t alen, const uint8_t *peer, uint16_t sport,
		uint16_t dport, uint8_t flags, const char *payload, size_t n,
		size_t caplen)
{
	struct pkt p, l4 = {0};
	const uint8_t *me = alen == 4 ? host4 : host6;

	put16(&l4, sport);
	put16(&l4, dport);
	put32(&l4, out_going ? 1000 : 5000);
	put32(&l4, flags & 0x10 ? (out_going ? 5000 : 1000) : 0);
	put(&l4, (uint8_t[]){0x50, flags}, 2);
	put16(&l4, 64240);
	put32(&l4, 0);
	put(&l4, payload, n);
	ether(&p, out_going, alen == 4 ? 0x0800 : 0x86dd);
	ip(&p, alen, out_going ? me : peer, out_going ? peer : me, 6, l4.b, l4.len, 16, 0);
	emit(&p, caplen);
}

static void ping(bool out_going, size_t alen, const uint8_t *peer, uint8_t type)
{
	struct pkt p, l4 = {0};
	const uint8_t *me = alen == 4 ? host4 : host6;

	put(&l4, (uint8_t[]){type, 0, 0, 0}, 4);
	put16(&l4, 7);
	put16(&l4, (uint16_t)seconds);
	put(&l4, "abcdefghijklmnopqrstuvwabcdefghi", 32);
	ether(&p, out_going, alen == 4 ? 0x0800 : 0x86dd);
	ip(&p, alen, out_going ? me : peer, out_going ? peer : me, alen == 4 ? 1 : 58,
	   l4.b, l4.len, 2, 0);
	emit(&p, p.len);
}

static void arp(bool reply)
{
	struct pkt p;

	ether(&p, !reply, 0x0806);
	if (!reply)
		memset(p.b, 0xff, 6);
	put(&p, (uint8_t[]){0, 1, 8, 0, 6, 4, 0, reply ? 2 : 1}, 8);
	put(&p, reply ? gw_mac : host_mac, 6);
	put(&p, reply ? gw4 : host4, 4);
	put(&p, reply ? host_mac : (uint8_t[6]){0}, 6);
	put(&p, reply ? host4 : gw4, 4);
	emit(&p, p.len);
}

/* The second fragment of a large DNS answer: no UDP header in it. */
static void dns_fragment(void)
{
	struct pkt p;
	uint8_t data[64];

	memset(data, 0x2a, sizeof(data));
	ether(&p, false, 0x0800);
	ip(&p, 4, gw4, host4, 17, data, sizeof(data), -1, 185); /* offset 1480 */
	emit(&p, p.len);
}

static void vlan_http(void)
{
	struct pkt p, l4 = {0};

	put16(&l4, 50001);
	put16(&l4, 80);
	put32(&l4, 1);
	put32(&l4, 0);
	put(&l4, (uint8_t[]){0x50, 0x02}, 2);
	put16(&l4, 64240);
	put32(&l4, 0);
	ether(&p, true, 0x8100);
	put16(&p, 42); /* VLAN 42 */
	put16(&p, 0x0800);
	ip(&p, 4, host4, web4, 6, l4.b, l4.len, 16, 0);
	emit(&p, p.len);
}

/* Port unreachable, quoting the start of a DNS query. */
static void icmp_error(void)
{
	struct pkt p, l4 = {0}, quoted = {0};
	uint8_t udp_hdr[8] = {0xcf, 0x11, 0, 53, 0, 8, 0, 0};

	ip(&quoted, 4, host4, gw4, 17, udp_hdr, 8, -1, 0);
	put(&l4, (uint8_t[]){3, 3, 0, 0, 0, 0, 0, 0}, 8);
	put(&l4, quoted.b, quoted.len);
	ether(&p, false, 0x0800);
	ip(&p, 4, gw4, host4, 1, l4.b, l4.len, 2, 0);
	emit(&p, p.len);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "sample.pcap";
	static const char get[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	static const char hello[] = "\x16\x03\x01\x00\x2a\x01\x00\x00\x26\x03\x03";
	/* DNS: id, flags, 1 question, 0 answers; "example.com" type A class IN */
	static const char query[] = "\x12\x34\x01\x00\0\1\0\0\0\0\0\0"
				    "\7example\3com\0\0\1\0\1";
	static const char answer[] = "\x12\x34\x81\x80\0\1\0\0\0\0\0\0"
				     "\7example\3com\0\0\1\0\1";
	static const char mdns[] = "\0\0\0\0\0\1\0\0\0\0\0\0"
				   "\7printer\5local\0\0\1\0\1";
	static const char ntp_client[48] = {0x23}, ntp_server[48] = {0x24, 2};
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);

	out = pcap_dump_open(dead, path);
	if (!out) {
		fprintf(stderr, "make-sample: %s\n", pcap_geterr(dead));
		return 1;
	}
	arp(false);
	arp(true);
	for (int i = 0; i < 3; i++) { /* DNS: query and answer, v4 and v6 */
		udp(true, 4, gw4, (uint16_t)(53001 + i), 53, DATA(query));
		udp(false, 4, gw4, 53, (uint16_t)(53001 + i), DATA(answer));
	}
	udp(true, 16, gw6, 53101, 53, DATA(query));
	udp(false, 16, gw6, 53, 53101, DATA(answer));
	tcp(true, 4, web4, 50000, 80, 0x02, DATA(""), WHOLE); /* HTTP over IPv4 */
	tcp(false, 4, web4, 80, 50000, 0x12, DATA(""), WHOLE);
	tcp(true, 4, web4, 50000, 80, 0x10, DATA(""), WHOLE);
	tcp(true, 4, web4, 50000, 80, 0x18, DATA(get), WHOLE);
	tcp(false, 4, web4, 80, 50000, 0x18, DATA(ok), WHOLE);
	tcp(true, 4, web4, 50000, 80, 0x11, DATA(""), WHOLE);
	tcp(true, 16, web6, 50100, 443, 0x02, DATA(""), WHOLE); /* HTTPS over IPv6 */
	tcp(false, 16, web6, 443, 50100, 0x12, DATA(""), WHOLE);
	tcp(true, 16, web6, 50100, 443, 0x10, DATA(""), WHOLE);
	tcp(true, 16, web6, 50100, 443, 0x18, DATA(hello), WHOLE);
	tcp(false, 16, web6, 443, 50100, 0x18, DATA(hello), WHOLE);
	tcp(true, 4, web4, 50200, 443, 0x02, DATA(""), WHOLE); /* HTTPS over IPv4 */
	tcp(false, 4, web4, 443, 50200, 0x12, DATA(""), WHOLE);
	tcp(true, 4, web4, 50200, 443, 0x18, DATA(hello), 60); /* truncated capture */
	for (int i = 0; i < 3; i++) { /* ping */
		ping(true, 4, gw4, 8);
		ping(false, 4, gw4, 0);
	}
	ping(true, 16, gw6, 128);
	ping(false, 16, gw6, 129);
	ping(true, 16, gw6, 135); /* neighbour solicitation */
	ping(false, 16, gw6, 136); /* neighbour advertisement */
	udp(true, 4, ntp4, 123, 123, ntp_client, sizeof(ntp_client)); /* NTP */
	udp(false, 4, ntp4, 123, 123, ntp_server, sizeof(ntp_server));
	for (int i = 0; i < 4; i++) /* SSH */
		tcp(i % 2, 4, gw4, i % 2 ? 50300 : 22, i % 2 ? 22 : 50300, 0x18,
		    DATA("SSH-2.0-x\r\n"), WHOLE);
	udp(true, 4, (uint8_t[]){224, 0, 0, 251}, 5353, 5353, DATA(mdns));
	udp(true, 16, (uint8_t[16]){0xff, 0x02, [15] = 0xfb}, 5353, 5353, DATA(mdns));
	tcp(true, 4, gw4, 50400, 53, 0x02, DATA(""), WHOLE); /* DNS over TCP */
	dns_fragment();
	vlan_http();
	icmp_error();
	arp(false);
	arp(true);
	pcap_dump_close(out);
	pcap_close(dead);
	printf("make-sample: wrote %u packets to %s\n", seconds, path);
	return 0;
}
