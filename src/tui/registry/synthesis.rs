//! Synthesis across notes: the themes board and renaming or merging tags.

use crate::synthesis::themes;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::popups::matrix::MatrixView;
use crate::tui::popups::questions::Questions;
use crate::tui::popups::themes::Themes;

/// `t`: the themes board.
pub fn themes(app: &mut App, _c: Command) -> Result<(), String> {
    app.push(Themes::new(&app.ws));
    Ok(())
}

/// Renames a tag in every note that carries it (merging it into the tag
/// named, when notes carry that one already), as one undoable change.
pub fn rename_tag(app: &mut App, c: Command) -> Result<(), String> {
    let Command::RenameTag { from, to } = c else {
        return Err("rename-tag needs the old tag and the new one".into());
    };
    let r = themes::rename(&app.ws, &from, &to)?;
    let from = crate::text::sanitize(themes::key_of(&from).as_str());
    let to = themes::valid_name(&to)?;
    let label = format!(
        "{} #{from} {} #{to} in {}",
        if r.merges { "merge" } else { "rename" },
        if r.merges { "into" } else { "to" },
        crate::text::count(r.notes, "note")
    );
    app.apply_and_say(label, r.edit);
    Ok(())
}

/// `Q`: every question across notes.
pub fn questions(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Questions(show) = c else {
        return Err("questions: which ones?".into());
    };
    app.close_layers("questions");
    app.push(Questions::new(&app.ws, show.unwrap_or_default()));
    Ok(())
}

/// `M`: the value / effort matrix.
pub fn matrix(app: &mut App, _c: Command) -> Result<(), String> {
    app.close_layers("matrix");
    app.push(MatrixView::new(&app.ws));
    Ok(())
}
