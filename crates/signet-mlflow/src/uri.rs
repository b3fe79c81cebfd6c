//! [`ModelUri`]: the forms a model can be named by, parsed as MLflow's `_parse_model_uri`
//! and `RunsArtifactRepository.parse_runs_uri` parse them.

use crate::error::MlflowError;
use std::path::PathBuf;

/// A model's name: a registry entry, a logged model, a run's artifact, artifacts behind the
/// tracking server, or a local directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelUri {
    /// `models:/name/3`.
    Version {
        /// The registered model.
        name: String,
        /// The version number.
        version: String,
    },
    /// `models:/name@alias`.
    Alias {
        /// The registered model.
        name: String,
        /// The alias.
        alias: String,
    },
    /// `models:/name/latest` (any case): the highest version.
    Latest {
        /// The registered model.
        name: String,
    },
    /// `models:/name/Production`: the latest version in a (deprecated) stage.
    Stage {
        /// The registered model.
        name: String,
        /// The stage.
        stage: String,
    },
    /// `models:/m-<id>`: a logged model.
    ModelId(String),
    /// `runs:/<run_id>/<path>`.
    Run {
        /// The run.
        run_id: String,
        /// The artifact path (or logged model name) in the run.
        path: String,
    },
    /// `mlflow-artifacts:/<path>`: artifacts served by the tracking server.
    Artifacts(String),
    /// A `file:` URI or a plain path.
    Local(PathBuf),
}

fn improper(uri: &str) -> MlflowError {
    MlflowError::Uri {
        uri: uri.to_string(),
        message: "Not a proper models:/ URI. Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.".into(),
    }
}

impl ModelUri {
    /// Parses `text`. Anything without a known scheme is a local path.
    pub fn parse(text: &str) -> Result<ModelUri, MlflowError> {
        if let Some(rest) = text.strip_prefix("models:") {
            return parse_models(text, rest);
        }
        if let Some(rest) = text.strip_prefix("runs:") {
            let rest = rest
                .strip_prefix('/')
                .filter(|r| !r.starts_with('/'))
                .ok_or_else(|| MlflowError::Uri {
                    uri: text.to_string(),
                    message:
                        "Not a proper runs:/ URI: runs:/<run_id>/run-relative/path/to/artifact"
                            .into(),
                })?;
            let (run_id, path) = rest.split_once('/').unwrap_or((rest, ""));
            if run_id.is_empty() {
                return Err(MlflowError::Uri {
                    uri: text.to_string(),
                    message:
                        "Not a proper runs:/ URI: runs:/<run_id>/run-relative/path/to/artifact"
                            .into(),
                });
            }
            return Ok(ModelUri::Run {
                run_id: run_id.to_string(),
                path: path.trim_matches('/').to_string(),
            });
        }
        if let Some(rest) = text.strip_prefix("mlflow-artifacts:") {
            let path = match rest.strip_prefix("//") {
                // mlflow-artifacts://host:port/path — the tracking server is used.
                Some(r) => r.split_once('/').map_or("", |(_, p)| p),
                None => rest.trim_start_matches('/'),
            };
            return Ok(ModelUri::Artifacts(path.trim_end_matches('/').to_string()));
        }
        if let Some(rest) = text.strip_prefix("file:") {
            let path = match rest.strip_prefix("//") {
                Some(r) if r.starts_with('/') => r.to_string(),
                Some(r) => match r.split_once('/') {
                    Some(("localhost" | "", p)) => format!("/{p}"),
                    _ => {
                        return Err(MlflowError::Uri {
                            uri: text.to_string(),
                            message: "a file: URI must name a local path (file:///path)".into(),
                        })
                    }
                },
                None => rest.to_string(),
            };
            return Ok(ModelUri::Local(PathBuf::from(percent_decode(&path))));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return Err(MlflowError::Uri {
                    uri: text.to_string(),
                    message: format!(
                        "signet cannot read {scheme}:// URIs; use models:/, runs:/, mlflow-artifacts:/, file: or a local path"
                    ),
                });
            }
        }
        Ok(ModelUri::Local(PathBuf::from(text)))
    }

    /// Whether resolving needs a tracking server.
    pub fn is_remote(&self) -> bool {
        !matches!(self, ModelUri::Local(_))
    }
}

fn parse_models(text: &str, rest: &str) -> Result<ModelUri, MlflowError> {
    if rest.starts_with("//") {
        return Err(MlflowError::Uri {
            uri: text.to_string(),
            message: "models:// URIs with a profile are not supported; use models:/name/version and MLFLOW_REGISTRY_URI".into(),
        });
    }
    let path = rest
        .strip_prefix('/')
        .filter(|p| !p.is_empty())
        .ok_or_else(|| improper(text))?;
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 2 || parts[0].trim().is_empty() {
        return Err(improper(text));
    }
    if let [name, suffix] = parts[..] {
        if suffix.trim().is_empty() {
            return Err(improper(text));
        }
        return Ok(if suffix.chars().all(|c| c.is_ascii_digit()) {
            ModelUri::Version {
                name: name.to_string(),
                version: suffix.to_string(),
            }
        } else if suffix.eq_ignore_ascii_case("latest") {
            ModelUri::Latest {
                name: name.to_string(),
            }
        } else {
            ModelUri::Stage {
                name: name.to_string(),
                stage: suffix.to_string(),
            }
        });
    }
    if let Some((name, alias)) = parts[0].rsplit_once('@') {
        if alias.trim().is_empty() || name.is_empty() {
            return Err(improper(text));
        }
        return Ok(ModelUri::Alias {
            name: name.to_string(),
            alias: alias.to_string(),
        });
    }
    Ok(ModelUri::ModelId(parts[0].to_string()))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ModelUri {
        ModelUri::parse(s).unwrap()
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(
            p("models:/fraud/3"),
            ModelUri::Version {
                name: "fraud".into(),
                version: "3".into()
            }
        );
        assert_eq!(
            p("models:/fraud@champion"),
            ModelUri::Alias {
                name: "fraud".into(),
                alias: "champion".into()
            }
        );
        assert_eq!(
            p("models:/fraud/LATEST"),
            ModelUri::Latest {
                name: "fraud".into()
            }
        );
        assert_eq!(
            p("models:/fraud/Production"),
            ModelUri::Stage {
                name: "fraud".into(),
                stage: "Production".into()
            }
        );
        assert_eq!(
            p("models:/m-0123abcd"),
            ModelUri::ModelId("m-0123abcd".into())
        );
        assert_eq!(
            p("runs:/abc123/model"),
            ModelUri::Run {
                run_id: "abc123".into(),
                path: "model".into()
            }
        );
        assert_eq!(
            p("runs:/abc123/a/b/"),
            ModelUri::Run {
                run_id: "abc123".into(),
                path: "a/b".into()
            }
        );
        assert_eq!(
            p("mlflow-artifacts:/1/models/m-1/artifacts"),
            ModelUri::Artifacts("1/models/m-1/artifacts".into())
        );
        assert_eq!(
            p("mlflow-artifacts://h:5000/1/x"),
            ModelUri::Artifacts("1/x".into())
        );
        assert_eq!(
            p("file:///tmp/my%20model"),
            ModelUri::Local("/tmp/my model".into())
        );
        assert_eq!(p("file:rel/dir"), ModelUri::Local("rel/dir".into()));
        assert_eq!(p("some/dir"), ModelUri::Local("some/dir".into()));
        assert!(!p("some/dir").is_remote());
        assert!(p("models:/a/1").is_remote());
    }

    #[test]
    fn bad_uris_are_explained() {
        for bad in [
            "models:/",
            "models:/a/b/c",
            "models:/a/",
            "models:/a@",
            "models:/@x",
        ] {
            let e = ModelUri::parse(bad).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("{bad}: Not a proper models:/ URI")),
                "{e}"
            );
        }
        let e = ModelUri::parse("runs:/").unwrap_err().to_string();
        assert!(e.contains("runs:/<run_id>/"), "{e}");
        let e = ModelUri::parse("s3://bucket/model")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "s3://bucket/model: signet cannot read s3:// URIs; use models:/, runs:/, mlflow-artifacts:/, file: or a local path");
    }
}
