#ifndef BYPASS_AUDITOR_CSUPPORT_H
#define BYPASS_AUDITOR_CSUPPORT_H

#include <stddef.h>
#include <zlib.h>

/// glibc's memmem, which Swift's Glibc module does not export.
const void *csupport_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// inflateInit2 is a macro in zlib.h and so invisible to Swift; this wraps it.
/// window_bits 15+32 accepts gzip and zlib headers.
int csupport_inflate_init(z_stream *stream, int window_bits);

#endif
