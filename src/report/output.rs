//! `--output FILE`: a report written to a file atomically, so a reader (or
//! a browser reloading the page) never sees half a report, and a failed run
//! leaves the previous report in place.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::load::LoadOptions;
use crate::text::Manuscript;

/// Writes what `write` produces to `path`: into a temporary file in the
/// same folder, flushed and synced, then renamed over `path`. The new file
/// keeps the permissions of the file it replaces (a new one gets 0644 on
/// Unix). On any error the temporary file is removed and `path` is
/// untouched.
///
/// Errors, each said of `path` (never of the temporary file): `path` is a
/// folder (`IsADirectory`), its folder does not exist (`NotFound`) or is
/// not writable, the disk is full, or `write` fails.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        ));
    }
    if !folder.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("folder {} does not exist", folder.display()),
        ));
    }
    // `tempfile` names its file in the error ("… at path <temporary file>").
    let temp = tempfile::Builder::new()
        .prefix(".manulint-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| {
            let reason = e.to_string();
            let reason = reason.split(" at path ").next().unwrap_or_default();
            io::Error::new(e.kind(), reason.to_string())
        })?;
    let mut buffered = BufWriter::new(temp);
    write(&mut buffered)?;
    let temp = buffered.into_inner().map_err(|e| e.into_error())?;
    temp.as_file().sync_all()?;
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// True when `path` is one of the manuscript's chapter files: writing a
/// report there would destroy the chapter.
pub fn is_chapter(path: &Path, manuscript: &Manuscript) -> bool {
    let Ok(target) = std::fs::canonicalize(path) else {
        // A file that does not exist yet is no chapter.
        return false;
    };
    manuscript
        .chapters
        .iter()
        .any(|c| std::fs::canonicalize(&c.path).is_ok_and(|p| p == target))
}

/// Whether a report written to `path` would be read as a chapter by the
/// next check of the book: a chapter file's name, kept by `include` and
/// `exclude`, in one of its `folders` (at any depth; see [`book_folders`]).
/// `-o findings.txt` in the book's folder made the next run report on its
/// own report.
pub fn becomes_a_chapter(path: &Path, folders: &[PathBuf], options: &LoadOptions) -> bool {
    let Ok(target) = std::fs::canonicalize(path) else {
        return false;
    };
    options.would_collect(&target)
        && folders
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .any(|folder| target.starts_with(folder))
}

/// The folders a check of the book reads chapters from, for
/// [`becomes_a_chapter`]: the folders `checked`, the folder of each file
/// checked (a pre-commit hook or an editor task names one chapter, and its
/// neighbours are the book's too) and the config's folder (`root`), whose
/// walk a check with no paths makes.
pub fn book_folders(checked: &[PathBuf], root: Option<&Path>) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = checked
        .iter()
        .filter_map(|p| {
            if p.is_dir() {
                Some(p.clone())
            } else if p.is_file() {
                let parent = p.parent()?;
                Some(if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                })
            } else {
                None
            }
        })
        .collect();
    folders.extend(root.map(Path::to_path_buf));
    folders
}

/// Why `path` must not be replaced by an output of the run (the report,
/// the diff, the baseline), or `None`: it is a chapter of `manuscript`, or
/// a file on disk that a check of the book (its `folders`, see
/// [`book_folders`]) reads as a chapter. A run that named one chapter
/// wrote `-o ch01.docx` over its neighbour, and `--write-baseline` over a
/// chapter of the book it checked.
pub fn replaces_a_chapter(
    path: &Path,
    manuscript: &Manuscript,
    folders: &[PathBuf],
    options: &LoadOptions,
) -> Option<&'static str> {
    if is_chapter(path, manuscript) {
        Some("is a chapter of the manuscript")
    } else if path.is_file() && becomes_a_chapter(path, folders, options) {
        Some("is a chapter file of the book")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, |out: &mut dyn Write| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically(&path, |out: &mut dyn Write| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(result.unwrap_err().to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_or_a_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/report.html");
        assert!(write_atomically(&missing, |_: &mut dyn Write| Ok(())).is_err());
        let err = write_atomically(dir.path(), |_: &mut dyn Write| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "it is a folder");
    }
}
