//! What the checks are built from: the models, the lexicon, the glossary and the term base of
//! one run, loaded once and handed to every check at construction (see
//! `checks::Configurable::build`), so that no check reaches for a file or a global itself.
//! A new resource is one field here and one line in `load`.

use crate::checks::glossary::{self, Glossary};
use crate::input::termbase::TermBase;
use crate::lexicon::Lexicon;
use crate::model::Model;
use crate::pairs::PairCounts;
use std::path::PathBuf;
use std::sync::Arc;

/// The resources of one run. Cloning is cheap (everything is shared).
#[derive(Clone)]
pub struct Resources {
    /// The embedded English n-gram model.
    pub model: &'static Model,
    /// The embedded lexicon: parts of speech, inflections, synonyms, spelling neighbours.
    pub lexicon: &'static Lexicon,
    /// Word-pair counts of technical English, a second source of pair evidence.
    pub technical: &'static PairCounts,
    /// A content team's own model (`--model`, `model = …`): pairs it attests are house style.
    pub house: Option<Arc<Model>>,
    /// The bundled glossary with the user's glossaries (`--glossary`, `glossaries = […]`).
    pub glossary: Glossary,
    /// The term base of the terminology check (`--termbase`, `termbase = …`); empty without one.
    pub termbase: Arc<TermBase>,
}

/// The files a run's resources are read from (each already resolved against the folder of
/// the config file that named it).
#[derive(Debug, Clone, Default)]
pub struct ResourceFiles {
    pub glossaries: Vec<PathBuf>,
    pub house_model: Option<PathBuf>,
    pub termbase: Option<PathBuf>,
}

impl Default for Resources {
    /// The embedded resources alone: no house model, no user glossary, no term base.
    fn default() -> Self {
        Resources {
            model: Model::embedded(),
            lexicon: Lexicon::embedded(),
            technical: PairCounts::embedded(),
            house: None,
            glossary: Glossary::bundled(),
            termbase: Arc::default(),
        }
    }
}

impl Resources {
    /// The embedded resources with the user's files added; an error names the file that
    /// could not be read (and the line, for a glossary or term base).
    pub fn load(files: &ResourceFiles) -> Result<Resources, String> {
        let mut resources = Resources::default();
        let mut extra = Vec::new();
        for path in &files.glossaries {
            extra.extend(glossary::load_user_glossary(path).map_err(|e| e.to_string())?);
        }
        if !extra.is_empty() {
            resources.glossary = resources.glossary.with_entries(extra);
        }
        if let Some(path) = &files.house_model {
            resources.house = Some(Arc::new(Model::open(path).map_err(|e| e.to_string())?));
        }
        if let Some(path) = &files.termbase {
            resources.termbase = Arc::new(TermBase::load(path)?);
        }
        Ok(resources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let files = ResourceFiles {
            termbase: Some(PathBuf::from("no/such/terms.tsv")),
            ..ResourceFiles::default()
        };
        let err = Resources::load(&files).err().expect("an error");
        assert!(err.contains("no/such/terms.tsv"), "{err}");
    }

    #[test]
    fn user_glossaries_extend_the_bundled_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("house.tsv");
        std::fs::write(
            &path,
            "bad\tgood\tcategory\nflurble widget\twidget\tstyle\n",
        )
        .unwrap();
        let files = ResourceFiles {
            glossaries: vec![path],
            ..ResourceFiles::default()
        };
        let loaded = Resources::load(&files).unwrap();
        assert_eq!(loaded.glossary.len(), Glossary::bundled().len() + 1);
    }
}
