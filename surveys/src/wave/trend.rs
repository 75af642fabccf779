//! Figures across waves: which may be set side by side, and how they changed.
