//! The message the flags describe, built with the library's own types; its body from
//! the argument, a file or stdin.

use std::io::Read;

use dingbot::{ActionCard, FeedCard, Link, MAX_BODY_BYTES, Markdown, Message, Orientation, Text};

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
    ///
    /// At most [`MAX_BODY_BYTES`] + 1 bytes are read: a body over DingTalk's limit can
    /// never be sent, so it is refused as soon as that one byte too many arrives, without
    /// reading the rest (`< /dev/zero`, a log piped in by mistake).
    fn read(self) -> Result<String, Failure> {
        let text = match (self.text, self.file) {
            (_, Some(path)) => {
                let from = path.display().to_string();
                let file = std::fs::File::open(&path).map_err(|e| {
                    Failure::bad_input(format!("cannot read the body from {from}: {e}"))
                })?;
                bounded(file, &from)?
            }
            (Some(text), None) if text == "-" => bounded(std::io::stdin().lock(), "stdin")?,
            (Some(text), None) => return Ok(text),
            (None, None) => {
                return Err(Failure::bad_input("no body given")
                    .hint("give it as an argument, `-` for stdin, or --file PATH"));
            }
        };
        Ok(text.trim_end_matches(['\n', '\r']).to_owned())
    }
}

/// What `input` holds, read to its end if that is within [`MAX_BODY_BYTES`], refused
/// after [`MAX_BODY_BYTES`] + 1 bytes otherwise.
fn bounded(input: impl Read, from: &str) -> Result<String, Failure> {
    let limit = MAX_BODY_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    input
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::bad_input(format!("cannot read the body from {from}: {e}")))?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Failure::bad_input(format!(
            "the body from {from} is over {MAX_BODY_BYTES} bytes, DingTalk's limit for a whole \
             message; stopped reading there"
        ))
        .hint("shorten the message, or split it into several"));
    }
    utf8(bytes, from)
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
