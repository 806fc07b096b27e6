//! The `--state` file: loaded at start (an unreadable or inconsistent file is an error, never
//! silently replaced) and rewritten after every change so that a kill at any moment leaves
//! either the old or the new file, never a mix: write a sibling temporary file, fsync it,
//! rename it over the state file, fsync the directory.
//!
//! A sidecar `<state>.lock` file, locked for as long as the sandbox runs, keeps two sandboxes
//! from writing one state file (the rename replaces the state file's inode, so the lock cannot
//! live on the state file itself).

use super::person::StateDoc;
use super::store::Store;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// An open, locked state file.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    tmp: PathBuf,
    /// Held for its lock; released when dropped.
    _lock: File,
}

impl StateFile {
    /// Locks `path` for this process and loads it; a missing file starts an empty store and
    /// is written at once (so an unwritable location fails now, not at the first change).
    pub fn open(path: &Path, strict: bool) -> anyhow::Result<(StateFile, Store)> {
        let shown = path.display();
        let lock_path = sibling(path, ".lock");
        let lock = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| {
                anyhow::anyhow!("cannot open the lock file {}: {}", lock_path.display(), e)
            })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                anyhow::bail!("state file {shown} is in use by another running sandbox");
            }
            Err(std::fs::TryLockError::Error(e)) => {
                anyhow::bail!("cannot lock {}: {}", lock_path.display(), e);
            }
        }
        let file = StateFile {
            path: path.to_path_buf(),
            tmp: sibling(path, ".tmp"),
            _lock: lock,
        };
        let store = match std::fs::read(path) {
            Ok(bytes) => parse(&bytes, strict)
                .map_err(|e| anyhow::anyhow!("state file {shown} is not usable: {e}"))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let store = Store::new(strict);
                file.save(&store)?;
                store
            }
            Err(e) => anyhow::bail!("cannot read state file {shown}: {e}"),
        };
        Ok((file, store))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the whole store, durably and atomically.
    pub fn save(&self, store: &Store) -> anyhow::Result<()> {
        let mut bytes = serde_json::to_vec(&store.to_doc())?;
        bytes.push(b'\n');
        let fail = |what: &str, e: &std::io::Error| {
            anyhow::anyhow!("cannot {what} state file {}: {}", self.path.display(), e)
        };
        let mut f = private_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&self.tmp)
            .map_err(|e| fail("write the temporary copy of the", &e))?;
        f.write_all(&bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| fail("write the temporary copy of the", &e))?;
        drop(f);
        std::fs::rename(&self.tmp, &self.path).map_err(|e| fail("replace the", &e))?;
        sync_dir(&self.path).map_err(|e| fail("sync the directory of the", &e))?;
        Ok(())
    }
}

/// Parses a state file's bytes.
pub(crate) fn parse(bytes: &[u8], strict: bool) -> Result<Store, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("it is empty (delete it to start afresh)".into());
    }
    let doc: StateDoc = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Store::from_doc(doc, strict)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Files that hold personal test data are readable by their owner only.
fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o
}

/// After a rename the directory entry itself must reach the disk too.
fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::store::Access;

    #[test]
    fn saves_loads_and_refuses_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        {
            let (file, mut store) = StateFile::open(&path, false).unwrap();
            assert!(path.exists(), "a missing file is created at start");
            store.fetch("r1", &Access::default(), false).unwrap();
            file.save(&store).unwrap();
            // A second sandbox on the same file is refused while the first runs.
            let e = StateFile::open(&path, false).unwrap_err().to_string();
            assert!(e.contains("in use"), "{e}");
        }
        let (file, store) = StateFile::open(&path, false).unwrap();
        assert!(store.has_installation("r1"));
        drop(file);

        for (bytes, want) in [
            (&b""[..], "empty"),
            (b"{\"format\":1}", "invalid type"),
            (b"not json", "expected"),
        ] {
            std::fs::write(&path, bytes).unwrap();
            let e = StateFile::open(&path, false).unwrap_err().to_string();
            assert!(e.contains("is not usable") && e.contains(want), "{e}");
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "never replaced");
        }
    }
}
