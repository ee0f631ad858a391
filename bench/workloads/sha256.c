/*
 * SHA-256 (FIPS 180-4) over 16 MiB of pseudo-random bytes generated in the guest.
 * Measures 32-bit integer arithmetic (rotates, xors, adds) and byte loads; the data
 * generation (64-bit multiplies and stores) is about a tenth of the time.
 * Checksum: the first 8 bytes of the digest, big-endian.
 */
#include "common.h"

#define DATA_BYTES (16u << 20)

static u8 data[DATA_BYTES];

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 rotr(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static inline u32 load_be32(const u8 *p) {
    return ((u32) p[0] << 24) | ((u32) p[1] << 16) | ((u32) p[2] << 8) | (u32) p[3];
}

/* One 64-byte block into the eight-word state (FIPS 180-4 section 6.2.2). */
static void compress(u32 h[8], const u8 *block) {
    u32 w[64];
    for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
    for (int t = 16; t < 64; t++) {
        u32 s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        u32 s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        u32 t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

/* SHA-256 of msg[0..len); writes the digest's eight words to out. */
static void sha256(const u8 *msg, u64 len, u32 out[8]) {
    u32 h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    u64 full = len / 64;
    for (u64 i = 0; i < full; i++) compress(h, msg + 64 * i);

    /* Padding: the tail, 0x80, zeros, then the bit length big-endian, in one or two blocks. */
    u8 tail[128];
    u64 rest = len - 64 * full;
    u64 tail_len = rest < 56 ? 64 : 128;
    for (u64 i = 0; i < tail_len; i++) tail[i] = i < rest ? msg[64 * full + i] : 0;
    tail[rest] = 0x80;
    u64 bits = len * 8;
    for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (u8) (bits >> (8 * i));
    for (u64 off = 0; off < tail_len; off += 64) compress(h, tail + off);

    for (int i = 0; i < 8; i++) out[i] = h[i];
}

static void fill(u8 *buf, u32 len, u64 seed) {
    for (u32 i = 0; i < len; i += 8) {
        u64 v = splitmix64(&seed);
        for (int j = 0; j < 8; j++) buf[i + j] = (u8) (v >> (8 * j));
    }
}

long long run(void) {
    fill(data, DATA_BYTES, 0x5348413235360001ULL);
    u32 digest[8];
    sha256(data, DATA_BYTES, digest);
    return (i64) (((u64) digest[0] << 32) | digest[1]);
}
