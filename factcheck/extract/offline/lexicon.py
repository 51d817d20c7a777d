"""Word lists the rules use: reporting cues, source nouns, titles and type keywords.

Kept in one place so that tuning the extractor for a new desk is editing lists, not code.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Reporting and assessment verbs, every inflection that introduces what a source asserts.
SPEECH_CUES = _words(
    """say says said saying tell tells told telling add adds added adding notes noted noting
    states stated stating explain explains explained explaining argue argues argued arguing
    claims claimed claiming insist insists insisted insisting warn warns warned warning
    announce announces announced announcing reports reported reporting write writes wrote
    writing tweets tweeted tweeting declare declares declared declaring acknowledge
    acknowledges acknowledged acknowledging admit admits admitted admitting confirm confirms
    confirmed confirming deny denies denied denying suggest suggests suggested suggesting assert
    asserts asserted asserting maintain maintains maintained contend contends contended
    replies replied responds responded recall recalls recalled recalling conclude concludes
    concluded concluding continue continues continued stress stresses stressed stressing
    emphasize emphasizes emphasized emphasised emphasise underline underlines underlined observe
    observes observed remarks remarked comments commented mentions
    mentioned reveals revealed disclose discloses disclosed allege alleges alleged
    alleging predict predicts predicted predicting forecasts estimates
    estimated promises promised promising vow vows vowed pledges pledged
    assure assures assured reiterate reiterates reiterated repeated agree agrees agreed
    complains complained clarify clarified specify specified indicate indicates
    indicated indicating confide confided boast boasted concede concedes conceded
    cautioned cautions testify testified testifies quipped joked shouted remembered
    recounted recounts
    tweeted wrote ask asks asked asking"""
)
BELIEF_CUES = _words(
    """believe believes believed think thinks thought consider considers considered feel feels
    felt expect expects expected hope hopes hoped fears feared doubts doubted know
    knows knew worry worries worried reckons
    assume assumes assumed"""
)
# Cues whose subject makes a characterisation: "X called the talks a 'good start'".
ASSESS_CUES = _words(
    """promises promised pledge pledges pledged vow vows vowed urge urges urged cited cites
    questioned call calls called calling describe describes described describing criticize
    criticized
    criticised criticizes praise praised praises accuse accused accuses blame blamed blames
    dismiss dismissed dismisses condemn condemned condemns slam slammed blast blasted
    welcome welcomed welcomes"""
)
# Stances a subject takes on a proposal or a person ("Sanders wants to …", "the union
# endorsed Clinton"): attributions only when the sentence opens with their subject.
STANCE_CUES = _words(
    """want wants wanted plan plans planned support supports supported endorse endorses
    endorsed oppose opposes opposed propose proposes proposed reject rejects rejected refuse
    refuses refused decline declines declined seek seeks sought defend defends defended
    backs backed hope hopes hoped intend intends intended favor
    favors favored prefer prefers preferred demand demands demanded recommend recommends
    recommended advocate advocates advocated embrace embraces embraced fear
    fears decided offered expressed lament laments lamented mock mocks mocked ridicule
    ridiculed lambasted hail hails hailed laud lauds lauded applaud applauds applauded decry
    decries decried denounce denounces denounced rebuke rebukes rebuked dispute disputes
    disputed contradict contradicts contradicted echo echoes
    echoed champion champions championed tout touts touted
    promote promotes promoted aims wish wishes wished suspect suspects suspected regard regards
    regarded view views viewed understand understands understood realize realizes realized
    recognize recognizes recognized wonder wonders wondered anticipate anticipates
    anticipated imagine imagines imagined portray portrays portrayed
    characterize characterizes characterized label labels labeled labelled brand brands
    branded dubbed derided deride derides liken likens likened compare compares compared
    threaten threatens threatened signal signals signaled signalled hint hints hinted
    imply implies implied lobbied reassured disagree disagrees disagreed
    favour favours favoured insist requested request requests"""
)
# ", seeking to …", ", backing Clinton": the sentence's subject takes a stance.
STANCE_PARTICIPLES = _words(
    """seeking hoping backing supporting opposing endorsing defending attacking rejecting
    refusing declining proposing urging criticizing criticising denouncing praising blaming
    accusing calling demanding pledging vowing promising"""
)
# Two-word cues: the first word, then the particle.
PHRASAL_CUES = {
    "point": {"to", "out"},
    "points": {"to", "out"},
    "pointed": {"to", "out"},
    "pointing": {"to", "out"},
    "go": {"on"},
    "went": {"on"},
    "goes": {"on"},
    "make": {"clear"},
    "made": {"clear"},
    "makes": {"clear"},
    "called": {"for", "on"},
    "calls": {"for", "on"},
}
OBJECT_NOT_SPEECH = _words(
    "add adds added adding call calls called calling deny denies denied claim claims claimed "
    "claiming"
)
BE_FORMS = _words("is are was were be been being")
REPLY_CUES = _words("reply replies replied respond responds responded")
NO_WITH_CUES = _words("agree agrees agreed comment comments commented continue continues continued")
# "Shows", "found": only after a poll, a study or documents.
EVIDENCE_CUES = _words("show shows showed shown find finds found")
EVIDENCE_NOUNS = _words(
    """poll polls survey surveys data study studies report reports research analysis figures
    statistics results numbers records documents evidence investigation review audit
    report's poll's census estimates tally count video footage transcript transcripts
    recording recordings emails filings records slide slides chart charts map maps graphic
    average averages memo memos letter letters paper papers article articles assessment
    assessments inquiry probe tests experiment experiments projections audits reviews
    analyses polling"""
)
ALL_CUES = SPEECH_CUES | BELIEF_CUES | ASSESS_CUES | EVIDENCE_CUES | _words("ruled ruling rules")
OPINION_CUES = (
    BELIEF_CUES | ASSESS_CUES | _words("argue argues argued arguing suggest suggests suggested")
)
PREDICTION_CUES = _words(
    "predict predicts predicted forecasts warn warns warned expect expects expected"
)
# Cues that cannot stand inverted after the content ("…, said X" yes; "…, believes X" yes).
NO_TO_CUES = _words(
    """continue continues continued want wants wanted plan plans planned hope hopes hoped
    expect expects expected agree agreed
    agrees refuse refused declined decline ask asked asks"""
)

PRONOUNS = {
    "he": "m",
    "she": "f",
    "they": "p",
    "it": "n",
    "i": "1",
    "we": "1p",
    "you": "2",
}
RELATIVE = _words("who which that")
DETERMINERS = _words(
    """the a an another this that these those his her its their our my your some several many
    most few both all each one two three four five six seven eight nine ten dozens hundreds
    other others any no"""
)
# "pledged her vote to Clinton": a possessive opens an object, never a speaker.
POSSESSIVES = _words("his her its their our my your")
INDEFINITE = _words(
    "a an another some several many few one two three four five six seven eight nine ten "
    "dozens hundreds any"
)
NP_PREPS = _words("of for at from in with on to")
# Words that never sit inside a source's noun phrase: they end the backward scan.
STOP_WORDS = _words(
    """and or but because if when while as since although though whereas so than then that
    which who whom whose where what why how is are was were be been being has have had do
    does did will would shall should can could may might must not no nor also only just
    very even still already again never ever there here this it he she they we i you me him
    them us to by into about over under after before during without within between against
    among upon per via yet however moreover meanwhile instead thus therefore hence
    rather quite said says say told tells tell added adds noted notes perhaps maybe"""
)
# Adverbs and auxiliaries between a source and its cue: "X has also said".
SKIP_BETWEEN = _words(
    """also has have had later then previously earlier recently further again once already
    reportedly publicly repeatedly often frequently still now would will could may might did
    does do is was were are had once initially originally subsequently separately privately
    flatly firmly strongly openly directly explicitly simply just even never always
    himself herself themselves itself long all both each too since ultimately
    finally immediately quickly personally specifically consistently"""
)
SOURCE_NOUNS = _words(
    """expert experts analyst analysts official officials source sources spokesman spokeswoman
    spokesperson spokespeople representative representatives minister ministers ministry
    president presidents governor senator senators lawmaker lawmakers legislator congressman
    congresswoman mayor secretary ambassador diplomat diplomats envoy police officer officers chiefs
    auditor audit
    commander commanders general generals military army army's government authorities
    authority agency agencies embassy department office service services council committee
    commission court judge prosecutor prosecutors lawyer lawyers attorney attorneys witness
    witnesses resident residents eyewitness eyewitnesses protester protesters activist
    activists campaign campaigns company companies firm firms group groups organization
    organisation union unions party parties report reports statement statements study studies
    survey surveys poll polls data figures statistics media newspaper newspapers agency
    outlet outlets channel broadcaster reporter reporters journalist journalists correspondent
    editor editors researcher researchers scientist scientists professor professors economist
    economists scholar scholars observer observers critic critics supporter supporters
    opponent opponents people person man woman men women voter voters citizen citizens
    worker workers employee employees student students doctor doctors nurse nurses victim
    victims survivor survivors family families friend friends neighbour neighbor neighbours
    neighbors leader leaders chief head director chairman chairwoman chair ceo founder
    aide aides adviser advisers advisor advisors staff staffer staffers member members
    insider insiders candidate candidates nominee democrats republicans administration
    website site document documents letter memo filing complaint press office officer
    counterpart counterparts side sides parties team strategist strategists pollster
    pollsters consultant consultants historian historians commentator commentators iranist
    orientalist sinologist politician politicians owner owners manager managers advocate
    advocates defender defenders lobbyist lobbyists foe foes ally allies backer backers fan
    fans donor donors delegate delegates superdelegate superdelegates operative operatives organizer
    organizers conservative conservatives liberal liberals progressive progressives investor
    investors executive executives farmer farmers parent parents teacher teachers respondent
    respondents participant participants user users customer customers attendee attendees
    demonstrator demonstrators veteran veterans immigrant immigrants americans industry
    prosecutors investigators investigator detective detectives agent agents trooper
    troopers sheriff deputies judges justices justice panel jury regulator regulators
    legislators lawmakers leadership chairman's coalition association institute foundation
    network networks magazine paper papers publication outlets pundit pundits blogger
    bloggers columnist columnists writer writers author authors biographer rival rivals
    challenger challengers opponent incumbent colleague colleagues associate associates
    partner partners official's proponent proponents skeptic skeptics detractor detractors"""
)
TITLES = _words(
    """President Vice Prime Minister Secretary Deputy Foreign Defense Defence Interior Chancellor
    Senator Sen Sen. Governor Gov Gov. Rep Rep. Representative Congressman Congresswoman Mayor
    Speaker Leader Chairman Chairwoman Chair Director General Gen. Gen Commander Colonel Col.
    Lieutenant Lt. Major Maj. Captain Capt. Sergeant Sgt. Admiral Adm. Ambassador Envoy Judge
    Justice Attorney Prosecutor Chief Head Spokesman Spokeswoman Spokesperson King Queen Prince
    Princess Pope Sheikh Ayatollah Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Rev. Father
    CEO Chief-in-Commander Commander-in-Chief Minister-Counsellor Patriarch Emir Sultan Premier
    Councillor Councilor Commissioner Inspector Superintendent Sheriff Officer Trooper Dean
    Rabbi Imam Bishop Cardinal Archbishop Lord Lady Sir Dame Baron Count Duke Pastor Coach
    Secretary-General Director-General Attorney-General President-elect Vice-President"""
)
HONORIFICS = _words("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lord Lady")

# Type keywords, checked in this order against the role, then the name and the mention.
# Words that are also professions or adjectives ("economist", "observer", "independent")
# stay out of the media list: "an independent economist" is an expert far more often
# than a mention of The Economist.
TYPE_KEYWORDS: list[tuple[str, frozenset[str]]] = [
    (
        "media",
        _words(
            """media newspaper newspapers paper agency's news outlet outlets channel channels tv
            television broadcaster radio reporter reporters journalist journalists correspondent
            correspondents editor editors columnist magazine daily tabloid website blog blogger
            tass ria novosti interfax reuters ap afp bloomberg cnn bbc fox msnbc nbc abc cbs
            politico axios breitbart times post journal guardian telegraph
            tribune herald gazette izvestia kommersant vedomosti xinhua irna isna mehr tasnim
            fars aljazeera jazeera npr pbs vox slate salon hill huffington buzzfeed wsj nyt
            press associated cbc ctv globe sun star mail express mirror chronicle
            bulletin dispatch wire podcast anchor host"""
        ),
    ),
    (
        "expert",
        _words(
            """expert experts analyst analysts professor professors researcher researchers
            scientist scientists economist economists scholar scholars academic academics
            historian historians iranist orientalist sinologist political-scientist
            think-tank institute university college lecturer fellow commentator commentators
            strategist strategists pollster pollsters consultant consultants specialist
            specialists observer observers author psychologist sociologist criminologist
            epidemiologist virologist"""
        ),
    ),
    (
        "official",
        _words(
            """president vice-president minister ministers ministry ministries government
            governments official officials spokesman spokeswoman spokesperson spokespeople
            embassy embassies kremlin white pentagon department administration authorities
            authority police policeman military army navy forces troops commander
            commander-in-chief general colonel lieutenant major captain sergeant admiral
            governor senator senators congressman congresswoman lawmaker lawmakers legislator
            legislators mayor secretary ambassador diplomat diplomats envoy prosecutor
            prosecutors judge court courts prime chancellor parliament duma congress senate
            cabinet council fbi cia nsa kgb fsb svr gru irgc sheriff state federal
            consulate premier deputy deputies statistics census figures mp mps minister's
            press-service service security guard rosgvardia interior foreign defense defence
            agency regulator regulators commission commissioner mufti ayatollah king queen audit
            auditor auditors
            prince emir sultan nato sen sens rep reps gov"""
        ),
    ),
    (
        "organization",
        _words(
            """company companies corporation corp inc ltd llc plc firm firms group groups union
            unions ngo organization organisation organizations organisations party parties
            campaign campaigns foundation association federation league club committee
            charity bank banks fund un unicef unesco who wto imf eu amnesty watch red cross crescent
            ceo founder chairman chairwoman executive executives board movement coalition
            alliance network church hospital school team spokesperson observatory monitor
            monitors watchdog"""
        ),
    ),
    (
        "witness",
        _words(
            """witness witnesses eyewitness eyewitnesses resident residents protester
            protesters demonstrator demonstrators victim victims survivor survivors local
            locals neighbour neighbor neighbours neighbors passenger passengers bystander
            bystanders mother father son daughter wife husband brother sister parent parents
            relative relatives family families student students worker workers employee
            employees customer customers voter voters citizen citizens refugee refugees
            farmer farmers shopkeeper driver man woman men women people teacher patient
            patients fan fans onlooker"""
        ),
    ),
]

HEDGES = re.compile(
    r"\b(?:allegedly|alleged|reportedly|purportedly|supposedly|apparently|unconfirmed|"
    r"rumou?red|presumably|(?:may|might|could) have|(?:is|are|was|were) (?:said|believed|"
    r"thought|reported|alleged|suspected) to|"
    r"it is (?:believed|thought|alleged|reported|understood)|"
    r"according to (?:unconfirmed|unverified))\b",
    re.IGNORECASE,
)
OPINION_WORDS = re.compile(
    r"\b(?:good|bad|best|worst|better|worse|great|important|logical|obvious|obviously|clearly|"
    r"necessary|need(?:s|ed)? to|should|must|ought|interests?|interested|likely|unlikely|"
    r"probably|perhaps|maybe|seems?|appears?|looks? like|fairly|rather|very|too|so-called|"
    r"strong|weak|serious|dangerous|wrong|right|unfair|fair|ridiculous|absurd|terrible|"
    r"disgrace\w*|shame\w*|outrage\w*|crucial|vital|key|significant|maximum|only|far from|"
    r"believe|think|opinion|view|mistake|failure|success(?:ful)?|unacceptable|inappropriate|"
    r"hope|fear|clear|real|truly|really|just|deserve\w*|can't|cannot|won't|wouldn't)\b",
    re.IGNORECASE,
)
PREDICTION_WORDS = re.compile(
    r"\b(?:will (?:likely|probably|soon|eventually|never)|(?:is|are) (?:expected|likely|"
    r"projected|forecast|predicted|poised|bound) to|going to|forecasts?|predicts?|"
    r"predicted|in the (?:coming|next) (?:days|weeks|months|years)|by (?:20\d\d|the end of)|"
    r"would (?:likely|probably)|will (?:be|have|become|lead|result|cause|win|lose|fall|rise|"
    r"grow|increase|decrease|decline|collapse))\b",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"(?:\b\d[\d,.]*\s*(?:%|percent|per cent|million|billion|trillion|thousand|people|"
    r"dollars|euros|rubles|roubles|pounds|points?|times|fold|km|kilometres|kilometers|"
    r"miles|tons|tonnes|barrels|cases|deaths|votes|seats|members|troops|soldiers|"
    r"demonstrators|\w+s\b)|[$€£¥₽]\s*\d|\b(?:more|less|fewer) than \d|\bhalf of|"
    r"\b(?:a|one) (?:third|quarter|fifth) of|\bper cent\b|\bpercent\b|%|"
    r"\b(?:dozens|hundreds|thousands|millions|billions) of\b|\b\d{1,3}(?:,\d{3})+\b)",
    re.IGNORECASE,
)


# Frame shapes (attribution.py, cues.py, forms.py)
INTRO_WORDS = _words(
    """in at on during after before since for with from by under over amid despite following
    however therefore meanwhile moreover furthermore still yet so thus also besides instead
    nevertheless nonetheless indeed finally first second third then now earlier later today
    yesterday last this next when while as if although though unlike like to of in addition
    overall altogether"""
)

PREP_INTROS = _words(
    "in at on during after before since with from under over amid despite following unlike"
)

TIME_WORDS = _words(
    """day days week weeks month months year years monday tuesday wednesday thursday friday
    saturday sunday morning evening night afternoon before earlier later ago time total turn
    regard same addition"""
)

DAY_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
    overnight"""
)
TIME_UNITS = _words(
    """week weeks month months year years weekend night morning evening afternoon day days
    spring summer fall autumn winter time"""
)
TAIL_PREPS = _words("in on at during to via through with after before late early last this")

OBJECT_CUES = _words("told tell tells telling asked ask asks asking assured assures urged warned")

PARTICIPLES = _words(
    """adding noting saying arguing explaining warning insisting stressing claiming citing
    suggesting pointing recalling acknowledging emphasizing emphasising telling writing
    tweeting declaring asserting"""
)

CLAUSE_BOUNDARY = _words("and but while as because whereas although though since so")

# Cue words that are more often nouns or other verbs ("battleground states", "a ruling
# by the court", "continue their attacks", "assume the debts"): cues only before "that"
# or punctuation.
THAT_ONLY_CUES = _words(
    """states stated rules ruled ruling continue continues continued assume assumes assumed
    remarks observes reports maintain maintains maintained repeated"""
)

# Title-case headlines: "…, Lindsey Graham Says."
TITLE_CUES = frozenset(
    """Says Said Say Warns Claims Tells Admits Insists Vows Urges Argues Finds Find Reports
    Reveals Denies Blasts Slams Praises Calls Confirms""".split()
)

# Cue words that are nouns after a determiner or before "of": "initial reports of".
NOUN_CUES = _words("reports claims estimates notes states comments remarks promises calls warnings")

# Assessment cues that stand as attributions (the others are too often plain actions).
ASSESS_OK = _words(
    """called calls call calling describe describes describing described accused accuses
    accusing criticized criticised criticizes blamed blames condemned condemns praised praises
    dismissed dismisses
    promises promised pledge pledges pledged vow vows vowed urge urges urged cited cites
    questioned"""
)
