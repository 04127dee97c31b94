//! The ids of the events the service already acted on, so that a delivery
//! the platform sends again (after a `5xx`, or a lost answer) is not acted
//! on twice.
//!
//! Kept in memory, for the most recent [`CAPACITY`] events: enough for one
//! instance; several instances behind a load balancer would share this in a
//! store such as Redis instead.

use std::collections::{HashSet, VecDeque};

/// How many event ids are remembered.
pub const CAPACITY: usize = 10_000;

/// The most recent event ids acted on, oldest first.
#[derive(Debug, Default)]
pub struct SeenEvents {
    order: VecDeque<String>,
    ids: HashSet<String>,
}

impl SeenEvents {
    /// Whether the event `id` was acted on.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Remembers that the event `id` was acted on, forgetting the oldest id
    /// when full.
    pub fn insert(&mut self, id: String) {
        if !self.ids.insert(id.clone()) {
            return;
        }
        self.order.push_back(id);
        if self.order.len() > CAPACITY {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_id_is_forgotten_when_full() {
        let mut seen = SeenEvents::default();
        for n in 0..=CAPACITY {
            seen.insert(format!("evt-{n}"));
        }
        seen.insert(format!("evt-{CAPACITY}"));

        assert!(!seen.contains("evt-0"));
        assert!(seen.contains("evt-1"));
        assert!(seen.contains(&format!("evt-{CAPACITY}")));
        assert_eq!(seen.order.len(), CAPACITY);
        assert_eq!(seen.ids.len(), CAPACITY);
    }
}
