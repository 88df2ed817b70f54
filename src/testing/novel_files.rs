//! The shared corpus's chapter files, read for tests. Used by the rule unit
//! tests (through `crate::testing`) and by the integration tests (through
//! `tests/common`, which includes this file by path), so it depends on
//! `std` alone.

use std::path::{Path, PathBuf};

/// The `.txt` chapters of the novel in `dir`, in name order: each file's
/// name and text (unreadable files are left out; a missing folder gives
/// none).
pub fn read_novel(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), text))
        })
        .collect()
}
