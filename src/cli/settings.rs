//! The flags every auditing subcommand shares, and one auditor per config file in force.

use super::AuditOptions;
use crate::audit::Auditor;
use crate::baseline::Baseline;
use crate::config::{Discovery, Overrides, Settings};
use crate::finding::Severity;
use clap::Args;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the settings come from: config files, glossaries, what to report.
#[derive(Args, Debug, Clone, Default)]
pub struct SettingsArgs {
    /// Use this config file for every input instead of the nearest mtaudit.toml or
    /// .mtaudit.toml (also: the MTAUDIT_CONFIG variable).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Add a glossary of bad → good phrases (TSV) to the bundled one (repeatable).
    #[arg(long, value_name = "FILE")]
    pub glossary: Vec<PathBuf>,
    /// A house model (`mtaudit model build`): word pairs it attests are never flagged by the
    /// context check.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Term base for the `terminology` check: TSV (source_term, required_target,
    /// forbidden|…) or TBX.
    #[arg(long, value_name = "FILE")]
    pub termbase: Option<PathBuf>,
    /// Run only this rule (repeatable), e.g. `--rule context`.
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<String>,
    /// Report inline suppressions that silenced nothing (as findings of rule unused-suppression).
    #[arg(long)]
    pub report_unused_suppressions: bool,
    /// The deep tier: a small neural language model (SmolLM2-135M, from `mtaudit lm fetch`)
    /// judges word choices with the whole sentence in view. Slower; also `deep = true`.
    #[arg(long, hide = !cfg!(feature = "deep"))]
    pub deep: bool,
    /// The deep tier's model file (GGUF, llama architecture) instead of the reference model.
    #[arg(long, value_name = "FILE.gguf", hide = !cfg!(feature = "deep"))]
    pub lm: Option<PathBuf>,
    /// Candidate rewrites the deep tier rescores per sentence at most [default: 8].
    #[arg(long, value_name = "N", hide = !cfg!(feature = "deep"))]
    pub deep_budget: Option<usize>,
    #[command(flatten)]
    pub audit: AuditOptions,
}

/// The pass/fail gate of `check` (and `config`).
#[derive(Args, Debug, Clone, Default)]
pub struct GateArgs {
    /// A document fails when its score (0–100) is below this [default: 90].
    #[arg(long, value_name = "N", value_parser = super::score)]
    pub min_score: Option<f64>,
    /// A document fails when any finding is at least this severe [default: off].
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,
}

impl SettingsArgs {
    pub fn overrides(&self, gate: &GateArgs, fix_confidence: Option<f32>) -> Overrides {
        Overrides {
            min_score: gate.min_score,
            fail_on: gate.fail_on,
            min_confidence: self.audit.min_confidence,
            thorough: self.audit.thorough,
            fix_confidence,
            report_unused_suppressions: self.report_unused_suppressions,
            glossaries: self.glossary.clone(),
            model: self.model.clone(),
            termbase: self.termbase.clone(),
            only_rules: self.rules.clone(),
            deep: self.deep || self.lm.is_some(),
            lm: self.lm.clone(),
            deep_budget: self.deep_budget,
        }
    }
}

/// The settings in force for some files, and the auditor they give.
pub struct Profile {
    pub settings: Settings,
    pub auditor: Auditor,
}

/// One profile per config file, built on first use.
pub struct Profiles {
    discovery: Discovery,
    overrides: Overrides,
    baseline: Option<Arc<Baseline>>,
    built: HashMap<Option<PathBuf>, Arc<Profile>>,
}

impl Profiles {
    pub fn new(args: &SettingsArgs, overrides: Overrides) -> Profiles {
        Profiles {
            discovery: Discovery::from_env(args.config.clone()),
            overrides,
            baseline: None,
            built: HashMap::new(),
        }
    }

    /// Findings in this baseline are not reported.
    pub fn with_baseline(mut self, baseline: Option<Baseline>) -> Profiles {
        self.baseline = baseline.map(Arc::new);
        self
    }

    /// The settings only, without building an auditor (for `mtaudit config`).
    pub fn settings_for(&mut self, path: &Path) -> Result<Settings, String> {
        let file = self.discovery.config_for(path);
        Settings::resolve(file, &self.overrides).map_err(|e| e.to_string())
    }

    /// The profile for a file (for `-`, the current folder's).
    pub fn for_path(&mut self, path: &Path) -> Result<Arc<Profile>, String> {
        let file = self.discovery.config_for(path);
        let key = file.as_ref().map(|f| f.value.clone());
        if let Some(profile) = self.built.get(&key) {
            return Ok(profile.clone());
        }
        let settings = Settings::resolve(file, &self.overrides).map_err(|e| e.to_string())?;
        let mut auditor = settings.auditor()?;
        auditor.config.baseline = self.baseline.clone();
        let profile = Arc::new(Profile { auditor, settings });
        self.built.insert(key, profile.clone());
        Ok(profile)
    }
}
