//! Turning the HTML that some networks send (Mastodon `content`, HN comments) into plain text.

/// True when `text` contains something that looks like an HTML tag or entity, so that plain
/// text such as "a < b" is left alone.
pub fn looks_like_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(2).any(|w| {
        (w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
            || (w[0] == b'&' && (w[1].is_ascii_alphabetic() || w[1] == b'#'))
    })
}

/// Strips tags, turns block breaks into spaces and newlines, decodes entities and collapses
/// runs of whitespace. Text that does not look like HTML is returned trimmed but unchanged.
pub fn strip_html(text: &str) -> String {
    if !looks_like_html(text) {
        return text.trim().to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => {
                    let tag = rest[1..end].trim_start_matches('/').to_ascii_lowercase();
                    let name: String = tag
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    if matches!(
                        name.as_str(),
                        "br" | "p" | "div" | "li" | "blockquote" | "tr" | "h1" | "h2" | "h3"
                    ) {
                        out.push('\n');
                    }
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push('<');
                    rest = &rest[1..];
                }
            }
        } else {
            let (decoded, used) = decode_entity(rest);
            out.push_str(&decoded);
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    collapse_whitespace(&out)
}

fn decode_entity(s: &str) -> (String, usize) {
    let Some(end) = s[..s.len().min(12)].find(';') else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ if name.starts_with("#x") || name.starts_with("#X") => {
            u32::from_str_radix(&name[2..], 16)
                .ok()
                .and_then(char::from_u32)
        }
        _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
        _ => None,
    };
    match decoded {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&words.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_mastodon_content() {
        let html = r#"<p>Is <a href="https://x.y/tags/WhatsAppDown" class="mention hashtag">#<span>WhatsAppDown</span></a> for anyone?</p><p>caiu aqui &amp; ali&#33;</p>"#;
        assert_eq!(
            strip_html(html),
            "Is #WhatsAppDown for anyone?\ncaiu aqui & ali!"
        );
    }

    #[test]
    fn leaves_plain_text_alone() {
        assert_eq!(strip_html(" 3 < 4 and 5 > 2 "), "3 < 4 and 5 > 2");
        assert_eq!(strip_html("AT&T down"), "AT&T down");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for s in [
            "<p",
            "&#xZZZ;",
            "&#99999999999;",
            "<p>&",
            "&;",
            "<<<>>>",
            "&#x1F600;",
        ] {
            let _ = strip_html(s);
        }
        assert_eq!(strip_html("<b>hi</b> &#x1F600;"), "hi 😀");
    }
}
