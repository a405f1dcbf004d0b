//! Finding and reading rule packs: the built-in packs compiled into the
//! binary, `--rules` files and folders, and the project's own
//! `cruftless.toml` or `.cruftless/` found in the current folder or a parent.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::RuleError;

/// The built-in packs, compiled in from the repository's `rules/` folder, in load order.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "rules/web-common.toml",
        include_str!("../../rules/web-common.toml"),
    ),
    ("rules/dedupe.toml", include_str!("../../rules/dedupe.toml")),
    (
        "rules/structure.toml",
        include_str!("../../rules/structure.toml"),
    ),
];

/// The pack that `clean --repeated` adds: one `repeated` rule with the
/// recommended thresholds. Not a built-in: it needs a counting pass first.
pub const REPEATED_PACK: (&str, &str) = (
    "rules/repeated.toml",
    include_str!("../../rules/repeated.toml"),
);

/// The project config file looked for in the current folder and its parents.
pub const CONFIG_FILE: &str = "cruftless.toml";
/// The project config folder looked for in the current folder and its parents.
pub const CONFIG_DIR: &str = ".cruftless";

/// The text of one pack file and the name it is shown under.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as shown in messages.
    pub file: Arc<str>,
    /// Its TOML text.
    pub text: String,
}

impl Source {
    /// A source from a name and its text.
    pub fn new(file: impl Into<Arc<str>>, text: String) -> Source {
        Source {
            file: file.into(),
            text,
        }
    }

    /// True when the text is a built-in pack's, byte for byte. The
    /// regexes of such a pack are compiled when first needed: the test
    /// suite compiles each of them, so none can fail there. Any other
    /// pack's are compiled at load, where a regex over the size limit is
    /// an error at its location.
    pub(crate) fn is_built_in(&self) -> bool {
        BUILTIN_PACKS.iter().any(|(_, text)| *text == self.text)
    }
}

/// Which packs to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Load the built-in packs first.
    pub builtin: bool,
    /// Extra pack files or folders of `*.toml` packs, in order.
    pub paths: Vec<PathBuf>,
    /// Look for `cruftless.toml` or `.cruftless/` from this folder upwards.
    pub discover_from: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            builtin: true,
            paths: Vec::new(),
            discover_from: None,
        }
    }
}

impl LoadOptions {
    /// Reads every selected pack: built-ins, then discovered project packs, then `paths`.
    ///
    /// # Errors
    /// One [`RuleError`] per file or folder that cannot be read.
    pub fn sources(&self) -> Result<Vec<Source>, Vec<RuleError>> {
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        if self.builtin {
            sources.extend(builtin_sources());
        }
        let mut files = Vec::new();
        if let Some(dir) = &self.discover_from {
            files.extend(discover(dir));
        }
        for path in &self.paths {
            match pack_files(path) {
                Ok(found) => files.extend(found),
                Err(err) => errors.push(err),
            }
        }
        for file in files {
            let shown: Arc<str> = Arc::from(file.display().to_string());
            match std::fs::read_to_string(&file) {
                Ok(text) => sources.push(Source::new(shown, text)),
                Err(err) => errors.push(RuleError::in_file(
                    &shown,
                    format!("cannot read rule file: {err}"),
                )),
            }
        }
        if errors.is_empty() {
            Ok(sources)
        } else {
            Err(errors)
        }
    }
}

/// The built-in packs as sources.
pub fn builtin_sources() -> impl Iterator<Item = Source> {
    BUILTIN_PACKS
        .iter()
        .map(|(file, text)| Source::new(*file, text.to_string()))
}

/// A pack file, or the `*.toml` files of a folder in name order.
fn pack_files(path: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let shown: Arc<str> = Arc::from(path.display().to_string());
    let meta = std::fs::metadata(path)
        .map_err(|err| RuleError::in_file(&shown, format!("cannot read rules: {err}")))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|err| RuleError::in_file(&shown, format!("cannot list rule folder: {err}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// The nearest `cruftless.toml` or `.cruftless/*.toml` from `start` upwards;
/// the first folder that has either wins, and a file there comes before the folder's packs.
fn discover(start: &Path) -> Vec<PathBuf> {
    for dir in start.ancestors() {
        let file = dir.join(CONFIG_FILE);
        let folder = dir.join(CONFIG_DIR);
        let mut found = Vec::new();
        if file.is_file() {
            found.push(file);
        }
        if folder.is_dir() {
            found.extend(pack_files(&folder).unwrap_or_default());
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_walks_up_and_stops_at_the_first_project() {
        let root = tempfile::tempdir().unwrap();
        let inner = root.path().join("a/b");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(root.path().join(CONFIG_FILE), "").unwrap();
        std::fs::create_dir_all(root.path().join("a").join(CONFIG_DIR)).unwrap();
        std::fs::write(root.path().join("a").join(CONFIG_DIR).join("x.toml"), "").unwrap();
        std::fs::write(root.path().join("a").join(CONFIG_DIR).join("notes.txt"), "").unwrap();
        let found = discover(&inner);
        assert_eq!(found, vec![root.path().join("a/.cruftless/x.toml")]);
        assert_eq!(discover(root.path()), vec![root.path().join(CONFIG_FILE)]);
    }

    #[test]
    fn only_an_unchanged_built_in_pack_counts_as_built_in() {
        let built_in = builtin_sources().next().unwrap();
        assert!(built_in.is_built_in());
        let edited = Source::new(built_in.file.clone(), built_in.text.replace('"', "'"));
        assert!(!edited.is_built_in());
        assert!(!Source::new("rules/web-common.toml", String::new()).is_built_in());
    }

    #[test]
    fn a_missing_rules_path_is_an_error_naming_it() {
        let options = LoadOptions {
            builtin: false,
            paths: vec![PathBuf::from("/nonexistent/rules.toml")],
            discover_from: None,
        };
        let errors = options.sources().unwrap_err();
        assert!(errors[0]
            .to_string()
            .starts_with("/nonexistent/rules.toml: cannot read rules"));
    }
}
