//! The built binary itself: its relative relocations packed (`DT_RELR`) when the build script
//! says so, so the dynamic loader's share of every start-up stays small.

/// The tags of an ELF64 little-endian file's dynamic section; `None` for anything else.
fn dynamic_tags(elf: &[u8]) -> Option<Vec<(u64, u64)>> {
    let u16_at = |at: usize| Some(u16::from_le_bytes(elf.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(elf.get(at..at + 4)?.try_into().ok()?));
    let u64_at = |at: usize| Some(u64::from_le_bytes(elf.get(at..at + 8)?.try_into().ok()?));
    if elf.get(..6)? != b"\x7fELF\x02\x01" {
        return None;
    }
    let phoff = usize::try_from(u64_at(0x20)?).ok()?;
    let (phentsize, phnum) = (usize::from(u16_at(0x36)?), usize::from(u16_at(0x38)?));
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        // PT_DYNAMIC: its entries are (tag, value) pairs up to DT_NULL.
        if u32_at(ph)? == 2 {
            let (start, size) = (u64_at(ph + 8)?, u64_at(ph + 32)?);
            let start = usize::try_from(start).ok()?;
            let mut tags = Vec::new();
            for at in (start..start + usize::try_from(size).ok()?).step_by(16) {
                let tag = u64_at(at)?;
                if tag == 0 {
                    break;
                }
                tags.push((tag, u64_at(at + 8)?));
            }
            return Some(tags);
        }
    }
    Some(Vec::new())
}

const DT_RELR: u64 = 36;
const DT_RELACOUNT: u64 = 0x6fff_fff9;

#[test]
fn relative_relocations_are_packed_when_the_build_script_says_so() {
    let decision = env!("MMJWT_RELR");
    let bin = std::fs::read(env!("CARGO_BIN_EXE_mmjwt")).unwrap();
    let Some(tags) = dynamic_tags(&bin) else {
        assert_ne!(decision, "packed", "a packed binary must be ELF64");
        eprintln!("skipped: the binary is not ELF64 little-endian ({decision})");
        return;
    };
    let relr = tags.iter().any(|&(t, _)| t == DT_RELR);
    let rela_count = tags
        .iter()
        .find(|&&(t, _)| t == DT_RELACOUNT)
        .map_or(0, |&(_, n)| n);
    if decision == "packed" {
        assert!(
            relr,
            "the build script asked for DT_RELR; the binary has none"
        );
        assert!(
            rela_count < 100,
            "{rela_count} relative relocations left unpacked"
        );
    } else {
        assert!(
            !relr,
            "DT_RELR without the build script asking ({decision})"
        );
    }
    // A native build on Linux with glibc 2.36 or newer is the case the script exists for: in
    // CI (a Debian with glibc 2.36) it must have packed.
    if std::env::var("CI").is_ok_and(|v| v == "true")
        && cfg!(all(target_os = "linux", target_env = "gnu"))
        && std::env::var_os("MMJWT_NO_RELR").is_none()
    {
        let glibc = std::process::Command::new("getconf")
            .arg("GNU_LIBC_VERSION")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        let new_enough = glibc
            .strip_prefix("glibc 2.")
            .and_then(|minor| minor.split('.').next()?.parse::<u32>().ok())
            .is_some_and(|minor| minor >= 36);
        if new_enough {
            assert_eq!(decision, "packed", "{glibc}");
        }
    }
}
