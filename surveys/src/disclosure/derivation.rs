//! Which hidden figures could still be worked out exactly from the released ones,
//! and hiding more until none can.
//!
//! Every partition is an equation: a parent's count is the sum of its children's.
//! With the released counts filled in, the hidden counts are the unknowns of a
//! linear system. A hidden count is *derivable* when every solution of that system
//! gives it the same value — then adding and subtracting released figures along
//! the partitions, in whatever combination, produces it.

use super::SuppressionReason;

/// One partition in positions instead of group ids: `parent = Σ children`.
#[derive(Debug, Clone)]
pub(super) struct Sum {
    pub parent: usize,
    pub children: Vec<usize>,
}

impl Sum {
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.parent).chain(self.children.iter().copied())
    }
}

/// The hidden positions whose value follows exactly from the released ones.
pub(super) fn derivable(sums: &[Sum], hidden: &[bool]) -> Vec<usize> {
    let components = components(sums, hidden);
    let mut found = Vec::new();
    for (unknowns, rows) in components {
        found.extend(determined_in_component(sums, hidden, &unknowns, &rows));
    }
    found.sort_unstable();
    found
}

/// Splits the hidden positions into groups that share no equation, so that each
/// small system is solved on its own; returns each group's positions and the sums
/// that mention them.
fn components(sums: &[Sum], hidden: &[bool]) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut root: Vec<usize> = (0..hidden.len()).collect();
    fn find(root: &mut [usize], mut at: usize) -> usize {
        while root[at] != at {
            root[at] = root[root[at]];
            at = root[at];
        }
        at
    }
    for sum in sums {
        let mut first = None;
        for member in sum.members().filter(|&m| hidden[m]) {
            let r = find(&mut root, member);
            match first {
                None => first = Some(r),
                Some(f) => root[r] = f,
            }
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> =
        Default::default();
    for (index, sum) in sums.iter().enumerate() {
        if let Some(member) = sum.members().find(|&m| hidden[m]) {
            let r = find(&mut root, member);
            let entry = by_root.entry(r).or_default();
            entry.1.push(index);
            for m in sum.members().filter(|&m| hidden[m]) {
                if !entry.0.contains(&m) {
                    entry.0.push(m);
                }
            }
        }
    }
    by_root.into_values().collect()
}

/// Gauss–Jordan elimination on whole numbers. A hidden position is determined
/// when its reduced row has no other unknown left in it. Coefficients start at
/// ±1; should they ever outgrow i128, every position of the component is called
/// derivable, which only leads to hiding more.
fn determined_in_component(
    sums: &[Sum],
    hidden: &[bool],
    unknowns: &[usize],
    rows: &[usize],
) -> Vec<usize> {
    let column = |position: usize| unknowns.iter().position(|&u| u == position);
    let mut matrix: Vec<Vec<i128>> = rows
        .iter()
        .map(|&r| {
            let mut row = vec![0i128; unknowns.len()];
            let sum = &sums[r];
            if let Some(c) = hidden[sum.parent].then(|| column(sum.parent)).flatten() {
                row[c] += 1;
            }
            for &child in sum.children.iter().filter(|&&c| hidden[c]) {
                if let Some(c) = column(child) {
                    row[c] -= 1;
                }
            }
            row
        })
        .collect();
    match reduce(&mut matrix, unknowns.len()) {
        Some(rank) => matrix[..rank]
            .iter()
            .filter_map(|row| {
                let mut nonzero = row.iter().enumerate().filter(|(_, v)| **v != 0);
                match (nonzero.next(), nonzero.next()) {
                    (Some((c, _)), None) => Some(unknowns[c]),
                    _ => None,
                }
            })
            .collect(),
        None => unknowns.to_vec(),
    }
}

/// Brings `matrix` to reduced row echelon form (pivots not scaled to one) and
/// returns its rank, or `None` on overflow.
fn reduce(matrix: &mut [Vec<i128>], columns: usize) -> Option<usize> {
    let mut rank = 0;
    for col in 0..columns {
        let Some(pivot) = (rank..matrix.len()).find(|&r| matrix[r][col] != 0) else {
            continue;
        };
        matrix.swap(rank, pivot);
        let pivot_row = matrix[rank].clone();
        for (r, row) in matrix.iter_mut().enumerate() {
            if r == rank || row[col] == 0 {
                continue;
            }
            let (a, b) = (pivot_row[col], row[col]);
            for (cell, p) in row.iter_mut().zip(&pivot_row) {
                *cell = cell.checked_mul(a)?.checked_sub(p.checked_mul(b)?)?;
            }
            let divisor = row.iter().fold(0i128, |g, &v| gcd(g, v));
            if divisor > 1 {
                row.iter_mut().for_each(|v| *v /= divisor);
            }
        }
        rank += 1;
    }
    Some(rank)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    // Coefficients stay far below i128::MAX, so the gcd fits back.
    i128::try_from(a).unwrap_or(1)
}

/// Hides further positions until every sum is safe and nothing hidden is
/// derivable. `size` orders siblings (the smallest is hidden first, to lose as
/// little as possible); `may_show_together` says whether the hidden children of a
/// released parent, taken as one group, could be released on their own — if not,
/// their total, which the parent minus the released siblings gives away, says
/// too much.
pub(super) fn protect(
    sums: &[Sum],
    size: &[u64],
    hidden: &mut [Option<SuppressionReason>],
    may_show_together: impl Fn(&[usize]) -> bool,
) {
    loop {
        if let Some(position) = sums
            .iter()
            .find_map(|sum| unsafe_sum_fix(sum, size, hidden, &may_show_together))
        {
            hidden[position] = Some(SuppressionReason::ProtectsAnotherFigure);
            continue;
        }
        let is_hidden: Vec<bool> = hidden.iter().map(Option::is_some).collect();
        let fix = derivable(sums, &is_hidden)
            .into_iter()
            .find_map(|position| widen_around(sums, size, &is_hidden, position));
        match fix {
            Some(position) => hidden[position] = Some(SuppressionReason::ProtectsAnotherFigure),
            None => return,
        }
    }
}

/// The position to hide next if `sum` leaks: exactly one hidden member (it would
/// follow by subtraction), or a released parent whose hidden children together
/// form a group too small to show.
fn unsafe_sum_fix(
    sum: &Sum,
    size: &[u64],
    hidden: &[Option<SuppressionReason>],
    may_show_together: &impl Fn(&[usize]) -> bool,
) -> Option<usize> {
    let hidden_children: Vec<usize> = sum
        .children
        .iter()
        .copied()
        .filter(|&c| hidden[c].is_some())
        .collect();
    let parent_hidden = hidden[sum.parent].is_some();
    let hidden_count = hidden_children.len() + usize::from(parent_hidden);
    let leaks = hidden_count == 1
        || (hidden_count > 0 && !parent_hidden && !may_show_together(&hidden_children));
    if !leaks {
        return None;
    }
    smallest_released_child(sum, size, |p| hidden[p].is_some())
        .or_else(|| (!parent_hidden).then_some(sum.parent))
}

fn smallest_released_child(
    sum: &Sum,
    size: &[u64],
    is_hidden: impl Fn(usize) -> bool,
) -> Option<usize> {
    sum.children
        .iter()
        .copied()
        .filter(|&c| !is_hidden(c))
        .min_by_key(|&c| (size[c], c))
}

/// A released position to hide so that `position` stops being derivable: the
/// smallest released sibling in an equation of its own if there is one, else in
/// any equation linked to it through hidden positions. `None` only when every
/// linked equation is entirely hidden, which makes the derived value zero (an
/// empty group), not a figure about anyone.
pub(super) fn widen_around(
    sums: &[Sum],
    size: &[u64],
    hidden: &[bool],
    position: usize,
) -> Option<usize> {
    let own = sums
        .iter()
        .filter(|s| s.members().any(|m| m == position))
        .filter_map(|s| smallest_released_child(s, size, |p| hidden[p]))
        .min_by_key(|&c| (size[c], c));
    if own.is_some() {
        return own;
    }
    let (_, rows) = components(sums, hidden)
        .into_iter()
        .find(|(unknowns, _)| unknowns.contains(&position))?;
    rows.iter()
        .filter_map(|&r| {
            smallest_released_child(&sums[r], size, |p| hidden[p])
                .or_else(|| (!hidden[sums[r].parent]).then_some(sums[r].parent))
        })
        .min_by_key(|&c| (size[c], c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 4 × 4 table with row, column and grand totals. Cells are numbered
    /// `row * 4 + col`; row totals 16..20, column totals 20..24, grand total 24.
    fn table_sums() -> Vec<Sum> {
        let mut sums = Vec::new();
        for r in 0..4 {
            sums.push(Sum {
                parent: 16 + r,
                children: (0..4).map(|c| r * 4 + c).collect(),
            });
        }
        for c in 0..4 {
            sums.push(Sum {
                parent: 20 + c,
                children: (0..4).map(|r| r * 4 + c).collect(),
            });
        }
        sums.push(Sum {
            parent: 24,
            children: (16..20).collect(),
        });
        sums.push(Sum {
            parent: 24,
            children: (20..24).collect(),
        });
        sums
    }

    /// Two hidden 2 × 2 blocks joined by one hidden cell: every row and column has
    /// two or more hidden cells, yet the joining cell follows from (rows 0 and 1)
    /// minus (columns 0 and 1).
    fn bridged_blocks() -> Vec<bool> {
        let mut hidden = vec![false; 25];
        for cell in [0, 1, 4, 5, 10, 11, 14, 15, 6] {
            hidden[cell] = true;
        }
        hidden
    }

    #[test]
    fn a_cell_joining_two_hidden_blocks_is_derivable_though_no_row_shows_it() {
        let sums = table_sums();
        let hidden = bridged_blocks();
        for sum in &sums {
            let count = sum.members().filter(|&m| hidden[m]).count();
            assert_ne!(count, 1, "the pattern passes the one-per-sum rule");
        }
        assert_eq!(derivable(&sums, &hidden), vec![6]);
    }

    #[test]
    fn protecting_the_bridged_blocks_hides_more_until_nothing_is_derivable() {
        let sums = table_sums();
        let mut hidden: Vec<Option<SuppressionReason>> = bridged_blocks()
            .into_iter()
            .map(|h| h.then_some(SuppressionReason::TooFewRespondents))
            .collect();
        let size = vec![20; 25];
        protect(&sums, &size, &mut hidden, |_| true);
        let is_hidden: Vec<bool> = hidden.iter().map(Option::is_some).collect();
        assert!(derivable(&sums, &is_hidden).is_empty());
        assert!(hidden.iter().filter(|h| h.is_some()).count() > 9);
        assert!(hidden[24].is_none(), "the grand total stays released");
    }

    #[test]
    fn a_single_hidden_child_is_derivable_and_two_are_not() {
        let sums = vec![Sum {
            parent: 0,
            children: vec![1, 2, 3],
        }];
        assert_eq!(derivable(&sums, &[false, true, false, false]), vec![1]);
        assert!(derivable(&sums, &[false, true, true, false]).is_empty());
        // A hidden parent with all its children released is a sum away.
        assert_eq!(derivable(&sums, &[true, false, false, false]), vec![0]);
    }
}
