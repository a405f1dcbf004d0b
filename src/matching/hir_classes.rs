//! Rewriting the classes of a parsed regex, the rest of it unchanged.

use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};

/// `hir` with each class replaced by `rewrite(class, copies)`, where
/// `copies` is how many copies of the class the compiled regex holds: the
/// product of the counts of the repetitions around it (`{1,30}` counts 30,
/// `{2,}` counts 2, `*` counts 1).
pub(super) fn map_classes(hir: &Hir, rewrite: &mut impl FnMut(&Class, u32) -> Class) -> Hir {
    fn walk(hir: &Hir, copies: u32, rewrite: &mut impl FnMut(&Class, u32) -> Class) -> Hir {
        match hir.kind() {
            HirKind::Class(class) => Hir::class(rewrite(class, copies)),
            HirKind::Repetition(rep) => {
                let count = rep.max.unwrap_or(rep.min).max(1);
                Hir::repetition(Repetition {
                    min: rep.min,
                    max: rep.max,
                    greedy: rep.greedy,
                    sub: Box::new(walk(&rep.sub, copies.saturating_mul(count), rewrite)),
                })
            }
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
