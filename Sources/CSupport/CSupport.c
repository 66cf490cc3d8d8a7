#define _GNU_SOURCE
#include <string.h>
#include <stdint.h>
#include "CSupport.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

const void *csupport_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    return memmem(haystack, haystack_len, needle, needle_len);
}

int csupport_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

// How common a byte is in audit-log JSON (lower is rarer): quotes, separators, lower-case letters, digits and
// spaces are everywhere; capitals and most punctuation are not.
static int byte_commonness(unsigned char byte) {
    if (byte == '"') return 250;
    if (byte == ',' || byte == ':') return 200;
    if (strchr("etaoinsr", byte) && byte) return 190;
    if (byte == ' ') return 180;
    if (byte >= 'a' && byte <= 'z') return 150;
    if (byte >= '0' && byte <= '9') return 160;
    if (byte == '{' || byte == '}' || byte == '[' || byte == ']' || byte == '.' || byte == '-') return 120;
    if (byte >= 'A' && byte <= 'Z') return 60;
    return 50;
}

csupport_probes csupport_choose_probes(const unsigned char *needle, size_t needle_len) {
    csupport_probes probes = {0, needle_len > 1 ? needle_len - 1 : 0};
    if (needle_len < 2) return probes;
    size_t best = 0;
    for (size_t index = 1; index < needle_len; index++) {
        if (byte_commonness(needle[index]) < byte_commonness(needle[best])) best = index;
    }
    size_t second = best == 0 ? 1 : 0;
    for (size_t index = 0; index < needle_len; index++) {
        if (index == best || needle[index] == needle[best]) continue;
        if (needle[second] == needle[best] || byte_commonness(needle[index]) < byte_commonness(needle[second])) {
            second = index;
        }
    }
    probes.first_probe = best < second ? best : second;
    probes.second_probe = best < second ? second : best;
    return probes;
}

static const unsigned char *find_scalar(const unsigned char *haystack, size_t length, size_t from,
                                        const unsigned char *needle, size_t needle_len) {
    for (size_t index = from; index + needle_len <= length; index++) {
        if (haystack[index] == needle[0] && memcmp(haystack + index, needle, needle_len) == 0) return haystack + index;
    }
    return NULL;
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static const unsigned char *find_avx2(const unsigned char *haystack, size_t length, const unsigned char *needle,
                                      size_t needle_len, csupport_probes probes) {
    const __m256i first = _mm256_set1_epi8((char)needle[probes.first_probe]);
    const __m256i second = _mm256_set1_epi8((char)needle[probes.second_probe]);
    size_t index = 0;
    for (; index + needle_len + 32 <= length; index += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(haystack + index + probes.first_probe));
        __m256i b = _mm256_loadu_si256((const __m256i *)(haystack + index + probes.second_probe));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, second)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(haystack + index + bit, needle, needle_len) == 0) return haystack + index + bit;
            mask &= mask - 1;
        }
    }
    return find_scalar(haystack, length, index, needle, needle_len);
}

static const unsigned char *find_sse2(const unsigned char *haystack, size_t length, const unsigned char *needle,
                                      size_t needle_len, csupport_probes probes) {
    const __m128i first = _mm_set1_epi8((char)needle[probes.first_probe]);
    const __m128i second = _mm_set1_epi8((char)needle[probes.second_probe]);
    size_t index = 0;
    for (; index + needle_len + 16 <= length; index += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(haystack + index + probes.first_probe));
        __m128i b = _mm_loadu_si128((const __m128i *)(haystack + index + probes.second_probe));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, second)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(haystack + index + bit, needle, needle_len) == 0) return haystack + index + bit;
            mask &= mask - 1;
        }
    }
    return find_scalar(haystack, length, index, needle, needle_len);
}
#endif

const unsigned char *csupport_find(const unsigned char *haystack, size_t haystack_len, const unsigned char *needle,
                                   size_t needle_len, csupport_probes probes) {
    if (needle_len == 0) return haystack;
    if (haystack_len < needle_len) return NULL;
    if (needle_len == 1) return memchr(haystack, needle[0], haystack_len);
#if defined(__x86_64__)
    static int has_avx2 = -1;
    if (has_avx2 < 0) has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    if (has_avx2) return find_avx2(haystack, haystack_len, needle, needle_len, probes);
    return find_sse2(haystack, haystack_len, needle, needle_len, probes);
#else
    return memmem(haystack, haystack_len, needle, needle_len);
#endif
}

// MARK: - Fused line scan

typedef struct {
    size_t line_start;
    size_t first_needle_at;
    unsigned long long found;
    size_t count;
} line_state;

static inline void note_candidate(const unsigned char *text, size_t position, const csupport_needle *needle, size_t index,
                                  line_state *state) {
    if (index == 0 && state->first_needle_at != SIZE_MAX) return;
    if (index != 0 && (state->found >> index) & 1ULL) return;
    if (memcmp(text + position, needle->bytes, needle->length) != 0) return;
    if (index == 0) {
        state->first_needle_at = position;
    } else {
        state->found |= 1ULL << index;
    }
}

static inline int end_line(size_t position, line_state *state, csupport_line *lines) {
    lines[state->count].end = position;
    lines[state->count].first_needle_at = state->first_needle_at;
    lines[state->count].needles_found = state->found;
    state->count += 1;
    state->line_start = position + 1;
    state->first_needle_at = SIZE_MAX;
    state->found = 0;
    return 0;
}

/// The bytes from `from` on, one at a time (the end of the text, and CPUs without AVX2). A byte that starts no
/// needle and is no newline is passed over after one table look-up: the vector loop leaves up to 64 bytes plus the
/// longest needle to this loop at the end of every scan, and comparing each against every needle (a dozen for the
/// detail scan of a flagged line) made this tail cost a sixth of the whole ingest.
static size_t scan_scalar(const unsigned char *text, size_t length, size_t from, const csupport_needle *needles,
                          size_t needle_count, csupport_line *lines, size_t capacity, line_state *state) {
    unsigned char starts[256] = {0};
    starts['\n'] = 1;
    for (size_t index = 0; index < needle_count; index++) starts[needles[index].bytes[0]] = 1;
    for (size_t position = from; position < length; position++) {
        unsigned char byte = text[position];
        if (!starts[byte]) continue;
        for (size_t index = 0; index < needle_count; index++) {
            if (byte == needles[index].bytes[0] && position + needles[index].length <= length) {
                note_candidate(text, position, &needles[index], index, state);
            }
        }
        if (byte == '\n') {
            end_line(position, state, lines);
            if (state->count == capacity) return position + 1;
        }
    }
    return length;
}

#if defined(__x86_64__)
// 64 positions per step: two 32-byte halves combined into 64-bit masks. Inlined with a constant needle count (1–6,
// the usual case: the time key, the prefilter's cover needles and the `\u` marker) so the probe vectors stay in
// registers.
__attribute__((target("avx2"), always_inline))
static inline size_t scan_avx2_body(const unsigned char *text, size_t length, const csupport_needle *needles,
                                    const size_t needle_count, csupport_line *lines, size_t capacity, line_state *state) {
    size_t longest = 1;
    __m256i first[64], second[64];
    for (size_t index = 0; index < needle_count; index++) {
        if (needles[index].length > longest) longest = needles[index].length;
        first[index] = _mm256_set1_epi8((char)needles[index].bytes[needles[index].probes.first_probe]);
        second[index] = _mm256_set1_epi8((char)needles[index].bytes[needles[index].probes.second_probe]);
    }
    const __m256i newline = _mm256_set1_epi8('\n');
    size_t block = 0;
    for (; block + longest + 64 <= length; block += 64) {
        const unsigned char *at = text + block;
        uint64_t newlines =
            (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)at), newline))
            | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(at + 32)), newline)) << 32);
        uint64_t candidates[64];
        uint64_t any = newlines;
        for (size_t index = 0; index < needle_count; index++) {
            // Needle 0 (the time key) is wanted once per line: while the line already has it and this block does not
            // start another line, its probes need not be compared.
            if (index == 0 && newlines == 0 && state->first_needle_at != SIZE_MAX) {
                candidates[0] = 0;
                continue;
            }
            const unsigned char *p = at + needles[index].probes.first_probe;
            const unsigned char *q = at + needles[index].probes.second_probe;
            uint64_t low = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
                _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)p), first[index]),
                _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)q), second[index])));
            uint64_t high = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
                _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + 32)), first[index]),
                _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(q + 32)), second[index])));
            candidates[index] = low | (high << 32);
            any |= candidates[index];
        }
        while (any) {
            unsigned bit = (unsigned)__builtin_ctzll(any);
            any &= any - 1;
            size_t position = block + bit;
            for (size_t index = 0; index < needle_count; index++) {
                if ((candidates[index] >> bit) & 1U) note_candidate(text, position, &needles[index], index, state);
            }
            if ((newlines >> bit) & 1U) {
                end_line(position, state, lines);
                if (state->count == capacity) return position + 1;
            }
        }
    }
    return scan_scalar(text, length, block, needles, needle_count, lines, capacity, state);
}

__attribute__((target("avx2")))
static size_t scan_avx2(const unsigned char *text, size_t length, const csupport_needle *needles, size_t needle_count,
                        csupport_line *lines, size_t capacity, line_state *state) {
    switch (needle_count) {
    case 1: return scan_avx2_body(text, length, needles, 1, lines, capacity, state);
    case 2: return scan_avx2_body(text, length, needles, 2, lines, capacity, state);
    case 3: return scan_avx2_body(text, length, needles, 3, lines, capacity, state);
    case 4: return scan_avx2_body(text, length, needles, 4, lines, capacity, state);
    case 5: return scan_avx2_body(text, length, needles, 5, lines, capacity, state);
    case 6: return scan_avx2_body(text, length, needles, 6, lines, capacity, state);
    default: return scan_avx2_body(text, length, needles, needle_count, lines, capacity, state);
    }
}
#endif

size_t csupport_scan_lines(const unsigned char *text, size_t length, const csupport_needle *needles, size_t needle_count,
                           csupport_line *lines, size_t capacity, size_t *consumed) {
    line_state state = {0, SIZE_MAX, 0, 0};
    if (needle_count > 64) needle_count = 64;
    if (capacity == 0 || length == 0) {
        *consumed = 0;
        return 0;
    }
#if defined(__x86_64__)
    static int has_avx2 = -1;
    if (has_avx2 < 0) has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    if (has_avx2) {
        scan_avx2(text, length, needles, needle_count, lines, capacity, &state);
    } else {
        scan_scalar(text, length, 0, needles, needle_count, lines, capacity, &state);
    }
#else
    scan_scalar(text, length, 0, needles, needle_count, lines, capacity, &state);
#endif
    *consumed = state.line_start;
    return state.count;
}
