"""Speech and stance in news text: how quotations are cut into claims, and which
attitudes count as the subject's claim. Each test asserts source, type, cue and span."""

from __future__ import annotations

from tests.extract.helpers import claim_with, extract


def test_rhetoric_inside_a_quotation_stays_with_the_point_it_makes() -> None:
    text = (
        "“The tax cut will cost the state $2 billion a year. But who is going to pay for it? "
        "Our teachers will,” said state Sen. Laura Brooks, a Democrat from Albany."
    )
    claims = extract(text)
    (claim,) = claims
    assert claim.quote == (
        "The tax cut will cost the state $2 billion a year. But who is going to pay for it? "
        "Our teachers will"
    )
    (src,) = claim.sources
    assert (src.name, src.cue, src.type) == ("Laura Brooks", "said", "official")


def test_complete_quoted_sentences_stay_separate_claims() -> None:
    text = (
        "“Exports fell 12 percent in May. Factories are cutting shifts across the north,” "
        "analyst Paul Remy of BNP Paribas said."
    )
    quotes = [c.quote for c in extract(text)]
    assert quotes == [
        "Exports fell 12 percent in May",
        "Factories are cutting shifts across the north",
    ]
    assert all(c.sources[0].name == "Paul Remy" for c in extract(text))


def test_speech_is_split_at_but_and_not_at_semicolons() -> None:
    text = (
        "“We have enough water for the summer; the reservoirs are full, and the rain came "
        "early, but the pipes in the old town are failing,” Mayor Ida Stone told reporters."
    )
    quotes = [c.quote for c in extract(text)]
    assert quotes == [
        "We have enough water for the summer; the reservoirs are full, and the rain came early",
        "the pipes in the old town are failing",
    ]
    claim = claim_with(extract(text), "pipes in the old town")
    assert (claim.sources[0].name, claim.sources[0].cue) == ("Ida Stone", "told")


def test_saying_after_an_action_names_the_subject_of_the_sentence() -> None:
    text = (
        "Sen. Marco Rubio pushed back on those claims Thursday, saying that the bill had the "
        "correct security components."
    )
    (claim,) = extract(text)
    assert claim.quote == "the bill had the correct security components"
    (src,) = claim.sources
    assert (src.name, src.cue, src.type) == ("Marco Rubio", "saying", "official")


def test_telling_reporters_is_not_an_inverted_speaker() -> None:
    text = "Chairman John Smith left the hearing early, telling reporters the bill was dead."
    claim = claim_with(extract(text), "the bill was dead")
    assert claim.quote == "the bill was dead"
    (src,) = claim.sources
    assert (src.name, src.cue, src.mention) == ("John Smith", "telling", "Chairman John Smith")


def test_a_possessive_before_hopes_makes_it_a_noun_not_a_cue() -> None:
    text = "The Kremlin’s hopes for a quick deal with Washington have faded since March."
    (claim,) = extract(text)
    assert claim.quote == text.rstrip(".")
    assert claim.sources == []


def test_a_speaker_quoted_by_an_outlet_comes_first_and_the_outlet_relays() -> None:
    for text in (
        "According to Yahoo News, campaign spokesman Jason Miller said the candidate would "
        "not attend the debate in Denver.",
        "According to Yahoo News, the candidate would not attend the debate in Denver, "
        "campaign spokesman Jason Miller said.",
    ):
        (claim,) = extract(text)
        assert claim.quote == "the candidate would not attend the debate in Denver"
        first, relay = claim.sources
        assert (first.name, first.cue, first.type) == ("Jason Miller", "said", "official")
        assert (relay.name, relay.cue, relay.type) == ("Yahoo News", "according to", "media")


def test_profession_words_shared_with_outlet_names_type_an_expert() -> None:
    text = "Inflation will slow, said Paul Remy, an independent economist at BNP Paribas.\n"
    claim = claim_with(extract(text), "Inflation will slow")
    (source,) = claim.sources
    assert (source.name, source.type.value) == ("Paul Remy", "expert")
    assert source.role is not None and "economist" in source.role


def test_an_outlet_that_quoted_a_speaker_relays_them() -> None:
    for text in (
        "Interfax quoted Deputy Foreign Minister Sergei Ryabkov as saying that talks with "
        "Washington were still possible.",
        "Talks with Washington were still possible, Interfax quoted Deputy Foreign Minister "
        "Sergei Ryabkov as saying.",
    ):
        claim = claim_with(extract(text), "were still possible")
        assert "Interfax" not in claim.quote
        speaker, outlet = claim.sources
        assert (speaker.name, speaker.type.value, speaker.cue) == (
            "Sergei Ryabkov",
            "official",
            "as saying",
        )
        assert (outlet.name, outlet.type.value, outlet.cue) == ("Interfax", "media", "quoted")


def test_the_outlet_a_source_told_is_the_relay() -> None:
    text = (
        "A source in the Defence Ministry told TASS that the drills would last a week.\n\n"
        "The exercise will involve 5,000 troops, a military source told RIA Novosti on Monday.\n\n"
        "Smith told reporters the bill was dead."
    )
    claims = extract(text)
    drills = claim_with(claims, "the drills would last")
    assert [(s.name, s.type.value) for s in drills.sources] == [
        ("source in the Defence Ministry", "official"),
        ("TASS", "media"),
    ]
    troops = claim_with(claims, "5,000 troops")
    assert [s.name for s in troops.sources] == ["military source", "RIA Novosti"]
    # reporters are the audience, not an outlet that relays
    assert [s.name for s in claim_with(claims, "the bill was dead").sources] == ["Smith"]


def test_un_agencies_and_central_banks_are_typed() -> None:
    text = (
        "The UN refugee agency UNHCR estimates that 6 million people have fled the country.\n\n"
        "Inflation will ease next year, the central bank said in a statement."
    )
    claims = extract(text)
    assert claim_with(claims, "6 million").sources[0].type.value == "organization"
    assert claim_with(claims, "Inflation will ease").sources[0].type.value == "official"


def test_tass_dateline_according_to_her_and_anonymous_diplomat() -> None:
    text = (
        "MOSCOW, July 5. /TASS/. Foreign Minister Sergey Lavrov will visit Turkey next week, "
        "the ministry's spokeswoman Maria Zakharova told reporters on Thursday.\n\n"
        "According to her, the sides will also discuss the situation in Syria.\n\n"
        "A diplomatic source in Ankara told TASS on condition of anonymity that the meeting "
        "could take place in Istanbul."
    )
    claims = extract(text)
    assert not any("TASS/" in c.quote for c in claims)
    visit = claim_with(claims, "will visit Turkey")
    assert visit.quote.startswith("Foreign Minister Sergey Lavrov")
    syria = claim_with(claims, "situation in Syria").sources[0]
    assert (syria.name, syria.cue, syria.mention) == ("Maria Zakharova", "according to", "her")
    meeting = claim_with(claims, "take place in Istanbul")
    assert [(s.name, s.type.value) for s in meeting.sources] == [
        ("diplomatic source in Ankara", "official"),
        ("TASS", "media"),
    ]


def test_states_speak_as_officials_and_days_stay_out_of_the_content() -> None:
    text = (
        "Ukraine says it shot down 30 Russian drones overnight\n\n"
        "KYIV, March 3 (Reuters) - Ukraine's air force said on Sunday it had shot down 30 of "
        "34 drones launched by Russia overnight.\n\n"
        "The attacks are a response to strikes on Russian territory, Moscow said."
    )
    claims = extract(text)
    headline = claim_with(claims, "30 Russian drones").sources[0]
    assert (headline.name, headline.type.value) == ("Ukraine", "official")
    drones = claim_with(claims, "30 of 34 drones")
    assert drones.quote.startswith("it had shot down")
    assert drones.sources[0].type.value == "official"
    assert claim_with(claims, "a response to strikes").sources[0].type.value == "official"


def test_xinhua_style_spokesperson_family_name_and_parenthetical_frame() -> None:
    text = (
        "BEIJING, Jan. 9 (Xinhua) -- China firmly opposes the arms sales to Taiwan, said Wang "
        "Wenbin, spokesperson for the Chinese Foreign Ministry, at a press briefing.\n\n"
        "The sales seriously violate the one-China principle, Wang said, urging Washington to "
        "stop arming Taiwan.\n\n"
        "Police said at least 12 people were killed in the blast."
    )
    claims = extract(text)
    principle = claim_with(claims, "one-China principle")
    assert principle.quote == "The sales seriously violate the one-China principle"
    assert (principle.sources[0].name, principle.sources[0].mention) == ("Wang Wenbin", "Wang")
    assert principle.sources[0].type.value == "official"
    assert claim_with(claims, "urging Washington").sources[0].name == "Wang Wenbin"
    blast = claim_with(claims, "were killed")
    assert blast.quote == "at least 12 people were killed in the blast"
    assert blast.kind == "statistic"


def test_ap_style_anonymous_official_critics_denial_and_forecast() -> None:
    text = (
        "WASHINGTON (AP) — The Pentagon will send another 3,000 troops to the region, a U.S. "
        "official said Tuesday. The official, who spoke on condition of anonymity because he "
        "was not authorized to discuss the deployment, said the move was meant to deter "
        "attacks.\n\n"
        "Critics argue the deployment is a costly mistake. Iran denies arming the group.\n\n"
        "Brent crude could top $100 a barrel by summer, analysts at Goldman Sachs predicted."
    )
    claims = extract(text)
    first = claim_with(claims, "3,000 troops").sources[0]
    second = claim_with(claims, "meant to deter").sources[0]
    assert first.name == second.name == "U.S. official"
    assert (first.named, first.type.value) == (False, "official")
    critics = claim_with(claims, "costly mistake").sources[0]
    assert (critics.name, critics.named) == ("Critics", False)
    denial = claim_with(claims, "arming the group")
    assert denial.quote == "Iran denies arming the group"
    assert (denial.sources[0].type.value, denial.sources[0].named) == ("official", True)
    assert claim_with(claims, "could top $100").kind == "prediction"


def test_irna_style_headline_relay_audience_denial_and_cited_by() -> None:
    text = (
        'Iran warns of "crushing response" to any attack - IRNA\n\n'
        "Nasser Kanaani told a weekly press conference in Tehran that Iran does not seek war.\n\n"
        "The United States and its allies accuse Tehran of supplying drones to Russia, a "
        "charge Iran denies.\n\n"
        "According to Western intelligence sources cited by Reuters, at least 400 drones were "
        "delivered last year."
    )
    claims = extract(text)
    headline = claim_with(claims, "crushing response")
    assert "IRNA" not in headline.quote
    assert [(s.name, s.type.value) for s in headline.sources] == [
        ("Iran", "official"),
        ("IRNA", "media"),
    ]
    war = claim_with(claims, "does not seek war")
    assert war.quote == "Iran does not seek war"
    drones = claim_with(claims, "supplying drones")
    assert drones.sources[0].mention == "The United States and its allies"
    assert "Iran denies" not in drones.quote
    delivered = claim_with(claims, "400 drones")
    assert [(s.name, s.cue) for s in delivered.sources] == [
        ("Western intelligence sources", "according to"),
        ("Reuters", "cited by"),
    ]


def test_afp_style_monitor_un_chief_and_bare_counts() -> None:
    text = (
        "Gaza death toll passes 30,000, health ministry says\n\n"
        "According to the Syrian Observatory for Human Rights, a Britain-based war monitor, at "
        "least 15 fighters died in the strikes.\n\n"
        'The UN Secretary-General Antonio Guterres said he was "deeply alarmed" by the reports.'
    )
    claims = extract(text)
    assert claim_with(claims, "passes 30,000").kind == "statistic"
    monitor = claim_with(claims, "15 fighters").sources[0]
    assert (monitor.name, monitor.type.value, monitor.named) == (
        "Syrian Observatory for Human Rights",
        "organization",
        True,
    )
    un = claim_with(claims, "deeply alarmed").sources[0]
    assert (un.name, un.type.value) == ("Antonio Guterres", "organization")
    assert un.role is not None and "Secretary-General" in un.role


def test_tass_style_diplomat_in_her_words_and_interviewed_experts() -> None:
    text = (
        "MOSCOW, November 3. /TASS/. The West continues to pump weapons into Ukraine, Russian "
        "Foreign Ministry Spokeswoman Maria Zakharova said at a briefing on Thursday.\n\n"
        '"Washington and Brussels are not interested in peace," the diplomat emphasized. In '
        "her words, the supplies only increase the number of victims.\n\n"
        "Experts interviewed by TASS believe the conflict may last into next year. Chinese "
        "experts told the Global Times that the peace plan remained the only option."
    )
    claims = extract(text)
    assert claim_with(claims, "not interested in peace").sources[0].name == "Maria Zakharova"
    words = claim_with(claims, "increase the number of victims").sources[0]
    assert (words.name, words.cue, words.mention) == ("Maria Zakharova", "In her words", "her")
    experts = claim_with(claims, "into next year").sources[0]
    assert (experts.name, experts.type.value) == ("Experts", "expert")
    plan = claim_with(claims, "the only option")
    assert [s.name for s in plan.sources] == ["Chinese experts", "Global Times"]


def test_yonhap_style_body_with_acronym_and_declined_to_comment() -> None:
    text = (
        "The Joint Chiefs of Staff (JCS) said the missiles flew about 600 kilometers. "
        '"Our military is maintaining a full readiness posture," the JCS said.\n\n'
        "A spokesperson for the U.S. Indo-Pacific Command declined to comment."
    )
    claims = extract(text)
    first = claim_with(claims, "600 kilometers").sources[0]
    second = claim_with(claims, "full readiness posture").sources[0]
    assert first.name == second.name == "Joint Chiefs of Staff"
    assert (first.type.value, second.mention) == ("official", "the JCS")
    assert claim_with(claims, "declined to comment").sources == []


def test_report_by_an_audit_office_and_its_acronym() -> None:
    text = (
        "The flagship housing scheme has failed to deliver affordable homes, a report by the "
        "National Audit Office (NAO) has found.\n\n"
        "The NAO said only 4,000 of the promised 200,000 starter homes had been built."
    )
    claims = extract(text)
    finding = claim_with(claims, "failed to deliver")
    assert finding.quote == "The flagship housing scheme has failed to deliver affordable homes"
    office = finding.sources[0]
    assert (office.name, office.type.value, office.cue) == (
        "National Audit Office",
        "official",
        "found",
    )
    later = claim_with(claims, "starter homes").sources[0]
    assert (later.name, later.mention) == ("National Audit Office", "The NAO")
