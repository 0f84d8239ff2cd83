//! The terminal interface.

use std::path::Path;

use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::model::Workspace;

use crate::text::sanitize;

/// Opens the workspace at `path` and runs the interface until the user quits.
pub fn run(path: &Path) -> Result<()> {
    let (_store, ws) = crate::cli::open(path).map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &ws);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, ws: &Workspace) -> Result<()> {
    loop {
        terminal
            .draw(|f| render(ws, f))
            .wrap_err("drawing the screen")?;
        if let Event::Key(k) = event::read().wrap_err("reading the terminal")?
            && k.kind == KeyEventKind::Press
            && matches!(k.code, KeyCode::Char('q'))
        {
            return Ok(());
        }
    }
}

fn render(ws: &Workspace, f: &mut ratatui::Frame) {
    let mut lines = vec![Line::from(Span::styled(
        sanitize(&ws.name),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    for p in &ws.phases {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            sanitize(&p.name),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )));
        for a in &p.activities {
            lines.push(Line::from(format!("  {}", sanitize(&a.name))));
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" valuemap — q quits ")),
        f.area(),
    );
}
