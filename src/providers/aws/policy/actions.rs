//! [`ActionSet`]: a set of catalogue actions, as a bitset over their indices.
//!
//! Effective permissions are unions, differences and intersections of these
//! sets, so a principal with `*` costs a few hundred word operations, not
//! twenty thousand string comparisons.

/// A set of indices into the action catalogue.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActionSet {
    words: Box<[u64]>,
}

impl std::fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ActionSet({} actions)", self.len())
    }
}

impl ActionSet {
    /// The empty set over a catalogue of `n` actions.
    pub fn empty(n: usize) -> Self {
        ActionSet {
            words: vec![0; n.div_ceil(64)].into_boxed_slice(),
        }
    }

    /// Every action of a catalogue of `n` actions.
    pub fn full(n: usize) -> Self {
        let mut set = Self::empty(n);
        for i in 0..n / 64 {
            set.words[i] = u64::MAX;
        }
        if !n.is_multiple_of(64) {
            set.words[n / 64] = (1u64 << (n % 64)) - 1;
        }
        set
    }

    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Adds every action of `other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a |= b;
        }
    }

    /// Removes every action of `other`.
    pub fn subtract(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a &= !b;
        }
    }

    /// Keeps only the actions also in `other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a &= b;
        }
    }

    /// `self ∩ other`, as a new set.
    pub fn and(&self, other: &ActionSet) -> ActionSet {
        let mut out = self.clone();
        out.intersect_with(other);
        out
    }

    /// Whether the two sets share an action.
    pub fn intersects(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(other.words.iter())
            .any(|(a, b)| a & b != 0)
    }

    /// Whether every action of `other` is in `self`.
    pub fn is_superset(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(other.words.iter())
            .all(|(a, b)| b & !a == 0)
    }

    /// The complement within a catalogue of `n` actions.
    pub fn complement(&self, n: usize) -> ActionSet {
        let mut out = Self::full(n);
        out.subtract(self);
        out
    }

    /// Indices in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(w * 64 + i)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ActionSet;

    #[test]
    fn set_operations() {
        let n = 130;
        let full = ActionSet::full(n);
        assert_eq!(full.len(), 130);
        assert!(full.contains(129) && !full.contains(130));
        let mut a = ActionSet::empty(n);
        a.insert(3);
        a.insert(64);
        a.insert(129);
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![3, 64, 129]);
        assert!(full.is_superset(&a) && !a.is_superset(&full));
        let c = a.complement(n);
        assert_eq!(c.len(), 127);
        assert!(!c.intersects(&a));
        let mut b = ActionSet::empty(n);
        b.insert(64);
        assert_eq!(a.and(&b).iter().collect::<Vec<_>>(), vec![64]);
        a.subtract(&b);
        assert_eq!(a.len(), 2);
        a.union_with(&b);
        assert_eq!(a.len(), 3);
        assert!(ActionSet::empty(n).is_empty());
    }
}
