//! The allocator of the xtask process. Generation allocates and frees
//! millions of small strings and token trees; with the system allocator,
//! `malloc` and `free` were 30% of the instructions of generating the full
//! 17.12.1 document. mimalloc's version 2 makes the whole process about a
//! third faster for about 11 MiB more peak memory (its version 3 is no faster
//! and holds 18 MiB more); BENCHMARKS.md has the figures.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
