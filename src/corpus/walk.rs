//! Walking inputs into a sorted list of documents.
//!
//! Folders are walked recursively with the `ignore` crate (ignore files
//! honoured unless `no_ignore`, hidden files skipped unless `hidden`,
//! `--glob` overrides), in file-name order, so every run sees the documents
//! in the same order whatever the thread count.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use super::InputError;

/// How folders are walked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Globs to include (`*.txt`) or exclude (`!*.html`), as in ripgrep.
    pub globs: Vec<String>,
    /// Do not honour `.gitignore`, `.ignore` and similar files.
    pub no_ignore: bool,
    /// Walk hidden files and folders too.
    pub hidden: bool,
}

/// One document to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where to read it (`-` is standard input).
    pub path: PathBuf,
    /// Its path relative to the input it came from (a file input: the path as given);
    /// this is what pack `paths` globs match.
    pub rel: PathBuf,
    /// Where it goes under an output folder.
    pub out_rel: PathBuf,
}

impl Entry {
    /// True for standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// Walks `inputs` (files, folders or `-`) into entries, in input order and
/// file-name order within each folder; problems met on the way are returned beside them.
pub fn walk(inputs: &[PathBuf], options: &WalkOptions) -> (Vec<Entry>, Vec<InputError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let several = inputs.len() > 1;
    for input in inputs {
        if input.as_os_str() == "-" {
            entries.push(Entry {
                path: input.clone(),
                rel: input.clone(),
                out_rel: input.clone(),
            });
            continue;
        }
        let prefix = if several {
            input.file_name().map(PathBuf::from).unwrap_or_default()
        } else {
            PathBuf::new()
        };
        match std::fs::metadata(input) {
            Err(err) => errors.push(InputError::io(input, &err)),
            Ok(meta) if !meta.is_dir() => entries.push(Entry {
                path: input.clone(),
                rel: input.clone(),
                out_rel: if several {
                    prefix
                } else {
                    input.file_name().map(PathBuf::from).unwrap_or_default()
                },
            }),
            Ok(_) => walk_dir(input, &prefix, options, &mut entries, &mut errors),
        }
    }
    (entries, errors)
}

fn walk_dir(
    root: &Path,
    prefix: &Path,
    options: &WalkOptions,
    entries: &mut Vec<Entry>,
    errors: &mut Vec<InputError>,
) {
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(!options.no_ignore)
        .hidden(!options.hidden)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    if !options.globs.is_empty() {
        let mut overrides = OverrideBuilder::new(root);
        for glob in &options.globs {
            if let Err(err) = overrides.add(glob) {
                errors.push(InputError::new(
                    Path::new(glob),
                    format!("bad --glob: {err}"),
                ));
                return;
            }
        }
        match overrides.build() {
            Ok(o) => {
                builder.overrides(o);
            }
            Err(err) => {
                errors.push(InputError::new(root, format!("bad --glob: {err}")));
                return;
            }
        }
    }
    for result in builder.build() {
        match result {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.into_path();
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                entries.push(Entry {
                    out_rel: prefix.join(&rel),
                    rel,
                    path,
                });
            }
            Err(err) => errors.push(walk_error(root, err)),
        }
    }
}

fn walk_error(root: &Path, err: ignore::Error) -> InputError {
    let mut path = root.to_path_buf();
    let mut current = &err;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path = p.clone();
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err
            }
            ignore::Error::Loop { child, .. } => {
                return InputError::new(child, "symbolic link loop: skipped".to_string())
            }
            ignore::Error::Io(io) => return InputError::io(&path, io),
            other => return InputError::new(&path, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_mirrored() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b/2.txt", "a/1.txt", "a/0.txt", ".hidden/x.txt", "c.html"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let options = WalkOptions {
            globs: vec!["*.txt".into()],
            ..WalkOptions::default()
        };
        let (entries, errors) = walk(&[dir.path().to_path_buf()], &options);
        assert!(errors.is_empty());
        let rels: Vec<_> = entries
            .iter()
            .map(|e| e.out_rel.to_str().unwrap())
            .collect();
        assert_eq!(rels, ["a/0.txt", "a/1.txt", "b/2.txt"]);

        let (entries, _) = walk(&[dir.path().join("a"), dir.path().join("b")], &options);
        let rels: Vec<_> = entries
            .iter()
            .map(|e| e.out_rel.to_str().unwrap())
            .collect();
        assert_eq!(rels, ["a/0.txt", "a/1.txt", "b/2.txt"]);
    }

    #[test]
    fn a_missing_input_is_an_error_naming_it() {
        let (entries, errors) = walk(&[PathBuf::from("/no/such/dir")], &WalkOptions::default());
        assert!(entries.is_empty());
        assert!(errors[0].to_string().starts_with("/no/such/dir: "));
    }
}
