//! The message the flags describe, built with the library's own types; its body from
//! the argument, a file or stdin.

use std::io::Read;

use dingbot::{ActionCard, FeedCard, Link, Markdown, Message, Orientation, Text};

use super::flags::{Body, Kind, Layout, Mentions};
use crate::exit::Failure;

/// The message `kind` describes, its body read.
pub fn build(kind: Kind) -> Result<Message, Failure> {
    Ok(match kind {
        Kind::Text { body, at } => at.apply_text(Text::new(body.read()?)).into(),
        Kind::Markdown { title, body, at } => {
            at.apply_markdown(Markdown::new(title, body.read()?)).into()
        }
        Kind::Link {
            title,
            url,
            pic,
            body,
        } => {
            let link = Link::new(title, body.read()?, url);
            match pic {
                Some(pic) => link.pic_url(pic),
                None => link,
            }
            .into()
        }
        Kind::ActionCard {
            title,
            body,
            buttons,
            single,
            orientation,
            hide_avatar,
        } => {
            let mut card = ActionCard::new(title, body.read()?);
            if let Some((title, url)) = single {
                card = card.single_button(title, url);
            } else if buttons.is_empty() {
                return Err(
                    Failure::bad_input("an action card needs at least one button")
                        .hint("add --button TITLE=URL (repeat for several), or --single TITLE=URL"),
                );
            }
            for (title, url) in buttons {
                card = card.button(title, url);
            }
            if let Some(layout) = orientation {
                card = card.orientation(match layout {
                    Layout::Horizontal => Orientation::Horizontal,
                    Layout::Vertical => Orientation::Vertical,
                });
            }
            if hide_avatar {
                card = card.hide_avatar(true);
            }
            card.into()
        }
        Kind::FeedCard { links } => {
            let mut card = FeedCard::new();
            for entry in links.chunks(3) {
                if let [title, url, pic] = entry {
                    card = card.link(title.clone(), url.clone(), pic.clone());
                }
            }
            card.into()
        }
    })
}

impl Body {
    /// The body's text. From stdin or a file, trailing newlines are dropped (as `$(...)`
    /// does in a shell), so that `echo text |` sends `text`.
    fn read(self) -> Result<String, Failure> {
        let text = match (self.text, self.file) {
            (_, Some(path)) => std::fs::read(&path)
                .map_err(|e| {
                    Failure::bad_input(format!("cannot read the body from {}: {e}", path.display()))
                })
                .and_then(|bytes| utf8(bytes, &path.display().to_string()))?,
            (Some(text), None) if text == "-" => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|e| {
                        Failure::bad_input(format!("cannot read the body from stdin: {e}"))
                    })?;
                utf8(bytes, "stdin")?
            }
            (Some(text), None) => return Ok(text),
            (None, None) => {
                return Err(Failure::bad_input("no body given")
                    .hint("give it as an argument, `-` for stdin, or --file PATH"));
            }
        };
        Ok(text.trim_end_matches(['\n', '\r']).to_owned())
    }
}

fn utf8(bytes: Vec<u8>, from: &str) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|_| {
        Failure::bad_input(format!("the body from {from} is not UTF-8 text"))
            .hint("DingTalk messages are UTF-8: convert it first, e.g. with iconv")
    })
}

impl Mentions {
    fn apply_text(self, text: Text) -> Text {
        let text = text.at_mobiles(self.mobiles).at_user_ids(self.user_ids);
        if self.at_all { text.at_all() } else { text }
    }

    fn apply_markdown(self, markdown: Markdown) -> Markdown {
        let markdown = markdown.at_mobiles(self.mobiles).at_user_ids(self.user_ids);
        if self.at_all {
            markdown.at_all()
        } else {
            markdown
        }
    }
}
