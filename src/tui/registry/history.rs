//! `:history`: the selection's timeline, read from git's history of the
//! workspace ([`crate::githistory`]).

use crate::githistory::{self, Repo, Since};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::popups::history::History;

pub fn history(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(e) = app.views.selection(&app.ws) else {
        return Err("Select something first: a cell, an opportunity, a metric...".into());
    };
    let Some(store) = &app.store else {
        return Err(
            "This workspace is not saved in a folder yet, so git has no history of it".into(),
        );
    };
    let repo = Repo::discover(store.root())?;
    let h = repo.history(&Since::All)?;
    let t = githistory::timeline(&repo, &h, &e, Some(&app.ws));
    app.push(History::new(t));
    Ok(())
}
