"""The shape of every rule file: one msgspec struct per ``kg/rules/<name>.toml``.

A rule file is validated against its struct when it is loaded, so a missing,
misspelt or mistyped key is a :class:`~kg.errors.DataError` naming the file and the
key, never a ``KeyError`` deep inside an extractor. Adding a key to a rule file
means adding it here.
"""

from __future__ import annotations

import msgspec


class _Rules(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Base of the rule-file structs: unknown keys are errors (a misspelt key)."""


class NamedItem(_Rules, frozen=True):
    """A known campaign, mechanism or body: canonical name and other written forms."""

    name: str
    aliases: list[str]
    national: bool = False


class Common(_Rules, frozen=True):
    coordinators: list[str]
    list_closer: str
    function_chars: str
    numeral_char: str


class Documents(_Rules, frozen=True):
    doc_types: list[str]
    trailing_paren: str
    abbreviation: str
    max_title_chars: int
    handout_verbs: list[str]
    law_title: str
    follow_verbs: list[str]
    verb_title_gap: str


class GuidelineTerms(_Rules, frozen=True):
    Industry: list[str]
    Venue: list[str]
    Hazard: list[str]


class TermHeads(_Rules, frozen=True):
    Industry: list[str]
    Venue: list[str]
    Hazard: list[str]
    Measure: list[str]


class Terms(_Rules, frozen=True):
    heads: TermHeads
    term_heads: dict[str, list[str]]
    not_with: dict[str, list[str]]
    not_followed_by: dict[str, list[str]]
    time_heads: list[str]
    focus_verbs: list[str]
    focus_window: int
    guard_prefixes: list[str]
    enum_gap: int
    safety_cues: list[str]
    head_nouns: list[str]
    name_generic_tails: list[str]
    name_kind_tails: list[str]


class Layout(_Rules, frozen=True):
    reporter_titles: list[str]
    dateline_openers: list[str]
    media_dateline: str
    wire_dateline: str
    credit_labels: list[str]
    photo_credit: list[str]
    continuation: str
    note_labels: list[str]
    headline_max_chars: int
    continuation_min_chars: int
    report_verbs: list[str]
    date_pattern: str
    full_date_pattern: str
    weekday_words: list[str]
    chinese_date_pattern: str


class Meta(_Rules, frozen=True):
    html_date: list[str]
    html_source: list[str]
    html_site: list[str]
    source_labels: list[str]
    date_labels: list[str]
    other_labels: list[str]
    medium_suffixes: list[str]
    field_separators: str
    date_value_pattern: str


class Names(_Rules, frozen=True):
    campaign_heads: list[str]
    mechanism_heads: list[str]
    mechanism_de_heads: list[str]
    place_heads: list[str]
    campaign_list_heads: list[str]
    theme_after: list[str]
    theme_before: list[str]
    mechanism_tail_words: list[str]
    mechanism_cues: list[str]
    slogan_cues: list[str]
    goal_cues: list[str]
    not_mechanism_after: list[str]
    campaign_cues: list[str]
    never: list[str]
    unquoted_mechanism_heads: list[str]
    unquoted_mechanism_min_chars: int
    generic_mechanism_tails: list[str]
    routine_duration_pattern: str
    responsibility_head: str
    supervision_modes: list[str]
    listed_mechanism_heads: list[str]
    unquoted_campaign_heads: list[str]
    unquoted_campaign_min_chars: int
    campaign_head_not_before: list[str]
    generic_campaign_words: list[str]
    campaign_list_item: str
    name_breaks: list[str]
    name_scope_prefixes: list[str]
    name_time_prefix_pattern: str
    other_field_pattern: str
    chief_system_pattern: str
    event_heads: list[str]
    scope_prefix_pattern: str
    leading_words: list[str]
    safety_stems: list[str]
    supervision_head: str
    mechanism_head_followers: str
    routine_rule_head: str
    chief_object_openers: str
    event_joiners: list[str]
    joined_event_pattern: str
    quoted_campaign_stops: str
    quoted_mechanism_joiners: str
    quoted_mechanism_head_not_before: list[str]
    quoted_de_particle: str
    quoted_campaign_ends: list[str]
    quoted_mechanism_ends: list[str]
    numeral_chars: str
    quoted_list_split: str
    structure_head_pattern: str
    counted_set_pattern: str
    quote_chain_links: str
    manner_suffix: str
    mechanisms: list[NamedItem]
    campaigns: list[NamedItem]


class FireService(_Rules, frozen=True):
    form: str
    prefecture: str
    county: str
    province: str
    bureau: str
    not_followed_by: list[str]


class OrgNames(_Rules, frozen=True):
    official_and_phrases: list[str]
    name_phrases: list[str]
    region_words: list[str]


class Departments(_Rules, frozen=True):
    words: list[str]
    joiners: list[str]
    heads: list[str]
    counted_before: str
    list_joiners: list[str]


class Party(_Rules, frozen=True):
    prefix: str
    committee: str
    standing_committee: str
    standing_member: str
    generic: str
    member: str
    league_prefix: str
    league: str


class FormRule(_Rules, frozen=True):
    """Names that fully match ``pattern`` are also written as ``forms`` ({0}: group 1)."""

    pattern: str
    forms: list[str]


class Orgs(_Rules, frozen=True):
    strong_heads: list[str]
    weak_heads: list[str]
    place_body_heads: list[str]
    division_body_heads: list[str]
    section_heads: list[str]
    head_words: list[str]
    party_prefixes: list[str]
    party_dept_heads: list[str]
    relative_prefixes: dict[str, str]
    national_prefixes: list[str]
    left_stop_words: list[str]
    generic_cores: list[str]
    source_labels: list[str]
    abbreviations: dict[str, str]
    fire_service: FireService
    bodies: list[NamedItem]
    names: OrgNames
    head_bad_next: dict[str, str]
    departments: Departments
    numeral_word_pattern: str
    head_end_chars: str
    hard_stops: str
    conjunctions: str
    place_end_chars: str
    anaphoric_prefixes: list[str]
    level_adjective_suffix: str
    head_not_before: dict[str, list[str]]
    place_middle_heads: list[str]
    named_weak_heads: list[str]
    parent_body_heads: list[str]
    ordinal_pattern: str
    ordinal_core_pattern: str
    count_end_chars: str
    session_words: list[str]
    round_words: list[str]
    party_name_pattern: str
    party: Party
    other_forms: list[FormRule]


class Persons(_Rules, frozen=True):
    posts: list[str]
    titles: list[str]
    roles: list[str]
    name_suffixes: list[str]
    anonymous_suffixes: list[str]
    speech_verbs: list[str]
    action_verbs: list[str]
    name_followers: str
    surnames: str
    compound_surnames: list[str]
    not_name_prefixes: list[str]
    not_names: list[str]
    implied_bodies: dict[str, str]
    post_body_heads: dict[str, list[str]]
    standalone_followers: str
    body_fallbacks: dict[str, str]
    implied_body_names: dict[str, list[str]]


class DivisionKinds(_Rules, frozen=True):
    prefecture: list[str]
    county_city: str
    default_prefecture: str
    default_county: str
    district: str
    municipality: str


class Places(_Rules, frozen=True):
    province_suffixes: list[str]
    autonomous_short_suffixes: dict[str, str]
    division_suffixes: list[str]
    ethnic_names: list[str]
    short_form_stopwords: list[str]
    full_name_stopwords: list[str]
    town_suffixes: list[str]
    village_suffixes: list[str]
    zone_suffixes: list[str]
    not_in_names: list[str]
    generic_place_prefixes: list[str]
    generic_zone_prefixes: list[str]
    counted_list_heads: list[str]
    common_suffix_words: list[str]
    ethnic_suffix: str
    name_openers: list[str]
    reference_prefixes: list[str]
    name_conjunction: str
    genitive_particle: str
    inner_village_pattern: str
    short_form_not_before: str
    own_body_words: list[str]
    zone_gap_stops: str
    counted_list_count_pattern: str
    suffix_bad_followers: dict[str, str]
    counted_list_suffixes: dict[str, str]
    paper_name_words: list[str]
    county_paper_markers: list[str]
    division_kinds: DivisionKinds


class Relations(_Rules, frozen=True):
    clause_openers: list[str]
    clause_opener_pattern: str
    home_subjects: list[str]
    home_collectives: list[str]
    county_city_subjects: list[str]
    pronouns: dict[str, str]
    subject_followers: list[str]
    participation_verbs: list[str]
    home_triggers: list[str]
    county_home_triggers: list[str]
    first_person_prefixes: list[str]
    government_heads: list[str]
    purpose_pattern: str
    party_prefixes: list[str]
    implement_verbs: list[str]
    organize_verbs: list[str]
    campaign_field_words: list[str]
    campaign_scope_words: list[str]
    campaign_list_fillers: list[str]
    campaign_duration_pattern: str
    host_verbs: list[str]
    by_verbs: list[str]
    plan_title_heads: list[str]
    issue_verbs: list[str]
    joint_verbs: list[str]
    lead_verbs: list[str]
    joint_adverbs: list[str]
    subject_adverbial_pattern: str
    joint_markers: list[str]
    partner_verbs: list[str]
    negations: list[str]
    event_verbs: list[str]
    campaign_back_reference_pattern: str
    campaign_focus_openers: list[str]
    campaign_back_references: list[str]
    generic_subjects: list[str]
    title_open: str
    title_close: str
    approval_marker: str
    approval_verb: str
    issuer_title_marker: str
    by_marker: str
    host_list_joiners: list[str]
    list_joiners: list[str]
    partner_list_joiners: list[str]
    lead_verb_gaps: list[str]
    national_prefixes: list[str]
    party_body_prefixes: list[str]
    event_venue_marker: str
    event_time_pattern: str
    day_campaign_heads: list[str]
    spaces: list[str]
    possessive_marker: str
    own_campaign_words: list[str]
    organize_cues: list[str]
    implement_cues: list[str]
    description_breaks: list[str]
    clause_breaks: list[str]
    collective_heads: list[str]
    not_subject_followers: list[str]
    agent_verbs: list[str]
    enumeration_comma: str
    clause_start_marks: list[str]


#: rule file name (without .toml) → its struct
SCHEMAS: dict[str, type[_Rules]] = {
    "common": Common,
    "documents": Documents,
    "guideline_terms": GuidelineTerms,
    "layout": Layout,
    "meta": Meta,
    "names": Names,
    "orgs": Orgs,
    "persons": Persons,
    "places": Places,
    "relations": Relations,
    "terms": Terms,
}
