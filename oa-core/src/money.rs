//! Money: a [`Decimal`] amount with an ISO 4217 currency, never a float. The one table of
//! currencies and the one rounding rule of oa, used by forms and by the base-currency parameter.
//!
//! **Rounding rule, stated once:** an amount is rounded half-up (a half goes away from zero:
//! 1.005 → 1.01, −1.005 → −1.01) to its currency's minor unit (two places for CNY, none for JPY,
//! three for KWD), by [`round_money`]. Every amount a form stores has gone through it.

use rust_decimal::{Decimal, RoundingStrategy};

/// The minor unit of every circulating currency: the decimal places of its smallest coin.
/// Sorted by code (a test keeps them so) for a binary search. Fund codes, precious metals and
/// the testing codes are left out, as no office keeps books in them.
#[rustfmt::skip]
const MINOR_UNITS: &[(&str, u32)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("ANG", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2),
    ("AWG", 2), ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2), ("BHD", 3), ("BIF", 0),
    ("BMD", 2), ("BND", 2), ("BOB", 2), ("BRL", 2), ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2),
    ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHF", 2), ("CLP", 0), ("CNY", 2), ("COP", 2), ("CRC", 2),
    ("CUP", 2), ("CVE", 2), ("CZK", 2), ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2), ("EGP", 2),
    ("ERN", 2), ("ETB", 2), ("EUR", 2), ("FJD", 2), ("FKP", 2), ("GBP", 2), ("GEL", 2), ("GHS", 2),
    ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2), ("HKD", 2), ("HNL", 2), ("HTG", 2),
    ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2), ("IQD", 3), ("IRR", 2), ("ISK", 0), ("JMD", 2),
    ("JOD", 3), ("JPY", 0), ("KES", 2), ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 2), ("KRW", 0),
    ("KWD", 3), ("KYD", 2), ("KZT", 2), ("LAK", 2), ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2),
    ("LYD", 3), ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2),
    ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MYR", 2), ("MZN", 2), ("NAD", 2),
    ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2), ("OMR", 3), ("PAB", 2), ("PEN", 2),
    ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2), ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2),
    ("RUB", 2), ("RWF", 0), ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2),
    ("SHP", 2), ("SLE", 2), ("SLL", 2), ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2),
    ("SYP", 2), ("SZL", 2), ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3), ("TOP", 2), ("TRY", 2),
    ("TTD", 2), ("TWD", 2), ("TZS", 2), ("UAH", 2), ("UGX", 0), ("USD", 2), ("UYU", 2), ("UZS", 2),
    ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0), ("WST", 2), ("XAF", 0), ("XCD", 2), ("XCG", 2),
    ("XOF", 0), ("XPF", 0), ("YER", 2), ("ZAR", 2), ("ZMW", 2), ("ZWG", 2), ("ZWL", 2),
];

/// The largest amount of money a form takes, in absolute value: fifteen nines before the
/// point keep the sum of a thousand rows far inside what a [`Decimal`] holds.
pub const MAX_MONEY: Decimal = Decimal::from_parts(0xA4C6_7FFF, 0x0003_8D7E, 0, false, 0);

/// The decimal places of `currency`'s minor unit, or `None` when it is not the ISO 4217 code
/// of a circulating currency.
pub fn minor_unit(currency: &str) -> Option<u32> {
    MINOR_UNITS.binary_search_by(|(c, _)| (*c).cmp(currency)).ok().and_then(|i| MINOR_UNITS.get(i)).map(|(_, d)| *d)
}

/// `amount` rounded half-up (away from zero at a half) to `currency`'s minor unit, with
/// exactly that many decimal places (`100` CNY → `100.00`); two places for an unknown code.
/// This is the one rounding rule of money in oa.
pub fn round_money(amount: Decimal, currency: &str) -> Decimal {
    let places = minor_unit(currency).unwrap_or(2);
    let mut rounded = amount.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(places);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// Parses a plain decimal text (`-1234.50`): an optional minus sign, digits, optionally a point
/// and more digits. No exponent, no grouping, no plus sign; surrounding spaces are ignored.
pub(crate) fn parse_plain_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    t.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn codes_are_sorted_unique_capitals() {
        assert!(MINOR_UNITS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(MINOR_UNITS.iter().all(|(c, _)| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert_eq!(minor_unit("CNY"), Some(2));
        assert_eq!(minor_unit("JPY"), Some(0));
        assert_eq!(minor_unit("KWD"), Some(3));
        assert_eq!(minor_unit("cny"), None);
        assert_eq!(minor_unit("XXX"), None);
        assert_eq!(minor_unit("ABC"), None);
        assert_eq!(minor_unit("CNYY"), None);
    }

    #[test]
    fn rounding_is_half_up_to_the_minor_unit() {
        assert_eq!(round_money(d("1.005"), "CNY").to_string(), "1.01");
        assert_eq!(round_money(d("1.004"), "CNY").to_string(), "1.00");
        assert_eq!(round_money(d("-1.005"), "CNY").to_string(), "-1.01");
        assert_eq!(round_money(d("100"), "CNY").to_string(), "100.00");
        assert_eq!(round_money(d("2.5"), "JPY").to_string(), "3");
        assert_eq!(round_money(d("1.0005"), "KWD").to_string(), "1.001");
    }

    #[test]
    fn max_money_is_fifteen_nines() {
        assert_eq!(MAX_MONEY, d("999999999999999"));
    }

    #[test]
    fn plain_decimals_only() {
        assert_eq!(parse_plain_decimal(" 12.50 "), Some(d("12.50")));
        assert_eq!(parse_plain_decimal("-3"), Some(d("-3")));
        for bad in ["", "-", "1.", ".5", "1e3", "+1", "1,000", "abc", "1.2.3", "--1", "NaN"] {
            assert_eq!(parse_plain_decimal(bad), None, "{bad}");
        }
    }
}
