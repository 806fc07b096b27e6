//! Build script: packs the binary's relative relocations (`DT_RELR`) where the C library that
//! loads it understands them.
//!
//! Without LTO (the `release` profile's choice, for a short install) the binary holds about
//! 12,000 relative relocations, and the dynamic loader applies each of them, 24 bytes apiece,
//! before `main` runs: about 6 % of a `check`'s or a `gen`'s instructions. Packed, they are a
//! few kilobytes of bitmaps applied in a fraction of the time, and the file is smaller.
//!
//! glibc reads `DT_RELR` from 2.36 on, and a binary linked this way asks for it by version, so
//! an older glibc would refuse to start it: the flag is given only for a build on Linux with
//! glibc for the machine it runs on (host = target) whose glibc is 2.36 or newer, the usual
//! case of a source install. A linker too old to know the flag warns and ignores it.
//! `MMJWT_NO_RELR=1` leaves it out (for binaries meant for other, older machines).

use std::env;
use std::process::Command;

/// The first glibc that applies `DT_RELR`.
const GLIBC_WITH_RELR: (u32, u32) = (2, 36);

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=MMJWT_NO_RELR");
    let decision = decide();
    if decision == "packed" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    // For the test that reads the built binary (tests/it/binary.rs).
    println!("cargo:rustc-env=MMJWT_RELR={decision}");
}

/// `packed`, or why not.
fn decide() -> &'static str {
    if env::var_os("MMJWT_NO_RELR").is_some_and(|v| !v.is_empty() && v != "0") {
        return "not packed: MMJWT_NO_RELR is set";
    }
    let target = env::var("TARGET").unwrap_or_default();
    let host = env::var("HOST").unwrap_or_default();
    if target != host || !target.ends_with("-linux-gnu") {
        return "not packed: not a native build on Linux with glibc";
    }
    match glibc_version() {
        Some(v) if v >= GLIBC_WITH_RELR => "packed",
        Some(_) => "not packed: glibc is older than 2.36",
        None => "not packed: the glibc version is unknown",
    }
}

/// This machine's glibc version, as `getconf` reports it ("glibc 2.36"); `None` when it
/// cannot be told.
fn glibc_version() -> Option<(u32, u32)> {
    let out = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    parse_version(std::str::from_utf8(&out.stdout).ok()?)
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    let version = text.trim().strip_prefix("glibc ")?;
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}
