// policy.js: reads the policy text that GET /v1/policy returns (the format of
// docs/policy.md) far enough to draw its timeline: the groups, and each
// rule's who, class, regime, stay, dates and reference. It does not validate
// (the server did, all or nothing) and decides nothing: the timeline shows,
// for each nationality and day, the rule with the precedence the server
// applies (a nationality rule over a group rule over the default *).
import { t, regimeText, stayText } from './i18n.js';

// Split a policy into entries (a line starting in column 1 and its indented
// continuation lines), then into tokens: words, "quoted" text, key=value.
function entries(text) {
  const out = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw);
    if (!line.trim()) continue;
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line.trim());
  }
  return out.map(tokens);
}

function stripComment(line) {
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q && c === '\\') i++;
    else if (c === '"') q = !q;
    else if (c === '#' && !q) return line.slice(0, i);
  }
  return line;
}

function tokens(s) {
  const out = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i >= s.length) break;
    let tok = '';
    while (i < s.length && s[i] !== ' ' && s[i] !== '\t') {
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          tok += s[i++];
        }
        i++;
      } else tok += s[i++];
    }
    out.push(tok);
  }
  return out;
}

export function parsePolicy(text) {
  const groups = new Map(); // "@name" -> Set of codes
  const rules = [];
  for (const t of entries(text || '')) {
    if (t[0] === 'group' && t.length > 1) {
      const members = new Set();
      for (const m of t.slice(2)) {
        if (m.includes('=')) continue;
        if (m.startsWith('@')) for (const x of groups.get(m) || []) members.add(x);
        else members.add(m);
      }
      groups.set(t[1], members);
    } else if (t[0] === 'rule' && t.length >= 4) {
      const r = { who: t[1], cls: t[2], regime: t[3], from: null, to: null, stay: '', ref: '', ref_es: '' };
      for (const kv of t.slice(4)) {
        const eq = kv.indexOf('=');
        if (eq < 0) continue;
        const k = kv.slice(0, eq), v = kv.slice(eq + 1);
        if (k === 'from') r.from = v;
        else if (k === 'to') r.to = v;
        else if (k === 'stay') r.stay = v;
        else if (k === 'ref') r.ref = v;
        else if (k === 'ref_es') r.ref_es = v;
      }
      if (r.from) rules.push(r);
    }
  }
  return { groups, rules };
}

const DAY = 86400000;
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const dayMs = (d) => Date.parse(`${d}T00:00:00Z`);

// Rank of rule r for nationality code c: 3 own code, 2 group, 1 default, 0 not.
function rank(p, r, c) {
  if (r.who === c) return 3;
  if (r.who.startsWith('@')) return (p.groups.get(r.who) || new Set()).has(c) ? 2 : 0;
  return r.who === '*' ? 1 : 0;
}

function ruleOn(p, c, cls, day) {
  let best = null, bestRank = 0;
  for (const r of p.rules) {
    if (r.cls !== cls || day < r.from || (r.to && day > r.to)) continue;
    const k = rank(p, r, c);
    if (k > bestRank) { best = r; bestRank = k; }
  }
  return best;
}

// The rules in force for nationality c and class cls over [from, to] (ISO
// dates), as segments {from, to, rule|null}.
export function segments(p, c, cls, from, to) {
  const cuts = new Set([from]);
  for (const r of p.rules) {
    if (r.cls !== cls || !rank(p, r, c)) continue;
    if (r.from > from && r.from <= to) cuts.add(r.from);
    if (r.to) {
      const next = iso(dayMs(r.to) + DAY);
      if (next > from && next <= to) cuts.add(next);
    }
  }
  const starts = [...cuts].sort();
  const out = [];
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? iso(dayMs(starts[i + 1]) - DAY) : to;
    const rule = ruleOn(p, c, cls, s);
    const prev = out[out.length - 1];
    if (prev && prev.rule === rule) prev.to = end;
    else out.push({ from: s, to: end, rule });
  });
  return out;
}

// A rule in plain words: "no visa needed, 90 days per year from the first
// entry, extendable once by 90 days" (i18n.js has the words).
export function describe(rule) {
  if (!rule) return t('policy.no_rule');
  const reg = regimeText(rule.regime);
  return rule.stay && rule.stay !== 'none' ? `${reg}, ${stayText(rule.stay)}` : reg;
}
