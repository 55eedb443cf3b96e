"""Word lists behind the STAR coach. Phrases are lower-case; matching is on folded text."""

from __future__ import annotations

from bot.domain.lexicon import word_set

SITUATION = (
    "at my previous",
    "at my last",
    "at my current",
    "when i was",
    "i was working",
    "i worked",
    "our team",
    "my team",
    "the team was",
    "we were",
    "the company",
    "our company",
    "context",
    "background",
    "last year",
    "a few years ago",
    "years ago",
    "months ago",
    "at the time",
    "the project",
    "a project",
    "startup",
    "client",
    "customer was",
    "situation",
    "in my role",
    "we had",
    "there was",
    "was facing",
    "had been",
    "last spring",
    "last summer",
    "last autumn",
    "last fall",
    "last winter",
    "last quarter",
    "last month",
    "earlier this year",
)
TASK = (
    "my goal",
    "my task",
    "my job was",
    "i was responsible",
    "i was asked",
    "i was tasked",
    "i needed to",
    "i had to",
    "we needed to",
    "the goal was",
    "objective",
    "my role was",
    "was to",
    "responsible for",
    "challenge was",
    "deadline",
    "had to deliver",
    "needed to",
    "the problem was",
    "i owned",
)
FILLER = (
    "um",
    "uh",
    "erm",
    "like,",
    "basically",
    "actually",
    "literally",
    "you know",
    "kind of",
    "sort of",
    "i guess",
    "i think maybe",
    "stuff like that",
    "and so on",
    "whatever",
)
HEDGE = ("maybe", "probably", "i think", "i feel like", "hopefully", "somewhat", "i suppose")
FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd"})
QUANTITY_UNITS = (
    "%",
    "percent",
    "x ",
    "times",
    "hours",
    "hour",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "minutes",
    "ms",
    "seconds",
    "$",
    "€",
    "£",
    "k ",
    "million",
    "users",
    "customers",
    "people",
    "points",
    "requests",
    "tickets",
)

# Past-tense verbs of doing that do not end in -ed: "I built", "I ran", "I led".
IRREGULAR_PAST = word_set(
    """built wrote ran led met set made took sent found chose gave told spoke drove brought began
    kept put got went did sat held bought sold paid read rewrote rebuilt undertook overcame
    taught sought caught spent lent split shut cut quit won drew struck stood
    understood forgave withdrew fed fought dug hung hid lost upheld broke"""
)
# Verbs in -ed that describe a state, not something done.
STATIVE_ED = frozenset({"seemed", "needed", "wanted", "liked", "loved", "hated", "believed"})
# Outcomes: what changed because of the actions.
OUTCOME = (
    "as a result", "in the end", "ultimately", "the result", "the outcome", "ended up",
    "led to", "resulted in", "which meant", "went from", "dropped from", "rose from",
    "reduced", "increased", "improved", "saved", "decreased", "grew", "fell", "dropped",
    "launched", "shipped", "adopted", "approved", "recovered", "caught", "prevented",
    "lift", "uplift", "faster", "slower", "fewer", "more than", "less than", "within",
    "succeeded", "worked", "stuck", "still use", "now uses", "became",
)  # fmt: skip
# Reflection: what the speaker took from it.
LESSON = (
    "i learned", "i learnt", "lesson", "taught me", "since then", "ever since", "next time",
    "now i", "i now", "these days i", "looking back", "in hindsight", "in retrospect",
    "i would have", "if i did it again", "i realised", "i realized", "going forward",
    "i started to", "i've since", "i have since", "changed how i",
)  # fmt: skip
# Putting the fault on others instead of owning a part of it.
BLAME = (
    "their fault", "his fault", "her fault", "not my fault", "wasn't my fault", "blame",
    "incompetent", "lazy", "useless", "clueless", "refused to listen", "wouldn't listen",
    "didn't listen", "nobody listened", "no one listened", "they just", "he just", "she just",
    "they never", "he never", "she never", "management didn't", "because of them",
    "threw me under", "sabotag", "idiot", "stupid", "pointless", "their problem",
)  # fmt: skip
# A hypothetical instead of a story.
HYPOTHETICAL = (
    "i would", "i'd", "i will", "i'll", "what i would do", "if i were", "i'd probably",
    "in that case i", "i think i would", "i tend to", "i usually", "i always", "generally i",
)  # fmt: skip
