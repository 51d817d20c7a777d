"""Countries and capitals: as a source ("Ukraine says", "Moscow denied") they stand for a
state, so the contract types them `official`."""

from __future__ import annotations

COUNTRIES = frozenset(
    """afghanistan albania algeria andorra angola argentina armenia australia austria
    azerbaijan bahrain bangladesh belarus belgium bolivia bosnia botswana brazil bulgaria
    burkina faso burundi cambodia cameroon canada chad chile china colombia congo croatia
    cuba cyprus czechia denmark djibouti ecuador egypt eritrea estonia ethiopia finland
    france gabon georgia germany ghana greece guatemala guinea haiti honduras hungary
    iceland india indonesia iran iraq ireland israel italy japan jordan kazakhstan kenya
    kosovo kuwait kyrgyzstan laos latvia lebanon liberia libya lithuania luxembourg
    madagascar malawi malaysia mali malta mauritania mexico moldova monaco mongolia
    montenegro morocco mozambique myanmar namibia nepal netherlands nicaragua niger nigeria
    norway oman pakistan palestine panama paraguay peru philippines poland portugal qatar
    romania russia rwanda senegal serbia singapore slovakia slovenia somalia spain sudan
    sweden switzerland syria taiwan tajikistan tanzania thailand togo tunisia turkey
    turkmenistan uganda ukraine uruguay uzbekistan venezuela vietnam yemen zambia zimbabwe
    britain england scotland""".split()
) | {
    "united states",
    "united kingdom",
    "south korea",
    "north korea",
    "saudi arabia",
    "south africa",
    "new zealand",
    "sri lanka",
    "united arab emirates",
    "south sudan",
    "ivory coast",
    "the united states",
    "the united kingdom",
    "the netherlands",
    "the philippines",
    "the u.s.",
    "u.s.",
    "the uk",
    "uk",
    "usa",
}
# Capitals that news copy uses for their governments ("Moscow denied", "Beijing says").
CAPITALS = frozenset(
    """moscow kyiv kiev washington beijing tehran ankara berlin paris london tokyo seoul
    pyongyang damascus baghdad riyadh cairo jerusalem minsk warsaw brussels rome madrid
    delhi islamabad kabul caracas havana tbilisi yerevan baku tashkent astana""".split()
) | {"new delhi", "tel aviv"}

# Countries that are also common given names: "Jordan said" may be a person.
GIVEN_NAMES = frozenset("jordan chad georgia india".split())
STATES = (COUNTRIES | CAPITALS) - GIVEN_NAMES
