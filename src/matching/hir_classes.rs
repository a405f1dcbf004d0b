//! Reading and rewriting the classes of a parsed regex, the rest of it
//! unchanged.

use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};

/// `hir` with each class replaced by `rewrite(class, copies)`, where
/// `copies` is how many copies of the class the compiled regex holds: the
/// product of the counts of the repetitions around it (`{1,30}` counts 30,
/// `{2,}` counts 2, `*` counts 1).
pub(super) fn map_classes(hir: &Hir, rewrite: &mut impl FnMut(&Class, u32) -> Class) -> Hir {
    fn walk(hir: &Hir, copies: u32, rewrite: &mut impl FnMut(&Class, u32) -> Class) -> Hir {
        match hir.kind() {
            HirKind::Class(class) => Hir::class(rewrite(class, copies)),
            HirKind::Repetition(rep) => Hir::repetition(Repetition {
                min: rep.min,
                max: rep.max,
                greedy: rep.greedy,
                sub: Box::new(walk(&rep.sub, copies_inside(rep, copies), rewrite)),
            }),
            HirKind::Capture(group) => Hir::capture(Capture {
                index: group.index,
                name: group.name.clone(),
                sub: Box::new(walk(&group.sub, copies, rewrite)),
            }),
            HirKind::Concat(parts) => {
                Hir::concat(parts.iter().map(|p| walk(p, copies, rewrite)).collect())
            }
            HirKind::Alternation(branches) => {
                Hir::alternation(branches.iter().map(|b| walk(b, copies, rewrite)).collect())
            }
            HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
        }
    }
    walk(hir, 1, rewrite)
}

/// How many copies of its body a repetition holds, itself held `copies`
/// times: its most (or its least, when unbounded), and one at least.
fn copies_inside(rep: &Repetition, copies: u32) -> u32 {
    copies.saturating_mul(rep.max.unwrap_or(rep.min).max(1))
}

/// True when `test(class, copies)` holds for some class of `hir` (`copies`
/// as for [`map_classes`]): a look that rebuilds nothing.
pub(super) fn any_class(hir: &Hir, test: &mut impl FnMut(&Class, u32) -> bool) -> bool {
    fn walk(hir: &Hir, copies: u32, test: &mut impl FnMut(&Class, u32) -> bool) -> bool {
        match hir.kind() {
            HirKind::Class(class) => test(class, copies),
            HirKind::Repetition(rep) => walk(&rep.sub, copies_inside(rep, copies), test),
            HirKind::Capture(group) => walk(&group.sub, copies, test),
            HirKind::Concat(parts) | HirKind::Alternation(parts) => {
                parts.iter().any(|p| walk(p, copies, test))
            }
            HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => false,
        }
    }
    walk(hir, 1, test)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(pattern: &str) -> Hir {
        regex_syntax::Parser::new().parse(pattern).unwrap()
    }

    #[test]
    fn classes_are_found_with_the_copies_the_compiled_regex_holds() {
        let most_copies = |pattern: &str| {
            (0..=200)
                .rev()
                .find(|&n| any_class(&parsed(pattern), &mut |_, copies| copies >= n))
        };
        assert_eq!(most_copies(r"^\w+ comments$"), Some(1));
        assert_eq!(most_copies(r"^more from [\w .]{1,30}$"), Some(30));
        assert_eq!(most_copies(r"^(x[\w ]{0,3}){4}|(y|\d{2,})$"), Some(12));
        assert_eq!(most_copies(r"^plain (text|words)$"), None);
    }
}
