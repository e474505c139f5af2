// A stub for the loader tests (loader-layout.test): it needs the plugin.
#include <pcap_filter.h>
static __noinline int web(void *data, void *data_end) __pcap_filter("tcp port 80");
int prog(void *data, void *data_end) { return web(data, data_end); }
