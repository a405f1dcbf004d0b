//! Writing outputs: mirrored files under an output folder, and in-place
//! rewrites through a temporary file in the same folder and an atomic rename.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::InputError;

/// Writes `bytes` to `path`, creating parent folders.
///
/// # Errors
/// The path and the I/O error; when a parent folder cannot be created, the
/// error still names `path` (the document that was not written).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    // Most files go to a folder that exists already: write first, and see
    // to the folders only when that fails.
    if std::fs::write(path, bytes).is_ok() {
        return Ok(());
    }
    create_parent(path)?;
    std::fs::write(path, bytes).map_err(|e| InputError::io(path, &e))
}

/// Creates the folders above `path`.
///
/// # Errors
/// One that names `path` (the document that cannot be written) and the folder.
pub fn create_parent(path: &Path) -> Result<(), InputError> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => std::fs::create_dir_all(parent).map_err(|e| {
            let cause = InputError::io(parent, &e).message;
            let message = format!("cannot create the folder {}: {cause}", parent.display());
            InputError::new(path, message)
        }),
        None => Ok(()),
    }
}

/// Replaces the file at `path` with `bytes` atomically: a temporary file in
/// the same folder, then a rename. The file keeps its permission bits; a
/// symbolic link stays a link and its target is rewritten. With `backup`, the
/// original is kept beside it as `path` + `backup` (e.g. `.bak`).
///
/// # Errors
/// The path and the I/O error; the original is then untouched.
pub fn replace_file(path: &Path, bytes: &[u8], backup: Option<&str>) -> Result<(), InputError> {
    let target = std::fs::canonicalize(path).map_err(|e| InputError::io(path, &e))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)
        .map_err(|e| InputError::io(path, &e))?
        .permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".cruftless-")
        .tempfile_in(dir)
        .map_err(|e| InputError::io(dir, &e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| InputError::io(temp.path(), &e))?;
    std::fs::set_permissions(temp.path(), permissions)
        .map_err(|e| InputError::io(temp.path(), &e))?;
    if let Some(ext) = backup {
        let mut name = target.clone().into_os_string();
        name.push(ext);
        let backup_path = PathBuf::from(name);
        std::fs::copy(&target, &backup_path).map_err(|e| InputError::io(&backup_path, &e))?;
    }
    temp.persist(&target)
        .map_err(|e| InputError::io(&target, &e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_place_keeps_permissions_links_and_backups() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&file, &link).unwrap();

        replace_file(&link, b"new", Some(".bak")).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        assert_eq!(std::fs::read(dir.path().join("a.txt.bak")).unwrap(), b"old");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".cruftless-"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
