//! Exact linear algebra on figures: is a hidden figure a linear combination of
//! known ones?
//!
//! A figure is a sum of variables, so it is a 0/1 row over the variables. A
//! hidden figure is worked out exactly by adding and subtracting known figures
//! (with any coefficients) precisely when its row lies in the span of theirs.
//! Arithmetic is modulo the prime 2⁶¹ − 1: exact, with no coefficient growth,
//! and for rows of small whole numbers a wrong verdict would need the prime to
//! divide a minor of the matrix, which sums of 0/1 rows of this size never reach.

/// The modulus, a Mersenne prime so that reduction is a shift and an add.
const PRIME: u64 = (1 << 61) - 1;

fn reduce(x: u128) -> u64 {
    // 2⁶¹ ≡ 1, so the high bits fold onto the low ones.
    let folded = (x as u64 & PRIME) + (x >> 61) as u64;
    let folded = (folded & PRIME) + (folded >> 61);
    if folded >= PRIME {
        folded - PRIME
    } else {
        folded
    }
}

fn multiply(a: u64, b: u64) -> u64 {
    reduce(u128::from(a) * u128::from(b))
}

fn subtract(a: u64, b: u64) -> u64 {
    if a >= b { a - b } else { a + PRIME - b }
}

fn inverse(a: u64) -> u64 {
    // Fermat: a^(p−2) is a's inverse modulo the prime p.
    let (mut base, mut exponent, mut result) = (a, PRIME - 2, 1u64);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = multiply(result, base);
        }
        base = multiply(base, base);
        exponent >>= 1;
    }
    result
}

const NO_PIVOT: usize = usize::MAX;

/// A row space in reduced row echelon form, grown one row at a time.
///
/// Every stored row has a 1 in its own pivot column and 0 in every other pivot
/// column. Reducing a 0/1 row against it then takes no multiplication at all:
/// for each of its pivot columns, the row's coefficient is its own entry there.
#[derive(Debug, Clone)]
pub(crate) struct Echelon {
    width: usize,
    rows: Vec<Vec<u64>>,
    /// For each column, the row that has its pivot there.
    pivot_row: Vec<usize>,
    /// Columns without a pivot, in order: the only ones a reduced row can keep.
    free: Vec<usize>,
}

impl Echelon {
    pub fn new(width: usize) -> Echelon {
        Echelon {
            width,
            rows: Vec::new(),
            pivot_row: vec![NO_PIVOT; width],
            free: (0..width).collect(),
        }
    }

    #[cfg(test)]
    pub fn rank(&self) -> usize {
        self.rows.len()
    }

    /// Columns that hold a pivot.
    pub fn pivot_columns(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.width).filter(|&c| self.pivot_row[c] != NO_PIVOT)
    }

    /// Leaves in `scratch` what remains of the 0/1 row with ones at `columns`
    /// after subtracting the span; only the free columns of `scratch` matter.
    fn remainder(&self, columns: &[usize], scratch: &mut Vec<u64>) {
        scratch.clear();
        scratch.resize(self.width, 0);
        for &c in columns {
            scratch[c] = 1;
        }
        for &c in columns {
            let row = self.pivot_row[c];
            if row == NO_PIVOT {
                continue;
            }
            let row = &self.rows[row];
            for &f in &self.free {
                if row[f] != 0 {
                    scratch[f] = subtract(scratch[f], row[f]);
                }
            }
        }
    }

    /// Whether the 0/1 row with ones at `columns` lies in the span.
    pub fn contains(&self, columns: &[usize], scratch: &mut Vec<u64>) -> bool {
        self.remainder(columns, scratch);
        self.free.iter().all(|&f| scratch[f] == 0)
    }

    /// Adds the 0/1 row with ones at `columns` to the span.
    pub fn insert(&mut self, columns: &[usize], scratch: &mut Vec<u64>) {
        self.remainder(columns, scratch);
        let Some(&pivot) = self.free.iter().find(|&&f| scratch[f] != 0) else {
            return;
        };
        let scale = inverse(scratch[pivot]);
        let mut row = vec![0u64; self.width];
        for &f in &self.free {
            if scratch[f] != 0 {
                row[f] = multiply(scratch[f], scale);
            }
        }
        // Keep every other row free of the new pivot column.
        for other in &mut self.rows {
            let factor = other[pivot];
            if factor == 0 {
                continue;
            }
            for &f in &self.free {
                if row[f] != 0 {
                    other[f] = subtract(other[f], multiply(factor, row[f]));
                }
            }
        }
        self.free.retain(|&f| f != pivot);
        self.pivot_row[pivot] = self.rows.len();
        self.rows.push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverses_multiply_to_one() {
        for a in [1, 2, 3, 12345, PRIME - 1] {
            assert_eq!(multiply(a, inverse(a)), 1);
        }
    }

    #[test]
    fn a_difference_of_known_sums_is_in_their_span() {
        // Columns are three villages; known: all three, and the first two.
        let mut echelon = Echelon::new(3);
        let mut scratch = Vec::new();
        echelon.insert(&[0, 1, 2], &mut scratch);
        echelon.insert(&[0, 1], &mut scratch);
        assert!(echelon.contains(&[2], &mut scratch));
        assert!(!echelon.contains(&[0], &mut scratch));
        assert_eq!(echelon.rank(), 2);
    }

    #[test]
    fn a_cell_joining_two_crossed_margins_is_found() {
        // A 2 × 2 table a b / c d with both row sums and one column sum known:
        // the other column sum follows, no single cell does.
        let (a, b, c, d) = (0, 1, 2, 3);
        let mut echelon = Echelon::new(4);
        let mut scratch = Vec::new();
        for row in [[a, b], [c, d], [a, c]] {
            echelon.insert(&row, &mut scratch);
        }
        assert!(echelon.contains(&[b, d], &mut scratch));
        for cell in [a, b, c, d] {
            assert!(!echelon.contains(&[cell], &mut scratch));
        }
        // One more cell known makes every cell known.
        echelon.insert(&[a], &mut scratch);
        for cell in [b, c, d] {
            assert!(echelon.contains(&[cell], &mut scratch));
        }
    }
}
