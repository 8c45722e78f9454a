//! The expiry date (`notAfter`) of a PEM X.509 certificate, as IAM returns a
//! signing certificate's body.
//!
//! A minimal DER walk, not a certificate validator: Certificate → tbsCertificate
//! → (version, serialNumber, signature, issuer) → validity → notAfter, which is
//! a UTCTime (`YYMMDDHHMMSSZ`) or a GeneralizedTime (`YYYYMMDDHHMMSSZ`).
//! Anything unexpected gives `None`: the expiry is then unknown, never guessed.

use base64::Engine as _;
use jiff::Timestamp;

const SEQUENCE: u8 = 0x30;
const VERSION: u8 = 0xa0;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

/// `notAfter` of the first certificate in `pem`.
pub fn not_after(pem: &str) -> Option<Timestamp> {
    let der = decode_pem(pem)?;
    let (certificate, _) = expect(&der, SEQUENCE)?;
    let (mut tbs, _) = expect(certificate, SEQUENCE)?;
    if tbs.first() == Some(&VERSION) {
        tbs = skip(tbs)?;
    }
    let after_issuer = skip(skip(skip(tbs)?)?)?; // serialNumber, signature, issuer
    let (validity, _) = expect(after_issuer, SEQUENCE)?;
    let (tag, value, _) = tlv(skip(validity)?)?; // past notBefore
    time(tag, value)
}

/// The DER bytes of the first `CERTIFICATE` block.
fn decode_pem(pem: &str) -> Option<Vec<u8>> {
    let body = pem.split("-----BEGIN CERTIFICATE-----").nth(1)?;
    let body = body.split("-----END CERTIFICATE-----").next()?;
    let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// `(tag, value, rest)` of the element at the start of `data`.
fn tlv(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *data.first()?;
    let first = *data.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = data.get(2..2 + n)?;
        (
            bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b)),
            2 + n,
        )
    };
    let end = header.checked_add(len)?;
    Some((tag, data.get(header..end)?, data.get(end..)?))
}

/// The value and the rest, when the element has tag `want`.
fn expect(data: &[u8], want: u8) -> Option<(&[u8], &[u8])> {
    let (tag, value, rest) = tlv(data)?;
    (tag == want).then_some((value, rest))
}

/// What follows the element at the start of `data`.
fn skip(data: &[u8]) -> Option<&[u8]> {
    tlv(data).map(|(_, _, rest)| rest)
}

fn time(tag: u8, value: &[u8]) -> Option<Timestamp> {
    let text = std::str::from_utf8(value).ok()?.strip_suffix('Z')?;
    let (year, rest) = match tag {
        UTC_TIME => {
            let yy: i16 = text.get(..2)?.parse().ok()?;
            // RFC 5280: 50-99 are 19xx, 00-49 are 20xx.
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, text.get(2..)?)
        }
        GENERALIZED_TIME => (text.get(..4)?.parse().ok()?, text.get(4..)?),
        _ => return None,
    };
    if rest.len() != 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    format!(
        "{year:04}-{}-{}T{}:{}:{}Z",
        &rest[..2],
        &rest[2..4],
        &rest[4..6],
        &rest[6..8],
        &rest[8..]
    )
    .parse()
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTC_2012: &str = include_str!("../../../../fixtures/aws/certificates/utc-time-2012.pem");
    const GENERALIZED_2051: &str =
        include_str!("../../../../fixtures/aws/certificates/generalized-time-2051.pem");

    #[test]
    fn reads_utc_time() {
        assert_eq!(
            not_after(UTC_2012),
            Some("2012-05-08T01:02:03Z".parse().unwrap())
        );
    }

    #[test]
    fn reads_generalized_time_after_2049() {
        assert_eq!(
            not_after(GENERALIZED_2051),
            Some("2051-02-03T04:05:06Z".parse().unwrap())
        );
    }

    #[test]
    fn garbage_and_truncation_give_none() {
        assert_eq!(not_after("not a certificate"), None);
        assert_eq!(
            not_after("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----"),
            None
        );
        // Every truncation of the DER either parses the same or gives None; never panics.
        let der = decode_pem(UTC_2012).unwrap();
        let engine = base64::engine::general_purpose::STANDARD;
        for cut in 0..der.len() {
            let pem = format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----",
                engine.encode(&der[..cut])
            );
            assert_eq!(not_after(&pem), None, "cut at {cut}");
        }
    }
}
