#define _GNU_SOURCE
#include <string.h>
#include "CSupport.h"

const void *csupport_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    return memmem(haystack, haystack_len, needle, needle_len);
}

int csupport_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
