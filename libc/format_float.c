// %f %e %g for vsnprintf, exact: a double is m * 2^e, so its decimal expansion is
// finite and can be produced with integer arithmetic alone (a 1100-bit bignum for
// the integer part, another for the fraction), then rounded half-to-even exactly as
// glibc does in the default rounding mode. Built with SSE only so va_arg can fetch
// the double; every computation here is on integers.
//
// Limits ("lite"): long double (L) is read as double, %a is not supported, and at
// most DIGITS_MAX digits are computed; digits asked for beyond that print as 0
// (only reachable with precisions in the hundreds).
#include <stdint.h>
#include <string.h>

#include "libc/format.h"

#define DIGITS_MAX 760 // 309 integer digits of DBL_MAX + fraction digits
#define LIMBS 36       // 36 * 32 bits > 1074 + 53

// The decimal expansion of one finite non-negative double, produced on demand:
// d[0..nint) are the integer digits (no leading zeros; nint = 0 for values < 1),
// d[nint..len) the fraction digits generated so far; frac holds what is left of
// the fraction, scaled so that the binary point sits above limb flimbs-1.
struct decimal {
    char d[DIGITS_MAX + 2]; // +1 spare at the front for a carry, see round_digits
    char *dig;
    int nint, len;
    uint32_t frac[LIMBS];
    int flimbs;
};

// Places v << shift into limbs (little-endian), the rest zero.
static void big_set_shifted(uint32_t *w, int n, uint64_t v, int shift) {
    memset(w, 0, (size_t)n * sizeof *w);
    int limb = shift / 32, bit = shift % 32;
    uint64_t lo = v << bit;
    uint64_t hi = bit ? v >> (64 - bit) : 0;
    if (limb < n) w[limb] = (uint32_t)lo;
    if (limb + 1 < n) w[limb + 1] = (uint32_t)(lo >> 32);
    if (limb + 2 < n) w[limb + 2] = (uint32_t)hi;
}

// Writes the decimal digits of the bignum w (destroyed) to out; returns how many
// (0 for zero).
static int big_to_decimal(uint32_t *w, int n, char *out) {
    uint32_t chunks[LIMBS + 4];
    int nc = 0;
    for (;;) {
        while (n > 0 && w[n - 1] == 0)
            n--;
        if (n == 0)
            break;
        uint64_t rem = 0;
        for (int i = n - 1; i >= 0; i--) {
            uint64_t t = rem << 32 | w[i];
            w[i] = (uint32_t)(t / 1000000000u);
            rem = t % 1000000000u;
        }
        chunks[nc++] = (uint32_t)rem;
    }
    int len = 0;
    for (int c = nc - 1; c >= 0; c--) {
        char tmp[9];
        uint32_t v = chunks[c];
        for (int i = 8; i >= 0; i--, v /= 10)
            tmp[i] = (char)('0' + v % 10);
        int skip = 0;
        if (c == nc - 1)
            while (skip < 8 && tmp[skip] == '0')
                skip++;
        memcpy(out + len, tmp + skip, (size_t)(9 - skip));
        len += 9 - skip;
    }
    return len;
}

// Starts the expansion of m * 2^e (m < 2^53): all integer digits, no fraction digits.
static void decimal_init(struct decimal *x, uint64_t m, int e) {
    uint32_t w[LIMBS];
    x->dig = x->d + 1;
    x->flimbs = 0;
    if (e >= 0) {
        big_set_shifted(w, LIMBS, m, e);
        x->nint = big_to_decimal(w, LIMBS, x->dig);
    } else {
        int shift = -e;
        uint64_t ip = shift >= 64 ? 0 : m >> shift;
        uint64_t f = shift >= 64 ? m : m & ((1ull << shift) - 1);
        big_set_shifted(w, LIMBS, ip, 0);
        x->nint = big_to_decimal(w, 2, x->dig);
        // Scale the fraction f / 2^shift to f * 2^(32*flimbs - shift) / 2^(32*flimbs).
        x->flimbs = (shift + 31) / 32;
        big_set_shifted(x->frac, LIMBS, f, 32 * x->flimbs - shift);
    }
    x->len = x->nint;
}

// Returns true when the remaining fraction (beyond the generated digits) is non-zero.
static bool frac_nonzero(const struct decimal *x) {
    for (int i = 0; i < x->flimbs; i++)
        if (x->frac[i])
            return true;
    return false;
}

// Generates fraction digits until index i exists (clamped to DIGITS_MAX); returns
// the digit at i, '0' beyond the clamp.
static char digit_at(struct decimal *x, int i) {
    while (x->len <= i && x->len < DIGITS_MAX) {
        uint64_t carry = 0;
        for (int k = 0; k < x->flimbs; k++) {
            uint64_t t = (uint64_t)x->frac[k] * 10 + carry;
            x->frac[k] = (uint32_t)t;
            carry = t >> 32;
        }
        x->dig[x->len++] = (char)('0' + carry);
    }
    return i < x->len ? x->dig[i] : '0';
}

// Rounds the kept digits [lo, r) of the expansion at index r (half to even on an
// exact tie). Returns true when the rounding carried out of digit lo (the kept
// digits are then all zeros and the caller accounts for the leading 1).
static bool round_digits(struct decimal *x, int lo, int r) {
    if (r < 0)
        return false;
    char next = digit_at(x, r);
    bool up = next > '5';
    if (next == '5') {
        bool rest = frac_nonzero(x);
        for (int i = r + 1; i < x->len && !rest; i++)
            rest = x->dig[i] != '0';
        up = rest || (r > lo && (digit_at(x, r - 1) - '0') % 2 == 1);
    }
    if (!up)
        return false;
    for (int i = r - 1; i >= lo; i--) {
        if (x->dig[i] != '9') {
            x->dig[i]++;
            return false;
        }
        x->dig[i] = '0';
    }
    return true;
}

// A formatted number as pieces: digits before the point, point, digits after (plus
// trailing zeros beyond DIGITS_MAX), exponent text.
struct pieces {
    const char *ip;
    int iplen;
    const char *fp;
    int fplen, fzeros;
    bool point;
    char exp[8];
    int explen;
};

// Fills p with %f of x at precision prec.
static void layout_f(struct decimal *x, int prec, struct pieces *p) {
    int digits = x->nint + prec;
    if (digits > DIGITS_MAX - 1)
        digits = DIGITS_MAX - 1;
    for (int i = x->nint; i < digits; i++)
        digit_at(x, i);
    if (round_digits(x, 0, digits)) {
        if (x->nint > 0) {
            x->dig--; // the spare slot in front holds the carried 1
            x->dig[0] = '1';
            x->nint++;
            digits++;
        } else {
            static const char one[] = "1";
            p->ip = one;
            p->iplen = 1;
            goto frac;
        }
    }
    if (x->nint > 0) {
        p->ip = x->dig;
        p->iplen = x->nint;
    } else {
        p->ip = "0";
        p->iplen = 1;
    }
frac:
    p->fp = x->dig + x->nint;
    p->fplen = digits - x->nint;
    if (p->fplen < 0)
        p->fplen = 0;
    p->fzeros = prec - p->fplen;
    p->explen = 0;
}

// Fills p with %e of x at precision prec (mantissa digits after the point) and
// returns the decimal exponent.
static int layout_e(struct decimal *x, int prec, struct pieces *p, char e) {
    int s = 0, exp10 = 0;
    bool zero = false;
    if (x->nint > 0) {
        exp10 = x->nint - 1;
    } else {
        while (s < DIGITS_MAX && digit_at(x, s) == '0') {
            s++;
            if (s >= x->len && !frac_nonzero(x))
                break; // nothing but zeros from here on: the value is 0
        }
        zero = s >= DIGITS_MAX || (s >= x->len && !frac_nonzero(x));
        if (zero)
            s = 0;
        exp10 = zero ? 0 : -(s + 1);
    }
    int digits = s + 1 + prec; // index just past the last kept digit
    if (digits > DIGITS_MAX - 1)
        digits = DIGITS_MAX - 1;
    for (int i = s; i < digits; i++)
        digit_at(x, i);
    if (!zero && round_digits(x, s, digits)) {
        x->dig[s] = '1'; // 9.99 -> 10.0: the digits are zeros, the exponent grows
        exp10++;
    }
    p->ip = x->dig + s;
    p->iplen = 1;
    p->fp = x->dig + s + 1;
    p->fplen = digits - s - 1;
    p->fzeros = prec - p->fplen;
    int a = exp10 < 0 ? -exp10 : exp10, n = 0;
    p->exp[n++] = e;
    p->exp[n++] = exp10 < 0 ? '-' : '+';
    if (a >= 100)
        p->exp[n++] = (char)('0' + a / 100);
    p->exp[n++] = (char)('0' + a / 10 % 10);
    p->exp[n++] = (char)('0' + a % 10);
    p->explen = n;
    return exp10;
}

// Drops trailing zeros of the fraction (and the point if nothing is left): %g.
static void strip_zeros(struct pieces *p) {
    p->fzeros = 0;
    while (p->fplen > 0 && p->fp[p->fplen - 1] == '0')
        p->fplen--;
    p->point = p->fplen > 0;
}

// Formats the double that *ap holds next under spec (conv one of f F e E g G).
void fmt_float(struct fmt_out *o, const struct fmt_spec *spec, va_list *ap) {
    double v = va_arg(*ap, double);
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bool neg = bits >> 63;
    int bexp = (int)(bits >> 52 & 0x7ff);
    uint64_t mant = bits & ((1ull << 52) - 1);
    char c = spec->conv;
    bool upper = c == 'F' || c == 'E' || c == 'G';
    char sign = neg ? '-' : spec->plus ? '+' : spec->space ? ' ' : 0;
    struct pieces p = {0};
    bool zero_pad = spec->zero && !spec->left;
    struct decimal x;

    if (bexp == 0x7ff) { // inf and nan: no zero padding
        p.ip = mant ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        p.iplen = 3;
        zero_pad = false;
    } else {
        uint64_t m = bexp ? mant | 1ull << 52 : mant;
        int e = bexp ? bexp - 1075 : -1074;
        int prec = spec->prec < 0 ? 6 : spec->prec;
        decimal_init(&x, m, e);
        if (c == 'f' || c == 'F') {
            layout_f(&x, prec, &p);
            p.point = prec > 0 || spec->alt;
        } else if (c == 'e' || c == 'E') {
            layout_e(&x, prec, &p, upper ? 'E' : 'e');
            p.point = prec > 0 || spec->alt;
        } else { // g: %e's exponent X decides; P > X >= -4 means %f (C11 7.21.6.1)
            int P = prec == 0 ? 1 : prec;
            int X = layout_e(&x, P - 1, &p, upper ? 'E' : 'e');
            if (P > X && X >= -4) {
                decimal_init(&x, m, e);
                layout_f(&x, P - 1 - X, &p);
            }
            p.point = P - 1 - (P > X && X >= -4 ? X : 0) > 0 || spec->alt;
            if (!spec->alt)
                strip_zeros(&p);
        }
    }

    size_t len = (sign ? 1u : 0u) + (size_t)p.iplen + (p.point ? 1u : 0u) + (size_t)p.fplen +
                 (size_t)(p.fzeros > 0 ? p.fzeros : 0) + (size_t)p.explen;
    size_t pad = spec->width > 0 && (size_t)spec->width > len ? (size_t)spec->width - len : 0;
    if (!spec->left && !zero_pad)
        fmt_repeat(o, ' ', pad);
    if (sign)
        fmt_putc(o, sign);
    if (zero_pad)
        fmt_repeat(o, '0', pad);
    fmt_puts(o, p.ip, (size_t)p.iplen);
    if (p.point)
        fmt_putc(o, '.');
    fmt_puts(o, p.fp, (size_t)p.fplen);
    if (p.fzeros > 0)
        fmt_repeat(o, '0', (size_t)p.fzeros);
    fmt_puts(o, p.exp, (size_t)p.explen);
    if (spec->left)
        fmt_repeat(o, ' ', pad);
}
