//! Response rates per class code and per school.
