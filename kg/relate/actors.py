"""Who acts in each clause: the subject named once and then implied.

In news of this kind the actor is named once and carried: every paragraph under
长子县's heading is about 长子县 even when it says 该县, 全县 or nothing; 我市/全市
is the home city; 市应急管理局要求… makes the bureau the actor. Per article this
walks the clauses in order and keeps the current actor:

- the article starts with the actor of its headline (长子县, 长治消防…, 我市…) or,
  failing that, of its first clause; an article that speaks of 我市 defaults to home;
- a clause that starts (after time phrases) with places or organizations followed
  by a verb names new actors; a list (芮城、万荣、平陆立足…) names several;
- 我市/全市/各县区 is the home; 该县/全区/该公司 … the current actor of that kind;
- an enterprise named inside a place's article acts only in its own sentence; a
  person as subject suspends the actor for that sentence.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, NamedTuple

from kg import rules
from kg.extract.spans import SpanIndex
from kg.model import Entity, Mention
from kg.nlp.gazetteer import Division

if TYPE_CHECKING:
    from kg.relate import RelContext  # (kg.relate imports this module when first asked)

_ACTOR_TYPES = ("Place", "Organization")
_VERBISH = ("v", "vd", "vn", "d", "ad", "p", "a", "i", "l")


class Clause(NamedTuple):
    """A clause and who acts in it (a named tuple: a page has hundreds)."""

    start: int
    end: int
    sent: int  # sentence index
    article: int
    actors: tuple[str, ...]  # entity ids acting in this clause
    named: bool = False  # the clause names its actors (a subject, 由…, 联合…)
    lead: tuple[str, ...] = ()  # in joint work with a lead (X联合Y…), the lead; the rest are partners


class _Conf:
    """Who-acts rules of relations.toml (with the posts and speech verbs of persons.toml, the
    list closer of common.toml and the county-level city kind of places.toml), compiled once
    per rule set: one regular expression per list, so a clause start is tested once, not
    word by word."""

    def __init__(self, rs: rules.RuleSet) -> None:
        r = rs.relations
        alt = rules.alternation
        pronouns = sorted(r.pronouns.items(), key=lambda kv: -len(kv[0]))
        joiner = alt(r.list_joiners)
        self.opener_re = re.compile(r.clause_opener_pattern)
        self.opener_words_re = re.compile(alt(r.clause_openers))
        self.followers = rules.longest_first(r.subject_followers)
        self.generic = rules.longest_first(r.generic_subjects)
        self.participation = rules.longest_first(r.participation_verbs)
        self.speech = rules.longest_first(rs.persons.speech_verbs)
        self.speech_re = re.compile(alt(rs.persons.speech_verbs))
        self.post_re = re.compile(alt(rs.persons.posts))
        self.purpose_re = re.compile(r.purpose_pattern)
        self.home_re = re.compile(alt(r.home_subjects))
        self.pronoun_re = re.compile(alt(w for w, _ in pronouns))
        self.pronoun_level = dict(pronouns)
        self.home_triggers = tuple(r.home_triggers)
        self.county_home_triggers = tuple(r.county_home_triggers)
        self.first = tuple(r.first_person_prefixes)
        self.collectives = frozenset(r.home_collectives)
        self.scope_words = rules.longest_first(r.campaign_scope_words)
        self.gov_heads = rules.longest_first(r.government_heads)
        self.party_prefixes = tuple(r.party_prefixes)
        self.city_words = frozenset(r.county_city_subjects)
        self.joint_re = re.compile(f"(?:{alt(r.joint_adverbs)})?(?:{alt(r.joint_verbs)})")
        self.duration_re = re.compile(r.subject_adverbial_pattern)
        self.clause_split = re.compile(alt(r.clause_breaks))
        # "等 + a collective noun (+ a second one)" closes a list of subjects; the longest
        # head wins (等地区, not 等地 and a stray 区)
        heads = "(?:" + alt(r.collective_heads) + ")"
        etc = re.escape(rs.common.list_closer)
        self.etc_re = re.compile(
            rf"{etc}[\u4e00-\u9fff]{{0,6}}?{heads}(?:(?:{joiner})[\u4e00-\u9fff]{{0,4}}?{heads})?"
        )
        self.not_subject_followers = tuple(r.not_subject_followers)
        self.county_city_kind = rs.places.division_kinds.county_city
        self.by_marker = r.by_marker
        self.agent_verbs = tuple(r.agent_verbs)
        self.party_bodies = tuple(r.party_body_prefixes)
        self.enumeration_comma = r.enumeration_comma
        self.joiners = tuple(r.list_joiners)
        self.joiner_re = re.compile(joiner)
        self.list_gaps = frozenset(r.spaces)
        self.lead_marks = frozenset(r.spaces) | frozenset(r.clause_start_marks)


def _conf() -> _Conf:
    return rules.active().compiled(_Conf)


def scope_words() -> tuple[str, ...]:
    """Words that scope a campaign to a place (全市, 全县, 我县 …), longest first."""
    return _conf().scope_words


class Actors:
    """Clauses of a page with the actors of each."""

    def __init__(self, rc: RelContext) -> None:
        # the page's RelContext keeps its Actors: a weak reference back, not a cycle that
        # would keep every page's doc, mentions and clauses alive until the cycle collector
        self.rc: RelContext = weakref.proxy(rc)
        ctx = rc.ctx
        self.doc = ctx.doc
        self.text = self.doc.text
        self.conf = _conf()  # the page's rules, looked up once (clauses ask thousands of times)
        gaz = ctx.res.gaz
        # the home (我县 on a county site, 我市 in a city paper) and the city 我市/全市 mean:
        # on a county's or district's site that is its prefecture, on a county-level
        # city's site the city itself
        self.home: Entity | None = None
        self.city: Entity | None = None
        self.county_home = ctx.home is not None and ctx.home.level == "county"
        if ctx.home is not None:
            home_div = ctx.home if self.county_home else gaz.prefecture_of(ctx.home) or ctx.home
            self.home = self._place(home_div)
            city_div = home_div
            if self.county_home and ctx.home.kind != self.conf.county_city_kind:
                city_div = gaz.prefecture_of(ctx.home) or home_div
            self.city = self._place(city_div)
        self.index: SpanIndex[Mention] = SpanIndex(
            (m.start, m.end, m) for m in rc.mentions if m.type in (*_ACTOR_TYPES, "Person")
        )
        self._actor_starts = frozenset(m.start for m in rc.mentions if m.type in (*_ACTOR_TYPES, "Person"))
        self._person_starts = sorted(m.start for m in rc.mentions if m.type == "Person")
        self.clauses: list[Clause] = []
        self._city: str | None = None
        self._gov_cache: dict[str, str | None] = {}
        self._joint_lead: tuple[str, ...] | None = None  # set by _subject: who leads joint work
        self._chain_lead: int | None = None  # set by _chain: mentions before a joint verb
        self._skipped: dict[tuple[int, int], int] = {}  # skip_openers: a clause is read twice
        self._build()
        self._starts = [c.start for c in self.clauses]

    def _place(self, d: Division) -> Entity:
        """The page's entity of division ``d`` (the home and its parents always are)."""
        return self.rc.by_key.get(("Place", d.name)) or Entity(
            "Place",
            d.name,
            (),
            (("adcode", d.adcode), ("level", d.level)),
        )

    # -- lookups ----------------------------------------------------------------------
    def clause_at(self, pos: int) -> Clause | None:
        k = self.clause_index(pos)
        return self.clauses[k] if k is not None else None

    def clause_index(self, pos: int) -> int | None:
        """Index in :attr:`clauses` of the clause holding ``pos``."""
        k = bisect_right(self._starts, pos) - 1
        if k < 0:
            return None
        c = self.clauses[k]
        return k if c.start <= pos < max(c.end, c.start + 1) else None

    def home_id(self) -> str | None:
        return self.home.id if self.home is not None else None

    def scope_place(self, end: int) -> str | None:
        """The place a scope word ending at ``end`` names (推进全市…行动, 我县“…”活动):
        全市/我市 the city, 全县/我县 the county (as when they are subjects)."""
        conf = self.conf
        text = self.text
        for word in conf.scope_words:
            if text.endswith(word, 0, end):
                if word in conf.pronoun_level:
                    level = conf.pronoun_level[word]
                    ids = self._pronoun(level, end - len(word), word.startswith(conf.first))
                    return ids[0] if ids else None
                return self.city.id if self.city is not None else None
        return None

    def through_places(self, actors: tuple[str, ...]) -> tuple[str, ...]:
        """What a government or party committee of a place does, the place does
        (县委、县政府高度重视…开展排查 → the county): they only issue, host and employ."""
        return tuple(dict.fromkeys(self._government_place(a) or a for a in actors))

    def _government_place(self, eid: str) -> str | None:
        if eid in self._gov_cache:
            return self._gov_cache[eid]
        found = None
        if eid.startswith("Organization:"):
            conf = self.conf
            e = self.rc.by_key.get(("Organization", eid.split(":", 1)[1]))
            for name in (e.name, *e.aliases) if e is not None else ():
                for prefix in conf.party_prefixes:
                    name = name.removeprefix(prefix)
                head = next((h for h in conf.gov_heads if name.endswith(h)), None)
                place = self.rc.by_key.get(("Place", name[: -len(head)])) if head else None
                if place is not None:
                    found = place.id
                    break
        self._gov_cache[eid] = found
        return found

    # -- construction ------------------------------------------------------------------
    def _eid(self, m: Mention) -> str | None:
        return self.rc.eid(m)

    def _build(self) -> None:
        doc = self.doc
        by_article: dict[int, list[int]] = {}
        for i, s in enumerate(doc.sentences):
            by_article.setdefault(s.article, []).append(i)
        for ai, sent_ids in sorted(by_article.items()):
            self._article(ai, sent_ids)

    def _article(self, ai: int, sent_ids: list[int]) -> None:
        doc = self.doc
        text = self.text
        headline_sents = [i for i in sent_ids if doc.paras[doc.sentences[i].para].kind == "headline"]
        main: tuple[str, ...] = ()
        for i in headline_sents[-2:]:
            s = doc.sentences[i]
            found = self._subject(s.start, s.end, headline=True)
            if found and found[0]:
                main = found[0]
        if not main and self.home is not None:
            art_text = "".join(text[doc.sentences[i].start : doc.sentences[i].end] for i in sent_ids)
            conf = self.conf
            triggers = conf.county_home_triggers if self.county_home else conf.home_triggers
            if any(w in art_text for w in triggers):
                main = (self.home.id,)
        current = main
        self._city = self._county_city(main)
        main_is_place = bool(main) and all(a.startswith("Place:") for a in main)
        # clauses before anyone acts: a place named later in the same paragraph acts there too
        # (a caption: 在屯留区张店镇中村瞭望哨，工作人员正在值守。连日来，屯留区从严…)
        pending: list[int] = []
        for i in sent_ids:
            s = doc.sentences[i]
            sentence_scope: tuple[str, ...] | None = None
            sentence_lead: tuple[str, ...] = ()
            # 为切实做好汛期安全防范，县水利局…: a purpose clause is the work of the subject
            # that follows it in the sentence
            purposes: list[int] = []
            pos = s.start
            for m in [*self.conf.clause_split.finditer(text, s.start, s.end), None]:
                end = m.start() if m is not None else s.end
                in_headline = doc.paras[s.para].kind == "headline"
                # headlines (and teasers above them) were read for the article's actor already
                self._joint_lead = None
                found = None if in_headline else (self._subject(pos, end) or self._agent(pos, end))
                named = found is not None and bool(found[0])
                if found is None and not in_headline:
                    # …牵头，联合A、B等部门，…: the partners join whoever acts, in this sentence
                    joined = self._joint(pos, end)
                    acting_now = sentence_scope if sentence_scope is not None else current
                    if joined and acting_now:
                        named = True
                        sentence_lead = sentence_lead or acting_now
                        sentence_scope = tuple(dict.fromkeys(acting_now + joined))
                    elif purposes or self._purpose(pos, end):
                        # 为切实加强…，有效防范…，X会同Y…: the purpose runs on until a subject
                        purposes.append(len(self.clauses))
                if found is not None and found[0] and purposes:
                    for k in purposes:
                        c = self.clauses[k]
                        self.clauses[k] = Clause(c.start, c.end, c.sent, c.article, found[0], c.named)
                    purposes = []
                if found is not None:
                    actors, kind = found
                    lead = self._joint_lead
                    if kind == "person":
                        sentence_scope = ()
                    elif kind == "org" and main_is_place and not self._agency(actors):
                        sentence_scope = actors
                    elif actors and lead:
                        # X联合Y、Z开展…: the partners share this sentence's work; what the
                        # article details later stays with the lead
                        pending = []
                        current = lead
                        sentence_scope = actors
                        sentence_lead = lead
                        main_is_place = main_is_place or kind == "place"
                    elif actors:
                        if not current and kind == "place":
                            for k in pending:
                                c = self.clauses[k]
                                if doc.sentences[c.sent].para == s.para:
                                    self.clauses[k] = Clause(c.start, c.end, c.sent, c.article, actors)
                        pending = []
                        current = actors
                        sentence_scope = None
                        sentence_lead = ()
                        main_is_place = main_is_place or kind == "place"
                acting = sentence_scope if sentence_scope is not None else current
                if end > pos:
                    if not acting:
                        pending.append(len(self.clauses))
                    lead_now = sentence_lead if sentence_scope is not None else ()
                    self.clauses.append(Clause(pos, end, i, ai, acting, named, lead_now))
                pos = end + 1 if m is not None else end

    def _purpose(self, start: int, end: int) -> bool:
        """Whether the clause states a purpose (为切实做好…, 为进一步加强…)."""
        purpose = self.conf.purpose_re
        if purpose.search(self.text, start, end) is None:
            return False  # the common case, decided in one C-level scan
        return purpose.match(self.text, self.skip_openers(start, end)) is not None

    def _agent(self, start: int, end: int) -> tuple[tuple[str, ...], str] | None:
        """此次行动由市防震减灾中心和市文物局联合组织开展: the bodies after 由 act."""
        text = self.text
        conf = self.conf
        k = text.find(conf.by_marker, start, end)
        if k < 0:
            return None
        ms = self._chain(k + len(conf.by_marker), end)
        if not ms or any(m.type != "Organization" for m in ms):
            return None
        if not self.text.startswith(conf.agent_verbs, ms[-1].end):
            return None  # 由A主办: hosts organize (kg.relate.others.hosts), they do not act on
        ids = tuple(dict.fromkeys(e for e in (self._eid(m) for m in ms) if e))
        return (ids, "org") if ids else None

    def _county_city(self, main: tuple[str, ...]) -> str | None:
        """The county-level city an article is about (晋江市, 玉环市), if it is one: its
        全市 is that city, not the home prefecture."""
        if len(main) != 1 or not main[0].startswith("Place:"):
            return None
        e = self.rc.by_key.get(("Place", main[0].split(":", 1)[1]))
        code = e.attr("adcode") if e is not None else None
        div = self.rc.ctx.res.gaz.by_code.get(code) if code else None
        return main[0] if div is not None and div.kind == self.conf.county_city_kind else None

    def _joint(self, start: int, end: int) -> tuple[str, ...]:
        """A clause that opens with a joint-work verb (联合, 会同 …) names partners: every
        organization listed after it (联合各镇（街道）和市市场监管局: the bodies of the list)."""
        conf = self.conf
        p = self.skip_openers(start, end)
        jm = conf.joint_re.match(self.text, p)
        if jm is None or self._name_starts_at(p):
            return ()
        return tuple(dict.fromkeys(e for e in (self._eid(m) for m in self.listed_orgs(jm.end(), end)) if e))

    def listed_orgs(self, q: int, end: int) -> list[Mention]:
        """Organizations of the list that starts at ``q``: each opens the list or follows
        a separator (、和及与); a list item that is not a body (各镇（街道）) is passed over."""
        text = self.text
        conf = self.conf
        out: list[Mention] = []
        longest: dict[int, Mention] = {}
        for s, e, m in self.index.overlapping(q, end):
            if m.type == "Organization" and s >= q and e <= end and (s not in longest or e > longest[s].end):
                longest[s] = m
        for s in sorted(longest):
            m = longest[s]
            if out and s < out[-1].end:
                continue
            k = s
            while k > q and text[k - 1] in conf.list_gaps:
                k -= 1
            if k == q or text.endswith(conf.joiners, q, k):
                out.append(m)
            elif out or self.doc.token_at(k - 1)[2] in _VERBISH:
                break
        return out

    def _agency(self, actors: tuple[str, ...]) -> bool:
        """Public bodies named with their place (市应急管理局) speak for it; an
        enterprise inside a county's story acts on its own."""
        for a in actors:
            e = self.rc.by_key.get(("Organization", a.split(":", 1)[1]))
            name = e.name if e is not None else a
            if not (name.startswith(self.conf.party_bodies) or _has_division_prefix(self.rc, name)):
                return False
        return True

    def _subject(self, start: int, end: int, headline: bool = False) -> tuple[tuple[str, ...], str] | None:
        """The actors a clause starting at ``start`` names, and their kind
        (place | org | home | pronoun | person), or None when it names none."""
        text = self.text
        conf = self.conf
        p = self.skip_openers(start, end)
        if p >= end:
            return None
        hm = conf.home_re.match(text, p)
        if hm and hm.group() in conf.city_words and self._city and not headline and self._verbish(hm.end()):
            return (self._city,), "place"  # 全市 in an article about a county-level city
        if hm and (headline or self._verbish(hm.end())):
            who = self.home if hm.group() in conf.collectives else self.city
            return ((who.id,), "home") if who is not None else None
        pm = conf.pronoun_re.match(text, p)
        if pm and any(m.type == "Organization" and m.end > pm.end() for m in self.index.starting_at(p)):
            pm = None  # 该区住房和城乡建设局: the body, named with the pronoun as its prefix
        if pm:
            ids = self._pronoun(conf.pronoun_level[pm.group()], p, pm.group().startswith(conf.first))
            # 该县联合射阳海事处开展…: the partners after a joint-work verb act too
            q = pm.end()
            jm = conf.joint_re.match(text, q)
            if jm and ids:
                more = self._chain(jm.end(), end)
                partners = tuple(e for e in (self._eid(m) for m in more) if e)
                if partners:
                    self._joint_lead = ids
                ids = tuple(dict.fromkeys(ids + partners))
            return (ids, "pronoun")
        if text.startswith(conf.generic, p):
            return None
        led = self._leader(p, end)
        if led is not None:
            return led
        found = self._chain(p, end)
        if not found:
            return None
        after = found[-1].end
        # 达拉特旗、准格尔旗等产煤旗区同步开展…: "等 + a collective noun" closes the list
        etc = conf.etc_re.match(text, after, end)
        if etc and len(found) >= 1:
            after = etc.end()
            dm = conf.duration_re.match(text, after, end)
            if dm:
                after = dm.end()  # …等部门24小时联合值守
        elif text.startswith(conf.not_subject_followers, after):
            return None
        if text.startswith(conf.participation, after):
            return None  # they take part in someone else's event
        if not headline and after < end and not self._verbish(after):
            return None
        if any(m.type == "Person" for m in found):
            if text.startswith(conf.speech, after):
                return None  # 周立群要求…: what the speaker asks of is the city's own work
            return ((), "person")
        ids = tuple(dict.fromkeys(e for e in (self._eid(m) for m in found) if e))
        if not ids:
            return None
        if self._chain_lead:
            self._joint_lead = tuple(
                dict.fromkeys(e for e in (self._eid(m) for m in found[: self._chain_lead]) if e)
            )
        kind = "place" if all(m.type == "Place" for m in found) else "org"
        return ids, kind

    def _leader(self, p: int, end: int) -> tuple[tuple[str, ...], str] | None:
        """A person with a post as the subject (县委副书记、县长王志华主持…; 副局长李四带队
        检查…; 王志华强调…) acts for the body he leads, a place's head for the place; what
        he demands goes to that body too, or to the body he addresses (副县长要求县气象局
        加强监测). None when no such person opens the clause."""
        k = bisect_left(self._person_starts, p)
        if k == len(self._person_starts) or self._person_starts[k] >= end:
            return None  # no one named in the clause
        text = self.text
        conf = self.conf
        comma = conf.enumeration_comma
        q = p
        while q < end:
            ms = [m for m in self.index.starting_at(q) if m.type in _ACTOR_TYPES and m.end <= end]
            w = conf.post_re.match(text, q)
            if ms:
                q = max(m.end for m in ms)
            elif w is not None:
                q = w.end()
            elif text.startswith(comma, q) and q > p:
                q += len(comma)
            else:
                break
        person = next((m for m in self.index.starting_at(q) if m.type == "Person"), None)
        if person is None:
            return None
        pid = self._eid(person)
        bodies = self.rc.post_bodies().get(pid, ()) if pid else ()
        after = person.end
        while text.startswith(comma, after):  # 副县长张鹏华、任秀红
            nxt = next((m for m in self.index.starting_at(after + len(comma)) if m.type == "Person"), None)
            if nxt is None:
                break
            after = nxt.end
        if after < end and not self._verbish(after):
            return None
        if not bodies:
            if text.startswith(conf.speech, after):
                return None  # 周立群要求…: what the speaker asks of is the city's own work
            return ((), "person")
        acting = self.through_places(bodies[:1])
        sv = conf.speech_re.search(text, after, end)
        if sv is not None:
            # 要求县气象局加强监测: the body addressed acts
            addressed = self._chain(self.skip_openers(sv.end(), end), end)
            if addressed and addressed[-1].end < end and self._verbish(addressed[-1].end):
                ids = tuple(dict.fromkeys(e for e in (self._eid(m) for m in addressed) if e))
                if ids and all(m.type in _ACTOR_TYPES for m in addressed):
                    return ids, "place" if all(m.type == "Place" for m in addressed) else "org"
        kind = "place" if all(a.startswith("Place:") for a in acting) else "org"
        return acting, kind

    def _chain(self, p: int, end: int) -> list[Mention]:
        """Actor mentions from ``p``: a list joined by 、/和/及/与 gives several; names
        run together (新绛县三泉镇孝陵庄村) give the last, most specific one."""
        text = self.text
        found: list[Mention] = []
        lead: int | None = None
        self._chain_lead = None
        if p not in self._actor_starts:
            return found  # the common case: no name opens the clause
        q = p
        while q < end:
            ms = [m for m in self.index.starting_at(q) if m.end <= end]
            if not ms:
                break
            m = max(ms, key=lambda m: m.end - m.start)
            if found and found[-1].end == m.start and found[-1].type == m.type:
                found[-1] = m  # a place inside a place, an office inside a body
            else:
                found.append(m)
            q = m.end
            if self.index.starting_at(q):
                continue
            # a list (、和及与) or joint work (会同, 联合, 携手): every body named acts
            sep = self.conf.joiner_re.match(text, q)
            if sep is not None:
                q = sep.end()
                continue
            jm = self.conf.joint_re.match(text, q)
            if jm is None:
                break
            if lead is None:
                lead = len(found)
            q = jm.end()
        self._chain_lead = lead if lead is not None and lead < len(found) else None
        return found

    def _verbish(self, pos: int) -> bool:
        if self.text.startswith(self.conf.followers, pos):
            return True
        ts, _te, tag = self.doc.token_at(pos)
        return ts == pos and tag in _VERBISH

    def skip_openers(self, p: int, end: int) -> int:
        """Where a clause's content starts after time phrases and openers (近日，今年以来)."""
        key = (p, end)
        if key in self._skipped:
            return self._skipped[key]
        text = self.text
        conf = self.conf
        while p < end:
            if text[p] in conf.lead_marks:
                p += 1
                continue
            m = conf.opener_re.match(text, p, end)
            if m and m.end() > p:
                p = m.end()
                continue
            w = conf.opener_words_re.match(text, p)
            if w is not None:
                p = w.end()
                continue
            break
        self._skipped[key] = p
        return p

    def _name_starts_at(self, p: int) -> bool:
        """Whether a place or organization mention begins at ``p``."""
        return any(m.type in ("Place", "Organization") for m in self.index.starting_at(p))

    def _pronoun(self, level: str, pos: int, first_person: bool = False) -> tuple[str, ...]:
        """The entity 该县 / 全县 / 该公司 … stands for at ``pos``: the last one of that kind
        named before it in the article, else the home when it is of that kind; 我县 / 本县
        (first person) is the home of a county site whatever else was named."""
        home = self.rc.ctx.home
        at_home = self.home is not None and home is not None and home.level == level
        if first_person and at_home:
            return (self.home.id,)  # type: ignore[union-attr]  # at_home implies self.home is not None
        found = self._last_named(level, pos)
        if not found and at_home:
            return (self.home.id,)  # type: ignore[union-attr]  # at_home implies self.home is not None
        return found

    def _last_named(self, level: str, pos: int) -> tuple[str, ...]:
        doc = self.doc
        art = doc.para_at(pos).article
        best: Mention | None = None
        for s, _e, m in self.index.overlapping(max(0, pos - 3000), pos):
            if doc.para_at(s).article != art:
                continue
            is_org = level == "org" and m.type == "Organization"
            if is_org or (m.type == "Place" and m.attr("level") == level):
                best = m
        if best is None:
            return ()
        eid = self._eid(best)
        return (eid,) if eid else ()


def _has_division_prefix(rc: RelContext, name: str) -> bool:
    gaz = rc.ctx.res.gaz
    return any(gaz.lookup(name[:n]) for n in range(2, min(len(name), 9)))
