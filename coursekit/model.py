"""The typed content model: the vocabulary as enums and one class per file kind.

Pydantic turns the front matter of each file into these objects; unknown
fields are forbidden so a misspelt key is reported, never silently dropped.
Cross-file rules (references, timings across files) live in validate.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Minutes = Annotated[int, Field(ge=1, le=1440)]


class Modality(str, Enum):
    """The approaches the course blends with IPT."""

    IPT = "ipt"
    CBT = "cbt"
    NLP = "nlp"
    MINDFULNESS = "mindfulness"
    EFT = "eft"
    RTT = "rtt"
    COACHING = "coaching"


class ProblemArea(str, Enum):
    """IPT's four interpersonal problem areas."""

    GRIEF = "grief"
    ROLE_DISPUTES = "role-disputes"
    ROLE_TRANSITIONS = "role-transitions"
    INTERPERSONAL_DEFICITS = "interpersonal-deficits"


class Phase(str, Enum):
    """IPT's three phases."""

    ASSESSMENT = "assessment"
    ACTIVE_WORK = "active-work"
    CONCLUSION = "conclusion"


class Evidence(str, Enum):
    """Evidence levels from CURRICULUM.md (A strongest, D theory only)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Delivery(str, Enum):
    """Who may use a technique."""

    COACH_SAFE = "coach-safe"
    NEEDS_SUPERVISION = "needs-supervision"
    CLINICIAN_ONLY = "clinician-only"


class Fidelity(str, Enum):
    """Whether a technique is IPT as the manuals teach it, or a blend."""

    IPT = "ipt"
    INTEGRATION = "integration"


class ExerciseFormat(str, Enum):
    """How many people an exercise needs."""

    SOLO = "solo"
    PAIR = "pair"
    TRIAD = "triad"
    GROUP = "group"


class ReferenceKind(str, Enum):
    """What sort of source a reference is."""

    BOOK = "book"
    ARTICLE = "article"
    GUIDELINE = "guideline"
    WEBSITE = "website"
    CODE = "code"


class Strict(BaseModel):
    """Base for every front-matter model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Technique(Strict):
    """A technique a module teaches, with its three honest labels."""

    id: Id = Field(description="Unique within the module; exercises and role-plays refer to it.")
    name: Text
    evidence: Evidence = Field(description="A guideline-endorsed; B controlled trials in non-clinical groups; C emerging or contested; D theory only.")
    delivery: Delivery
    fidelity: Fidelity
    source: Id = Field(description="A key from modules/references.yml.")
    note: Text | None = Field(default=None, description="Why these labels, in a sentence.")


class SessionItem(Strict):
    """One line of a session run-sheet: an activity, or an exercise or role-play of the module."""

    activity: Text | None = None
    minutes: Minutes | None = None
    notes: Text | None = None
    exercise: Id | None = None
    roleplay: Id | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "SessionItem":
        kinds = [k for k in ("activity", "exercise", "roleplay") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of 'activity', 'exercise' or 'roleplay'")
        if self.activity is not None and self.minutes is None:
            raise ValueError("an activity needs 'minutes'")
        if self.activity is None and self.minutes is not None:
            raise ValueError("leave out 'minutes' for an exercise or role-play: its own duration is used")
        return self


class ModuleMeta(Strict):
    """Front matter of modules/NN-slug/module.md."""

    id: Id
    title: Text
    week: Annotated[int, Field(ge=1, le=52)]
    summary: Text
    duration: Minutes = Field(description="Length of the live session in minutes; the session items add up to it.")
    phase: Phase
    problem_areas: list[ProblemArea] = Field(default_factory=list)
    modalities: Annotated[list[Modality], Field(min_length=1)]
    objectives: Annotated[list[Text], Field(min_length=3)]
    key_points: Annotated[list[Text], Field(min_length=3)]
    prerequisites: list[Id] = Field(default_factory=list, description="Ids of modules in earlier weeks.")
    techniques: Annotated[list[Technique], Field(min_length=1)]
    glossary: list[Id] = Field(default_factory=list, description="Ids from modules/glossary.yml used in the lesson.")
    references: Annotated[list[Id], Field(min_length=2)]
    safety_note: bool = Field(description="True when the module touches low mood, grief, loss or risk.")
    session: Annotated[list[SessionItem], Field(min_length=1)]
    facilitator_notes: list[Text] = Field(default_factory=list)


class Step(Strict):
    """One timed step of an exercise."""

    text: Text
    minutes: Minutes


class ExerciseMeta(Strict):
    """Front matter of modules/NN-slug/exercises/ID.md."""

    id: Id
    title: Text
    format: ExerciseFormat
    duration: Minutes = Field(description="Equals the sum of the steps' minutes.")
    modalities: Annotated[list[Modality], Field(min_length=1)]
    problem_areas: list[ProblemArea] = Field(default_factory=list)
    techniques: list[Id] = Field(default_factory=list, description="Technique ids of this module; never clinician-only ones.")
    materials: list[Text] = Field(default_factory=list)
    steps: Annotated[list[Step], Field(min_length=1)]
    reflection: Annotated[list[Text], Field(min_length=2)]
    model_answer: Text | None = None


class Timing(Strict):
    """The time box of a role-play: rounds of briefing, play and feedback, then a debrief."""

    briefing: Minutes
    play: Minutes
    feedback: Minutes
    rounds: Annotated[int, Field(ge=1, le=6)]
    debrief: Minutes


class Role(Strict):
    """A part in a role-play: what everyone knows, and a private brief for its player."""

    name: Text
    public: Text
    brief: Text


class ScriptItem(Strict):
    """A line spoken by a role, or a stage direction."""

    role: Text | None = None
    line: Text | None = None
    direction: Text | None = None

    @model_validator(mode="after")
    def _line_or_direction(self) -> "ScriptItem":
        spoken = self.role is not None or self.line is not None
        if spoken == (self.direction is not None):
            raise ValueError("give either 'role' and 'line', or 'direction'")
        if spoken and (self.role is None or self.line is None):
            raise ValueError("a spoken line needs both 'role' and 'line'")
        return self


class RoleplayMeta(Strict):
    """Front matter of modules/NN-slug/roleplays/ID.md."""

    id: Id
    title: Text
    problem_area: ProblemArea
    modalities: Annotated[list[Modality], Field(min_length=1)]
    techniques: list[Id] = Field(default_factory=list)
    duration: Minutes = Field(description="Equals rounds x (briefing + play + feedback) + debrief.")
    timing: Timing
    setting: Text
    roles: Annotated[list[Role], Field(min_length=2, max_length=3)]
    script: list[ScriptItem] = Field(default_factory=list)
    beats: list[Text] = Field(default_factory=list)
    observer_checklist: Annotated[list[Text], Field(min_length=3)]
    debrief: Annotated[list[Text], Field(min_length=3)]
    deroling: Text

    @property
    def group(self) -> str:
        """How students group for it: a triad when there are three roles, else a pair."""
        return "Triad" if len(self.roles) == 3 else "Pair"


class CourseMeta(Strict):
    """modules/course.yml: the course as a whole."""

    title: Text
    description: Text
    audience: Text
    weeks: Annotated[int, Field(ge=1, le=52)]
    hours: Text | None = Field(default=None, description="How long the course takes, in words.")
    site_url: Text
    repo_url: Text | None = None
    disclaimer: Text = Field(description="The scope-of-practice note shown on every page.")
    safety_note: Text = Field(description="The signposting box added to modules with safety_note: true.")


class GlossaryEntry(Strict):
    """A term in modules/glossary.yml."""

    term: Text
    definition: Text


class Reference(Strict):
    """A source in modules/references.yml."""

    citation: Text
    kind: ReferenceKind
    url: Text | None = None


class PageMeta(Strict):
    """Front matter of a course-level page in modules/pages/."""

    id: Id
    title: Text
    summary: Text
    order: Annotated[int, Field(ge=0)]


@dataclass(frozen=True)
class Exercise:
    """A validated exercise with where it came from."""

    meta: ExerciseMeta
    body: str
    path: Path
    module_id: str


@dataclass(frozen=True)
class Roleplay:
    """A validated role-play with where it came from."""

    meta: RoleplayMeta
    body: str
    path: Path
    module_id: str


@dataclass(frozen=True)
class Module:
    """A validated module with its exercises and role-plays."""

    meta: ModuleMeta
    body: str
    path: Path
    exercises: list[Exercise]
    roleplays: list[Roleplay]


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

    @property
    def exercises(self) -> list[Exercise]:
        """All exercises in course order."""
        return [e for m in self.modules for e in m.exercises]

    @property
    def roleplays(self) -> list[Roleplay]:
        """All role-plays in course order."""
        return [r for m in self.modules for r in m.roleplays]

    def page(self, page_id: str) -> Page | None:
        """The course-level page with this id, if the trainer wrote one."""
        return next((p for p in self.pages if p.meta.id == page_id), None)


FRONT_MATTER_MODELS: dict[str, type[Strict]] = {
    "module": ModuleMeta,
    "exercise": ExerciseMeta,
    "roleplay": RoleplayMeta,
    "page": PageMeta,
}
