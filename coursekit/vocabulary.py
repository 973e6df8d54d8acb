"""The course's vocabulary as data: every label value, its wording, its meaning and its anchor.

Each value is defined once here (or, for modalities, once in modules/course.yml) and everything
else is derived from it: the enums the model validates against, the badges and their colours,
the labels page, the library filters, the tags, the matrix and the field reference. Adding a
value means adding one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: what the files say, and how the site shows and explains it."""

    group: str
    value: str
    text: str  # the wording in running text and on badges: "Clinical evidence A"
    short: str  # the wording in tables, filters and tags: "A", "EFT"
    meaning: str = ""  # what the value means, on the labels page and as a badge's tooltip
    colour: str = ""  # the badge's background, for values shown as badges

    @property
    def anchor(self) -> str:
        """Where the labels page explains it, e.g. 'clinical-evidence-a', 'fidelity-ipt'."""
        return f"{self.group}-{self.value.lower()}"

    @property
    def css_class(self) -> str:
        """The badge's CSS class, e.g. 'ck-clinical-evidence-a'."""
        return f"ck-{self.anchor}"


@dataclass(frozen=True)
class Group:
    """A vocabulary: its name, what one value is called, and its values in display order."""

    name: str
    noun: str  # "clinical evidence level": for "unknown clinical evidence level 'E'"
    title: str  # heading on the labels page
    intro: str
    terms: tuple[Term, ...]
    badge: bool = False  # shown as a badge on every technique, and explained on the labels page

    def term(self, value: str) -> Term:
        """The term for a value of this group; KeyError if there is none."""
        for term in self.terms:
            if term.value == value:
                return term
        raise KeyError(f"{self.name}: {value}")

    @property
    def values(self) -> list[str]:
        """The values, in display order."""
        return [term.value for term in self.terms]


def _group(name: str, noun: str, title: str, intro: str, rows: list[tuple], badge: bool = False) -> Group:
    return Group(name, noun, title, intro, tuple(Term(name, *row) for row in rows), badge)


# Evidence comes as two labels shown side by side, on one scale with one colour per level, so a
# treatment's clinical evidence is never mistaken for evidence that a coaching use works.
EVIDENCE_COLOURS = {"A": "#1b5e20", "B": "#2e6b30", "C": "#8a4b00", "D": "#8e1c1c"}

CLINICAL_EVIDENCE = _group(
    "clinical-evidence",
    "clinical evidence level",
    "Clinical evidence",
    "How strong the evidence is for the technique as part of a clinical treatment, delivered by trained clinicians.",
    [
        (
            "A",
            "Clinical evidence A",
            "A",
            "Guideline-endorsed (NICE or WHO) as a treatment, or part of one, for trained clinicians treating a condition. It says nothing about a coaching use.",
            EVIDENCE_COLOURS["A"],
        ),
        (
            "B",
            "Clinical evidence B",
            "B",
            "Controlled trials in clinical groups support the technique, or a treatment built mainly on it.",
            EVIDENCE_COLOURS["B"],
        ),
        (
            "C",
            "Clinical evidence C",
            "C",
            "Emerging or contested: small trials, a high risk of bias, or results mostly from the approach's developers.",
            EVIDENCE_COLOURS["C"],
        ),
        (
            "D",
            "Clinical evidence D",
            "D",
            "Theory or practice wisdom only: no controlled trials in clinical treatment.",
            EVIDENCE_COLOURS["D"],
        ),
    ],
    badge=True,
)

COACHING_EVIDENCE = _group(
    "coaching-evidence",
    "coaching evidence level",
    "Coaching evidence",
    "How strong the evidence is for this use in coaching, with non-clinical clients. A clinical rating never carries over.",
    [
        (
            "A",
            "Coaching evidence A",
            "A",
            "Consistent controlled trials of this use with non-clinical or coaching clients, summed up in a systematic review or a guideline.",
            EVIDENCE_COLOURS["A"],
        ),
        (
            "B",
            "Coaching evidence B",
            "B",
            "A controlled trial tested this technique, or a coaching programme built mainly on it, with non-clinical or coaching clients; the note names the trial.",
            EVIDENCE_COLOURS["B"],
        ),
        (
            "C",
            "Coaching evidence C",
            "C",
            "Emerging: only small or uncontrolled studies of this use, or trials of a programme in which it was one part among many; the note names them.",
            EVIDENCE_COLOURS["C"],
        ),
        (
            "D",
            "Coaching evidence D",
            "D",
            "No study has tested this use in coaching: theory or practice wisdom only.",
            EVIDENCE_COLOURS["D"],
        ),
    ],
    badge=True,
)

DELIVERY = _group(
    "delivery",
    "delivery label",
    "Delivery",
    "Who may use the technique, if anyone.",
    [
        ("coach-safe", "Coach-safe", "Coach-safe", "A coach may use it within a coaching contract.", "#00585f"),
        (
            "needs-supervision",
            "Needs supervision",
            "Needs supervision",
            "Use only with training and regular supervision from someone qualified in it.",
            "#6a3d00",
        ),
        (
            "clinician-only",
            "Clinician-only",
            "Clinician-only",
            "For trained mental-health clinicians: a coach learns to recognise it and refers on; never practised here as a coaching exercise.",
            "#9b1b30",
        ),
        (
            "not-recommended",
            "Not recommended",
            "Not recommended",
            "Not recommended for anyone, clinician or coach: the risk of harm outweighs any benefit (for example, hypnotic regression and memory-recovery work, which can create false memories). Described so you can recognise it and explain why.",
            "#3d3d3d",
        ),
    ],
    badge=True,
)

FIDELITY = _group(
    "fidelity",
    "fidelity label",
    "Fidelity",
    "Whether the technique is IPT itself or a blend.",
    [
        ("ipt", "IPT", "IPT", "Faithful to the IPT manuals.", "#4a3f8f"),
        (
            "integration",
            "Integration",
            "Integration",
            "IPT-informed blending with another approach; not IPT itself.",
            "#4a3f8f",
        ),
    ],
    badge=True,
)

PROBLEM_AREA = _group(
    "area",
    "problem area",
    "Problem areas",
    "IPT's four interpersonal problem areas.",
    [
        ("grief", "Grief", "Grief"),
        ("role-disputes", "Role disputes", "Role disputes"),
        ("role-transitions", "Role transitions", "Role transitions"),
        ("interpersonal-deficits", "Interpersonal deficits", "Interpersonal deficits"),
    ],
)

PHASE = _group(
    "phase",
    "phase",
    "Phases",
    "IPT's three phases.",
    [
        ("assessment", "Assessment", "Assessment"),
        ("active-work", "Active work", "Active work"),
        ("conclusion", "Conclusion", "Conclusion"),
    ],
)

FORMAT = _group(
    "format",
    "exercise format",
    "Formats",
    "How many people an exercise needs.",
    [
        ("solo", "Solo", "Solo"),
        ("pair", "Pair", "Pair"),
        ("triad", "Triad", "Triad"),
        ("group", "Group", "Group"),
    ],
)

REFERENCE_KIND = _group(
    "kind",
    "reference kind",
    "Reference kinds",
    "What sort of source a reference is.",
    [
        ("book", "Book", "book"),
        ("article", "Article", "article"),
        ("guideline", "Guideline", "guideline"),
        ("website", "Website", "website"),
        ("code", "Code of ethics", "code"),
    ],
)

# The four domains of the UCL competence framework for IPT (Lemma, Roth and Pilling, 2008).
COMPETENCE_DOMAIN = _group(
    "domain",
    "competence domain",
    "Competence domains",
    "The four domains of the UCL competence framework for IPT, which the course's competences follow.",
    [
        (
            "generic",
            "Generic competences",
            "Generic",
            "What any helping conversation needs: a working alliance, a clear contract, work within scope.",
        ),
        (
            "basic",
            "Basic IPT competences",
            "Basic",
            "The core of IPT-informed work: the model, the interpersonal inventory, the formulation and its focus.",
        ),
        (
            "specific",
            "Specific techniques",
            "Specific",
            "The work of each problem area and the techniques that serve it.",
        ),
        (
            "meta",
            "Metacompetences",
            "Meta",
            "Judgement: adapting the work to the person and the context, knowing when to refer, using supervision.",
        ),
    ],
)

QUESTION_TYPE = _group(
    "question-type",
    "question type",
    "Question types",
    "How many options of a quiz question are correct.",
    [
        ("single", "Single choice", "Single", "Exactly one option is correct: the student picks one."),
        (
            "multiple",
            "Multiple choice",
            "Multiple",
            "One or more options are correct: the student picks every one that is.",
        ),
    ],
)

FIXED_GROUPS: tuple[Group, ...] = (
    CLINICAL_EVIDENCE,
    COACHING_EVIDENCE,
    DELIVERY,
    FIDELITY,
    PROBLEM_AREA,
    PHASE,
    FORMAT,
    REFERENCE_KIND,
    COMPETENCE_DOMAIN,
    QUESTION_TYPE,
)
# The labels every technique carries, in badge order: the two evidence labels first, side by side.
BADGE_GROUPS: tuple[Group, ...] = tuple(g for g in FIXED_GROUPS if g.badge)
# How the labels page lays the badge vocabularies out: groups in one row are shown side by side.
LABEL_ROWS: tuple[tuple[Group, ...], ...] = ((CLINICAL_EVIDENCE, COACHING_EVIDENCE), (DELIVERY,), (FIDELITY,))

# How the library filters band an item's time; the last band has no upper limit.
DURATION_BANDS = ((20, "Up to 20 min"), (45, "21 to 45 min"), (90, "46 to 90 min"), (None, "Over 90 min"))


class VocabularyEnum(str, Enum):
    """An enum made from a Group, so pydantic validates values and the schemas list them."""

    @property
    def term(self) -> Term:
        """This value's wording and meaning."""
        return GROUP_OF[type(self)].term(self.value)


def enum_of(group: Group, class_name: str, module: str) -> type[VocabularyEnum]:
    """The enum of a group's values; members are named after the values ('role-disputes' -> ROLE_DISPUTES).

    `module` is where the enum is bound to `class_name`, so pickle can find it again.
    """
    members = {value.upper().replace("-", "_"): value for value in group.values}
    enum = VocabularyEnum(class_name, members, module=module)  # type: ignore[call-overload]
    enum.__doc__ = group.intro
    GROUP_OF[enum] = group
    return enum


GROUP_OF: dict[type, Group] = {}


class ModalityId(str):
    """A modality id from a module, exercise or role-play: the course declares its modalities itself."""

    __slots__ = ()


def modality_group(modalities: list) -> Group:
    """The modality vocabulary of one course, from the `modalities` of modules/course.yml."""
    terms = tuple(Term("modality", m.id, m.name, m.short, m.description) for m in modalities)
    return Group("modality", "modality", "Modalities", "The approaches the course blends with IPT.", terms)


class Vocabulary:
    """Every vocabulary of one course: the fixed groups and the course's own modalities."""

    def __init__(self, modalities: Group):
        self.modalities = modalities
        self.groups = {g.name: g for g in (*FIXED_GROUPS, modalities)}

    def term(self, value: object) -> Term:
        """The term for an enum member, a modality id or a Term itself."""
        if isinstance(value, Term):
            return value
        if isinstance(value, VocabularyEnum):
            return value.term
        if isinstance(value, ModalityId):
            return self.modalities.term(value)
        raise TypeError(f"{value!r} is not a vocabulary value")
