"""Attribution shapes of general news English beyond the wire's "X said": subjects with
long asides, times before the cue, poll shares, evidence nouns, participle add-ons.
Each test is a short real-looking passage with the expected source, cue and span."""

from __future__ import annotations

from tests.extract.helpers import claim_with, extract


def test_subject_with_age_place_and_relative_clause_before_said() -> None:
    text = (
        "Donna Sampson Rawlings, 59, of Ashton, Md., who watched the ceremony on a screen "
        "on the Mall, said the event brought back memories of her father."
    )
    claim = claim_with(extract(text), "the event brought back memories")
    (src,) = claim.sources
    assert (src.name, src.cue, src.mention) == (
        "Donna Sampson Rawlings",
        "said",
        "Donna Sampson Rawlings",
    )
    assert claim.quote == "the event brought back memories of her father"


def test_subject_with_participle_aside_and_party_label() -> None:
    text = (
        "Clinton, speaking to reporters Tuesday on her plane en route to Tampa, said the FBI "
        "had resolved all of the questions.\n\n"
        "Rep. Gregory W. Meeks (D-N.Y.), chairman of the Congressional Black Caucus PAC, said "
        "members will help him raise cash."
    )
    claims = extract(text)
    assert claim_with(claims, "the FBI had resolved").sources[0].name == "Clinton"
    meeks = claim_with(claims, "members will help him").sources[0]
    assert meeks.name == "Gregory W Meeks" and meeks.mention == "Rep. Gregory W. Meeks"


def test_time_between_subject_and_cue() -> None:
    text = (
        "Sanders on Tuesday said he wants to close four loopholes in the tax code. "
        "Obama last week told reporters that the trade deal was dead."
    )
    claims = extract(text)
    sanders = claim_with(claims, "he wants to close")
    assert (sanders.sources[0].name, sanders.sources[0].cue) == ("Sanders", "said")
    assert sanders.quote == "he wants to close four loopholes in the tax code"
    obama = claim_with(claims, "the trade deal was dead")
    assert (obama.sources[0].name, obama.sources[0].cue) == ("Obama", "told")


def test_poll_share_speaks() -> None:
    text = "Another 19 percent said they would not pick either candidate."
    (claim,) = extract(text)
    (src,) = claim.sources
    assert (src.mention, src.cue) == ("Another 19 percent", "said")
    assert claim.quote == "they would not pick either candidate"


def test_study_with_modifiers_reports_its_finding() -> None:
    text = (
        "A 2014 study that appeared in the British Medical Journal found that medical research "
        "contradicted half of the show's recommendations. "
        "The latest Reuters/Ipsos opinion poll released Friday shows Clinton leading Trump by "
        "43 percent to 38 percent."
    )
    claims = extract(text)
    study = claim_with(claims, "medical research contradicted")
    assert (study.sources[0].mention, study.sources[0].cue) == ("study", "found")
    assert study.quote.startswith("medical research")
    poll = claim_with(claims, "Clinton leading Trump")
    assert poll.sources[0].cue == "shows" and "poll" in (poll.sources[0].mention or "")
    assert poll.kind == "statistic"


def test_finding_needs_a_document_or_that() -> None:
    text = (
        "Police found a body in the river on Sunday. "
        "A federal judge found that the law was unconstitutional."
    )
    claims = extract(text)
    assert claim_with(claims, "found a body").sources == []
    judge = claim_with(claims, "the law was unconstitutional")
    assert (judge.sources[0].mention, judge.sources[0].cue) == ("A federal judge", "found")


def test_participle_after_a_quotation_frame_keeps_the_speaker() -> None:
    text = (
        "“We will rebuild the bridge,” the mayor said, adding that it would take several "
        "months before traffic could return."
    )
    claims = extract(text)
    assert claim_with(claims, "We will rebuild").sources[0].cue == "said"
    add = claim_with(claims, "it would take several months")
    (src,) = add.sources
    assert (src.name, src.cue, src.mention) == ("mayor", "adding", "the mayor")
    assert add.quote == "it would take several months before traffic could return"


def test_according_to_a_poll_with_a_long_description() -> None:
    text = (
        "Clinton now holds an advantage of 83 percentage points among black voters, according "
        "to a New York Times/CBS News poll released last week."
    )
    (claim,) = extract(text)
    assert claim.quote.endswith("among black voters")
    assert claim.sources[0].cue == "according to"
    assert (claim.sources[0].mention or "").startswith("a New York Times")


def test_noun_uses_of_states_and_ruling_are_not_cues() -> None:
    text = (
        "Battleground states could be decisive in a close election. "
        "A 4-4 ruling would leave the regulations in place. "
        "The court ruled that the regulations were lawful."
    )
    claims = extract(text)
    assert claim_with(claims, "could be decisive").sources == []
    assert claim_with(claims, "would leave the regulations").sources == []
    court = claim_with(claims, "the regulations were lawful")
    assert (court.sources[0].mention, court.sources[0].cue) == ("The court", "ruled")


def test_accusation_is_the_accusers_claim_read_with_its_subject() -> None:
    text = "Vice President Joe Biden accused Donald Trump of endangering the lives of US troops."
    (claim,) = extract(text)
    (src,) = claim.sources
    assert (src.name, src.cue, src.type) == ("Joe Biden", "accused", "official")
    assert claim.quote == text.rstrip(".")


def test_pledges_and_questions_are_the_subjects_claims() -> None:
    text = (
        "Clinton pledged to push for a constitutional amendment to overturn the ruling.\n\n"
        "Juan Zarate, a top terrorism adviser to George W. Bush, also questioned Trump's logic."
    )
    claims = extract(text)
    pledge = claim_with(claims, "pledged to push")
    assert (pledge.sources[0].name, pledge.sources[0].cue) == ("Clinton", "pledged")
    assert pledge.quote.startswith("Clinton pledged")
    doubt = claim_with(claims, "questioned Trump's logic")
    assert (doubt.sources[0].name, doubt.sources[0].cue) == ("Juan Zarate", "questioned")


def test_inverted_frame_with_a_descriptor_before_the_name() -> None:
    text = (
        "Officials announced the arrest of a man on Friday.\n\n"
        "“The president’s rationales to veto the bill don’t hold weight,” said 9/11 widow "
        "Terry Strada."
    )
    claim = claim_with(extract(text), "rationales to veto")
    (src,) = claim.sources
    assert (src.name, src.cue) == ("Terry Strada", "said")
