//! Which symptom kinds a complaint names when its cues point at several: the rules that decide
//! whether a symptom word names what is broken or is only context, applied after the phrase
//! banks and topic words have named their kinds (`Classifier::analyze_with`, step 8 of
//! docs/CLASSIFIER.md). It owns only these precedence rules over already-found hits; finding
//! phrases, guards, platforms and the complaint decision belong to the rest of `classify` and
//! must not move here.

use super::Hit;
use super::rule_words::RuleWords;
use crate::lexicon::tokens::Token;
use crate::lexicon::{Cue, Lexicon, without_glued_and};
use outcry_model::Symptom;

/// A symptom one hit named, before the precedence rules.
#[derive(Debug, Clone, Copy)]
pub(super) struct Named {
    pub(super) symptom: Symptom,
    /// Index of the hit in the post's hit list.
    pub(super) hit: usize,
}

/// Whether a conjunction of the post's language ("and", "y", "e", "en") stands between the
/// complaint cue `cue` and the topic word `topic` and starts a new thought: "outlook down and
/// i have a client call in 10 min", "whatsapp caído y yo esperando el audio" name no calls
/// and no media. A topic that is itself the subject of the new conjunct, right after the
/// conjunction (glued to it: "والفيديو") or behind filler words only ("comments won't load and
/// videos stop", "y los audios no bajan"), is still what is broken — except the connection,
/// which after "and" is the author's own far more often ("يقطع في نص الفيديو والنت فل",
/// "and my internet is fine").
pub(super) fn conjunction_between(
    folded: &str,
    tokens: &[Token],
    lexicon: &Lexicon,
    cue: &Hit,
    topic: &Hit,
) -> bool {
    let own_connection = topic.cue == Cue::Topic(Symptom::Connectivity);
    let text = |t: u32| tokens.get(t as usize).map_or("", |tok| tok.text(folded));
    if cue.last < topic.first {
        let glued = text(topic.first);
        if own_connection && without_glued_and(&lexicon.name_affixes, glued).len() < glued.len() {
            return true;
        }
    }
    let (lo, hi) = if cue.last < topic.first {
        (cue.last + 1, topic.first)
    } else if topic.last < cue.first {
        (topic.last + 1, cue.first)
    } else {
        return false;
    };
    (lo..hi).any(|c| {
        lexicon.conjunctions.iter().any(|w| w == text(c))
            && (own_connection
                || !(topic.first > c
                    && (c + 1..topic.first).all(|t| lexicon.skip_words.contains(text(t)))))
    })
}

/// Whether a symptom phrase has a topic word of its own kind inside it ("no me llegan los
/// mensajes"), as opposed to a bare verb of delivery ("non arrivano", "não chega").
pub(super) fn names_its_object(hits: &[Hit], phrase: &Hit, kind: Symptom) -> bool {
    hits.iter()
        .any(|t| t.cue == Cue::Topic(kind) && phrase.first <= t.first && t.last <= phrase.last)
}

/// Whether a phrase is about putting a file onto the service (`upload` in
/// `data/rule_words.toml`: "upload", "subir", "hochladen", "wrzucić", "アップ"): a media phrase
/// with one ("can't upload videos to youtube") stays media on a video service.
pub(super) fn is_upload(phrase: &Hit, folded: &str, tokens: &[Token], words: &RuleWords) -> bool {
    words
        .upload
        .in_span(phrase.first, phrase.last, folded, tokens)
}

/// Whether a phrase is about text messages (`sms` in `data/rule_words.toml`: "no me llega el
/// sms"): for a telecom, whose network carries them, those are messages, not the login codes
/// they are for an app.
pub(super) fn is_about_sms(
    phrase: &Hit,
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) -> bool {
    words.sms.in_span(phrase.first, phrase.last, folded, tokens)
}

/// Messages that carry something else: a messaging cue — a topic word ("messages", "DM",
/// "sms"), or a messaging phrase without a messaging word in it ("non arrivano", "ما يوصل")
/// — in the sentence of a login or notifications cue names no messaging symptom. "the
/// verification code never arrives by sms" is login, "notifications don't come, I only see
/// the messages when I open the app" is notifications. A phrase that names messages itself
/// ("no me llegan los mensajes ni las notificaciones") keeps its kind.
pub(super) fn drop_carrier_messages(named: &mut Vec<Named>, hits: &[Hit], tokens: &[Token]) {
    let sentence = |h: &Hit| tokens[h.first as usize].sentence;
    let carried: Vec<u16> = named
        .iter()
        .filter(|n| matches!(n.symptom, Symptom::Login | Symptom::Notifications))
        .map(|n| sentence(&hits[n.hit]))
        .collect();
    if carried.is_empty() {
        return;
    }
    named.retain(|n| {
        let h = &hits[n.hit];
        n.symptom != Symptom::Messaging
            || !carried.contains(&sentence(h))
            || matches!(h.cue, Cue::Symptom(_)) && names_its_object(hits, h, Symptom::Messaging)
    });
}

/// A connection that carries a call is that call (not for telecoms, whose service the
/// connection is): a connectivity phrase whose clause names a voice channel or a call outside
/// the phrase itself ("голосовые каналы не подключаются", "no me conecta a ningún canal de
/// voz", "huddles won't connect") names calls. A connection error beside it in another
/// clause ("can't join voice, stuck on RTC connecting") keeps its own kind, and so does a
/// phrase whose only call word is its own ("جاري الاتصال": connecting, or calling).
pub(super) fn connection_of_a_call(
    named: &mut [Named],
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    lexicon: Option<&Lexicon>,
) {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    for n in named
        .iter_mut()
        .filter(|n| n.symptom == Symptom::Connectivity)
    {
        let phrase = &hits[n.hit];
        let calls_topic = matches!(phrase.cue, Cue::Symptom(_))
            && hits.iter().any(|t| {
                t.cue == Cue::Topic(Symptom::Calls)
                    && t.vetoed_by.is_none()
                    && (t.last < phrase.first || phrase.last < t.first)
                    && clause(t) == clause(phrase)
                    && !lexicon.is_some_and(|l| conjunction_between(folded, tokens, l, phrase, t))
            });
        if calls_topic {
            n.symptom = Symptom::Calls;
        }
    }
}

/// A picture that freezes is playback on a video or music service: a crash phrase ("se
/// congela", "friert ein", "зависает") after a media or playback topic word of its clause
/// ("la peli se congela", "das Bild friert ein", "стрим зависает") names playback when every
/// platform of the complaint is played back, unless a conjunction separates them ("streams
/// keep buffering and chat is frozen"). The app itself crashing ("netflix keeps
/// crashing", "tiktok se cierra cada que abro un video": the topic comes after) stays crash.
/// A black or frozen *screen* ("pantalla negra", "écran noir", "zwart scherm") on such a
/// service is always how the picture fails to play (`screen` in `data/rule_words.toml`); a white or blank one
/// ("YouTubeのホームが真っ白") is the app's own screen, a crash ([`shows_a_dark_screen`]).
pub(super) fn freezing_picture_is_playback(
    named: &mut [Named],
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    lexicon: Option<&Lexicon>,
    words: &RuleWords,
) {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    for n in named.iter_mut().filter(|n| n.symptom == Symptom::Crash) {
        let crash = &hits[n.hit];
        if matches!(crash.cue, Cue::Symptom(_)) && shows_a_dark_screen(crash, folded, tokens, words)
        {
            n.symptom = Symptom::Playback;
            continue;
        }
        let after_picture = hits.iter().any(|t| {
            matches!(t.cue, Cue::Topic(Symptom::Media | Symptom::Playback))
                && t.vetoed_by.is_none()
                && t.last < crash.first
                && clause(t) == clause(crash)
                && !lexicon.is_some_and(|l| conjunction_between(folded, tokens, l, crash, t))
        });
        if matches!(crash.cue, Cue::Symptom(_)) && after_picture {
            n.symptom = Symptom::Playback;
        }
    }
}

/// Whether a phrase says that a stream stops or freezes (`stream_stop` in
/// `data/rule_words.toml`: "si blocca", "ruckelt", "зависает", "lagging", "يعلق", and the
/// Japanese verbs of watching and stopping, "見れない", "止まる", "固まる"; or a dark screen:
/// [`shows_a_dark_screen`]). On a video or music service what cannot be watched, keeps
/// stopping or stutters is the stream; verbs that also say the app closes ("crashes", "se
/// cierra") are not listed, so the app itself crashing stays crash.
fn says_the_stream_stops(phrase: &Hit, folded: &str, tokens: &[Token], words: &RuleWords) -> bool {
    words
        .stream_stop
        .in_span(phrase.first, phrase.last, folded, tokens)
        || shows_a_dark_screen(phrase, folded, tokens, words)
}

/// On a video or music service a stream that stops is playback: a complaint that names
/// nothing else but says the author cannot watch it, or that it freezes or stops
/// ("ネトフリ見れない、エラー出る", "prime video si blocca di continuo", "نتفلكس ما يشتغل، شاشة
/// سوداء"), names playback; so does a crash phrase that says it freezes rather than closes
/// ("twitch zacina się", "ABEMA…固まる"), unless its clause names another part of the
/// service ("chat is frozen" stays a crash). Called only when every platform of the
/// complaint is played back.
pub(super) fn stopping_stream_is_playback(
    named: &mut Vec<Named>,
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    // "chat is frozen" on Twitch: the freeze of another part of the service stays a crash.
    let other_part_in = |c: u16| {
        hits.iter().any(|t| {
            matches!(t.cue, Cue::Topic(k) if !matches!(k, Symptom::Media | Symptom::Playback))
                && t.vetoed_by.is_none()
                && clause(t) == c
        })
    };
    for n in named.iter_mut().filter(|n| n.symptom == Symptom::Crash) {
        let crash = &hits[n.hit];
        if says_the_stream_stops(crash, folded, tokens, words) && !other_part_in(clause(crash)) {
            n.symptom = Symptom::Playback;
        }
    }
    if !named.is_empty() {
        return;
    }
    let stopped = hits.iter().position(|h| {
        h.vetoed_by.is_none()
            && !h.bound.is_empty()
            && matches!(h.cue, Cue::Outage | Cue::Weak)
            && says_the_stream_stops(h, folded, tokens, words)
    });
    if let Some(hit) = stopped {
        named.push(Named {
            symptom: Symptom::Playback,
            hit,
        });
    }
}

/// Whether a crash phrase is about a dark screen: a word of `screen` and none of `blank`
/// (`data/rule_words.toml`): "pantalla negra", "黒い画面", but not "pantalla blanca",
/// "白い画面". A black screen on a video or music service is a picture that does not play; a
/// white or blank one is the app failing to draw itself, a crash by the lead's convention
/// (twelfth session), even on a video service.
fn shows_a_dark_screen(phrase: &Hit, folded: &str, tokens: &[Token], words: &RuleWords) -> bool {
    words
        .screen
        .in_span(phrase.first, phrase.last, folded, tokens)
        && !words
            .blank
            .in_span(phrase.first, phrase.last, folded, tokens)
}

/// Whether the clause `clause` puts something up on the service (a word of `upload`,
/// `posting` or `posting_words` in `data/rule_words.toml` outside the topic word `topic`):
/// "can't post my story", "impossible de publier une story", "ストーリー上げられない". A story,
/// reel or status posted is a file put onto the service (media); one that does not load is the
/// feed people scroll (the lead's convention, twelfth session).
pub(super) fn clause_puts_up(
    clause: u16,
    topic: &Hit,
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) -> bool {
    let prefixes = [&words.upload, &words.posting];
    let mut span: Option<(u32, u32)> = None;
    for (t, token) in tokens.iter().enumerate() {
        if token.clause != clause {
            continue;
        }
        span = Some(span.map_or((token.start, token.end), |(s, _)| (s, token.end)));
        let t = t as u32;
        if topic.first <= t && t <= topic.last {
            continue;
        }
        let word = token.text(folded);
        let Some(&first) = word.as_bytes().first() else {
            continue;
        };
        if words.posting_words.iter().any(|w| w == word)
            || prefixes
                .iter()
                .any(|p| p.may_start(first) && p.starts(word))
        {
            return true;
        }
    }
    span.is_some_and(|(s, e)| {
        let text = &folded[s as usize..e as usize];
        prefixes.iter().any(|p| p.inside(text))
    })
}

/// HTTP error codes written as a word ("502", "503s", "5xx").
const ERROR_CODES: &[&str] = &[
    "500", "501", "502", "503", "504", "500s", "502s", "503s", "504s", "5xx",
];

/// Where the post shows the app's own error, and how surely: the sentence of its first HTTP
/// code ([`ERROR_CODES`]) or error text (`error_texts` in `data/rule_words.toml`: "something
/// went wrong", "algo salió mal", "問題が発生"), which are the app's words, else of its first
/// error word (`error_words`, `error_mentions`: "fehler", "erroring", "エラー", "nicht
/// verfügbar"), which the author may use of their own doing ("fehler meinerseits", "kept
/// erroring because I typed recat"), in a post of the lexicon `lexicon` (whose
/// `everyday_error_words` are no error words: "wa lagi error").
pub(super) fn error_shown(
    folded: &str,
    tokens: &[Token],
    lexicon: Option<usize>,
    words: &RuleWords,
) -> Option<ErrorShown> {
    let code = tokens
        .iter()
        .find(|t| ERROR_CODES.contains(&t.text(folded)));
    // One pass of an automaton over the text finds the leftmost of a list's texts (a `find`
    // per text built a searcher for each, some forty per post).
    let at_text = |texts: &super::rule_words::Texts| {
        texts
            .find(folded)
            .and_then(|at| tokens.iter().find(|t| t.end as usize > at))
    };
    let phrase = at_text(&words.error_texts);
    let first = match (code, phrase) {
        (Some(a), Some(b)) => Some(if a.start <= b.start { a } else { b }),
        (a, b) => a.or(b),
    };
    if let Some(t) = first {
        return Some(ErrorShown {
            sentence: t.sentence,
            by_word_only: false,
        });
    }
    let everyday = words.everyday_error_words(lexicon);
    let mention = at_text(&words.error_mentions);
    tokens
        .iter()
        .find(|t| {
            let word = t.text(folded);
            word.as_bytes().first().is_some_and(|&first| {
                words.error_words.may_start(first)
                    && words
                        .error_words
                        .starts_with_any(word, |w| !everyday.iter().any(|e| e == w))
            })
        })
        .map_or(mention, |t| match mention {
            Some(m) if m.start < t.start => Some(m),
            _ => Some(t),
        })
        .map(|t| ErrorShown {
            sentence: t.sentence,
            by_word_only: true,
        })
}

/// Where a post shows the app's own error ([`error_shown`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct ErrorShown {
    /// The sentence of the error.
    pub(super) sentence: u16,
    /// Whether only an error word says it ("Fehler", "erroring"), no code or error text.
    pub(super) by_word_only: bool,
}

/// The app's own error names what it is about: a complaint that names no symptom of any kind
/// but shows an error text or code ("something went wrong", "error 500", "حدث خطأ";
/// [`error_shown`]) names the sign-in or the payment when its sentence names one ("'errore
/// tecnico' al login", "WEB.DE Login: 'Es ist ein technischer Fehler aufgetreten'"), or, with
/// nothing else said, the catch-all `other` — `playback` on a video or music service, where
/// the error comes while watching or listening (the lead's convention, twelfth session).
/// Other topic words beside an error are its circumstances, not its kind ("'Algo salió mal'
/// en cada mensaje", "пуш отклоняется с 500": a git push, not a notification; "server
/// error" names no connection). `hit` is the complaint cue the symptom is shown against; `topics`, the topic hits
/// that may name a kind (not inside a platform name, a phrase or a longer topic). Returns
/// where the error was shown when it named a kind.
#[allow(clippy::too_many_arguments)]
pub(super) fn error_text_names_other(
    named: &mut Vec<Named>,
    hits: &[Hit],
    topics: &[usize],
    hit: usize,
    played_back: bool,
    folded: &str,
    tokens: &[Token],
    lexicon: Option<usize>,
    words: &RuleWords,
) -> Option<ErrorShown> {
    if !named.is_empty() {
        return None;
    }
    let shown = error_shown(folded, tokens, lexicon, words)?;
    let sentence = shown.sentence;
    let topic = topics.iter().copied().find(|&t| {
        let h = &hits[t];
        tokens[h.first as usize].sentence == sentence
            && matches!(h.cue, Cue::Topic(Symptom::Login | Symptom::Payments))
    });
    named.push(match topic {
        _ if played_back => Named {
            symptom: Symptom::Playback,
            hit,
        },
        Some(t) => match hits[t].cue {
            Cue::Topic(symptom) => Named { symptom, hit: t },
            _ => Named {
                symptom: Symptom::Other,
                hit,
            },
        },
        None => Named {
            symptom: Symptom::Other,
            hit,
        },
    });
    Some(shown)
}

/// An app that crashes during a call or a meeting fails the call too: a crash cue whose
/// clause names a call ("teams plante en pleine réunion", "Zoom stürzt beim Beitreten zur
/// Besprechung ab", "zoom zamyka się, jak tylko dołączam do spotkania") also names calls (the
/// lead's convention, twelfth session). A meeting in another clause or after a conjunction
/// is only why the author needs the app ("Teams stürzt ab, in 5 Minuten hab ich ein
/// Meeting", "outlook down and i have a call in 10 min") and names nothing.
pub(super) fn crash_in_a_call_is_calls_too(
    named: &mut Vec<Named>,
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    lexicon: Option<&Lexicon>,
) {
    if named.iter().any(|n| n.symptom == Symptom::Calls) {
        return;
    }
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    let call = named
        .iter()
        .filter(|n| n.symptom == Symptom::Crash)
        .find_map(|n| {
            let crash = &hits[n.hit];
            hits.iter().position(|t| {
                t.cue == Cue::Topic(Symptom::Calls)
                    && t.vetoed_by.is_none()
                    && (t.last < crash.first || crash.last < t.first)
                    && clause(t) == clause(crash)
                    && !lexicon.is_some_and(|l| conjunction_between(folded, tokens, l, crash, t))
            })
        });
    if let Some(hit) = call {
        named.push(Named {
            symptom: Symptom::Calls,
            hit,
        });
    }
}

/// Whether `h` is a feed phrase that names no part of the feed: "stuck loading", "loading
/// circle", "no carga nada" say that something fails to load, not what, and no feed topic
/// word ("timeline", "posts") stands in its clause.
pub(super) fn is_bare_loading(h: &Hit, hits: &[Hit], tokens: &[Token]) -> bool {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    h.cue == Cue::Symptom(Symptom::Feed)
        && !hits.iter().any(|t| {
            t.cue == Cue::Topic(Symptom::Feed) && t.vetoed_by.is_none() && clause(t) == clause(h)
        })
}

/// On a video or music service what keeps loading is the stream: a bare loading phrase
/// ([`is_bare_loading`]: "no carga nada", "stuck on the loading circle", "Ladekreis") that
/// still names the feed after [`bare_loading_gives_way`] names playback there ("netflix no
/// carga nada, se queda en la ruedita"). Where the post names a part of the feed anywhere
/// ("youtube home page is empty, no videos show up") the feed is what fails and the phrase
/// keeps its kind. Called only when every platform of the complaint is played back.
pub(super) fn loading_stream_is_playback(named: &mut [Named], hits: &[Hit], tokens: &[Token]) {
    if hits
        .iter()
        .any(|t| t.cue == Cue::Topic(Symptom::Feed) && t.vetoed_by.is_none())
    {
        return;
    }
    for n in named.iter_mut() {
        if n.symptom == Symptom::Feed && is_bare_loading(&hits[n.hit], hits, tokens) {
            n.symptom = Symptom::Playback;
        }
    }
}

/// A video or music service places no calls: a calls phrase about it ("no se escucha nada",
/// "no audio", "can't hear anything" on Spotify or Netflix) is the sound of the stream, which
/// is playback. Called only when every platform of the complaint is played back.
pub(super) fn sound_of_a_stream_is_playback(named: &mut [Named]) {
    for n in named.iter_mut().filter(|n| n.symptom == Symptom::Calls) {
        n.symptom = Symptom::Playback;
    }
}

/// A game is played, not played back: a playback cue about a game service ("match ke beech
/// mein nikal diya", "non mi connette alle partite online", "ngelag parah") names no
/// playback symptom; its lag and disconnections are named by the connection cues beside it.
/// Called only when every platform of the complaint is a game service (catalog category
/// `gaming`).
pub(super) fn games_are_not_played_back(named: &mut Vec<Named>) {
    named.retain(|n| n.symptom != Symptom::Playback);
}

/// An assistant's messages are its answers: a message or stream cue about a chatbot ("something
/// went wrong à chaque message", "error in message stream", "回答が途中で止まる", "يعرض رسالة
/// خطأ مع كل سؤال") says that its answer fails, which writers label the catch-all kind, never
/// messaging or playback (docs/CLASSIFIER.md, "Fourteenth session: H-sym14"). Called only when
/// every platform of the complaint is an AI assistant (catalog category `ai`).
pub(super) fn assistant_messages_are_answers(named: &mut [Named]) {
    for n in named.iter_mut() {
        if matches!(n.symptom, Symptom::Messaging | Symptom::Playback) {
            n.symptom = Symptom::Other;
        }
    }
}

/// A service without a feed has no feed symptom: a loading or spinning cue about a shop, a
/// bank, a work tool or a booking site ("hepsiburada sadece yükleniyor", "la page tourne dans
/// le vide" on Doctolib, "no carga los casos" on Salesforce) says that some other part of it
/// failed. Every labelled feed symptom is about a social network, a messenger (channels,
/// statuses), a video service or a search engine; on the others the writers label the
/// catch-all kind, or only the specific kind another cue names ("paypal dreht sich im kreis,
/// keine zahlung geht durch" is payments). So the feed becomes `other` when nothing else is
/// named, and is dropped when something is. A blank screen beside it ("doctolib n'affiche plus
/// aucun créneau, juste la page blanche", "jira ticketları açmıyor, sadece beyaz ekran") says
/// how the part fails to show, not which: the feed still becomes `other` beside that crash.
/// Called only when no platform of the complaint is of a category with a feed.
pub(super) fn feedless_service_has_no_feed(named: &mut Vec<Named>) {
    let Some(feed) = named.iter().position(|n| n.symptom == Symptom::Feed) else {
        return;
    };
    if named
        .iter()
        .all(|n| matches!(n.symptom, Symptom::Feed | Symptom::Other | Symptom::Crash))
    {
        named[feed].symptom = Symptom::Other;
    }
    named.retain(|n| n.symptom != Symptom::Feed);
}

/// Whether a cue of the negated-verb rule is a separable verb of crashing with its particle
/// after it (`separable_crashes` in `data/rule_words.toml`: "stürzt … ab", "schmiert … ab",
/// "loopt … vast", "sluit … af"). Other separable verbs of failure ("fällt aus", "hängt auf",
/// "valt uit") say that something is down or stuck, not what.
pub(super) fn is_separable_crash(
    verb: &super::negation::NegatedVerb,
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) -> bool {
    let (particle, _) = verb.negation;
    particle > verb.verb
        && words.separable_crashes.iter().any(|(stem, part)| {
            tokens[verb.verb as usize]
                .text(folded)
                .starts_with(stem.as_str())
                && tokens[particle as usize].text(folded) == part
        })
}

/// What does not load is what its sentence names: a bare loading phrase ([`is_bare_loading`])
/// lets the topic words of its clause name their kinds, as a plain complaint phrase does, and
/// names no feed itself when a topic word or another symptom phrase of its sentence names a
/// kind ("i vocali non partono, resta la rotellina che gira" is media: the spinning wheel
/// after the comma is what does not load; "ig stories stuck on the loading circle" is the
/// feed the stories are, by the lead's convention of the twelfth session). Alone ("instagram no
/// carga nada") it still names the feed, and so it does when a platform is named between the
/// two (`platform_between`): "los mensajes se quedan con el relojito y en insta no se
/// actualiza nada" says what fails on a second service, whose feed does not load.
pub(super) fn bare_loading_gives_way(
    named: &mut Vec<Named>,
    hits: &[Hit],
    tokens: &[Token],
    platform_between: impl Fn(u32, u32) -> bool,
) {
    let sentence = |h: &Hit| tokens[h.first as usize].sentence;
    let naming: Vec<&Hit> = named
        .iter()
        .map(|n| &hits[n.hit])
        .filter(|h| {
            // A connection error ("502 error", "sin conexión") says why nothing loads, not
            // what: the loading phrase beside it keeps its kind.
            matches!(h.cue, Cue::Topic(_))
                || matches!(h.cue, Cue::Symptom(k) if k != Symptom::Connectivity)
                    && !is_bare_loading(h, hits, tokens)
        })
        .collect();
    if naming.is_empty() {
        return;
    }
    named.retain(|n| {
        let h = &hits[n.hit];
        !(is_bare_loading(h, hits, tokens)
            && naming.iter().any(|t| {
                sentence(t) == sentence(h)
                    && !platform_between(t.last.min(h.last), t.first.max(h.first))
            }))
    });
}

/// Whether a contrast word (`contrast` in `data/rule_words.toml`: "but", "tapi", "lekin")
/// stands between two hits: "jio ka data wapas aa gaya but calls abhi bhi nahi lag rahi" puts
/// the data that came back on one side and the calls still down on the other.
fn contrast_between(a: &Hit, b: &Hit, folded: &str, tokens: &[Token], words: &RuleWords) -> bool {
    contrast_at(a, b, folded, tokens, words).is_some()
}

/// The first contrast word between two hits, if any ([`contrast_between`]).
fn contrast_at(a: &Hit, b: &Hit, folded: &str, tokens: &[Token], words: &RuleWords) -> Option<u32> {
    let (lo, hi) = if a.last < b.first {
        (a.last + 1, b.first)
    } else if b.last < a.first {
        (b.last + 1, a.first)
    } else {
        return None;
    };
    (lo..hi).find(|&t| {
        let word = tokens[t as usize].text(folded);
        words.contrast.iter().any(|w| w == word)
    })
}

/// The tokens on a topic word's side of a contrast word that stands between it and a complaint
/// cue: from two tokens before the topic (in its clause) to the contrast word when the topic
/// comes first ("DMs work | but the feed won't load"), else up to three tokens after the topic in its clause ("stories won't
/// load but the feed | works"). None when no contrast word stands between them.
pub(super) fn topic_side_of_contrast(
    cue: &Hit,
    topic: &Hit,
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) -> Option<std::ops::Range<usize>> {
    if topic.last < cue.first {
        let contrast = contrast_at(topic, cue, folded, tokens, words)?;
        // Also the two tokens before the topic in its clause: the verb comes second in Dutch
        // and German ("bij insta werken de berichten wel, maar ...").
        let clause = tokens[topic.first as usize].clause;
        let start = (topic.first.saturating_sub(2)..topic.first)
            .find(|&t| tokens[t as usize].clause == clause)
            .unwrap_or(topic.first);
        Some(start as usize..contrast as usize)
    } else if cue.last < topic.first {
        contrast_at(cue, topic, folded, tokens, words)?;
        let clause = tokens[topic.last as usize].clause;
        let end = (topic.last as usize + 1..tokens.len().min(topic.last as usize + 4))
            .find(|&t| tokens[t].clause != clause)
            .unwrap_or(tokens.len().min(topic.last as usize + 4));
        Some(topic.last as usize + 1..end)
    } else {
        None
    }
}

/// What came back is not what is broken: a topic word on the side of a recovery phrase of
/// its sentence ("data wapas aa gaya", "udah bisa chat lagi"), set against every complaint
/// cue of that sentence by a contrast word ("but", "tapi"), names no symptom: "WA udah bisa
/// chat lagi tapi kirim foto masih gagal" is media only.
pub(super) fn recovered_topic_names_nothing(
    named: &mut Vec<Named>,
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) {
    let sentence = |h: &Hit| tokens[h.first as usize].sentence;
    named.retain(|n| {
        let topic = &hits[n.hit];
        if !matches!(topic.cue, Cue::Topic(_)) {
            return true;
        }
        let recovered = hits.iter().any(|r| {
            r.cue == Cue::Recovery
                && r.vetoed_by.is_none()
                && sentence(r) == sentence(topic)
                && !contrast_between(r, topic, folded, tokens, words)
        });
        !recovered
            || hits.iter().any(|c| {
                c.cue.is_complaint()
                    && c.vetoed_by.is_none()
                    && sentence(c) == sentence(topic)
                    && !(c.first <= topic.last && topic.first <= c.last)
                    && !contrast_between(c, topic, folded, tokens, words)
            })
    });
}

/// A bare verb of sending names what its sentence sends: a messaging phrase without a
/// messaging word of its own ("won't send", "não manda", "envoi en cours") gives way to a
/// media or payments topic word of its sentence that names its kind ("photos still won't
/// send", "zap não manda áudio nem foto", "publier ma story, ça reste bloqué sur envoi en
/// cours", "no me deja mandar dinero", "nie chce wysłać pieniędzy"): the photos or the money,
/// not the messages, are what fails. A phrase that names its messages ("can't send
/// messages") keeps its kind.
pub(super) fn bare_sending_gives_way(named: &mut Vec<Named>, hits: &[Hit], tokens: &[Token]) {
    let sentence = |h: &Hit| tokens[h.first as usize].sentence;
    let media_sentences: Vec<u16> = named
        .iter()
        .filter(|n| {
            matches!(n.symptom, Symptom::Media | Symptom::Payments)
                && hits[n.hit].cue == Cue::Topic(n.symptom)
        })
        .map(|n| sentence(&hits[n.hit]))
        .collect();
    if media_sentences.is_empty() {
        return;
    }
    named.retain(|n| {
        let h = &hits[n.hit];
        !(n.symptom == Symptom::Messaging
            && h.cue == Cue::Symptom(Symptom::Messaging)
            && !names_its_object(hits, h, Symptom::Messaging)
            && media_sentences.contains(&sentence(h)))
    });
}

/// Thrown out of what is running: a login phrase of being thrown out (`kick` in
/// `data/rule_words.toml`: "kicks me out", "me echa", "wirft mich raus", "выкидывает") in the sentence of a calls or playback cue ("prime video keeps buffering
/// then kicks me out", "teams keeps kicking me out of the standup, audio cuts") is the call or
/// the stream ending, which that cue names, not a lost sign-in, unless the sentence names the
/// account, the password or the login itself ("me echa cada vez que meto la clave").
pub(super) fn kicked_out_of_what_runs(
    named: &mut Vec<Named>,
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) {
    let sentence = |h: &Hit| tokens[h.first as usize].sentence;
    let running: Vec<u16> = named
        .iter()
        .filter(|n| matches!(n.symptom, Symptom::Calls | Symptom::Playback))
        .map(|n| sentence(&hits[n.hit]))
        .collect();
    if running.is_empty() {
        return;
    }
    let login_topic_in = |s: u16| {
        hits.iter().any(|t| {
            t.cue == Cue::Topic(Symptom::Login) && t.vetoed_by.is_none() && sentence(t) == s
        })
    };
    named.retain(|n| {
        let h = &hits[n.hit];
        !(n.symptom == Symptom::Login
            && h.cue == Cue::Symptom(Symptom::Login)
            && running.contains(&sentence(h))
            && words.kick.in_span(h.first, h.last, folded, tokens)
            && !login_topic_in(sentence(h)))
    });
}

/// Getting into a call is the call: a login phrase ("non mi fa entrare", "me déconnecte")
/// whose clause names a call ("nei canali vocali", "en pleine réunion") says that the call
/// cannot be joined or drops, not that the account is refused, unless the clause names the
/// account too ("won't accept my password for the meeting").
pub(super) fn entering_a_call_is_calls(named: &mut [Named], hits: &[Hit], tokens: &[Token]) {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    let topic_in = |kind: Symptom, c: u16| {
        hits.iter()
            .any(|t| t.cue == Cue::Topic(kind) && t.vetoed_by.is_none() && clause(t) == c)
    };
    for n in named.iter_mut() {
        let h = &hits[n.hit];
        if n.symptom == Symptom::Login
            && h.cue == Cue::Symptom(Symptom::Login)
            && topic_in(Symptom::Calls, clause(h))
            && !topic_in(Symptom::Login, clause(h))
        {
            n.symptom = Symptom::Calls;
        }
    }
}

/// A call carries no stream: on a service that is not played back (a meeting app, a messenger,
/// a telecom), a playback cue in the sentence of a calls cue ("l'appel se coupe toutes les
/// deux minutes", "ça sonne dans le vide et ça coupe") is the sound of that call, which the
/// calls cue already names. Called only when some platform of the complaint is not played
/// back.
pub(super) fn sound_of_a_call_is_calls(named: &mut Vec<Named>, hits: &[Hit], tokens: &[Token]) {
    let sentence = |h: &Hit| tokens[h.first as usize].sentence;
    let call_sentences: Vec<u16> = named
        .iter()
        .filter(|n| n.symptom == Symptom::Calls)
        .map(|n| sentence(&hits[n.hit]))
        .collect();
    if call_sentences.is_empty() {
        return;
    }
    named.retain(|n| {
        n.symptom != Symptom::Playback || !call_sentences.contains(&sentence(&hits[n.hit]))
    });
}

/// What a notification is about is not what is broken: a topic word of another kind after a
/// notifications cue in its clause ("non mi manda più le notifiche delle consegne",
/// "перестал присылать уведомления о доставке", "ya no me manda notificaciones de los
/// directos") says which notifications do not come, and names nothing itself, unless a
/// conjunction starts a new thought between them ("notifications are late and messages
/// won't send"). A sign-in is the exception: a notification that approves a login ("la
/// notifica per autorizzare l'accesso non arriva") is a login that fails too.
pub(super) fn notified_topic_names_nothing(
    named: &mut Vec<Named>,
    hits: &[Hit],
    folded: &str,
    tokens: &[Token],
    lexicon: Option<&Lexicon>,
) {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    let notices: Vec<&Hit> = named
        .iter()
        .filter(|n| n.symptom == Symptom::Notifications)
        .map(|n| &hits[n.hit])
        .collect();
    if notices.is_empty() {
        return;
    }
    named.retain(|n| {
        let topic = &hits[n.hit];
        !(!matches!(n.symptom, Symptom::Notifications | Symptom::Login)
            && matches!(topic.cue, Cue::Topic(_))
            && notices.iter().any(|notice| {
                notice.last < topic.first
                    && clause(notice) == clause(topic)
                    && !lexicon
                        .is_some_and(|l| conjunction_between(folded, tokens, l, notice, topic))
            }))
    });
}

/// The catch-all kind gives way to a named one: a topic word of kind `other` ("pedido",
/// "zamówienie", "order") in a clause whose symptom phrase already says what failed
/// ("pagamento recusado em todo pedido", "nie mogę zapłacić za zamówienie") is the context of
/// that failure, not a second one.
pub(super) fn other_topic_gives_way(named: &mut Vec<Named>, hits: &[Hit], tokens: &[Token]) {
    let clause = |h: &Hit| tokens[h.first as usize].clause;
    let phrase_clauses: Vec<u16> = named
        .iter()
        .filter(|n| n.symptom != Symptom::Other && matches!(hits[n.hit].cue, Cue::Symptom(_)))
        .map(|n| clause(&hits[n.hit]))
        .collect();
    named.retain(|n| {
        let h = &hits[n.hit];
        !(n.symptom == Symptom::Other
            && matches!(h.cue, Cue::Topic(_))
            && phrase_clauses.contains(&clause(h)))
    });
}

/// The catch-all gives way to the part that fails: `other` (a topic word, a symptom phrase of
/// that kind) is dropped from a complaint that also names media or the feed, or that says in
/// a symptom phrase that a payment, a message or a notification fails. What the catch-all
/// words name there is that part's context, not a second failure: the download or the sync
/// of the photos that do not come ("los audios no se descargan", "iCloudの写真が同期されない",
/// "photos download nahi ho rahi, 'download failed'"), the listings whose pictures stay grey
/// ("laadt geen foto's bij advertenties"), the order or the ticket that cannot be paid ("non mi
/// fa completare l'ordine, la carta viene rifiutata", "payment fail… ticket nahi mila"), as
/// writers label them (docs/CLASSIFIER.md, "Fourteenth session: H-sym14"). Not for a crash,
/// the connection, playback, calls or a sign-in, beside which writers name the catch-all as
/// a failure of its own ("jira ga bisa buka tiket, blank putih doang": other and crash).
pub(super) fn catch_all_gives_way(named: &mut Vec<Named>, hits: &[Hit]) {
    let object_named = named.iter().any(|n| {
        matches!(n.symptom, Symptom::Media | Symptom::Feed)
            || matches!(
                (n.symptom, hits[n.hit].cue),
                (
                    Symptom::Payments | Symptom::Messaging | Symptom::Notifications,
                    Cue::Symptom(_)
                )
            )
    });
    if object_named {
        named.retain(|n| n.symptom != Symptom::Other);
    }
}

/// Whether a concessive word or phrase (`concessive` in `data/rule_words.toml`: "padahal",
/// "alors que", "obwohl", "terwijl") stands before the topic word `topic` in its clause:
/// "youtube buffering terus padahal kuota masih 20GB", "alors que la fibre est au max" say the
/// author's own connection is fine, not that the service's fails.
pub(super) fn after_concession(
    topic: &Hit,
    folded: &str,
    tokens: &[Token],
    words: &RuleWords,
) -> bool {
    let at = topic.first as usize;
    let clause = tokens[at].clause;
    let start = tokens[..at]
        .iter()
        .rposition(|t| t.clause != clause)
        .map_or(0, |i| i + 1);
    let before = &tokens[start..at];
    words.concessive.iter().any(|parts| {
        before
            .windows(parts.len())
            .any(|w| w.iter().zip(parts).all(|(t, p)| t.text(folded) == p))
    })
}

#[cfg(test)]
mod tests {
    use crate::classify::Classifier;
    use chrono::DateTime;
    use outcry_model::{Post, Symptom};
    use std::sync::OnceLock;

    /// The symptoms the rules name (these tests are about the rules: without the learned
    /// models, which may add a kind where the rules name none).
    fn symptoms(text: &str, lang: &str) -> Vec<Symptom> {
        static C: OnceLock<Classifier> = OnceLock::new();
        let mut post = Post::new(
            "test",
            "1",
            DateTime::from_timestamp(0, 0).unwrap_or_default(),
            text,
        );
        post.lang = Some(lang.into());
        let c = C
            .get_or_init(|| Classifier::builtin().with_models(None, None, None))
            .classify(&post);
        assert!(c.complaint, "not a complaint: {text}");
        c.symptoms
    }

    #[test]
    fn a_topic_after_a_conjunction_that_starts_a_new_thought_names_nothing() {
        assert_eq!(
            symptoms("gmail is down and i have a video call at 9", "en"),
            []
        );
        assert_eq!(
            symptoms("instagram caído y yo que iba a subir mis historias", "es"),
            []
        );
        assert_eq!(
            symptoms("whatsapp non va e aspetto le foto del matrimonio", "it"),
            []
        );
        // Without the conjunction the topic is what is broken.
        assert_eq!(
            symptoms("instagram down, stories not loading", "en"),
            [Symptom::Feed]
        );
        // The connection after "and" is the author's own.
        assert_eq!(
            symptoms("الفيديو يعلق في اليوتيوب والنت عندي فل", "ar"),
            [Symptom::Playback]
        );
        // The subject of the new conjunct, right after it or behind filler words, still is.
        assert_eq!(
            symptoms(
                "youtube is broken, comments won't load and videos stop",
                "en"
            ),
            [Symptom::Feed, Symptom::Playback]
        );
    }

    #[test]
    fn messages_that_carry_a_code_or_a_notification_name_no_messaging() {
        assert_eq!(
            symptoms(
                "no puedo entrar a tiktok, el código de verificación no llega",
                "es"
            ),
            [Symptom::Login]
        );
        assert_eq!(
            symptoms(
                "le notifiche di whatsapp non arrivano, vedo i messaggi solo aprendo l'app",
                "it"
            ),
            [Symptom::Notifications]
        );
        // A phrase that names the messages itself keeps its kind.
        assert_eq!(
            symptoms(
                "whatsapp caiu, não chegam as mensagens nem as notificações",
                "pt"
            ),
            [Symptom::Messaging, Symptom::Notifications]
        );
    }

    #[test]
    fn a_freezing_picture_on_a_video_service_is_playback() {
        assert_eq!(
            symptoms("youtube spinnt, das video friert ständig ein", "de"),
            [Symptom::Playback]
        );
        // The app closing stays a crash, and so does a freeze of something else.
        assert_eq!(
            symptoms("netflix keeps crashing on my tv", "en"),
            [Symptom::Crash]
        );
        assert_eq!(
            symptoms(
                "twitch streams keep buffering and chat is frozen, twitch down?",
                "en"
            ),
            [Symptom::Messaging, Symptom::Crash, Symptom::Playback]
        );
    }

    #[test]
    fn a_bare_loading_phrase_gives_way_to_what_its_clause_names() {
        // Stories are the feed people scroll (the lead's convention, twelfth session).
        assert_eq!(
            symptoms("ig stories stuck on the loading circle, anyone else?", "en"),
            [Symptom::Feed]
        );
        // Alone it still names the feed, and so does a phrase that names the feed's parts.
        assert_eq!(
            symptoms("instagram no carga nada desde hace una hora", "es"),
            [Symptom::Feed]
        );
        assert_eq!(
            symptoms("twitter down? tweets not loading at all", "en"),
            [Symptom::Feed]
        );
    }

    #[test]
    fn an_order_next_to_a_failed_payment_is_its_context() {
        assert_eq!(
            symptoms(
                "ifood fora do ar? pagamento recusado no pedido de novo",
                "pt"
            ),
            [Symptom::Payments]
        );
    }

    #[test]
    fn a_connection_phrase_of_a_voice_channel_names_calls() {
        assert_eq!(
            symptoms("discord spinnt, der sprachkanal verbindet nicht", "de"),
            [Symptom::Calls]
        );
        assert_eq!(
            symptoms("discord down, voice channels won't connect", "en"),
            [Symptom::Calls]
        );
        // A connection error in a clause of its own keeps its kind, and a telecom's calls
        // and connection are both its service.
        assert_eq!(
            symptoms("telegram down, can't connect at all", "en"),
            [Symptom::Connectivity]
        );
    }

    #[test]
    fn videos_that_do_not_load_on_a_video_service_are_playback_but_uploads_are_media() {
        assert_eq!(
            symptoms("youtube, no cargan los videos", "es"),
            [Symptom::Playback]
        );
        assert_eq!(
            symptoms("instagram, no cargan los videos", "es"),
            [Symptom::Media]
        );
        assert_eq!(
            symptoms("no puedo subir videos a youtube, se queda en 0%", "es"),
            [Symptom::Media]
        );
    }

    #[test]
    fn a_black_screen_on_a_video_service_is_playback() {
        assert_eq!(
            symptoms(
                "netflix down? nur schwarzer bildschirm bei jeder folge",
                "de"
            ),
            [Symptom::Playback]
        );
        assert_eq!(
            symptoms("teams keeps crashing, black screen every time", "en"),
            [Symptom::Crash]
        );
    }

    #[test]
    fn a_negation_word_right_before_a_topic_is_its_own() {
        assert_eq!(
            symptoms("movistar caído: ni internet ni llamadas desde las 8", "es"),
            [Symptom::Calls, Symptom::Connectivity]
        );
        // Not the author's own connection on another service.
        assert_eq!(
            symptoms("whatsapp caiu e não é minha internet", "pt"),
            Vec::<Symptom>::new()
        );
    }

    #[test]
    fn a_stream_that_stops_or_cannot_be_watched_is_playback() {
        assert_eq!(
            symptoms("ネトフリ見れない、障害？", "ja"),
            [Symptom::Playback]
        );
        assert_eq!(
            symptoms("prime video si blocca ogni due minuti", "it"),
            [Symptom::Playback]
        );
        assert_eq!(
            symptoms("twitch zacina się co chwilę", "pl"),
            [Symptom::Playback]
        );
        // Not on a service that is not played back, and not the app closing.
        assert_eq!(symptoms("インスタ見れない、障害？", "ja"), []);
        assert_eq!(
            symptoms("netflix keeps crashing on my tv", "en"),
            [Symptom::Crash]
        );
    }

    #[test]
    fn sound_and_loading_on_a_stream_are_playback_and_games_have_none() {
        assert_eq!(
            symptoms("spotify no funciona, no se escucha nada", "es"),
            [Symptom::Playback]
        );
        assert_eq!(
            symptoms("youtube home page not loading at all", "en"),
            [Symptom::Feed]
        );
        assert_eq!(
            symptoms(
                "BGMI phir se kharab, match ke beech mein error aa raha",
                "hi"
            ),
            // No playback; the game's own error with nothing else said is `other` (the lead's
            // convention, twelfth session).
            [Symptom::Other]
        );
    }

    #[test]
    fn an_uploaded_video_is_media_and_a_separable_crash_verb_is_a_crash() {
        assert_eq!(
            symptoms("youtube bug, ma vidéo reste bloquée à 80% d'upload", "fr"),
            [Symptom::Media]
        );
        assert_eq!(
            symptoms("Spotify stürzt bei jedem Start ab", "de"),
            [Symptom::Crash]
        );
    }
    #[test]
    fn a_spinning_wheel_after_a_comma_is_what_its_sentence_names() {
        // The wheel alone names the feed; beside stories that do not load it is those stories.
        assert_eq!(
            symptoms("threads carica male, resta la rotellina che gira", "it"),
            [Symptom::Feed]
        );
        assert_eq!(
            symptoms(
                "su whatsapp i vocali non partono, resta la rotellina che gira",
                "it"
            ),
            [Symptom::Media]
        );
    }

    #[test]
    fn a_bare_verb_of_sending_gives_way_to_the_photos_it_sends() {
        assert_eq!(
            symptoms("zap não manda foto nem vídeo desde cedo", "pt"),
            [Symptom::Media]
        );
        // A phrase that names its messages keeps them.
        assert_eq!(
            symptoms("whatsapp can't send messages and photos won't load", "en"),
            [Symptom::Messaging, Symptom::Media]
        );
    }

    #[test]
    fn what_came_back_is_not_what_is_broken() {
        assert_eq!(
            symptoms(
                "jio ka data wapas aa gaya but calls abhi bhi nahi lag rahi",
                "hi"
            ),
            [Symptom::Calls]
        );
        // Without a contrast word the topic is still named.
        assert_eq!(
            symptoms("telegram chat gagal terus, foto juga gagal", "id"),
            [Symptom::Messaging, Symptom::Media]
        );
    }
    #[test]
    fn the_sound_of_a_call_is_calls_not_playback() {
        assert_eq!(
            symptoms(
                "sur teams l'appel se coupe toutes les trois minutes, on n'avance pas",
                "fr"
            ),
            [Symptom::Calls]
        );
        // On a music service the same words are the stream.
        assert_eq!(
            symptoms("deezer coupe toutes les deux minutes, insupportable", "fr"),
            [Symptom::Playback]
        );
    }

    #[test]
    fn what_a_notification_is_about_names_nothing() {
        assert_eq!(
            symptoms(
                "amazon non mi manda più le notifiche delle consegne, scopro tutto tardi",
                "it"
            ),
            [Symptom::Notifications]
        );
        assert_eq!(
            symptoms("озон перестал присылать уведомления о доставке", "ru"),
            [Symptom::Notifications]
        );
        // A notification that approves a sign-in is a login that fails too.
        assert_eq!(
            symptoms(
                "spid non va, la notifica per autorizzare l'accesso non arriva",
                "it"
            ),
            [Symptom::Login, Symptom::Notifications]
        );
    }

    #[test]
    fn a_bare_verb_of_sending_money_names_payments() {
        assert_eq!(
            symptoms(
                "bizum no me deja mandar dinero a nadie, error todo el rato",
                "es"
            ),
            [Symptom::Payments]
        );
        // A phrase that names its messages keeps its kind.
        assert!(
            symptoms(
                "whatsapp can't send messages about the money to anyone",
                "en"
            )
            .contains(&Symptom::Messaging)
        );
    }
    #[test]
    fn being_kicked_out_of_a_call_or_a_stream_is_no_login() {
        assert_eq!(
            symptoms(
                "hulu keeps buffering and then kicks me out of the show",
                "en"
            ),
            [Symptom::Playback]
        );
        // A sentence that names the account keeps the login.
        assert!(
            symptoms("hulu keeps buffering and kicks me out of my account", "en")
                .contains(&Symptom::Login)
        );
    }

    #[test]
    fn a_service_without_a_feed_has_no_feed_symptom() {
        // A shop, a booking site, a work tool: what keeps loading is some other part of it.
        assert_eq!(
            symptoms("doctolib ne charge plus, juste la roue qui tourne", "fr"),
            [Symptom::Other]
        );
        assert_eq!(
            symptoms("mercado libre no carga nada, solo la ruedita", "es"),
            [Symptom::Other]
        );
        // Beside a kind another cue names, the spinning wheel names nothing more.
        assert_eq!(
            symptoms(
                "paypal zahlung geht nicht durch, das ding dreht sich nur im kreis",
                "de"
            ),
            [Symptom::Payments]
        );
        // A social network keeps its feed.
        assert_eq!(
            symptoms("instagram no carga nada, solo la ruedita", "es"),
            [Symptom::Feed]
        );
    }

    #[test]
    fn a_loading_cue_about_a_second_platform_keeps_its_feed() {
        assert_eq!(
            symptoms(
                "whatsapp messages stuck on one tick and instagram won't load anything either",
                "en"
            ),
            [Symptom::Messaging, Symptom::Feed]
        );
        // Without a platform between them the loading is that of the messages.
        assert_eq!(
            symptoms(
                "whatsapp messages stuck on one tick and nothing loads",
                "en"
            ),
            [Symptom::Messaging]
        );
    }

    #[test]
    fn getting_into_a_call_is_the_call() {
        assert_eq!(
            symptoms("teams non mi fa entrare nella riunione delle 10", "it"),
            [Symptom::Calls]
        );
        // A clause that names the account keeps the login.
        assert!(
            symptoms(
                "teams won't let me log in, says wrong password for the meeting account",
                "en"
            )
            .contains(&Symptom::Login)
        );
    }
    #[test]
    fn a_topic_that_works_across_a_contrast_word_names_nothing() {
        // Our own sentences, not the labelled posts'.
        assert_eq!(
            symptoms(
                "twitter: los mensajes funcionan pero el timeline no carga",
                "es"
            ),
            [Symptom::Feed]
        );
        assert_eq!(
            symptoms(
                "bij insta werken de berichten wel maar de feed laadt niet",
                "nl"
            ),
            [Symptom::Feed]
        );
        // Negated on its side, the topic is broken too.
        assert!(
            symptoms(
                "twitter: los mensajes no funcionan pero el timeline no carga",
                "es"
            )
            .contains(&Symptom::Messaging)
        );
    }

    #[test]
    fn a_payment_named_anywhere_in_a_bank_complaint_is_payments() {
        assert_eq!(
            symptoms(
                "ING app geeft 'er is iets misgegaan', net nu ik een overboeking wil doen",
                "nl"
            ),
            [Symptom::Payments]
        );
        // Not beside a failed login: the payment is only why the author opened the app.
        assert!(
            !symptoms(
                "kan niet inloggen bij de ING app en ik moet vandaag een overboeking doen",
                "nl"
            )
            .contains(&Symptom::Payments)
        );
    }
}
