//! Helpers shared by the test crates (`tests/seeds.rs`, `tests/cli/`).

/// The bytes with every `\n` turned into `\r\n`.
pub fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 11 / 10);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}
