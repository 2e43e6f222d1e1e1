//! Integration tests of the live sources against loopback servers that speak each service's
//! real wire format, with the faults real networks have.

mod util;

mod config_file;
mod jetstream;
mod mastodon;
