//! The model directory on disk: atomic saving and paths that must stay inside it.
//!
//! * [`save_atomic`] writes a whole directory or nothing: the files go into a hidden temporary
//!   directory next to the target (`.<name>.signet-tmp-<hex>`), each file and the directory are
//!   fsynced, and the directory is renamed onto the target in one step (then the parent is
//!   fsynced). An error or a panic while writing removes the temporary directory; a crash (power
//!   loss, `kill -9`) can leave only that hidden directory behind, never a partial target. A
//!   target that exists and is not empty is refused with MLflow's
//!   `Path '<path>' already exists and is not empty`; an empty one is replaced.
//! * [`resolve_inside`] turns a relative path read from an MLmodel file into a path inside the
//!   model directory, refusing absolute paths, `..` components and symlinks that lead outside;
//!   [`check_artifact_paths`] applies it to every path the MLmodel names.

use crate::error::ModelError;
use crate::mlmodel::MlModel;
use crate::yaml::Yaml;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// MLflow's refusal to save onto a non-empty path.
pub fn already_exists(path: &Path) -> ModelError {
    ModelError::AlreadyExists(format!(
        "Path '{}' already exists and is not empty",
        path.display()
    ))
}

/// Whether `path` exists and is not an empty directory (MLflow's
/// `os.path.exists(path) and any(os.scandir(path))`; a plain file counts as non-empty).
pub fn exists_non_empty(path: &Path) -> bool {
    match fs::symlink_metadata(path) {
        Err(_) => false,
        Ok(m) if m.is_dir() => fs::read_dir(path).map_or(true, |mut d| d.next().is_some()),
        Ok(_) => true,
    }
}

/// Writes `content` to `path` and fsyncs it.
pub fn write_file(path: &Path, content: &[u8]) -> Result<(), ModelError> {
    let mut f = fs::File::create(path)
        .map_err(|e| ModelError::io(format!("cannot create {}", path.display()), e))?;
    f.write_all(content)
        .and_then(|()| f.sync_all())
        .map_err(|e| ModelError::io(format!("cannot write {}", path.display()), e))
}

fn sync_dir(path: &Path) -> Result<(), ModelError> {
    fs::File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| ModelError::io(format!("cannot sync {}", path.display()), e))
}

/// Total size in bytes of the regular files under `dir` (MLflow's `get_total_file_size`).
pub fn total_file_size(dir: &Path) -> Result<u64, ModelError> {
    let mut total = 0;
    let entries = fs::read_dir(dir)
        .map_err(|e| ModelError::io(format!("cannot list {}", dir.display()), e))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| ModelError::io(format!("cannot list {}", dir.display()), e))?;
        let meta = entry
            .metadata()
            .map_err(|e| ModelError::io(format!("cannot stat {}", entry.path().display()), e))?;
        if meta.is_dir() {
            total += total_file_size(&entry.path())?;
        } else if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}

/// Removes the temporary directory unless the save committed (also on panic).
struct TempDir {
    path: PathBuf,
    committed: bool,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Writes a model directory atomically: `write` fills a fresh temporary directory, which then
/// replaces `target` (absent or empty) in one rename. See the module documentation.
pub fn save_atomic<T>(
    target: &Path,
    write: impl FnOnce(&Path) -> Result<T, ModelError>,
) -> Result<T, ModelError> {
    if exists_non_empty(target) {
        return Err(already_exists(target));
    }
    let name = target
        .file_name()
        .ok_or_else(|| ModelError::Io(format!("invalid model path '{}'", target.display())))?
        .to_string_lossy()
        .into_owned();
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| ModelError::io(format!("cannot create {}", parent.display()), e))?;
    let mut tmp = None;
    for _ in 0..16 {
        let candidate = parent.join(format!(
            ".{name}.signet-tmp-{}",
            &crate::mlmodel::uuid4_hex()[..12]
        ));
        match fs::create_dir(&candidate) {
            Ok(()) => {
                tmp = Some(candidate);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(ModelError::io(
                    format!("cannot create {}", candidate.display()),
                    e,
                ))
            }
        }
    }
    let mut guard = TempDir {
        path: tmp.ok_or_else(|| {
            ModelError::Io(format!(
                "cannot create a temporary directory in {}",
                parent.display()
            ))
        })?,
        committed: false,
    };
    let out = write(&guard.path)?;
    sync_dir(&guard.path)?;
    // An empty target directory is replaced by the rename (rename(2) accepts an empty
    // directory as destination); a non-empty one makes it fail.
    if let Err(e) = fs::rename(&guard.path, target) {
        if exists_non_empty(target) {
            return Err(already_exists(target));
        }
        return Err(ModelError::io(
            format!("cannot move the saved model to {}", target.display()),
            e,
        ));
    }
    guard.committed = true;
    sync_dir(&parent)?;
    Ok(out)
}

/// `dir/rel` for a relative path taken from an MLmodel file, refusing anything that leaves
/// `dir`: absolute paths, `..` components, and (for paths that exist) symlinks resolving
/// outside the directory.
pub fn resolve_inside(dir: &Path, rel: &str) -> Result<PathBuf, ModelError> {
    let unsafe_path = |why: &str| {
        ModelError::UnsafePath(format!(
            "Refusing the path '{rel}' named in the MLmodel file: {why}; model artifacts must \
             stay inside the model directory '{}'",
            dir.display()
        ))
    };
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err(unsafe_path("it is empty"));
    }
    for c in p.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return Err(unsafe_path("it is absolute")),
            Component::ParentDir => return Err(unsafe_path("it contains '..'")),
            Component::CurDir | Component::Normal(_) => {}
        }
    }
    let joined = dir.join(p);
    // Resolve symlinks on the longest existing prefix and check it stays inside.
    let root = fs::canonicalize(dir)
        .map_err(|e| ModelError::io(format!("cannot resolve {}", dir.display()), e))?;
    let mut probe = joined.clone();
    loop {
        if fs::symlink_metadata(&probe).is_ok() {
            let real = fs::canonicalize(&probe)
                .map_err(|_| unsafe_path("it is a broken symbolic link"))?;
            if !real.starts_with(&root) {
                return Err(unsafe_path("it resolves (through a symbolic link) outside"));
            }
            break;
        }
        if !probe.pop() || probe == *dir {
            break;
        }
    }
    Ok(joined)
}

/// Checks every artifact path an MLmodel names — the example files and, in every flavor,
/// `data`, `code`, `python_model`, `model_code_path`, the `env` files and the `path` of each
/// `artifacts` entry — with [`resolve_inside`]. The top-level `artifact_path` (the run
/// artifact location of a logged model, not a file of the directory) is not one of them.
pub fn check_artifact_paths(dir: &Path, model: &MlModel) -> Result<(), ModelError> {
    let mut paths: Vec<String> = Vec::new();
    if let Some(info) = &model.saved_input_example_info {
        for key in ["artifact_path", "serving_input_path"] {
            if let Some(Yaml::Str(s)) = info.get(key) {
                paths.push(s.clone());
            }
        }
    }
    for (_, conf) in &model.flavors {
        for key in ["data", "code", "python_model", "model_code_path"] {
            if let Some(Yaml::Str(s)) = conf.get(key) {
                paths.push(s.clone());
            }
        }
        match conf.get("env") {
            Some(Yaml::Str(s)) => paths.push(s.clone()),
            Some(Yaml::Map(m)) => {
                paths.extend(m.values().filter_map(Yaml::as_str).map(String::from))
            }
            _ => {}
        }
        if let Some(Yaml::Map(arts)) = conf.get("artifacts") {
            for a in arts.values() {
                if let Some(Yaml::Str(s)) = a.get("path") {
                    paths.push(s.clone());
                }
            }
        }
    }
    for p in paths {
        resolve_inside(dir, &p)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "signet-dir-test-{name}-{}",
            &crate::mlmodel::uuid4_hex()[..8]
        ));
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn leftovers(parent: &Path) -> Vec<String> {
        fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn failure_or_panic_leaves_nothing() {
        let parent = scratch("atomic");
        let target = parent.join("model");
        let r: Result<(), _> = save_atomic(&target, |tmp| {
            write_file(&tmp.join("a"), b"x")?;
            Err(ModelError::Io("injected".into()))
        });
        assert!(r.is_err());
        assert!(leftovers(&parent).is_empty());
        let caught = std::panic::catch_unwind(|| {
            let _ = save_atomic(&target, |tmp| -> Result<(), ModelError> {
                write_file(&tmp.join("a"), b"x")?;
                panic!("injected panic");
            });
        });
        assert!(caught.is_err());
        assert!(leftovers(&parent).is_empty());
        save_atomic(&target, |tmp| write_file(&tmp.join("a"), b"x")).unwrap();
        assert_eq!(leftovers(&parent), ["model"]);
        let again = save_atomic(&target, |tmp| write_file(&tmp.join("a"), b"y"));
        assert_eq!(
            again.unwrap_err().to_string(),
            format!(
                "Path '{}' already exists and is not empty",
                target.display()
            )
        );
        // An empty directory is replaced.
        let empty = parent.join("empty");
        fs::create_dir(&empty).unwrap();
        save_atomic(&empty, |tmp| write_file(&tmp.join("a"), b"x")).unwrap();
        assert!(empty.join("a").is_file());
        fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn paths_must_stay_inside() {
        let d = scratch("paths");
        fs::write(d.join("ok.json"), "1").unwrap();
        assert!(resolve_inside(&d, "ok.json").is_ok());
        assert!(resolve_inside(&d, "sub/missing.json").is_ok());
        for bad in ["/etc/passwd", "../x", "a/../../x", ""] {
            assert!(
                matches!(resolve_inside(&d, bad), Err(ModelError::UnsafePath(_))),
                "{bad}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", d.join("link")).unwrap();
            assert!(matches!(
                resolve_inside(&d, "link/passwd"),
                Err(ModelError::UnsafePath(_))
            ));
            std::os::unix::fs::symlink(d.join("ok.json"), d.join("inner")).unwrap();
            assert!(resolve_inside(&d, "inner").is_ok());
        }
        fs::remove_dir_all(&d).unwrap();
    }
}
