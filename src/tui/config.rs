//! Settings in `config.ron` in the configuration folder: the colour theme.
//! An absent file means the defaults; a broken one keeps them and says why.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::theme::ThemeName;

/// Optional settings in `config.ron` in the configuration folder.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub theme: ThemeName,
}

/// The settings in `dir`, and a message when the file could not be used.
pub fn load_config(dir: Option<&Path>) -> (Config, Option<String>) {
    let Some(path) = dir.map(|d| d.join("config.ron")) else {
        return (Config::default(), None);
    };
    match crate::store::read::read_regular_file(&path, crate::store::read::MAX_FILE_LEN) {
        Err(e) if e.is_not_found() => (Config::default(), None),
        Err(e) => (
            Config::default(),
            Some(format!("{e}; using the default settings")),
        ),
        Ok(bytes) => match crate::store::format::decode(&path, &bytes)
            .and_then(|t| crate::store::format::parse::<Config>(&path, &t))
        {
            Ok(c) => (c, None),
            Err(e) => (
                Config::default(),
                Some(format!("{e}; using the default settings")),
            ),
        },
    }
}

/// Remembers the theme in `config.ron` in `dir` (created if needed).
pub fn save_theme(dir: &Path, theme: ThemeName) -> std::io::Result<()> {
    let (mut config, _) = load_config(Some(dir));
    config.theme = theme;
    // The XDG config home's folders are private (0700), whatever the umask.
    crate::store::atomic::create_private_dir_all(dir)?;
    crate::store::atomic::write_atomic(
        &dir.join("config.ron"),
        crate::store::format::to_ron(&config).as_bytes(),
    )
}
