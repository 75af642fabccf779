//! An independent checker for the tests: which hidden counts follow exactly from
//! partition sums once the released counts are known.
//!
//! Each partition is an equation `parent − Σ children = 0`; restricted to the
//! hidden groups, the released ones being known numbers. A hidden count is
//! derivable exactly when its unit vector lies in the row space of those
//! equations. In reduced row echelon form (exact fractions here, unlike the
//! whole-number elimination in the crate) that holds exactly when some row *is*
//! that unit vector: writing a vector as a sum of reduced rows, each row's
//! coefficient is the vector's entry in that row's pivot column.

use surveys::Partition;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Fraction {
    num: i128,
    den: i128,
}

impl Fraction {
    const ZERO: Fraction = Fraction { num: 0, den: 1 };
    const ONE: Fraction = Fraction { num: 1, den: 1 };
    const MINUS_ONE: Fraction = Fraction { num: -1, den: 1 };

    fn new(num: i128, den: i128) -> Fraction {
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Fraction {
            num: sign * num / g,
            den: sign * den / g,
        }
    }
    fn is_zero(self) -> bool {
        self.num == 0
    }
    /// self − factor·other
    fn minus_times(self, factor: Fraction, other: Fraction) -> Fraction {
        Fraction::new(
            self.num * factor.den * other.den - factor.num * other.num * self.den,
            self.den * factor.den * other.den,
        )
    }
    fn divided_by(self, other: Fraction) -> Fraction {
        Fraction::new(self.num * other.den, self.den * other.num)
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// Reduced row echelon form, pivots scaled to one; returns the non-zero rows.
fn reduced(mut rows: Vec<Vec<Fraction>>) -> Vec<Vec<Fraction>> {
    let columns = rows.first().map_or(0, Vec::len);
    let mut rank = 0;
    for col in 0..columns {
        let Some(p) = (rank..rows.len()).find(|&r| !rows[r][col].is_zero()) else {
            continue;
        };
        rows.swap(rank, p);
        let pivot_value = rows[rank][col];
        for cell in rows[rank].iter_mut() {
            *cell = cell.divided_by(pivot_value);
        }
        let pivot = rows[rank].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r == rank || row[col].is_zero() {
                continue;
            }
            let factor = row[col];
            for (cell, p) in row.iter_mut().zip(&pivot) {
                *cell = cell.minus_times(factor, *p);
            }
        }
        rank += 1;
    }
    rows.truncate(rank);
    rows
}

/// The hidden groups whose count follows exactly from the partitions once every
/// group outside `hidden` is known.
pub fn derivable<G: PartialEq + Clone>(partitions: &[Partition<G>], hidden: &[G]) -> Vec<G> {
    let column = |g: &G| hidden.iter().position(|h| h == g);
    let equations: Vec<Vec<Fraction>> = partitions
        .iter()
        .map(|p| {
            let mut row = vec![Fraction::ZERO; hidden.len()];
            if let Some(c) = column(&p.parent) {
                row[c] = Fraction::ONE;
            }
            for child in &p.children {
                if let Some(c) = column(child) {
                    row[c] = Fraction::MINUS_ONE;
                }
            }
            row
        })
        .filter(|row| row.iter().any(|f| !f.is_zero()))
        .collect();
    reduced(equations)
        .iter()
        .filter_map(|row| {
            let mut nonzero = row.iter().enumerate().filter(|(_, f)| !f.is_zero());
            match (nonzero.next(), nonzero.next()) {
                (Some((c, _)), None) => Some(hidden[c].clone()),
                _ => None,
            }
        })
        .collect()
}
