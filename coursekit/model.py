"""The typed content model: one class per kind of file, every field described.

Pydantic turns the front matter of each file into these objects; unknown fields are forbidden so
a misspelt key is reported, never silently dropped. The fixed vocabularies (evidence, delivery,
fidelity, problem areas, phases, formats) are enums made from vocabulary.py; modalities are ids
the course declares in modules/course.yml, checked across files in validate.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from . import branding
from . import logo as logo_file
from . import vocabulary as v
from .engines import DEFAULT as DEFAULT_ENGINE
from .engines import ENGINES
from .errors import one_of
from .inline import WEB_SCHEMES, is_web_url

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
# Names Windows reserves for devices: no file or folder may be called so, whatever its extension.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)


def not_reserved(value: str) -> str:
    """Refuse an id that Windows cannot use as a file or folder name, since the site must build there too."""
    if value in WINDOWS_RESERVED:
        raise ValueError(
            f"'{value}' is a name Windows reserves for a device, so the site could not be built on Windows: choose another id"
        )
    return value


# The id of a module, part or course page: it names a file, a folder and a page.
FileId = Annotated[Id, AfterValidator(not_reserved)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Text that may hold Markdown (paragraphs, lists, emphasis); everything else is plain text.
MarkdownText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), Field(json_schema_extra={"format": "markdown"})
]
Minutes = Annotated[int, Field(ge=1, le=1440)]


def _known_engine(value: str) -> str:
    if value not in ENGINES:
        raise ValueError(f"unknown engine '{value}': {one_of(value, ENGINES)}")
    return value


def _web_url(value: str) -> str:
    if not is_web_url(value):
        raise ValueError(
            f"'{value[:80]}' is not a web address: write the whole address, starting with"
            f" {' or '.join(s + '://' for s in reversed(WEB_SCHEMES))}, with no spaces, quotes or angle brackets"
        )
    return value


# An absolute http(s) address; anything else (javascript:, data:, a relative path) is refused.
WebUrl = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_web_url), Field(json_schema_extra={"format": "uri"})
]
ModalityRef = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80), AfterValidator(v.ModalityId)]

ClinicalEvidence = v.enum_of(v.CLINICAL_EVIDENCE, "ClinicalEvidence", __name__)
CoachingEvidence = v.enum_of(v.COACHING_EVIDENCE, "CoachingEvidence", __name__)
Delivery = v.enum_of(v.DELIVERY, "Delivery", __name__)
Fidelity = v.enum_of(v.FIDELITY, "Fidelity", __name__)
ProblemArea = v.enum_of(v.PROBLEM_AREA, "ProblemArea", __name__)
Phase = v.enum_of(v.PHASE, "Phase", __name__)
ExerciseFormat = v.enum_of(v.FORMAT, "ExerciseFormat", __name__)
ReferenceKind = v.enum_of(v.REFERENCE_KIND, "ReferenceKind", __name__)
CompetenceDomain = v.enum_of(v.COMPETENCE_DOMAIN, "CompetenceDomain", __name__)
QuestionType = v.enum_of(v.QUESTION_TYPE, "QuestionType", __name__)


class Strict(BaseModel):
    """Base for every front-matter model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Technique(Strict):
    """A technique the course teaches, defined once in modules/techniques.yml with its four honest labels."""

    name: Text = Field(description="The technique's name as students will see it; no two techniques share a name.")
    clinical_evidence: ClinicalEvidence = Field(
        description="How strong the evidence is for the technique inside a clinical treatment (see What the labels mean)."
    )
    coaching_evidence: CoachingEvidence = Field(
        description="How strong the evidence is for this use in coaching: D where no study tested it."
    )
    delivery: Delivery = Field(
        description="Who may use it: a coach, a coach with supervision, only a clinician, or nobody (not recommended)."
    )
    fidelity: Fidelity = Field(description="Whether it is IPT as the manuals teach it, or a blend.")
    source: Id = Field(description="A key from modules/references.yml.")
    note: Text = Field(
        description="Why these labels: exactly what each evidence rating rests on, and why the delivery label."
    )
    competences: list[Id] = Field(
        default_factory=list,
        description="Ids from modules/competences.yml of the competences it develops.",
    )

    @property
    def labels(self) -> tuple:
        """Its label values in badge order, one per badge vocabulary (field names follow the vocabularies')."""
        return tuple(getattr(self, group.name.replace("-", "_")) for group in v.BADGE_GROUPS)

    @property
    def practicable(self) -> bool:
        """Whether an exercise or role-play may practise it: neither clinician-only nor not recommended."""
        return self.delivery not in (Delivery.CLINICIAN_ONLY, Delivery.NOT_RECOMMENDED)


class SessionItem(Strict):
    """One line of a session run-sheet: an activity, or an exercise or role-play of the module."""

    activity: Text | None = Field(default=None, description="What the whole group does, e.g. 'Check-in'.")
    minutes: Minutes | None = Field(
        default=None, description="How long an activity takes; leave it out for an exercise or role-play."
    )
    notes: Text | None = Field(default=None, description="A note for the facilitator, shown on the run-sheet.")
    exercise: Id | None = Field(default=None, description="The id of an exercise of this module, run here.")
    roleplay: Id | None = Field(default=None, description="The id of a role-play of this module, run here.")

    @model_validator(mode="after")
    def _one_kind(self) -> SessionItem:
        kinds = [k for k in ("activity", "exercise", "roleplay") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of 'activity', 'exercise' or 'roleplay'")
        if self.activity is not None and self.minutes is None:
            raise ValueError("an activity needs 'minutes'")
        if self.activity is None and self.minutes is not None:
            raise ValueError("leave out 'minutes' for an exercise or role-play: its own duration is used")
        return self


class ModuleMeta(Strict):
    """Front matter of modules/NN-id/module.md."""

    id: FileId = Field(description="The module's id; its folder is named NN-id and its page address weeks/ID/.")
    title: Text = Field(description="The module's title, without the week.")
    week: Annotated[int, Field(ge=1, le=52)] = Field(
        description="The course week it belongs to; several modules may share a week."
    )
    summary: Text = Field(
        description="One or two sentences on what the week is about, shown under the title and in link previews."
    )
    duration: Minutes = Field(description="Length of the live session in minutes; the session items add up to it.")
    phase: Phase = Field(description="The IPT phase the module belongs to.")
    problem_areas: list[ProblemArea] = Field(
        default_factory=list, description="The IPT problem areas it works on; empty means general."
    )
    modalities: Annotated[list[ModalityRef], Field(min_length=1)] = Field(
        description="Ids of the modalities it teaches, from `modalities` in modules/course.yml."
    )
    objectives: Annotated[list[Text], Field(min_length=3)] = Field(
        description="What a student can do after the week, each starting with a verb."
    )
    key_points: Annotated[list[Text], Field(min_length=3)] = Field(
        description="The sentences a student should remember."
    )
    prerequisites: list[Id] = Field(default_factory=list, description="Ids of modules in earlier weeks.")
    techniques: Annotated[list[Id], Field(min_length=1)] = Field(
        description="Ids from modules/techniques.yml of every technique the module teaches."
    )
    glossary: list[Id] = Field(default_factory=list, description="Ids from modules/glossary.yml used in the lesson.")
    references: Annotated[list[Id], Field(min_length=2)] = Field(
        description="Keys from modules/references.yml that the module cites."
    )
    safety_note: bool = Field(description="True when the module touches low mood, grief, loss or risk.")
    session: Annotated[list[SessionItem], Field(min_length=1)] = Field(
        description="The live session's run-sheet, in order."
    )
    facilitator_notes: list[Text] = Field(
        default_factory=list, description="Notes for the trainer running the session."
    )

    @property
    def areas(self) -> list:
        """The problem areas it works on."""
        return list(self.problem_areas)


class Step(Strict):
    """One timed step of an exercise."""

    text: MarkdownText = Field(description="What the student does in this step.")
    minutes: Minutes = Field(description="How long the step takes.")


class Handout(Strict):
    """A printable page an exercise needs: a set of cards, a case, a sheet to fill in."""

    title: Text = Field(description="The handout's title, printed at its top, e.g. 'Six client statements'.")
    text: MarkdownText = Field(description="What is printed: paragraphs, lists (one card an item), emphasis.")


class ExerciseMeta(Strict):
    """Front matter of modules/NN-id/exercises/ID.md."""

    id: FileId = Field(description="The exercise's id; the file is named ID.md and the page address exercises/ID/.")
    title: Text = Field(description="The exercise's title.")
    format: ExerciseFormat = Field(description="How many people it needs.")
    duration: Minutes = Field(description="Equals the sum of the steps' minutes.")
    modalities: Annotated[list[ModalityRef], Field(min_length=1)] = Field(
        description="Ids of the modalities it practises, from modules/course.yml."
    )
    problem_areas: list[ProblemArea] = Field(
        default_factory=list, description="The IPT problem areas it practises; empty means general."
    )
    techniques: list[Id] = Field(
        default_factory=list,
        description="Ids of techniques its module teaches; never clinician-only or not-recommended ones.",
    )
    competences: list[Id] = Field(
        default_factory=list,
        description="Ids from modules/competences.yml of the competences it practises.",
    )
    materials: list[Text] = Field(default_factory=list, description="What to bring or print, e.g. 'A4 paper'.")
    handouts: list[Handout] = Field(
        default_factory=list,
        description="What the trainer prints for it (cards, cases, sheets), each on its own sheet of its handout page.",
    )
    steps: Annotated[list[Step], Field(min_length=1)] = Field(
        description="What the student does, in order, each with its minutes."
    )
    reflection: Annotated[list[Text], Field(min_length=2)] = Field(description="Questions to reflect on afterwards.")
    model_answer: MarkdownText | None = Field(
        default=None, description="An example of a good response, hidden until the student opens it."
    )

    @property
    def areas(self) -> list:
        """The problem areas it works on."""
        return list(self.problem_areas)

    @property
    def group(self) -> str:
        """How students group for it."""
        return self.format.term.text


class Timing(Strict):
    """The time box of a role-play: rounds of briefing, play and feedback, then a debrief."""

    briefing: Minutes = Field(description="Minutes for players to read their cards, each round.")
    play: Minutes = Field(description="Minutes of play, each round.")
    feedback: Minutes = Field(description="Minutes of observer feedback, each round.")
    rounds: Annotated[int, Field(ge=1, le=6)] = Field(description="How many rounds, rotating roles between them.")
    debrief: Minutes = Field(description="Minutes of whole-group debrief at the end.")


class Role(Strict):
    """A part in a role-play: what everyone knows, and a private brief for its player."""

    name: Text = Field(description="The role's name, e.g. 'Coach' or 'Client'.")
    person: Text | None = Field(
        default=None,
        description="The full name (first name and surname) of the person the role plays, e.g. 'Aisha Rahman'; every person in the course has their own.",
    )
    public: Text = Field(description="What everyone may know about the role.")
    brief: MarkdownText = Field(description="The private brief, printed on this role's card only.")


class ScriptItem(Strict):
    """A line spoken by a role, or a stage direction."""

    role: Text | None = Field(default=None, description="The name of the role that speaks.")
    line: Text | None = Field(default=None, description="What the role says.")
    direction: Text | None = Field(default=None, description="A stage direction instead of a line.")

    @model_validator(mode="after")
    def _line_or_direction(self) -> ScriptItem:
        spoken = self.role is not None or self.line is not None
        if spoken == (self.direction is not None):
            raise ValueError("give either 'role' and 'line', or 'direction'")
        if spoken and (self.role is None or self.line is None):
            raise ValueError("a spoken line needs both 'role' and 'line'")
        return self


class RoleplayMeta(Strict):
    """Front matter of modules/NN-id/roleplays/ID.md."""

    id: FileId = Field(description="The role-play's id; the file is named ID.md and the page address roleplays/ID/.")
    title: Text = Field(description="The role-play's title.")
    problem_area: ProblemArea = Field(description="The IPT problem area it practises.")
    modalities: Annotated[list[ModalityRef], Field(min_length=1)] = Field(
        description="Ids of the modalities it practises, from modules/course.yml."
    )
    techniques: list[Id] = Field(
        default_factory=list,
        description="Ids of techniques its module teaches; never clinician-only or not-recommended ones.",
    )
    competences: list[Id] = Field(
        default_factory=list,
        description="Ids from modules/competences.yml of the competences it practises.",
    )
    duration: Minutes = Field(description="Equals rounds x (briefing + play + feedback) + debrief.")
    timing: Timing = Field(description="The time box (fields below).")
    setting: Text = Field(description="Where and when the conversation happens.")
    roles: Annotated[list[Role], Field(min_length=2, max_length=3)] = Field(
        description="Two roles (a pair) or three (a triad, with an observer)."
    )
    script: list[ScriptItem] = Field(
        default_factory=list, description="Scripted lines or directions that open the play."
    )
    script_public: bool = Field(
        default=False,
        description="Show the script on the students' page too; leave it false when the script gives away"
        " anything of a private brief (then only the facilitator's page shows it).",
    )
    beats: list[Text] = Field(
        default_factory=list,
        description="An outline of how the conversation may unfold; shown to the facilitator only.",
    )
    observer_checklist: Annotated[list[Text], Field(min_length=3)] = Field(
        description="What the observer watches for; on the observer's card and the facilitator's page only."
    )
    debrief: Annotated[list[Text], Field(min_length=3)] = Field(description="Questions for the debrief.")
    deroling: Text = Field(description="How players step out of role at the end.")

    @property
    def areas(self) -> list:
        """The problem areas it works on: its one problem area."""
        return [self.problem_area]

    @property
    def group(self) -> str:
        """How students group for it: a triad when there are three roles, else a pair."""
        return "Triad" if len(self.roles) == 3 else "Pair"


class Competence(Strict):
    """A competence of the course's framework (an item of `competences` in modules/competences.yml)."""

    id: Id = Field(description="What techniques, exercises, role-plays and quizzes write in `competences`.")
    name: Text = Field(description="Its name as students see it, e.g. 'Working with grief and loss'.")
    domain: CompetenceDomain = Field(description="Its domain in the UCL competence framework for IPT.")
    description: Text = Field(description="What a competent coach does, in one or two sentences.")
    indicators: Annotated[list[Text], Field(min_length=3, max_length=5)] = Field(
        description="Observable behaviours that show it, each a sentence: students rate themselves on them."
    )
    sources: Annotated[list[Id], Field(min_length=1)] = Field(
        description="Keys from modules/references.yml of the frameworks and texts it is written from."
    )


class CompetenceFramework(Strict):
    """modules/competences.yml: the competences the course develops, practises and checks."""

    competences: Annotated[list[Competence], Field(min_length=1)] = Field(
        description="The competences (fields below), in the order the competence map shows them."
    )


class Option(Strict):
    """An answer a student may choose in a quiz question, with why it is right or wrong."""

    text: Text = Field(description="The answer as the student sees it, plain text.")
    correct: bool = Field(description="Whether choosing it is right.")
    feedback: MarkdownText = Field(
        description="Why it is right or wrong, shown once the student checks their answers; required on every option."
    )


class Question(Strict):
    """A question of a self-check quiz."""

    prompt: MarkdownText = Field(
        description="The question or scenario the student answers, shown as one paragraph: emphasis, code and links."
    )
    type: QuestionType = Field(
        description="single: exactly one option is correct; multiple: one or more are, and the student picks all."
    )
    judgement: bool = Field(
        default=False,
        description="A scenario-judgement item: its options are Coach, Coach with care and Refer, in that order.",
    )
    options: Annotated[list[Option], Field(min_length=2, max_length=6)] = Field(
        description="From 2 to 6 answers (fields below), at least one correct."
    )
    references: list[Id] = Field(
        default_factory=list, description="Keys from modules/references.yml that the feedback rests on."
    )


# How long a student spends on a question: reading it, choosing, and reading the feedback.
MINUTES_PER_QUESTION = 2


class QuizMeta(Strict):
    """Front matter of modules/NN-id/quizzes/ID.md; the body is an optional introduction."""

    id: FileId = Field(description="The quiz's id; the file is named ID.md and the page address quizzes/ID/.")
    title: Text = Field(description="The quiz's title, e.g. 'Self-check: grief and loss'.")
    competences: list[Id] = Field(
        default_factory=list, description="Ids from modules/competences.yml of the competences it checks."
    )
    questions: Annotated[list[Question], Field(min_length=1)] = Field(
        description="The questions (fields below), in order."
    )

    @property
    def duration(self) -> int:
        """About how many minutes it takes, for the week's plan: never written by hand."""
        return MINUTES_PER_QUESTION * len(self.questions)


class PageMeta(Strict):
    """Front matter of a course-level page in modules/pages/."""

    id: FileId = Field(description="The page's id; the file is named ID.md and the page address course/ID/.")
    title: Text = Field(description="The page's title.")
    summary: Text = Field(description="One sentence on what the page holds, for link previews.")
    order: Annotated[int, Field(ge=0)] = Field(
        description="Its place among the course pages in the navigation; the first is the home page's button."
    )


class ModalityDef(Strict):
    """An approach the course blends with IPT (an item of `modalities` in modules/course.yml)."""

    id: Id = Field(description="What modules, exercises and role-plays write in `modalities`.")
    name: Text = Field(description="Its name in running text and headings, e.g. 'EFT (Emotion-Focused Therapy)'.")
    short: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9 +./()-]{0,39}$")
    ] = Field(
        description="Its short name in tables, filters and tags, e.g. 'EFT': letters, digits, spaces and + . / ( ) -."
    )
    description: Text = Field(description="What the approach is, in a sentence.")


class Policy(Strict):
    """The rules this course keeps beyond the file format (`policy` in modules/course.yml); `check` reports each."""

    min_lesson_words: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest words in each module's lesson."
    )
    min_exercises_per_module: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest exercises in each module."
    )
    min_roleplays_per_module: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest role-plays in each module."
    )
    min_glossary_terms: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest terms in modules/glossary.yml."
    )
    min_references: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest sources in modules/references.yml."
    )
    min_quizzes_per_module: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest self-check quizzes in each module."
    )
    min_quiz_questions: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Fewest questions in each quiz."
    )
    every_modality_practised: bool = Field(
        default=False, description="Every modality is taught by a module and practised in an exercise or role-play."
    )
    every_problem_area_practised: bool = Field(
        default=False, description="Every problem area is taught by a module and practised in an exercise or role-play."
    )
    every_modality_roleplayed: bool = Field(default=False, description="Every modality has a role-play.")
    every_problem_area_roleplayed: bool = Field(default=False, description="Every problem area has a role-play.")
    every_format_used: bool = Field(
        default=False, description="Every exercise format (solo, pair, triad, group) has an exercise."
    )


def _valid(problem_of):
    """A pydantic validator from a function that names what is wrong with a value (or returns None)."""

    def check(value: str) -> str:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


PrimaryColour = Annotated[
    str,
    AfterValidator(_valid(lambda value: branding.colour_problem(value, branding.MATERIAL_PRIMARIES))),
    AfterValidator(branding.normal),
]
AccentColour = Annotated[
    str,
    AfterValidator(_valid(lambda value: branding.colour_problem(value, branding.MATERIAL_ACCENTS))),
    AfterValidator(branding.normal),
]


class Branding(Strict):
    """How the site looks (`branding` in modules/course.yml); `check` refuses colours students could not read."""

    logo: Annotated[str, AfterValidator(_valid(logo_file.logo_path_problem))] | None = Field(
        default=None,
        description="An image in docs/assets/ shown in the header beside the course title, e.g. docs/assets/logo.svg:"
        " PNG, JPEG, GIF, WebP or SVG (no scripts or links), at most 256 KB.",
    )
    primary: PrimaryColour = Field(
        default=branding.DEFAULT_PRIMARY,
        description="The header's colour, and the links': one of Material's named colours (e.g. indigo) or a hex"
        " colour (e.g. #1a5e63). The authoring guide lists the named colours that pass.",
    )
    accent: AccentColour = Field(
        default=branding.DEFAULT_ACCENT,
        description="The colour of a link or button under the pointer or keyboard focus, and of matches in search"
        " results: a named colour (e.g. deep-purple) or a hex colour.",
    )

    @property
    def palette(self) -> branding.Palette:
        """Every colour the site shows for these choices, in the light and the dark scheme."""
        return branding.palette(self.primary, self.accent)

    @property
    def logo_url(self) -> str | None:
        """The logo's address within the site (docs/ is the site's root)."""
        return self.logo.removeprefix("docs/") if self.logo else None


class CourseMeta(Strict):
    """modules/course.yml: the course as a whole."""

    title: Text = Field(description="The course's name: the site's name and the home page's title.")
    description: Text = Field(description="What the course is, in two or three sentences.")
    audience: Text = Field(description="Who the course is for.")
    weeks: Annotated[int, Field(ge=1, le=52)] = Field(
        description="How many weeks; every week from 1 to this has a module."
    )
    site_url: WebUrl = Field(description="The published site's address, e.g. https://owner.github.io/repo/.")
    repo_url: WebUrl | None = Field(default=None, description="The repository's address, linked from every page.")
    disclaimer: Text = Field(description="The scope-of-practice note shown on the home page.")
    safety_note: MarkdownText = Field(
        description="The signposting box added to modules with safety_note: true; a helpline can be a tel: link,"
        " e.g. [116 123](tel:116123), so a student on a phone calls it with one tap."
    )
    modalities: Annotated[list[ModalityDef], Field(min_length=1)] = Field(
        description="The approaches the course blends with IPT (fields below), in display order."
    )
    policy: Policy = Field(
        default_factory=Policy, description="The course's own rules (fields below), checked by `check`."
    )
    branding: Branding = Field(
        default_factory=Branding, description="The site's logo and colours (fields below), checked for contrast."
    )
    engine: Annotated[str, AfterValidator(_known_engine)] = Field(
        default=DEFAULT_ENGINE,
        description=f"The site engine that builds the course: {', '.join(ENGINES)} (the authoring guide says which to"
        " choose); `build --engine` overrides it for one run.",
    )
    templates: Text | None = Field(
        default=None,
        description="A folder of template overrides inside the project, e.g. course-templates; templates it lacks come"
        " from templates/. Build, serve, deploy, check and the Pages workflow use it; `--templates` overrides it.",
    )


class GlossaryEntry(Strict):
    """A term in modules/glossary.yml."""

    term: Text = Field(description="The term as it appears in the text; pages show its definition on hover.")
    definition: Text = Field(description="What it means, in a sentence or two.")


class Reference(Strict):
    """A source in modules/references.yml."""

    citation: Text = Field(description="The full citation, authors first, with the year in brackets.")
    kind: ReferenceKind = Field(description="What sort of source it is.")
    url: WebUrl | None = Field(default=None, description="Where to read it: an https (or http) address.")


@dataclass(frozen=True)
class Part:
    """A validated file of a module (an exercise, a role-play or a quiz), with where it came from."""

    kind: str
    meta: ExerciseMeta | RoleplayMeta | QuizMeta
    body: str
    path: Path
    module_id: str


@dataclass(frozen=True)
class Module:
    """A validated module with its parts, by kind name, in file order."""

    meta: ModuleMeta
    body: str
    path: Path
    parts: dict[str, list[Part]] = field(default_factory=dict)

    @property
    def exercises(self) -> list[Part]:
        """The module's exercises."""
        return self.parts.get("exercise", [])

    @property
    def roleplays(self) -> list[Part]:
        """The module's role-plays."""
        return self.parts.get("roleplay", [])

    @property
    def quizzes(self) -> list[Part]:
        """The module's self-check quizzes."""
        return self.parts.get("quiz", [])


@dataclass(frozen=True)
class Page:
    """A validated course-level page."""

    meta: PageMeta
    body: str
    path: Path


@dataclass(frozen=True)
class Course:
    """Everything under modules/, valid and cross-checked, in course order.

    Plain dataclasses from here on: their parts are validated already, and building more
    pydantic validators would only slow every start-up.
    """

    meta: CourseMeta
    modules: list[Module]
    pages: list[Page]
    glossary: dict[str, GlossaryEntry]
    references: dict[str, Reference]
    techniques: dict[str, Technique]
    competences: dict[str, Competence] = field(default_factory=dict)  # from modules/competences.yml, in its order

    def parts(self, kind: str) -> list[Part]:
        """Every part of one kind, in course order."""
        return [p for m in self.modules for p in m.parts.get(kind, [])]

    @property
    def exercises(self) -> list[Part]:
        """All exercises in course order."""
        return self.parts("exercise")

    @property
    def roleplays(self) -> list[Part]:
        """All role-plays in course order."""
        return self.parts("roleplay")

    @property
    def quizzes(self) -> list[Part]:
        """All self-check quizzes in course order."""
        return self.parts("quiz")

    @property
    def session_minutes(self) -> int:
        """How long the live sessions take in all: added up from the modules, never written by hand."""
        return sum(module.meta.duration for module in self.modules)

    @cached_property
    def vocabulary(self) -> v.Vocabulary:
        """The fixed vocabularies and this course's modalities."""
        return v.Vocabulary(v.modality_group(self.meta.modalities))

    def page(self, page_id: str) -> Page | None:
        """The course-level page with this id, if the trainer wrote one."""
        return next((p for p in self.pages if p.meta.id == page_id), None)
