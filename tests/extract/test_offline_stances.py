"""Attribution shapes of US political reporting: stances of a sentence's subject,
newspaper quote marks, adverbs and times between a speaker and the cue, poll and
document sources, and the look-alikes that must stay article voice.
Each test is a short real-looking passage with the expected source, cue and span."""

from __future__ import annotations

from tests.extract.helpers import claim_with, extract


def _src(text: str, fragment: str) -> tuple[str, str | None]:
    claim = claim_with(extract(text), fragment)
    assert claim.sources, f"{claim.quote!r} has no source"
    return claim.sources[0].name, claim.sources[0].cue


def test_pronoun_added_that_opens_a_sentence() -> None:
    text = (
        "Maria Lopez spoke for an hour. She added that the interview had raised questions "
        "about his judgment."
    )
    claim = claim_with(extract(text), "the interview had raised questions")
    assert (claim.sources[0].name, claim.sources[0].cue) == ("Maria Lopez", "added")
    assert claim.sources[0].mention == "She"


def test_doubled_apostrophe_quotes_after_a_sentence() -> None:
    text = (
        "The court has one open seat. ''Who would he appoint to anything? He's a wild "
        "card,'' Ms. Epstein said."
    )
    claim = claim_with(extract(text), "He's a wild card")
    assert (claim.sources[0].name, claim.sources[0].cue) == ("Ms. Epstein", "said")
    assert "Ms. Epstein said" not in claim.quote


def test_apposition_with_a_title_abbreviation() -> None:
    text = (
        "The tours ran late. ''It is long and tiring and hard to get through,'' Ann Lee, "
        "Gov. Brown's chief of staff, said in an interview."
    )
    assert _src(text, "long and tiring") == ("Ann Lee", "said")


def test_adverb_and_ago_between_speaker_and_cue() -> None:
    text = (
        "Mr. Peck has long argued that a merger of the two networks is likely. "
        "The State Department less than two weeks ago said that classified material had "
        "passed through the server."
    )
    assert _src(text, "a merger of the two networks") == ("Mr. Peck", "argued")
    assert _src(text, "classified material had passed") == ("State Department", "said")


def test_quantifiers_and_poll_shares_speak() -> None:
    text = (
        "One ranking says the mill owner is worth $9 billion, while another says he is "
        "not even a billionaire. About 9 percent said they had no preference."
    )
    claims = extract(text)
    assert claim_with(claims, "worth $9 billion").sources[0].mention == "One ranking"
    assert claim_with(claims, "not even a billionaire").sources[0].mention == "another"
    share = claim_with(claims, "no preference").sources[0]
    assert (share.mention, share.cue) == ("About 9 percent", "said")


def test_second_verb_after_but_keeps_the_subject() -> None:
    text = "Wealth-X keeps its own finances secret but says its business has tripled."
    claim = claim_with(extract(text), "its business has tripled")
    assert (claim.sources[0].name, claim.sources[0].cue) == ("Wealth-X", "says")


def test_stance_of_the_opening_subject_keeps_the_subject_in_the_claim() -> None:
    text = (
        "Sen. Bernie Sanders wants to raise the federal minimum wage to $15 an hour.\n\n"
        "The nurses union endorsed Sanders in August."
    )
    claims = extract(text)
    wage = claim_with(claims, "minimum wage")
    assert (wage.sources[0].name, wage.sources[0].cue) == ("Bernie Sanders", "wants")
    assert wage.quote.startswith("Sen. Bernie Sanders wants")
    union = claim_with(claims, "endorsed Sanders")
    assert union.sources[0].cue == "endorsed" and union.sources[0].mention == "The nurses union"


def test_stance_never_overrides_a_reported_paragraph() -> None:
    text = (
        "According to the Kremlin press service, the two presidents discussed trade. "
        "Putin congratulated the Iranian people on the coming holiday."
    )
    assert _src(text, "Putin congratulated") == ("Kremlin press service", "according to")


def test_stance_participle_after_the_main_clause() -> None:
    text = "Rubio pushed back on the report Tuesday, urging voters to ignore the polls."
    assert _src(text, "urging voters") == ("Rubio", "urging")


def test_saying_before_a_quotation_gives_the_subject() -> None:
    text = (
        'And then Trump went fully on the attack, saying, "He should resign in disgrace '
        'if he will not name the enemy!"'
    )
    assert _src(text, "resign in disgrace") == ("Trump", "saying")


def test_day_and_ruling_at_the_sentence_end() -> None:
    text = (
        "The economy is weaker than it looks, Smith said Monday.\n\n"
        "The man accused of buying two of the guns will remain in custody, a federal judge "
        "ruled Monday."
    )
    claims = extract(text)
    smith = claim_with(claims, "The economy is weaker")
    assert smith.quote == "The economy is weaker than it looks"
    assert (smith.sources[0].name, smith.sources[0].cue) == ("Smith", "said")
    judge = claim_with(claims, "will remain in custody")
    assert [(s.mention, s.cue) for s in judge.sources] == [("a federal judge", "ruled")]


def test_according_to_documents_polls_and_schedules() -> None:
    text = (
        "About 58 percent of large companies fund maternity leave, according to a 2014 "
        "Labor Department study.\n\n"
        "The campaign had spent little on voter data, according to its FEC reports.\n\n"
        "Sanders won 54 percent of union households, according to exit polls (a sizable "
        "margin in the state).\n\n"
        "According to the schedule published Thursday, Thiel will speak on the final night."
    )
    claims = extract(text)
    assert claim_with(claims, "maternity leave").sources[0].mention == (
        "a 2014 Labor Department study"
    )
    assert claim_with(claims, "voter data").sources[0].mention == "its FEC reports"
    assert claim_with(claims, "union households").sources[0].mention == "exit polls"
    thiel = claim_with(claims, "Thiel will speak")
    assert thiel.sources[0].cue == "according to"
    assert thiel.quote == "Thiel will speak on the final night"


def test_evidence_noun_closes_a_sentence() -> None:
    text = "More than 40 percent of the money arrived in February, new fundraising reports show."
    claim = claim_with(extract(text), "arrived in February")
    assert (claim.sources[0].mention, claim.sources[0].cue) == ("new fundraising reports", "show")


def test_relative_clause_does_not_steal_the_speaker() -> None:
    text = (
        "Current and former officials who spoke with The Huffington Post said the committee "
        "has become a shell of itself."
    )
    claim = claim_with(extract(text), "a shell of itself")
    assert "officials" in (claim.sources[0].mention or "")
    assert "Huffington" not in claim.sources[0].name


def test_objects_are_not_speakers() -> None:
    text = (
        "He has tried to provoke his critics by selling prints of the flag, calling "
        "President Barack Obama an ignorant man.\n\n"
        "One superdelegate, state party chairwoman Nancy Worley, pledged her vote to "
        "Clinton last week."
    )
    claims = extract(text)
    for c in claims:
        names = [s.name for s in c.sources]
        assert "Barack Obama" not in names, c
        assert not any("vote" in n for n in names), c


def test_look_alikes_stay_in_the_article_voice() -> None:
    text = (
        "UPDATE: The website that listed the weapon has removed the listing from its site.\n\n"
        "Eritrea was briefly considered one of the hopes of Africa.\n\n"
        "Cruz was favored to win most of the delegates.\n\n"
        "The source of Rubio's attack is unclear.\n\n"
        "Sanders maintained his double-digit lead in the state.\n\n"
        "It's worth noting that this is the first time in history.\n\n"
        "Health worries have dogged the candidate all month.\n\n"
        "The holiday is observed as a day of sacrifice.\n\n"
        "In 2000, they attacked the USS Cole, killing 17 American sailors."
    )
    for c in extract(text):
        assert c.sources == [], (c.quote, c.sources)


def test_time_before_that_and_demonstratives_in_content() -> None:
    text = (
        "Clinton stated earlier this week that she is willing to sit down with investigators. "
        "Conservatives thought this Supreme Court term would be different."
    )
    clinton = claim_with(extract(text), "willing to sit down")
    assert clinton.quote == "she is willing to sit down with investigators"
    assert clinton.sources[0].cue == "stated"
    term = claim_with(extract(text), "would be different")
    assert term.quote == "this Supreme Court term would be different"
    assert term.sources[0].cue == "thought"


def test_second_verb_and_intros_keep_the_subject() -> None:
    text = (
        'Trump called on her to resign from her post and said, "Her mind is shot!"\n\n'
        "Essentially, Clinton's lawyers looked through the e-mails and found that at least "
        "one person had a state.gov address.\n\n"
        "Reached by phone on Tuesday, Joyce told The Huffington Post he is not planning an "
        "appeal."
    )
    claims = extract(text)
    assert claim_with(claims, "Her mind is shot").sources[0].name == "Trump"
    lawyers = claim_with(claims, "state.gov address").sources[0]
    assert (lawyers.mention, lawyers.cue) == ("Clinton's lawyers", "found")
    assert claim_with(claims, "not planning an appeal").sources[0].name == "Joyce"


def test_title_case_headline_finding() -> None:
    text = (
        "Ted Cruz Is A Natural Born Citizen, Board Of Election Finds\n\n"
        "The board ruled on Monday after a two-hour hearing."
    )
    claim = claim_with(extract(text), "Natural Born Citizen")
    assert claim.sources and claim.sources[0].cue == "Finds"


def test_agreed_with_made_it_clear_and_as_noted() -> None:
    text = (
        "The judge agreed with Ivana Trump that there was no reason to intrude on her privacy."
        "\n\nIn an interview with a radio host, Ham made it clear he had major misgivings about "
        "the armed forces.\n\n"
        "As many tax experts, including Mr. Goldberg, have pointed out, Mr. Trump is free to "
        "disclose his returns.\n\n"
        "As expected, the bill passed the Senate."
    )
    claims = extract(text)
    judge = claim_with(claims, "no reason to intrude")
    assert judge.quote == "there was no reason to intrude on her privacy"
    assert judge.sources[0].cue == "agreed with"
    assert claim_with(claims, "major misgivings").sources[0].cue == "made it clear"
    experts = claim_with(claims, "free to disclose")
    assert experts.quote == "Mr. Trump is free to disclose his returns"
    assert (experts.sources[0].mention, experts.sources[0].type.value) == (
        "many tax experts",
        "expert",
    )
    bill = claim_with(claims, "the bill passed")
    assert bill.quote == "the bill passed the Senate" and bill.sources == []


def test_quotation_that_finishes_a_framed_clause() -> None:
    text = (
        "Clinton spokesman Jesse Lehrich said Friday that if his candidate were to win in "
        "November, “she would sign this legislation if it came to her desk.”"
    )
    claim = claim_with(extract(text), "she would sign this legislation")
    assert (claim.sources[0].name, claim.sources[0].cue) == ("Jesse Lehrich", "said")


def test_participles_and_inverted_cues_name_the_right_speaker() -> None:
    text = (
        "Scott's relatives, who asked to see the video, watched it on Thursday, attorneys for "
        "the family said.\n\n"
        "Ivanka Trump, the nominee's eldest daughter, noted the rule in the interview last "
        "week.\n\n"
        "Hillary Clinton spoke out about the death of Terence Crutcher in Tulsa, Oklahoma, "
        "arguing that the killings should be recognized as intolerable."
    )
    claims = extract(text)
    watched = claim_with(claims, "watched it on Thursday")
    assert watched.sources[0].mention == "attorneys for the family"
    assert "attorneys" not in watched.quote
    rule = claim_with(claims, "the rule")
    assert rule.sources[0].name == "Ivanka Trump"
    arguing = claim_with(claims, "recognized as intolerable")
    assert (arguing.sources[0].name, arguing.sources[0].cue) == ("Hillary Clinton", "arguing")


def test_subordinate_clauses_intros_and_peoples() -> None:
    text = (
        "Later in the show, after the Sanders interview concluded, Maher stated that the "
        "report was not good.\n\n"
        "Reached by POLITICO, Bennett denied the notion of a shakeup, explaining that he was "
        "unaware of the interview.\n\n"
        "The most telling promise Mrs. Clinton has made is that she will not overpromise.\n\n"
        "The Saudis have lobbied hard. He believes the government is still aiding the group."
    )
    claims = extract(text)
    report = claim_with(claims, "the report was not good")
    assert (report.sources[0].name, report.sources[0].cue) == ("Maher", "stated")
    assert claim_with(claims, "unaware of the interview").sources[0].name == "Bennett"
    assert claim_with(claims, "telling promise").sources == []
    aid = claim_with(claims, "still aiding")
    assert all(s.name != "The Saudis" and s.name != "Saudis" for s in aid.sources)


def test_review_regressions_names_gerunds_phrasals_and_markup() -> None:
    text = (
        "Officials said nothing had changed.\n\n"
        "She calls on voters to reject the measure.\n\n"
        "Kelly, a spokeswoman for the agency, said the bridge was safe.\n\n"
        "Emily, 34, said the school had closed.\n\n"
        "Davis said the talks failed. He added that a deal was still possible.\n\n"
        "Jordan said the team would win the title.\n\n"
        "<p>The mayor said the bridge would reopen in May.</p>\n\n"
        "In a statement released on Monday evening, the ministry said the talks had failed.\n\n"
        "The State Department a few weeks ago said that the emails were classified."
    )
    claims = extract(text)
    nothing = claim_with(claims, "nothing had changed")
    assert nothing.quote == "nothing had changed"
    assert claim_with(claims, "reject the measure").sources[0].cue == "calls on"
    assert claim_with(claims, "the bridge was safe").sources[0].name == "Kelly"
    assert claim_with(claims, "the school had closed").sources[0].name == "Emily"
    assert claim_with(claims, "a deal was still possible").sources[0].name == "Davis"
    assert claim_with(claims, "win the title").sources[0].type.value == "unknown"
    assert claim_with(claims, "reopen in May").sources[0].mention == "The mayor"
    assert claim_with(claims, "talks had failed").quote == "the talks had failed"
    assert claim_with(claims, "were classified").sources[0].name == "State Department"
    for look_alike in ("The plan was widely criticized as a giveaway.", "Obama cast his ballot."):
        assert all(c.sources == [] for c in extract(look_alike)), look_alike
