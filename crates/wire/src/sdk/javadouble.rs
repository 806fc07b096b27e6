//! Java's `Double.toString` as JDK 8 to 18 and Android's libcore write it: OpenJDK's
//! `FloatingDecimal` (`BinaryToASCIIBuffer.dtoa`, `roundup`, `getChars`), rebuilt step by step,
//! including where it is not the shortest round trip. Gson writes every `Double` an app puts
//! into a request body with it, so this is what the Android SDK sends.
//!
//! `dtoa` is a digit generator in the manner of Steele and White: the value as a fraction
//! `B / S` scaled to `[1, 10)`, half an ulp as `M`, digits taken until the remainder is within
//! `M` of either neighbour. Its stopping test is symmetric even below a power of two, and it
//! runs at least two digits in the `E` form, so it sometimes writes a digit more than needed
//! (`1.0E23` is `9.999999999999999E22`, `2^-44` gets 17 digits). Whole numbers
//! below 2^63 skip the generator and print their exact value (`developLongDigits`), rounding
//! off the digits below the double's precision. The three arithmetic widths of `dtoa` (`int`,
//! `long`, big integers) do not compare quite alike (`>` against `>=`, wrapping products), so
//! each is kept as written.

use std::cmp::Ordering;

/// Bits of the significand without the hidden one (`DoubleConsts.SIGNIFICAND_WIDTH - 1`).
const EXP_SHIFT: i32 = 52;
const FRACT_HOB: u64 = 1 << EXP_SHIFT;
const EXP_BIAS: i32 = 1023;
const SIGNIF_BIT_MASK: u64 = FRACT_HOB - 1;
const MAX_SMALL_BIN_EXP: i32 = 62;
const MIN_SMALL_BIN_EXP: i32 = -(63 / 3);

/// `insignificantDigitsNumber`: how many low decimal digits of `2^i` carry no information.
const INSIGNIFICANT_DIGITS: [i32; 64] = [
    0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9,
    9, 9, 10, 10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16,
    16, 17, 17, 17, 18, 18, 18, 19,
];

/// `N_5_BITS`: roughly `ceil(log2(5^i))`, the estimate that picks `dtoa`'s arithmetic width.
const N_5_BITS: [i32; 27] = [
    0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56,
    59, 61,
];

/// `Double.toString(d)`: `NaN`, `Infinity`, `-0.0`, `100.0`, `0.0025`, `1.0E7`, `4.9E-324`.
#[must_use]
pub fn to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    let negative = d.is_sign_negative();
    let sign = if negative { "-" } else { "" };
    if d.is_infinite() {
        return format!("{sign}Infinity");
    }
    let (digits, dec_exponent) = digits(d.abs());
    format!("{sign}{}", layout(&digits, dec_exponent))
}

/// The decimal digits `FloatingDecimal` develops for a non-negative finite `d` (`"0"` for
/// zero), and its decimal exponent: the value is `0.d1d2d3... × 10^exponent`.
fn digits(d: f64) -> (Vec<u8>, i32) {
    let bits = d.to_bits();
    let mut fract_bits = bits & SIGNIF_BIT_MASK;
    let raw_exp = ((bits >> EXP_SHIFT) & 0x7ff) as i32;
    if raw_exp == 0 && fract_bits == 0 {
        return (vec![b'0'], 0);
    }
    let (bin_exp, precision_bits) = if raw_exp == 0 {
        // A subnormal: normalise it. `nSignificantBits` is counted before the shift, which
        // makes half an ulp smaller than it is; `dtoa` keeps that, so this does too.
        let leading_zeros = fract_bits.leading_zeros() as i32;
        let shift = leading_zeros - (63 - EXP_SHIFT);
        fract_bits <<= shift;
        (1 - shift, 64 - leading_zeros)
    } else {
        fract_bits |= FRACT_HOB;
        (raw_exp, EXP_SHIFT + 1)
    };
    let mut out = Digits::default();
    out.dtoa(bin_exp - EXP_BIAS, fract_bits, precision_bits);
    (out.digits, out.dec_exponent)
}

/// `getChars`: plain for exponents 1 to 7 and -2 to 0 (`[10^-3, 10^7)`), otherwise
/// `d.ddd` and `E` with the exponent. Every digit developed is written, trailing zeros too.
fn layout(digits: &[u8], dec_exponent: i32) -> String {
    let text = |d: &[u8]| String::from_utf8_lossy(d).into_owned();
    let n = digits.len();
    if dec_exponent > 0 && dec_exponent < 8 {
        let whole = dec_exponent as usize;
        let shown = n.min(whole);
        if shown < whole {
            format!("{}{}.0", text(&digits[..shown]), "0".repeat(whole - shown))
        } else if shown < n {
            format!("{}.{}", text(&digits[..shown]), text(&digits[shown..]))
        } else {
            format!("{}.0", text(digits))
        }
    } else if dec_exponent <= 0 && dec_exponent > -3 {
        format!("0.{}{}", "0".repeat((-dec_exponent) as usize), text(digits))
    } else {
        let rest = if n > 1 {
            text(&digits[1..])
        } else {
            "0".into()
        };
        format!("{}.{rest}E{}", char::from(digits[0]), dec_exponent - 1)
    }
}

/// `BinaryToASCIIBuffer`'s state: the digits developed and the decimal exponent.
#[derive(Default)]
struct Digits {
    digits: Vec<u8>,
    dec_exponent: i32,
}

/// How the last digit is settled once `dtoa`'s loop stops.
struct Stop {
    low: bool,
    high: bool,
    /// Only its sign matters: twice the remainder against `10 S`.
    low_digit_difference: i64,
}

impl Digits {
    /// `dtoa(binExp, fractBits, nSignificantBits, true)`: `fract_bits` holds the significand
    /// with its top bit at position 52, the value being `fract_bits × 2^(bin_exp - 52)`.
    fn dtoa(&mut self, bin_exp: i32, fract_bits: u64, precision_bits: i32) {
        let tail_zeros = fract_bits.trailing_zeros() as i32;
        let n_fract_bits = EXP_SHIFT + 1 - tail_zeros;
        let n_tiny_bits = (n_fract_bits - bin_exp - 1).max(0);
        if (MIN_SMALL_BIN_EXP..=MAX_SMALL_BIN_EXP).contains(&bin_exp)
            && n_tiny_bits < 27
            && n_fract_bits + N_5_BITS[n_tiny_bits as usize] < 64
            && n_tiny_bits == 0
        {
            // A whole number below 2^63.
            let dropped = if bin_exp > precision_bits {
                dropped_digits_for_pow2(bin_exp - precision_bits - 1)
            } else {
                0
            };
            let value = if bin_exp >= EXP_SHIFT {
                fract_bits << (bin_exp - EXP_SHIFT)
            } else {
                fract_bits >> (EXP_SHIFT - bin_exp)
            };
            self.develop_long_digits(value, dropped);
            return;
        }
        let mut dec_exp = estimate_dec_exp(fract_bits, bin_exp);
        let b5 = (-dec_exp).max(0);
        let mut b2 = b5 + n_tiny_bits + bin_exp;
        let s5 = dec_exp.max(0);
        let mut s2 = s5 + n_tiny_bits;
        let m5 = b5;
        let mut m2 = b2 - precision_bits;
        let fract = fract_bits >> tail_zeros;
        b2 -= n_fract_bits - 1;
        let common2 = b2.min(s2);
        b2 -= common2;
        s2 -= common2;
        m2 -= common2;
        // Below a power of two the next double down is half as far: `dtoa` halves `M` for
        // the whole test, which is why its stopping test stays symmetric.
        if n_fract_bits == 1 {
            m2 -= 1;
        }
        if m2 < 0 {
            b2 -= m2;
            s2 -= m2;
            m2 = 0;
        }
        let bits_of_5 = |e: i32| N_5_BITS.get(e as usize).copied().unwrap_or(e * 3);
        let b_bits = n_fract_bits + b2 + bits_of_5(b5);
        let ten_s_bits = s2 + 1 + bits_of_5(s5 + 1);
        let powers = [b5, b2, s5, s2, m5, m2];
        let mut digits = Vec::new();
        let e_form = |dec_exp: i32| !(-3..8).contains(&dec_exp);
        let stop = if b_bits < 32 && ten_s_bits < 32 {
            Self::develop_int(fract, powers, &mut dec_exp, &mut digits, e_form)
        } else if b_bits < 64 && ten_s_bits < 64 {
            Self::develop_long(fract, powers, &mut dec_exp, &mut digits, e_form)
        } else {
            Self::develop_big(fract, powers, &mut dec_exp, &mut digits, e_form)
        };
        self.digits = digits;
        self.dec_exponent = dec_exp + 1;
        if stop.high {
            if stop.low {
                let odd = self.digits.last().is_some_and(|d| d & 1 != 0);
                if (stop.low_digit_difference == 0 && odd) || stop.low_digit_difference > 0 {
                    self.roundup();
                }
            } else {
                self.roundup();
            }
        }
    }

    /// `dtoa`'s loop in `int` arithmetic (Java's wrapping products and sums).
    // `b`, `s`, `m`, `q`: the names `dtoa` gives B, S, M and the digit.
    #[allow(clippy::many_single_char_names)]
    fn develop_int(
        fract: u64,
        [b5, b2, s5, s2, m5, m2]: [i32; 6],
        dec_exp: &mut i32,
        digits: &mut Vec<u8>,
        e_form: impl Fn(i32) -> bool,
    ) -> Stop {
        let pow5 = |e: i32| 5i32.wrapping_pow(e as u32);
        let mut b = (fract as i32)
            .wrapping_mul(pow5(b5))
            .wrapping_shl(b2 as u32);
        let s = pow5(s5).wrapping_shl(s2 as u32);
        let mut m = pow5(m5).wrapping_shl(m2 as u32);
        let tens = s.wrapping_mul(10);
        let mut q = b / s;
        b = (b % s).wrapping_mul(10);
        m = m.wrapping_mul(10);
        let mut low = b < m;
        let mut high = b.wrapping_add(m) > tens;
        if q == 0 && !high {
            *dec_exp -= 1;
        } else {
            digits.push(b'0' + q as u8);
        }
        // At least one digit after the point in the `E` form: never stop at the first.
        if e_form(*dec_exp) {
            high = false;
            low = false;
        }
        while !low && !high {
            q = b / s;
            b = (b % s).wrapping_mul(10);
            m = m.wrapping_mul(10);
            if m > 0 {
                low = b < m;
                high = b.wrapping_add(m) > tens;
            } else {
                // `m` overflowed: it is certainly past `b`, and past `10 S` too.
                low = true;
                high = true;
            }
            digits.push(b'0' + q as u8);
        }
        Stop {
            low,
            high,
            low_digit_difference: i64::from(b.wrapping_shl(1).wrapping_sub(tens)),
        }
    }

    /// `dtoa`'s loop in `long` arithmetic.
    // `b`, `s`, `m`, `q`: the names `dtoa` gives B, S, M and the digit.
    #[allow(clippy::many_single_char_names)]
    fn develop_long(
        fract: u64,
        [b5, b2, s5, s2, m5, m2]: [i32; 6],
        dec_exp: &mut i32,
        digits: &mut Vec<u8>,
        e_form: impl Fn(i32) -> bool,
    ) -> Stop {
        let pow5 = |e: i32| 5i64.wrapping_pow(e as u32);
        let mut b = (fract as i64)
            .wrapping_mul(pow5(b5))
            .wrapping_shl(b2 as u32);
        let s = pow5(s5).wrapping_shl(s2 as u32);
        let mut m = pow5(m5).wrapping_shl(m2 as u32);
        let tens = s.wrapping_mul(10);
        let mut q = b / s;
        b = (b % s).wrapping_mul(10);
        m = m.wrapping_mul(10);
        let mut low = b < m;
        let mut high = b.wrapping_add(m) > tens;
        if q == 0 && !high {
            *dec_exp -= 1;
        } else {
            digits.push(b'0' + q as u8);
        }
        if e_form(*dec_exp) {
            high = false;
            low = false;
        }
        while !low && !high {
            q = b / s;
            b = (b % s).wrapping_mul(10);
            m = m.wrapping_mul(10);
            if m > 0 {
                low = b < m;
                high = b.wrapping_add(m) > tens;
            } else {
                low = true;
                high = true;
            }
            digits.push(b'0' + q as u8);
        }
        Stop {
            low,
            high,
            low_digit_difference: b.wrapping_shl(1).wrapping_sub(tens),
        }
    }

    /// `dtoa`'s loop with `FDBigInteger`s: exact arithmetic, and `high` when `B + M` reaches
    /// `10 S` (the narrow widths need it to pass `10 S`). `FDBigInteger` also shifts all four
    /// numbers left to normalise `S`, which changes no comparison and no quotient.
    // `b`, `s`, `m`, `q`: the names `dtoa` gives B, S, M and the digit.
    #[allow(clippy::many_single_char_names)]
    fn develop_big(
        fract: u64,
        [b5, b2, s5, s2, m5, m2]: [i32; 6],
        dec_exp: &mut i32,
        digits: &mut Vec<u8>,
        e_form: impl Fn(i32) -> bool,
    ) -> Stop {
        let s = Big::pow52(s5, s2);
        let mut b = Big::from_u64(fract).mul_pow52(b5, b2);
        let mut m = Big::pow52(m5 + 1, m2 + 1);
        let ten_s = Big::pow52(s5 + 1, s2 + 1);
        let step = |b: &mut Big, m: &Big| {
            let q = b.quo_rem_iteration(&s);
            let low = Ord::cmp(&*b, m) == Ordering::Less;
            let high = ten_s.cmp(&b.add(m)) != Ordering::Greater;
            (q, low, high)
        };
        let (q, mut low, mut high) = step(&mut b, &m);
        if q == 0 && !high {
            *dec_exp -= 1;
        } else {
            digits.push(b'0' + q);
        }
        if e_form(*dec_exp) {
            high = false;
            low = false;
        }
        while !low && !high {
            m = m.mul_small(10);
            let (q, l, h) = step(&mut b, &m);
            (low, high) = (l, h);
            digits.push(b'0' + q);
        }
        let low_digit_difference = if high && low {
            match b.mul_small(2).cmp(&ten_s) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            }
        } else {
            0
        };
        Stop {
            low,
            high,
            low_digit_difference,
        }
    }

    /// `developLongDigits(0, value, insignificantDigits)`: the whole number's digits, the lowest
    /// `dropped` of them rounded off half up, trailing zeros dropped.
    fn develop_long_digits(&mut self, mut value: u64, dropped: i32) {
        let mut dec_exponent = 0;
        if dropped != 0 {
            let pow10 = 10u64.pow(dropped as u32);
            let residue = value % pow10;
            value /= pow10;
            dec_exponent += dropped;
            if residue >= pow10 >> 1 {
                value += 1;
            }
        }
        let text = value.to_string();
        let kept = text.trim_end_matches('0');
        self.dec_exponent = dec_exponent + text.len() as i32;
        self.digits = kept.as_bytes().to_vec();
    }

    /// `roundup`: one more in the last digit; a carry out of all nines leaves `1` followed by
    /// as many zeros as there were digits, and a larger exponent.
    fn roundup(&mut self) {
        let mut i = self.digits.len() - 1;
        while self.digits[i] == b'9' && i > 0 {
            self.digits[i] = b'0';
            i -= 1;
        }
        if self.digits[i] == b'9' {
            self.dec_exponent += 1;
            self.digits[0] = b'1';
        } else {
            self.digits[i] += 1;
        }
    }
}

/// `insignificantDigitsForPow2(p2)`.
fn dropped_digits_for_pow2(p2: i32) -> i32 {
    if p2 > 1 && (p2 as usize) < INSIGNIFICANT_DIGITS.len() {
        INSIGNIFICANT_DIGITS[p2 as usize]
    } else {
        0
    }
}

/// `estimateDecExp`: `floor(log10(d))` from a linear estimate of `log10` of the significand
/// in double arithmetic; it can be one too high, which the first digit being zero corrects.
fn estimate_dec_exp(fract_bits: u64, bin_exp: i32) -> i32 {
    let d2 = f64::from_bits(((EXP_BIAS as u64) << EXP_SHIFT) | (fract_bits & SIGNIF_BIT_MASK));
    // The JDK's literal for log10(2), shorter than `LOG10_2`: the estimate must round as its.
    #[allow(clippy::approx_constant)]
    let log10_2 = 0.301_029_995_663_981;
    let d = (d2 - 1.5) * 0.289_529_654 + 0.176_091_259 + f64::from(bin_exp) * log10_2;
    // Java's bit-level floor of `d`, which equals `floor` for every value this can take.
    d.floor() as i32
}

/// A non-negative big integer, 32-bit limbs, least significant first; the few operations
/// `FDBigInteger` offers `dtoa`, without its normalisation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        Big(vec![v as u32, (v >> 32) as u32]).trimmed()
    }

    /// `5^p5 × 2^p2`.
    fn pow52(p5: i32, p2: i32) -> Big {
        Big(vec![1]).mul_pow52(p5, p2)
    }

    fn mul_pow52(self, p5: i32, p2: i32) -> Big {
        let mut out = self;
        for _ in 0..p5 {
            out = out.mul_small(5);
        }
        out.shl(p2 as u32)
    }

    fn trimmed(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    fn mul_small(&self, k: u32) -> Big {
        let mut carry = 0u64;
        let mut out = Vec::with_capacity(self.0.len() + 1);
        for &limb in &self.0 {
            let v = u64::from(limb) * u64::from(k) + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        out.push(carry as u32);
        Big(out).trimmed()
    }

    fn shl(&self, bits: u32) -> Big {
        let words = (bits / 32) as usize;
        let bits = bits % 32;
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for &limb in &self.0 {
            if bits == 0 {
                out.push(limb);
            } else {
                out.push((limb << bits) | carry);
                carry = limb >> (32 - bits);
            }
        }
        out.push(carry);
        Big(out).trimmed()
    }

    fn add(&self, other: &Big) -> Big {
        let n = self.0.len().max(other.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let v = u64::from(*self.0.get(i).unwrap_or(&0))
                + u64::from(*other.0.get(i).unwrap_or(&0))
                + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        out.push(carry as u32);
        Big(out).trimmed()
    }

    /// `self -= other`, where `other <= self`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = i64::from(self.0[i]) - i64::from(*other.0.get(i).unwrap_or(&0)) - borrow;
            self.0[i] = v.rem_euclid(1 << 32) as u32;
            borrow = i64::from(v < 0);
        }
        let trimmed = std::mem::take(self).trimmed();
        *self = trimmed;
    }

    /// `quoRemIteration`: returns `self / s` (a single digit) and leaves `10 × (self % s)`.
    fn quo_rem_iteration(&mut self, s: &Big) -> u8 {
        let mut q = 0u8;
        while Ord::cmp(&*self, s) != Ordering::Less {
            self.sub_assign(s);
            q += 1;
        }
        *self = self.mul_small(10);
        q
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_the_jdk_writes_them() {
        // Each value as JDK 17's `Double.toString` prints it.
        let cases = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (1.0e7, "1.0E7"),
            (1.234_567_85e7, "1.23456785E7"),
            (-2.5e10, "-2.5E10"),
            (1.0e-4, "1.0E-4"),
            (1.0e-7, "1.0E-7"),
            (1.0e21, "1.0E21"),
            (f64::MAX, "1.7976931348623157E308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (4.9e-324, "4.9E-324"),
            (0.1, "0.1"),
            (100.0, "100.0"),
            (0.0025, "0.0025"),
            (0.001, "0.001"),
            (9_999_999.0, "9999999.0"),
            (1234.5, "1234.5"),
            (1e-310, "1.0E-310"),
            (25_470_761_993_680_968.0, "2.5470761993680968E16"),
            (282_879_384_806_159_008.0, "2.82879384806159008E17"),
            (1.0e18, "1.0E18"),
            (9.223_372_036_854_775e18, "9.2233720368547748E18"),
            (4.5e17, "4.5E17"),
            (2.0e-3, "0.002"),
            (5.0e-324 * 3.0, "1.5E-323"),
            // Not the shortest that reads back: FloatingDecimal's own digits.
            (1.0e23, "9.999999999999999E22"),
            (2.0e23, "1.9999999999999998E23"),
            (8.41e21, "8.409999999999999E21"),
            (2f64.powi(-44), "5.6843418860808015E-14"),
            (1.234_567_890_123_456_7e-300, "1.2345678901234568E-300"),
        ];
        for (d, want) in cases {
            assert_eq!(to_string(d), want, "{d:e}");
        }
        assert_eq!(to_string(f64::NAN), "NaN");
        assert_eq!(to_string(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn every_digit_string_reads_back_as_the_same_double() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let d = f64::from_bits(x & !(1 << 63));
            if !d.is_finite() {
                continue;
            }
            let text = to_string(d);
            assert_eq!(text.parse::<f64>().ok(), Some(d), "{text}");
        }
    }

    #[test]
    fn big_integers_compare_and_divide() {
        let s = Big::pow52(3, 4);
        assert_eq!(s, Big::from_u64(2000));
        let mut b = Big::from_u64(13_999);
        assert_eq!(b.quo_rem_iteration(&s), 6);
        assert_eq!(b, Big::from_u64(19_990));
        assert!(Big::pow52(30, 0) > Big::from_u64(u64::MAX / 1_000_000));
        assert_eq!(
            Big::from_u64(u64::MAX).add(&Big::from_u64(1)),
            Big::pow52(0, 64)
        );
    }
}
