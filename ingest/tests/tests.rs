//! Integration tests of the live sources against loopback servers that speak each service's
//! real wire format, with the faults real networks have.

mod util;

mod config_file;
mod hackernews;
mod jetstream;
mod jsonl_tail;
mod lemmy;
mod mastodon;
mod nostr;
mod reddit;
mod rss;
mod statuspage;
