//! AWS policy documents: parsing, and the privilege level they grant.
