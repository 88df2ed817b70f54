//! Zip bombs in `.docx` chapters, in a test binary of their own: the
//! peak memory `wait4` reports for a child counts the memory of the process
//! that started it (Linux records the parent's high-water mark at `exec`),
//! and the other tests of `tests/docx.rs`, run beside this one in one
//! process, build documents of many megabytes.

use std::fs;

use tempfile::TempDir;

mod common;
use common::{measure, package_with, unwrapped};

const DOUBLED: &[u8] = b"Chapter 2\n\nShe opened the\nthe door.\n";

/// A temporary manuscript folder (a fake repository root, so no config
/// above it is found) holding the given files.
fn book(files: &[(&str, &[u8])]) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("fake repo root stops config search");
    for (name, content) in files {
        fs::write(dir.path().join(name), content).expect("write file");
    }
    dir
}

/// A package whose document unpacks to `mib` MiB of spaces (in 1 MiB
/// writes, so the test itself never holds it).
fn bomb(mib: usize) -> Vec<u8> {
    let chunk = vec![b' '; 1 << 20];
    package_with(|w| (0..mib).try_for_each(|_| w.write_all(&chunk)))
}

/// `archive` with the unpacked size of `word/document.xml` rewritten to
/// `size` in its local header and the central directory: a zip bomb whose
/// header lies.
fn lying_size(mut archive: Vec<u8>, size: u32) -> Vec<u8> {
    let name = b"word/document.xml";
    // (signature, offset of the uncompressed size, offset of the name)
    for (signature, size_at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let at = (0..archive.len() - name_at - name.len())
            .find(|&i| {
                &archive[i..i + 4] == signature
                    && &archive[i + name_at..i + name_at + name.len()] == name
            })
            .expect("header of word/document.xml");
        archive[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
    }
    archive
}

/// Zip bombs: a part whose declared size is over the limit is refused
/// before anything is unpacked; one whose header lies is cut off at the
/// limit while unpacking. Both are errors naming the part, exit 2, and
/// the run's memory stays near the limit (`max-file-size-mb = 8`: parts
/// of at most 4 MiB), not the 512 MiB the archive unpacks to.
#[cfg(target_os = "linux")]
#[test]
fn zip_bombs_are_refused_with_bounded_memory() {
    let bomb = bomb(512);
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let liar = lying_size(bomb.clone(), 1_000);
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("declared.docx", &bomb),
        ("liar.docx", &liar),
        ("manulint.toml", b"[manuscript]\nmax-file-size-mb = 8\n"),
    ]);
    drop((bomb, liar));
    let usage = measure(
        dir.path(),
        &["check", ".", "--format", "short", "--color", "never"],
    );
    let (code, rss_kib, stderr) = (usage.code, usage.max_rss_kib, usage.stderr);
    assert_eq!(code, 2, "{stderr}");
    let stderr = unwrapped(&stderr);
    assert!(
        stderr.contains(
            "declared.docx: word/document.xml would unpack to 512 MB, more than the 4 MB \
             manulint reads (a damaged file or a zip bomb)"
        ) && stderr.contains("raise `max-file-size-mb` in [manuscript] of manulint.toml"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "liar.docx: the document is damaged (its zip archive cannot be read: \
             word/document.xml: File is larger than its declared uncompressed size)"
        ),
        "{stderr}"
    );
    assert!(rss_kib < 100 * 1024, "peak RSS {rss_kib} KiB");
}
