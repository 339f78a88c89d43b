//! The adapter's one change to a parsed template: every field chain (`.A.B`, `$x.A`,
//! `(pipeline).A`) becomes a call of [`access::FIELD`], so that Go's methods on
//! Alertmanager's data work ([`super::access`]); and, as Go's parser does, a call of a
//! function that does not exist is refused when the template is read, with its line.

use std::sync::Arc;

use gotmpl::parse::{CommandNode, Expr, ListNode, Node, PipeNode, Pos, SmolStr};

use super::access;

/// Rewrites `list` in place; the error names the first undefined function and its line.
pub fn rewrite(list: &mut ListNode, known: &dyn Fn(&str) -> bool) -> Result<(), (usize, String)> {
    for node in &mut list.nodes {
        rewrite_node(node, known)?;
    }
    Ok(())
}

fn rewrite_node(node: &mut Node, known: &dyn Fn(&str) -> bool) -> Result<(), (usize, String)> {
    match node {
        Node::List(list) => rewrite(list, known),
        Node::Action(action) => rewrite_pipe(&mut action.pipe, known),
        Node::If(branch) | Node::Range(branch) | Node::With(branch) => {
            rewrite_pipe(&mut branch.pipe, known)?;
            rewrite(&mut branch.body, known)?;
            match &mut branch.else_body {
                Some(list) => rewrite(list, known),
                None => Ok(()),
            }
        }
        Node::Template(template) => match &mut template.pipe {
            Some(pipe) => rewrite_pipe(pipe, known),
            None => Ok(()),
        },
        Node::Define(define) => rewrite(&mut define.body, known),
        Node::Text(_) | Node::Break(_) | Node::Continue(_) => Ok(()),
    }
}

fn rewrite_pipe(pipe: &mut PipeNode, known: &dyn Fn(&str) -> bool) -> Result<(), (usize, String)> {
    for command in &mut pipe.commands {
        rewrite_command(command, known)?;
    }
    Ok(())
}

fn rewrite_command(
    command: &mut CommandNode,
    known: &dyn Fn(&str) -> bool,
) -> Result<(), (usize, String)> {
    let mut args = std::mem::take(&mut command.args).into_iter();
    let Some(first) = args.next() else {
        return Ok(());
    };
    let mut rewritten = Vec::with_capacity(args.len() + 3);
    match first {
        Expr::Identifier(pos, name) => {
            check(&name, pos, known)?;
            rewritten.push(Expr::Identifier(pos, name));
        }
        // A field chain as the command: Go calls its last step with the arguments (a
        // method such as `.StartsAt.Add 28800e9`).
        first => match field_call(first, known)? {
            Ok((pos, receiver, path)) => {
                rewritten.push(Expr::Identifier(pos, access::FIELD.into()));
                rewritten.push(receiver);
                rewritten.push(Expr::String(pos, path));
            }
            Err(other) => rewritten.push(other),
        },
    }
    for arg in args {
        rewritten.push(rewrite_arg(arg, known)?);
    }
    command.args = rewritten;
    Ok(())
}

/// An argument: a field chain becomes a parenthesised call.
fn rewrite_arg(arg: Expr, known: &dyn Fn(&str) -> bool) -> Result<Expr, (usize, String)> {
    match field_call(arg, known)? {
        Ok((pos, receiver, path)) => Ok(Expr::Pipe(
            pos,
            PipeNode {
                pos,
                decl: Vec::new(),
                commands: vec![CommandNode {
                    pos,
                    args: vec![
                        Expr::Identifier(pos, access::FIELD.into()),
                        receiver,
                        Expr::String(pos, path),
                    ],
                }],
                is_assign: false,
            },
        )),
        Err(Expr::Identifier(pos, name)) => {
            check(&name, pos, known)?;
            Ok(Expr::Identifier(pos, name))
        }
        Err(mut other) => {
            if let Expr::Pipe(_, pipe) = &mut other {
                rewrite_pipe(pipe, known)?;
            }
            Ok(other)
        }
    }
}

/// A field chain's position, receiver and dotted path; anything else handed back.
#[allow(
    clippy::type_complexity,
    reason = "a local either: the call's parts, or the expression"
)]
fn field_call(
    expr: Expr,
    known: &dyn Fn(&str) -> bool,
) -> Result<Result<(Pos, Expr, Arc<str>), Expr>, (usize, String)> {
    let path = |fields: &[SmolStr]| -> Arc<str> {
        fields
            .iter()
            .map(SmolStr::as_str)
            .collect::<Vec<_>>()
            .join(".")
            .into()
    };
    Ok(match expr {
        Expr::Field(pos, fields) => Ok((pos, Expr::Dot(pos), path(&fields))),
        Expr::Variable(pos, name, fields) if !fields.is_empty() => {
            Ok((pos, Expr::Variable(pos, name, Vec::new()), path(&fields)))
        }
        Expr::Chain(pos, inner, fields) => {
            let receiver = rewrite_arg(*inner, known)?;
            Ok((pos, receiver, path(&fields)))
        }
        other => Err(other),
    })
}

/// Go's parser refuses a call of a function it does not know.
fn check(name: &str, pos: Pos, known: &dyn Fn(&str) -> bool) -> Result<(), (usize, String)> {
    if known(name) {
        Ok(())
    } else {
        Err((pos.line, format!("function {name:?} not defined")))
    }
}
