#ifndef BYPASS_AUDITOR_CSUPPORT_H
#define BYPASS_AUDITOR_CSUPPORT_H

#include <stddef.h>
#include <zlib.h>

/// glibc's memmem, which Swift's Glibc module does not export.
const void *csupport_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// inflateInit2 is a macro in zlib.h and so invisible to Swift; this wraps it.
/// window_bits 15+32 accepts gzip and zlib headers.
int csupport_inflate_init(z_stream *stream, int window_bits);

/// A needle prepared for `csupport_find`: the two positions whose bytes are rarest in audit-log JSON/CSV text.
typedef struct {
    size_t first_probe;
    size_t second_probe;
} csupport_probes;

/// Picks the probe positions for `needle` (needle_len >= 2).
csupport_probes csupport_choose_probes(const unsigned char *needle, size_t needle_len);

/// The first occurrence of `needle` in `haystack`, or NULL. Vectorised (AVX2 when the CPU has it, else SSE2):
/// 32 or 16 candidate positions are tested at once on the two probe bytes, and only candidates matching both are
/// compared in full. Several times faster than glibc's generic memmem on log text.
const unsigned char *csupport_find(const unsigned char *haystack, size_t haystack_len, const unsigned char *needle,
                                   size_t needle_len, csupport_probes probes);

/// A needle for `csupport_scan_lines`: its bytes (printable, no line break) and its probe positions.
typedef struct {
    const unsigned char *bytes;
    size_t length;
    csupport_probes probes;
} csupport_needle;

/// One complete line found by `csupport_scan_lines` (offsets from the start of the scanned text).
typedef struct {
    /// Offset of the line's newline byte.
    size_t end;
    /// Offset of the first occurrence of needle 0 in the line, or SIZE_MAX.
    size_t first_needle_at;
    /// Bit i set (i >= 1): needle i occurs in the line.
    unsigned long long needles_found;
} csupport_line;

/// Splits `text` (which starts at a line start) into complete lines and, in the same single pass, finds where each
/// needle occurs: up to 64 needles, each tested on its two probe bytes 32 positions at a time (AVX2), so the text is
/// read once however many needles there are. Writes up to `capacity` lines; `*consumed` is the offset after the last
/// line written (where the next scan starts). A line without a newline before `length` is not written.
size_t csupport_scan_lines(const unsigned char *text, size_t length, const csupport_needle *needles, size_t needle_count,
                           csupport_line *lines, size_t capacity, size_t *consumed);

/// Registers the file mapping `[start, start + length)` of the input `name`: a SIGBUS on it (the file shrank under
/// the mapping, so the pages past its new end no longer exist) writes a fixed message naming the file to stderr and
/// ends the process with `_exit(exit_code)`; the handler is installed on first use and passes any other SIGBUS to the
/// handler before it. Returns the slot to pass to `csupport_mapping_guard_remove`, or -1 when none is free (the
/// mapping is then unguarded: the caller should not map).
int csupport_mapping_guard_add(const void *start, size_t length, const char *name, int exit_code);

/// Forgets a mapping registered with `csupport_mapping_guard_add` (before it is unmapped).
void csupport_mapping_guard_remove(int slot);


/// glibc's `mallopt(M_ARENA_MAX, arenas)` (malloc.h is not in Swift's Glibc module): caps the allocator's arenas.
/// Returns 1 on success, 0 otherwise or where the C library is not glibc.
int csupport_limit_malloc_arenas(int arenas);

/// glibc's `malloc_trim(0)`: hands the pages of freed memory back to the system. Returns 1 when some was released.
int csupport_release_free_memory(void);

#endif
