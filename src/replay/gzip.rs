//! Decoding a gzip answer (RFC 1952): the Android wire asks for one (`Accept-Encoding: gzip`,
//! as OkHttp adds it) and OkHttp inflates it before the SDK reads it. Pure; the inflating itself
//! is miniz_oxide's.

/// The member's decoded bytes, or why they cannot be had. `limit` caps the decoded size.
pub(crate) fn decode(bytes: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    let short = || "the gzip body is cut short".to_string();
    if bytes.len() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Err("the body is not gzip data".into());
    }
    if bytes[2] != 8 {
        return Err(format!(
            "the gzip body uses compression method {}, not deflate",
            bytes[2]
        ));
    }
    let flags = bytes[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = usize::from(u16::from_le_bytes([
            *bytes.get(at).ok_or_else(short)?,
            *bytes.get(at + 1).ok_or_else(short)?,
        ]));
        at += 2 + len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = bytes
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
                .ok_or_else(short)?;
            at += end + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let body = bytes
        .get(at..bytes.len().saturating_sub(8))
        .ok_or_else(short)?;
    let out = miniz_oxide::inflate::decompress_to_vec_with_limit(body, limit)
        .map_err(|e| format!("the gzip body does not inflate ({:?})", e.status))?;
    let trailer = &bytes[bytes.len() - 8..];
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc32(&out) != crc || out.len() as u32 != size {
        return Err("the gzip body fails its CRC-32 or length check".into());
    }
    Ok(out)
}

/// CRC-32 (IEEE, reflected), bit by bit: answers are small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `printf '{"a":1}' | gzip -n`.
    const SAMPLE: [u8; 27] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56, 0x4a, 0x54, 0xb2,
        0x32, 0xac, 0x05, 0x00, 0xaf, 0xac, 0x1b, 0x56, 0x07, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn decodes_gzip_and_checks_it() {
        assert_eq!(decode(&SAMPLE, 1 << 20).unwrap(), br#"{"a":1}"#);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let mut bad = SAMPLE;
        bad[20] ^= 1;
        assert!(decode(&bad, 1 << 20).is_err());
        assert!(decode(b"{\"a\":1}", 1 << 20).is_err());
        assert!(decode(&SAMPLE[..15], 1 << 20).is_err());
        assert!(decode(&SAMPLE, 3).is_err());
    }
}
