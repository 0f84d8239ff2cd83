//! Where valuemap keeps things by default, from the platform's conventions
//! (on Linux: `$XDG_DATA_HOME/valuemap`, else `~/.local/share/valuemap`).

use std::path::PathBuf;

use directories::ProjectDirs;

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "valuemap")
}

/// The folder of the default workspace, opened when no path is given.
pub fn default_workspace() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("default"))
}

/// The configuration folder (key map, theme).
pub fn config_dir() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().to_path_buf())
}
