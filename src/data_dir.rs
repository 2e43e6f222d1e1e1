//! Loading the classifier's data: the bundled copy, or a `data/` directory a person has edited.

use anyhow::{Context, Result};
use outcry_analyze::catalog::Catalog;
use outcry_analyze::classify::Classifier;
use outcry_analyze::data::DataFile;
use std::path::{Path, PathBuf};

/// The classifier from `dir` when given (every `.toml` and `.tsv` file under it), otherwise the
/// bundled data. Errors name the file and line.
pub fn load_classifier(dir: Option<&Path>) -> Result<Classifier> {
    let Some(dir) = dir else {
        return Ok(Classifier::builtin());
    };
    let mut paths = Vec::new();
    collect(dir, &mut paths)
        .with_context(|| format!("cannot read the data directory {}", dir.display()))?;
    paths.sort();
    let mut texts = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        // Names relative to the parent of `dir`, so they read like `data/lexicon/en.toml`.
        let base = dir.parent().unwrap_or(dir);
        let name = path
            .strip_prefix(base)
            .unwrap_or(path)
            .display()
            .to_string();
        texts.push((name, text));
    }
    let files: Vec<DataFile<'_>> = texts
        .iter()
        .map(|(name, text)| DataFile { name, text })
        .collect();
    Classifier::from_files(&files).map_err(|e| anyhow::anyhow!("invalid data file: {e}"))
}

/// The platform catalog alone, from `dir/platforms.toml` or the bundled copy: what reports
/// need to name platforms and providers, without building the whole classifier.
pub fn load_catalog(dir: Option<&Path>) -> Result<Catalog> {
    let Some(dir) = dir else {
        return Catalog::builtin().map_err(|e| anyhow::anyhow!("invalid bundled data file: {e}"));
    };
    let path = dir.join("platforms.toml");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (the data directory must hold the platform catalog)",
            path.display()
        )
    })?;
    let base = dir.parent().unwrap_or(dir);
    let name = path
        .strip_prefix(base)
        .unwrap_or(&path)
        .display()
        .to_string();
    Catalog::from_file(&DataFile {
        name: &name,
        text: &text,
    })
    .map_err(|e| anyhow::anyhow!("invalid data file: {e}"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "tsv")
        ) {
            out.push(path);
        }
    }
    Ok(())
}
