//! Unit tests for every guard and disambiguation rule, bad data files, and a property test that
//! classification never panics.

use super::*;
use chrono::DateTime;
use proptest::prelude::*;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(Classifier::builtin)
}

fn post(text: &str) -> Post {
    Post::new(
        "test",
        "1",
        DateTime::from_timestamp(0, 0).unwrap_or_default(),
        text,
    )
}

fn complaint(text: &str) -> bool {
    classifier().classify(&post(text)).complaint
}

fn platforms(text: &str) -> Vec<String> {
    classifier().classify(&post(text)).platforms
}

#[test]
fn complaints_and_questions_count() {
    assert!(complaint("is whatsapp down for anyone else??"));
    assert!(complaint("#WhatsAppDown again"));
    assert!(complaint("#instagramdown"));
    assert!(complaint("caiu o zap? não envia nada"));
    assert!(complaint("instagram ne marche plus"));
    assert!(complaint("whatsapp geht nicht"));
    assert_eq!(
        platforms("whatsapp, instagram and facebook all down"),
        ["facebook", "instagram", "whatsapp"]
    );
}

#[test]
fn guards_against_false_positives() {
    for text in [
        "best youtube downloader app?",
        "calm down, twitter isn't real life",
        "my tiktok friend is so down to earth",
        "I'm down to play fortnite later",
        "thumbs down to the new youtube layout",
        "got downvoted on reddit again",
        "spotify wrapped let me down",
        "countdown to the twitch stream starts now",
        "watched a breakdown of the netflix show",
        "instagram owner Meta: shares down 3% after earnings",
        "Netflix down to $6.99 a month",
        "whatsapp isn't down for me",
        "my phone broke so no whatsapp this week",
        "WhatsApp was down yesterday for two hours",
        "instagram's algorithm sucks",
        "the mall is down, posting on instagram",
    ] {
        assert!(!complaint(text), "{text:?} is not a complaint");
    }
}

#[test]
fn past_words_do_not_hide_a_current_problem() {
    assert!(complaint(
        "whatsapp was down yesterday and it's down again right now"
    ));
}

#[test]
fn recovery_is_not_a_complaint() {
    let c = classifier().classify(&post("discord is back up, working again"));
    assert!(c.recovery && !c.complaint, "{c:?}");
    let c = classifier().classify(&post("whatsapp voltou"));
    assert!(c.recovery, "{c:?}");
    assert!(
        complaint("spotify not working again"),
        "\"not working again\" stays a complaint"
    );
}

#[test]
fn ambiguous_names_need_context() {
    assert!(
        platforms("signal is down").is_empty(),
        "phone signal, not the app"
    );
    assert_eq!(
        platforms("signal app is down, messages not sending"),
        ["signal"]
    );
    // A complaint phrase touching the name confirms it; the ordinary letter stays out.
    assert_eq!(platforms("x is down"), ["x"]);
    assert!(platforms("the x axis is broken on my chart").is_empty());
    assert!(platforms("X is down 2% on the day, not a big move").is_empty());
    assert_eq!(platforms("x is down again, timeline won't load"), ["x"]);
    assert!(platforms("let off some steam").is_empty());
    assert!(platforms("prime time tv is dead").is_empty());
    assert!(platforms("zoom in on the picture").is_empty());
    assert!(platforms("the line at the store").is_empty());
    assert_eq!(platforms("LINE落ちてる？メッセージ送れない"), ["line"]);
    let mut german = post("Ich habe über das Wetter gesprochen, es geht nicht");
    german.lang = Some("de".into());
    assert!(
        classifier().classify(&german).platforms.is_empty(),
        "German über is not Uber"
    );
    assert_eq!(
        platforms("uber app not working, can't request a ride"),
        ["uber"]
    );
}

/// A hashtag that is exactly an ambiguous name ("#LINE障害" is tokenized "#line" + "障害")
/// is that name under its own rules: a complaint next to it or context confirms it.
#[test]
fn hashtags_of_ambiguous_names_follow_the_names_rules() {
    for (text, id) in [("#LINE障害", "line"), ("#discord落ちてる", "discord")] {
        let c = in_lang(text, "ja");
        assert_eq!(c.platforms, [id], "{text}");
        assert!(c.complaint, "{text}");
    }
    assert_eq!(platforms("#signal down?"), Vec::<String>::new());
    assert_eq!(
        platforms("#steam and #mist over the lake"),
        Vec::<String>::new()
    );
    assert_eq!(platforms("#steam summer sale is live"), ["steam"]);
    assert_eq!(platforms("#signal app won't send messages"), ["signal"]);
}

/// A hashtag may put the problem word FIRST ("#CaídaInstagram", "#awariaAllegro") or join
/// its words with underscores in either order, the Arabic name with its article
/// ("#الانستقرام_متوقف", "#عطل_واتساب"); a short name at the end of a tag is no name.
#[test]
fn hashtags_with_the_problem_word_first_or_underscores_name_the_platform() {
    for (text, lang, id) in [
        ("#CaídaInstagram otra vez", "es", "instagram"),
        ("#awariaAllegro", "pl", "allegro"),
        ("#عطل_واتساب", "ar", "whatsapp"),
        ("#الانستقرام_متوقف", "ar", "instagram"),
        ("#инстаграмлежат", "ru", "instagram"),
    ] {
        let c = in_lang(text, lang);
        assert_eq!(c.platforms, [id], "{text}");
        assert!(c.complaint, "{text}");
    }
    let c = in_lang("#ilovespotify 🎧", "en");
    assert_eq!(c.platforms, ["spotify"]);
    assert!(!c.complaint);
    assert_eq!(platforms("#cooking #ciao"), Vec::<String>::new());
}

/// The regional banks, wallets, shops and public portals of the catalog are named, and the
/// ordinary words among their names (Portuguese "caixa", Turkish "getir" and "ziraat",
/// Indonesian "mandiri", Italian "ovo", the English suffix "ing") stay words without context.
#[test]
fn regional_services_are_named_and_their_ordinary_words_are_not() {
    for (text, lang, id) in [
        ("e-devlet çöktü mü? giriş yapamıyorum", "tr", "e-devlet"),
        ("getir çöktü sipariş veremiyorum", "tr", "getir"),
        ("ziraat mobil çöktü", "tr", "ziraat"),
        (
            "Госуслуги опять не работают, не могу войти",
            "ru",
            "gosuslugi",
        ),
        ("Сбер не работает, перевод не проходит", "ru", "sberbank"),
        ("ING storing?? kan niet inloggen in de app", "nl", "ing"),
        ("caixa tem não funciona de novo", "pt", "caixa"),
        ("la app de santander no funciona", "es", "santander"),
        (
            "paczkomat nie działa, nie mogę odebrać paczki",
            "pl",
            "inpost",
        ),
        ("yono sbi not working since morning", "hi", "sbi"),
        ("livin mandiri gangguan ya?", "id", "bank-mandiri"),
        (
            "postepay non funziona, pagamento rifiutato",
            "it",
            "poste-italiane",
        ),
        ("منصة أبشر لا تعمل", "ar", "absher"),
        ("楽天モバイル繋がらない", "ja", "rakuten"),
        // Iliad is Free's parent in France, but people who write "iliad" mean Iliad Italia.
        ("iliad non funziona da stamattina", "it", "iliad-it"),
    ] {
        let c = in_lang(text, lang);
        assert_eq!(c.platforms, [id], "{text}");
        assert!(c.complaint, "{text}");
    }
    for (text, lang) in [
        ("comprei uma caixa de som nova", "pt"),
        ("getir bana bir su", "tr"),
        ("ziraat fakültesi öğrencileri", "tr"),
        ("aku orangnya mandiri banget", "id"),
        ("ovo sodo per colazione", "it"),
        ("the -ing form of the verb", "en"),
        ("me voy de viaje a santander", "es"),
        ("I finally grok this concept", "en"),
    ] {
        assert!(in_lang(text, lang).platforms.is_empty(), "{text}");
    }
}
#[test]
fn a_place_inside_a_platform_name_is_no_region() {
    // "Banco do Brasil" is the bank's name, not where its customers are; a place named
    // outside the name still counts.
    let c = in_lang(
        "Banco do Brasil informa: o app ficará indisponível neste domingo",
        "pt",
    );
    assert_eq!(c.platforms, ["banco-do-brasil"], "{c:?}");
    assert!(c.regions.is_empty(), "{c:?}");
    let c = in_lang("o app do Banco do Brasil caiu aqui em Salvador", "pt");
    assert!(c.regions.contains(&"BR".to_string()), "{c:?}");
}

#[test]
fn symptoms_regions_and_reports() {
    let c = classifier().classify(&post(
        "can't log in to netflix, keeps saying something went wrong",
    ));
    assert_eq!(c.symptoms, [Symptom::Login]);
    let mut p = post("whatsapp not sending messages");
    p.location = Some("Depew, NY".into());
    let c = classifier().classify(&p);
    assert!(
        c.regions.contains(&"US".to_string()) && c.regions.contains(&"US-NY".to_string()),
        "{c:?}"
    );
    // A city named like a catchphrase ("Houston, we have a problem") is still the city.
    let c = classifier().classify(&post("verizon down in Houston, no bars since lunch"));
    assert!(c.regions.contains(&"US-TX".to_string()), "{c:?}");
    let mut r = post("");
    r.kind = PostKind::Report;
    r.service = Some("instagram".into());
    let c = classifier().classify(&r);
    assert!(c.complaint);
    assert_eq!(c.platforms, ["instagram"]);
    assert_eq!(c.providers, ["meta"]);
}

#[test]
fn language_is_kept_or_detected() {
    let mut p = post("whatsapp not working");
    p.lang = Some("pt-BR".into());
    assert_eq!(classifier().classify(&p).lang, "pt");
    assert_eq!(
        classifier()
            .classify(&post("¿se cayó whatsapp? no me llegan los mensajes"))
            .lang,
        "es"
    );
    assert_eq!(classifier().classify(&post("LINE落ちてる")).lang, "ja");
    assert_eq!(classifier().classify(&post("😡😡")).lang, "und");
    // Letters that mark a language decide where frequent words are too few.
    assert_eq!(
        classifier()
            .classify(&post("instagram çöktü mü şu an"))
            .lang,
        "tr"
    );
    assert_eq!(
        classifier()
            .classify(&post("instagram leży, błąd przy logowaniu"))
            .lang,
        "pl"
    );
    let (_, e) = classifier().explain(&post("instagram çöktü mü şu an"));
    assert!(e.language.evidence.iter().any(|w| w == "ç"), "{e:?}");
}

#[test]
fn a_letters_entry_must_be_one_letter() {
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    let lexicon = DataFile {
        name: "data/lexicon/xx.toml",
        text: "[language]\ncode = \"xx\"\nname = \"X\"\nstemmer = \"none\"\nletters = [\"ş\", \"sh\"]\n",
    };
    let err = Classifier::from_files(&[catalog, lexicon]).unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    assert!(err.message.contains("\"sh\""), "{err}");
}

#[test]
fn explanation_names_phrase_alias_and_rule() {
    let (c, e) = classifier().explain(&post("Meta shares down 3%, instagram down too?"));
    let json = serde_json::to_string(&e).unwrap_or_default();
    assert!(json.contains("\"decision\""), "{json}");
    assert!(
        e.mentions
            .iter()
            .any(|m| m.platform == "instagram" && m.accepted)
    );
    assert!(
        c.complaint
            == e.cues.iter().any(|h| h.vetoed_by.is_none()
                && !h.bound_to.is_empty()
                && h.list.starts_with("complaint"))
            || c.complaint
    );
    let (_, e) = classifier().explain(&post("signal is down"));
    assert!(
        e.mentions
            .iter()
            .any(|m| !m.accepted && m.rule.contains("phone reception")),
        "{e:?}"
    );
}

#[test]
fn bad_data_files_fail_at_start_up() {
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    let typo = DataFile {
        name: "data/lexicon/xx.toml",
        text: "[language]\ncode = \"xx\"\nname = \"X\"\nstemmer = \"none\"\n[complaint]\noutgae = [\"x\"]\n",
    };
    let err = Classifier::from_files(&[catalog, typo]).unwrap_err();
    assert_eq!(
        (err.file.as_str(), err.line),
        ("data/lexicon/xx.toml", 6),
        "{err}"
    );
    let symptom = DataFile {
        name: "data/lexicon/xx.toml",
        text: "[language]\ncode = \"xx\"\nname = \"X\"\nstemmer = \"none\"\n[symptoms]\nlogin = [\"a\"]\nbilling = [\"b\"]\n",
    };
    let err = Classifier::from_files(&[catalog, symptom]).unwrap_err();
    assert_eq!(err.line, 7, "{err}");
    let dup = DataFile {
        name: "data/platforms.toml",
        text: "[[platform]]\nid = \"a\"\nname = \"A\"\ncategory = \"social\"\naliases = [\"zap\"]\n[[platform]]\nid = \"b\"\nname = \"B\"\ncategory = \"social\"\naliases = [\"zap\"]\n",
    };
    let err = Classifier::from_files(&[dup]).unwrap_err();
    assert_eq!(
        (err.file.as_str(), err.line),
        ("data/platforms.toml", 10),
        "{err}"
    );
}

fn in_lang(text: &str, lang: &str) -> Classification {
    let mut p = post(text);
    p.lang = Some(lang.into());
    classifier().classify(&p)
}

#[test]
fn names_with_glued_endings_and_prefixes_count() {
    // Case endings from the language's [platform_names] suffixes.
    let c = in_lang("co jest z instagramem? nic nie działa", "pl");
    assert_eq!(
        (c.complaint, c.platforms.as_slice()),
        (true, &["instagram".to_string()][..])
    );
    assert_eq!(
        in_lang("почему в ютубе ничего не грузится", "ru").platforms,
        ["youtube"]
    );
    assert_eq!(
        in_lang("instagramda hikaye yüklenmiyor", "tr").platforms,
        ["instagram"]
    );
    // An ending that replaces the name's last letter: "телега" -> "телеги".
    assert_eq!(
        in_lang("уведомления из телеги не приходят", "ru").platforms,
        ["telegram"]
    );
    // Stacked Arabic particles: "و" + "ال" + "واتساب".
    assert_eq!(in_lang("والواتساب ما يشتغل", "ar").platforms, ["whatsapp"]);
    // The rules are the post language's only, and short names never take endings.
    assert!(in_lang("instagramem is a typo", "en").platforms.is_empty());
    assert!(in_lang("igę nie działa", "pl").platforms.is_empty());
    let (_, e) = classifier().explain(&{
        let mut p = post("instagramie nic się nie ładuje");
        p.lang = Some("pl".into());
        p
    });
    assert!(
        e.mentions
            .iter()
            .any(|m| m.rule.contains("instagram + ie") && m.rule.contains("pl.toml")),
        "{e:?}"
    );
}

#[test]
fn conjunctions_from_the_lexicons_join_names() {
    assert_eq!(
        in_lang("whatsapp aur instagram dono band hai", "hi").platforms,
        ["instagram", "whatsapp"]
    );
    assert_eq!(
        in_lang("whatsapp или телеграм не работают", "ru").platforms,
        ["telegram", "whatsapp"]
    );
    assert_eq!(
        in_lang("whatsapp atau instagram lagi down ya", "id").platforms,
        ["instagram", "whatsapp"]
    );
    // "و" glued to the second name joins it to the first.
    assert_eq!(
        in_lang("واتساب وانستا طايحين", "ar").platforms,
        ["instagram", "whatsapp"]
    );
}

#[test]
fn katakana_names_do_not_match_inside_longer_katakana_words() {
    let c = in_lang("タイムラインが更新されない", "ja");
    assert!(c.platforms.is_empty(), "ライン inside タイムライン: {c:?}");
    assert_eq!(
        in_lang("ライン落ちてる？送れない", "ja").platforms,
        ["line"]
    );
    assert_eq!(
        in_lang("ラインとインスタが落ちてる", "ja").platforms,
        ["instagram", "line"]
    );
}

#[test]
fn a_progress_percentage_is_not_finance() {
    assert!(complaint("youtube upload stuck at 0% for an hour"));
    // An update or download that stops is a complaint, at any percentage.
    assert!(complaint("xbox update stuck at 45%"));
    assert!(complaint(
        "fortnite stuck downloading at 0%, epic servers again?"
    ));
    assert!(in_lang("youtube'a video yükleyemiyorum %0'da takılıyor", "tr").complaint);
    assert!(!complaint(
        "instagram owner Meta: shares down 3% after earnings"
    ));
}

#[test]
fn list_separators_and_english_fallback_words() {
    // The Japanese middle dot lists names; it is no part of a katakana word.
    assert_eq!(
        in_lang("ライン・インスタが落ちてる", "ja").platforms,
        ["instagram", "line"]
    );
    // English cues made only of the post language's frequent words are those words.
    assert!(!in_lang("schick mir die fotos per whatsapp", "de").complaint);
    assert!(in_lang("tiktok stürzt ab sobald ich die app öffne", "de").complaint);
}

#[test]
fn a_bare_name_asked_about_or_mourned_is_a_complaint() {
    assert!(complaint("insta??"));
    assert!(complaint("yt 💀💀"));
    assert!(in_lang("wsp??? 😭", "es").complaint);
    assert_eq!(in_lang("discord 💀", "en").platforms, ["discord"]);
    // A name alone, with other emoji, or with any other word is no such post.
    assert!(!complaint("fb"));
    assert!(!complaint("netflix 🍿"));
    assert!(!complaint("instagram ❤️?"));
    assert!(!complaint("discord?? link pls"));
}

#[test]
fn an_emoji_alone_never_makes_a_complaint() {
    assert!(!complaint(
        "just watched the new twitter trailer, I love it 😭"
    ));
    assert!(!complaint("loving the new instagram 💀"));
    assert!(complaint("instagram won't load 😭"));
    let (_, e) = classifier().explain(&post("the new instagram layout 😭"));
    assert!(
        e.cues.iter().any(|c| c
            .vetoed_by
            .as_deref()
            .is_some_and(|v| v.contains("emoji alone"))),
        "{e:?}"
    );
}

#[test]
fn a_complaint_phrase_next_to_an_ambiguous_name_confirms_it() {
    assert_eq!(
        in_lang("ig gak bisa dibuka dari tadi", "id").platforms,
        ["instagram"]
    );
    assert_eq!(
        in_lang("messenger nie działa od rana", "pl").platforms,
        ["messenger"]
    );
    // Not for names whose ordinary sense breaks down too, nor from afar for short names.
    assert!(platforms("signal not working in the basement").is_empty());
    assert!(platforms("the x axis is broken on my chart").is_empty());
}

#[test]
fn bad_platform_names_sections_fail_at_start_up() {
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    let header = "[language]\ncode = \"xx\"\nname = \"X\"\nstemmer = \"none\"\n";
    let text =
        format!("{header}[platform_names]\nprefixes = [\"al\"]\nconjunction_prefixes = [\"wa\"]\n");
    let lexicon = DataFile {
        name: "data/lexicon/xx.toml",
        text: &text,
    };
    let err = Classifier::from_files(&[catalog, lexicon]).unwrap_err();
    assert_eq!(err.line, 7, "{err}");
    assert!(err.message.contains("\"wa\""), "{err}");
    let text = format!("{header}[platform_names]\nsuffixes = [\"'da\"]\n");
    let lexicon = DataFile {
        name: "data/lexicon/xx.toml",
        text: &text,
    };
    let err = Classifier::from_files(&[catalog, lexicon]).unwrap_err();
    assert_eq!(err.line, 6, "{err}");
    let text = format!("{header}[platform_names]\nsufixes = [\"da\"]\n");
    let lexicon = DataFile {
        name: "data/lexicon/xx.toml",
        text: &text,
    };
    let err = Classifier::from_files(&[catalog, lexicon]).unwrap_err();
    assert_eq!(err.line, 6, "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn classify_never_panics(text in "\\PC{0,200}", location in proptest::option::of("\\PC{0,40}"), lang in proptest::option::of("[a-zA-Z_-]{0,6}")) {
        let mut p = post(&text);
        p.location = location;
        p.lang = lang;
        let c = classifier().classify(&p);
        prop_assert!(!c.lang.is_empty());
        let _ = classifier().explain(&p);
    }
}

fn symptoms_in(text: &str, lang: &str) -> Vec<Symptom> {
    in_lang(text, lang).symptoms
}

#[test]
fn a_topic_next_to_a_negation_word_names_its_symptom() {
    // No phrase of the banks says "as notificações não aparecem": the topic word and the
    // negation word beside it do, in a post that is a complaint for another reason.
    assert_eq!(
        symptoms_in("whatsapp caiu, as notificações não vêm", "pt"),
        [Symptom::Notifications]
    );
    assert_eq!(
        symptoms_in("insta ist down, keine benachrichtigungen seit heute", "de"),
        [Symptom::Notifications]
    );
    let mut p = post("whatsapp caiu, as notificações não vêm");
    p.lang = Some("pt".into());
    let (_, e) = classifier().explain(&p);
    assert!(
        e.cues
            .iter()
            .any(|c| c.binding.as_deref().is_some_and(|b| b.contains("negation"))),
        "{e:?}"
    );
    // A negation word makes no complaint by itself (the rules alone: the complaint model
    // retrained in the thirteenth session adds this one, a known weakness in
    // docs/CLASSIFIER.md).
    assert!(!rules_in_lang("as notificações do whatsapp não me incomodam", "pt").complaint);
    // Denying one's own connection names no connectivity symptom.
    assert_eq!(
        symptoms_in("whatsapp caiu de novo, e não é minha internet", "pt"),
        []
    );
}

#[test]
fn a_negation_reaches_further_forward_than_back() {
    // Before the topic, the negated verb, a modal or adverb and an article stand between them.
    assert_eq!(
        symptoms_in("whatsapp down, non partono più i vocali", "it"),
        [Symptom::Media]
    );
    assert_eq!(
        symptoms_in("instagram caiu, não consigo ver os stories", "pt"),
        [Symptom::Feed]
    );
    // After the topic, two tokens at most: here the negation is the author's own. (The
    // rules; the symptom model, retrained in the seventeenth session, adds notifications.)
    assert_eq!(
        rules_in_lang("instagram caiu, notificações eu mesmo já não uso", "pt").symptoms,
        []
    );
}

#[test]
fn a_mask_over_a_topic_word_vetoes_it() {
    // "cuenta"/"conta"/"compte" name login as "account", not in "I noticed" idioms.
    assert_eq!(
        symptoms_in("me acabo de dar cuenta de que instagram no funciona", "es"),
        []
    );
    assert_eq!(
        symptoms_in("je me rends compte que insta marche plus", "fr"),
        []
    );
    assert_eq!(
        symptoms_in("instagram no funciona, no puedo entrar a mi cuenta", "es"),
        [Symptom::Login]
    );
}

#[test]
fn a_negated_function_verb_is_a_complaint_in_any_word_order() {
    // The platform stands between the verb and "nicht"/"niet" (verb-second order), or a clitic
    // between "no" and the verb: no phrase of the banks has these words next to each other.
    assert!(in_lang("warum geht instagram bei euch nicht?", "de").complaint);
    assert!(in_lang("werkt whatsapp bij jullie ook niet?", "nl").complaint);
    assert!(in_lang("instagram no me lo carga", "es").complaint);
    let mut p = post("warum lädt youtube heute nicht");
    p.lang = Some("de".into());
    let (c, e) = classifier().explain(&p);
    assert!(c.complaint);
    assert!(
        e.cues
            .iter()
            .any(|cue| cue.list == "negation.verbs" && cue.phrase == "ladt … nicht"),
        "{e:?}"
    );
    // The guards still apply, and a verb far from the negation word, in another clause or
    // without one is nothing.
    assert!(!in_lang("whatsapp geht bei mir, nicht down", "de").complaint);
    assert!(!in_lang("die netflix aktie geht heute nicht hoch", "de").complaint);
    assert!(!in_lang("no sé si instagram carga más rápido ahora", "es").complaint);
    assert!(!in_lang("netflix laadt snel, niet dat het uitmaakt", "nl").complaint);
}

#[test]
fn media_topics_of_video_and_music_services_are_playback() {
    assert_eq!(
        symptoms_in("youtube no funciona, los vídeos no cargan", "es"),
        [Symptom::Playback]
    );
    // On a social network videos are media, and symptom phrases keep their kind.
    assert_eq!(
        symptoms_in("instagram no funciona, los vídeos no cargan", "es"),
        [Symptom::Media]
    );
}

#[test]
fn bad_negation_files_fail_at_start_up() {
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    let lexicon = crate::lexicon::BUNDLED[0];
    let unknown = DataFile {
        name: "data/negation.toml",
        text: "[en]\nwords = [\"not\"]\n\n[xx]\nwords = [\"nein\"]\n",
    };
    let err = Classifier::from_files(&[catalog, lexicon, unknown]).unwrap_err();
    assert_eq!(
        (err.file.as_str(), err.line),
        ("data/negation.toml", 4),
        "{err}"
    );
    let ending = DataFile {
        name: "data/negation.toml",
        text: "[en]\nwords = [\"not\"]\nendings = [\"n't at all\"]\n",
    };
    let err = Classifier::from_files(&[catalog, lexicon, ending]).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    let typo = DataFile {
        name: "data/negation.toml",
        text: "[en]\nword = [\"not\"]\n",
    };
    let err = Classifier::from_files(&[catalog, lexicon, typo]).unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    let two_word_verb = DataFile {
        name: "data/negation.toml",
        text: "[en]\nwords = [\"not\"]\nverbs = [\"load\", \"log in\"]\n",
    };
    let err = Classifier::from_files(&[catalog, lexicon, two_word_verb]).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    let far = DataFile {
        name: "data/negation.toml",
        text: "[en]\nwords = [\"not\"]\nverbs = [\"load\"]\nverb_reach_after = 40\n",
    };
    let err = Classifier::from_files(&[catalog, lexicon, far]).unwrap_err();
    assert_eq!(err.line, 4, "{err}");
    // Without a negation file, the bundled one serves the languages loaded.
    assert!(Classifier::from_files(&[catalog, lexicon]).is_ok());
}

#[test]
fn a_negated_guard_is_part_of_the_complaint() {
    // "isn't working for me": the negation guard "working for me" is denied by the complaint
    // phrase that starts before it; a guard that starts first still vetoes.
    assert!(complaint("youtube isn't working for me"));
    assert!(complaint("gmail not working here in leeds"));
    assert!(!complaint("whatsapp isn't down, working for me"));
    assert!(!complaint("steam store works fine for me"));
}

#[test]
fn verbs_of_receiving_need_what_a_service_delivers() {
    assert!(complaint("not getting any twitter notifications"));
    assert!(complaint("not getting the fb login code"));
    assert!(!complaint("not getting any sleep because of tiktok"));
    let mut p = post("no recibo ni un like en insta jajaja");
    p.lang = Some("es".into());
    assert!(!classifier().classify(&p).complaint);
}

#[test]
fn whats_is_whatsapp_in_spanish_and_portuguese_only() {
    let mut p = post("whats caído otra vez");
    p.lang = Some("es".into());
    assert_eq!(classifier().classify(&p).platforms, ["whatsapp"]);
    assert!(platforms("whats wrong with my phone today").is_empty());
}

#[test]
fn a_short_post_around_a_latin_name_keeps_its_script_language() {
    // The Latin letters of a short post are mostly the service's name.
    for text in [
        "сбой steam store?",
        "steam client упал???",
        "Steam client عطلان",
        "Steam障害？",
        "the Steam app障害？",
    ] {
        assert!(complaint(text), "{text}");
    }
    assert!(!complaint("steam store sale this weekend, спасибо"));
}

#[test]
fn a_now_word_of_the_recovery_does_not_make_the_past_current() {
    let lang = |text: &str, lang: &str| {
        let mut p = post(text);
        p.lang = Some(lang.into());
        classifier().classify(&p)
    };
    // The story of yesterday's outage: neither a complaint nor a recovery now (the labelling
    // convention of every split: "whatsapp lag gisteren plat, vandaag alles weer normaal").
    let c = lang("kemarin wa down tapi sekarang udah aman", "id");
    assert!(!c.complaint && !c.recovery);
    assert!(!lang("gestern war whatsapp down, heute läuft alles", "de").complaint);
    // Still down now: the current word is the complaint's.
    assert!(complaint(
        "whatsapp was down yesterday and still down today"
    ));
    assert!(complaint("whatsapp down since yesterday, still not back"));
}

#[test]
fn money_talk_joined_to_another_subject_does_not_veto_its_complaint() {
    // A platform named between the price and the complaint phrase is the phrase's subject.
    assert!(in_lang("pago 15 euros al mes y netflix no funciona", "es").complaint);
    // The rules bind it; the stacked veto, trained since the seventeenth session on writers'
    // price traps ("$", "a month"), drops this one (0.61 < 0.75).
    assert!(rules_in_lang("i pay $15 a month and netflix is down", "en").complaint);
    assert!(complaint("spotify is down and netflix costs $20 now"));
    // The name outside the pair: the money talk is about the phrase.
    assert!(!complaint("Netflix down to $6.99 this month"));
    assert!(!complaint("Meta shares down 3% after earnings"));
    assert!(!in_lang("las acciones de netflix cayeron un 5% hoy", "es").complaint);
    assert!(!in_lang("ações do nubank caíram 3% hoje", "pt").complaint);
}

#[test]
fn first_person_blank_feeds_and_stalled_players_are_complaints() {
    assert!(complaint("facebook feed is blank for me"));
    assert!(complaint("twitter timeline is completely empty for me"));
    assert!(in_lang("ist vodafone gestört?", "de").complaint);
    assert!(in_lang("discord voice geht bei niemandem", "de").complaint);
    assert!(in_lang("X est en rade ou c'est moi ?", "fr").complaint);
    assert!(in_lang("spotify baar baar ruk raha hai", "hi").complaint);
    assert!(in_lang("spotify co chwilę się zatrzymuje", "pl").complaint);
    // Laughing and the author's own home connection are no outage.
    assert!(!in_lang("ik lag dubbel om die tiktok haha", "nl").complaint);
    assert!(!in_lang("я упал со стула от этого тиктока", "ru").complaint);
    assert!(!complaint(
        "my wifi keeps cutting out so youtube keeps buffering"
    ));
    assert!(!in_lang("evdeki wifi bozuk, youtube izleyemiyorum", "tr").complaint);
}

#[test]
fn dalle_is_an_italian_word_without_image_context() {
    let c = in_lang("teams mi butta fuori dalle riunioni ogni 5 minuti", "it");
    assert_eq!(c.platforms, vec!["microsoft-teams".to_string()]);
    assert!(c.complaint);
    assert!(
        in_lang("dalle non genera più immagini", "it")
            .platforms
            .contains(&"chatgpt".to_string())
    );
    // "app" is context written under "sora", another alias of the same platform: it says
    // nothing about "dalle".
    assert_eq!(
        in_lang(
            "sabato dalle 23 alle 6 l'app di poste sarà in manutenzione",
            "it"
        )
        .platforms,
        vec!["poste-italiane".to_string()]
    );
}

#[test]
fn colloquial_breakage_recoveries_and_trend_talk() {
    assert!(in_lang("is twitter nou stuk ofzo", "nl").complaint);
    assert!(in_lang("twitter è andato? non carica niente", "it").complaint);
    let back = in_lang("whatsapp is weer in de lucht", "nl");
    assert!(back.recovery && !back.complaint);
    assert!(!in_lang("die tiktok trend is echt dood inmiddels", "nl").complaint);
    assert!(
        !in_lang(
            "me quedé sin datos así que no tengo whatsapp hasta mañana",
            "es"
        )
        .complaint
    );
    assert!(!in_lang("ネトフリの新作ドラマ重すぎる話だった", "ja").complaint);
    assert!(in_lang("insta valiendo madres otra vez", "es").complaint);
    assert!(in_lang("Xまた落ちてて草", "ja").complaint);
    assert!(!in_lang("YouTubeで落ちてる猫の動画見つけた", "ja").complaint);
    assert!(in_lang("instagram is echt brak vandaag", "nl").complaint);
    assert!(!in_lang("spotify wrapped is echt kapot grappig dit jaar", "nl").complaint);
    assert!(!in_lang("mijn accu is leeg dus ik zit zonder whatsapp", "nl").complaint);
}

#[test]
fn polite_and_regional_negative_forms_are_complaints() {
    assert!(in_lang("インスタ画面が真っ白で動きません", "ja").complaint);
    assert!(in_lang("Gmailエラーが発生しましたって出る", "ja").complaint);
    assert!(in_lang("whatsapp doettie het niet", "nl").complaint);
    assert!(in_lang("el whatsapp no me tira desde esta mañana", "es").complaint);
}

#[test]
fn the_recovery_of_an_outage_told_in_the_past_is_part_of_the_story() {
    let retrospective = in_lang(
        "ayer se cayó instagram un buen rato, hoy ya anda todo normal",
        "es",
    );
    assert!(!retrospective.complaint && !retrospective.recovery);
    let news = in_lang(
        "hier panne de whatsapp pendant 2h, Meta dit avoir tout rétabli depuis",
        "fr",
    );
    assert!(!news.complaint && !news.recovery);
    // The tense of "was down" alone is no story of another day: the service is back now.
    assert!(in_lang("whatsapp was down for an hour but it's back now", "en").recovery);
    assert!(in_lang("instagram wapas chalu ho gaya, reels chal rahi hain", "hi").recovery);
}

#[test]
fn a_telecom_without_its_connection_is_a_complaint() {
    let c = in_lang(
        "Iliad senza campo da stamattina, non riesco a chiamare nessuno",
        "it",
    );
    assert!(c.complaint);
    assert_eq!(c.platforms, vec!["iliad-it".to_string()]);
    assert!(in_lang("Vodafone sem net na zona toda desde as 9h", "pt").complaint);
    // The same words about the author's own connection say nothing of another service.
    assert!(!in_lang("sem net em casa hoje, depois vejo o insta", "pt").complaint);
    // A copula's negation says what the fault is not.
    assert_eq!(
        in_lang(
            "whatsapp mesaj gitmiyor, Türk Telekom değil wifi de denedim",
            "tr"
        )
        .platforms,
        vec!["whatsapp".to_string()]
    );
}

#[test]
fn separable_verbs_of_failure_count_with_their_particle_at_the_end() {
    assert!(
        in_lang(
            "Netflix stürzt auf dem Fernseher jedes Mal beim Abspielen ab",
            "de"
        )
        .complaint
    );
    assert!(in_lang("spotify valt steeds uit midden in een nummer", "nl").complaint);
    // The verb without its particle is another verb.
    assert!(!in_lang("die Netflix Aktie stürzt heute um 5% in die Tiefe", "de").complaint);
}

#[test]
fn the_authors_broken_phone_and_i_am_down_are_no_outage() {
    for (text, lang) in [
        (
            "se me rompió la pantalla del celu y ando sin instagram hasta el lunes",
            "es",
        ),
        (
            "mon tel est tombé dans les toilettes, donc plus d'insta jusqu'à lundi",
            "fr",
        ),
        ("caiu meu celular no vaso kkk sem insta essa semana", "pt"),
        ("stasera ranked su valorant, chi è down?", "it"),
        ("nanti malem mabar valorant, aku sih down", "id"),
        (
            "du coup j'ai pris le nouveau forfait orange, ça vaut le coup franchement",
            "fr",
        ),
    ] {
        assert!(!in_lang(text, lang).complaint, "{text}");
    }
}

#[test]
fn names_next_to_money_words_or_a_past_outage_are_named() {
    assert_eq!(
        platforms("akcje Allegro poszły w górę o 3%"),
        vec!["allegro".to_string()]
    );
    assert_eq!(
        in_lang("昨日Xが落ちたの覚えてる？", "ja").platforms,
        vec!["x".to_string()]
    );
    // A zero balance is no price: the payment complaint stands.
    assert!(
        in_lang(
            "Venmo shows my balance as $0.00 and won't let me send anything",
            "en"
        )
        .complaint
    );
    // "R$" is the Brazilian real, not a subreddit.
    assert_eq!(
        in_lang("a netflix subiu pra R$ 55,90 agora", "pt").platforms,
        vec!["netflix".to_string()]
    );
}

#[test]
fn an_arabic_comma_ends_a_clause() {
    let mut tokens = Vec::new();
    crate::lexicon::tokens::tokenize_into(
        &crate::text::fold("الواتساب مو واقف، النت ضعيف"),
        &mut tokens,
    );
    assert!(tokens.first().map(|t| t.clause) != tokens.last().map(|t| t.clause));
}

#[test]
fn a_phrase_never_spans_a_sentence_end_and_stretched_letters_are_read() {
    let c = in_lang(
        "netflix no me carga ninguna serie. ya está, me voy a dormir",
        "es",
    );
    assert!(c.complaint && !c.recovery);
    assert!(in_lang("voltouuuu o whatsapp, graças a deus", "pt").recovery);
    assert!(complaint("netflix is dowwwn again"));
    // "entra" is Portuguese and Spanish for "enters", not Microsoft Entra.
    assert_eq!(
        in_lang(
            "o gmail tá em baixo? não entra nenhum email desde manhã",
            "pt"
        )
        .platforms,
        vec!["gmail".to_string()]
    );
}

#[test]
fn text_messages_are_a_telecoms_messaging_and_an_apps_login_code() {
    for (text, lang) in [
        ("no me llegan los sms de movistar", "es"),
        ("não recebo sms da vivo desde ontem", "pt"),
        ("not getting sms on t-mobile since this morning", "en"),
        ("не приходят смс на мтс", "ru"),
    ] {
        assert_eq!(symptoms_in(text, lang), [Symptom::Messaging], "{text}");
    }
    assert_eq!(
        symptoms_in(
            "no me llega el sms de whatsapp para verificar la cuenta",
            "es"
        ),
        [Symptom::Login]
    );
}

#[test]
fn the_one_platform_of_a_post_is_the_subject_of_the_next_sentence() {
    // Named in the sentence before the problem.
    assert!(
        in_lang(
            "Geht PayPal grad bei irgendwem? Zahlung wird immer abgelehnt",
            "de"
        )
        .complaint
    );
    assert!(in_lang("ドコモ圏外になってる。通信障害？", "ja").complaint);
    // Not a weak word, not a name that needed context, not after a recovery, and not when a
    // guard explains the platform's sentence.
    assert!(!in_lang("abi valorant'a var mısın? ben varım, down değilim", "tr").complaint);
    assert!(
        !in_lang(
            "the discord between the two sides was obvious. total crash in the second half",
            "en"
        )
        .complaint
    );
    assert!(!in_lang("Movistar ya lo arregló. 6 horas sin fibra, récord", "es").complaint);
    assert!(!in_lang("netflix baja de precio en argentina? alguien sabe", "es").complaint);
    // Two platforms in the post: which one the next sentence is about is unknown.
    assert!(
        !in_lang(
            "vi una serie en netflix y un video en youtube. no carga nada",
            "es"
        )
        .complaint
    );
}

#[test]
fn a_denied_own_device_guard_confirms_the_outage() {
    assert!(
        in_lang(
            "não é sua internet, o whatsapp tá fora pra todo mundo",
            "pt"
        )
        .complaint
    );
    assert!(!in_lang("o insta tá normal aqui, é sua internet", "pt").complaint);
    assert!(in_lang("No es tu internet, Instagram está caído para todos", "es").complaint);
    assert!(!in_lang("YouTube va perfecto acá, será tu wifi", "es").complaint);
}

#[test]
fn unstemmed_words_match_no_phrase_of_another_meaning() {
    // Portuguese "para" (for) has the stem of "parou" (stopped), "volta" that of "voltou".
    assert!(!in_lang("Nubank lança cartão novo para clientes", "pt").complaint);
    assert!(in_lang("o nubank parou", "pt").complaint);
    let c = in_lang("o vídeo do youtube trava e volta sozinho toda hora", "pt");
    assert_eq!((c.complaint, c.recovery), (true, false));
    assert!(in_lang("o whatsapp voltou", "pt").recovery);
    // French "petit" (small) has the stem of "pété" (broken).
    assert!(!in_lang("le petit nouveau de Netflix est génial", "fr").complaint);
    let lexicon = DataFile {
        name: "data/lexicon/xx.toml",
        text: "[language]\ncode = \"xx\"\nname = \"X\"\nstemmer = \"none\"\nunstemmed = [\"para\"]\n",
    };
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    assert!(Classifier::from_files(&[catalog, lexicon]).is_ok());
}

/// Official accounts are the brand's handle or name plus a country code or a service word;
/// a katakana noun glued to a katakana name keeps the name; an ambiguous katakana name needs
/// its context like any other (H-geo2).
#[test]
fn brand_handles_glued_katakana_nouns_and_ambiguous_katakana_names() {
    assert_eq!(
        in_lang(
            "@ClaroMX sin señal desde anoche, no puedo hacer llamadas",
            "es"
        )
        .platforms,
        ["claro"]
    );
    assert_eq!(
        in_lang("@vodafoneservice seit heute früh kein Internet", "de").platforms,
        ["vodafone"]
    );
    assert!(
        in_lang("@mariaes me encanta esta foto", "es")
            .platforms
            .is_empty()
    );
    assert_eq!(
        in_lang(
            "@Bouygues pas de réseau à Lille depuis midi, vous gérez ?",
            "fr"
        )
        .platforms,
        ["bouygues"]
    );
    assert_eq!(
        in_lang("@o2de kein Netz in München seit heute Mittag", "de").platforms,
        ["o2"]
    );
    assert!(
        in_lang("@signal kein Netz seit heute Mittag", "de")
            .platforms
            .is_empty()
    );
    assert_eq!(
        in_lang("メルカリログインできない", "ja").platforms,
        ["mercari"]
    );
    assert!(
        in_lang("部屋の電気のスイッチが壊れた", "ja")
            .platforms
            .is_empty()
    );
    assert_eq!(
        in_lang("スイッチのオンラインに繋がらない", "ja").platforms,
        ["nintendo-online"]
    );
}

/// An exclude phrase is the ordinary word also where the alias needs no context, and a
/// context phrase around the alias confirms it (H-geo2).
#[test]
fn excludes_hold_everywhere_and_context_may_surround_the_alias() {
    assert!(in_lang("楽天的に考えよう", "ja").platforms.is_empty());
    assert_eq!(in_lang("楽天で買い物した", "ja").platforms, ["rakuten"]);
    assert!(
        in_lang("o show vai passar ao vivo hoje", "pt")
            .platforms
            .is_empty()
    );
    assert_eq!(
        in_lang("just posted the trailer on x", "en").platforms,
        ["x"]
    );
    assert!(
        in_lang("the x axis is wrong on this chart", "en")
            .platforms
            .is_empty()
    );
    assert!(
        in_lang("قابلت اكس بالصدفة في المول", "ar")
            .platforms
            .is_empty()
    );
    // The timeline in other languages' words confirms X.
    assert_eq!(
        in_lang("X: oś czasu stoi od rana, te same posty", "pl").platforms,
        ["x"]
    );
    assert_eq!(
        in_lang("Beranda X gw kosong dari tadi", "id").platforms,
        ["x"]
    );
    assert!(
        in_lang("wynik x razy 2, oś symetrii", "pl")
            .platforms
            .is_empty()
    );
}

#[test]
fn a_telecom_thanked_after_its_connection_came_back_is_the_subject_of_the_recovery() {
    let back = in_lang("Internet ist wieder da. Vodafone hat 5h gebraucht", "de");
    assert!(back.recovery && !back.complaint);
    assert_eq!(back.platforms, vec!["vodafone".to_string()]);
    assert!(in_lang("internet is terug, KPN heeft het gefixt", "nl").recovery);
    // Not a service that is not a telecom, not a clause that is not about the connection,
    // and never a complaint: the telecom named after a lost connection is often the one
    // that still works, or an advert.
    // (The rules; the recovery model, which cannot tell the connection from the service,
    // calls this one Netflix's recovery.)
    assert!(!rules_in_lang("internet is back, watching netflix now", "en").recovery);
    assert!(
        !in_lang(
            "my parcel is back at the depot. thanks vodafone for the sim",
            "en"
        )
        .recovery
    );
    assert!(
        !in_lang(
            "Is your internet down again? Switch to Spectrum Internet and get 500 Mbps",
            "en"
        )
        .complaint
    );
}

#[test]
fn hindi_verbs_of_arriving_take_the_topic_before_the_negation() {
    // `object_first`: the topic word comes before "nahi" in a verb-final language.
    let money = in_lang("phonepe से पैसे नहीं आए, transaction pending दिखा रहा है", "hi");
    assert!(money.complaint);
    assert!(money.symptoms.contains(&Symptom::Payments));
    // No topic word: not fun, not understood.
    assert!(!in_lang("instagram reels dekh ke bhi maza nahi aa raha aajkal", "hi").complaint);
    assert!(!in_lang("youtube pe ye video samajh nahi aa raha", "hi").complaint);
}

#[test]
fn a_negation_guard_inside_a_mask_denies_nothing() {
    // "my balance is fine" says the author's side is fine, so the decline is the service's.
    assert!(
        in_lang(
            "venmo payment failed twice but my balance is fine, what is going on",
            "en"
        )
        .complaint
    );
    assert!(!in_lang("venmo isn't down, works fine for me", "en").complaint);
}

#[test]
fn the_platform_before_a_colon_is_the_subject_of_what_follows() {
    let c = in_lang(
        "ontem foi o itaú, hoje é o bradesco: cartão recusado em tudo quanto é loja",
        "pt",
    );
    assert!(c.complaint);
    assert_eq!(c.platforms, vec!["bradesco".to_string()]);
    // Not two platforms before the colon.
    assert!(!in_lang("hoje nubank e bradesco: cartão recusado em tudo", "pt").complaint);
}

#[test]
fn a_clause_final_infinitive_is_negated_from_before_unless_wished() {
    assert!(
        in_lang(
            "seit gestern kann ich mich nicht mehr bei GMX einloggen",
            "de"
        )
        .complaint
    );
    assert!(in_lang("onedrive wil mijn foto niet uploaden", "nl").complaint);
    // A modal of wish or need earlier in the clause makes it the author's choice.
    assert!(!in_lang("ich will mich nicht bei TikTok extra anmelden", "de").complaint);
    assert!(!in_lang("je moet bij Spotify niet betalen voor podcasts", "nl").complaint);
    let two_word_infinitive = DataFile {
        name: "data/negation.toml",
        text: "[de]\nwords = [\"nicht\"]\ninfinitives = [\"log in\"]\n",
    };
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    let german = crate::lexicon::BUNDLED
        .iter()
        .copied()
        .find(|f| f.name.ends_with("de.toml"))
        .expect("the German lexicon is bundled");
    let err = Classifier::from_files(&[catalog, german, two_word_infinitive]).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
}

#[test]
fn a_control_that_does_nothing_and_progress_stuck_at_zero_are_complaints() {
    assert!(in_lang("tapped pay in the venmo app and nothing happens", "en").complaint);
    assert!(in_lang("clico em pagar no nubank e nada acontece", "pt").complaint);
    assert!(in_lang("der Upload in Dropbox bleibt bei 0% hängen", "de").complaint);
    assert!(!in_lang("nothing happens on reddit on sundays", "en").complaint);
    // "no pasa nada" alone is "no worries".
    assert!(!in_lang("tranquilo, no pasa nada, instagram ya volvió", "es").complaint);
}

#[test]
fn a_current_word_inside_a_longer_past_phrase_is_the_past_phrases() {
    // "seit" is a current word, but "zum ersten Mal seit Jahren" measures the old story.
    assert!(
        !in_lang(
            "Weißt du noch, der Instagram-Ausfall? Zum ersten Mal seit Jahren haben alle telefoniert",
            "de"
        )
        .complaint
    );
    assert!(in_lang("Instagram geht seit heute früh nicht", "de").complaint);
}

#[test]
fn an_app_that_bounces_the_user_back_is_a_complaint() {
    assert!(in_lang("le doy a pagar en rappi y me regresa al inicio", "es").complaint);
    let c = in_lang("su satispay clicco paga e torna alla home", "it");
    assert_eq!((c.complaint, c.recovery), (true, false));
    assert!(
        !in_lang(
            "this spotify playlist takes me back to the summer of 2019",
            "en"
        )
        .complaint
    );
}

#[test]
fn the_duration_of_an_outage_that_ended_is_no_complaint() {
    let c = in_lang("netflix werkt weer na een half uur storing", "nl");
    assert_eq!((c.complaint, c.recovery), (false, true));
    let c = in_lang("o nubank voltou depois de 3 horas fora do ar", "pt");
    assert_eq!((c.complaint, c.recovery), (false, true));
    // A failure told as new after the recovery, with a current word, is a complaint.
    assert!(
        in_lang(
            "instagram voltou mas depois de 2 minutos caiu de novo",
            "pt"
        )
        .complaint
    );
    // Without a recovery the duration is how long it has been broken.
    assert!(in_lang("3 horas sem internet da vivo aqui", "pt").complaint);
}

#[test]
fn a_negated_infinitive_that_is_a_topic_word_names_its_symptom() {
    assert!(symptoms_in("bij bol.com kan ik niet afrekenen", "nl").contains(&Symptom::Payments));
    // An infinitive before its negation is no refusal of its own, and stays a topic word.
    assert!(
        symptoms_in(
            "@ingnl betalen met de app lukt niet, steeds een foutmelding",
            "nl"
        )
        .contains(&Symptom::Payments)
    );
}

#[test]
fn a_relapse_after_a_recovery_is_a_complaint_and_no_recovery() {
    let c = classifier().classify(&post("venmo is back!! wait no. down again"));
    assert!(c.complaint && !c.recovery, "{c:?}");
    // The same sentence keeps its recovery: the rest of the service works again.
    let c = classifier().classify(&post(
        "whatsapp is working again but voice notes still won't send",
    ));
    assert!(c.recovery, "{c:?}");
    // No "again" word after the recovery: the complaint is the outage that ended.
    assert!(!complaint("netflix is back up. thanks to whoever fixed it"));
}

#[test]
fn a_conditional_clause_tells_no_outage() {
    assert!(!complaint(
        "if discord goes down during our raid tonight im blaming the intern"
    ));
    // The speaker's own action after "if" says what happens when they do it.
    assert!(complaint(
        "if i open instagram it crashes straight away, every single time"
    ));
    // "Imagine ..." opens a hypothetical as "if" does, in every language that says it so.
    for (text, lang) in [
        ("imagine discord going down in the final", "en"),
        ("imaginez whatsapp en panne le soir du réveillon", "fr"),
        ("si algún día se cae whatsapp me muero", "es"),
        ("düşünsene instagram bir hafta kapalı", "tr"),
    ] {
        assert!(!in_lang(text, lang).complaint, "{text}");
    }
    // Spanish "si" followed by the speaker's action, or "si" as an unaccented "yes".
    assert!(in_lang("si le doy a enviar en whatsapp se queda cargando", "es").complaint);
    assert!(in_lang("si esta caido whatsapp, a mi tampoco me va", "es").complaint);
}

/// A percentage where a progress bar stopped is no money talk, whatever the figure; a share
/// price still is.
#[test]
fn a_progress_bar_stopped_at_any_figure_is_no_finance_talk() {
    assert!(complaint("tiktok upload stuck at 47% again"));
    assert!(in_lang("tiktok video yüklemiyor %50'de takılıyor", "tr").complaint);
    assert!(in_lang("Steam Update hängt bei 45%", "de").complaint);
    assert!(!complaint("meta shares down 3% after earnings"));
}

/// "A works, but B doesn't": the name whose own clause says it works (a function verb of any
/// language) shares no complaint of a later clause.
#[test]
fn a_service_said_to_work_is_not_listed_with_the_broken_one() {
    for (text, lang, id) in [
        ("Insta działa, a WhatsApp nie wysyła nic", "pl", "whatsapp"),
        (
            "Facebook werkt, maar Messenger laadt niks",
            "nl",
            "messenger",
        ),
        ("Steam geht, aber die EA App stürzt ab", "de", "ea-app"),
        ("Gmail anda, pero Outlook no carga", "es", "outlook"),
    ] {
        let c = in_lang(text, lang);
        assert!(c.complaint, "{text}");
        assert_eq!(c.platforms, [id], "{text}");
    }
    // A list of names is still a list.
    assert_eq!(
        platforms("whatsapp, instagram, facebook: all down"),
        ["facebook", "instagram", "whatsapp"]
    );
}

/// The clause after a conditional clause says what would follow; someone asking after "if"
/// is no hypothetical.
#[test]
fn what_would_follow_a_conditional_is_no_outage_either() {
    assert!(
        !in_lang(
            "wenn Amazon mal ausfällt, bricht dann der Handel zusammen?",
            "de"
        )
        .complaint
    );
    assert!(complaint(
        "if anyone knows why instagram is down pls tell me"
    ));
    assert!(complaint("if i open whatsapp, it crashes"));
}

/// Polish "play" is the operator Play next to words about its network, and no name at all in
/// the other languages, where it is the English verb.
#[test]
fn polish_play_is_the_operator_only_in_polish_and_with_context() {
    let c = in_lang("play nie ma zasięgu od rana", "pl");
    assert_eq!(c.platforms, ["play-pl"]);
    assert!(c.complaint);
    assert_eq!(
        in_lang("kliknąłem play i nic się nie dzieje", "pl").platforms,
        Vec::<String>::new()
    );
    for (text, lang) in [
        (
            "spotify won't play anything, no internet on my side either",
            "en",
        ),
        (
            "spotify şarkıları çalmıyor, play'e basıyorum internet var",
            "tr",
        ),
    ] {
        assert_eq!(in_lang(text, lang).platforms, ["spotify"], "{text}");
    }
}

#[test]
fn a_negation_about_another_platform_vetoes_nothing() {
    assert_eq!(
        platforms("insta works fine but whatsapp won't send anything"),
        ["whatsapp"]
    );
    assert!(complaint(
        "insta works fine but whatsapp won't send anything"
    ));
    assert!(!complaint("whatsapp works fine for me"));
}

#[test]
fn a_brands_local_account_is_its_handle() {
    assert_eq!(
        platforms("@ClaroPeru no hay internet en todo Lima"),
        ["claro"]
    );
    assert_eq!(platforms("@PayPal_France paiement bloqué"), ["paypal"]);
}

/// The learned models speak where the rules are silent, say why, and leave alone what the
/// rules know (a guard's veto) and posts of a few words. Examples of the bundled models: a
/// retrain may need others.
#[test]
fn the_learned_models_speak_only_at_the_rules_edges_and_say_why() {
    let spinner = "spotify on my laptop just sits there with the spinner for an hour now, \
                   tried everything, anyone else having this today?";
    let mut p = post(spinner);
    p.lang = Some("en".into());
    let rules_only = Classifier::builtin().with_models(None, None, None);
    assert!(!rules_only.classify(&p).complaint, "no phrase of the rules");
    let (c, why) = classifier().explain(&p);
    assert!(c.complaint, "{why:?}");
    assert_eq!(c.platforms, ["spotify"]);
    let model = why.model.expect("the model was consulted");
    assert_eq!(model.effect, Some("added the complaint"));
    assert!(model.probability.is_some_and(|p| p >= 0.95), "{model:?}");
    assert!(!model.strongest.is_empty());
    assert!(why.decision.contains("complaint model"), "{}", why.decision);

    // Few known words: "still" and "anyone" weigh much in complaints, but not enough here.
    let mut p = post("does anyone still use Tiktok?");
    p.lang = Some("en".into());
    let (c, why) = classifier().explain(&p);
    assert!(!c.complaint, "{why:?}");
    assert!(
        why.model
            .and_then(|m| m.known_features)
            .is_some_and(|k| k < 12)
    );

    // A guard's veto stands: the model is not consulted where the rules found a cue.
    let (c, why) = classifier().explain(&post("instagram layout 💀"));
    assert!(!c.complaint);
    assert!(
        why.model.as_ref().is_none_or(|m| m.probability.is_none()),
        "{why:?}"
    );

    // Another sense of "went down" is no outage, and no guard has a phrase for it: the model
    // drops the complaint (which names no symptom: one that does is left to the rules). (The
    // essay "on what to do when slack is down" and then a how-to guide were the examples
    // until retraining and the lexicons' tutorial guards took them.)
    let tip = "grandpa went down in the garden and the family whatsapp group has gone dead \
               silent. praying he's ok 🙏";
    assert!(rules_only.classify(&post(tip)).complaint);
    let (c, why) = classifier().explain(&post(tip));
    assert!(!c.complaint, "{why:?}");
    assert_eq!(c.platforms, ["whatsapp"]);
    assert_eq!(
        why.model.and_then(|m| m.effect),
        Some("vetoed the complaint")
    );

    // Where the rules read the post clause by clause around a guard, they keep the last word.
    let (c, why) = classifier().explain(&post("Meta shares down 3%, instagram down too?"));
    assert!(c.complaint, "{why:?}");
    assert_ne!(
        why.model.and_then(|m| m.effect),
        Some("vetoed the complaint")
    );
}

/// The stacked veto drops a complaint of the rules that names no symptom when it rates it
/// low, reading the rules' reading with the words; a complaint naming a symptom, or one the
/// rules read clause by clause around a guard, is not asked. A veto file written here (it
/// rates every complaint without a kind at 0.12), so that no retrain changes the test.
#[test]
fn the_stacked_veto_reads_the_rules_reading_and_says_why() {
    let veto = opinion::VetoModel::from_file(&DataFile {
        name: "veto.tsv",
        text: "@trained_on\tx (1 posts, a test)\n@heads\tcomplaint\n@veto_below\t0.5\n\
               @min_features\t2\n@bias\t0\n⟨r:complaint⟩\t1\n⟨r:nokind⟩\t-5\n",
    })
    .unwrap();
    let bundled = Classifier::builtin();
    let (model, symptoms) = (bundled.model.clone(), bundled.symptom_model.clone());
    let with_veto = bundled.with_models(model, symptoms, Some(veto));
    // sigmoid((1 - 5) / sqrt(2)) = 0.056 on the two tags it knows.
    let (c, why) = with_veto.explain(&post("slack is down"));
    assert!(!c.complaint, "{why:?}");
    assert_eq!(c.platforms, ["slack"]);
    let veto = why.model.and_then(|m| m.veto).expect("the veto was asked");
    assert_eq!(veto.effect, "vetoed the complaint");
    assert!((veto.probability - 0.0558).abs() < 0.001, "{veto:?}");
    assert_eq!(veto.known_features, 2);
    assert_eq!(veto.strongest[0], ("⟨r:nokind⟩".to_string(), -5.0));
    assert!(why.decision.contains("stacked veto"), "{}", why.decision);
    // The tags are the veto's features, given to the rules' complaints only.
    let features = with_veto.veto_features(&post("slack is down"));
    for tag in [
        "⟨r:complaint⟩",
        "⟨r:nokind⟩",
        "⟨r:cue:complaint.outage:bound⟩",
    ] {
        assert!(features.iter().any(|f| f == tag), "{tag}: {features:?}");
    }
    assert!(
        !with_veto
            .veto_features(&post("I love slack"))
            .iter()
            .any(|f| f.starts_with("⟨r:")),
        "no tags on a post the rules take for no complaint"
    );
    // A complaint naming a symptom is not asked (the tag ⟨r:kind⟩ weighs nothing here).
    let (c, why) = with_veto.explain(&post("slack is down, messages not sending"));
    assert!(c.complaint, "{why:?}");
    assert!(why.model.and_then(|m| m.veto).is_none());
    // Nor one the rules read clause by clause around a guard.
    let (c, why) = with_veto.explain(&post("Meta shares down 3%, instagram down too?"));
    assert!(c.complaint, "{why:?}");
    assert!(why.model.and_then(|m| m.veto).is_none());
    // Nor is a post of fewer known features than `@min_features`: a post the rules took for
    // no complaint has no tags, and the veto is not asked at all.
    let (c, why) = with_veto.explain(&post("slack is great"));
    assert!(!c.complaint);
    assert!(why.model.and_then(|m| m.veto).is_none());
}

/// The bundled stacked veto drops a story about an outage a year ago that no guard has a
/// phrase for and the complaint model lets through. An example of the bundled models: a
/// retrain may need another.
#[test]
fn the_bundled_stacked_veto_drops_a_story() {
    let story = "Il y a un an, la grosse panne d'Orange avait même coupé les numéros d'urgence. \
                 Toujours pas digéré";
    let mut p = post(story);
    p.lang = Some("fr".into());
    let rules_only = Classifier::builtin().with_models(None, None, None);
    assert!(rules_only.classify(&p).complaint);
    let (c, why) = classifier().explain(&p);
    assert!(!c.complaint, "{why:?}");
    let model = why.model.expect("the models were asked");
    assert_eq!(model.effect, Some("agreed"), "the complaint model keeps it");
    let veto = model.veto.expect("the veto was asked");
    assert_eq!(veto.effect, "vetoed the complaint");
    assert!(
        veto.probability < 0.75 && veto.known_features >= 18,
        "{veto:?}"
    );
    assert!(!veto.strongest.is_empty());
}

/// The rules alone, in a language: what the guards decide, with no learned model after them.
fn rules_in_lang(text: &str, lang: &str) -> Classification {
    static RULES: OnceLock<Classifier> = OnceLock::new();
    let mut p = post(text);
    p.lang = Some(lang.into());
    RULES
        .get_or_init(|| Classifier::builtin().with_models(None, None, None))
        .classify(&p)
}

#[test]
fn dreams_stories_and_announced_work_tell_no_outage_now() {
    for (text, lang) in [
        (
            "soñé que se caía whatsapp y la gente volvía a hablar en persona",
            "es",
        ),
        (
            "sonhei que o instagram caiu e todo mundo voltou a conversar",
            "pt",
        ),
        ("rüyamda instagram tamamen çökmüştü", "tr"),
        ("приснилось что телеграм упал навсегда", "ru"),
        (
            "in the series a hacker takes down whatsapp for the whole country",
            "en",
        ),
        (
            "github: scheduled maintenance on sunday, sign-in will be unavailable",
            "en",
        ),
        (
            "let op: de app van ING is zondagnacht niet beschikbaar vanwege onderhoud",
            "nl",
        ),
        (
            "if you think discord is down, check the status page first",
            "en",
        ),
        (
            "wenn du denkst, dass discord down ist, schau erst auf die Statusseite",
            "de",
        ),
    ] {
        let c = rules_in_lang(text, lang);
        assert!(!c.complaint && !c.recovery, "{text}: {c:?}");
    }
    // A story only covers what follows it: the stream it is watched on may be broken.
    assert!(rules_in_lang("globoplay travando demais na novela hoje", "pt").complaint);
    // A nightmare said of a real outage is an idiom, not a dream.
    assert!(rules_in_lang("mimpi buruk, gojek down pas lagi buru-buru", "id").complaint);
}

#[test]
fn google_as_a_verb_names_no_platform() {
    assert!(
        rules_in_lang("google it before asking me", "en")
            .platforms
            .is_empty()
    );
    assert!(
        rules_in_lang("önce bir googlela sonra sor", "tr")
            .platforms
            .is_empty()
    );
    assert!(
        rules_in_lang("قوقلها قبل ما تسألني", "ar")
            .platforms
            .is_empty()
    );
    assert_eq!(
        rules_in_lang("google is down? search just spins", "en").platforms,
        ["google-search"]
    );
}

#[test]
fn a_negation_before_its_verb_is_part_of_the_cue() {
    // "funcionar otra vez" (works again) starts inside "sin funcionar otra vez".
    let c = rules_in_lang("nequi sin funcionar otra vez, no llega nada", "es");
    assert!(c.complaint && !c.recovery, "{c:?}");
    // A plea to fix it is no recovery ("resolve" is not stemmed to "resolved").
    let c = rules_in_lang("@iFood resolve aí, o app travou", "pt");
    assert!(c.complaint && !c.recovery, "{c:?}");
}

#[test]
fn the_authors_own_router_explains_the_outage_away() {
    assert!(!rules_in_lang("mijn router is kapot dus geen netflix vanavond", "nl").complaint);
    assert!(!rules_in_lang("router aku rusak jadi malam ini ga bisa netflix", "id").complaint);
}

#[test]
fn a_part_still_broken_after_a_recovery_is_a_complaint_too() {
    let c = in_lang(
        "odido netwerk is terug, maar bellen gaat nog steeds niet",
        "nl",
    );
    assert!(c.complaint && c.recovery, "{c:?}");
    let c = in_lang(
        "insta remarche mais toujours pas moyen d'envoyer un DM",
        "fr",
    );
    assert!(c.complaint && c.recovery, "{c:?}");
    // No part named: no complaint.
    let c = in_lang("netflix is back, still not sure what happened", "en");
    assert!(!c.complaint && c.recovery, "{c:?}");
}

#[test]
fn a_quoted_question_answered_no_is_somebody_elses_complaint() {
    // The joke reply: the complaint is quoted and refuted.
    assert!(!complaint(
        "\"is twitter down??\" no babe you got suspended for calling a senator a clown 💀"
    ));
    assert!(!complaint(
        "“whatsapp not working?” nope, he blocked you lol"
    ));
    assert!(!complaint("«вк лёг?» нет, тебя забанили за спам 😂"));
    // The answer's own complaint still counts, and so does a quotation nobody answers no.
    assert!(complaint(
        "\"is twitter down??\" no, it's down for everyone, timeline won't load at all"
    ));
    assert!(complaint(
        "\"is spotify down or is it just me\" - it's spotify. won't play a song"
    ));
    assert!(complaint(
        "\"is instagram down?\" yes, my feed won't load either"
    ));
    // A quotation that does not open the post is left to the other rules.
    assert!(complaint(
        "whatsapp says \"connecting...\" no matter what i do"
    ));
}

#[test]
fn a_dialogue_turn_or_single_quoted_question_answered_no_is_somebody_elses_complaint() {
    // Dialogue turns and quoted lines: the question's line, then the answer's.
    assert!(
        !rules_in_lang(
            "— у вас тоже ютуб не работает?\n— нет, это у тебя впн кончился 😂",
            "ru"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "> instagram çöktü mü??\nhayır canım çökmedi, seni engellemiş 💀",
            "tr"
        )
        .complaint
    );
    assert!(!rules_in_lang("- هو الانستا واقع؟\n- لا يا حبيبي، انت واخد بلوك 😂", "ar").complaint);
    // Single quote marks close the quotation only after its question mark: the apostrophe
    // inside a word does not ("isn't").
    assert!(
        !rules_in_lang(
            "'isn't discord down?' no, they kicked you from the server lol",
            "en"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "'o instagram caiu?' não amiga, ele te bloqueou mesmo 💀",
            "pt"
        )
        .complaint
    );
    // A Japanese answer that denies the quoted verb.
    assert!(
        !rules_in_lang(
            "「インスタ落ちてる？」←落ちてないよ、ブロックされてるだけ",
            "ja"
        )
        .complaint
    );
    // A first line that asks nothing, or an answer that is no "no", leaves the complaint.
    assert!(complaint(
        "- instagram is down\n- no idea why, feed won't load"
    ));
    assert!(complaint("— discord лёг?\n— да, у меня тоже не грузит"));
}

#[test]
fn stories_that_do_not_load_are_feed_and_stories_posted_are_media() {
    // The lead's convention (twelfth session): stories, reels and statuses are the feed people
    // scroll; putting one up is a file sent to the service.
    assert_eq!(
        symptoms_in(
            "instagram stories wont load for me, just the grey circle",
            "en"
        ),
        [Symptom::Feed]
    );
    assert_eq!(
        symptoms_in("instagram no carga las historias de nadie", "es"),
        [Symptom::Feed]
    );
    assert_eq!(
        symptoms_in("insta nie ładuje relacji, tylko kółko się kręci", "pl"),
        [Symptom::Feed]
    );
    assert_eq!(
        symptoms_in("insta geht nicht, kann keine story posten", "de"),
        [Symptom::Media]
    );
}

#[test]
fn a_white_or_blank_screen_is_a_crash_and_a_black_picture_is_playback() {
    assert_eq!(
        symptoms_in("shopee fora do ar? só aparece tela branca aqui", "pt"),
        [Symptom::Crash]
    );
    assert_eq!(
        symptoms_in("YouTubeのトップページが白い画面のまま", "ja"),
        [Symptom::Crash]
    );
    // On a video service a black screen is the picture that does not play.
    assert_eq!(
        symptoms_in(
            "youtube no carga los videos, se queda la pantalla negra",
            "es"
        ),
        [Symptom::Playback]
    );
}

#[test]
fn an_error_text_names_what_it_is_about_or_other() {
    assert_eq!(
        symptoms_in(
            "reddit giving me \"something went wrong\" on every page",
            "en"
        ),
        [Symptom::Other]
    );
    // While watching or listening the error is playback.
    assert_eq!(
        symptoms_in("Netflix zeigt nur noch nen Fehlercode", "de"),
        [Symptom::Playback]
    );
    // An error beside a part of the service names that part.
    assert_eq!(
        symptoms_in(
            "app unicredit \"errore tecnico\" al login, terzo giorno di fila",
            "it"
        ),
        [Symptom::Login]
    );
    // Indonesian "error" is an everyday word for a service that misbehaves.
    assert_eq!(symptoms_in("ig error ya?", "id"), []);
}

#[test]
fn a_crash_in_a_call_is_calls_too_but_a_meeting_ahead_is_no_symptom() {
    assert_eq!(
        symptoms_in("zoom crashes every time i join a meeting", "en"),
        [Symptom::Calls, Symptom::Crash]
    );
    assert_eq!(
        symptoms_in("teams keeps crashing, and i have a meeting in 10 min", "en"),
        [Symptom::Crash]
    );
}

#[test]
fn delivery_fees_since_yesterday_and_arabic_function_verbs() {
    // A delivery fee that falls is money talk, not an outage.
    assert!(!in_lang("a taxa de entrega do rappi caiu pela metade hoje", "pt").complaint);
    // "Since yesterday" says the problem is still going on.
    let c = in_lang("телеграм не присылает уведомления со вчерашнего дня", "ru");
    assert!(c.complaint, "{c:?}");
    // An Arabic function verb with a negation is an outage cue without a listed phrase.
    let c = in_lang("السناب مش عم يفتح معي", "ar");
    assert!(c.complaint, "{c:?}");
    let c = in_lang("الانستا ما عم تتحدث", "ar");
    assert!(c.complaint, "{c:?}");
}

#[test]
fn tutorials_job_ads_and_memories_are_no_complaints() {
    // A tip or tutorial about a problem: nothing is down now (lexicons' `not_now`).
    assert!(
        !rules_in_lang(
            "Cara mengatasi WhatsApp tidak bisa mengirim pesan:\n1. cek koneksi\n2. hapus cache",
            "id"
        )
        .complaint
    );
    assert!(!rules_in_lang(
        "Anleitung: So behebst du 'Keine Verbindung' bei WhatsApp in 3 Schritten 👉 Link in Bio",
        "de"
    ).complaint);
    assert!(
        !rules_in_lang(
            "【保存版】Instagramが開かない時の対処法5選✅ キャッシュ削除・再起動",
            "ja"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "how to fix spotify not playing songs: clear the cache, log out, reinstall 👇",
            "en"
        )
        .complaint
    );
    // A job advertisement.
    assert!(
        !rules_in_lang(
            "Вакансия: дежурный инженер в Т-Банк, мониторинг инцидентов и сбоев 24/7. Москва",
            "ru"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "【求人】メルカリ SRE募集。障害対応・監視基盤の構築など",
            "ja"
        )
        .complaint
    );
    // A memory or an anniversary of an old outage.
    assert!(
        !rules_in_lang(
            "y a deux ans la panne d'orange empêchait d'appeler les urgences pendant des heures",
            "fr"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "في مثل هذا اليوم قبل عامين تعطلت خدمات واتساب حول العالم لساعات",
            "ar"
        )
        .complaint
    );
    // The same services failing now stay complaints.
    assert!(rules_in_lang("WhatsApp tidak bisa mengirim pesan dari tadi pagi", "id").complaint);
    assert!(rules_in_lang("spotify not playing songs at all, tried everything", "en").complaint);
    assert!(rules_in_lang("panne orange, impossible d'appeler depuis ce matin", "fr").complaint);
}

#[test]
fn a_failure_word_given_to_something_else_after_the_service_is_said_to_work() {
    // The service is denied failing (a negated phrase, or a phrase that says it works), then
    // an outage word in a clause that names no service speaks of the author.
    assert!(
        !rules_in_lang(
            "chatgpt non è giù, sono io che sono giù prima dell'esame",
            "it"
        )
        .complaint
    );
    assert!(!rules_in_lang("chatgpt ga down kok, yang down semangat skripsi gw", "id").complaint);
    assert!(!rules_in_lang("ChatGPTは落ちてない、落ちたのは私の単位", "ja").complaint);
    assert!(
        !rules_in_lang(
            "instagram is fine, my nerves are down. three finals in two days",
            "en"
        )
        .complaint
    );
    assert!(!rules_in_lang("insta va très bien, c'est mon moral qui est en panne", "fr").complaint);
    // A symptom after the denial is the service's own failure; a question denies nothing;
    // another service named in the later clause is that service's failure.
    assert!(
        rules_in_lang(
            "whatsapp isn't down for me, but messages won't send to my mum",
            "en"
        )
        .complaint
    );
    assert!(rules_in_lang("isn't whatsapp down?? everything is down here", "en").complaint);
    assert!(rules_in_lang("whatsapp is fine, instagram is down though", "en").complaint);
}

#[test]
fn a_power_cut_at_home_or_a_pulled_plug_is_the_authors_side() {
    assert!(
        !rules_in_lang(
            "server minecraft bikinan adek gw mati gara2 listrik rumah padam wkwk",
            "id"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "serwer minecrafta u kumpla padł, bo jego stary wyłączył korki xD",
            "pl"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "telefonum denize düştü, instagramdan yazmayın göremiyorum 😭",
            "tr"
        )
        .complaint
    );
    assert!(
        !rules_in_lang(
            "الكهربا قاطعة عندنا من ساعتين، الراوتر فاصل واليوتيوب فصل معاه 😂",
            "ar"
        )
        .complaint
    );
    // The service failing by itself is still a complaint.
    assert!(rules_in_lang("youtube فاصل عندي من ساعتين، حد عنده نفس المشكلة؟", "ar").complaint);
    assert!(rules_in_lang("instagram çöktü, akış yüklenmiyor", "tr").complaint);
}

#[test]
fn a_service_that_decides_to_die_is_a_sarcastic_complaint() {
    assert!(
        rules_in_lang(
            "no pięknie, mBank postanowił umrzeć w dzień wypłaty 🙃",
            "pl"
        )
        .complaint
    );
    assert!(
        rules_in_lang(
            "ну конечно, вк решил сдохнуть ровно когда мне надо сдать домашку",
            "ru"
        )
        .complaint
    );
    assert!(rules_in_lang("of course paypal decided to die the day rent is due", "en").complaint);
}

#[test]
fn bad_rule_word_files_fail_at_start_up() {
    let catalog = DataFile {
        name: "data/platforms.toml",
        text: Catalog::BUNDLED.text,
    };
    let en = crate::lexicon::BUNDLED[0];
    let ja = crate::lexicon::BUNDLED
        .iter()
        .copied()
        .find(|f| f.name.ends_with("ja.toml"))
        .expect("a bundled Japanese lexicon");
    let load = |text: &'static str| {
        let file = DataFile {
            name: "data/rule_words.toml",
            text,
        };
        Classifier::from_files(&[catalog, en, ja, file])
    };
    let line_of = |text: &'static str| {
        let err = load(text).unwrap_err();
        assert_eq!(err.file, "data/rule_words.toml", "{err}");
        assert!(!err.fix.is_empty(), "{err}");
        err.line
    };
    // A misspelt key.
    assert_eq!(
        line_of("[en]\nupload = [\"upload\"]\nscreens = [\"screen\"]\n"),
        3
    );
    // An empty list.
    assert_eq!(line_of("[en]\nupload = [\"upload\"]\nkick = []\n"), 3);
    // The same entry twice in a list, also when only folding makes it the same.
    assert_eq!(
        line_of("[en]\nblank = [\"white\",\n  \"blank\", \"WHITE\"]\n"),
        3
    );
    // Two words where a word (or its beginning) is wanted; nothing to match.
    assert_eq!(
        line_of("[en]\nupload = [\"upload\"]\ncontrast = [\"but\", \"even so\"]\n"),
        3
    );
    assert_eq!(line_of("[en]\nkick = [\"kick\",\n \"?!\"]\n"), 3);
    // A separable crash that is not a verb and its particle.
    assert_eq!(
        line_of("[en]\nupload = [\"upload\"]\nseparable_crashes = [\"sturz\"]\n"),
        3
    );
    // A table for a language without a lexicon.
    assert_eq!(
        line_of("[en]\nkick = [\"kick\"]\n\n[xx]\nkick = [\"kik\"]\n"),
        4
    );
    // An everyday error word that is no error word.
    assert_eq!(
        line_of("[en]\nerror_words = [\"error\"]\n\n[ja]\neveryday_error_words = [\"oops\"]\n"),
        5
    );
    // Beginnings of a language without spaces may be any text; its whole words, one token.
    assert!(load("[ja]\nscreen = [\"画面\"]\nupload = [\"アップ\"]\n").is_ok());
    assert_eq!(
        line_of("[ja]\nscreen = [\"画面\"]\ncontrast = [\"でも\"]\n"),
        3
    );
    // Without a rule-word file, the bundled one serves the languages loaded.
    assert!(Classifier::from_files(&[catalog, en, ja]).is_ok());
}

#[test]
fn the_rules_read_their_words_from_the_data() {
    // "schwarzer Bildschirm" on Netflix is a picture that does not play because "bildschirm"
    // is a screen word of data/rule_words.toml; without the German screen word it stays the
    // crash its phrase names.
    let text = "netflix down? nur schwarzer bildschirm bei jeder folge";
    let bundled = super::bundled_files();
    let without_screen = super::rule_words::BUNDLED
        .text
        .replace("screen = [\"bildschirm\"]\n", "");
    assert_ne!(without_screen, super::rule_words::BUNDLED.text);
    let edited = DataFile {
        name: "data/rule_words.toml",
        text: &without_screen,
    };
    let files: Vec<DataFile<'_>> = bundled
        .iter()
        .copied()
        .filter(|f| !f.name.ends_with("rule_words.toml"))
        .chain([edited])
        .collect();
    let mut p = post(text);
    p.lang = Some("de".into());
    let rules = Classifier::builtin().with_models(None, None, None);
    assert_eq!(rules.classify(&p).symptoms, [Symptom::Playback]);
    let edited = Classifier::from_files(&files)
        .expect("the edited file loads")
        .with_models(None, None, None);
    assert_eq!(edited.classify(&p).symptoms, [Symptom::Crash]);
}

#[test]
fn a_guide_to_fixing_a_problem_is_no_complaint() {
    // A tutorial or a step-by-step guide tells how to fix a problem, not that it happens now
    // (`not_now` guards of the lexicons).
    for (text, lang) in [
        ("Fix the Spotify 'offline' error, step by step 👇", "en"),
        (
            "tutorial: como resolver o erro de login no instagram 👇",
            "pt",
        ),
        (
            "cómo arreglar el error de conexión de fortnite paso a paso",
            "es",
        ),
        ("طريقة حل مشكلة تيك توك لا يعمل خطوة بخطوة", "ar"),
    ] {
        assert!(!in_lang(text, lang).complaint, "{text}");
    }
    // A complaint beside a tutorial in another sentence still counts for the rules (the guard
    // reaches its own sentence only). The bundled complaint model, judging every complaint
    // since the sixteenth session, rates this one 0.099, just under its veto (0.1), on the
    // twelve features it knows ("tutorial" weighs against): docs/CLASSIFIER.md, "Sixteenth
    // session".
    assert!(rules_in_lang("followed the tutorial. spotify still not working", "en").complaint);
}

#[test]
fn a_false_alarm_or_a_mistaken_belief_is_no_complaint() {
    assert!(
        !in_lang(
            "whatsapp remarche, c'était une fausse alerte ou une panne éclair ?",
            "fr"
        )
        .complaint
    );
    assert!(!in_lang("instagram çöktü sandım bir saat, modemin fişi çıkmış", "tr").complaint);
    assert!(
        !in_lang(
            "myślałem że allegro nie działa, a to mi się karta skończyła",
            "pl"
        )
        .complaint
    );
    // What turns out to be down after the mistaken belief is a complaint.
    assert!(
        in_lang(
            "bende sorun var sandım, meğer instagram herkeste çökmüş",
            "tr"
        )
        .complaint
    );
}

#[test]
fn a_quoted_question_in_single_quotes_answered_no_is_refuted() {
    assert!(
        !in_lang(
            "'is hinge down?' nee schat, niemand stuurt je gewoon iets",
            "nl"
        )
        .complaint
    );
    assert!(!in_lang("'is discord down?' no, you got banned lol", "en").complaint);
    // The quoted question itself, not answered no, is a complaint.
    assert!(in_lang("'is discord down?' mine won't connect either", "en").complaint);
}

#[test]
fn idioms_of_laughing_shame_and_mood_are_no_outage() {
    assert!(!in_lang("بموت من الضحك على فيديو تيك توك", "ar").complaint);
    assert!(
        !in_lang(
            "ik schaam me kapot voor mijn netflix kijkgeschiedenis",
            "nl"
        )
        .complaint
    );
    assert!(
        !in_lang(
            "sono proprio down oggi, anche spotify mi mette tristezza",
            "it"
        )
        .complaint
    );
    assert!(!in_lang("snapchat c'est mort pour moi, je désinstalle", "fr").complaint);
    assert!(!in_lang("waze sent me down a road that doesn't exist", "en").complaint);
}

#[test]
fn announced_maintenance_at_night_is_not_now() {
    assert!(
        !in_lang(
            "Uwaga: w nocy z piątku na sobotę aplikacja mBank może być niedostępna",
            "pl"
        )
        .complaint
    );
    assert!(
        !in_lang(
            "Ziggo: in de nacht van maandag op dinsdag werkzaamheden aan de tv-dienst",
            "nl"
        )
        .complaint
    );
    assert!(!in_lang("ستتوقف خدمات توكلنا مؤقتا لأعمال الصيانة ليلة الخميس", "ar").complaint);
}

#[test]
fn arriving_freezing_closing_and_pausing_in_more_words() {
    assert!(rules_in_lang("mijn outlook mail komt niet binnen sinds vanochtend", "nl").complaint);
    assert!(rules_in_lang("ing app blijft bij het inloggen hangen", "nl").complaint);
    // On a video service a picture that stays stuck is playback (`stream_stop` "pillad").
    let stuck = rules_in_lang("netflix se queda pillado cada dos minutos", "es");
    assert!(stuck.complaint);
    assert!(
        stuck.symptoms.contains(&Symptom::Playback) && !stuck.symptoms.contains(&Symptom::Crash),
        "{:?}",
        stuck.symptoms
    );
    assert_eq!(
        rules_in_lang("تطبيق تيك توك يقفل من نفسه", "ar").symptoms,
        [Symptom::Crash]
    );
    assert_eq!(
        rules_in_lang("spotify встаёт на паузу каждую минуту", "ru").symptoms,
        [Symptom::Playback]
    );
    assert!(rules_in_lang("nubank e pix instáveis agora?", "pt").complaint);
    assert!(
        rules_in_lang("الفايسبوك واقف عندي من الصبح", "ar")
            .platforms
            .contains(&"facebook".to_string())
    );
}

#[test]
fn calls_that_do_not_get_through_and_apps_that_close_at_once() {
    assert_eq!(
        rules_in_lang("play padło? nie mogę się dodzwonić do nikogo", "pl").symptoms,
        [Symptom::Calls]
    );
    assert_eq!(
        rules_in_lang("turkcell çöktü mü, arama da yapamıyorum", "tr").symptoms,
        [Symptom::Calls]
    );
    assert_eq!(
        rules_in_lang("getir çöktü mü? açar açmaz kapanıyor", "tr").symptoms,
        [Symptom::Crash]
    );
    assert_eq!(
        rules_in_lang("يتوقف تطبيق تويتر فور فتحه", "ar").symptoms,
        [Symptom::Crash]
    );
    assert_eq!(
        rules_in_lang("google meet error, suaranya kayak robot", "id").symptoms,
        [Symptom::Calls]
    );
    assert_eq!(
        symptoms_in(
            "ing app werkt niet, 'Er ging iets mis' bij elke poging",
            "nl"
        ),
        [Symptom::Other]
    );
}

#[test]
fn a_past_word_inside_a_since_phrase_says_now() {
    // "gisteravond" (last night) inside "sinds gisteravond" says since when it is broken, even
    // where another service is said to work ("Gmail werkt prima").
    assert!(
        rules_in_lang(
            "outlook mail komt niet binnen sinds gisteravond, gmail werkt prima",
            "nl"
        )
        .complaint
    );
    // A past word of its own still tells the past.
    assert!(
        !rules_in_lang(
            "gisteravond kwam outlook mail niet binnen, nu werkt het prima",
            "nl"
        )
        .complaint
    );
}

#[test]
fn the_authors_crash_storage_and_router_are_no_outage() {
    assert!(
        !rules_in_lang(
            "su duolingo ho crashato dopo una settimana di serie 😅",
            "it"
        )
        .complaint
    );
    assert!(!rules_in_lang("le youtubeur a crashé sa voiture en live sur twitch", "fr").complaint);
    assert!(!rules_in_lang("whatsapp açılmıyor, meğer telefonun hafızası dolmuş", "tr").complaint);
    assert!(!rules_in_lang("الفيسبوك مش شغال، الراوتر فاصل عندنا", "ar").complaint);
}

#[test]
fn arabizi_verbs_of_working_are_complaints_only_negated() {
    // "beyshtaghal" is "it works": only "mesh/msh/mish beyshtaghal" is the complaint.
    for text in [
        "el whatsapp beyshtaghal 3adi 3andi",
        "el insta bye2bal el password 5alas",
    ] {
        assert!(!rules_in_lang(text, "ar").complaint, "{text}");
    }
    for text in [
        "el whatsapp mesh beyshtaghal",
        "el insta msh bye2bal el password",
    ] {
        assert!(rules_in_lang(text, "ar").complaint, "{text}");
    }
}

#[test]
fn a_dorm_wifi_or_a_service_said_not_at_fault_is_the_authors_side() {
    for (text, lang) in [
        (
            "wifi w akademiku znowu padło, nawet discord nie łapie",
            "pl",
        ),
        ("yurdun wifi'ı yine gitti, discord'a bile giremiyorum", "tr"),
        (
            "router ist kaputt, vodafone kann nix dafür, hab ihn selbst umgeworfen",
            "de",
        ),
        ("the dorm wifi died again so discord won't load", "en"),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
    // The author's own connection does not excuse a service whose own problem is said.
    assert!(rules_in_lang("discord is down, not my wifi", "en").complaint);
}

#[test]
fn the_authors_own_will_between_a_negation_and_a_verb_is_no_failure() {
    for (text, lang) in [
        ("nem quero abrir o tiktok hoje", "pt"),
        ("no quiero abrir instagram hoy, demasiado drama", "es"),
        ("non voglio aprire instagram oggi", "it"),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
    // Said of the app (the third person), the same words are a complaint.
    assert!(rules_in_lang("instagram no quiere abrir desde la mañana", "es").complaint);
}

#[test]
fn a_tip_that_opens_the_post_is_advice_not_an_outage() {
    // A tip's header ("PSA", "Tipp", "astuce", "dica") as the post's first word: advice about
    // a problem, not the problem now (`header` guards of the lexicons).
    for (text, lang) in [
        (
            "PSA if slack says 'unable to connect': sign out and clear the cache, works every time",
            "en",
        ),
        (
            "Astuce : si Deezer affiche « erreur réseau », videz le cache de l'appli",
            "fr",
        ),
        (
            "Tip: laadt Netflix niet op je tv? Even de stekker eruit en opnieuw proberen",
            "nl",
        ),
        ("dica: se o ifood não abrir, atualiza o app pela loja", "pt"),
        (
            "@ana porada: jak allegro nie działa, wyloguj się i zaloguj ponownie",
            "pl",
        ),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
    // Asking for tips about a real problem is a complaint: the word counts only as a header.
    assert!(rules_in_lang("any tips? discord won't load since this morning", "en").complaint);
    assert!(rules_in_lang("slack not working at all, tips anyone?", "en").complaint);
}

#[test]
fn an_anniversary_told_today_is_the_past() {
    // "today" in an anniversary counts the years; it does not lift the past word.
    for (text, lang) in [
        (
            "Hoy hace un año de la caída de WhatsApp. Me acuerdo de estar horas sin mensajes",
            "es",
        ),
        (
            "Heute vor genau einem Jahr war Instagram den ganzen Tag down, wisst ihr noch?",
            "de",
        ),
        (
            "Hoje faz um ano que o pix caiu no dia do pagamento, lembram?",
            "pt",
        ),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
    assert!(rules_in_lang("hoy whatsapp no funciona otra vez", "es").complaint);
}

#[test]
fn failing_an_interview_or_being_down_oneself_is_no_outage() {
    assert!(!rules_in_lang("ソフトバンクの一次面接落ちた…切り替えてこ", "ja").complaint);
    assert!(!rules_in_lang("tiktok sepi banget hari ini, gue yang down sih", "id").complaint);
    assert!(rules_in_lang("ソフトバンクのアプリ落ちた？開かない", "ja").complaint);
}

#[test]
fn a_service_cleared_of_the_failure_is_no_complaint() {
    // A `not_to_blame` guard in a clause naming the service clears it: the complaint phrases of
    // the clauses naming no other service are vetoed (`denial::veto_failure_of_a_service_cleared`).
    for (text, lang) in [
        (
            "Kein Netz seit heute früh. Das Kabel hab ich selbst durchgeschnitten, Telekom kann nichts dafür 😅",
            "de",
        ),
        (
            "игра вылетает каждые пять минут, но это игра кривая, стим тут ни при чём",
            "ru",
        ),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
    // Another service's failure stays a complaint.
    assert!(rules_in_lang("WhatsApp ist down, Vodafone kann nichts dafür", "de").complaint);
}

#[test]
fn the_catch_all_gives_way_to_the_part_that_fails() {
    // A download or a sync of media, the order that cannot be paid: the catch-all words are
    // the context of the media or the payment that fails, not a second failure.
    for (text, lang, want) in [
        (
            "telegram no descarga los videos desde esta mañana",
            "es",
            vec![Symptom::Media],
        ),
        (
            "zomato pe payment fail ho raha hai, order place nahi ho raha",
            "hi",
            vec![Symptom::Payments],
        ),
        (
            "o ifood não finaliza o pedido, pagamento recusado",
            "pt",
            vec![Symptom::Payments],
        ),
    ] {
        assert_eq!(rules_in_lang(text, lang).symptoms, want, "{text}");
    }
    // Beside a crash the catch-all is a failure of its own (writers name both).
    assert_eq!(
        rules_in_lang(
            "salesforce öffnet keine tickets, nur ein weißer bildschirm",
            "de"
        )
        .symptoms,
        [Symptom::Crash, Symptom::Other]
    );
}

#[test]
fn an_assistants_messages_are_its_answers() {
    // A chatbot's messages and their stream are its answers: what fails there is the
    // catch-all kind, not messaging or playback.
    for (text, lang) in [
        (
            "claude down? il me répond 'something went wrong' à chaque message",
            "fr",
        ),
        (
            "gemini geht nicht, bei jeder nachricht nur 'error in message stream'",
            "de",
        ),
        ("chatgpt is down, every message just errors out", "en"),
    ] {
        assert_eq!(
            rules_in_lang(text, lang).symptoms,
            [Symptom::Other],
            "{text}"
        );
    }
}

#[test]
fn a_connection_said_to_be_fine_after_a_concession_is_the_authors() {
    // "although my fibre is fine": the author's own connection, not the service's failure.
    for (text, lang) in [
        ("twitch rame à mort alors que la fibre est nickel", "fr"),
        (
            "netflix ruckelt die ganze zeit obwohl das wlan super ist",
            "de",
        ),
        ("youtube buffering mulu padahal wifi kenceng", "id"),
    ] {
        let symptoms = rules_in_lang(text, lang).symptoms;
        assert!(
            !symptoms.contains(&Symptom::Connectivity),
            "{text}: {symptoms:?}"
        );
    }
    // Without the concession the connection is what fails.
    assert!(
        rules_in_lang("twitch rame à mort, la fibre est coupée", "fr")
            .symptoms
            .contains(&Symptom::Connectivity)
    );
}

#[test]
fn a_failure_said_before_the_past_word_is_told_now() {
    for (text, lang) in [
        (
            "web.de sagt mein passwort ist falsch, hab's gestern erst geändert",
            "de",
        ),
        (
            "akbank mobil açılışta beyaz ekranda kalıyor, dün güncelleme gelmişti",
            "tr",
        ),
    ] {
        assert!(rules_in_lang(text, lang).complaint, "{text}");
    }
    for (text, lang) in [
        ("whatsapp was down yesterday for two hours", "en"),
        ("yesterday whatsapp wouldn't load, crazy", "en"),
        (
            "Meta: Störung bei WhatsApp behoben, Ursache war ein fehlerhaftes Update",
            "de",
        ),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
}

#[test]
fn a_complaint_quoted_about_a_service_named_nowhere_else_is_somebody_elses() {
    // A quotation naming a service the post names nowhere else is somebody's words about it
    // (`quoted::veto_complaints_quoted_about_a_service`).
    for (text, lang) in [
        (
            "my dad yelled 'netflix is broken' across the house. the tv was on the wrong input",
            "en",
        ),
        (
            "mein Opa meint „YouTube geht nicht mehr“, dabei war nur der Ton aus",
            "de",
        ),
        (
            "mi vecino grita «se cayó el wifi de movistar» cada vez que pierde en el fifa",
            "es",
        ),
    ] {
        assert!(!rules_in_lang(text, lang).complaint, "{text}");
    }
    // An error text quoted is the author's report, whether it names the service or not; a
    // question quoted at the start is the author's own.
    for (text, lang) in [
        (
            "spotify keeps saying 'something went wrong' on every song",
            "en",
        ),
        (
            "steam zeigt „keine Verbindung zum Steam-Netzwerk“ seit einer Stunde",
            "de",
        ),
        (
            "'is whatsapp down?' my messages are stuck on one tick too",
            "en",
        ),
    ] {
        assert!(rules_in_lang(text, lang).complaint, "{text}");
    }
}

#[test]
fn a_colloquial_polish_if_opens_a_hypothetical_clause() {
    // "jakby" is the spoken "gdyby" (negation.toml `conditionals`, pl).
    assert!(
        !rules_in_lang(
            "jakby messenger padł w sylwestra, pół kraju nie złożyłoby życzeń",
            "pl"
        )
        .complaint
    );
}

#[test]
fn a_part_still_broken_set_against_what_came_back_is_a_complaint() {
    // A recovery, a contrast word, then a part named with a `current` word ("still", "hâlâ",
    // "immer noch"), its failure said in words no negation rule reads
    // (`still_broken_after_recovery`).
    for (text, lang) in [
        (
            "outlook is back but my emails are still stuck in the outbox",
            "en",
        ),
        (
            "gmx geht wieder, aber die Mails landen immer noch erst nach Stunden im Postfach",
            "de",
        ),
        ("telegram düzeldi ama videolar hâlâ inmiyor", "tr"),
    ] {
        assert!(rules_in_lang(text, lang).complaint, "{text}");
    }
    // Without the contrast and the part, a recovery stays a recovery.
    assert!(!rules_in_lang("gmail is back, still no idea what happened", "en").complaint);
}

#[test]
fn a_recovery_followed_by_the_outage_it_ended_is_no_relapse() {
    // "Since this afternoon" after a recovery tells the outage that ended; only an "again"
    // word (`guards.again`) makes the later complaint a relapse.
    let c = rules_in_lang(
        "Netflix werkt weer! Sinds vanmiddag kreeg ik alleen foutmeldingen",
        "nl",
    );
    assert!(c.recovery && !c.complaint);
    let c = rules_in_lang(
        "Bradesco voltou a funcionar. passei a manhã toda tentando e só dava erro",
        "pt",
    );
    assert!(c.recovery && !c.complaint);
    let c = rules_in_lang("Netflix werkt weer! ... nee hoor, alweer kapot", "nl");
    assert!(c.complaint && !c.recovery);
    // A name whose clause says it came back is no bare subject for the next sentence...
    let c = rules_in_lang("Госуслуги ожили! с утра выдавали ошибку", "ru");
    assert!(c.recovery && !c.complaint);
    // ...but one that asks is, and "again" still tells a relapse.
    assert!(rules_in_lang("Госуслуги ожили? нет, опять не грузятся", "ru").complaint);
}

#[test]
fn the_recovery_model_hears_a_service_back_in_words_no_list_holds() {
    let mut p = post("ok spotify's back, commute saved 🎧");
    p.lang = Some("en".into());
    assert!(!rules_in_lang(&p.text, "en").recovery);
    let (c, why) = classifier().explain(&p);
    assert!(c.recovery && !c.complaint, "{why:?}");
    assert_eq!(c.platforms, ["spotify"]);
    let said = why
        .model
        .and_then(|m| m.recovery)
        .expect("the recovery model was asked");
    assert_eq!(said.effect, "added the recovery");
    // A relapse the rules read stays a relapse.
    let c = classifier().classify(&post("venmo is back!! wait no. down again"));
    assert!(c.complaint && !c.recovery, "{c:?}");
}

#[test]
fn an_arabic_broken_screen_or_a_fall_from_grace_is_no_outage() {
    // The author's own tablet and screen (Egyptian forms), and "fell from my eyes": lost
    // respect, nothing fell down.
    assert!(!rules_in_lang("الايباد وقع مني والشاشة اتكسرت، مش عارف أفتح نتفليكس", "ar").complaint);
    assert!(!rules_in_lang("انستقرام وقع من نظري بعد اللي شفته", "ar").complaint);
    // Without them, the same services fail.
    assert!(rules_in_lang("نتفليكس مش شغال عندي خالص", "ar").complaint);
    assert!(rules_in_lang("انستقرام وقع؟", "ar").complaint);
}
